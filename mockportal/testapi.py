"""The test-provisioning API (on by default, off with ``--no-test-api``): JSON only, no CSRF.

- ``POST /__test__/employers`` ``{"name"?, "language"?}`` → 201 a new employer and its three accounts
- ``POST /__test__/sessions`` ``{"username", "language"?}`` → 201 a signed-in session's cookie
- ``GET /__test__/employers/<enterprise number>/configuration`` → what is stored (``null`` if nothing)
- ``GET /__test__/log`` → ``{"lines": [...]}``: the server's recent log lines (what it wrote to its
  log, oldest first), so that a mock-only check can prove no key material reached the log (CERT-3)
- ``POST /__test__/employers/<enterprise number>/configuration`` ``{"contact": {last_name, …,
  "title": "title_mrs", "language_regime": "language_nl", "emails": [...]}, "channel":
  "ws"|"ftp"|"sftp", "certificate": "<PEM or base64 DER>", "applications"?, "ssh_key"?}`` → 201
  ``{"sender", "client_id", "technical_username"}``: a configuration registered as the wizard
  would (its checks and the same store), for tests whose subject comes after a registration;
  400 with the refused fields' rule messages, 409 when the employer has one already
- ``POST /__test__/defects`` ``{"names": [...]}`` → 200: the portal starts again, empty, with these
  named defects on (and no other); 400 for an unknown name, 409 for a portal with a state file
- ``POST /__test__/restart`` ``{}`` → 200: the portal starts again as a restart of its process
  would find it: its persisted state (the state file, or a copy of the store in memory), its
  defects, its sessions and its clock kept; what it held in memory alone is gone (SENDER-1)
- ``POST /__test__/clock`` ``{"advance": seconds}`` → 200: the clock of access tokens moves
  forward, so that a token expires without the wait (OAUTH-5)

A cross-site page cannot send ``Content-Type: application/json`` without a CORS preflight the
mock never grants, which is why requiring it is enough instead of a CSRF token. A page whose own
name resolves to 127.0.0.1 (DNS rebinding) is same-origin, though: so without a token the API
answers only a Host naming the loopback (``localhost``, ``127.0.0.1``, ``[::1]``), and a portal
listening beyond the loopback does not start without a token, which every call must then carry
in ``X-Test-Api-Token``. A field of the wrong type or value is a 400 whose JSON names it.
"""

from __future__ import annotations

import base64
import binascii
import collections
import functools
import hmac
import ipaddress
import itertools
import logging
import re
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from contract.words import DEFAULT_LANGUAGE, LANGUAGES

from .certificate import sha256_hex
from .rules import ChannelValues, FieldError, contact_cleaned, ssh_key_summary
from .sessions import COOKIE_NAME
from .store import Channel
from .web import BodyError, Handler, Request, Response, json_response, parse_json

if TYPE_CHECKING:
    from .portal import Portal

MAX_NAME = 120
TOKEN_HEADER = "X-Test-Api-Token"
TOKEN_VARIABLE = "MOCKPORTAL_TEST_API_TOKEN"  # where ``python -m mockportal`` also reads the token
RECENT_LOG_LINES = 1000
_instances = itertools.count(1)


class RecentLog(logging.Handler):
    """The last lines one portal wrote to its log (in memory only), for ``GET /__test__/log``."""

    def __init__(self, size: int = RECENT_LOG_LINES):
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=size)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = f"{record.levelname} {record.getMessage()}"
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            self.lines.append(text)
        except Exception:  # noqa: BLE001 - a log line that cannot be formatted is not worth a crash
            self.handleError(record)


def recording_logger(base: logging.Logger) -> tuple[logging.Logger, RecentLog]:
    """A logger of this portal instance alone, under ``base`` (whose handlers and level still
    decide what is written), and the handler that keeps its recent lines."""
    logger = logging.getLogger(f"{base.name}.portal{next(_instances)}")
    recent = RecentLog()
    logger.addHandler(recent)
    return logger, recent


def register(router) -> None:
    options = {"session": False, "csrf": False, "form": False}
    router.add("POST", r"/__test__/employers", _guarded(create_employer), **options)
    router.add("POST", r"/__test__/sessions", _guarded(create_session), **options)
    configuration = r"/__test__/employers/(?P<number>[0-9.]+)/configuration"
    router.add("GET", configuration, _guarded(stored_configuration), **options)
    router.add("POST", configuration, _guarded(register_configuration), **options)
    router.add("GET", r"/__test__/log", _guarded(recent_log), **options)
    router.add("POST", r"/__test__/defects", _guarded(switch_defects), **options)
    router.add("POST", r"/__test__/restart", _guarded(restart), **options)
    router.add("POST", r"/__test__/clock", _guarded(move_clock), **options)


# -- who may call it ------------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (127.0.0.0/8, ::1, brackets allowed)."""
    host = host.lower().removeprefix("[").removesuffix("]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_HOST_AND_PORT = re.compile(r"(\[[^\]]*\]|[^:]*)(?::[0-9]*)?")


def exposure_problem(host: str, test_api: bool, token: str | None) -> str | None:
    """Why a portal may not listen on ``host``: its test API, which signs anyone in, reachable
    from other machines without a token. None when it may."""
    if not test_api or token or is_loopback(host):
        return None
    return (
        f"the test API (/__test__/, which signs anyone in) would answer every machine that reaches "
        f"{host or 'every address'}: give it a token (--test-api-token, or the {TOKEN_VARIABLE} "
        f"environment variable; the harness sends it as {TOKEN_HEADER}), or turn it off (--no-test-api)"
    )


def _refused(portal: Portal, request: Request) -> Response | None:
    """403 unless the caller shows the portal's token, or, without one, names a loopback Host."""
    token = portal.test_api_token
    if token:
        given = request.headers.get(TOKEN_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, token.encode("utf-8")):
            return _problem(403, f"the test API needs the {TOKEN_HEADER} header with the mock's token")
        return None
    found = _HOST_AND_PORT.fullmatch(request.headers.get("Host", ""))
    if not found or not is_loopback(found.group(1)):
        return _problem(
            403,
            "without a token the test API answers only a Host of localhost, 127.0.0.1 or [::1] "
            "(a page of another site may resolve its name to this machine)",
        )
    return None


class FieldProblem(Exception):
    """A field of a test-API body that is missing, or of the wrong type or value: a 400 naming it."""

    def __init__(self, field: str, detail: str):
        super().__init__(detail)
        self.field = field


def _guarded(handler: Handler) -> Handler:
    """The handler behind the caller check (``_refused``), a ``FieldProblem`` answered as a 400."""

    @functools.wraps(handler)
    def guarded(portal: Portal, request: Request) -> Response:
        refusal = _refused(portal, request)
        if refusal is not None:
            return refusal
        try:
            return handler(portal, request)
        except FieldProblem as problem:
            return _problem(400, str(problem), field=problem.field)

    return guarded


# -- reading bodies -------------------------------------------------------------------------------
def _json_object(request: Request) -> dict | Response:
    try:
        data = parse_json(request)
    except BodyError as error:
        return _problem(error.status, "the body must be a JSON object sent as application/json")
    if not isinstance(data, dict):
        return _problem(400, "the body must be a JSON object")
    return data


_ABSENT = object()
_TYPE_NAMES: dict[type, str] = {str: "string", list: "list", dict: "JSON object"}


def _field(data: dict, name: str, kind: type, default: object = _ABSENT, *, path: str = "") -> Any:
    """``data[name]`` if it is a ``kind``; ``default`` if it is absent (and may be)."""
    field = path + name
    if name not in data:
        if default is _ABSENT:
            raise FieldProblem(field, f"{field} is missing: give a {_TYPE_NAMES[kind]}")
        return default
    value = data[name]
    if not isinstance(value, kind):
        raise FieldProblem(field, f"{field} must be a {_TYPE_NAMES[kind]}")
    return value


def _strings(data: dict, name: str, *, path: str = "") -> list[str]:
    """``data[name]``, a list of strings (an empty one if absent)."""
    values = _field(data, name, list, [], path=path)
    if not all(isinstance(value, str) for value in values):
        raise FieldProblem(path + name, f"{path}{name} must be a list of strings")
    return values


def _problem(status: int, detail: str, *, field: str | None = None) -> Response:
    body = {"error": detail} if field is None else {"error": detail, "field": field}
    return json_response(body, status)


def create_employer(portal: Portal, request: Request) -> Response:
    data = _json_object(request)
    if isinstance(data, Response):
        return data
    name = data.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME):
        raise FieldProblem("name", f"name must be a non-empty string of at most {MAX_NAME} characters")
    language = _language(data) or DEFAULT_LANGUAGE
    employer, users = portal.store.create_employer(name=name.strip() if name else None, language=language)
    return json_response(
        {
            "employer": {
                "name": employer.name,
                "enterprise_number": employer.enterprise_number,
                "onss_number": employer.onss_number,
                "creation_date": employer.creation_date,
                "language": employer.language,
            },
            "users": users,
        },
        201,
    )


def create_session(portal: Portal, request: Request) -> Response:
    data = _json_object(request)
    if isinstance(data, Response):
        return data
    user = portal.store.user_by_username(_field(data, "username", str))
    if user is None:
        return _problem(404, "no such user")
    language = _language(data)
    if language is None:
        employer = portal.store.employer(user.employer_id)
        language = employer.language if employer else DEFAULT_LANGUAGE
    session = portal.sessions.sign_in(
        None, user_id=user.id, employer_id=user.employer_id, role=user.role, language=language
    )
    return json_response({"cookie": {"name": COOKIE_NAME, "value": session.id}}, 201)


def _language(data: dict) -> str | None:
    """``language``, one of the portal's languages; None when absent or null."""
    language = data.get("language")
    if language is None:
        return None
    if language not in LANGUAGES:
        raise FieldProblem("language", f"language must be one of {', '.join(LANGUAGES)}")
    return language


def stored_configuration(portal: Portal, request: Request) -> Response:
    """For "nothing stored" checks. Certificates appear by SHA-256 and display values only,
    SSH keys by fingerprint: no key material."""
    employer = portal.store.employer_by_number(request.params["number"])
    if employer is None:
        return _problem(404, "no such employer")
    configuration = portal.store.configuration(employer.id)
    if configuration is None:
        return json_response(None)
    channels = {}
    for kind, channel in configuration.channels.items():
        view = portal.certificates.view(channel.certificate_der)
        channels[kind] = {
            "certificate": {"sha256": channel.certificate_sha256, **asdict(view)},
            "applications": list(channel.applications),
            "ssh_key": ssh_key_summary(channel.ssh_key) if channel.ssh_key else None,
            "connection_type": channel.connection_type,
        }
    return json_response(
        {
            "sender": configuration.sender,
            "registration_date": configuration.registration_date,
            "technical_username": configuration.technical_username,
            "client_id": configuration.client_id,
            "contact": configuration.contact,
            "channels": channels,
        }
    )


def recent_log(portal: Portal, request: Request) -> Response:
    """The server's recent log lines, oldest first (a [mock] test feature: CERT-3 checks that no
    key material was ever written there)."""
    return json_response({"lines": list(portal.recent_log.lines)})


def switch_defects(portal: Portal, request: Request) -> Response:
    """Start the portal again with the named defects on (the kill matrix's switch)."""
    from .defects import DEFECTS  # the registry: names only

    data = _json_object(request)
    if isinstance(data, Response):
        return data
    names = _strings(data, "names")
    unknown = [name for name in names if name not in DEFECTS]
    if unknown:
        raise FieldProblem("names", f"names: unknown defect(s): {', '.join(unknown)}")
    if portal.store.path is not None:
        return _problem(409, "a portal with a state file keeps its state: start it afresh instead")
    if portal.swap is None:
        return _problem(409, "this portal is not served by a server that can start it again")
    restarted = portal.restarted(names)
    portal.swap(restarted)  # from now on, every request goes to the new portal
    return json_response({"defects": list(restarted.defects)})


def restart(portal: Portal, request: Request) -> Response:
    """Start the portal again on what it persists, with the same defects: a check that a rule
    holds "not across restarts either" (SENDER-1) without stopping the server."""
    data = _json_object(request)
    if isinstance(data, Response):
        return data
    if portal.swap is None:
        return _problem(409, "this portal is not served by a server that can start it again")
    restarted = portal.restarted_on_its_state()
    portal.swap(restarted)
    return json_response({"defects": list(restarted.defects), "state": "file" if restarted.store.path else "memory"})


MAX_CLOCK_ADVANCE = 10 * 366 * 24 * 3600  # ten years: far past any token's lifetime


def move_clock(portal: Portal, request: Request) -> Response:
    """Move the clock of access tokens forward by ``advance`` seconds (OAUTH-5: an expired token
    without the wait). Never back: a token once expired stays so. Assertions keep the wall clock."""
    data = _json_object(request)
    if isinstance(data, Response):
        return data
    advance = data.get("advance")
    if isinstance(advance, bool) or not isinstance(advance, int | float) or not 0 < advance <= MAX_CLOCK_ADVANCE:
        raise FieldProblem("advance", f"advance must be a number of seconds above 0 and at most {MAX_CLOCK_ADVANCE}")
    earlier = portal.oauth.clock
    portal.oauth.clock = lambda: earlier() + advance
    return json_response({"now": portal.oauth.clock()})


def register_configuration(portal: Portal, request: Request) -> Response:
    """A configuration made as "Confirmer" makes one: the contact and the channel checked by the
    wizard's rules, the certificate by CERT-1..7, then the store's one transaction (WIZ-6,
    SENDER-1). Tests use it to arrange what they do not check (sign-in is arranged the same way)."""
    data = _json_object(request)
    if isinstance(data, Response):
        return data
    employer = portal.store.employer_by_number(request.params["number"])
    if employer is None:
        return _problem(404, "no such employer")
    contact, kind = _field(data, "contact", dict), _field(data, "channel", str, "ws")
    certificate = _field(data, "certificate", str)
    applications, ssh_key = _strings(data, "applications"), _field(data, "ssh_key", str, "")
    # The contract's vocabulary (contract/words.py): title_mrs, language_nl, a list of e-mails.
    fields = {
        name: _field(contact, name, str, path="contact.").removeprefix(f"{name}_" if name == "title" else "language_")
        for name in contact
        if name != "emails"
    }
    for number, address in enumerate(_strings(contact, "emails", path="contact."), start=1):
        fields[f"email_{number}"] = address
    checked, errors = portal.rules.check_contact(fields)
    try:
        raw = certificate.encode() if certificate.lstrip().startswith("-----") else base64.b64decode(certificate)
    except (ValueError, binascii.Error):
        return _problem(400, "certificate: neither PEM nor base64 DER")
    result = portal.certificates.check(
        raw, company=employer.name, employer_id=employer.id, holder=portal.store.certificate_holder
    )
    der = result.der
    values: ChannelValues = {
        "channel": kind,
        "has_certificate": der is not None,
        "applications": applications,
        "ssh_key": ssh_key,
    }
    errors += portal.rules.check_channel(values)
    if der is None:
        errors.append(FieldError("certificate", result.error or "cert_not_certificate"))
    if errors or der is None:
        return _problem(400, "; ".join(f"{e.field}: {portal.error_text(e, DEFAULT_LANGUAGE)}" for e in errors))
    stored = portal.rules.channel_5_stored(values)
    channel = Channel(kind=kind, certificate_der=der, certificate_sha256=sha256_hex(der), **stored)
    outcome = portal.store.create_configuration(employer.id, contact_cleaned(checked), channel)
    if outcome != "created":
        return _problem(409, f"not registered: {outcome}")
    configuration = portal.store.configuration(employer.id)
    assert configuration is not None  # just created
    return json_response(
        {
            "sender": configuration.sender,
            "client_id": configuration.client_id,
            "technical_username": configuration.technical_username,
        },
        201,
    )

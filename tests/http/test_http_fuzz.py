"""Property-based fuzzing of the mock with Hypothesis: the request reader (request
line, headers, Content-Length, multipart), every form handler (any Unicode in any field), the
token endpoint (JWT-shaped or not) and the certificate reader (mutated DER and PEM files of the
suite's catalogue, ``certs.catalogue.generate``).

The property is always the same: no 5xx and no traceback; every answer is a page (or a
redirect), JSON under ``/REST/``. Requests go over kept-alive loopback connections (raw sockets
for malformed ones); the multipart and certificate readers are also driven in-process, where
thousands of examples take seconds. ``MOCK_FUZZ_PROFILE`` (``fuzzkit.py``) scales the examples.
"""

from __future__ import annotations

import base64
import http.client
import io
import json
import re
import socket
import urllib.parse
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import assume, given
from hypothesis import strategies as st

import mockportal
from certs.catalogue import generate
from mockportal.server import build_portal
from mockportal.web import BodyError, Form, parse_form
from tests.http.fuzzkit import fuzz_settings
from tests.http.mockkit import GOOD_CONTACT, Client, company_certificate, multipart, rsa_key, run_wizard
from tests.http.rawhttp import address, read_answers

TOKEN_PATH = "/REST/oauth/v5/token"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
FUZZ_COMPANY = "Fuzz Catalogue SRL"
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=80)  # anything a browser can send
pytestmark = pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")


# -- the portal and its clients ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("fuzz-catalogue"), company=FUZZ_COMPANY, seed=12)


@pytest.fixture(scope="module")
def fuzzed(catalogue):
    """A portal trusting the catalogue's CA; its log must stay free of tracebacks and 5xx."""
    stream = io.StringIO()
    with mockportal.start(port=0, trust_paths=[str(catalogue.fixture_ca_path)], log=stream) as running:
        running.log_text = stream.getvalue
        yield running
    log = stream.getvalue()
    assert "Traceback" not in log and "internal error" not in log
    assert not re.search(r" 5\d\d$", log, re.M)


class KeptAlive:
    """One kept-alive connection with a cookie jar; reconnects when the server closes."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None):
        self.host, self.port = address(base_url)
        self.cookies = dict(cookies or {})
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
                continue
            if response.will_close:
                self.connection.close()
                self.connection = None
            return response, data
        raise AssertionError("unreachable")


def assert_clear_answer(path: str, response: http.client.HTTPResponse, data: bytes) -> None:
    """No 5xx; a page or a redirect, JSON under /REST/; no raw NUL or ESC in a page."""
    assert response.status < 500, (path, response.status, data[:300])
    media = (response.getheader("Content-Type") or "").split(";")[0]
    if path.startswith("/REST/"):
        assert media in ("application/json", "application/problem+json"), (path, media)
        json.loads(data)
    elif 300 <= response.status < 400:
        assert response.getheader("Location"), path
    else:
        assert media == "text/html", (path, response.status, media)
        assert b"\x00" not in data and b"\x1b" not in data


# -- the request reader --------------------------------------------------------------------------------------
TOKEN_CHARS = st.text(
    "!#$%&'*+-.^_`|~" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=12
)
METHODS = (
    st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"]) | TOKEN_CHARS
)
PATHS = st.sampled_from(
    [
        "/",
        "/login",
        "/ready",
        "/wizard/contact",
        "/wizard/channel",
        "/static/portal.css",
        "/REST/oauth/v5/token",
        "/REST/demo/v1/hello",
        "/__test__/log",
        "*",
        "//x",
        "http://h/login",
        "/login?lang=nl",
        "/%00",
        "/%ff",
    ]
) | TEXT.map(lambda t: "/" + t)
VERSIONS = st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "http/1.1", "HTTP/1.1 ", "HTTP/1", ""])
HEADER_NAMES = (
    st.sampled_from(
        [
            "Host",
            "Content-Length",
            "Transfer-Encoding",
            "Content-Type",
            "Cookie",
            "Connection",
            "Expect",
            "Authorization",
            "X-A",
            "Content-Length ",
        ]
    )
    | TOKEN_CHARS
)
HEADER_VALUES = (
    st.sampled_from(
        [
            "x",
            "0",
            "5",
            "-1",
            "+5",
            "1_0",
            " 7 ",
            "chunked",
            "close",
            "keep-alive",
            "100-continue",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=b",
            "mockportal_session=x; mockportal_lang=nl",
            "99999999999999999999999",
            "3145728",
        ]
    )
    | TEXT
)
LINE_ENDS = st.sampled_from([b"\r\n", b"\n", b"\r"])


@st.composite
def raw_requests(draw) -> bytes:
    end = draw(st.sampled_from([b"\r\n", b"\r\n", b"\n"]))
    line = " ".join([draw(METHODS), draw(PATHS), draw(VERSIONS)]).encode("utf-8")
    if draw(st.booleans()):
        line = draw(st.binary(max_size=40)) or line
    headers = [b"Host: fuzz"] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(0, 6))):
        name, value = draw(HEADER_NAMES), draw(HEADER_VALUES)
        separator = draw(st.sampled_from([": ", ":", " : ", ":\t"]))
        headers.append(f"{name}{separator}{value}".encode())
    body = draw(st.binary(max_size=200))
    if draw(st.booleans()):
        headers.append(b"Content-Length: %d" % (len(body) + draw(st.integers(-5, 5))))
    raw = end.join([line, *headers]) + end + end + body
    if draw(st.booleans()):  # a second request on the same connection
        raw += b"GET /ready HTTP/1.1\r\nHost: fuzz\r\n\r\n"
    return raw


@fuzz_settings(250)
@given(raw=raw_requests())
def test_the_request_reader_answers_everything_with_a_clear_status(fuzzed, raw):
    with socket.create_connection(address(fuzzed.url), timeout=10) as sock:
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)  # the whole request is there: nobody waits for more
        answers = read_answers(sock)
    assert answers, raw[:200]
    for answer in answers:
        assert answer.status < 500, (raw[:300], answer.status)
        assert answer.header("X-Frame-Options") == "DENY"


# -- multipart, in-process --------------------------------------------------------------------------------
BOUNDARIES = st.sampled_from(["b", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "x y", '"quoted"', "", "a" * 71])


@st.composite
def multipart_bodies(draw) -> tuple[str, bytes]:
    fields = draw(st.dictionaries(TEXT, st.lists(TEXT, min_size=1, max_size=2), max_size=5))
    files = draw(st.dictionaries(TEXT, st.tuples(TEXT, st.binary(max_size=100)), max_size=2))
    body, content_type = multipart(fields, files)
    if draw(st.booleans()):
        content_type = "multipart/form-data; boundary=" + draw(BOUNDARIES)
    data = bytearray(body)
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if kind == "flip":
            data[position] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[position : position + draw(st.integers(1, 20))]
        elif kind == "insert":
            data[position:position] = draw(
                st.sampled_from([b"\r\n", b"--", b'"', b";", b"\r\n\r\n"]) | st.binary(max_size=10)
            )
        else:
            del data[position:]
    return content_type, bytes(data)


@fuzz_settings(500)
@given(case=multipart_bodies())
def test_the_multipart_reader_returns_a_form_or_a_400(case):
    content_type, body = case
    try:
        form = parse_form(content_type, body)
    except BodyError as error:
        assert error.status in (400, 415)
        return
    assert isinstance(form, Form)
    assert all(isinstance(v, str) for values in form.fields.values() for v in values)


# -- every form handler ------------------------------------------------------------------------------------
FIELD_NAMES = (
    st.sampled_from(
        ["action", "lang", "wizard", "channel", "applications", "ssh_key", "username", "password", *GOOD_CONTACT]
    )
    | TEXT
)
ACTIONS = st.sampled_from(["next", "previous", "language", "confirm", "cancel", ""]) | TEXT
STEP_BEFORE = {"information": 0, "contact": 1, "channel": 2, "confirmation": 3}


@st.composite
def forms(draw) -> dict[str, list[str]]:
    fields = draw(st.dictionaries(FIELD_NAMES, st.lists(TEXT, min_size=1, max_size=2), max_size=8))
    fields["action"] = [draw(ACTIONS)]
    if draw(st.booleans()):
        fields.update({name: [draw(TEXT)] for name in GOOD_CONTACT})
    return fields


class Workbench:
    """A gestionnaire local with a session, put at any wizard step before each example; and a
    second one whose employer has a configuration (for the channel pages)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.wizard = self._manager()
        self.configured = self._manager()
        assert run_wizard(self.configured.client, company_certificate(self.configured.client)).status == 303
        self.certificate = company_certificate(self.wizard.client)

    def _manager(self):
        client = Client(self.base_url)
        client.employer = client.new_employer()
        client.sign_in(client.employer["users"]["gl"]["username"], "fr")
        token = (
            client.follow(client.get("/wizard")).csrf()
            if client.get("/wizard").location != "/configuration"
            else client.get("/configuration/delete").csrf()
        )
        return type(
            "Manager", (), {"client": client, "token": token, "alive": KeptAlive(self.base_url, client.cookies)}
        )()

    def put_at(self, step: str) -> None:
        """Replay the earlier steps of the wizard with good entries (a configuration that an
        example confirmed is deleted first)."""
        client = self.wizard.client
        if client.get("/wizard").location == "/configuration":
            client.post("/configuration/delete", {"action": "confirm"}, csrf=self.wizard.token)
        client.post("/wizard/information", {"action": "next"}, csrf=self.wizard.token)
        if STEP_BEFORE[step] >= 2:
            client.post("/wizard/contact", {**GOOD_CONTACT, "action": "next"}, csrf=self.wizard.token)
        if STEP_BEFORE[step] >= 3:
            client.post(
                "/wizard/channel",
                {"channel": "ws", "action": "next"},
                csrf=self.wizard.token,
                files={"certificate": ("c.cer", self.certificate)},
            )


@pytest.fixture(scope="module")
def workbench(fuzzed):
    return Workbench(fuzzed.url)


TARGETS = st.sampled_from(
    [
        "/wizard/information",
        "/wizard/contact",
        "/wizard/channel",
        "/wizard/confirmation",
        "/channels/ftp",
        "/channels/sftp",
        "/channels/ws",
        "/configuration/delete",
        "/login",
    ]
)


@fuzz_settings(250)
@given(
    path=TARGETS,
    fields=forms(),
    upload=st.none() | st.tuples(TEXT, st.binary(max_size=300)),
    encoding=st.sampled_from(["multipart", "urlencoded"]),
    with_token=st.booleans(),
)
def test_every_form_handler_takes_any_unicode_in_any_field(
    fuzzed, workbench, path, fields, upload, encoding, with_token
):
    if path.startswith("/wizard/"):
        workbench.put_at(path.rsplit("/", 1)[1])
        manager = workbench.wizard
    elif path == "/login":
        manager = None
    else:
        manager = workbench.configured
    if manager is None:
        visitor = Client(fuzzed.url)
        token = visitor.get("/login").csrf()
        alive = KeptAlive(fuzzed.url, visitor.cookies)
    else:
        token, alive = manager.token, manager.alive
    if with_token:
        fields["csrf_token"] = [token]
    files = {"certificate": upload} if upload is not None and encoding == "multipart" else None
    if encoding == "multipart":
        body, content_type = multipart(fields, files)
    else:
        body = urllib.parse.urlencode(fields, doseq=True).encode("utf-8")
        content_type = "application/x-www-form-urlencoded"
    response, data = alive.request("POST", path, body, {"Content-Type": content_type})
    assert_clear_answer(path, response, data)


# -- the token endpoint -------------------------------------------------------------------------------------
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | TEXT
    | st.sampled_from([10**30, -1, 2**63, 1e308, "self_service_expeditor_100001"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
CLAIM_NAMES = st.sampled_from(["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "scope"]) | TEXT
CLIENT_IDS = (
    st.sampled_from(["self_service_expeditor_", "self_service_expeditor_0", "self_service_expeditor_1" + "9" * 30])
    | st.integers(0, 10**8).map(lambda n: f"self_service_expeditor_{n}")
    | TEXT
)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@st.composite
def assertions(draw, registered: tuple[str, rsa.RSAPrivateKey, str]) -> str:
    kind = draw(st.sampled_from(["text", "segments", "unsigned", "signed"]))
    if kind == "text":
        return draw(TEXT)
    if kind == "segments":
        return ".".join(b64(draw(st.binary(max_size=60))) for _ in range(draw(st.integers(1, 4))))
    client_id, key, audience = registered
    claims = draw(st.dictionaries(CLAIM_NAMES, JSON_VALUES, max_size=6))
    subject = draw(st.sampled_from([client_id]) | CLIENT_IDS)
    claims.setdefault("sub", subject)
    claims.setdefault("iss", subject)
    if draw(st.booleans()):
        claims["aud"] = audience
    if kind == "signed":
        try:
            return jwt.encode(
                claims,
                key,
                algorithm="RS256",
                headers=draw(st.dictionaries(st.sampled_from(["kid", "typ", "x5t"]), TEXT, max_size=2)),
            )
        except (TypeError, ValueError):
            assume(False)
    header = draw(
        st.dictionaries(st.sampled_from(["alg", "typ", "kid", "crit", "jku"]) | TEXT, JSON_VALUES, max_size=4)
    )
    if draw(st.booleans()):
        header["alg"] = draw(st.sampled_from(["RS256", "none", "HS256", "ES256"]))
    try:
        encoded = [b64(json.dumps(part).encode()) for part in (header, claims)]
    except (TypeError, ValueError):
        assume(False)
    return ".".join([*encoded, b64(draw(st.binary(max_size=40)))])


@pytest.fixture(scope="module")
def registered_client(fuzzed):
    manager = Client(fuzzed.url)
    manager.employer = manager.new_employer()
    manager.sign_in(manager.employer["users"]["gl"]["username"], "fr")
    key = rsa_key()
    assert run_wizard(manager, company_certificate(manager, key=key)).status == 303
    number = manager.employer["employer"]["enterprise_number"]
    client_id = Client(fuzzed.url).get(f"/__test__/employers/{number}/configuration").json()["client_id"]
    return client_id, key, fuzzed.url + TOKEN_PATH


@fuzz_settings(150)
@given(data=st.data())
def test_the_token_endpoint_answers_json_errors_to_anything(fuzzed, registered_client, data):
    form = {
        "grant_type": data.draw(st.sampled_from(["client_credentials"]) | TEXT),
        "client_assertion_type": data.draw(st.sampled_from([ASSERTION_TYPE]) | TEXT),
        "client_assertion": data.draw(assertions(registered_client)),
    }
    form.update(
        data.draw(st.dictionaries(st.sampled_from(["scope", "client_id", "client_secret"]) | TEXT, TEXT, max_size=2))
    )
    body = urllib.parse.urlencode(form).encode("utf-8")
    response, raw = KeptAlive(fuzzed.url).request(
        "POST", TOKEN_PATH, body, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert_clear_answer(TOKEN_PATH, response, raw)
    answer = json.loads(raw)
    assert response.status == 200 or (response.status in (400, 401) and answer["error"])


# -- the certificate reader -------------------------------------------------------------------------------------
def mutate(draw, data: bytes) -> bytes:
    """Mutations of a file: DER bytes flipped, cut, inserted, truncated; PEM ones under their
    Base64, so that the certificate structure is what gets hit."""
    found = re.search(rb"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END", data, re.S)
    inner = base64.b64decode(b"".join(found.group(2).split())) if found and draw(st.booleans()) else None
    target = bytearray(inner if inner is not None else data)
    for _ in range(draw(st.integers(1, 4))):
        if not target:
            break
        position = draw(st.integers(0, len(target) - 1))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "length"]))
        if kind == "flip":
            target[position] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del target[position : position + draw(st.integers(1, 40))]
        elif kind == "insert":
            target[position:position] = draw(st.binary(min_size=1, max_size=20))
        elif kind == "length":
            target[position] = draw(st.sampled_from([0x00, 0x7F, 0x80, 0x81, 0x84, 0x85, 0xFF]))
        else:
            del target[position:]
    if inner is None:
        return bytes(target)
    assert found is not None  # inner is what it armoured
    armoured = base64.encodebytes(bytes(target))
    return data[: found.start(2)] + armoured + data[found.end(2) :]


@st.composite
def mutated_files(draw, paths: list[Path]) -> bytes:
    return mutate(draw, draw(st.sampled_from(paths)).read_bytes())


def catalogue_files(catalogue) -> list[Path]:
    paths = {entry.path for entry in catalogue}
    paths |= {entry.key_path for entry in catalogue if entry.key_path is not None}
    return sorted(paths)


@pytest.fixture(scope="module")
def checker(catalogue):
    portal = build_portal(trust_paths=[str(catalogue.fixture_ca_path)])
    yield portal.certificates
    portal.store.close()


@fuzz_settings(500)
@given(data=st.data())
def test_the_certificate_reader_refuses_or_accepts_mutated_files_without_error(catalogue, checker, data):
    upload = data.draw(mutated_files(catalogue_files(catalogue)))
    result = checker.check(upload, company=FUZZ_COMPANY, employer_id=1)
    assert (result.der is None) != (result.error is None)
    if result.der is not None:
        view = checker.view(result.der)
        assert all(isinstance(value, str) for value in vars(view).values())


@fuzz_settings(40)
@given(data=st.data())
def test_mutated_certificates_uploaded_on_the_channel_step(fuzzed, catalogue, data):
    upload = data.draw(mutated_files(catalogue_files(catalogue)))
    client = Client(fuzzed.url)
    client.employer = client.new_employer(name=FUZZ_COMPANY)
    client.sign_in(client.employer["users"]["gl"]["username"], "fr")
    client.post("/wizard/information", {"action": "next"})
    client.post("/wizard/contact", {**GOOD_CONTACT, "action": "next"})
    reply = client.post(
        "/wizard/channel", {"channel": "ws", "action": "next"}, files={"certificate": ("fuzz.cer", upload)}
    )
    assert reply.status in (303, 422), (reply.status, reply.text[:300])
    if reply.status == 303:
        page = client.get("/wizard/confirmation")
        assert page.status == 200 and b"\x00" not in page.body

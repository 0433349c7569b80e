"""The OAuth client of a registered Web Service channel, end to end (OAUTH-1..5, RESULT-3, DELETE-1).

The browser registers the channel with a catalogue certificate; the test reads the client id on
the overview, signs client assertions with the certificate's private key (``certs.token``), asks
``<base URL>/REST/oauth/v5/token`` for a token and calls the demo service — over plain HTTP.

One registration per worker (``shared_registration``) serves every check that does not delete it.
An expired *access token* needs its ``expires_in`` to pass: on a target whose clock the suite can
move (``CanMoveClock``, the bundled mock), moved; elsewhere not verifiable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from playwright.sync_api import expect

from certs.token import client_assertion, post_form, token_request_body
from harness.target import CanMoveClock
from pages import HomePage, OverviewPage

pytestmark = [pytest.mark.browser, pytest.mark.mutating, pytest.mark.focused]

TOKEN_PATH = "/REST/oauth/v5/token"
DEMO_PATH = "/REST/demo/v1/hello"
SCOPE = "scope:demo:consult"
CLIENT_ID_PREFIX = "self_service_expeditor_"


@dataclass(frozen=True)
class Registered:
    """A registered Web Service channel's OAuth client, as the overview shows it."""

    client_id: str
    sender: str
    key: rsa.RSAPrivateKey
    token_url: str  # the target's: on the real portal another host than the screens'
    services_url: str

    @property
    def base_url(self) -> str:
        """The token endpoint's host, for the near misses of ``aud``."""
        return self.token_url.removesuffix(TOKEN_PATH)

    @property
    def demo_url(self) -> str:
        return self.services_url.rstrip("/") + DEMO_PATH

    def assertion(self, **claims) -> str:
        return client_assertion(self.client_id, self.key, self.token_url, **claims)

    def ask(self, assertion: str | None, **fields) -> tuple[int, dict]:
        return post_form(self.token_url, token_request_body(assertion, **fields))

    def token(self, **fields) -> str:
        status, answer = self.ask(self.assertion(), **fields)
        assert status == 200, f"a valid assertion gets no token: {status} {answer}"
        return answer["access_token"]


def _registered(overview: OverviewPage, certificate, target) -> Registered:
    return Registered(
        overview.web_service()["oauth_client"],
        overview.technical_user()["sender_number"],
        certificate.private_key(),
        target.token_url,
        target.services_url,
    )


@pytest.fixture
def client(shared_registration, target) -> Registered:
    """The worker's registered configuration's OAuth client (tests never delete it)."""
    return Registered(
        shared_registration.client_id,
        shared_registration.sender,
        shared_registration.certificate.private_key(),
        target.token_url,
        target.services_url,
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _handmade(header: dict, claims: dict, sign) -> str:
    """A JWT built by hand (an attacker's tools do not refuse what PyJWT refuses)."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{_b64(sign(signing_input.encode()))}"


def _claims(client: Registered, **changes) -> dict:
    now = int(time.time())
    claims = {
        "iss": client.client_id,
        "sub": client.client_id,
        "aud": client.token_url,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "exp": now + 60,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _public_pem(client: Registered) -> bytes:
    return client.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def call_demo(url: str, authorization: str | None = None) -> tuple[int, str, dict | str]:
    """GET the demo service: status, media type, the JSON answer (or the text when not JSON)."""
    headers = {"Authorization": authorization} if authorization is not None else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, content_type, body = response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        status, content_type, body = error.code, error.headers.get("Content-Type", ""), error.read()
    media = content_type.split(";", 1)[0].strip().lower()
    try:
        return status, media, json.loads(body)
    except ValueError:
        return status, media, body.decode("utf-8", "replace")


def assert_refused(status: int, answer: dict, error: str) -> None:
    """OAUTH-4: the status that goes with the error code, and an RFC 6749 JSON body."""
    expected = 401 if error == "invalid_client" else 400
    assert (status, answer.get("error")) == (expected, error), answer
    assert isinstance(answer.get("error_description"), str) and answer["error_description"], answer


def assert_problem_401(status: int, media: str, body) -> None:
    """OAUTH-5: 401 as RFC 9457 problem details."""
    assert status == 401, body
    assert media == "application/problem+json", (media, body)
    assert isinstance(body, dict) and body.get("status") == 401 and body.get("title"), body


# -- success ----------------------------------------------------------------------------------------
@pytest.mark.rules("OAUTH-1", "OAUTH-2", "OAUTH-3", "OAUTH-5", "RESULT-3")
def test_the_registered_client_gets_a_token_and_calls_the_demo_service(client: Registered) -> None:
    assert client.client_id == f"{CLIENT_ID_PREFIX}{client.sender}"

    status, answer = client.ask(client.assertion())

    assert status == 200, answer
    assert isinstance(answer.get("access_token"), str) and answer["access_token"], answer
    assert answer.get("token_type") == "Bearer", answer
    assert isinstance(answer.get("expires_in"), int) and answer["expires_in"] > 0, answer
    assert answer.get("scope") == SCOPE, answer  # [mock] granted when none is asked for

    status, media, body = call_demo(client.demo_url, f"Bearer {answer['access_token']}")
    assert (status, media) == (200, "application/json"), body


@pytest.mark.rules("OAUTH-1", "OAUTH-3")
def test_the_demo_scope_asked_for_is_granted(client: Registered) -> None:
    status, answer = client.ask(client.assertion(), scope=SCOPE)
    assert status == 200, answer
    assert answer.get("scope") == SCOPE and answer.get("token_type") == "Bearer", answer


@pytest.mark.rules("OAUTH-1", "OAUTH-3")
def test_an_empty_scope_asks_for_none(client: Registered) -> None:
    """``scope=``: a parameter sent without a value is one omitted (RFC 6749 §3.2), and the scope
    is optional: [mock] the one scope granted, as when none is asked for."""
    status, answer = client.ask(client.assertion(), scope="")
    assert status == 200, answer
    assert answer.get("scope") == SCOPE and answer.get("token_type") == "Bearer", answer


# -- refused assertions (OAUTH-2 → invalid_client) -----------------------------------------------------------
def _wrong_key(client):
    return client_assertion(
        client.client_id, rsa.generate_private_key(public_exponent=65537, key_size=2048), client.token_url
    )


def _alg_none(client):
    return _handmade({"alg": "none", "typ": "JWT"}, _claims(client), lambda data: b"")


def _hs256_public_key(client):
    secret = _public_pem(client)
    return _handmade(
        {"alg": "HS256", "typ": "JWT"}, _claims(client), lambda data: hmac.new(secret, data, hashlib.sha256).digest()
    )


def _unknown_client(client):
    unknown = client.client_id + "0"  # seven digits: no sender has that many (SENDER-1)
    return client_assertion(unknown, client.key, client.token_url)


BAD_ASSERTIONS = {
    "wrong key": _wrong_key,
    "wrong aud": lambda c: c.assertion(aud=c.base_url.rstrip("/") + "/REST/oauth/v4/token"),
    "aud of another server": lambda c: c.assertion(aud="https://services-acpt.socialsecurity.be" + TOKEN_PATH),
    "expired": lambda c: c.assertion(iat=int(time.time()) - 300, exp=int(time.time()) - 120),
    "iat in the future": lambda c: c.assertion(iat=int(time.time()) + 300, exp=int(time.time()) + 360),
    "missing iss": lambda c: c.assertion(iss=None),
    "missing sub": lambda c: c.assertion(sub=None),
    "missing jti": lambda c: c.assertion(jti=None),
    "missing exp": lambda c: c.assertion(exp=None),
    "iss other than sub": lambda c: c.assertion(iss=CLIENT_ID_PREFIX + "1"),
    "alg none": _alg_none,
    "HS256 keyed with the public key": _hs256_public_key,
    "unknown client": _unknown_client,
    "not a JWT": lambda c: "not.a.jwt",
}


@pytest.mark.rules("OAUTH-2", "OAUTH-4")
@pytest.mark.parametrize("make", list(BAD_ASSERTIONS.values()), ids=list(BAD_ASSERTIONS))
def test_an_invalid_assertion_is_refused_as_invalid_client(client: Registered, make) -> None:
    status, answer = client.ask(make(client))
    assert_refused(status, answer, "invalid_client")


def _other_scheme(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(scheme="https" if parts.scheme == "http" else "http"))


def _signed_as(client_id) -> Callable[[Registered], str]:
    """An assertion whose iss and sub are both ``client_id(client)``, signed with the client's key."""
    return lambda c: client_assertion(client_id(c), c.key, c.token_url)


# Near misses: a claim that a careless comparison (a prefix, a case-folded or trimmed string, a
# URL made canonical) would take for the right one. RFC 7519 compares them as they are.
NEAR_MISSES = {
    "aud without the path": lambda c: c.assertion(aud=c.base_url.rstrip("/")),
    "aud the base URL with a slash": lambda c: c.assertion(aud=c.base_url.rstrip("/") + "/"),
    "aud with a trailing slash": lambda c: c.assertion(aud=c.token_url + "/"),
    "aud with another scheme": lambda c: c.assertion(aud=_other_scheme(c.token_url)),
    "aud with the path in lower case": lambda c: c.assertion(aud=c.base_url.rstrip("/") + TOKEN_PATH.lower()),
    "aud the path alone": lambda c: c.assertion(aud=TOKEN_PATH),
    "sub in upper case": lambda c: c.assertion(sub=c.client_id.upper()),
    "iss in upper case": lambda c: c.assertion(iss=c.client_id.upper()),
    "iss and sub in upper case": _signed_as(lambda c: c.client_id.upper()),
    "iss and sub with a trailing space": _signed_as(lambda c: c.client_id + " "),
    "iss and sub with a zero before the sender": _signed_as(lambda c: f"{CLIENT_ID_PREFIX}0{c.sender}"),
    "iss and sub the sender number alone": _signed_as(lambda c: c.sender),
    "iss and sub without the last underscore": _signed_as(lambda c: CLIENT_ID_PREFIX.rstrip("_") + c.sender),
}


@pytest.mark.rules("OAUTH-2", "OAUTH-4")
@pytest.mark.parametrize("make", list(NEAR_MISSES.values()), ids=list(NEAR_MISSES))
def test_a_near_miss_claim_is_refused_as_invalid_client(client: Registered, make) -> None:
    status, answer = client.ask(make(client))
    assert_refused(status, answer, "invalid_client")


def _from_now(offsets: dict[str, int]) -> dict[str, int]:
    """Time claims this many seconds from now (read when the assertion is made)."""
    now = int(time.time())
    return {name: now + offset for name, offset in offsets.items()}


# [mock] 10 minutes at most for exp, 30 seconds of clock skew: each limit with a value on
# either side, 10 seconds or more from it. nbf is not in the contract; RFC 7523 (3) says an
# assertion is not accepted before it: [mock] too, read with the same skew.
TIMES_INSIDE = {
    "exp in 10 s": dict(exp=10),
    "exp in 9 min 50 s": dict(exp=590),
    "iat in 20 s": dict(iat=20, exp=80),
    "nbf in 20 s": dict(nbf=20, exp=80),
    "nbf a minute ago": dict(nbf=-60, iat=-60, exp=60),
}
TIMES_OUTSIDE = {
    "exp 40 s ago": dict(iat=-100, exp=-40),
    "exp in 11 min": dict(exp=660),
    "iat in 40 s": dict(iat=40, exp=100),
    "nbf in 40 s": dict(nbf=40, exp=100),
    "nbf in an hour": dict(nbf=3600, exp=300),
}


@pytest.mark.mock_only
@pytest.mark.rules("OAUTH-2", "OAUTH-3")
@pytest.mark.parametrize("times", list(TIMES_INSIDE.values()), ids=list(TIMES_INSIDE))
def test_time_claims_inside_their_limits_are_accepted(client: Registered, times) -> None:
    status, answer = client.ask(client.assertion(**_from_now(times)))
    assert status == 200, answer
    assert answer.get("token_type") == "Bearer", answer


@pytest.mark.mock_only
@pytest.mark.rules("OAUTH-2", "OAUTH-4")
@pytest.mark.parametrize("times", list(TIMES_OUTSIDE.values()), ids=list(TIMES_OUTSIDE))
def test_time_claims_outside_their_limits_are_refused(client: Registered, times) -> None:
    status, answer = client.ask(client.assertion(**_from_now(times)))
    assert_refused(status, answer, "invalid_client")


@pytest.mark.rules("OAUTH-2", "OAUTH-3")
def test_an_assertion_without_iat_is_accepted(client: Registered) -> None:
    status, answer = client.ask(client.assertion(iat=None))  # iat: "when present"
    assert status == 200, answer


@pytest.mark.mock_only
@pytest.mark.rules("OAUTH-2", "OAUTH-4")
def test_an_assertion_valid_for_more_than_ten_minutes_is_refused(client: Registered) -> None:
    status, answer = client.ask(client.assertion(exp=int(time.time()) + 3600))  # [mock] at most 10 minutes
    assert_refused(status, answer, "invalid_client")


@pytest.mark.rules("OAUTH-2", "OAUTH-4")
def test_a_reused_jti_is_refused(client: Registered) -> None:
    jti = str(uuid.uuid4())
    status, answer = client.ask(client.assertion(jti=jti))
    assert status == 200, f"the first use of a jti is refused: {status} {answer}"

    status, answer = client.ask(client.assertion(jti=jti))  # a new assertion, the same jti
    assert_refused(status, answer, "invalid_client")


@pytest.mark.rules("OAUTH-2", "OAUTH-4")
def test_the_same_assertion_twice_is_refused(client: Registered) -> None:
    assertion = client.assertion()
    assert client.ask(assertion)[0] == 200
    status, answer = client.ask(assertion)
    assert_refused(status, answer, "invalid_client")


@pytest.mark.rules("OAUTH-2", "OAUTH-4")
def test_another_clients_certificate_does_not_authenticate(
    client: Registered, target, browser, employer, person, catalogue, sign_in, words, base_url
) -> None:
    """Signed with the key of a certificate registered for another employer: refused."""
    second_certificate = catalogue.fresh("valid-second-key")  # a key of its own
    target.register(browser, employer, person, second_certificate.path)
    overview = HomePage(sign_in(employer), words).loaded().open_overview()
    other = _registered(overview, second_certificate, target)
    assert other.client_id != client.client_id
    assert other.token()  # that key works for its own client

    status, answer = client.ask(client_assertion(client.client_id, other.key, client.token_url))
    assert_refused(status, answer, "invalid_client")


# -- refused requests ---------------------------------------------------------------------------------------
@pytest.mark.rules("OAUTH-1", "OAUTH-4")
def test_a_missing_or_wrong_assertion_type_is_invalid_request(client: Registered) -> None:
    for assertion_type in (None, "urn:ietf:params:oauth:client-assertion-type:saml2-bearer", ""):
        status, answer = client.ask(client.assertion(), assertion_type=assertion_type)
        assert_refused(status, answer, "invalid_request")


@pytest.mark.rules("OAUTH-1", "OAUTH-4")
def test_a_missing_assertion_is_invalid_client(client: Registered) -> None:
    status, answer = client.ask(None)
    assert_refused(status, answer, "invalid_client")


@pytest.mark.rules("OAUTH-1", "OAUTH-4")
def test_another_grant_type_is_unsupported(client: Registered) -> None:
    status, answer = client.ask(client.assertion(), grant_type="password")
    assert_refused(status, answer, "unsupported_grant_type")


@pytest.mark.mock_only
@pytest.mark.rules("OAUTH-1", "OAUTH-4")
def test_another_scope_is_invalid_scope(client: Registered) -> None:
    status, answer = client.ask(client.assertion(), scope="scope:demo:write")
    assert_refused(status, answer, "invalid_scope")


@pytest.mark.rules("OAUTH-1", "OAUTH-4")
def test_a_client_secret_does_not_replace_the_assertion(client: Registered) -> None:
    """No client secret (OAUTH-1). RFC 6749 §5.2 allows two readings of a secret sent instead of an
    assertion: an unsupported authentication method (401 invalid_client, the mock's answer) or a
    request without client_assertion_type (400 invalid_request); either, with the status that goes with it."""
    body = token_request_body(None, assertion_type=None, client_id=client.client_id, client_secret="secret")
    status, answer = post_form(client.token_url, body)
    assert answer.get("error") in ("invalid_client", "invalid_request"), (status, answer)
    assert_refused(status, answer, answer["error"])


# -- the demo service (OAUTH-5) --------------------------------------------------------------------------
@pytest.mark.rules("OAUTH-5")
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer forged-" + "x" * 40, "Basic dXNlcjpwYXNz"],
    ids=["no token", "forged token", "basic credentials"],
)
def test_the_demo_service_refuses_without_a_valid_token(client: Registered, authorization) -> None:
    assert_problem_401(*call_demo(client.demo_url, authorization))


@pytest.mark.rules("OAUTH-5")
def test_the_demo_service_refuses_an_altered_token(client: Registered) -> None:
    token = client.token()
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert call_demo(client.demo_url, f"Bearer {token}")[0] == 200
    assert_problem_401(*call_demo(client.demo_url, f"Bearer {altered}"))


@pytest.fixture
def clock(target) -> CanMoveClock:
    """The target, when the suite can move its portal's clock (before anything is registered)."""
    if not isinstance(target, CanMoveClock):
        pytest.skip("not verifiable on this target: the suite cannot move its clock, and a token lives its expires_in")
    return target


@pytest.mark.rules("OAUTH-5")
def test_the_demo_service_refuses_an_expired_token(clock: CanMoveClock, client: Registered) -> None:
    status, answer = client.ask(client.assertion())
    assert status == 200, answer
    token, lifetime = answer["access_token"], answer["expires_in"]
    assert call_demo(client.demo_url, f"Bearer {token}")[0] == 200

    clock.advance_clock(lifetime + 1)

    assert_problem_401(*call_demo(client.demo_url, f"Bearer {token}"))


# -- deletion (DELETE-1) -------------------------------------------------------------------------------------
@pytest.mark.rules("DELETE-1", "OAUTH-4", "OAUTH-5")
def test_deleting_the_configuration_disables_the_client_at_once(fresh_registration, certificate, target) -> None:
    overview = fresh_registration
    client = _registered(overview, certificate, target)
    token = client.token()
    assert call_demo(client.demo_url, f"Bearer {token}")[0] == 200

    home_after = overview.open_deletion().confirm()
    expect(home_after.no_active_sender).to_be_visible()

    status, answer = client.ask(client.assertion())
    assert_refused(status, answer, "invalid_client")
    assert_problem_401(*call_demo(client.demo_url, f"Bearer {token}"))

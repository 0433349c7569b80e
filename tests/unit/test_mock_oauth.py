"""The mock's OAuth side without a server: assertion checks, replay cache, access tokens, the
handlers' answers, and each OAuth defect making its check misbehave (OAUTH-1..5, DELETE-1)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from mockportal import oauth
from mockportal.defects import DEFECTS, apply_defects
from mockportal.portal import Portal
from mockportal.store import Channel, Store
from mockportal.web import Headers, Request, Response
from tests.http.mockkit import der, rsa_key, self_signed

BASE = "http://portal.test:8000"
TOKEN_URL = BASE + oauth.TOKEN_PATH
KEY = rsa_key()
OTHER_KEY = rsa_key(2048, 4)
MALFORMED_ID = "self_service_expeditor_0123"  # a leading zero: no sender is written so


# -- helpers ---------------------------------------------------------------------------------------------
def make_request(
    path: str = oauth.TOKEN_PATH, *, method: str = "POST", body: bytes = b"", headers: dict[str, str] | None = None
) -> Request:
    return Request(
        method=method,
        path=path,
        query={},
        headers=Headers((headers or {}).items()),
        session=None,
        language="fr",
        body=body,
    )


def form_request(fields: dict[str, str | None], headers: dict[str, str] | None = None) -> Request:
    body = urllib.parse.urlencode({k: v for k, v in fields.items() if v is not None}).encode()
    return make_request(body=body, headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})


def register(portal: Portal, key=KEY) -> str:
    """A configuration with a Web Service channel whose certificate holds ``key``; its client id."""
    employer, _ = portal.store.create_employer(name=None, language="fr")
    certificate = der(self_signed(employer.name, key=key))
    channel = Channel("ws", certificate, hashlib.sha256(certificate).hexdigest(), connection_type="Internet")
    assert portal.store.create_configuration(employer.id, {"last_name": "Peeters"}, channel) == "created"
    portal.registered_employer = employer.id  # type: ignore[attr-defined]
    configuration = portal.store.configuration(employer.id)
    assert configuration is not None
    return configuration.client_id


def assertion(client_id: str, key=KEY, **changes) -> str:
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": TOKEN_URL,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "exp": now + 60,
        **changes,
    }
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key, algorithm="RS256")


def handmade(header: dict, claims: dict, sign) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64(sign(signing_input.encode()))}"


def good_claims(client_id: str) -> dict:
    now = int(time.time())
    return {"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "jti": str(uuid.uuid4()), "iat": now, "exp": now + 60}


def ask(portal: Portal, token_assertion: str | None, **fields) -> tuple[int, dict, Response]:
    body = {
        "grant_type": "client_credentials",
        "client_assertion_type": oauth.ASSERTION_TYPE,
        "client_assertion": token_assertion,
        **fields,
    }
    response = oauth.token_endpoint(portal, form_request(body))
    return response.status, json.loads(response.body), response


def demo(portal: Portal, authorization: str | None) -> Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return oauth.demo_hello(portal, make_request(oauth.DEMO_PATH, method="GET", headers=headers))


@pytest.fixture
def portal():
    made = Portal(store=Store())
    made.oauth.base_url = BASE
    yield made
    made.store.close()


@pytest.fixture
def client_id(portal) -> str:
    return register(portal)


# -- the assertion (OAUTH-2) ---------------------------------------------------------------------------------
@pytest.mark.rules("OAUTH-2")
def test_a_valid_assertion_names_its_client(portal, client_id):
    assert portal.oauth.verify_assertion(assertion(client_id), TOKEN_URL) == client_id


def _alg_none(client_id):
    return handmade({"alg": "none", "typ": "JWT"}, good_claims(client_id), lambda data: b"")


def _hs256(client_id):
    secret = KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return handmade(
        {"alg": "HS256", "typ": "JWT"},
        good_claims(client_id),
        lambda data: hmac.new(secret, data, hashlib.sha256).digest(),
    )


def _rs512(client_id):
    return jwt.encode(good_claims(client_id), KEY, algorithm="RS512")


def _ps256(client_id):
    return jwt.encode(good_claims(client_id), KEY, algorithm="PS256")


REFUSED = {
    "wrong key": (lambda c: assertion(c, OTHER_KEY), "signature"),
    "alg none": (_alg_none, "RS256"),
    "HS256 with the public key": (_hs256, "RS256"),
    "RS512": (_rs512, "RS256"),
    "PS256": (_ps256, "RS256"),
    "wrong aud": (lambda c: assertion(c, aud=BASE + "/REST/oauth/v4/token"), "aud"),
    "aud of another host": (lambda c: assertion(c, aud="http://other.test:8000" + oauth.TOKEN_PATH), "aud"),
    "no aud": (lambda c: assertion(c, aud=None), "aud"),
    "expired beyond the skew": (
        lambda c: assertion(c, iat=int(time.time()) - 300, exp=int(time.time()) - 45),
        "expired",
    ),
    "exp 11 minutes ahead": (lambda c: assertion(c, exp=int(time.time()) + 600 + 45), "10 minutes"),
    "iat in the future beyond the skew": (lambda c: assertion(c, iat=int(time.time()) + 45), "not valid yet"),
    "nbf in the future": (lambda c: assertion(c, nbf=int(time.time()) + 120), "not valid yet"),
    "exp as a string": (lambda c: assertion(c, exp=str(int(time.time()) + 60)), "number"),
    "no iss": (lambda c: assertion(c, iss=None), "iss"),
    "no sub": (lambda c: assertion(c, sub=None), "sub"),
    "no jti": (lambda c: assertion(c, jti=None), "jti"),
    "no exp": (lambda c: assertion(c, exp=None), "exp"),
    "empty jti": (lambda c: assertion(c, jti=""), "jti"),
    "iss other than sub": (lambda c: assertion(c, iss="self_service_expeditor_1"), "iss"),
    "unknown client": (lambda c: assertion(c + "0", sub=c + "0", iss=c + "0"), "unknown client"),
    "malformed client id": (lambda c: assertion(c, sub=MALFORMED_ID, iss=MALFORMED_ID), "unknown client"),
    "not a JWT": (lambda c: "not-a-jwt", "not a JWT"),
    "garbage segments": (lambda c: "e30.e30.AAAA", "RS256"),
}


@pytest.mark.rules("OAUTH-2", "OAUTH-4")
@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_an_invalid_assertion_is_invalid_client(portal, client_id, case):
    make, reason = REFUSED[case]
    with pytest.raises(oauth.OAuthError) as caught:
        portal.oauth.verify_assertion(make(client_id), TOKEN_URL)
    assert caught.value.error == "invalid_client" and caught.value.status == 401
    assert reason in caught.value.description


@pytest.mark.rules("OAUTH-2")
def test_the_skew_is_thirty_seconds_either_way(portal, client_id):
    now = int(time.time())
    for claims in ({"exp": now - 15, "iat": now - 100}, {"iat": now + 15}, {"exp": now + 600 + 15}):
        assert portal.oauth.verify_assertion(assertion(client_id, **claims), TOKEN_URL) == client_id, claims


@pytest.mark.rules("OAUTH-2")
def test_iat_is_optional_and_aud_may_be_a_list(portal, client_id):
    assert portal.oauth.verify_assertion(assertion(client_id, iat=None), TOKEN_URL) == client_id
    assert portal.oauth.verify_assertion(assertion(client_id, aud=[TOKEN_URL, "x"]), TOKEN_URL) == client_id


@pytest.mark.rules("OAUTH-2", "OAUTH-4")
def test_a_jti_is_refused_while_its_assertion_is_valid_and_per_client(portal, client_id):
    other = register(portal, OTHER_KEY)
    jti = "same-jti"
    assert portal.oauth.verify_assertion(assertion(client_id, jti=jti), TOKEN_URL) == client_id
    with pytest.raises(oauth.OAuthError, match="jti"):
        portal.oauth.verify_assertion(assertion(client_id, jti=jti), TOKEN_URL)
    assert portal.oauth.verify_assertion(assertion(other, OTHER_KEY, jti=jti), TOKEN_URL) == other


@pytest.mark.rules("OAUTH-2")
def test_a_refused_assertion_does_not_burn_its_jti(portal, client_id):
    """Only a verified assertion records its jti: nobody can block a client's jti values."""
    with pytest.raises(oauth.OAuthError):
        portal.oauth.verify_assertion(assertion(client_id, OTHER_KEY, jti="j1"), TOKEN_URL)
    assert portal.oauth.verify_assertion(assertion(client_id, jti="j1"), TOKEN_URL) == client_id


def test_the_replay_cache_forgets_expired_entries_and_is_thread_safe():
    cache = oauth.ReplayCache(Store())  # kept in the store: it survives a restart
    assert cache.first_use("c", "j", until=100.0, now=50.0)
    assert not cache.first_use("c", "j", until=100.0, now=99.0)
    assert cache.first_use("c", "j", until=300.0, now=101.0)  # expired: gone, may come again
    assert len(cache) == 1
    results: list[bool] = []
    barrier = threading.Barrier(16)

    def worker():
        barrier.wait()
        results.append(cache.first_use("c", "race", until=1e12, now=time.time()))

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1


# -- the token endpoint (OAUTH-1, OAUTH-3, OAUTH-4) ---------------------------------------------------
@pytest.mark.rules("OAUTH-1", "OAUTH-3")
def test_a_token_with_the_default_scope(portal, client_id):
    status, body, response = ask(portal, assertion(client_id))
    assert status == 200
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == oauth.TOKEN_LIFETIME
    assert body["scope"] == oauth.SCOPE and len(body["access_token"]) >= 40
    assert response.content_type.startswith("application/json")
    assert ("Cache-Control", "no-store") in response.headers


@pytest.mark.rules("OAUTH-3")
def test_the_token_lifetime_is_a_setting(portal, client_id):
    portal.oauth.token_lifetime = 120
    assert ask(portal, assertion(client_id))[1]["expires_in"] == 120


def _fields(**changes):
    return changes


REQUEST_ERRORS = {
    "no grant_type": (_fields(grant_type=None), 400, "invalid_request"),
    "password grant": (_fields(grant_type="password"), 400, "unsupported_grant_type"),
    "no assertion type": (_fields(client_assertion_type=None), 400, "invalid_request"),
    "wrong assertion type": (_fields(client_assertion_type="urn:x"), 400, "invalid_request"),
    "no assertion": (_fields(client_assertion=None), 401, "invalid_client"),
    "empty assertion": (_fields(client_assertion=""), 401, "invalid_client"),
    "other scope": (_fields(scope="scope:demo:write"), 400, "invalid_scope"),
    "two scopes": (_fields(scope=f"{oauth.SCOPE} openid"), 400, "invalid_scope"),
    "secret and assertion": (_fields(client_secret="s"), 400, "invalid_request"),
    "secret only": (
        _fields(client_secret="s", client_assertion=None, client_assertion_type=None),
        401,
        "invalid_client",
    ),
    "client_id of another": (_fields(client_id="self_service_expeditor_1"), 401, "invalid_client"),
}


@pytest.mark.rules("OAUTH-1", "OAUTH-4")
@pytest.mark.parametrize("case", list(REQUEST_ERRORS), ids=list(REQUEST_ERRORS))
def test_request_errors(portal, client_id, case):
    changes, status, error = REQUEST_ERRORS[case]
    fields = {
        "grant_type": "client_credentials",
        "client_assertion_type": oauth.ASSERTION_TYPE,
        "client_assertion": assertion(client_id),
        **changes,
    }
    response = oauth.token_endpoint(portal, form_request(fields))
    body = json.loads(response.body)
    assert (response.status, body["error"]) == (status, error)
    assert set(body) == {"error", "error_description"} and body["error_description"].isascii()
    assert '"' not in body["error_description"] and "\\" not in body["error_description"]  # RFC 6749 §5.2


@pytest.mark.rules("OAUTH-1", "OAUTH-4")
def test_the_scope_asked_for_and_a_matching_client_id_are_fine(portal, client_id):
    assert ask(portal, assertion(client_id), scope=oauth.SCOPE, client_id=client_id)[0] == 200


@pytest.mark.rules("OAUTH-4")
def test_body_errors(portal, client_id):
    json_body = make_request(body=b"{}", headers={"Content-Type": "application/json"})
    repeated = make_request(
        body=b"grant_type=client_credentials&grant_type=client_credentials",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    not_utf8 = make_request(body=b"grant_type=\xff", headers={"Content-Type": "application/x-www-form-urlencoded"})
    basic = form_request({"grant_type": "client_credentials"}, headers={"Authorization": "Basic eDp5"})
    for request, status, error in (
        (json_body, 400, "invalid_request"),
        (repeated, 400, "invalid_request"),
        (not_utf8, 400, "invalid_request"),
        (basic, 401, "invalid_client"),
    ):
        response = oauth.token_endpoint(portal, request)
        assert (response.status, json.loads(response.body)["error"]) == (status, error)


def test_the_audience_is_the_printed_url_or_else_the_host_header(portal):
    request = make_request(headers={"Host": "evil.test"})
    assert portal.oauth.token_url(request) == TOKEN_URL  # a Host header cannot change it
    portal.oauth.base_url = None
    for host in ("0.0.0.0:8000", "[::1]:8000", "portal.test"):
        assert portal.oauth.token_url(make_request(headers={"Host": host})) == f"http://{host}{oauth.TOKEN_PATH}"
    assert portal.oauth.token_url(make_request(headers={"Host": "a b/c"})) == ""


# -- access tokens and the demo service (OAUTH-5, DELETE-1) -----------------------------------------------
@pytest.mark.rules("OAUTH-5")
def test_the_demo_service_with_and_without_a_valid_token(portal, client_id):
    token = ask(portal, assertion(client_id))[1]["access_token"]
    ok = demo(portal, f"Bearer {token}")
    assert ok.status == 200 and json.loads(ok.body)["hello"] == client_id
    assert demo(portal, f"bearer   {token}").status == 200  # the scheme is case-insensitive (RFC 7235)
    for authorization, detail in (
        (None, "no bearer token"),
        ("Basic eDp5", "not a bearer token"),
        ("Bearer", "not a bearer token"),
        ("Bearer forged", "unknown"),
        (f"Bearer {token}x", "unknown"),
    ):
        response = demo(portal, authorization)
        problem = json.loads(response.body)
        assert response.status == 401 and response.content_type.startswith("application/problem+json")
        assert problem["status"] == 401 and problem["type"] == "about:blank" and problem["title"]
        assert detail in problem["detail"]
        assert any(name == "WWW-Authenticate" and value.startswith("Bearer") for name, value in response.headers)


@pytest.mark.rules("OAUTH-5")
def test_an_access_token_expires_on_the_portals_clock(portal, client_id):
    token = ask(portal, assertion(client_id))[1]["access_token"]
    start = time.time()
    portal.oauth.clock = lambda: start + oauth.TOKEN_LIFETIME - 5
    assert demo(portal, f"Bearer {token}").status == 200
    portal.oauth.clock = lambda: start + oauth.TOKEN_LIFETIME + 5
    response = demo(portal, f"Bearer {token}")
    assert response.status == 401 and "expired" in json.loads(response.body)["detail"]


@pytest.mark.rules("DELETE-1", "OAUTH-4", "OAUTH-5")
def test_deleting_the_configuration_disables_the_client_and_its_tokens(portal, client_id):
    token = ask(portal, assertion(client_id))[1]["access_token"]
    assert portal.store.delete_configuration(portal.registered_employer)
    assert ask(portal, assertion(client_id))[:2] == (
        401,
        {"error": "invalid_client", "error_description": "unknown client"},
    )
    assert demo(portal, f"Bearer {token}").status == 401
    assert portal.oauth.tokens.get(token) is None  # revoked, not only refused


def test_tokens_are_stored_by_hash_only(portal, client_id):
    token = ask(portal, assertion(client_id))[1]["access_token"]
    assert token not in repr(portal.oauth.tokens._grants)


def test_api_errors_are_json():
    request = make_request("/REST/nope", method="GET")
    response = oauth.api_error(request, 404)
    assert response.status == 404 and response.content_type.startswith("application/problem+json")
    token = oauth.api_error(make_request(oauth.TOKEN_PATH, method="GET"), 405, {"Allow": "POST"})
    assert json.loads(token.body)["error"] == "invalid_request" and ("Allow", "POST") in token.headers


# -- each defect makes its check misbehave ----------------------------------------------------------------
def _grants_without_scope(p, c):
    body = {
        "grant_type": "client_credentials",
        "client_assertion_type": oauth.ASSERTION_TYPE,
        "client_assertion": assertion(c),
    }
    return oauth.token_endpoint(p, form_request(body)).status != 200


def _secret_gets_token(p, c):
    return (
        oauth.token_endpoint(
            p, form_request({"grant_type": "client_credentials", "client_id": c, "client_secret": "anything"})
        ).status
        == 200
    )


def _accepts(make):
    return lambda p, c: ask(p, make(c))[0] == 200


def _replay_accepted(p, c):
    assert ask(p, assertion(c, jti="again"))[0] == 200
    return ask(p, assertion(c, jti="again"))[0] == 200


def _token_body(p, c):
    return ask(p, assertion(c))[1]


def _deleted_still_works(p, c):
    assert ask(p, assertion(c))[0] == 200
    p.store.delete_configuration(p.registered_employer)
    return ask(p, assertion(c))[0] == 200


MISBEHAVIOUR = {
    "oauth-default-scope-not-granted": _grants_without_scope,
    "oauth-client-secret-accepted": _secret_gets_token,
    "oauth-alg-none-accepted": _accepts(_alg_none),
    "oauth-hs256-public-key-accepted": _accepts(_hs256),
    "oauth-signature-not-verified": _accepts(lambda c: assertion(c, OTHER_KEY)),
    "oauth-aud-not-checked": _accepts(lambda c: assertion(c, aud="https://elsewhere.test/token")),
    "oauth-expired-assertion-accepted": _accepts(
        lambda c: assertion(c, iat=int(time.time()) - 900, exp=int(time.time()) - 600)
    ),
    "oauth-exp-far-ahead-accepted": _accepts(lambda c: assertion(c, exp=int(time.time()) + 86_400)),
    "oauth-iat-in-future-accepted": _accepts(lambda c: assertion(c, iat=int(time.time()) + 3600)),
    "oauth-jti-replay-accepted": _replay_accepted,
    "oauth-jti-optional": _accepts(lambda c: assertion(c, jti=None)),
    "oauth-iss-not-checked": _accepts(lambda c: assertion(c, iss="someone-else")),
    "oauth-token-type-lowercase": lambda p, c: _token_body(p, c)["token_type"] != "Bearer",
    "oauth-expires-in-missing": lambda p, c: "expires_in" not in _token_body(p, c),
    "oauth-invalid-client-400": lambda p, c: ask(p, assertion(c, OTHER_KEY))[0] == 400,
    "oauth-no-error-description": lambda p, c: "error_description" not in ask(p, assertion(c, OTHER_KEY))[1],
    "oauth-grant-type-invalid-request": lambda p, c: (
        ask(p, assertion(c), grant_type="password")[1]["error"] == "invalid_request"
    ),
    "oauth-assertion-type-not-checked": lambda p, c: ask(p, assertion(c), client_assertion_type="urn:x")[0] == 200,
    "oauth-unknown-scope-ignored": lambda p, c: ask(p, assertion(c), scope="scope:other")[0] == 200,
    "oauth-demo-accepts-forged-token": lambda p, c: demo(p, "Bearer forged").status == 200,
    "oauth-demo-401-html": lambda p, c: not demo(p, None).content_type.startswith("application/problem+json"),
    "oauth-deleted-client-works": _deleted_still_works,
}


def test_every_oauth_defect_has_a_misbehaviour_here():
    assert {name for name, item in DEFECTS.items() if item.apply.__module__ == "mockportal.defects.oauth"} == set(
        MISBEHAVIOUR
    )


@pytest.mark.parametrize("name", sorted(MISBEHAVIOUR))
def test_each_oauth_defect_breaks_its_check_on_its_portal_only(name):
    broken, clean = Portal(store=Store()), Portal(store=Store())
    try:
        for each in (broken, clean):
            each.oauth.base_url = BASE
        apply_defects(broken, [name])
        assert MISBEHAVIOUR[name](broken, register(broken)), f"{name} changes nothing"
        assert not MISBEHAVIOUR[name](clean, register(clean)), f"{name} misbehaves on a clean portal"
    finally:
        broken.store.close()
        clean.store.close()

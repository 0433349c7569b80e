"""The OAuth endpoints over HTTP, without a browser (OAUTH-1..5, DELETE-1), the token helper
``python -m certs token`` against a running mock, and the OAuth defects seen over the wire."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import mockportal
from certs.token import client_assertion, token_request_body
from tests.http.mockkit import Client, company_certificate, rsa_key, run_wizard, stored

ROOT = Path(__file__).resolve().parents[2]
TOKEN_PATH = "/REST/oauth/v5/token"
DEMO_PATH = "/REST/demo/v1/hello"
SCOPE = "scope:demo:consult"
KEY = rsa_key()  # the key of mockkit's self-signed company certificates
OTHER_KEY = rsa_key(2048, 4)


@dataclass
class Registered:
    client_id: str
    key: rsa.RSAPrivateKey
    base_url: str
    manager: Client

    @property
    def token_url(self) -> str:
        return self.base_url + TOKEN_PATH

    def assertion(self, key=None, **claims) -> str:
        return client_assertion(self.client_id, key or self.key, self.token_url, **claims)

    def ask(self, assertion: str | None, **fields):
        """POST the token request; the reply (status, headers, body)."""
        return Client(self.base_url).request(
            "POST",
            TOKEN_PATH,
            token_request_body(assertion, **fields),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def token(self) -> str:
        reply = self.ask(self.assertion())
        assert reply.status == 200, reply.text
        return reply.json()["access_token"]


def demo(base_url: str, authorization: str | None = None, method: str = "GET"):
    headers = {"Authorization": authorization} if authorization is not None else {}
    return Client(base_url).request(method, DEMO_PATH, None, headers)


def register(manager: Client, key: rsa.RSAPrivateKey = KEY) -> Registered:
    reply = run_wizard(manager, company_certificate(manager, key=key))
    assert reply.status == 303, reply.text
    return Registered(stored(manager)["client_id"], key, manager.base_url, manager)


@pytest.fixture
def registered(gl) -> Registered:
    return register(gl)


def media(reply) -> str:
    return reply.headers.get("Content-Type", "").split(";", 1)[0].strip()


# -- the token endpoint ------------------------------------------------------------------------------------
@pytest.mark.rules("OAUTH-1", "OAUTH-2", "OAUTH-3", "OAUTH-5", "RESULT-3")
def test_a_token_and_the_demo_service(registered, portal):
    reply = registered.ask(registered.assertion())
    assert reply.status == 200 and media(reply) == "application/json"
    assert reply.headers.get("Cache-Control") == "no-store" and reply.headers.get("Pragma") == "no-cache"
    body = reply.json()
    assert body["token_type"] == "Bearer" and body["scope"] == SCOPE and body["expires_in"] == 3600
    assert registered.client_id.startswith("self_service_expeditor_")

    hello = demo(portal.url, f"Bearer {body['access_token']}")
    assert hello.status == 200 and media(hello) == "application/json"
    assert hello.json()["hello"] == registered.client_id
    head = demo(portal.url, f"Bearer {body['access_token']}", method="HEAD")
    assert head.status == 200 and head.body == b""


@pytest.mark.rules("OAUTH-1")
def test_the_token_endpoint_needs_no_session_and_no_csrf_token(registered):
    reply = Client(registered.base_url).request(
        "POST",
        TOKEN_PATH,
        token_request_body(registered.assertion()),
        {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "Origin": "https://elsewhere.test"},
    )
    assert reply.status == 200, reply.text


CASES = {
    "wrong key": (lambda r: r.ask(r.assertion(OTHER_KEY)), 401, "invalid_client"),
    "wrong aud": (lambda r: r.ask(r.assertion(aud=r.base_url + "/token")), 401, "invalid_client"),
    "expired": (
        lambda r: r.ask(r.assertion(iat=int(time.time()) - 400, exp=int(time.time()) - 100)),
        401,
        "invalid_client",
    ),
    "exp an hour ahead": (lambda r: r.ask(r.assertion(exp=int(time.time()) + 3600)), 401, "invalid_client"),
    "no jti": (lambda r: r.ask(r.assertion(jti=None)), 401, "invalid_client"),
    "no assertion": (lambda r: r.ask(None), 401, "invalid_client"),
    "no assertion type": (lambda r: r.ask(r.assertion(), assertion_type=None), 400, "invalid_request"),
    "wrong assertion type": (lambda r: r.ask(r.assertion(), assertion_type="jwt"), 400, "invalid_request"),
    "password grant": (lambda r: r.ask(r.assertion(), grant_type="password"), 400, "unsupported_grant_type"),
    "other scope": (lambda r: r.ask(r.assertion(), scope="scope:demo:admin"), 400, "invalid_scope"),
    "client secret": (
        lambda r: r.ask(None, assertion_type=None, client_id=r.client_id, client_secret="s3cret"),
        401,
        "invalid_client",
    ),
    "secret and assertion": (lambda r: r.ask(r.assertion(), client_secret="s3cret"), 400, "invalid_request"),
}


@pytest.mark.rules("OAUTH-2", "OAUTH-4")
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_errors_are_rfc_6749_json(registered, case):
    send, status, error = CASES[case]
    reply = send(registered)
    assert reply.status == status and media(reply) == "application/json", reply.text
    assert reply.json()["error"] == error and reply.json()["error_description"]
    assert reply.headers.get("Cache-Control") == "no-store"


@pytest.mark.rules("OAUTH-2", "OAUTH-4")
def test_a_jti_is_single_use(registered):
    jti = str(uuid.uuid4())
    assert registered.ask(registered.assertion(jti=jti)).status == 200
    reply = registered.ask(registered.assertion(jti=jti))
    assert (reply.status, reply.json()["error"]) == (401, "invalid_client")


@pytest.mark.rules("OAUTH-4")
def test_wrong_bodies_methods_and_addresses_answer_json(portal):
    client = Client(portal.url)
    as_json = client.request(
        "POST", TOKEN_PATH, b'{"grant_type": "client_credentials"}', {"Content-Type": "application/json"}
    )
    assert (as_json.status, as_json.json()["error"]) == (400, "invalid_request")
    get = client.get(TOKEN_PATH)
    assert get.status == 405 and get.headers.get("Allow") == "POST" and get.json()["error"] == "invalid_request"
    post_demo = client.request("POST", DEMO_PATH, b"")
    assert post_demo.status == 405 and media(post_demo) == "application/problem+json"
    assert post_demo.headers.get("Allow") == "GET, HEAD"
    unknown = client.get("/REST/oauth/v5/nothing")
    assert unknown.status == 404 and media(unknown) == "application/problem+json" and unknown.json()["status"] == 404
    language = client.get(DEMO_PATH + "?lang=nl")  # no language switch on the API
    assert language.status == 401 and media(language) == "application/problem+json"
    huge = client.request(
        "POST", TOKEN_PATH, b"x" * (2 * 1024 * 1024 + 1), {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert huge.status == 413 and huge.json()["error"] == "invalid_request"
    assert client.get("/nothing").status == 404 and media(client.get("/nothing")) == "text/html"  # pages stay pages


def test_the_audience_is_the_printed_url_whatever_the_host_header(registered):
    reply = Client(registered.base_url).request(
        "POST",
        TOKEN_PATH,
        token_request_body(registered.assertion(aud="http://evil.test" + TOKEN_PATH)),
        {"Content-Type": "application/x-www-form-urlencoded", "Host": "evil.test"},
    )
    assert (reply.status, reply.json()["error"]) == (401, "invalid_client")


def test_listening_on_every_address_the_host_header_gives_the_audience():
    with mockportal.start(host="0.0.0.0", port=0, test_api_token="oauth-test") as running:
        port = running.url.rsplit(":", 1)[1]
        manager = Client(f"http://127.0.0.1:{port}", test_api_token="oauth-test")
        manager.employer = manager.new_employer()
        manager.sign_in(manager.employer["users"]["gl"]["username"], "fr")
        client = register(manager)
        assert client.ask(client.assertion()).status == 200  # aud http://127.0.0.1:<port>/...
        wrong = client.assertion(aud=f"http://0.0.0.0:{port}{TOKEN_PATH}")
        assert client.ask(wrong).status == 401


# -- access tokens: expiry and deletion ---------------------------------------------------------------
@pytest.mark.rules("OAUTH-5")
def test_the_demo_service_refuses_missing_forged_and_expired_tokens(registered, portal, monkeypatch):
    token = registered.token()
    for authorization in (None, "Bearer " + "A" * 43, "Basic dXNlcjpwYXNz", f"Bearer {token}."):
        reply = demo(portal.url, authorization)
        assert reply.status == 401 and media(reply) == "application/problem+json", authorization
        problem = reply.json()
        assert problem["status"] == 401 and problem["title"] and problem["detail"] and problem["type"]
        assert reply.headers.get("WWW-Authenticate", "").startswith("Bearer")
    assert demo(portal.url, f"Bearer {token}").status == 200

    later = time.time() + 3600 + 1
    monkeypatch.setattr(portal.portal.oauth, "clock", lambda: later)
    expired = demo(portal.url, f"Bearer {token}")
    assert expired.status == 401 and media(expired) == "application/problem+json"
    assert "expired" in expired.json()["detail"]
    assert 'error="invalid_token"' in expired.headers.get("WWW-Authenticate", "")


@pytest.mark.rules("OAUTH-3", "OAUTH-5")
def test_a_short_token_lifetime(registered, portal, monkeypatch):
    monkeypatch.setattr(portal.portal.oauth, "token_lifetime", 0)
    reply = registered.ask(registered.assertion())
    assert reply.json()["expires_in"] == 0
    assert demo(portal.url, f"Bearer {reply.json()['access_token']}").status == 401


@pytest.mark.rules("OAUTH-5")
def test_the_test_api_moves_the_clock_of_access_tokens():
    with mockportal.start() as running:  # its own portal: the clock only goes forward
        manager = Client(running.url)
        manager.employer = manager.new_employer()
        manager.sign_in(manager.employer["users"]["gl"]["username"], "fr")
        client = register(manager)
        answer = client.ask(client.assertion()).json()
        token, lifetime = answer["access_token"], answer["expires_in"]
        api = Client(running.url)
        for wrong in ({}, {"advance": 0}, {"advance": -5}, {"advance": "3600"}, {"advance": True}, {"advance": 1e12}):
            refused = api.api("POST", "/__test__/clock", wrong)
            assert refused.status == 400 and refused.json()["field"] == "advance", wrong

        moved = api.api("POST", "/__test__/clock", {"advance": lifetime - 10})
        assert moved.status == 200 and moved.json()["now"] > time.time() + lifetime - 20
        assert demo(running.url, f"Bearer {token}").status == 200  # ten seconds left
        assert api.api("POST", "/__test__/clock", {"advance": 10}).status == 200

        expired = demo(running.url, f"Bearer {token}")
        assert expired.status == 401 and media(expired) == "application/problem+json"
        assert "expired" in expired.json()["detail"]
        assert demo(running.url, f"Bearer {client.token()}").status == 200  # a new one lives by the moved clock
        assert client.ask(client.assertion()).status == 200  # assertions keep the wall clock
        assert api.api("POST", "/__test__/restart", {}).status == 200
        assert running.portal.oauth.clock() > time.time() + lifetime - 5  # a restart keeps the clock


@pytest.mark.rules("DELETE-1", "OAUTH-4", "OAUTH-5")
def test_deletion_disables_the_client_at_once(registered, portal):
    token = registered.token()
    manager = registered.manager
    reply = manager.post("/configuration/delete", {"action": "confirm"})
    assert reply.status == 303 and stored(manager) is None
    refused = registered.ask(registered.assertion())
    assert (refused.status, refused.json()["error"]) == (401, "invalid_client")
    assert demo(portal.url, f"Bearer {token}").status == 401


@pytest.mark.rules("OAUTH-2", "OAUTH-4")
def test_another_clients_certificate_does_not_authenticate(registered, portal):
    other_manager = Client(portal.url)
    other_manager.employer = other_manager.new_employer()
    other_manager.sign_in(other_manager.employer["users"]["gl"]["username"], "fr")
    other = register(other_manager, OTHER_KEY)
    assert other.ask(other.assertion()).status == 200
    reply = registered.ask(registered.assertion(OTHER_KEY))
    assert (reply.status, reply.json()["error"]) == (401, "invalid_client")


def test_assertions_and_tokens_are_never_logged(registered, portal):
    assertion = registered.assertion()
    token = registered.ask(assertion).json()["access_token"]
    demo(portal.url, f"Bearer {token}")
    registered.ask(assertion)  # refused (replay): the refusal is logged, not the assertion
    log = portal.log_text()
    assert TOKEN_PATH in log and "invalid_client" in log
    assert assertion not in log and assertion.split(".")[2] not in log and token not in log


# -- the token helper on the command line --------------------------------------------------------------
def _key_file(tmp_path: Path, key, name: str = "client.key") -> Path:
    path = tmp_path / name
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return path


def _token_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "certs", "token", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.rules("OAUTH-1", "OAUTH-3", "OAUTH-4")
def test_the_token_helper_from_the_command_line(registered, tmp_path):
    good = _token_cli(
        "--client-id", registered.client_id, "--key", str(_key_file(tmp_path, KEY)), "--token-url", registered.token_url
    )
    assert good.returncode == 0, good.stderr
    answer = json.loads(good.stdout)
    assert answer["status"] == 200 and answer["token_type"] == "Bearer" and answer["scope"] == SCOPE

    scoped = _token_cli(
        "--client-id",
        registered.client_id,
        "--key",
        str(_key_file(tmp_path, KEY)),
        "--token-url",
        registered.token_url,
        "--scope",
        SCOPE,
    )
    assert scoped.returncode == 0 and json.loads(scoped.stdout)["scope"] == SCOPE

    wrong = _token_cli(
        "--client-id",
        registered.client_id,
        "--key",
        str(_key_file(tmp_path, OTHER_KEY, "o.key")),
        "--token-url",
        registered.token_url,
    )
    assert wrong.returncode == 1
    assert json.loads(wrong.stdout) | {"error_description": ""} == {
        "status": 401,
        "error": "invalid_client",
        "error_description": "",
    }


def test_the_token_helper_reports_a_missing_key_or_portal(tmp_path):
    missing = _token_cli(
        "--client-id",
        "self_service_expeditor_100001",
        "--key",
        str(tmp_path / "none.pem"),
        "--token-url",
        "http://127.0.0.1:9" + TOKEN_PATH,
    )
    assert missing.returncode != 0 and "cannot read private key" in missing.stderr and "Traceback" not in missing.stderr
    unreachable = _token_cli(
        "--client-id",
        "self_service_expeditor_100001",
        "--key",
        str(_key_file(tmp_path, KEY)),
        "--token-url",
        "http://127.0.0.1:9" + TOKEN_PATH,
    )
    assert unreachable.returncode != 0 and "cannot reach" in unreachable.stderr


# -- the defects over the wire ------------------------------------------------------------------------------
def _ok(reply) -> bool:
    return reply.status == 200


WIRE = {
    "oauth-invalid-client-400": lambda r: r.ask(r.assertion(OTHER_KEY)).status == 400,
    "oauth-demo-401-html": lambda r: media(demo(r.base_url)) == "text/html",
    "oauth-demo-accepts-forged-token": lambda r: _ok(demo(r.base_url, "Bearer forged")),
    "oauth-token-type-lowercase": lambda r: r.ask(r.assertion()).json()["token_type"] == "bearer",
    "oauth-expires-in-missing": lambda r: "expires_in" not in r.ask(r.assertion()).json(),
    "oauth-aud-not-checked": lambda r: _ok(r.ask(r.assertion(aud="https://elsewhere.test/token"))),
    "oauth-signature-not-verified": lambda r: _ok(r.ask(r.assertion(OTHER_KEY))),
    "oauth-deleted-client-works": lambda r: (
        _ok(r.ask(r.assertion()))
        and r.manager.post("/configuration/delete", {"action": "confirm"})
        and _ok(r.ask(r.assertion()))
    ),
}


@pytest.mark.parametrize("name", sorted(WIRE))
def test_defects_over_http(name):
    for defects, misbehaves in (([name], True), ([], False)):
        with mockportal.start(port=0, defects=defects) as running:
            manager = Client(running.url)
            manager.employer = manager.new_employer()
            manager.sign_in(manager.employer["users"]["gl"]["username"], "fr")
            assert WIRE[name](register(manager)) is misbehaves, (name, defects)

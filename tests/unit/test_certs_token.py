"""``channel-certs token``: errors with the command's prefix and exit code 2, encrypted keys with
the password from the environment, only https or loopback http, and a masked access token.

The token endpoint is the bundled mock, started in-process, with a catalogue certificate
registered through its wizard (tests/http/mockkit.py's HTTP client).
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from cryptography.hazmat.primitives import serialization

import mockportal
from certs import Catalogue, KeyType, generate
from certs.keys import DEFAULT_POOL
from certs.token import check_token_url
from tests.http.mockkit import Client, run_wizard
from tests.unit.test_certs_cli import run_main

ROOT = Path(__file__).resolve().parents[2]
TOKEN_PATH = "/REST/oauth/v5/token"
DEMO_PATH = "/REST/demo/v1/hello"
PASSWORD_ENV = "CERTS_TEST_KEY_PASSWORD"
PASSWORD = "correct horse battery staple"


class Registered(NamedTuple):
    base_url: str
    client_id: str
    catalogue: Catalogue


@pytest.fixture(scope="module")
def registered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registered]:
    """A mock portal trusting a catalogue's CA, with valid-der registered for a new employer."""
    catalogue = generate(tmp_path_factory.mktemp("token"), seed=5)
    with mockportal.start(port=0, trust_paths=[str(catalogue.fixture_ca_path)]) as running:
        manager = Client(running.url)
        employer = manager.new_employer()
        manager.sign_in(employer["users"]["gl"]["username"], "fr")
        reply = run_wizard(manager, catalogue["valid-der"].read_bytes())
        assert reply.status == 303, reply.text
        number = employer["employer"]["enterprise_number"]
        stored = Client(running.url).get(f"/__test__/employers/{number}/configuration").json()
        yield Registered(running.url, stored["client_id"], catalogue)


def encrypted_key(registered: Registered, directory: Path) -> Path:
    key = registered.catalogue["valid-der"].private_key()
    assert key is not None
    path = directory / "client.encrypted.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
    )
    return path


def demo_status(base_url: str, token: str) -> int:
    return Client(base_url).request("GET", DEMO_PATH, None, {"Authorization": f"Bearer {token}"}).status


def test_an_encrypted_key_and_a_masked_token(registered: Registered, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    argv = [
        "token",
        "--client-id",
        registered.client_id,
        "--key",
        str(encrypted_key(registered, tmp_path)),
        "--key-password-env",
        PASSWORD_ENV,
        "--token-url",
        registered.base_url + TOKEN_PATH,
    ]

    code, stdout, stderr = run_main(capsys, *argv)
    answer = json.loads(stdout)
    assert (code, stderr) == (0, "")
    assert answer["status"] == 200 and answer["token_type"] == "Bearer"
    assert (
        answer["access_token"].startswith("<masked: ")
        and demo_status(registered.base_url, answer["access_token"]) == 401
    )
    assert PASSWORD not in stdout

    code, stdout, _ = run_main(capsys, *argv, "--show-token")
    token = json.loads(stdout)["access_token"]
    assert code == 0 and demo_status(registered.base_url, token) == 200  # the real token, usable
    assert len(token) == int(answer["access_token"].removeprefix("<masked: ").split()[0])


def test_an_error_answer_exits_1_and_is_printed(registered: Registered, tmp_path: Path, capsys) -> None:
    other = tmp_path / "other.pem"
    other.write_bytes(
        DEFAULT_POOL.get(KeyType.RSA_2048, "token-other").private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    code, stdout, stderr = run_main(
        capsys,
        "token",
        "--client-id",
        registered.client_id,
        "--key",
        str(other),
        "--token-url",
        registered.base_url + TOKEN_PATH,
    )
    assert (code, stderr) == (1, "")
    assert json.loads(stdout)["status"] == 401 and json.loads(stdout)["error"] == "invalid_client"


@pytest.mark.parametrize(
    "case, message",
    [
        ("no password option", "is encrypted: name the environment variable"),
        ("variable not set", f"the environment variable {PASSWORD_ENV} is not set"),
        ("wrong password", "(wrong password?)"),
        ("password for a plain key", "is not encrypted"),
        ("missing key", "cannot read private key"),
        ("not a key", "not a PEM private key"),
        ("a PEM certificate as the key", "it is a certificate; --key takes the private key"),
        ("a DER certificate as the key", "it is a certificate; --key takes the private key"),
        ("a PKCS#12 as the key", "it is a PKCS#12 container"),
        ("an HTML page", "answered HTTP 405 with an HTML page titled"),
        ("EC key", "is not RSA"),
        ("plain http elsewhere", "refusing the token URL"),
        ("ftp", "refusing the token URL"),
        ("nobody listening", "cannot reach"),
    ],
)
def test_errors_carry_the_prefix_and_exit_2(
    case: str, message: str, registered: Registered, tmp_path: Path, monkeypatch, capsys
) -> None:
    url = registered.base_url + TOKEN_PATH
    key = str(encrypted_key(registered, tmp_path))
    plain = str(registered.catalogue["valid-der"].key_path)
    options: list[str] = []
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    if case == "variable not set":
        monkeypatch.delenv(PASSWORD_ENV)
        options = ["--key-password-env", PASSWORD_ENV]
    elif case == "wrong password":
        monkeypatch.setenv(PASSWORD_ENV, "wrong")
        options = ["--key-password-env", PASSWORD_ENV]
    elif case == "password for a plain key":
        key, options = plain, ["--key-password-env", PASSWORD_ENV]
    elif case == "missing key":
        key = str(tmp_path / "none.pem")
    elif case == "not a key":
        key = str(registered.catalogue.directory / "garbage.cer")
    elif case == "a PEM certificate as the key":
        key = str(registered.catalogue.fixture_ca_path)
    elif case == "a DER certificate as the key":
        key = str(registered.catalogue["valid-der"].path)
    elif case == "a PKCS#12 as the key":
        key = str(registered.catalogue.directory / "pkcs12.p12")
    elif case == "an HTML page":  # the portal's address instead of its token endpoint's
        key, url = plain, registered.base_url + "/"
    elif case == "EC key":
        key = str(registered.catalogue["ec-p256"].key_path)
    elif case == "plain http elsewhere":
        key, url = plain, "http://portal.example.test" + TOKEN_PATH
    elif case == "ftp":
        key, url = plain, "ftp://127.0.0.1" + TOKEN_PATH
    elif case == "nobody listening":
        key, url = plain, "http://127.0.0.1:9" + TOKEN_PATH

    code, stdout, stderr = run_main(
        capsys, "token", "--client-id", registered.client_id, "--key", key, "--token-url", url, *options
    )

    assert (code, stdout) == (2, "")
    assert stderr.startswith("channel-certs token: error: ") and message in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("https://services-acpt.socialsecurity.be/REST/oauth/v5/token", True),
        ("https://portal.example.test:8443/token", True),
        ("http://127.0.0.1:8000/REST/oauth/v5/token", True),
        ("http://127.1.2.3/token", True),
        ("http://localhost:8000/token", True),
        ("http://[::1]:8000/token", True),
        ("http://portal.example.test/token", False),
        ("http://10.0.0.1/token", False),
        ("http://localhost.example.test/token", False),
        ("https:///token", False),
        ("file:///etc/passwd", False),
        ("127.0.0.1:8000/token", False),
    ],
)
def test_token_urls(url: str, allowed: bool) -> None:
    if allowed:
        check_token_url(url)
    else:
        with pytest.raises(ValueError, match="https"):
            check_token_url(url)


class _SignInPage(http.server.BaseHTTPRequestHandler):
    """What a proxy or a portal's sign-in answers in place of a token endpoint: 200, HTML."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b"<!DOCTYPE html><html><head><title>Sign in\n to Corp</title></head><body>Who are you?</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_an_html_page_answered_200_is_not_a_token(registered: Registered, capsys) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SignInPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/REST/oauth/v5/token"
        code, stdout, stderr = run_main(
            capsys,
            "token",
            "--client-id",
            registered.client_id,
            "--key",
            str(registered.catalogue["valid-der"].key_path),
            "--token-url",
            url,
        )
    finally:
        server.shutdown()
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"channel-certs token: error: {url} answered HTTP 200 with an HTML page titled 'Sign in to Corp', "
        "not the token endpoint's JSON: check --token-url\n"
    )


def test_no_library_warning_reaches_stderr(registered: Registered) -> None:
    # An RSA key of 1024 bits makes PyJWT warn; with every warning shown (-W default -X dev),
    # stderr still holds nothing but the tool's own words: here none, the answer is on stdout.
    key = registered.catalogue["rsa-1024"].key_path
    assert key is not None
    argv = [
        "token",
        "--client-id",
        registered.client_id,
        "--key",
        str(key),
        "--token-url",
        registered.base_url + TOKEN_PATH,
    ]
    result = subprocess.run(
        [sys.executable, "-W", "default", "-X", "dev", "-m", "certs", *argv],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (1, ""), result.stderr
    assert json.loads(result.stdout)["error"] == "invalid_client"

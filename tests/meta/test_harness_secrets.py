"""No secret in any artifact: traces and report texts are scrubbed of cookies and passwords."""

from __future__ import annotations

import http.server
import json
import threading
import zipfile
from pathlib import Path

import pytest

from harness.artifacts import MASK, register_secret, scrub_text, scrub_trace

SERVER_COOKIE = "server-session-7f3a9c"
ADDED_COOKIE = "added-session-41b2d8"
TYPED_PASSWORD = "typed p@ss&word=9"  # characters that URL- and JSON-encoding change
BEARER = "bearer-token-5e6f7a"


class _Portal(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Set-Cookie", f"sid={SERVER_COOKIE}; Path=/; HttpOnly")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(
            b'<main><form method="post"><label>Mot de passe <input type="password" name="password">'
            b"</label><button>Se connecter</button></form></main>"
        )

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<main><h1>Accueil</h1></main>")

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def portal_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_a_trace_keeps_no_cookie_password_or_token(browser, portal_url: str, tmp_path: Path) -> None:
    context = browser.new_context(extra_http_headers={"Authorization": f"Bearer {BEARER}"})
    context.tracing.start(screenshots=True, snapshots=True)
    context.add_cookies([{"name": "added", "value": ADDED_COOKIE, "url": portal_url}])
    page = context.new_page()
    page.goto(portal_url)
    page.get_by_label("Mot de passe").fill(TYPED_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Accueil").wait_for()
    trace = tmp_path / "trace.zip"
    context.tracing.stop(path=trace)
    context.close()

    raw = b"".join(zipfile.ZipFile(trace).read(n) for n in zipfile.ZipFile(trace).namelist())
    assert SERVER_COOKIE.encode() in raw and ADDED_COOKIE.encode() in raw  # what there is to mask

    scrub_trace(trace)  # nothing registered: found in the trace itself

    with zipfile.ZipFile(trace) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            data = archive.read(name)
            for secret in (SERVER_COOKIE, ADDED_COOKIE, TYPED_PASSWORD, BEARER, "p%40ss%26word%3D9", "p%40ss%26word"):
                assert secret.encode() not in data, (name, secret)
            if name.endswith(".network"):
                events = [json.loads(line) for line in data.decode().splitlines() if line.strip()]
                assert events and all("snapshot" in e for e in events)
        assert MASK.encode() in archive.read("trace.network")


def test_report_texts_lose_registered_secrets_and_credential_lines() -> None:
    register_secret("registered-pw-81")
    register_secret("abc")  # too short to mask everywhere: ordinary words would vanish
    text = (
        "login failed for gl with 'registered-pw-81' (registered-pw-81 url-encoded: registered-pw-81)\n"
        "Cookie: sid=whatever\nset-cookie: a=b; Path=/\nPOST body username=x&password=hunter22\nabc"
    )
    scrubbed = scrub_text(text)
    assert "registered-pw-81" not in scrubbed
    assert "sid=whatever" not in scrubbed and "a=b" not in scrubbed and "hunter22" not in scrubbed
    assert scrubbed.endswith("abc")


def test_a_password_is_masked_as_a_value_never_inside_a_user_name() -> None:
    text = "signed in as user-demo (password=demo); typed 'demo' into Mot de passe; demo-user, demos"

    masked = scrub_text(text, ["demo"])

    assert masked == (
        "signed in as user-demo (password=********); typed '********' into Mot de passe; demo-user, demos"
    )


def test_a_short_password_gets_a_warning() -> None:
    from harness.artifacts import short_secret_warning

    assert short_secret_warning("gl-demo", "demo") is not None and "masked where it stands alone" in str(
        short_secret_warning("gl-demo", "demo")
    )
    assert "too short to mask" in str(short_secret_warning("gl", "abc"))
    assert short_secret_warning("gl", "a-long-passphrase") is None

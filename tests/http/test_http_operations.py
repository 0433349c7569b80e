"""Running the mock on shared machines: the readiness address, the jti replay cache
across a restart with ``--state``, bounded memory under 100,000 anonymous requests, and
``bench/bench_load.py`` (its figures are printed, never asserted; its error and mixed-data
counts are)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import urllib.parse
from pathlib import Path

import pytest

import mockportal
from mockportal import sessions
from tests.http.mockkit import GOOD_CONTACT, Client
from tests.http.test_http_oauth import TOKEN_PATH, register

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import bench_load  # noqa: E402


# -- readiness -------------------------------------------------------------------------------------
@pytest.mark.parametrize("test_api", [True, False])
def test_ready_answers_a_tiny_json_without_a_session(test_api):
    with mockportal.start(test_api=test_api) as running:
        client = Client(running.url)
        reply = client.get("/ready")
        assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/json")
        assert reply.json() == {"ready": True} and len(reply.body) < 64
        assert reply.headers.get("Set-Cookie") is None and not client.cookies  # no session made
        assert client.request("HEAD", "/ready").status == 200
        assert client.get("/__test__/log").status == (200 if test_api else 404)


# -- the jti replay cache survives a restart -------------------------------------------------------
@pytest.mark.rules("OAUTH-4")
def test_a_jti_stays_used_across_a_restart_with_state(tmp_path):
    state = str(tmp_path / "state.db")
    with mockportal.start(state_path=state) as first:
        port = urllib.parse.urlsplit(first.url).port
        manager = Client(first.url)
        manager.employer = manager.new_employer()
        manager.sign_in(manager.employer["users"]["gl"]["username"], "fr")
        registered = register(manager)
        assertion = registered.assertion()
        assert registered.ask(assertion).status == 200
    with mockportal.start(port=port, state_path=state) as second:  # same port: the same aud
        assert second.url == registered.base_url
        reply = registered.ask(assertion)
        assert reply.status == 401 and reply.json()["error"] == "invalid_client"
        assert "jti" in reply.json()["error_description"]
        assert registered.ask(registered.assertion()).status == 200  # a fresh one still works
        assert Client(second.url).request("POST", TOKEN_PATH, b"", {}).status == 400


# -- bounded memory -------------------------------------------------------------------------------------
MEMORY_PROBE = textwrap.dedent("""
    import io, json
    from mockportal import sessions
    from mockportal.server import PortalRequestHandler, build_portal
    from mockportal.web import Response

    def rss():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))

    portal = build_portal()
    # The page itself is a stub: rendering keeps nothing, and 100,000 full pages would take a
    # minute. Everything else is the real pipeline: request line and headers read by the
    # server's handler, routing, the login handler, a new visitor's session, its cookie.
    portal.render = lambda request, template, status=200, **context: Response(status, b"<p>login</p>")
    handler = PortalRequestHandler.__new__(PortalRequestHandler)  # no connection: reads a buffer
    raw = b"GET /login HTTP/1.1\\r\\nHost: x\\r\\nAccept: text/html\\r\\n\\r\\n"

    def one():
        handler.rfile = io.BufferedReader(io.BytesIO(raw))
        handler.raw_requestline = handler.rfile.readline()
        assert handler.parse_request()
        response = portal.handle(handler.portal_request(b""))
        return response.status == 200 and dict(response.headers)["Set-Cookie"].startswith("mockportal_session=")

    one()
    before = rss()
    new_sessions = sum(one() for _ in range(100_000))
    print(json.dumps({"growth": rss() - before, "new_sessions": new_sessions, "kept": portal.sessions.counts()}))
""")
MEMORY_BOUND = 32 * 1024 * 1024  # bytes of RSS growth allowed for 100,000 visitors (measured: about 5 MB)


def test_100000_anonymous_requests_keep_memory_bounded():
    """Every GET /login without a cookie makes a visitor's session; at most ``MAX_ANONYMOUS``
    (5,000) are kept, and the process grows by less than 32 MB (without a cap it keeps all
    100,000 sessions: well over 100 MB)."""
    result = subprocess.run([sys.executable, "-c", MEMORY_PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)
    assert figures["new_sessions"] == 100_000
    assert figures["kept"] == [sessions.MAX_ANONYMOUS, 0]
    assert figures["growth"] < MEMORY_BOUND, figures


def signed_in_manager(portal) -> Client:
    client = Client(portal.url)
    client.sign_in(client.new_employer()["users"]["gl"]["username"], "fr")
    client.post("/wizard/information", {"action": "next"})
    return client


def test_a_huge_refused_entry_is_kept_cut_and_signs_nobody_out(portal, monkeypatch):
    """A refused step keeps its entries, each cut to one character over its field's length
    (still refused, never accepted cut): a manager sending megabytes of "Nom" from many
    sessions fills no cap, and signs nobody out."""
    monkeypatch.setattr(sessions, "MAX_DRAFT_BYTES", 4 * 1024 * 1024)
    victim = signed_in_manager(portal)
    assert victim.post("/wizard/contact", {**GOOD_CONTACT, "action": "previous"}).status == 303
    huge = "N" * 1_950_000
    attackers = [signed_in_manager(portal) for _ in range(3)]
    for attacker in attackers:  # 5.9 MB typed in all
        for action, status in (("next", 422), ("previous", 303)):
            reply = attacker.post("/wizard/contact", {**GOOD_CONTACT, "last_name": huge, "action": action})
            assert reply.status == status
    assert victim.get("/").status == 200
    assert 'value="jan.peeters@example.be"' in victim.get("/wizard/contact").text  # the draft is whole
    assert portal.portal.sessions.draft_total < 64 * 1024
    page = attackers[0].get("/wizard/contact")
    assert f'value="{"N" * 61}"' in page.text and "N" * 62 not in page.text
    assert attackers[0].get("/wizard/channel").location == "/wizard/contact"  # what is kept is still refused


def test_the_channel_step_keeps_one_ssh_key_line_and_each_application_once(portal):
    manager = signed_in_manager(portal)
    manager.post("/wizard/contact", {**GOOD_CONTACT, "action": "next"})
    before = portal.portal.sessions.draft_total
    entries = {
        "channel": "sftp" * 50_000,
        "ssh_key": "ssh-ed25519 " + "A" * 1_200_000,
        "applications": ["Publiato"] * 150 + ["x" * 2_000] * 40,
        "action": "previous",
    }
    assert manager.post("/wizard/channel", entries).status == 303
    assert portal.portal.sessions.draft_total - before < 16 * 1024
    page = manager.get("/wizard/channel")
    assert page.text.count('value="Publiato" checked') == 1
    kept = re.search(r"<textarea[^>]*>([^<]*)</textarea>", page.text)
    assert kept and 8_000 < len(kept.group(1)) < 16 * 1024


# -- bench/bench_load.py ----------------------------------------------------------------------------------
def test_bench_load_runs_flows_and_counts_no_error_and_no_mixed_data(portal, capsys):
    bench_load.main(["--url", portal.url, "--sessions", "3", "--flows", "6"])
    out = capsys.readouterr().out
    assert "6/6 flows" in out and "errors      0" in out and "mixed flows 0" in out


def test_bench_load_sees_another_flows_data(portal, monkeypatch, capsys):
    """The mixed-data check can fail: a confirmation that shows someone else's name counts."""
    original = portal.portal.render

    def leaky(request, template, **context):
        response = original(request, template, **context)
        if template == "wizard_confirmation.html":
            response.body += b"<p>Benchdeadbeef0000</p>"
        return response

    monkeypatch.setattr(portal.portal, "render", leaky)
    bench_load.main(["--url", portal.url, "--sessions", "2", "--flows", "4"])
    assert "mixed flows 4" in capsys.readouterr().out

"""``python -m mockportal`` as a process: URL line, clean Ctrl-C, --list-defects, bad options."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def default_ctrl_c() -> None:
    """In the child: Ctrl-C as a terminal delivers it. A shell starts a background job with SIGINT
    ignored, and the child would inherit that from a `make test &`; Python maps SIGINT to
    KeyboardInterrupt only when it starts with the default handler."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mockportal", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def test_list_defects():
    from mockportal.defects import DEFECTS

    result = run("--list-defects")
    assert result.returncode == 0
    for defect in DEFECTS.values():
        assert re.search(rf"^{re.escape(defect.name)}\s+{re.escape(defect.rule_id)}\s+\S", result.stdout, re.M)


def test_unknown_defect_is_a_clear_error():
    result = run("--port", "0", "--defect", "no-such-defect")
    assert result.returncode == 2
    assert "unknown defect" in result.stderr and "Traceback" not in result.stderr


def test_unreadable_trust_file_is_a_clear_error(tmp_path):
    result = run("--port", "0", "--trust", str(tmp_path / "missing.pem"))
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serves_prints_its_url_and_stops_cleanly(tmp_path, stop):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockportal",
            "--port",
            "0",
            "--state",
            str(tmp_path / "s.db"),
            "--defect",
            "dutch-label-wrong",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=default_ctrl_c,
    )
    try:
        first = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", first).group(0)
        rest = process.stdout.readline()
        assert "gl-demo" in rest and "cogl-demo" in rest and "user-demo" in rest and "demo" in rest
        with urllib.request.urlopen(url + "/login", timeout=10) as response:
            assert response.status == 200 and b"Se connecter" in response.read()
        process.send_signal(stop)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Traceback" not in err and "Traceback" not in out
    assert "GET /login 200" in err


def test_version_and_help_name_the_demo_accounts():
    version = run("--version")
    assert version.returncode == 0 and re.fullmatch(r"mockportal \d+\.\d+\.\S+\n", version.stdout), version.stdout
    helped = run("--help")
    assert helped.returncode == 0
    text = " ".join(helped.stdout.split())
    assert "gl-demo (gl), cogl-demo (cogl), user-demo (user)" in text and "password 'demo'" in text
    assert "GET /ready" in text


@contextlib.contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """``mockportal --port 0 ARGS`` in a process of its own: the URL it prints first, and the
    process (its next lines unread); stopped with Ctrl-C afterwards."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mockportal", "--port", "0", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        preexec_fn=default_ctrl_c,
    )
    try:
        assert process.stdout is not None
        found = re.search(r"(http://\S+)", process.stdout.readline())
        assert found is not None, "the mock printed no URL"
        yield found.group(1), process
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)


def test_more_demo_employers_sign_in_with_the_demo_password():
    with serving("--no-test-api", "--demo-employers", "3") as (url, process):
        printed = [process.stdout.readline() for _ in range(3)]
        assert "Démo 3 SRL" in printed[2] and "gl-demo3 (gl)" in printed[2], printed
        from tests.http.mockkit import Client

        client = Client(url)
        reply = client.login("cogl-demo3", "demo")
        assert reply.status == 303 and reply.headers["Location"] == "/"
        assert "Démo 3 SRL" in client.get("/").text


def test_a_defect_switch_keeps_the_demo_employers():
    with serving("--demo-employers", "2", "--quiet") as (url, _):
        from tests.http.mockkit import Client

        client = Client(url)
        assert client.api("POST", "/__test__/defects", {"names": ["fax-required"]}).status == 200
        assert client.login("gl-demo2", "demo").location == "/"
        assert "Démo 2 SRL" in client.get("/").text


def test_the_test_api_beyond_loopback_needs_a_token():
    refused = run("--host", "0.0.0.0", "--port", "0", timeout=10)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "--test-api-token" in refused.stderr and "MOCKPORTAL_TEST_API_TOKEN" in refused.stderr


def test_the_test_api_token_may_come_from_the_environment():
    token = {"MOCKPORTAL_TEST_API_TOKEN": "from-the-environment"}
    with serving("--host", "0.0.0.0", "--quiet", env=token) as (printed, _):
        from tests.http.mockkit import Client

        url = f"http://127.0.0.1:{printed.rsplit(':', 1)[1].rstrip('/')}"
        assert Client(url).api("POST", "/__test__/employers", {}).status == 403
        assert Client(url, test_api_token="from-the-environment").api("POST", "/__test__/employers", {}).status == 201

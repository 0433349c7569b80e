"""A whole run of the harness, in a subprocess under xdist: reports, traces, progress, secrets.

The inner suite runs against a tiny local portal (not the mock), so these checks depend on the
harness alone: failures in call, set-up and tear-down each keep a trace, parallel workers do not
wipe each other's artifacts, the JUnit XML and the self-contained HTML report carry rule ids,
screenshots, trace links and the run's facts, and no password or session cookie appears in any
of it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "inner-password-6d1c"
COOKIE = "inner-session-cookie-93ab"

CONFTEST = f"""
import http.server, runpy, threading
import pytest
from harness.accounts import Account, Employer

pytest_plugins = runpy.run_path({str(ROOT / "conftest.py")!r})["pytest_plugins"]


class _Portal(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write('<html lang="fr"><main><h1>Accueil</h1><label>Mot de passe '
                         '<input type="password"></label></main></html>'.encode())

    def log_message(self, *args):
        pass


class LocalTarget:
    description = "a stand-in, no portal"
    language = "fr"

    def __init__(self):
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{{self._server.server_port}}"

    def new_employer(self, name=None):
        accounts = {{"gl": Account("gl-inner", "gl", password={PASSWORD!r})}}
        return Employer(name or "Inner SRL", "0403.170.701", "1", None, accounts)

    def sign_in(self, context, account):
        context.add_cookies([{{"name": "sid", "value": {COOKIE!r}, "url": self.base_url}}])

    def close(self):
        self._server.shutdown()


@pytest.fixture(scope="session")
def target():
    t = LocalTarget()
    yield t
    t.close()
"""

TESTS = """
import pytest
from playwright.sync_api import expect


@pytest.mark.rules("HOME-1")
def test_passes(sign_in, employer):
    page = sign_in(employer)
    expect(page.get_by_role("heading", name="Accueil")).to_be_visible()


@pytest.mark.rules("HOME-2", "WIZ-1")
def test_fails_in_call(sign_in, employer, context):
    page = sign_in(employer)
    page.get_by_label("Mot de passe").fill(employer.account("gl").password)
    print("cookies:", context.cookies(), "password:", employer.account("gl").password)
    assert False, "deliberate failure"


@pytest.fixture
def broken_setup(page, base_url):
    page.goto(base_url)
    raise RuntimeError("set-up broke")


@pytest.mark.rules("CONTACT-1")
def test_fails_in_setup(broken_setup):
    pass


@pytest.fixture
def broken_teardown(page, base_url):
    page.goto(base_url)
    yield
    raise RuntimeError("tear-down broke")


@pytest.mark.rules("CONTACT-2")
def test_fails_in_teardown(broken_teardown):
    pass


@pytest.mark.rules("CERT-1")
def test_skipped():
    pytest.skip("not on this portal")


@pytest.mark.rules("HOME-1")
@pytest.mark.parametrize("n", range(4))
def test_more_passes(page, base_url, n):
    page.goto(base_url)
"""


def run_inner(directory: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """pytest on ``directory`` with the project's ini and plugins, in a subprocess."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(directory),
        "-c",
        str(ROOT / "pytest.ini"),
        "--rootdir",
        str(directory),
        "-p",
        "no:cacheprovider",
        *args,
    ]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_") and k != "GITHUB_STEP_SUMMARY"}
    return subprocess.run(
        command, cwd=directory, capture_output=True, text=True, env={**clean, **(env or {})}, timeout=300
    )


@pytest.fixture(scope="module")
def inner_run(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("inner")
    (directory / "conftest.py").write_text(CONFTEST)
    (directory / "test_inner.py").write_text(textwrap.dedent(TESTS))
    stale = directory / "artifacts" / "from-an-earlier-run.txt"
    stale.parent.mkdir()
    stale.write_text("old")
    (directory / "step-summary.md").write_text("earlier steps\n")
    result = run_inner(
        directory,
        "-n",
        "2",
        "-v",
        "--faker-seed",
        "1234",
        "--output",
        "artifacts",
        "--tracing",
        "retain-on-failure",
        "--screenshot",
        "only-on-failure",
        "--junitxml",
        "reports/run.xml",
        "--html",
        "reports/run.html",
        "--self-contained-html",
        "--summary",
        "reports",
        env={"GITHUB_STEP_SUMMARY": str(directory / "step-summary.md")},
    )
    return directory, result


@pytest.mark.browser
def test_the_run_fails_for_the_three_broken_tests_only(inner_run) -> None:
    _, result = inner_run
    assert result.returncode == 1, result.stdout + result.stderr
    # The tear-down failure's call passed: pytest counts it as passed and as an error.
    assert re.search(r"\b1 failed, 6 passed, 1 skipped, 2 errors\b", result.stdout), result.stdout


@pytest.mark.browser
def test_every_failure_keeps_its_trace_and_the_controller_wiped_only_the_old_run(inner_run) -> None:
    directory, _ = inner_run
    artifacts = directory / "artifacts"
    assert not (artifacts / "from-an-earlier-run.txt").exists()
    traces = sorted(p.parent.name for p in artifacts.rglob("trace.zip"))
    assert len(traces) == 3, traces
    for kind in ("fails-in-call", "fails-in-setup", "fails-in-teardown"):
        assert any(kind in name for name in traces), (kind, traces)
    assert len(list(artifacts.rglob("*.png"))) >= 3  # a screenshot of each failing page


@pytest.mark.browser
def test_progress_shows_rule_ids_and_counts_by_rule(inner_run) -> None:
    _, result = inner_run
    assert re.search(r"PASSED \[HOME-1\] .*test_passes", result.stdout), result.stdout
    assert re.search(r"FAILED \[HOME-2 WIZ-1\] .*test_fails_in_call", result.stdout), result.stdout
    summary = result.stdout.split("results by contract rule", 1)[1]
    # passed, failed, known failures, skipped
    rows = {line.split()[0]: line.split()[1:5] for line in summary.splitlines() if re.match(r"[A-Z]+-\d+ ", line)}
    assert rows["HOME-1"] == ["5", "0", "0", "0"]
    assert rows["HOME-2"] == ["0", "1", "0", "0"]
    assert rows["CONTACT-1"] == ["0", "1", "0", "0"]
    assert rows["CONTACT-2"] == ["0", "1", "0", "0"]
    assert rows["CERT-1"] == ["0", "0", "0", "1"]


@pytest.mark.browser
def test_junit_has_rule_ids_trace_paths_and_the_run_facts(inner_run) -> None:
    directory, _ = inner_run
    suite = ET.parse(directory / "reports" / "run.xml").getroot().find("testsuite")
    suite_properties = suite.find("properties") if suite is not None else None
    assert suite is not None and suite_properties is not None
    facts = {p.get("name", ""): p.get("value", "") for p in suite_properties}
    assert facts["faker_seed"] == "1234"
    assert facts["browser"].startswith("chromium ")
    assert facts["target"].startswith("bundled mock") is False and "stand-in" in facts["target"]
    cases = {c.get("name", "").removesuffix("[chromium]"): c for c in suite.iter("testcase")}
    properties = {
        name: [(p.get("name"), p.get("value")) for p in case.iter("property")] for name, case in cases.items()
    }
    assert ("rules", "HOME-2 WIZ-1") in properties["test_fails_in_call"]
    assert any(n == "playwright_trace" for n, _ in properties["test_fails_in_call"])
    assert any(n == "playwright_trace" for n, _ in properties["test_fails_in_setup"])


@pytest.mark.browser
def test_the_html_report_is_self_contained_with_rules_screenshots_traces_and_facts(inner_run) -> None:
    directory, _ = inner_run
    report = (directory / "reports" / "run.html").read_text(encoding="utf-8")
    assert 'data-column-type=\\"rules\\"' in report or 'data-column-type="rules"' in report
    assert "HOME-2 WIZ-1" in report
    assert "data:image/png;base64," in report
    assert "trace.zip" in report
    for fact in ("Faker seed", "1234", "Browser", "chromium ", "Target", "Duration", "Results by contract rule"):
        assert fact in report, fact
    assert not re.search(r'<link[^>]+href="assets/', report)  # self-contained: no side files


@pytest.mark.browser
def test_the_summaries_by_rule_link_each_failure_to_its_trace(inner_run) -> None:
    directory, _ = inner_run
    markdown = (directory / "reports" / "summary.md").read_text(encoding="utf-8")
    assert "| HOME-1 | 5 | 0 | 0 | 0 | 0 | 0 | 0 |" in markdown, markdown  # (no focused/scenario marks here)
    assert "| HOME-2 ❌ | 0 | 1 | 0 | 0 |" in markdown, markdown
    assert markdown.startswith("# Conformance run\n\n- Date: "), markdown  # the run's facts first
    links = re.findall(r"`([^`]+test_fails_in_call[^`]*)` \(HOME-2 WIZ-1\)[^\n]*?: \[trace\]\(([^)]+)\)", markdown)
    assert links, markdown
    assert (directory / "reports" / links[0][1]).resolve().is_file()  # the link leads to the kept trace
    data = json.loads((directory / "reports" / "summary.json").read_text(encoding="utf-8"))
    assert data["by_rule"]["CERT-1"]["skipped"] == 1
    assert {entry["test"].split("::")[-1].split("[")[0] for entry in data["failed"]} == {
        "test_fails_in_call",
        "test_fails_in_setup",
        "test_fails_in_teardown",
    }
    assert "deliberate failure" in markdown  # each failure's one-line reason
    # GitHub Actions' job summary gets it once, after what earlier steps wrote; a relative link
    # would lead nowhere there, so a trace is named by its path in the run's artifact.
    step = (directory / "step-summary.md").read_text(encoding="utf-8")
    assert step.startswith("earlier steps\n# Conformance run") and step.count("# Conformance run") == 1
    assert f"`{links[0][1]}`" in step and "[trace](" not in step


@pytest.mark.browser
def test_no_password_or_session_cookie_in_any_artifact(inner_run) -> None:
    directory, result = inner_run
    files = [*(directory / "reports").iterdir(), *(directory / "artifacts").rglob("*.*")]
    for path in files:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs = [(f"{path}:{n}", archive.read(n)) for n in archive.namelist()]
        else:
            blobs = [(str(path), path.read_bytes())]
        for name, data in blobs:
            for secret in (PASSWORD, COOKIE):
                assert secret.encode() not in data, (secret, name)
    assert PASSWORD not in result.stdout and COOKIE not in result.stdout


@pytest.fixture(scope="module")
def browser_server(tmp_path_factory: pytest.TempPathFactory):
    """A Playwright browser server in another process (what a CI job reaches over the network)."""
    import json
    import signal

    from harness import browser as browser_choice

    config = tmp_path_factory.mktemp("server") / "launch.json"
    executable = browser_choice.find_chromium(install=False)
    config.write_text(json.dumps({"executablePath": executable} if executable else {}))
    server = subprocess.Popen(
        [sys.executable, "-m", "playwright", "launch-server", "--browser", "chromium", "--config", str(config)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # its own group: the driver and browser stop with it
    assert server.stdout is not None
    endpoint = server.stdout.readline().strip()
    assert endpoint.startswith("ws://"), endpoint
    yield endpoint
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


@pytest.mark.browser
def test_tests_drive_a_remote_browser_through_connect_ws(inner_run, browser_server: str) -> None:
    directory, _ = inner_run
    remote = run_inner(directory, "-k", "test_passes or test_more_passes", "-q", env={"PW_CONNECT_WS": browser_server})
    assert remote.returncode == 0, remote.stdout + remote.stderr
    # The option wins over the variable, and a wrong endpoint fails: the tests really connect.
    unreachable = run_inner(directory, "-k", "test_passes", "-q", "--connect-ws", "ws://127.0.0.1:9/nowhere")
    assert unreachable.returncode == 1
    assert "ws://127.0.0.1:9/nowhere" in unreachable.stdout

"""Re-runs, their traces and flaky tests, shown on a test that fails once on purpose
(``tests/meta/samples/flaky_once.py``), in a pytest run of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "tests/meta/samples/flaky_once.py"
FLAKY = f"{SAMPLE}::test_fails_once_then_passes"


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["FLAKY_MARKER"] = str(tmp_path / "marker")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            SAMPLE,
            "-p",
            "no:cacheprovider",
            "--reruns",
            "1",
            "--trace-reruns",
            "--screenshot=only-on-failure",
            *args,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def properties(case: ET.Element) -> dict[str, str]:
    return {p.get("name", ""): p.get("value", "") for p in case.iter("property")}


def test_a_test_that_passes_on_its_rerun_is_reported_flaky_with_its_trace(tmp_path: Path) -> None:
    junit, html, output = tmp_path / "run.xml", tmp_path / "run.html", tmp_path / "artifacts"

    result = run(tmp_path, f"--junitxml={junit}", f"--html={html}", "--self-contained-html", f"--output={output}")

    text = result.stdout + result.stderr
    assert result.returncode == 1, text  # the test that always fails
    assert "flaky tests: 1 passed only when run again" in text, text
    assert f"FLAKY {FLAKY}" in text, text
    cases = {case.get("name", "").split("[")[0]: case for case in ET.parse(junit).iter("testcase")}
    flaky, failing = cases["test_fails_once_then_passes"], cases["test_always_fails"]
    assert flaky.find("failure") is None and properties(flaky).get("flaky") == "passed on attempt 2"
    assert failing.find("failure") is not None and "flaky" not in properties(failing)
    report = html.read_text(encoding="utf-8")
    assert "passed on attempt 2" in report and "Flaky: 1 test(s) passed only when run again" in report
    # Only re-runs are traced: each test's re-run folder holds a trace, no first attempt does.
    traces = sorted(path.relative_to(output).parent.name for path in output.rglob("trace.zip"))
    assert len(traces) == 2 and all(name.endswith("-retry1") for name in traces), traces
    assert properties(failing).get("playwright_trace", "").endswith("trace.zip"), properties(failing)


def test_fail_on_flaky_makes_the_run_fail(tmp_path: Path) -> None:
    result = run(tmp_path, "-k", "fails_once", "--fail-on-flaky", f"--output={tmp_path / 'artifacts'}")

    assert result.returncode == 7, result.stdout + result.stderr
    assert f"FLAKY {FLAKY}" in result.stdout

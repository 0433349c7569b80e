"""The harness's options at start-up: mistakes are one-line usage errors before anything is
collected, and ``--rule`` runs what names a rule (or a family of rules)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def pytest_run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/conformance", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args, says",
    [
        (["--target", "targets/example.toml"], "--target FILE needs --base-url URL"),
        (["--base-url", "http://127.0.0.1:9"], "--base-url URL needs --target FILE"),
        (
            ["--base-url", "http://127.0.0.1:9", "--target", "targets/example.toml", "--language", "nl"],
            "--language is the bundled mock's",
        ),
        (["--mock-defect", "no-such-defect"], "unknown defect(s) no-such-defect"),
        (["--rule", "NOPE-1"], "--rule NOPE-1: not a rule id or family"),
    ],
)
def test_mistakes_are_one_line_usage_errors(args, says) -> None:
    result = pytest_run(*args)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1 and says in errors[0], result.stderr
    assert "collected" not in result.stdout  # nothing was collected


def collected_rules(*args: str) -> dict[str, set[str]]:
    """Test id -> its rule ids, for the tests a run with ``args`` collects."""
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "rules.json"
        result = pytest_run(*args, f"--collect-rules={out}")
        assert result.returncode == 0, result.stdout + result.stderr
        return {nodeid: set(test["rules"]) for nodeid, test in json.loads(out.read_text()).items()}


def test_rule_selects_the_tests_naming_it_and_a_family_all_of_its_rules() -> None:
    everything = collected_rules()
    only = collected_rules("--rule", "CERT-5")
    assert only and all("CERT-5" in ids for ids in only.values())
    assert set(only) == {nodeid for nodeid, ids in everything.items() if "CERT-5" in ids}
    family = collected_rules("--rule", "CERT", "--rule", "HOME-2")
    assert set(family) == {
        nodeid for nodeid, ids in everything.items() if "HOME-2" in ids or any(i.startswith("CERT-") for i in ids)
    }
    by_keyword = collected_rules("-k", "CERT-5")
    assert set(by_keyword) == set(only)


def test_the_browser_module_refuses_an_unknown_option() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "harness.browser", "--nope"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "unknown option --nope" in result.stderr

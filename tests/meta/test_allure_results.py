"""Allure results (harness/allure_results.py): a small inner run with ``--alluredir`` under xdist
and a re-run, read back from the result files Allure's report is built from.

The inner run has a test that passes, one that fails on a page (the moment-of-failure picture,
its HTML and the trace are attached), one under a known failure (marked as the harness marks a
target file's ``known_failures``) and one that passes only when run again.
"""

from __future__ import annotations

import importlib.util
import json
import re
import runpy
import textwrap
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from contract.rules import RULES
from harness.allure_results import CATEGORIES, contract_url, rule_link
from tests.meta.test_harness_run import ROOT, run_inner

CONTRACT_URL = "https://forge.example/channel-conformance/blob/main/docs/contract.md"
TEAM_CATEGORY = {"name": "Our own category", "matchedStatuses": ["broken"]}

CONFTEST = f"""
import runpy
import pytest

pytest_plugins = runpy.run_path({str(ROOT / "conftest.py")!r})["pytest_plugins"]


class NoPortal:
    description = "a stand-in, no portal"
    language = "fr"
    base_url = None

    def close(self):
        pass


@pytest.fixture(scope="session")
def target():
    return NoPortal()


def pytest_collection_modifyitems(items):
    # What harness/plugin.py does for a target file's [[known_failures]] entry.
    for item in items:
        if item.name == "test_known_failure":
            item.add_marker(pytest.mark.xfail(reason="known failure (QA-7): Home lacks the notice", strict=True))
            item.user_properties.append(("known_failure", "known failure (QA-7)"))
"""

TESTS = """
from pathlib import Path

import pytest


@pytest.mark.rules("HOME-1")
def test_passes():
    pass


@pytest.mark.rules("CERT-5", "CONFIRM-2")
def test_fails_on_a_page(page):
    page.set_content("<h1>Confirmation</h1>")
    assert False, "deliberate failure"


@pytest.mark.rules("HOME-2")
def test_known_failure():
    assert False, "no notice"


@pytest.mark.rules("WIZ-1")
def test_flaky():
    attempted = Path(__file__).with_name("attempted")
    if not attempted.exists():
        attempted.write_text("once")
        assert False, "first attempt"
"""


@pytest.fixture(scope="module")
def allure_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    directory = tmp_path_factory.mktemp("allure")
    (directory / "conftest.py").write_text(CONFTEST)
    (directory / "test_inner.py").write_text(textwrap.dedent(TESTS))
    results = directory / "allure-results"
    results.mkdir()
    (results / "categories.json").write_text(json.dumps([TEAM_CATEGORY]))
    run = run_inner(
        directory,
        "-n",
        "2",
        "--reruns",
        "1",
        "--output",
        "artifacts",
        "--tracing",
        "retain-on-failure",
        "--screenshot",
        "only-on-failure",
        "--alluredir",
        "allure-results",
        "--allure-contract-url",
        CONTRACT_URL,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(r"\b1 failed, 2 passed, 1 xfailed, 2 rerun\b", run.stdout), run.stdout
    found = [json.loads(path.read_text()) for path in results.glob("*-result.json")]
    return results, found


def _results(found: list[dict[str, Any]], test: str) -> list[dict[str, Any]]:
    return sorted((r for r in found if r["fullName"].endswith(f"#{test}")), key=lambda r: r["start"])


def _labels(result: dict[str, Any], name: str) -> list[str]:
    return [label["value"] for label in result["labels"] if label["name"] == name]


@pytest.mark.browser
def test_each_test_carries_its_rules_and_links_to_them(allure_run) -> None:
    _, found = allure_run
    [passed] = _results(found, "test_passes")
    assert passed["status"] == "passed"
    assert _labels(passed, "rule") == ["HOME-1"] and "HOME-1" in _labels(passed, "tag")
    assert _labels(passed, "feature") == ["HOME"]
    assert _labels(passed, "story") == [f"HOME-1 {RULES['HOME-1'].summary}"]
    assert {"name": "HOME-1 in the contract", "url": rule_link(CONTRACT_URL, "HOME-1"), "type": "link"} in passed[
        "links"
    ]
    failed = _results(found, "test_fails_on_a_page")[-1]
    assert _labels(failed, "rule") == ["CERT-5", "CONFIRM-2"]
    assert _labels(failed, "feature") == ["CERT", "CONFIRM"]
    assert {link["name"] for link in failed["links"]} == {"CERT-5 in the contract", "CONFIRM-2 in the contract"}


@pytest.mark.browser
def test_a_failure_has_the_screen_at_the_failure_its_html_and_the_trace(allure_run) -> None:
    results, found = allure_run
    for attempt in _results(found, "test_fails_on_a_page"):  # the first attempt and its re-run
        assert attempt["status"] == "failed" and "deliberate failure" in attempt["statusDetails"]["message"]
        attachments = {a["name"]: a for a in attempt["attachments"]}
        names = " | ".join(attachments)
        assert "The screen at the failure (failure-1.png)" in attachments, names
        assert "Its HTML (failure-1.html)" in attachments, names
        assert any(name.startswith("Trace: ") and name.endswith("(trace.zip)") for name in attachments), names
        for attachment in attachments.values():
            assert (results / attachment["source"]).stat().st_size > 0, attachment
        picture = attachments["The screen at the failure (failure-1.png)"]
        assert picture["type"] == "image/png"
        assert (results / picture["source"]).read_bytes().startswith(b"\x89PNG")
        assert b"Confirmation" in (results / attachments["Its HTML (failure-1.html)"]["source"]).read_bytes()


@pytest.mark.browser
def test_known_failures_and_flaky_tests_are_categorised(allure_run) -> None:
    results, found = allure_run
    categories = json.loads((results / "categories.json").read_text())
    assert categories == [TEAM_CATEGORY, *CATEGORIES]  # the team's own category kept, ours once
    known_category, flaky_category = CATEGORIES

    [known] = _results(found, "test_known_failure")
    assert known["status"] in known_category["matchedStatuses"]
    assert re.fullmatch(known_category["messageRegex"], known["statusDetails"]["message"]), known["statusDetails"]
    assert "known failure (QA-7)" in _labels(known, "tag")
    assert {"name": "QA-7", "url": "QA-7", "type": "issue"} in known["links"]
    assert not any(
        re.fullmatch(known_category["messageRegex"], r.get("statusDetails", {}).get("message", ""))
        for r in _results(found, "test_fails_on_a_page")
    )

    # Allure marks the last attempt flaky when an earlier attempt with its history id failed.
    first, last = _results(found, "test_flaky")
    assert first["historyId"] == last["historyId"]
    assert (first["status"], last["status"]) == ("failed", "passed")
    assert last["status"] in flaky_category["matchedStatuses"] and flaky_category["flaky"] is True
    assert "flaky: passed on attempt 2" in _labels(last, "tag")


def test_every_rule_link_finds_its_rule_in_the_contract() -> None:
    # The text fragment is "ID [source]", the words the rule's paragraph starts with in the
    # rendered page ("**CERT-5** [public]" in the Markdown), escaped as a fragment wants.
    assert rule_link("C", "CERT-5") == "C#:~:text=CERT%2D5%20%5Bpublic%5D"
    contract = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert contract.count(f"**{rule.id}** [{rule.source}]") == 1, rule.id
        fragment = urllib.parse.unquote(rule_link("C", rule.id).split("#:~:text=", 1)[1])
        assert fragment == f"{rule.id} [{rule.source}]"


def test_the_contract_link_follows_the_ci_forge(monkeypatch: pytest.MonkeyPatch, pytestconfig) -> None:
    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "CI_PROJECT_URL", "CI_COMMIT_SHA"):
        monkeypatch.delenv(name, raising=False)
    assert contract_url(pytestconfig) == (ROOT / "docs" / "contract.md").as_uri()
    monkeypatch.setenv("CI_PROJECT_URL", "https://gitlab.example/qa/suite")
    monkeypatch.setenv("CI_COMMIT_SHA", "abc123")
    assert contract_url(pytestconfig) == "https://gitlab.example/qa/suite/-/blob/abc123/docs/contract.md"
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "qa/suite")
    monkeypatch.setenv("GITHUB_SHA", "def456")
    assert contract_url(pytestconfig) == "https://github.com/qa/suite/blob/def456/docs/contract.md"


def test_a_run_without_allure_pytest_does_not_load_the_module(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    assert "harness.allure_results" in runpy.run_path(str(ROOT / "conftest.py"))["pytest_plugins"]
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *args: None if name == "allure_pytest" else real(name, *args)
    )
    conftest = runpy.run_path(str(ROOT / "conftest.py"))
    assert conftest["pytest_plugins"] == conftest["HARNESS"]

"""How a staging run reports what it did not prove: known failures, tests not run, and what
changed since the last run.

An inner pytest (tests that need no browser, each naming a rule) runs against a stand-in portal
through a target file that names known failures (``[[known_failures]]``: by test id and by rule).
It shows that:

- a known failure that fails is a *known failure (TICKET)*, apart from failures: in the terminal,
  the JUnit XML and the results by rule; one that passes fails the run, "fixed? remove the
  expectation";
- a test not run for want of an employer is counted, with why, in the run's last line and the
  results by rule, and ``--fail-on-skip`` makes it fail the run while what the target file
  excludes does not;
- a check the target cannot answer is "not verifiable on this target", named with its rules, for
  a part of a test (``unverifiable``) and for a whole one, and ``--fail-on-skip`` lets it be;
- ``--baseline`` names the newly failing, fixed, added and removed tests and rules since an
  earlier ``summary.json``, and ``--history`` keeps the runs' counts for ``summary.md``'s trend.
"""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.meta.standin import DEMO_PASSWORD, PASSWORD_ENV, standin, standin_ca
from tests.meta.test_harness_run import ROOT, run_inner

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("run-outcomes")]

TESTS = """
import os
import pytest


@pytest.mark.rules("HOME-1")
def test_known_and_failing():
    assert False, "the portal still shows the banner as a table"


@pytest.mark.rules("HOME-2")
def test_known_by_rule_but_passing():
    pass


@pytest.mark.rules("WIZ-1")
def test_wants_a_second_employer():
    pytest.skip("want of an employer: this test needs 2 employers at once; the target file names 1")


@pytest.mark.rules("WIZ-2")
def test_excluded_by_the_target():
    pass


@pytest.mark.rules("WIZ-4")
def test_flips():
    assert os.environ.get("FLIP") != "1", "fails in the second run only"


@pytest.mark.rules("WIZ-5")
def test_fixed_later():
    assert os.environ.get("FLIP") == "1", "fails in the first run only"


@pytest.mark.rules("WIZ-6")
def test_with_a_check_not_verifiable(unverifiable):
    unverifiable("the store holds exactly one configuration")


@pytest.mark.rules("CERT-3")
def test_wholly_not_verifiable():
    pytest.skip("not verifiable on this target: the suite cannot read the portal's log")
"""

KNOWN = """
[rules]
exclude = ["WIZ-2"]

[[known_failures]]
test = "test_inner.py::test_known_and_failing"
reason = "the banner is a table, not lines of text"
ticket = "QA-101"

[[known_failures]]
rule = "HOME-2"
reason = "Home lacks the no-sender notice"
ticket = "QA-102"

"""


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A stand-in with one demo employer: its URL and the employers part of its target file."""
    ca = standin_ca(tmp_path_factory.mktemp("outcomes-ca"), seed=5)
    printed = tmp_path_factory.mktemp("outcomes") / "printed.toml"
    with standin(ca, 1, printed) as base_url:
        employers = printed.read_text(encoding="utf-8").split("[[employers]]", 1)[1]
        yield base_url, "[[employers]]" + employers


def inner(directory: Path, base_url: str, *args: str, flip: bool = False):
    env = {PASSWORD_ENV: DEMO_PASSWORD, "FLIP": "1" if flip else "0"}
    return run_inner(directory, "--base-url", base_url, "--target", str(directory / "target.toml"), *args, env=env)


@pytest.fixture(scope="module")
def first_run(portal, tmp_path_factory: pytest.TempPathFactory):
    base_url, employers = portal
    directory = tmp_path_factory.mktemp("inner-outcomes")
    (directory / "conftest.py").write_text(
        f"import runpy\npytest_plugins = runpy.run_path({str(ROOT / 'conftest.py')!r})['pytest_plugins']\n"
    )
    (directory / "test_inner.py").write_text(textwrap.dedent(TESTS))
    (directory / "target.toml").write_text(KNOWN + employers, encoding="utf-8")
    result = inner(
        directory,
        base_url,
        "--junitxml",
        "reports/run.xml",
        "--summary",
        "reports",
        "--history",
        "reports/history.json",
    )
    return directory, result


def test_a_known_failure_is_reported_apart_and_a_passing_one_fails_the_run(first_run) -> None:
    directory, result = first_run
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "KNOWN test_inner.py::test_known_and_failing: known failure (QA-101): the banner is a table" in out
    assert "known failure (QA-102) passed" in out and "Fixed? remove the expectation" in out
    last = out.strip().splitlines()[-1]
    assert "1 xfailed" in last and "failed" in last, last
    summary = json.loads((directory / "reports" / "summary.json").read_text())
    assert summary["known"] == [
        {
            "test": "test_inner.py::test_known_and_failing",
            "reason": "known failure (QA-101): the banner is a table, not lines of text",
        }
    ]
    assert summary["by_rule"]["HOME-1"]["known"] == 1 and summary["by_rule"]["HOME-1"]["failed"] == 0
    assert summary["by_rule"]["HOME-2"]["failed"] == 1
    cases = {c.get("name"): c for c in ET.parse(directory / "reports" / "run.xml").iter("testcase")}
    skipped = cases["test_known_and_failing"].find("skipped")
    assert skipped is not None and "QA-101" in skipped.get("message", "")


def test_a_test_not_run_is_counted_with_why_and_fail_on_skip_fails_the_run(first_run, portal) -> None:
    directory, result = first_run
    last = result.stdout.strip().splitlines()[-1]
    assert "1 not run (want of an employer)" in last and "1 excluded by the target" in last, last
    assert (
        "not run: 3 of 8 tests: 1 excluded by the target, 1 not verifiable on this target, 1 for want of an employer"
        in result.stdout
    )
    markdown = (directory / "reports" / "summary.md").read_text()
    assert "1 for want of an employer" in markdown and "known failures" in markdown

    strict = inner(directory, portal[0], "-k", "not known and not fixed", "--fail-on-skip")
    assert strict.returncode == 1, strict.stdout
    assert "--fail-on-skip: 1 test(s) not run (want of an employer)" in strict.stdout
    excluded_only = inner(directory, portal[0], "-k", "excluded", "--fail-on-skip")
    assert excluded_only.returncode == 0, excluded_only.stdout  # the target's own choice is no failure


def test_a_check_not_verifiable_is_named_with_its_rules_and_is_no_skip_to_fail_on(first_run, portal) -> None:
    directory, result = first_run
    out = result.stdout
    assert (
        "NOT VERIFIABLE [WIZ-6] test_inner.py::test_with_a_check_not_verifiable: not verifiable on this "
        "target: the store holds exactly one configuration" in out
    ), out
    assert "NOT VERIFIABLE [CERT-3] test_inner.py::test_wholly_not_verifiable: not verifiable on this target" in out
    assert "1 not verifiable on this target" in out.strip().splitlines()[-1]
    summary = json.loads((directory / "reports" / "summary.json").read_text())
    assert summary["by_rule"]["WIZ-6"]["passed"] == 1 and summary["by_rule"]["WIZ-6"]["not_verifiable"] == 1
    assert summary["by_rule"]["CERT-3"]["excluded"] == 1 and summary["by_rule"]["CERT-3"]["not_verifiable"] == 1
    markdown = (directory / "reports" / "summary.md").read_text()
    assert "### Not verifiable on this target" in markdown and "(WIZ-6): not verifiable" in markdown
    cases = {c.get("name"): c for c in ET.parse(directory / "reports" / "run.xml").iter("testcase")}
    properties = {
        p.get("name"): p.get("value") or "" for p in cases["test_with_a_check_not_verifiable"].iter("property")
    }
    assert properties.get("not_verifiable", "").endswith("the store holds exactly one configuration")
    lenient = inner(directory, portal[0], "-k", "verifiable", "--fail-on-skip")
    assert lenient.returncode == 0, lenient.stdout  # what the target cannot answer is no run falling short


def test_the_baseline_says_what_changed_and_the_history_keeps_the_trend(first_run, portal) -> None:
    directory, _ = first_run
    baseline = directory / "reports" / "summary.json"
    (directory / "baseline.json").write_text(baseline.read_text())

    second = inner(
        directory,
        portal[0],
        "--baseline",
        str(directory / "baseline.json"),
        "--summary",
        "reports",
        "--history",
        "reports/history.json",
        flip=True,
    )

    out = second.stdout
    assert "1 newly failing, 1 fixed, 1 still failing, 0 added, 0 removed" in out, out
    assert "NEWLY FAILING test_inner.py::test_flips" in out
    assert "FIXED test_inner.py::test_fixed_later" in out
    assert "NEWLY FAILING RULES WIZ-4" in out and "FIXED RULES WIZ-5" in out
    markdown = (directory / "reports" / "summary.md").read_text()
    assert "### Since the baseline" in markdown and "### Trend (last 2 runs)" in markdown
    history = json.loads((directory / "reports" / "history.json").read_text())
    assert [run["totals"].get("failed", 0) for run in history] == [2, 2]


def test_a_sign_in_page_in_another_language_stops_the_run_with_one_line(first_run, portal) -> None:
    directory, _ = first_run
    dutch = directory / "dutch.toml"
    dutch.write_text('language = "nl"\n' + portal[1], encoding="utf-8")

    result = run_inner(directory, "--base-url", portal[0], "--target", str(dutch), env={PASSWORD_ENV: DEMO_PASSWORD})

    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert "INTERNALERROR" not in result.stdout + result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("ERROR: ")]
    assert len(error) == 1 and "sign-in page is in 'fr' (<html lang=\"fr\">)" in error[0], result.stderr
    assert "I18N-1" in error[0] and "language = 'nl'" in error[0], error

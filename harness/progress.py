"""Progress of a long run: each test's rule ids next to its result, and counts by rule at the end.

Works under xdist: the rule ids travel from the workers on each report's ``user_properties``
(``("rules", "CERT-1 CERT-2")``, also what JUnit XML shows), and the controller tallies them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from contract.rules import RULES, rule_ids

RULES_PROPERTY = "rules"
FLAKY_PROPERTY = "flaky"
OUTCOMES = ("passed", "failed", "skipped")


def rules_of_report(report: pytest.TestReport) -> tuple[str, ...]:
    """The rule ids a report's test names (empty for tests that name none)."""
    for name, value in getattr(report, "user_properties", ()):
        if name == RULES_PROPERTY:
            return tuple(str(value).split())
    return ()


@dataclass
class Tally:
    """Each finished test's outcome and rule ids, on the controller (or the single process)."""

    outcomes: dict[str, str] = field(default_factory=dict)  # nodeid -> passed|failed|skipped
    rules: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reruns: dict[str, int] = field(default_factory=dict)  # nodeid -> failed attempts re-run

    def add(self, report: pytest.TestReport) -> None:
        nodeid = report.nodeid
        if report.outcome == "rerun":  # pytest-rerunfailures: a failed attempt, run again
            if report.when != "teardown" or nodeid not in self.reruns:
                self.reruns[nodeid] = max(self.reruns.get(nodeid, 0), int(getattr(report, "rerun", 0)) + 1)
            return
        if report.when == "setup" and report.passed:
            return  # the call decides
        if report.failed:
            outcome = "failed"
        elif report.skipped:
            outcome = "skipped"  # xfail included: the rule was not shown to hold
        else:
            outcome = "passed"
        previous = self.outcomes.get(nodeid)
        # Tear-down reports "passed" after a failed call: a failure sticks.
        if previous == "failed" or (previous == "skipped" and outcome == "passed"):
            outcome = previous
        self.outcomes[nodeid] = outcome
        ids = rules_of_report(report)
        if ids:
            self.rules[nodeid] = ids

    def flaky(self) -> list[str]:
        """Tests that passed only when run again (Playwright Test's "flaky")."""
        return [nodeid for nodeid, count in self.reruns.items() if count and self.outcomes.get(nodeid) == "passed"]

    def by_rule(self) -> dict[str, dict[str, int]]:
        """rule id -> {"passed": n, "failed": n, "skipped": n}, in the contract's order."""
        counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))
        for nodeid, ids in self.rules.items():
            for rule_id in ids:
                counts[rule_id][self.outcomes.get(nodeid, "skipped")] += 1
        order = {rule_id: index for index, rule_id in enumerate(RULES)}
        return dict(sorted(counts.items(), key=lambda kv: order.get(kv[0], len(order))))


TALLY_KEY = pytest.StashKey[Tally]()
_SUMMARY_KEY = pytest.StashKey[bool]()  # set once the end-of-run summary is being written


def tally(config: pytest.Config) -> Tally:
    if TALLY_KEY not in config.stash:
        config.stash[TALLY_KEY] = Tally()
    return config.stash[TALLY_KEY]


def pytest_itemcollected(item: pytest.Item) -> None:
    """Put the test's rule ids on all its reports (workers collect too)."""
    ids = rule_ids(item)
    if ids:
        item.user_properties.append((RULES_PROPERTY, " ".join(ids)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A test that passes on a re-run says so on its reports (JUnit shows it as a property)."""
    report = yield
    attempt = getattr(item, "execution_count", 1)
    if report.when == "call" and report.passed and attempt > 1:
        note = (FLAKY_PROPERTY, f"passed on attempt {attempt}")
        item.user_properties.append(note)  # for the tear-down report, which JUnit reads
        report.user_properties.append(note)  # for this one, which the HTML report's row shows
    return report


def flaky_note(report: pytest.TestReport) -> str:
    """"passed on attempt N" for a flaky test's report, else ""."""
    return next((str(value) for name, value in getattr(report, "user_properties", ()) if name == FLAKY_PROPERTY), "")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Collector(config), "harness-progress-collector")


class _Collector:
    """Registered on the controller only: workers forward every report to it."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        tally(self.config).add(report)


@pytest.hookimpl(wrapper=True)
def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config):
    """In verbose mode, ``PASSED [CERT-1 CERT-2]``: the rule ids next to each result."""
    result = yield
    ids = rules_of_report(report)
    # Not in the short summary at the end: it folds skips of several tests into one line.
    if not ids or not result or config.getoption("verbose") <= 0 or config.stash.get(_SUMMARY_KEY, False):
        return result
    category, letter, word = result
    if not word:
        return result
    label = f"[{' '.join(ids)}]"
    if isinstance(word, tuple):
        return category, letter, (f"{word[0]} {label}", word[1])
    return category, letter, f"{word} {label}"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Counts by rule, then the flaky tests, at the end of the run (controller only: it has
    every report)."""
    if hasattr(config, "workerinput"):
        return
    config.stash[_SUMMARY_KEY] = True
    write = terminalreporter.write_line
    counts = tally(config).by_rule()
    if counts:
        terminalreporter.write_sep("=", "results by contract rule")
        write(f"{'rule':<11} {'passed':>6} {'failed':>6} {'skipped':>7}")
        for rule_id, c in counts.items():
            markup = {"red": True} if c["failed"] else ({"yellow": True} if not c["passed"] else {"green": True})
            write(f"{rule_id:<11} {c['passed']:>6} {c['failed']:>6} {c['skipped']:>7}", **markup)
        unchecked = [rule_id for rule_id in RULES if rule_id not in counts]
        if unchecked:
            write(f"{len(unchecked)} rule(s) named by no test of this run: {' '.join(unchecked)}")
    flaky = tally(config).flaky()
    if flaky:
        terminalreporter.write_sep("=", f"flaky tests: {len(flaky)} passed only when run again", yellow=True)
        for nodeid in flaky:
            write(f"FLAKY {nodeid}", yellow=True)
        if not config.getoption("fail_on_flaky", default=False):
            write("(--fail-on-flaky makes such a run fail)")

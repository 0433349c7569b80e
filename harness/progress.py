"""Progress of a long run: each test's rule ids next to its result, counts by rule and the
flaky tests at the end.

Works under xdist: the rule ids travel from the workers on each report's ``user_properties``
(``("rules", "CERT-1 CERT-2")``, also what JUnit XML shows), and the controller tallies them
(the hooks are in ``harness/plugin.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from contract.rules import RULES

RULES_PROPERTY = "rules"
KIND_PROPERTY = "kind"  # "focused" or "scenario": how a test checks its rules
EXCLUDED_PROPERTY = "excluded"  # why the target file leaves the test out
FLAKY_PROPERTY = "flaky"
OUTCOMES = ("passed", "failed", "skipped", "excluded")  # excluded: skipped because the target file says so
KINDS = ("focused", "scenario")


def kind_of(item: pytest.Item) -> str | None:
    """ "scenario" for a test marked so (at any level), else "focused" when marked so, else None."""
    for kind in reversed(KINDS):
        if item.get_closest_marker(kind) is not None:
            return kind
    return None


def _property(report: pytest.TestReport, wanted: str) -> str | None:
    return next((str(value) for name, value in getattr(report, "user_properties", ()) if name == wanted), None)


def rules_of_report(report: pytest.TestReport) -> tuple[str, ...]:
    """The rule ids a report's test names (empty for tests that name none)."""
    return tuple((_property(report, RULES_PROPERTY) or "").split())


@dataclass
class Tally:
    """Each finished test's outcome and rule ids, on the controller (or the single process)."""

    outcomes: dict[str, str] = field(default_factory=dict)  # nodeid -> passed|failed|skipped
    rules: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # nodeid -> focused|scenario
    traces: dict[str, list[str]] = field(default_factory=dict)  # nodeid -> kept trace files
    reruns: dict[str, int] = field(default_factory=dict)  # nodeid -> failed attempts re-run

    def add(self, report: pytest.TestReport) -> None:
        nodeid = report.nodeid
        if str(report.outcome) == "rerun":  # pytest-rerunfailures: a failed attempt, run again
            if report.when != "teardown" or nodeid not in self.reruns:
                self.reruns[nodeid] = max(self.reruns.get(nodeid, 0), int(getattr(report, "rerun", 0)) + 1)
            return
        if report.when == "setup" and report.passed:
            return  # the call decides
        if report.failed:
            outcome = "failed"
        elif report.skipped:  # xfail included: the rule was not shown to hold
            outcome = "excluded" if _property(report, EXCLUDED_PROPERTY) else "skipped"
        else:
            outcome = "passed"
        previous = self.outcomes.get(nodeid)
        # Tear-down reports "passed" after a failed call: a failure sticks.
        if previous == "failed" or (previous in ("skipped", "excluded") and outcome == "passed"):
            outcome = previous
        self.outcomes[nodeid] = outcome
        ids = rules_of_report(report)
        if ids:
            self.rules[nodeid] = ids
        kind = _property(report, KIND_PROPERTY)
        if kind:
            self.kinds[nodeid] = kind
        for name, value in getattr(report, "user_properties", ()):
            if name == "playwright_trace" and str(value) not in self.traces.setdefault(nodeid, []):
                self.traces[nodeid].append(str(value))

    def flaky(self) -> list[str]:
        """Tests that passed only when run again (Playwright Test's "flaky")."""
        return [nodeid for nodeid, count in self.reruns.items() if count and self.outcomes.get(nodeid) == "passed"]

    def by_rule(self) -> dict[str, dict[str, int]]:
        """rule id -> {"passed": n, "failed": n, "skipped": n, "focused": n, "scenario": n}, in
        the contract's order (focused and scenario count the tests, whatever their outcome)."""
        counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*OUTCOMES, *KINDS), 0))
        for nodeid, ids in self.rules.items():
            for rule_id in ids:
                counts[rule_id][self.outcomes.get(nodeid, "skipped")] += 1
                if self.kinds.get(nodeid) in KINDS:
                    counts[rule_id][self.kinds[nodeid]] += 1
        order = {rule_id: index for index, rule_id in enumerate(RULES)}
        return dict(sorted(counts.items(), key=lambda kv: order.get(kv[0], len(order))))


def flaky_note(report: pytest.TestReport) -> str:
    """ "passed on attempt N" for a flaky test's report, else ""."""
    return _property(report, FLAKY_PROPERTY) or ""


def summary_lines(tally: Tally) -> list[tuple[str, dict[str, bool]]]:
    """The end-of-run summary: counts by rule, the rules no test checked, the flaky tests; each
    line with its terminal markup."""
    lines: list[tuple[str, dict[str, bool]]] = []
    counts = tally.by_rule()
    if counts:
        lines.append(("=" * 30 + " results by contract rule " + "=" * 30, {}))
        lines.append(
            (
                f"{'rule':<11} {'passed':>6} {'failed':>6} {'skipped':>7} {'excluded':>8} {'focused':>7} "
                f"{'scenario':>8}",
                {},
            )
        )
        for rule_id, c in counts.items():
            markup = {"red": True} if c["failed"] else ({"yellow": True} if not c["passed"] else {"green": True})
            lines.append(
                (
                    f"{rule_id:<11} {c['passed']:>6} {c['failed']:>6} {c['skipped']:>7} {c['excluded']:>8} "
                    f"{c['focused']:>7} {c['scenario']:>8}",
                    markup,
                )
            )
        unchecked = [rule_id for rule_id in RULES if rule_id not in counts]
        if unchecked:
            lines.append((f"{len(unchecked)} rule(s) named by no test of this run: {' '.join(unchecked)}", {}))
    flaky = tally.flaky()
    if flaky:
        lines.append((f"{'=' * 20} flaky tests: {len(flaky)} passed only when run again {'=' * 20}", {"yellow": True}))
        lines += [(f"FLAKY {nodeid}", {"yellow": True}) for nodeid in flaky]
    return lines


def summary_data(tally: Tally) -> dict[str, object]:
    """The run by rule, for other tools (``summary.json``)."""
    failed = sorted(nodeid for nodeid, outcome in tally.outcomes.items() if outcome == "failed")
    return {
        "by_rule": tally.by_rule(),
        "failed": [
            {"test": nodeid, "rules": list(tally.rules.get(nodeid, ())), "traces": tally.traces.get(nodeid, [])}
            for nodeid in failed
        ],
        "flaky": tally.flaky(),
        "unchecked_rules": [rule_id for rule_id in RULES if rule_id not in tally.by_rule()],
    }


def summary_markdown(tally: Tally, link: Callable[[str], str] = str) -> str:
    """The run by rule in Markdown (``summary.md``, a CI job's summary): a table of outcomes per
    rule, then the failing tests with links to their traces (``link`` makes a trace's path a
    link target)."""
    counts = tally.by_rule()
    lines = [
        "## Results by contract rule",
        "",
        "| rule | passed | failed | skipped | excluded by the target | focused tests | scenario tests |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for rule_id, c in counts.items():
        mark = " ❌" if c["failed"] else ""
        lines.append(
            f"| {rule_id}{mark} | {c['passed']} | {c['failed']} | {c['skipped']} | {c['excluded']} | "
            f"{c['focused']} | {c['scenario']} |"
        )
    data = summary_data(tally)
    failed = data["failed"]
    assert isinstance(failed, list)
    if failed:
        lines += ["", f"### Failed ({len(failed)})", ""]
        for entry in failed:
            traces = ", ".join(f"[trace]({link(trace)})" for trace in entry["traces"]) or "no trace kept"
            lines.append(f"- `{entry['test']}` ({' '.join(entry['rules'])}): {traces}")
    if data["flaky"]:
        lines += ["", "### Flaky (passed only when run again)", ""] + [f"- `{n}`" for n in tally.flaky()]
    if data["unchecked_rules"]:
        lines += ["", f"Rules no test of this run named: {' '.join(data['unchecked_rules'])}"]  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


def with_rules(word: str | tuple[str, dict[str, bool]], ids: tuple[str, ...]) -> str | tuple[str, dict[str, bool]]:
    """A verbose result word with the test's rule ids after it: ``PASSED [CERT-1 CERT-2]``."""
    label = f"[{' '.join(ids)}]"
    if isinstance(word, tuple):
        return f"{word[0]} {label}", word[1]
    return f"{word} {label}"

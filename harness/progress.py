"""Progress of a long run: each test's rule ids next to its result, counts by rule and the
flaky tests at the end.

Works under xdist: the rule ids travel from the workers on each report's ``user_properties``
(``("rules", "CERT-1 CERT-2")``, also what JUnit XML shows), and the controller tallies them
(the hooks are in ``harness/plugin.py``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from contract.rules import RULES

RULES_PROPERTY = "rules"
KIND_PROPERTY = "kind"  # "focused" or "scenario": how a test checks its rules
EXCLUDED_PROPERTY = "excluded"  # why the target file leaves the test out
FLAKY_PROPERTY = "flaky"
KNOWN_PROPERTY = "known_failure"  # the target file's known failure the test is under ("known failure (T-1)")
# known: failed as the target file expects; skipped: not run for another reason than the file's.
OUTCOMES = ("passed", "failed", "known", "skipped", "excluded")
UNVERIFIED = "not_verifiable"  # by_rule's count of tests with a check the target could not answer
KINDS = ("focused", "scenario")

# Why a test was not run, by the start of its skip's reason (harness/target.py and the tests
# say them so): the target's choice ("excluded by the target") is a decision; the others are a
# run that could not check what it meant to (``--fail-on-skip`` fails on them).
EXCLUDED = "excluded by the target"
# A check the target cannot answer (it lacks a capability, harness/target.py): a skip reason's
# prefix for a whole test, counted as the target's own; for a part of a test, the property
# the ``unverifiable`` fixture adds, listed with its rules.
NOT_VERIFIABLE = "not verifiable on this target"
UNVERIFIED_PROPERTY = "not_verifiable"
WANT_OF_EMPLOYER = "want of an employer"
NO_MUTATIONS = "mutations not allowed"
OTHER = "other reasons"
NOT_RUN_REASONS = (EXCLUDED, NOT_VERIFIABLE, WANT_OF_EMPLOYER, NO_MUTATIONS, OTHER)
TARGETS_OWN = (EXCLUDED, NOT_VERIFIABLE)  # what the target is or chose: not a run that fell short


def skip_reason(report: pytest.TestReport) -> str:
    """The text of a skipped test's reason ("" when there is none)."""
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr or "")
    return text.removeprefix("Skipped: ").strip()


def failure_line(report: pytest.TestReport) -> str:
    """A failure in one line: what happened (``harness/evidence.py``'s line), else the
    exception's own line."""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = str(report.longrepr or "")
    for line in text.splitlines():
        if line.startswith("What happened: "):
            return line.removeprefix("What happened: ")[:300]
    message = str(getattr(crash, "message", None) or "")
    if message:
        return message.splitlines()[0][:300]
    errors = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
    return (errors[0] if errors else (text.strip().splitlines() or [""])[-1])[:300]


def why_not_run(report: pytest.TestReport) -> str:
    """One of :data:`NOT_RUN_REASONS` for a skipped test's report."""
    if _property(report, EXCLUDED_PROPERTY):
        return EXCLUDED
    reason = skip_reason(report)
    for prefix, why in (
        (NOT_VERIFIABLE, NOT_VERIFIABLE),
        (WANT_OF_EMPLOYER, WANT_OF_EMPLOYER),
    ):
        if reason.startswith(prefix):
            return why
    if "--allow-mutations" in reason:
        return NO_MUTATIONS
    return OTHER


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


def test_id(nodeid: str) -> str:
    """A test's id without the ``@group`` that xdist's ``--dist loadgroup`` appends to a grouped
    test's (by xdist's own rule: an ``@`` after the parameters' ``]``), so that a test keeps one
    name in the summaries, the baselines and a re-run command, whichever way it was run."""
    at = nodeid.rfind("@")
    return nodeid[:at] if at > nodeid.rfind("]") else nodeid


@dataclass
class Tally:
    """Each finished test's outcome and rule ids, on the controller (or the single process)."""

    outcomes: dict[str, str] = field(default_factory=dict)  # nodeid -> passed|failed|skipped
    rules: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # nodeid -> focused|scenario
    traces: dict[str, list[str]] = field(default_factory=dict)  # nodeid -> kept trace files
    reruns: dict[str, int] = field(default_factory=dict)  # nodeid -> failed attempts re-run
    not_run: dict[str, tuple[str, str]] = field(default_factory=dict)  # nodeid -> (why, the skip's reason)
    known: dict[str, str] = field(default_factory=dict)  # nodeid -> "known failure (TICKET): reason"
    reasons: dict[str, str] = field(default_factory=dict)  # nodeid -> its failure in one line
    unverified: dict[str, list[str]] = field(default_factory=dict)  # nodeid -> checks not verifiable

    def add(self, report: pytest.TestReport) -> None:
        nodeid = test_id(report.nodeid)
        if str(report.outcome) == "rerun":  # pytest-rerunfailures: a failed attempt, run again
            if report.when != "teardown" or nodeid not in self.reruns:
                self.reruns[nodeid] = max(self.reruns.get(nodeid, 0), int(getattr(report, "rerun", 0)) + 1)
            return
        if report.when == "setup" and report.passed:
            return  # the call decides
        if report.failed:
            outcome = "failed"
            self.reasons.setdefault(nodeid, failure_line(report))
        elif report.skipped and hasattr(report, "wasxfail"):  # a known failure, failing as expected
            outcome = "known"
            self.known[nodeid] = str(report.wasxfail)
        elif report.skipped:
            why = why_not_run(report)
            outcome = "excluded" if why in TARGETS_OWN else "skipped"
            self.not_run[nodeid] = (why, skip_reason(report))
            if why == NOT_VERIFIABLE:
                self._unverified(nodeid, skip_reason(report))
        else:
            outcome = "passed"
        previous = self.outcomes.get(nodeid)
        # Tear-down reports "passed" after a failed call: a failure sticks.
        if previous == "failed" or (previous in ("skipped", "excluded", "known") and outcome == "passed"):
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
            if name == UNVERIFIED_PROPERTY:
                self._unverified(nodeid, str(value))

    def _unverified(self, nodeid: str, what: str) -> None:
        if what not in self.unverified.setdefault(nodeid, []):
            self.unverified[nodeid].append(what)

    def not_run_counts(self) -> dict[str, int]:
        """Why tests were not run: {reason: count}, the reasons in :data:`NOT_RUN_REASONS`' order
        (a test whose setup was skipped but whose outcome turned out otherwise is not counted)."""
        counts = dict.fromkeys(NOT_RUN_REASONS, 0)
        for nodeid, (why, _) in self.not_run.items():
            if self.outcomes.get(nodeid) in ("skipped", "excluded"):
                counts[why] += 1
        return {why: count for why, count in counts.items() if count}

    def flaky(self) -> list[str]:
        """Tests that passed only when run again (Playwright Test's "flaky")."""
        return [nodeid for nodeid, count in self.reruns.items() if count and self.outcomes.get(nodeid) == "passed"]

    def by_rule(self) -> dict[str, dict[str, int]]:
        """rule id -> {"passed": n, "failed": n, "skipped": n, "focused": n, "scenario": n}, in
        the contract's order (focused and scenario count the tests, whatever their outcome)."""
        counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*OUTCOMES, *KINDS, UNVERIFIED), 0))
        for nodeid, ids in self.rules.items():
            for rule_id in ids:
                counts[rule_id][self.outcomes.get(nodeid, "skipped")] += 1
                counts[rule_id][UNVERIFIED] += int(nodeid in self.unverified)
                if self.kinds.get(nodeid) in KINDS:
                    counts[rule_id][self.kinds[nodeid]] += 1
        order = {rule_id: index for index, rule_id in enumerate(RULES)}
        return dict(sorted(counts.items(), key=lambda kv: order.get(kv[0], len(order))))


def flaky_note(report: pytest.TestReport) -> str:
    """ "passed on attempt N" for a flaky test's report, else ""."""
    return _property(report, FLAKY_PROPERTY) or ""


def not_run_line(tally: Tally) -> str:
    """ "not run: 61 of 298 tests: 40 for want of an employer, 21 excluded by the target" (""
    when every test ran)."""
    counts = tally.not_run_counts()
    if not counts:
        return ""
    parts = [f"{count} {'for ' if why == WANT_OF_EMPLOYER else ''}{why}" for why, count in counts.items()]
    return f"not run: {sum(counts.values())} of {len(tally.outcomes)} tests: " + ", ".join(parts)


def not_run_reasons(tally: Tally) -> dict[str, Counter[str]]:
    """{why: {the skip's reason: how many tests}}, for the reasons other than the target's choice."""
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for nodeid, (why, reason) in tally.not_run.items():
        if why not in TARGETS_OWN and tally.outcomes.get(nodeid) == "skipped":
            found[why][reason] += 1
    return found


def summary_lines(tally: Tally, whole_run: bool = True) -> list[tuple[str, dict[str, bool]]]:
    """The end-of-run summary: counts by rule, the rules no test checked (when the run was meant
    to be whole), why tests were not run, the known failures and the flaky tests; each line with
    its terminal markup."""
    lines: list[tuple[str, dict[str, bool]]] = []
    counts = tally.by_rule()
    if counts:
        lines.append(("=" * 30 + " results by contract rule " + "=" * 30, {}))
        lines.append(
            (
                f"{'rule':<11} {'passed':>6} {'failed':>6} {'known':>5} {'skipped':>7} {'excluded':>8} "
                f"{'unverif':>7} {'focused':>7} {'scenario':>8}",
                {},
            )
        )
        for rule_id, c in counts.items():
            markup = {"red": True} if c["failed"] else ({"yellow": True} if not c["passed"] else {"green": True})
            lines.append(
                (
                    f"{rule_id:<11} {c['passed']:>6} {c['failed']:>6} {c['known']:>5} {c['skipped']:>7} "
                    f"{c['excluded']:>8} {c[UNVERIFIED]:>7} {c['focused']:>7} {c['scenario']:>8}",
                    markup,
                )
            )
        lines.append(
            (
                "(known: failed as the target file's known_failures expects; skipped: not run for another "
                "reason than the target's; unverif: tests with a check not verifiable on this target; "
                "focused/scenario: tests that check the rule on their own / inside a longer walk)",
                {},
            )
        )
        unchecked = [rule_id for rule_id in RULES if rule_id not in counts]
        if unchecked and whole_run:
            lines.append((f"{len(unchecked)} rule(s) named by no test of this run: {' '.join(unchecked)}", {}))
    for why, reasons in not_run_reasons(tally).items():
        for reason, count in reasons.most_common():
            lines.append((f"NOT RUN ({why}) [{count}] {reason}", {"yellow": True}))
    for nodeid, whats in sorted(tally.unverified.items()):
        rules = " ".join(tally.rules.get(nodeid, ()))
        lines += [(f"NOT VERIFIABLE [{rules}] {nodeid}: {what}", {"yellow": True}) for what in whats]
    if tally.known:
        lines.append((f"{'=' * 20} known failures: {len(tally.known)} failed as expected {'=' * 20}", {"yellow": True}))
        lines += [(f"KNOWN {nodeid}: {reason}", {"yellow": True}) for nodeid, reason in sorted(tally.known.items())]
    flaky = tally.flaky()
    if flaky:
        lines.append((f"{'=' * 20} flaky tests: {len(flaky)} passed only when run again {'=' * 20}", {"yellow": True}))
        lines += [(f"FLAKY {nodeid}", {"yellow": True}) for nodeid in flaky]
    line = not_run_line(tally)
    if line:
        lines.append((line, {"yellow": True}))
    return lines


def summary_data(tally: Tally) -> dict[str, object]:
    """The run by rule, for other tools (``summary.json``): also each test's outcome, so that a
    later run can say what changed since this one (``--baseline``)."""
    failed = sorted(nodeid for nodeid, outcome in tally.outcomes.items() if outcome == "failed")
    return {
        "by_rule": tally.by_rule(),
        "failed": [
            {
                "test": nodeid,
                "rules": list(tally.rules.get(nodeid, ())),
                "reason": tally.reasons.get(nodeid, ""),
                "traces": tally.traces.get(nodeid, []),
            }
            for nodeid in failed
        ],
        "known": [{"test": nodeid, "reason": reason} for nodeid, reason in sorted(tally.known.items())],
        "not_run": tally.not_run_counts(),
        "not_verifiable": {nodeid: whats for nodeid, whats in sorted(tally.unverified.items())},
        "flaky": tally.flaky(),
        "unchecked_rules": [rule_id for rule_id in RULES if rule_id not in tally.by_rule()],
        "tests": {nodeid: tally.outcomes[nodeid] for nodeid in sorted(tally.outcomes)},
        "rules_of": {nodeid: list(ids) for nodeid, ids in sorted(tally.rules.items())},
    }


def summary_markdown(
    tally: Tally, cite: Callable[[str], str] = lambda trace: f"[trace]({trace})", whole_run: bool = True
) -> str:
    """The run by rule in Markdown (``summary.md``, a CI job's summary): a table of outcomes per
    rule, then the failing tests with their traces (``cite`` writes a trace's path as Markdown:
    a relative link in the file, the run's artifacts in a CI job's summary)."""
    counts = tally.by_rule()
    lines = [
        "## Results by contract rule",
        "",
        "| rule | passed | failed | known failures | skipped | excluded by the target "
        "| not verifiable on this target | focused tests | scenario tests |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for rule_id, c in counts.items():
        mark = " ❌" if c["failed"] else ""
        lines.append(
            f"| {rule_id}{mark} | {c['passed']} | {c['failed']} | {c['known']} | {c['skipped']} | {c['excluded']} | "
            f"{c[UNVERIFIED]} | {c['focused']} | {c['scenario']} |"
        )
    lines += [
        "",
        "*Known failures* failed as the target file expects (`known_failures`); *skipped* tests were not "
        "run for another reason than the target's (below); *not verifiable on this target*: tests with a "
        "check the target cannot answer (below); *focused* tests check a rule on their own, *scenario* "
        "tests inside a longer walk.",
    ]
    if tally.unverified:
        lines += ["", "### Not verifiable on this target", ""]
        for nodeid, whats in sorted(tally.unverified.items()):
            rules = " ".join(tally.rules.get(nodeid, ()))
            lines += [f"- `{nodeid}` ({rules}): {what}" for what in whats]
    line = not_run_line(tally)
    if line:
        lines += ["", f"**{line[0].upper()}{line[1:]}**", ""]
        for why, reasons in not_run_reasons(tally).items():
            lines += [f"- {why}: {reason} ({count})" for reason, count in reasons.most_common()]
    data = summary_data(tally)
    failed = data["failed"]
    assert isinstance(failed, list)
    if failed:
        lines += ["", f"### Failed ({len(failed)})", ""]
        for entry in failed:
            traces = ", ".join(cite(trace) for trace in entry["traces"]) or "no trace kept"
            reason = f" — {entry['reason']}" if entry["reason"] else ""
            lines.append(f"- `{entry['test']}` ({' '.join(entry['rules'])}){reason}: {traces}")
    if tally.known:
        lines += ["", f"### Known failures ({len(tally.known)})", ""]
        lines += [f"- `{nodeid}`: {reason}" for nodeid, reason in sorted(tally.known.items())]
    if data["flaky"]:
        lines += ["", "### Flaky (passed only when run again)", ""] + [f"- `{n}`" for n in tally.flaky()]
    if data["unchecked_rules"] and whole_run:
        lines += ["", f"Rules no test of this run named: {' '.join(data['unchecked_rules'])}"]  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


def with_rules(word: str | tuple[str, dict[str, bool]], ids: tuple[str, ...]) -> str | tuple[str, dict[str, bool]]:
    """A verbose result word with the test's rule ids after it: ``PASSED [CERT-1 CERT-2]``."""
    label = f"[{' '.join(ids)}]"
    if isinstance(word, tuple):
        return f"{word[0]} {label}", word[1]
    return f"{word} {label}"

"""The kill matrix inside one pytest session: many defects, one browser, one mock.

``pytest tests/conformance --kill-defect A --kill-defect B --kill-report rows.json`` runs, for
each named defect in turn: switch the bundled mock to that defect through its test API
(``POST /__test__/defects``: the portal starts again, empty), close the worker's shared screens,
then run the tests that name the defect's rule until one fails for the portal's fault. The
failing test catches the defect; a test that crashes does not (``CRASHES``). The session's
browser, catalogue and mock stay up from one defect to the next, which is what makes the matrix
cheap: a new pytest process and browser per defect cost more than most catches
(docs/performance.md). ``python -m harness.mutants`` starts a few such
sessions side by side and writes the matrix.

``--kill-hints FILE`` (``tests/kill-hints.json``, written by ``python -m harness.mutants
--write-hints``) names the test that caught each defect last time: it goes first among its
part, so a catch usually takes one test. A stale hint only costs time.

Each test runs the usual set-up, call and tear-down; its fixtures are torn down before the next
test as pytest would (only session-scoped ones live on, and they follow the portal's switch).
Nothing is reported to the terminal or to JUnit: one JSON row per defect is written to the
``--kill-report`` file, and one line per defect is printed as it ends.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest
from _pytest.runner import call_and_report

from contract.rules import rule_ids


@dataclass
class Catch:
    """What one defect's run found."""

    defect: str
    rule: str
    caught: bool = False
    catching_tests: list[str] = field(default_factory=list)
    phase: str = ""  # setup, call or teardown: where the catching test failed
    message: str = ""  # the first line of its failure
    tests_run: int = 0
    seconds: float = 0.0
    crashes: list[str] = field(default_factory=list)  # tests that broke rather than failed: no catch


# A test that ends in one of these broke (the suite's own code met something it did not expect),
# rather than found the portal wrong: a crash is not a catch. An assertion, an expect() or a
# Playwright action that timed out on a screen that never came are catches.
CRASHES = (
    "TypeError",
    "AttributeError",
    "NameError",
    "KeyError",
    "IndexError",
    "ImportError",
    "ModuleNotFoundError",
    "UnboundLocalError",
    "RecursionError",
    "ZeroDivisionError",
    "SyntaxError",
    "UsageError",
    "INTERNALERROR",
)


def crashed(report: pytest.TestReport) -> str:
    """The crash a failed report shows ("TypeError: …"), or "" when it is a real failure."""
    crash = getattr(report.longrepr, "reprcrash", None)
    message = str(getattr(crash, "message", "") or "")
    kind = message.split(":", 1)[0].rsplit(".", 1)[-1].strip()
    return message.splitlines()[0][:200] if kind in CRASHES else ""


def rules_first(items: Sequence[pytest.Item], rule: str, hint: str | None = None) -> list[pytest.Item]:
    """The tests naming ``rule``, in their usual order, except that ``hint`` (the test that caught
    the defect last time) goes first. Only they may catch a defect of that rule: a defect seen
    only by another rule's test is not shown to be caught by the test of what it breaks."""
    return sorted((item for item in items if rule in rule_ids(item)), key=lambda item: item.nodeid != hint)


def _first_line(report: pytest.TestReport) -> str:
    text = str(report.longrepr or "")
    lines = [line for line in text.splitlines() if line.strip().startswith("E ")] or text.splitlines()
    return lines[0].strip()[:300] if lines else ""


class KillRun:
    """Runs ``defects`` (name, rule) one after the other over ``items`` in this session.

    ``switch(names)`` puts the portal under test in that state (and drops whatever the worker
    kept of the previous one).
    """

    def __init__(
        self,
        items: Sequence[pytest.Item],
        defects: Sequence[tuple[str, str]],
        switch: Callable[[list[str]], None],
        report: Path | None,
        write: Callable[[str], None],
        hints: dict[str, str] | None = None,
    ):
        self.items = list(items)
        self.defects = list(defects)
        self.hints = hints or {}
        self.switch = switch
        self.report = report
        self.write = write
        self.rows: list[Catch] = []

    def run(self) -> list[Catch]:
        orders = [rules_first(self.items, rule, self.hints.get(name)) for name, rule in self.defects]
        for index, (name, rule) in enumerate(self.defects):
            following = orders[index + 1][0] if index + 1 < len(orders) and orders[index + 1] else None
            self.rows.append(self._one(name, rule, orders[index], following))
            self._save()
        return self.rows

    def _one(self, name: str, rule: str, order: list[pytest.Item], following: pytest.Item | None) -> Catch:
        row = Catch(name, rule)
        started = time.monotonic()
        try:
            self.switch([name])
        except Exception as error:  # noqa: BLE001 - a portal that cannot start with it: no catch
            row.crashes.append(f"the portal did not start with the defect: {type(error).__name__}: {error}"[:300])
            self.write(f"  {'CRASHED':8} {name:40} {rule:10} the portal did not start with it")
            return row
        for position, item in enumerate(order):
            row.tests_run += 1
            failed = self._run(
                item, order[position + 1] if position + 1 < len(order) else following, after_failure=following, row=row
            )
            if failed:
                break
        row.seconds = round(time.monotonic() - started, 1)
        verdict = "caught" if row.caught else ("CRASHED" if row.crashes else "SURVIVED")
        self.write(
            f"  {verdict:8} {name:40} {rule:10} {row.seconds:5.1f}s {row.tests_run:4d} tests "
            f"{row.catching_tests[0] if row.catching_tests else ''}"
        )
        return row

    @staticmethod
    def _run(item: pytest.Item, nextitem: pytest.Item | None, *, after_failure: pytest.Item | None, row: Catch) -> bool:
        """One test's set-up, call and tear-down, unreported; True when it failed (a catch)."""
        if not getattr(item, "_request", None):
            item._initrequest()  # type: ignore[attr-defined]
        try:
            reports = [call_and_report(item, "setup", log=False)]
            if reports[0].passed:
                reports.append(call_and_report(item, "call", log=False))
            failed = any(report.failed for report in reports)
            # After a catch the next test is the next defect's first: tear down towards it. When
            # that is this same test (it catches the next defect too), towards nothing: pytest
            # would otherwise keep this test's own fixtures set up for its next run.
            after = after_failure if failed else nextitem
            reports.append(call_and_report(item, "teardown", log=False, nextitem=None if after is item else after))
        finally:
            item._request = False  # type: ignore[attr-defined]
            item.funcargs = None  # type: ignore[attr-defined]
        failure = next((report for report in reports if report.failed), None)
        if failure is not None and crashed(failure):  # look on: another test may catch it for real
            row.crashes.append(f"{item.nodeid}: {crashed(failure)}")
            return False
        if failure is not None:
            row.caught = True
            row.catching_tests.append(item.nodeid)
            row.phase, row.message = failure.when, _first_line(failure)
        return failure is not None

    def _save(self) -> None:
        if self.report is not None:
            self.report.write_text(json.dumps([asdict(row) for row in self.rows], indent=1, ensure_ascii=False))

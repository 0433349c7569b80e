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

Each test runs pytest's own test protocol (``pytest_runtest_protocol``: set-up, call and
tear-down); its function fixtures are torn down after it, and only session-scoped ones live on
(they follow the portal's switch). Nothing shows in the terminal but one line per defect as it
ends, and one JSON row per defect is written to the ``--kill-report`` file.

This module is a pytest plugin of its own, with its options, registered only in kill-matrix runs
(``pytest -p harness.killmatrix``, which ``python -m harness.mutants`` passes), as xdist
registers its scheduler only with ``-n``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from contract.rules import rule_ids


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("channel-conformance kill matrix")
    group.addoption(
        "--kill-defect",
        action="append",
        default=[],
        metavar="NAME",
        help="for each named defect in turn, switch the bundled mock to it and run the tests (its "
        "rule's first) until one fails",
    )
    group.addoption("--kill-report", metavar="FILE", help="write one JSON row per defect here")
    group.addoption(
        "--kill-hints",
        metavar="FILE",
        help="{defect: test that caught it last time}, tried first among its part",
    )


def pytest_configure(config: pytest.Config) -> None:
    names = config.getoption("--kill-defect")
    if names and config.getoption("--target", default=None):
        raise pytest.UsageError("--kill-defect switches the bundled mock's defects: it takes no --target")
    from mockportal.defects import DEFECTS  # names only: which defects exist

    unknown = [name for name in names if name not in DEFECTS]
    if unknown:
        raise pytest.UsageError(
            f"unknown defect(s) {', '.join(unknown)}: python -m mockportal --list-defects lists them"
        )


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report: pytest.TestReport) -> tuple[str, str, str]:
    """No dot, letter or failure section per test: the matrix prints a line per defect."""
    return "", "", ""


def pytest_runtestloop(session: pytest.Session) -> bool | None:
    """The defects in turn, in this one session."""
    config = session.config
    names = config.getoption("--kill-defect")
    if not names or config.getoption("collectonly"):
        return None
    from mockportal.defects import DEFECTS  # the registry: each defect's name and rule id

    writer = config.get_terminal_writer()

    def write(line: str) -> None:  # at once: the parent process relays it as the run goes on
        writer.line(line)
        writer.flush()

    report, hints = config.getoption("--kill-report"), config.getoption("--kill-hints")
    run = KillRun(
        session.items,
        [(name, DEFECTS[name].rule_id) for name in names],
        switcher(config),
        Path(report) if report else None,
        write,
        json.loads(Path(hints).read_text(encoding="utf-8")) if hints and Path(hints).exists() else None,
    )
    config.pluginmanager.register(run, "harness-kill-run")  # it hears each test's reports
    run.run()
    return True


def switcher(config: pytest.Config) -> Callable[[list[str]], None]:
    """``switch(names)``: the bundled mock of this session switched to these defects (started
    again, empty), and the worker's shared screens of the previous state dropped."""
    from harness.shared import SCREENS_KEY  # here: -p imports this plugin before the conftest's plugins
    from harness.target import TARGET_KEY, MockTarget

    def switch(defects: list[str]) -> None:
        target = config.stash.get(TARGET_KEY, None)
        if not isinstance(target, MockTarget):  # not started yet: the mock starts with them
            config.option.mock_defect = list(defects)
            return
        screens = config.stash.get(SCREENS_KEY, None)
        if screens is not None:
            screens.reset()
        target.set_defects(defects)

    return switch


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
        self._reports: list[pytest.TestReport] = []

    def run(self) -> list[Catch]:
        for name, rule in self.defects:
            self.rows.append(self._one(name, rule, rules_first(self.items, rule, self.hints.get(name))))
            self._save()
        return self.rows

    def _one(self, name: str, rule: str, order: list[pytest.Item]) -> Catch:
        row = Catch(name, rule)
        started = time.monotonic()
        try:
            self.switch([name])
        except Exception as error:  # noqa: BLE001 - a portal that cannot start with it: no catch
            row.crashes.append(f"the portal did not start with the defect: {type(error).__name__}: {error}"[:300])
            self.write(f"  {'CRASHED':8} {name:40} {rule:10} the portal did not start with it")
            return row
        for item in order:
            row.tests_run += 1
            if self.run_test(item, row):
                break
        row.seconds = round(time.monotonic() - started, 1)
        verdict = "caught" if row.caught else ("CRASHED" if row.crashes else "SURVIVED")
        self.write(
            f"  {verdict:8} {name:40} {rule:10} {row.seconds:5.1f}s {row.tests_run:4d} tests "
            f"{row.catching_tests[0] if row.catching_tests else ''}"
        )
        return row

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._reports.append(report)

    def _neutral(self, item: pytest.Item) -> pytest.Item | None:
        """The test to tear down towards: one of another module, so that whatever runs next (the
        next test, the next defect's first, this very test again) finds nothing of this one set
        up. Only session-scoped fixtures (the browser, the mock) are kept; the conformance
        suite has no module-scoped ones, so this costs nothing."""
        return next((other for other in self.items if other.path != item.path), None) or next(
            (other for other in self.items if other is not item), None
        )

    def run_test(self, item: pytest.Item, row: Catch) -> bool:
        """One test through pytest's protocol; True when it failed for the portal's fault."""
        self._reports = []
        item.ihook.pytest_runtest_protocol(item=item, nextitem=self._neutral(item))
        failure = next((report for report in self._reports if report.failed), None)
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

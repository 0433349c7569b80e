"""Reports for CI and people: JUnit XML and one self-contained HTML page.

Built on pytest's ``--junitxml`` and pytest-html's ``--html --self-contained-html`` (both work
under xdist: workers send their reports to the controller, which writes the files):

- JUnit XML: each test has a ``rules`` property (its rule ids), ``flaky`` when it passed only
  on a re-run, and, when it failed or was re-run, the ``playwright_trace`` /
  ``playwright_screenshot`` paths pytest-playwright adds; the test suite has ``target``,
  ``browser``, ``faker_seed`` and ``duration`` properties.
- HTML: Rules and Flaky columns; the failing tests' screenshots embedded (pytest-playwright
  attaches them, base64 in a self-contained report) and a link to each kept trace; at the top
  the target (kind and base URL), the browser and its version, the Faker seed and the run's
  duration (the "Environment" table), then the flaky tests and the counts by rule.

Workers know the browser and the target; they send them on each test's tear-down report
(``harness_browser``, ``harness_target`` attributes, which xdist serialises with the report).
:class:`RunReport` is the plugin that gathers them on the controller (or the single process)
and writes the summaries by rule; this module's hooks put the rule ids next to each result.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from xdist import is_xdist_worker

from harness.compare import (
    BaselineError,
    Changes,
    change_lines,
    change_markdown,
    compare,
    history_entry,
    read_summary,
    record,
    trend_markdown,
)
from harness.gallery import report_link as gallery_link
from harness.progress import (
    OTHER,
    TARGETS_OWN,
    UNVERIFIED,
    Tally,
    flaky_note,
    not_run_line,
    rules_of_report,
    summary_data,
    summary_lines,
    summary_markdown,
    why_not_run,
    with_rules,
)
from harness.target_file import TARGET_FILE_KEY

_SUMMARY_KEY = pytest.StashKey[bool]()  # set once the end-of-run summary is being written


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("channel-conformance")
    group.addoption(
        "--summary",
        metavar="DIR",
        help="write the results by rule to DIR/summary.md (also appended to $GITHUB_STEP_SUMMARY "
        "when set) and DIR/summary.json",
    )
    group.addoption(
        "--fail-on-skip",
        action="store_true",
        default=False,
        help="fail the run when a test was not run for another reason than the target file's "
        "choice (want of an employer, mutations not allowed); a target file's "
        "fail_on_skip = true does the same",
    )
    group.addoption(
        "--baseline",
        metavar="FILE",
        help="a previous run's summary.json: say what is new since that run (newly failing and "
        "fixed tests and rules, tests added or removed)",
    )
    group.addoption(
        "--history",
        metavar="FILE",
        help="a JSON file of the last runs' counts by rule (a CI cache can carry it): this run is "
        "added, and summary.md shows the trend",
    )


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """On the controller (or the single process): listen to every report."""
    if not is_xdist_worker(session):
        session.config.pluginmanager.register(RunReport(session.config), "harness-report")


@pytest.hookimpl(wrapper=True)
def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Iterator[None]:
    """In verbose mode, ``PASSED [CERT-1 CERT-2]``: the rule ids next to each result. A test
    not run is counted by why (``harness/progress.py``), so the run's last line says it: "250
    passed, 40 not run (want of an employer), 8 excluded by the target"."""
    result = yield
    if result and report.skipped and not hasattr(report, "wasxfail") and report.when in ("setup", "call"):
        why = why_not_run(report)
        if why != OTHER:
            category = why if why in TARGETS_OWN else f"not run ({why})"
            result = (category, result[1], result[2])
    ids = rules_of_report(report)
    # Not in the short summary at the end: it folds skips of several tests into one line.
    if not ids or not result or config.getoption("verbose") <= 0 or config.stash.get(_SUMMARY_KEY, False):
        return result
    category, letter, word = result
    return (category, letter, with_rules(word, ids)) if word else result


@dataclass
class RunFacts:
    """What the controller learns of the run from the workers' reports."""

    started: float = field(default_factory=time.monotonic)
    date: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    browsers: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)

    def add(self, report: pytest.TestReport) -> None:
        for attribute, seen in (("harness_browser", self.browsers), ("harness_target", self.targets)):
            value = getattr(report, attribute, None)
            if value:
                seen.add(value)

    def as_dict(self, config: pytest.Config) -> dict[str, str]:
        """Target, browser, seed and duration, as the reports show them."""
        targets = sorted(self.targets)
        if len(targets) > 1 and len({t.split(" at ")[0] for t in targets}) == 1:
            target = f"one per worker ({len(targets)}): " + "; ".join(targets)
        else:
            target = "; ".join(targets) or _target_from_options(config)
        return {
            "Date": self.date,
            "Target": target,
            "Browser": ", ".join(sorted(self.browsers)) or "(no browser test ran)",
            "Faker seed": str(config.getoption("--faker-seed")),
            "Duration": f"{time.monotonic() - self.started:.1f} s",
        }


def _target_from_options(config: pytest.Config) -> str:
    base_url = config.getoption("--base-url", default=None)
    if config.getoption("--target", default=None):
        return f"foreign portal at {base_url} (target file {config.getoption('--target')})"
    return "bundled mock, one per worker"


# --- the HTML report (pytest-html's hooks call these) -----------------------------------------


def html_header(cells: list[str]) -> None:
    cells.insert(2, '<th class="sortable" data-column-type="rules">Rules</th>')
    cells.insert(3, '<th class="sortable" data-column-type="flaky">Flaky</th>')


def html_row(report: pytest.TestReport, cells: list[str]) -> None:
    cells.insert(2, f'<td class="col-rules">{html.escape(" ".join(rules_of_report(report)))}</td>')
    cells.insert(3, f'<td class="col-flaky">{html.escape(flaky_note(report))}</td>')


def html_summary(tally: Tally) -> list[str]:
    """The flaky tests and the counts by rule, under the report's summary."""
    parts = []
    flaky = tally.flaky()
    if flaky:
        items = "".join(f"<li>{html.escape(nodeid)}</li>" for nodeid in flaky)
        parts.append(
            f'<div class="harness-flaky"><p><strong>Flaky: {len(flaky)} test(s) passed only '
            f"when run again</strong> (their re-run's trace is kept)</p><ul>{items}</ul></div>"
        )
    if tally.known:
        items = "".join(
            f"<li>{html.escape(nodeid)}: {html.escape(reason)}</li>" for nodeid, reason in sorted(tally.known.items())
        )
        parts.append(
            f'<div class="harness-known"><p><strong>Known failures: {len(tally.known)} test(s) failed as the '
            f"target file expects</strong> (apart from the failures)</p><ul>{items}</ul></div>"
        )
    not_run = not_run_line(tally)
    if not_run:
        parts.append(f'<p class="harness-not-run"><strong>{html.escape(not_run)}</strong></p>')
    counts = tally.by_rule()
    if counts:
        lines = "".join(
            f"<tr><td>{html.escape(rule_id)}</td><td>{c['passed']}</td><td>{c['failed']}</td><td>{c['known']}</td>"
            f"<td>{c['skipped']}</td><td>{c['excluded']}</td><td>{c[UNVERIFIED]}</td><td>{c['focused']}</td>"
            f"<td>{c['scenario']}</td></tr>"
            for rule_id, c in counts.items()
        )
        parts.append(
            "<details><summary>Results by contract rule</summary>"
            '<table class="harness-rules"><tr><th>Rule</th><th>Passed</th><th>Failed</th><th>Known failures</th>'
            "<th>Skipped</th><th>Excluded by the target</th><th>Not verifiable on this target</th>"
            "<th>Focused tests</th><th>Scenario tests</th></tr>"
            f"{lines}</table></details>"
        )
    return parts


def target_title(config: pytest.Config) -> str:
    """The portal a run checks, for the report's title."""
    if config.getoption("--target", default=None):
        return f"{config.getoption('--base-url')} ({Path(str(config.getoption('--target'))).name})"
    defects = config.getoption("--mock-defect", default=[])
    skin = config.getoption("--mock-skin", default="default")
    return f"the bundled mock, {skin} skin" + (f", defects {', '.join(defects)}" if defects else "")


def add_junit_properties(path: Path, properties: dict[str, str]) -> None:
    """The run's facts as properties of each test suite of a JUnit file pytest has written."""
    if not path.exists():
        return
    tree = ET.parse(path)
    root = tree.getroot()
    for suite in [root] if root.tag == "testsuite" else root.iter("testsuite"):
        holder = suite.find("properties")
        if holder is None:
            holder = ET.Element("properties")
            suite.insert(0, holder)
        for name, value in properties.items():
            ET.SubElement(holder, "property", name=name, value=value)
    tree.write(path, encoding="utf-8", xml_declaration=True)


class RunReport:
    """The run's results by rule, gathered on the controller (workers forward every report to
    it): the terminal's table, summary.md and summary.json, the comparison with a baseline, the
    history, ``--fail-on-skip``, the facts in JUnit and the HTML report."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.tally = Tally()
        self.facts = RunFacts()
        self.run_facts: dict[str, str] = {}
        self.changes: Changes | None = None
        self.history: list[dict[str, Any]] = []
        self.skips_fail = ""  # why --fail-on-skip fails the run ("" when it does not)
        self.deselected = False
        self.baseline: dict[str, Any] | None = None
        baseline = config.getoption("--baseline")
        if baseline:
            try:
                self.baseline = read_summary(Path(baseline))
            except BaselineError as error:
                raise pytest.UsageError(str(error)) from None

    def whole_run(self) -> bool:
        """Whether the run was meant to check every rule (no selection by rule, keyword, marker,
        test id or plugin)."""
        if self.deselected:
            return False
        option = self.config.option
        folders = all(Path(self.config.invocation_params.dir, arg).is_dir() for arg in self.config.args)
        return folders and not (self.config.getoption("--rule", default=None) or option.keyword or option.markexpr)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.tally.add(report)
        self.facts.add(report)

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected = self.deselected or bool(items)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """The run's facts, before pytest-html writes its file (it runs later), and the summaries
        by rule."""
        facts = self.run_facts = self.facts.as_dict(self.config)
        from pytest_metadata.plugin import metadata_key

        metadata = self.config.stash.get(metadata_key, None)
        if metadata is not None:  # pytest-html's "Environment" table
            metadata.update(facts)
        data = summary_data(self.tally)
        if self.baseline is not None:
            self.changes = compare(self.baseline, data)
        history = self.config.getoption("--history")
        if history:
            self.history = record(Path(history), history_entry(data, facts))
        target_file = self.config.stash.get(TARGET_FILE_KEY, None)
        if self.config.getoption("--fail-on-skip") or (target_file is not None and target_file.fail_on_skip):
            counts = {why: n for why, n in self.tally.not_run_counts().items() if why not in TARGETS_OWN}
            if counts:
                self.skips_fail = (
                    "--fail-on-skip: "
                    + ", ".join(f"{n} test(s) not run ({why})" for why, n in counts.items())
                    + "; only what the target file excludes may be left out"
                )
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        self.write_summaries(facts)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """The facts into the JUnit file, which pytest has written by now (``--junitxml``)."""
        xmlpath = config.getoption("xmlpath", default=None)
        if xmlpath and self.run_facts:
            add_junit_properties(
                Path(xmlpath), {name.lower().replace(" ", "_"): value for name, value in self.run_facts.items()}
            )

    def write_summaries(self, facts: dict[str, str]) -> None:
        """The Markdown and JSON summaries by rule (``--summary DIR``)."""
        folder = self.config.getoption("--summary")
        if not folder:
            return
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        root = self.config.invocation_params.dir

        def relative(trace: str) -> str:
            return os.path.relpath(Path(root, trace), out.resolve())

        def cite_here(trace: str) -> str:  # in summary.md: works in the folder, and in its artifact
            return f"[trace]({relative(trace)})"

        def cite_in_job_summary(trace: str) -> str:  # a job summary has no folder: the run's artifacts
            env = os.environ
            where = f"`{relative(trace)}`"
            if not all(env.get(name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")):
                return where
            run = f"{env['GITHUB_SERVER_URL']}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
            artifact = f"artifact `{env['REPORTS_ARTIFACT']}`" if env.get("REPORTS_ARTIFACT") else "this job's artifact"
            return f"[trace]({run}#artifacts) in {artifact}: {where}"

        shown = ("Target", "Date", "Faker seed", "Browser")  # the run's facts first, as a reader asks them
        facts_lines = "\n".join(f"- {name}: {value}" for name, value in facts.items() if name in shown)
        extra: list[str] = []
        if self.skips_fail:
            extra += ["", f"**The run fails: {self.skips_fail}.**"]
        if self.changes is not None:
            extra += change_markdown(self.changes, str(self.config.getoption("--baseline")))
        if self.history:
            extra += trend_markdown(self.history)

        def markdown(cite: Callable[[str], str]) -> str:
            text = f"# Conformance run\n\n{facts_lines}\n\n" + summary_markdown(self.tally, cite, self.whole_run())
            return text + ("\n".join(extra) + "\n" if extra else "")

        (out / "summary.md").write_text(markdown(cite_here), encoding="utf-8")
        (out / "summary.json").write_text(json.dumps(summary_data(self.tally), indent=1), encoding="utf-8")
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if step_summary:  # once: the workflow does not append it again (docs/ci.md)
            with open(step_summary, "a", encoding="utf-8") as github:
                github.write(markdown(cite_in_job_summary))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        self.config.stash[_SUMMARY_KEY] = True
        for line, markup in summary_lines(self.tally, self.whole_run()):
            terminalreporter.write_line(line, **markup)
        if self.tally.flaky() and not self.config.getoption("fail_on_flaky", default=False):
            terminalreporter.write_line("(--fail-on-flaky makes such a run fail)")
        if self.changes is not None:
            for line in change_lines(self.changes, Path(self.config.getoption("--baseline"))):
                terminalreporter.write_line(line, yellow=line.startswith(("NEWLY", "STILL")))
        if self.skips_fail:
            terminalreporter.write_line(self.skips_fail, red=True)

    # pytest-html's hooks: only called when it is installed and --html is given.
    @pytest.hookimpl(optionalhook=True)
    def pytest_html_report_title(self, report: Any) -> None:
        report.title = f"channel-conformance — {target_title(self.config)}"

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        html_header(cells)

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        html_row(report, cells)

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_summary(self, prefix: list[str], summary: list[str], postfix: list[str]) -> None:
        postfix.extend(html_summary(self.tally))
        gallery_dir = self.config.getoption("--gallery-dir", default=None)
        if gallery_dir:
            postfix.extend(gallery_link(self.config.getoption("htmlpath", default=None), Path(gallery_dir)))

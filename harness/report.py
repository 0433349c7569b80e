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
The hooks are in ``harness/plugin.py``.
"""

from __future__ import annotations

import datetime as dt
import html
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from harness.progress import Tally, flaky_note, not_run_line, rules_of_report


def describe_target(target: Any) -> str:
    label = f"bundled mock, {target.skin} skin" if target.kind == "mock" else "foreign portal"
    return f"{label} ({target.kind}) at {target.base_url}, language {target.language}"


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
            f"<td>{c['skipped']}</td><td>{c['excluded']}</td><td>{c['focused']}</td><td>{c['scenario']}</td></tr>"
            for rule_id, c in counts.items()
        )
        parts.append(
            "<details><summary>Results by contract rule</summary>"
            '<table class="harness-rules"><tr><th>Rule</th><th>Passed</th><th>Failed</th><th>Known failures</th>'
            f"<th>Skipped</th><th>Excluded by the target</th><th>Focused tests</th><th>Scenario tests</th></tr>"
            f"{lines}</table></details>"
        )
    return parts

"""Reports for CI and people: JUnit XML and one self-contained HTML page.

Built on pytest's ``--junitxml`` and pytest-html's ``--html --self-contained-html`` (both work
under xdist: workers send their reports to the controller, which writes the files):

- JUnit XML: each test has a ``rules`` property (its rule ids) and, when it failed, the
  ``playwright_trace``/``playwright_screenshot`` paths pytest-playwright adds; the test suite
  has ``target``, ``browser`` and ``faker_seed`` properties.
- HTML: a Rules column; the failing tests' screenshots embedded (pytest-playwright attaches
  them, base64 in a self-contained report) and a link to each kept trace; at the top the
  target (kind and base URL), the browser and its version, the Faker seed and the run's
  duration (the "Environment" table), and the counts by rule (under the summary).

Workers know the browser and the target; they send them on each test's tear-down report
(``harness_browser``, ``harness_target`` attributes, which xdist serialises with the report).
"""
from __future__ import annotations

import html
import time

import pytest

from harness.progress import flaky_note, rules_of_report, tally

_START_KEY = pytest.StashKey[float]()
_SEEN_KEY = pytest.StashKey[dict]()


def _seen(config: pytest.Config) -> dict[str, set[str]]:
    if _SEEN_KEY not in config.stash:
        config.stash[_SEEN_KEY] = {"browser": set(), "target": set()}
    return config.stash[_SEEN_KEY]


def describe_target(target) -> str:
    label = "bundled mock" if target.kind == "mock" else "foreign portal"
    return f"{label} ({target.kind}) at {target.base_url}, language {target.language}"


# --- workers: what only they know ---------------------------------------------------------

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "teardown":
        funcargs = getattr(item, "funcargs", None) or {}
        browser = funcargs.get("browser")
        if browser is not None:
            report.harness_browser = f"{browser.browser_type.name} {browser.version}"
        target = funcargs.get("target")
        if target is not None:
            report.harness_target = describe_target(target)
    return report


# --- controller: collect, then write --------------------------------------------------------

def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_START_KEY] = time.monotonic()


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(_ControllerReport(config), "harness-report")


class _ControllerReport:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        seen = _seen(self.config)
        for key in ("browser", "target"):
            value = getattr(report, f"harness_{key}", None)
            if value:
                seen[key].add(value)

    def run_facts(self) -> dict[str, str]:
        """Target, browser, seed and duration, as the reports show them."""
        seen = _seen(self.config)
        targets = sorted(seen["target"])
        if len(targets) > 1 and len({t.split(" at ")[0] for t in targets}) == 1:
            target = f"one per worker ({len(targets)}): " + "; ".join(targets)
        else:
            target = "; ".join(targets) or _target_from_options(self.config)
        start = self.config.stash.get(_START_KEY, time.monotonic())
        return {
            "Target": target,
            "Browser": ", ".join(sorted(seen["browser"])) or "(no browser test ran)",
            "Faker seed": str(self.config.getoption("--faker-seed")),
            "Duration": f"{time.monotonic() - start:.1f} s",
        }

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Before junitxml and pytest-html write their files (they run later)."""
        facts = self.run_facts()
        from _pytest.junitxml import xml_key

        xml = self.config.stash.get(xml_key, None)
        if xml is not None:
            for name, value in facts.items():
                xml.add_global_property(name.lower().replace(" ", "_"), value)
        try:
            from pytest_metadata.plugin import metadata_key
        except ImportError:
            return
        metadata = self.config.stash.get(metadata_key, None)
        if metadata is not None:  # pytest-html's "Environment" table
            metadata.update(facts)

    # pytest-html hooks: only called when pytest-html is installed and --html given.
    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        cells.insert(2, '<th class="sortable" data-column-type="rules">Rules</th>')
        cells.insert(3, '<th class="sortable" data-column-type="flaky">Flaky</th>')

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        cells.insert(2, f'<td class="col-rules">{html.escape(" ".join(rules_of_report(report)))}</td>')
        cells.insert(3, f'<td class="col-flaky">{html.escape(flaky_note(report))}</td>')

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_summary(self, prefix: list[str], summary: list[str], postfix: list[str], session) -> None:
        # The run's facts are in the "Environment" table (pytest-metadata, filled above).
        flaky = tally(self.config).flaky()
        if flaky:
            items = "".join(f"<li>{html.escape(nodeid)}</li>" for nodeid in flaky)
            postfix.append(f'<div class="harness-flaky"><p><strong>Flaky: {len(flaky)} test(s) passed only '
                           f"when run again</strong> (their re-run's trace is kept)</p><ul>{items}</ul></div>")
        counts = tally(self.config).by_rule()
        if counts:
            lines = "".join(
                f"<tr><td>{html.escape(rule_id)}</td><td>{c['passed']}</td><td>{c['failed']}</td>"
                f"<td>{c['skipped']}</td></tr>"
                for rule_id, c in counts.items()
            )
            postfix.append(
                "<details><summary>Results by contract rule</summary>"
                '<table class="harness-rules"><tr><th>Rule</th><th>Passed</th><th>Failed</th>'
                f"<th>Skipped</th></tr>{lines}</table></details>"
            )


def _target_from_options(config: pytest.Config) -> str:
    base_url = config.getoption("--base-url", default=None)
    if config.getoption("--target", default=None):
        return f"foreign portal at {base_url} (target file {config.getoption('--target')})"
    return "bundled mock, one per worker"

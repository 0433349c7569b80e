"""The suite's pytest plugin: every option, hook and fixture of the harness, in one place.

Extends pytest-playwright rather than replacing it: its ``browser``, ``context``, ``page``,
``new_context``, ``--browser``, ``--headed``, ``--tracing``, ``--screenshot`` and ``--output``
all keep working; this plugin chooses the executable, the base URL and who is signed in, and
adds what a conformance run needs. The heavy parts live in modules of their own, as in
pytest-xdist:

- ``target.py`` (the bundled mock or a portal from a target file, ``target_file.py``),
  ``accounts.py``, ``browser.py`` (which Chromium);
- ``shared.py`` (screens shared by a worker's tests), ``killmatrix.py`` (the kill matrix in
  one session);
- ``artifacts.py`` (the output folder, secrets kept out of traces and reports),
  ``progress.py`` (rule ids, counts by rule, flaky tests), ``report.py`` (JUnit and HTML).
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from xdist import is_xdist_worker

from certs.catalogue import Catalogue, generate
from contract.rules import RULES, needed_rule_ids, rule_ids
from contract.words import LANGUAGES, Words
from fixtures import BelgianData, derive_seed, run_seed
from harness import browser as browser_choice
from harness import evidence
from harness.accounts import Employer
from harness.artifacts import (
    MIN_SECRET_LENGTH,
    register_secret,
    scrub_text,
    scrub_trace,
    secrets_of,
    short_secret_warning,
    wipe_output,
)
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
from harness.gallery import BASELINES_DIR, GALLERY_DIR
from harness.gallery import report_link as gallery_link
from harness.killmatrix import KillRun
from harness.leases import Leases, LeaseServer, Pool
from harness.progress import (
    EXCLUDED,
    EXCLUDED_PROPERTY,
    FLAKY_PROPERTY,
    KIND_PROPERTY,
    KNOWN_PROPERTY,
    OTHER,
    RULES_PROPERTY,
    Tally,
    kind_of,
    rules_of_report,
    summary_data,
    summary_lines,
    summary_markdown,
    why_not_run,
    with_rules,
)
from harness.report import RunFacts, describe_target, html_header, html_row, html_summary
from harness.shared import REPORTS, SharedScreens, is_rerun
from harness.target import ForeignTarget, MockTarget, PreflightError, Target, catalogue_options, load_target
from harness.target_file import TargetFile, TargetFileError, read_target_file

# The bundled mock's catalogue company, with an accent: CERT-6 compares it in Unicode NFC.
CATALOGUE_COMPANY = "Société Générale de Fixtures SRL"
DEFAULT_WAIT_S = 5.0
ENV_CONNECT_WS = "PW_CONNECT_WS"
# Which of this machine's hosts a remote browser may reach through its connection.
ENV_EXPOSE_NETWORK = "PW_CONNECT_EXPOSE_NETWORK"

TARGET_KEY = pytest.StashKey[Target]()
SCREENS_KEY = pytest.StashKey[SharedScreens]()
TARGET_FILE_KEY = pytest.StashKey["TargetFile | None"]()
POOL_KEY = pytest.StashKey[Pool]()  # the controller's: the target file's employers, leased
LEASE_SERVER_KEY = pytest.StashKey[LeaseServer]()
LEASES_INPUT = "harness_leases"  # the lease server's address, in each xdist worker's workerinput
_TEST_SECRETS = pytest.StashKey[set[str]]()
_SUMMARY_KEY = pytest.StashKey[bool]()  # set once the end-of-run summary is being written


# --- options ---------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("channel-conformance")
    # which portal
    group.addoption(
        "--target", metavar="FILE", help="target file (TOML) for a portal other than the bundled mock; needs --base-url"
    )
    group.addoption(
        "--language",
        choices=LANGUAGES,
        default=None,
        help="interface language of the bundled mock (default fr; a --target file says its own)",
    )
    group.addoption(
        "--mock-skin",
        choices=("default", "variant"),
        default="default",
        help="the bundled mock's markup: 'variant' takes every freedom contract §3 allows "
        "(the proof that the page objects rely on the contract only)",
    )
    group.addoption(
        "--mock-defect",
        action="append",
        default=[],
        metavar="NAME",
        help="start the bundled mock with this named defect (python -m mockportal --list-defects)",
    )
    group.addoption(
        "--allow-mutations",
        action="store_true",
        default=False,
        help="on a --target portal, run the tests that create or delete a configuration (they remove what they create)",
    )
    group.addoption(
        "--remove-existing-configuration",
        action="store_true",
        default=False,
        help="on a --target portal, delete a configuration the file's employers already have "
        "instead of refusing to start",
    )
    # which tests
    group.addoption(
        "--rule",
        action="append",
        default=[],
        metavar="ID",
        help="run only the tests that name this rule id (CERT-5) or a rule of this family "
        "(CERT); repeatable. Rule ids also work in -k",
    )
    group.addoption(
        "--summary",
        metavar="DIR",
        help="write the results by rule to DIR/summary.md (also appended to $GITHUB_STEP_SUMMARY "
        "when set) and DIR/summary.json",
    )
    group.addoption(
        "--collect-rules", metavar="FILE", help="write the collected tests and the rule ids each names, as JSON"
    )
    # how
    group.addoption(
        "--faker-seed", type=int, default=None, help="seed for generated test data (default: random, printed)"
    )
    group.addoption(
        "--wait-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long expect() and page actions wait for the portal before failing "
        f"(default: the target file's wait_timeout, else {DEFAULT_WAIT_S:g}; Playwright's own action default is 30)",
    )
    group.addoption(
        "--fail-on-skip",
        action="store_true",
        default=False,
        help="fail the run when a test was not run for another reason than the target file's "
        "choice (want of an employer, no test API, mutations not allowed); a target file's "
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
    group.addoption(
        "--fresh-screens",
        action="store_true",
        default=False,
        help="give every test a screen of its own instead of a worker's shared screen "
        "(slower; for portals that keep wizard drafts per user, or to rule sharing out)",
    )
    group.addoption(
        "--trace-reruns",
        action="store_true",
        default=False,
        help="record a Playwright trace of each re-run of a failed test (with --reruns N), "
        "not of first attempts: Playwright Test's trace 'on-first-retry'. The re-run's "
        "trace is kept whether it passes (a flaky test) or fails",
    )
    group.addoption(
        "--connect-ws",
        metavar="URL",
        default=os.environ.get(ENV_CONNECT_WS) or None,
        help=f"connect to a remote Playwright browser server at this WebSocket URL "
        f"(default: ${ENV_CONNECT_WS}) instead of launching a browser",
    )
    # the kill matrix (python -m harness.mutants)
    group.addoption(
        "--kill-defect",
        action="append",
        default=[],
        metavar="NAME",
        help="kill-matrix mode: for each named defect in turn, switch the bundled mock to it and "
        "run the tests (its rule's first) until one fails; see harness/killmatrix.py",
    )
    group.addoption("--kill-report", metavar="FILE", help="kill-matrix mode: write one JSON row per defect here")
    group.addoption(
        "--kill-hints",
        metavar="FILE",
        help="kill-matrix mode: {defect: test that caught it last time}, tried first among its part",
    )
    # the screen gallery (make gallery, tests/gallery, harness/gallery.py, docs/gallery.md)
    gallery = parser.getgroup("channel-conformance gallery")
    gallery.addoption(
        "--gallery-dir",
        metavar="DIR",
        default=str(GALLERY_DIR),
        help=f"where the gallery writes its folders and index.html (default {GALLERY_DIR}); "
        "the conformance HTML report links to its index when there is one",
    )
    gallery.addoption(
        "--visual",
        action="store_true",
        default=False,
        help="compare each gallery shot (values that change masked) with its baseline; "
        "a difference fails, with the baseline, the shot and a diff image",
    )
    gallery.addoption(
        "--update-baselines",
        action="store_true",
        default=False,
        help="write each gallery shot as its baseline instead of comparing",
    )
    gallery.addoption(
        "--baselines",
        metavar="DIR",
        default=str(BASELINES_DIR),
        help=f"the baselines, a folder per target inside (default {BASELINES_DIR})",
    )
    gallery.addoption(
        "--visual-max-diff",
        metavar="PIXELS",
        type=int,
        default=0,
        help="how many pixels may differ from the baseline before --visual fails (default 0)",
    )


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright registers its own base_url fixture after the conftests (when
    # pytest-base-url is absent), and the fixture registered last wins: register ours later.
    if not config.pluginmanager.has_plugin("harness-base-url"):
        config.pluginmanager.register(_BaseUrl, "harness-base-url")
    _check_usage(config)
    target_file = config.stash[TARGET_FILE_KEY] = _read_target_file(config)
    if target_file is not None and not hasattr(config, "workerinput"):
        pool = config.stash[POOL_KEY] = Pool(len(target_file.employers))
        if config.getoption("numprocesses", default=None) and not config.getoption("collectonly"):
            config.stash[LEASE_SERVER_KEY] = LeaseServer(pool)


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(LEASE_SERVER_KEY, None)
    if server is not None:
        server.close()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist's hook on the controller: each worker learns where the employers are leased."""
    server = node.config.stash.get(LEASE_SERVER_KEY, None)
    if server is not None:
        node.workerinput[LEASES_INPUT] = list(server.address)


def _leases(config: pytest.Config, worker: str) -> Leases:
    """This process's way to the run's employer leases: the controller's pool over its socket
    (an xdist worker), or the pool itself."""
    address = getattr(config, "workerinput", {}).get(LEASES_INPUT)
    if address is not None:
        return Leases(address=(address[0], int(address[1])), worker=worker)
    return Leases(pool=config.stash[POOL_KEY], worker=worker)


def _check_usage(config: pytest.Config) -> None:
    """Mistakes in the options, each a one-line usage error before anything is collected."""
    target, base_url = config.getoption("--target"), config.getoption("--base-url", default=None)
    if target and not base_url:
        raise pytest.UsageError("--target FILE needs --base-url URL: the file describes the portal at that URL")
    if base_url and not target:
        raise pytest.UsageError(
            "--base-url URL needs --target FILE: the file names the portal's employers and accounts (docs/targets.md)"
        )
    if target and config.getoption("--language"):
        raise pytest.UsageError("--language is the bundled mock's: a --target file gives its portal's language")
    if target and config.getoption("--mock-skin") != "default":
        raise pytest.UsageError("--mock-skin is the bundled mock's: a --target portal has its own markup")
    defects = [*config.getoption("--mock-defect"), *config.getoption("--kill-defect")]
    if defects:
        from mockportal.defects import DEFECTS  # names only: which defects exist

        unknown = [name for name in defects if name not in DEFECTS]
        if unknown:
            raise pytest.UsageError(
                f"unknown defect(s) {', '.join(unknown)}: python -m mockportal --list-defects lists them"
            )
    if config.getoption("--kill-defect") and target:
        raise pytest.UsageError("--kill-defect switches the bundled mock's defects: it takes no --target")
    families = {rule_id.rsplit("-", 1)[0] for rule_id in RULES}
    # Rule ids in any case ("cert-5" is CERT-5); a name that is none gets the nearest ones.
    config.option.rule = [r.strip().upper() for r in config.getoption("--rule")]
    unknown_rules = [r for r in config.getoption("--rule") if r not in RULES and r not in families]
    if unknown_rules:
        near = difflib.get_close_matches(unknown_rules[0], [*RULES, *families], n=3, cutoff=0.5)
        raise pytest.UsageError(
            f"--rule {unknown_rules[0]}: not a rule id or family of docs/contract.md"
            + (f"; did you mean {' or '.join(near)}?" if near else "")
            + f" (families: {', '.join(sorted(families))})"
        )
    if config.getoption("--trace-reruns") and config.getoption("--tracing", default="off") != "off":
        raise pytest.UsageError("--trace-reruns traces re-runs only: leave --tracing off")
    if config.getoption("--visual") and config.getoption("--update-baselines"):
        raise pytest.UsageError(
            "--visual compares with the baselines, --update-baselines rewrites them: give one of them"
        )


def _read_target_file(config: pytest.Config) -> TargetFile | None:
    """The --target file, checked now: a bad file stops the run before anything starts."""
    path = config.getoption("--target")
    if not path:
        return None
    try:
        target_file = read_target_file(Path(path))
    except TargetFileError as error:
        raise pytest.UsageError(str(error)) from None
    for secret in target_file.secrets:
        register_secret(secret)
    return target_file


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [f"faker seed: {config.getoption('--faker-seed')} (replay with --faker-seed)"]
    target_file = config.stash.get(TARGET_FILE_KEY, None)
    if target_file is not None:
        rules = ("[seed] and [public] rules only" if target_file.skip_mock_only else "all rules") + (
            f", excluding {', '.join(target_file.exclude)}" if target_file.exclude else ""
        )
        lines.append(
            f"target file: {target_file.path} ({len(target_file.employers)} employer(s), language "
            f"{target_file.language}, {rules}; mutations "
            f"{'allowed' if config.getoption('--allow-mutations') else 'skipped'})"
        )
        for employer in target_file.employers:
            for account in employer.accounts.values():
                warning = account.password and short_secret_warning(account.username, account.password)
                if warning:
                    lines.append(f"warning: {warning}")
        if target_file.ca_key is None:
            lines.append(
                "target file names no certificates.ca_key: the run's fixture CA is new, the portal "
                "does not trust it, and certificates it issues will be refused (CERT-6)"
            )
    return lines


# --- the session -------------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """On the controller (or the single process), before xdist starts its workers: pick the
    seed they inherit, wipe ``--output`` once, check a foreign portal's employers, and listen to
    every report."""
    config = session.config
    if is_xdist_worker(session):
        return
    config.option.faker_seed = run_seed(config.getoption("--faker-seed"))
    config.pluginmanager.register(_Controller(config), "harness-controller")
    if config.getoption("collectonly"):
        return
    # pytest-playwright wipes --output in every worker as its first test starts, which can delete
    # what a faster worker already kept; here only the controller wipes it, once.
    wipe_output(config.getoption("--output", default=None))
    target_file = config.stash.get(TARGET_FILE_KEY, None)
    if target_file is not None:
        _preflight(config, target_file)


def _preflight(config: pytest.Config, target_file: TargetFile) -> None:
    """The foreign portal's preflight (``ForeignTarget.preflight``) in a browser of its own, the
    run's ``--browser``: any problem is one line and a usage error, never a crash."""
    from playwright.sync_api import sync_playwright

    target = load_target(target_file.path, config.getoption("--base-url"), Leases(pool=Pool(0)), "controller")
    endpoint = config.getoption("--connect-ws")
    names = config.getoption("--browser", default=None) or ["chromium"]
    writer = config.get_terminal_writer()
    try:
        with sync_playwright() as playwright:
            browser_type = getattr(playwright, names[0])
            if endpoint:
                browser = browser_type.connect(endpoint, expose_network="<loopback>")
            elif names[0] == "chromium":
                browser = browser_type.launch(**browser_choice.launch_args(browser_choice.find_chromium(install=False)))
            else:
                browser = browser_type.launch()
            try:
                target.preflight(browser, remove=config.getoption("--remove-existing-configuration"), say=writer.line)
            finally:
                browser.close()
    except PreflightError as error:
        raise pytest.UsageError(str(error)) from None
    except Exception as error:  # noqa: BLE001 - no browser for the preflight: one line, not a traceback
        raise pytest.UsageError(
            f"preflight: could not start the {names[0]} browser to check the portal: {type(error).__name__}: "
            f"{str(error).strip().splitlines()[0] if str(error).strip() else ''}"
        ) from None


class _Controller:
    """Registered on the controller only: workers forward every report to it."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.tally = Tally()
        self.facts = RunFacts()
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
        return folders and not (self.config.getoption("--rule") or option.keyword or option.markexpr)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.tally.add(report)
        self.facts.add(report)

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected = self.deselected or bool(items)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """The run's facts, before junitxml and pytest-html write their files (they run later),
        and the summaries by rule."""
        facts = self.facts.as_dict(self.config)
        from _pytest.junitxml import xml_key

        xml = self.config.stash.get(xml_key, None)
        if xml is not None:
            for name, value in facts.items():
                xml.add_global_property(name.lower().replace(" ", "_"), value)
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
            counts = {why: n for why, n in self.tally.not_run_counts().items() if why != EXCLUDED}
            if counts:
                self.skips_fail = (
                    "--fail-on-skip: "
                    + ", ".join(f"{n} test(s) not run ({why})" for why, n in counts.items())
                    + "; only what the target file excludes may be left out"
                )
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        self.write_summaries(facts)

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
        report.title = f"channel-conformance — {_target_title(self.config)}"

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        html_header(cells)

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        html_row(report, cells)

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_summary(self, prefix: list[str], summary: list[str], postfix: list[str]) -> None:
        postfix.extend(html_summary(self.tally))
        postfix.extend(
            gallery_link(self.config.getoption("htmlpath", default=None), Path(self.config.getoption("--gallery-dir")))
        )


# --- collection --------------------------------------------------------------------------------


def pytest_itemcollected(item: pytest.Item) -> None:
    """Put the test's rule ids on all its reports (workers collect too), and among the words
    ``-k`` matches."""
    ids = rule_ids(item)
    if ids:
        item.user_properties.append((RULES_PROPERTY, " ".join(ids)))
        item.extra_keyword_matches.update(ids)
    kind = kind_of(item)
    if kind:
        item.user_properties.append((KIND_PROPERTY, kind))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        ids = rule_ids(item)
        unknown = [i for i in (*ids, *needed_rule_ids(item)) if i not in RULES]
        if unknown:
            raise pytest.UsageError(f"{item.nodeid} names unknown rule ids {unknown}")
        # A check resting only on [mock] rules can be left out of staging runs.
        if ids and all(RULES[i].mock_only for i in ids):
            item.add_marker(pytest.mark.mock_only)
    wanted = config.getoption("--rule")
    if wanted:
        keep = [
            item
            for item in items
            if any(rule_id in wanted or rule_id.rsplit("-", 1)[0] in wanted for rule_id in rule_ids(item))
        ]
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep
    target_file = config.stash.get(TARGET_FILE_KEY, None)
    if target_file is not None:
        _skip_what_the_target_file_leaves_out(config, target_file, items)


def _skip_what_the_target_file_leaves_out(
    config: pytest.Config, target_file: TargetFile, items: list[pytest.Item]
) -> None:
    allow_mutations = config.getoption("--allow-mutations")
    excluded = set(target_file.exclude)
    for item in items:
        ids, needed = rule_ids(item), needed_rule_ids(item)
        left_out = sorted(excluded.intersection((*ids, *needed)))
        mock_needed = [i for i in needed if RULES[i].mock_only]
        reason = None
        if item.get_closest_marker("mutating") and not allow_mutations:
            item.add_marker(
                pytest.mark.skip(
                    reason="creates or deletes a configuration on the target portal: pass --allow-mutations to run it"
                )
            )
        elif target_file.skip_mock_only and ids and all(RULES[i].mock_only for i in ids):
            reason = f"rests only on [mock] rules ({', '.join(ids)}) and the target file sets rules.skip_mock_only"
        elif target_file.skip_mock_only and mock_needed:
            reason = (
                f"reaches its check through the screens of [mock] rule(s) {', '.join(mock_needed)} and the "
                "target file sets rules.skip_mock_only"
            )
        elif left_out:
            reason = f"checks or needs {', '.join(left_out)}, which the target file's rules.exclude leaves out"
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))
            item.user_properties.append((EXCLUDED_PROPERTY, reason))
            continue
        known = next((k for k in target_file.known_failures if k.matches(item.nodeid, ids)), None)
        if known is not None:  # it still runs: a failure is expected, a pass fails the run
            item.add_marker(pytest.mark.xfail(reason=f"{known.label}: {known.reason}", strict=True))
            item.user_properties.append((KNOWN_PROPERTY, known.label))


def pytest_collection_finish(session: pytest.Session) -> None:
    path = session.config.getoption("--collect-rules")
    if path:
        Path(path).write_text(
            json.dumps(
                {item.nodeid: {"rules": list(rule_ids(item)), "kind": kind_of(item)} for item in session.items},
                indent=1,
            )
        )


# --- each test ---------------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[REPORTS] = {}  # a re-run starts with a clean slate
    # Before pytest-playwright's per-test recorder reads --tracing: "on" for a re-run only.
    if item.config.getoption("--trace-reruns"):
        item.config.option.tracing = "on" if is_rerun(item) else "off"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Each phase's report: kept on the item (shared screens read it in tear-down), marked
    flaky when a re-run passes, told the browser and target (tear-down), and scrubbed.

    pytest-playwright's trylast wrapper has already moved a failed test's traces to
    ``--output`` and named them in ``user_properties`` when this code runs.
    """
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    funcargs = getattr(item, "funcargs", None) or {}
    known = next((str(value) for name, value in item.user_properties if name == KNOWN_PROPERTY), None)
    if known and report.when == "call" and report.failed and str(report.longrepr).startswith("[XPASS(strict)]"):
        report.longrepr = (
            f"{known} passed: the portal now does what the rule asks. Fixed? remove the expectation from the "
            f"target file's known_failures ({str(report.longrepr).removeprefix('[XPASS(strict)] ')})"
        )
    elif report.failed and report.when in ("setup", "call") and not item.config.getoption("--kill-defect"):
        _explain_failure(item, report, funcargs)
    if report.when == "teardown":
        _name_cleanup_screenshots(report)
    attempt = getattr(item, "execution_count", 1)
    if report.when == "call" and report.passed and attempt > 1:
        note = (FLAKY_PROPERTY, f"passed on attempt {attempt}")
        item.user_properties.append(note)  # for the tear-down report, which JUnit reads
        report.user_properties.append(note)  # for this one, which the HTML report's row shows
    if report.when == "teardown":
        # Extra attributes travel with the report to the controller (xdist serialises them).
        if funcargs.get("browser") is not None:
            browser = funcargs["browser"]
            vars(report)["harness_browser"] = f"{browser.browser_type.name} {browser.version}"
        if funcargs.get("target") is not None:
            vars(report)["harness_target"] = describe_target(funcargs["target"])
    _scrub(item, report, funcargs)
    return report


def _target_title(config: pytest.Config) -> str:
    """The portal a run checks, for the report's title."""
    if config.getoption("--target", default=None):
        return f"{config.getoption('--base-url')} ({Path(str(config.getoption('--target'))).name})"
    defects = config.getoption("--mock-defect", default=[])
    skin = config.getoption("--mock-skin", default="default")
    return f"the bundled mock, {skin} skin" + (f", defects {', '.join(defects)}" if defects else "")


def _explain_failure(item: pytest.Item, report: pytest.TestReport, funcargs: dict[str, Any]) -> None:
    """The moment of failure's pictures, taken before any clean-up, and the failure's first
    lines: the rules, the certificate, what happened, the evidence, a rerun command."""
    pictures: list[Path] = []
    browser = funcargs.get("browser")
    if browser is not None:
        screens = item.config.stash.get(SCREENS_KEY, None)
        others = screens.contexts_of_others(item.nodeid, walks="walked" in funcargs) if screens else set()
        contexts = [context for context in browser.contexts if context not in others]
        folder = evidence.test_folder(item.config, item.nodeid, getattr(item, "execution_count", 1))
        pictures = evidence.capture(contexts, folder)
    # A plain text (xdist sends it to the controller as it is); pytest prints it as the failure.
    report.longrepr = evidence.header(item, report, pictures) + "\n\n" + str(report.longrepr)
    cwd = item.config.invocation_params.dir
    for picture in pictures:
        report.user_properties.append(("failure_screenshot", os.path.relpath(picture, cwd)))
    _embed(item, report, [(f"At the failure ({picture.name})", picture) for picture in pictures])


def _embed(item: pytest.Item, report: pytest.TestReport, pictures: list[tuple[str, Path]]) -> None:
    """The pictures in pytest-html's report of this test (embedded in a self-contained one)."""
    pytest_html = item.config.pluginmanager.getplugin("html")
    if pytest_html is None or not pictures or not item.config.getoption("htmlpath", default=None):
        return
    import base64

    extras = vars(report).setdefault("extras", [])
    for name, picture in pictures:
        extras.append(pytest_html.extras.png(base64.b64encode(picture.read_bytes()).decode(), name=name))


def _name_cleanup_screenshots(report: pytest.TestReport) -> None:
    """pytest-playwright photographs a failed test's pages when its contexts close, after the
    clean-up: its pictures are renamed as such (the moment of failure has its own)."""
    renamed = []
    for index, (name, value) in enumerate(report.user_properties):
        if name == "playwright_screenshot" and Path(str(value)).name.startswith("test-failed-"):
            old = Path(str(value))
            new = old.with_name(old.name.replace("test-failed-", f"{evidence.AFTER_CLEANUP}-"))
            if old.exists():
                old.rename(new)
            report.user_properties[index] = (name, str(new))
            renamed.append(new)
    for extra in vars(report).get("extras", []):
        if extra.get("name") == "Screenshot" and renamed:
            extra["name"] = "After the clean-up"


def _scrub(item: pytest.Item, report: pytest.TestReport, funcargs: dict[str, Any]) -> None:
    """Mask the test's secrets (its accounts' passwords, its context's cookies) in its kept
    traces and its report's texts. They stay with this test: a run-wide list would grow with
    every session cookie and make each scrub slower."""
    secrets = item.stash.setdefault(_TEST_SECRETS, set())
    secrets.update(secrets_of(funcargs.values()))
    context = funcargs.get("context")
    if context is not None and report.when != "teardown":  # still open: its session cookies
        try:
            secrets.update(c["value"] for c in context.cookies() if len(c["value"]) >= MIN_SECRET_LENGTH)
        except Exception:  # noqa: BLE001 - a closed or broken context has nothing left to leak
            pass
    for name, value in report.user_properties:
        if name == "playwright_trace":
            trace = Path(item.config.invocation_params.dir, str(value))
            if trace.exists():
                scrub_trace(trace, secrets)
    if report.failed and report.longrepr is not None:
        text = str(report.longrepr)
        scrubbed = scrub_text(text, secrets)
        if scrubbed != text:  # only then lose the structured traceback
            report.longrepr = scrubbed
    report.sections = [(title, scrub_text(content, secrets)) for title, content in report.sections]


@pytest.hookimpl(wrapper=True)
def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Iterator[None]:
    """In verbose mode, ``PASSED [CERT-1 CERT-2]``: the rule ids next to each result. A test
    not run is counted by why (``harness/progress.py``), so the run's last line says it: "250
    passed, 40 not run (want of an employer), 8 excluded by the target"."""
    result = yield
    if result and report.skipped and not hasattr(report, "wasxfail") and report.when in ("setup", "call"):
        why = why_not_run(report)
        if why != OTHER:
            category = why if why == EXCLUDED else f"not run ({why})"
            result = (category, result[1], result[2])
    ids = rules_of_report(report)
    # Not in the short summary at the end: it folds skips of several tests into one line.
    if not ids or not result or config.getoption("verbose") <= 0 or config.stash.get(_SUMMARY_KEY, False):
        return result
    category, letter, word = result
    return (category, letter, with_rules(word, ids)) if word else result


def pytest_runtestloop(session: pytest.Session) -> bool | None:
    """Kill-matrix mode (``--kill-defect``): the defects in turn, in this one session."""
    config = session.config
    names = config.getoption("--kill-defect")
    if not names or config.getoption("collectonly"):
        return None
    from mockportal.defects import DEFECTS  # the registry: each defect's name and rule id

    def switch(defects: list[str]) -> None:
        target = config.stash.get(TARGET_KEY, None)
        if not isinstance(target, MockTarget):  # not started yet: the mock starts with them
            config.option.mock_defect = list(defects)
            return
        screens = config.stash.get(SCREENS_KEY, None)
        if screens is not None:
            screens.reset()
        target.set_defects(defects)

    writer = config.get_terminal_writer()

    def write(line: str) -> None:  # at once: the parent process relays it as the run goes on
        writer.line(line)
        writer.flush()

    report, hints = config.getoption("--kill-report"), config.getoption("--kill-hints")
    KillRun(
        session.items,
        [(name, DEFECTS[name].rule_id) for name in names],
        switch,
        Path(report) if report else None,
        write,
        json.loads(Path(hints).read_text(encoding="utf-8")) if hints and Path(hints).exists() else None,
    ).run()
    return True


# --- fixtures: the portal under test ------------------------------------------------------------


def _worker(config: pytest.Config) -> tuple[str, int]:
    """This process's xdist worker id and index (``gw1``, 1), or ("main", 0) without workers."""
    workerid = str(getattr(config, "workerinput", {}).get("workerid", "main"))
    return workerid, int(workerid[2:]) if workerid.startswith("gw") and workerid[2:].isdigit() else 0


@pytest.fixture(scope="session")
def catalogue(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Catalogue:
    """The fixture-certificate catalogue for this run (one per worker)."""
    options: dict[str, Any] = {"company": CATALOGUE_COMPANY}
    target_file = pytestconfig.stash.get(TARGET_FILE_KEY, None)
    if target_file is not None:  # the file's employer's name, the CA the portal trusts
        try:
            options = catalogue_options(target_file, _worker(pytestconfig)[1])
        except TargetFileError as error:
            raise pytest.UsageError(str(error)) from None
    out = tmp_path_factory.mktemp("catalogue")
    return generate(out, seed=pytestconfig.getoption("--faker-seed"), **options)


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config, catalogue: Catalogue) -> Iterator[Target]:
    target_file = pytestconfig.stash.get(TARGET_FILE_KEY, None)
    the_target: Target
    leases: Leases | None = None
    if target_file is not None:
        worker = _worker(pytestconfig)[0]
        leases = _leases(pytestconfig, worker)
        foreign = load_target(target_file.path, pytestconfig.getoption("--base-url"), leases, worker)
        if not pytestconfig.getoption("--fresh-screens"):
            foreign.hold_screens(catalogue.company)
        the_target = foreign
    else:
        the_target = MockTarget(
            trust_paths=[catalogue.fixture_ca_path],
            defects=pytestconfig.getoption("--mock-defect"),
            language=pytestconfig.getoption("--language") or "fr",
            skin=pytestconfig.getoption("--mock-skin"),
        )
    pytestconfig.stash[TARGET_KEY] = the_target
    yield the_target
    del pytestconfig.stash[TARGET_KEY]
    the_target.close()
    if leases is not None:
        leases.close()


class _BaseUrl:
    """Holds ``base_url``, registered in pytest_configure (see there)."""

    @pytest.fixture(scope="session")
    @staticmethod
    def base_url(target: Target) -> str:
        """pytest-base-url's fixture, pointed at the target (the bundled mock unless --base-url)."""
        return target.base_url


@pytest.fixture(scope="session")
def words(target: Target) -> Words:
    """The word table in the target's interface language."""
    return Words(target.language)


# The fixtures that give a test an employer, and the shared screen whose kept employer serves
# instead when its worker has one (``ForeignTarget.hold_screens``).
_EMPLOYER_FIXTURES = {"employer": None, "shared_employer": "employer", "registered": "registered"}


def employers_needed(item: pytest.Item, target: ForeignTarget, company: str) -> tuple[int, list[str]]:
    """How many employers ``item`` takes from the file, and which by name: its ``employer``
    (or ``@pytest.mark.employers(n)``, all the test takes itself), and each shared screen's
    employer that its worker does not keep (the wizard steps' is named like the catalogue's
    company)."""
    fixtures = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("employers")
    count = int(marker.args[0]) if marker else int("employer" in fixtures)
    names: list[str] = []
    if "shared_employer" in fixtures and not target.keeps("employer"):
        names.append(company)
    if "registered" in fixtures and not target.keeps("registered"):
        count += 1
    if "walked" in fixtures:
        language = getattr(item, "callspec", None) and item.callspec.params.get("language")  # type: ignore[attr-defined]
        if not target.keeps(f"axe-walk:{language}"):
            count += 1
    return count, names


@pytest.fixture(autouse=True)
def _employer_lease(request: pytest.FixtureRequest) -> Iterator[None]:
    """On a foreign target: the employers this test needs, leased all at once before anything
    else of the test starts, given back in its tear-down; before that, after a ``mutating``
    test, pass or fail, any configuration its employers now have is deleted through the
    portal's own deletion screen."""
    if request.config.stash.get(TARGET_FILE_KEY, None) is None:
        yield
        return
    target: ForeignTarget = request.getfixturevalue("target")
    count, names = employers_needed(request.node, target, request.getfixturevalue("catalogue").company)
    mutating = request.node.get_closest_marker("mutating") is not None
    browser: Browser | None = request.getfixturevalue("browser") if mutating else None
    if count or names:
        target.take_lease(request.node.nodeid, count, names)
    try:
        yield
        if browser is not None:
            _remove_configurations(target, browser)
    finally:
        target.give_lease()


def _remove_configurations(target: ForeignTarget, browser: Browser) -> None:
    problems = []
    for employer in target.employers_in_use():
        try:
            target.remove_configuration(browser, employer)
        except Exception as error:  # noqa: BLE001 - report every employer left dirty, not just the first
            problems.append(f"{employer.name} ({employer.enterprise_number}): {error}")
    if problems:
        pytest.fail(
            "could not remove the configuration this test registered for "
            + "; ".join(problems)
            + ". Remove it on the portal, or rerun with "
            "--remove-existing-configuration.",
            pytrace=False,
        )


# --- fixtures: the browser -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_name: str, pytestconfig: pytest.Config
) -> dict[str, Any]:
    args = dict(browser_type_launch_args)
    target_file = pytestconfig.stash.get(TARGET_FILE_KEY, None)
    if target_file is not None and target_file.proxy:  # a corporate proxy between the browser and the portal
        args["proxy"] = {
            "server": target_file.proxy,
            **({"bypass": target_file.proxy_bypass} if target_file.proxy_bypass else {}),
        }
    if browser_name == "chromium":
        executable = browser_choice.find_chromium(install=False, headless=args.get("headless", True))
        for key, value in browser_choice.launch_args(executable).items():
            args[key] = [*args.get(key, []), *value] if key == "args" else value
    return args


@pytest.fixture(scope="session")
def connect_options(pytestconfig: pytest.Config) -> dict[str, Any] | None:
    """pytest-playwright's hook for ``browser_type.connect`` (``--connect-ws``): every worker
    connects once; tests still get a fresh context each. The client's loopback network is exposed
    to the remote browser, so it reaches the bundled mock each worker starts on 127.0.0.1."""
    endpoint = pytestconfig.getoption("--connect-ws")
    if not endpoint:
        return None
    return {"endpoint": endpoint, "expose_network": os.environ.get(ENV_EXPOSE_NETWORK, "<loopback>")}


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Replaces pytest-playwright's fixture of this name, which wipes ``--output`` in every
    worker; the controller has wiped it already (``pytest_sessionstart``)."""


def wait_seconds(config: pytest.Config) -> float:
    """``--wait-timeout``, else the target file's ``wait_timeout``, else 5 seconds."""
    target_file = config.stash.get(TARGET_FILE_KEY, None)
    given = config.getoption("--wait-timeout")
    if given is not None:
        return float(given)
    if target_file is not None and target_file.wait_timeout is not None:
        return target_file.wait_timeout
    return DEFAULT_WAIT_S


@pytest.fixture(scope="session", autouse=True)
def wait_timeout(pytestconfig: pytest.Config) -> float:
    """The wait in milliseconds (``wait_seconds``), set as expect()'s timeout for the whole run."""
    milliseconds = wait_seconds(pytestconfig) * 1000
    expect.set_options(timeout=milliseconds)
    return milliseconds


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], pytestconfig: pytest.Config) -> dict[str, Any]:
    """pytest-playwright's context arguments, with the target file's ``[browser]
    ignore_https_errors`` (a staging portal whose certificate a company CA issued)."""
    target_file = pytestconfig.stash.get(TARGET_FILE_KEY, None)
    if target_file is None or not target_file.ignore_https_errors:
        return browser_context_args
    return {**browser_context_args, "ignore_https_errors": True}


class NewContext(Protocol):
    def __call__(self, **kwargs: Any) -> BrowserContext: ...


@pytest.fixture
def new_context(new_context: NewContext, wait_timeout: float) -> NewContext:
    """pytest-playwright's ``new_context`` (traces, screenshots, clean-up kept), with
    ``--wait-timeout`` as the contexts' action timeout."""

    def _new_context(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.set_default_timeout(wait_timeout)
        return context

    return _new_context


@pytest.fixture(scope="session")
def shared_screens(
    browser: Browser, browser_context_args: dict[str, Any], pytestconfig: pytest.Config, wait_timeout: float
) -> Iterator[SharedScreens]:
    """This worker's shared screens (``harness/shared.py``), closed when the run ends."""

    def new_context() -> BrowserContext:
        context = browser.new_context(**browser_context_args)
        context.set_default_timeout(wait_timeout)
        return context

    screens = SharedScreens(new_context, enabled=not pytestconfig.getoption("--fresh-screens"))
    pytestconfig.stash[SCREENS_KEY] = screens
    yield screens
    del pytestconfig.stash[SCREENS_KEY]
    screens.reset()


# --- fixtures: per-test employer, session and data ---------------------------------------------


@pytest.fixture
def employer(target: Target) -> Employer:
    """A fresh employer with its three accounts (gl, cogl, user), for this test alone."""
    return target.new_employer()


class SignIn(Protocol):
    def __call__(self, employer: Employer, role: str = "gl", *, context: BrowserContext | None = None) -> Page: ...


@pytest.fixture
def sign_in(target: Target, context: BrowserContext, base_url: str) -> SignIn:
    """``sign_in(employer, role="gl", *, context=None) -> Page`` opened at the entry point.

    Signs the account in without typing the login form where the target allows it. Pass another
    context (from ``new_context``) for a second user in the same test.
    """
    default_context = context

    def _sign_in(employer: Employer, role: str = "gl", *, context: BrowserContext | None = None) -> Page:
        ctx = context or default_context
        target.sign_in(ctx, employer.account(role))
        page = ctx.new_page()
        page.goto(base_url + "/")
        return page

    return _sign_in


@pytest.fixture
def data_seed(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> int:
    """A seed per test, from the run's seed and the test id: replays do not depend on order."""
    return derive_seed(pytestconfig.getoption("--faker-seed"), request.node.nodeid)


@pytest.fixture
def belgian(target: Target, data_seed: int) -> BelgianData:
    """Belgian test data in the target's language, seeded for this test."""
    return BelgianData(language=target.language, seed=data_seed)

"""The suite's pytest plugin: the options, hooks and fixtures every run needs.

Extends pytest-playwright rather than replacing it: its ``browser``, ``context``, ``page``,
``new_context``, ``--browser``, ``--headed``, ``--tracing``, ``--screenshot`` and ``--output``
all keep working; this plugin chooses the executable, the base URL and who is signed in. The
other jobs are plugins of their own, as in pytest-xdist, each with its options and hooks:

- ``selection.py``: rule ids on every test, ``--rule``, what a target file leaves out;
- ``report.py``: the results by rule (terminal, summary.md and .json, JUnit, HTML), baselines,
  history, ``--fail-on-skip``;
- ``leases.py``: a target file's employers, leased to the tests of every worker;
- ``gallery.py``: the screen gallery's options;
- ``schedule.py``: under ``--dist loadgroup``, the tests marked ``slow`` start first;
- ``killmatrix.py``: registered only in kill-matrix runs (``-p harness.killmatrix``).

The root ``conftest.py`` registers them (``pytest_plugins``), all but the kill matrix.

What the hooks here apply lives beside them: ``target.py`` (the bundled mock or a portal from
a target file, ``target_file.py``), ``shared.py`` (screens shared by a worker's tests),
``evidence.py`` (a failure's first lines and pictures), ``artifacts.py`` (the output folder,
secrets kept out of traces and reports), ``browser.py`` (which Chromium).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from xdist import is_xdist_worker

from certs.catalogue import Catalogue, generate
from contract.words import LANGUAGES, Words
from fixtures import BelgianData, derive_seed, run_seed
from harness import browser as browser_choice
from harness import evidence
from harness.accounts import Employer
from harness.artifacts import register_secret, scrub_report, short_secret_warning, wipe_output
from harness.leases import leases_of
from harness.progress import FLAKY_PROPERTY, KNOWN_PROPERTY, NOT_VERIFIABLE, UNVERIFIED_PROPERTY
from harness.shared import (
    REPORTS,
    SCREENS_KEY,
    SharedScreens,
    employers_needed,
    group_shared_steps,
    hold_keys,
    is_rerun,
)
from harness.target import (
    TARGET_KEY,
    ForeignTarget,
    MockTarget,
    PreflightError,
    Target,
    UndeclaredEmployers,
    WantOfEmployer,
    catalogue_options,
    load_target,
)
from harness.target_file import TARGET_FILE_KEY, TargetFile, TargetFileError, read_target_file

# The bundled mock's catalogue company, with an accent: CERT-6 compares it in Unicode NFC.
CATALOGUE_COMPANY = "Société Générale de Fixtures SRL"
DEFAULT_WAIT_S = 5.0
ENV_CONNECT_WS = "PW_CONNECT_WS"
# Which of this machine's hosts a remote browser may reach through its connection.
ENV_EXPOSE_NETWORK = "PW_CONNECT_EXPOSE_NETWORK"


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


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright registers its own base_url fixture after the conftests (when
    # pytest-base-url is absent), and the fixture registered last wins: register ours later.
    if not config.pluginmanager.has_plugin("harness-base-url"):
        config.pluginmanager.register(_BaseUrl, "harness-base-url")
    _check_usage(config)
    config.stash[TARGET_FILE_KEY] = _read_target_file(config)


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
    defects = config.getoption("--mock-defect")
    if defects:
        from mockportal.defects import DEFECTS  # names only: which defects exist

        unknown = [name for name in defects if name not in DEFECTS]
        if unknown:
            raise pytest.UsageError(
                f"unknown defect(s) {', '.join(unknown)}: python -m mockportal --list-defects lists them"
            )
    if config.getoption("--trace-reruns") and config.getoption("--tracing", default="off") != "off":
        raise pytest.UsageError("--trace-reruns traces re-runs only: leave --tracing off")


def _read_target_file(config: pytest.Config) -> TargetFile | None:
    """The --target file, read once and checked now: a bad file stops the run before anything
    starts."""
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
    seed they inherit, wipe ``--output`` once, and check a foreign portal's employers."""
    config = session.config
    if is_xdist_worker(session):
        return
    config.option.faker_seed = run_seed(config.getoption("--faker-seed"))
    if config.getoption("collectonly"):
        return
    # pytest-playwright wipes --output in every worker as its first test starts, which can delete
    # what a faster worker already kept; here only the controller wipes it, once.
    wipe_output(config.getoption("--output", default=None))
    target_file = config.stash.get(TARGET_FILE_KEY, None)
    if target_file is not None:
        target = load_target(target_file, config.getoption("--base-url"), leases_of(config, "controller"))
        try:
            target.preflight(
                browser_name=(config.getoption("--browser", default=None) or ["chromium"])[0],
                connect_ws=config.getoption("--connect-ws"),
                remove=config.getoption("--remove-existing-configuration"),
                say=config.get_terminal_writer().line,
            )
        except PreflightError as error:
            raise pytest.UsageError(str(error)) from None


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups under loadgroup
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests sharing a screen form one xdist group (``--dist loadgroup``): one worker, one walk."""
    group_shared_steps(items)


# --- each test ---------------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[REPORTS] = {}  # a re-run starts with a clean slate
    # Before pytest-playwright's per-test recorder reads --tracing: "on" for a re-run only.
    if item.config.getoption("--trace-reruns"):
        item.config.option.tracing = "on" if is_rerun(item) else "off"


@contextlib.contextmanager
def _what_the_target_cannot_give() -> Iterator[None]:
    """What the target cannot give becomes the test's outcome, said in one line: a test not run
    for want of an employer, or a failure for taking more employers than it declared."""
    try:
        yield
    except WantOfEmployer as error:
        pytest.skip(str(error))
    except UndeclaredEmployers as error:
        pytest.fail(str(error), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Generator[None, object, object]:
    with _what_the_target_cannot_give():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: pytest.FixtureRequest) -> Generator[None, object, object]:
    with _what_the_target_cannot_give():  # a fixture that meets it (a lease, a shared screen's employer)
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Each phase's report: kept on the item (shared screens read it in tear-down), explained
    when it failed, marked flaky when a re-run passes, told the browser and target (tear-down),
    and scrubbed of secrets.

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
    elif report.failed and report.when in ("setup", "call") and not item.config.getoption("--kill-defect", None):
        evidence.explain_failure(item, report, funcargs)
    if report.when == "teardown":
        evidence.name_cleanup_screenshots(report)
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
            vars(report)["harness_target"] = funcargs["target"].description
    scrub_report(item, report, funcargs)
    return report


# --- fixtures: the portal under test ------------------------------------------------------------


def _worker_index(worker_id: str) -> int:
    """xdist's ``worker_id`` as a number: ``gw1`` is 1; ``master`` (no workers) is 0."""
    return int(worker_id[2:]) if worker_id.startswith("gw") else 0


@pytest.fixture(scope="session")
def catalogue(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config, worker_id: str) -> Catalogue:
    """The fixture-certificate catalogue for this run (one per worker)."""
    options: dict[str, Any] = {"company": CATALOGUE_COMPANY}
    target_file = pytestconfig.stash.get(TARGET_FILE_KEY, None)
    if target_file is not None:  # the file's employer's name, the CA the portal trusts
        try:
            options = catalogue_options(target_file, _worker_index(worker_id))
        except TargetFileError as error:
            raise pytest.UsageError(str(error)) from None
    out = tmp_path_factory.mktemp("catalogue")
    return generate(out, seed=pytestconfig.getoption("--faker-seed"), **options)


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config, catalogue: Catalogue, worker_id: str) -> Iterator[Target]:
    target_file = pytestconfig.stash.get(TARGET_FILE_KEY, None)
    the_target: Target
    if target_file is not None:
        leases = leases_of(pytestconfig, worker_id)
        foreign = load_target(
            target_file,
            pytestconfig.getoption("--base-url"),
            leases,
            worker_id,
            may_mutate=pytestconfig.getoption("--allow-mutations"),
        )
        if not pytestconfig.getoption("--fresh-screens"):
            foreign.hold_screens(catalogue.company, hold_keys())
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
    if isinstance(the_target, ForeignTarget):
        the_target.leases.close()


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


class Unverifiable(Protocol):
    def __call__(self, what: str) -> None: ...


@pytest.fixture
def unverifiable(request: pytest.FixtureRequest) -> Unverifiable:
    """``unverifiable("the store holds nothing")``: a check of this test the target cannot
    answer (it lacks a capability, ``harness/target.py``). The test goes on; its report and the
    results by rule say "not verifiable on this target", so no check disappears in silence."""

    def _unverifiable(what: str) -> None:
        request.node.user_properties.append((UNVERIFIED_PROPERTY, f"{NOT_VERIFIABLE}: {what}"))

    return _unverifiable


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

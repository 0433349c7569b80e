"""pytest plugin: the target portal, the browser, and per-test employers and sessions.

Extends pytest-playwright rather than replacing it: its ``browser``, ``context``, ``page``,
``--browser``, ``--headed``, ``--tracing``, ``--screenshot`` and ``--output`` all keep working;
this plugin only chooses the executable, the base URL and who is signed in.
"""
from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

from contract.rules import RULES, rule_ids
from contract.words import LANGUAGES, Words
from harness import browser as browser_choice
from harness.killmatrix import KillRun
from harness.shared import REPORTS, SharedScreens
from harness.target import Employer, MockTarget, Target

CATALOGUE_COMPANY = "Fixture Logistics SRL"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("channel-conformance")
    group.addoption("--target", metavar="FILE", help="target file (TOML) for a portal other than the bundled mock")
    group.addoption("--mock-defect", action="append", default=[], metavar="NAME",
                    help="start the bundled mock with this named defect (the kill matrix uses it)")
    group.addoption("--faker-seed", type=int, default=None, help="seed for generated test data (default: random, printed)")
    group.addoption("--language", choices=LANGUAGES, default=None, help="interface language of the mock (default fr)")
    group.addoption("--rules-first", action="append", default=[], metavar="RULE",
                    help="run the tests naming this rule id first (the kill matrix uses it with -x)")
    group.addoption("--collect-rules", metavar="FILE",
                    help="write the collected tests and the rule ids each names, as JSON")
    group.addoption("--kill-defect", action="append", default=[], metavar="NAME",
                    help="kill-matrix mode: for each named defect in turn, switch the bundled mock to it and "
                         "run the tests (its rule's first) until one fails; see harness/killmatrix.py")
    group.addoption("--kill-report", metavar="FILE", help="kill-matrix mode: write one JSON row per defect here")
    group.addoption("--wait-timeout", type=float, default=5.0, metavar="SECONDS",
                    help="how long expect() and page actions wait for the portal before failing "
                         "(default 5; Playwright's own action default is 30)")
    group.addoption("--fresh-screens", action="store_true", default=False,
                    help="give every test a screen of its own instead of a worker's shared screen "
                         "(slower; for portals that keep wizard drafts per user, or to rule sharing out)")


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright registers its own base_url fixture after the conftests (when
    # pytest-base-url is absent), and the fixture registered last wins: register ours later.
    if not config.pluginmanager.has_plugin("harness-base-url"):
        config.pluginmanager.register(_BaseUrl, "harness-base-url")
    if not hasattr(config, "workerinput"):  # the controller picks the seed; workers inherit it
        seed = config.getoption("--faker-seed")
        config.option.faker_seed = seed if seed is not None else random.SystemRandom().randrange(10**9)


def pytest_report_header(config: pytest.Config) -> str:
    return f"faker seed: {config.getoption('--faker-seed')} (replay with --faker-seed)"


def pytest_collection_finish(session: pytest.Session) -> None:
    path = session.config.getoption("--collect-rules")
    if path:
        Path(path).write_text(json.dumps({item.nodeid: list(rule_ids(item)) for item in session.items}, indent=1))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        ids = rule_ids(item)
        unknown = [i for i in ids if i not in RULES]
        if unknown:
            raise pytest.UsageError(f"{item.nodeid} names unknown rule ids {unknown}")
        # A check resting only on [mock] rules can be left out of staging runs.
        if ids and all(RULES[i].mock_only for i in ids):
            item.add_marker(pytest.mark.mock_only)
    first = set(config.getoption("--rules-first"))
    if first:
        # Stable: a defect's own rule's tests first, then the rest in their usual order.
        items.sort(key=lambda item: not first.intersection(rule_ids(item)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item: shared screens read them in tear-down."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[REPORTS] = {}  # a re-run starts with a clean slate


TARGET_KEY = pytest.StashKey[Target]()
SCREENS_KEY = pytest.StashKey[SharedScreens]()


def pytest_runtestloop(session: pytest.Session) -> bool | None:
    """Kill-matrix mode (``--kill-defect``): the defects in turn, in this one session."""
    config = session.config
    names = config.getoption("--kill-defect")
    if not names or config.getoption("collectonly"):
        return None
    if config.getoption("--target"):
        raise pytest.UsageError("--kill-defect switches the bundled mock's defects: it takes no --target")
    from mockportal.defects import DEFECTS  # the registry: each defect's name and rule id

    unknown = [name for name in names if name not in DEFECTS]
    if unknown:
        raise pytest.UsageError(f"--kill-defect: unknown defect(s) {', '.join(unknown)}")

    def switch(defects: list[str]) -> None:
        target = config.stash.get(TARGET_KEY, None)
        if target is None:  # not started yet: the mock starts with them
            config.option.mock_defect = list(defects)
            return
        screens = config.stash.get(SCREENS_KEY, None)
        if screens is not None:
            screens.reset()
        target.set_defects(defects)  # type: ignore[attr-defined]

    report = config.getoption("--kill-report")
    writer = config.get_terminal_writer()
    KillRun(session.items, [(name, DEFECTS[name].rule_id) for name in names], switch,
            Path(report) if report else None, writer_line(writer)).run()
    return True


def writer_line(writer):
    """Print a line at once (the parent process relays it while the run goes on)."""
    def write(line: str) -> None:
        writer.line(line)
        writer.flush()
    return write


# --- the portal under test -------------------------------------------------------------

@pytest.fixture(scope="session")
def catalogue(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config):
    """The fixture-certificate catalogue for this run (one per worker)."""
    from certs.catalogue import generate

    options = {"company": CATALOGUE_COMPANY}
    if pytestconfig.getoption("--target"):  # the file's employer's name, the CA the portal trusts
        from harness.target_file import catalogue_options

        options = catalogue_options(Path(pytestconfig.getoption("--target")))
    out = tmp_path_factory.mktemp("catalogue")
    return generate(out, seed=pytestconfig.getoption("--faker-seed"), **options)


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config, catalogue) -> Target:
    target_file = pytestconfig.getoption("--target")
    base_url = pytestconfig.getoption("--base-url", default=None)
    if target_file or base_url:
        from harness.target_file import load_target

        if not (target_file and base_url):
            raise pytest.UsageError("a foreign portal needs both --base-url URL and --target FILE")
        the_target = load_target(Path(target_file), base_url)
    else:
        the_target = MockTarget(
            trust_paths=[Path(catalogue.directory) / "fixture-ca.pem"],
            defects=pytestconfig.getoption("--mock-defect"),
            language=pytestconfig.getoption("--language") or "fr",
        )
    pytestconfig.stash[TARGET_KEY] = the_target
    yield the_target
    del pytestconfig.stash[TARGET_KEY]
    the_target.close()


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


# --- the browser -------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_name: str) -> dict:
    args = dict(browser_type_launch_args)
    if browser_name == "chromium":
        executable = browser_choice.find_chromium(install=False, headless=args.get("headless", True))
        for key, value in browser_choice.launch_args(executable).items():
            args[key] = [*args.get(key, []), *value] if key == "args" else value
    return args


@pytest.fixture(scope="session")
def shared_screens(browser, browser_context_args: dict, pytestconfig: pytest.Config, wait_timeout: float):
    """This worker's shared screens (``harness/shared.py``), closed when the run ends."""

    def new_context():
        context = browser.new_context(**browser_context_args)
        context.set_default_timeout(wait_timeout)
        return context

    screens = SharedScreens(new_context, enabled=not pytestconfig.getoption("--fresh-screens"))
    pytestconfig.stash[SCREENS_KEY] = screens
    yield screens
    del pytestconfig.stash[SCREENS_KEY]
    screens.reset()


@pytest.fixture(scope="session", autouse=True)
def wait_timeout(pytestconfig: pytest.Config) -> float:
    """``--wait-timeout`` in milliseconds, set as expect()'s timeout for the whole run."""
    from playwright.sync_api import expect

    milliseconds = pytestconfig.getoption("--wait-timeout") * 1000
    expect.set_options(timeout=milliseconds)
    return milliseconds


@pytest.fixture
def new_context(new_context, wait_timeout: float):
    """pytest-playwright's ``new_context`` (traces, screenshots, clean-up kept), with
    ``--wait-timeout`` as the contexts' action timeout."""

    def _new_context(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(wait_timeout)
        return context

    return _new_context


# --- per-test employer and session ---------------------------------------------------------

@pytest.fixture
def employer(target: Target) -> Employer:
    """A fresh employer with its three accounts (gl, cogl, user), for this test alone."""
    return target.new_employer()


@pytest.fixture
def sign_in(target: Target, context, base_url: str):
    """``sign_in(employer, role="gl", *, context=None) -> Page`` opened at the entry point.

    Signs the account in without typing the login form where the target allows it. Pass another
    context (from pytest-playwright's ``new_context``) for a second user in the same test.
    """

    default_context = context

    def _sign_in(employer: Employer, role: str = "gl", *, context=None):
        ctx = context or default_context
        target.sign_in(ctx, employer.account(role))
        page = ctx.new_page()
        page.goto(base_url + "/")
        return page

    return _sign_in


# --- test data ----------------------------------------------------------------------------

@pytest.fixture
def data_seed(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> int:
    """A seed per test, from the run's seed and the test id: replays do not depend on order."""
    digest = hashlib.sha256(f"{pytestconfig.getoption('--faker-seed')}:{request.node.nodeid}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@pytest.fixture
def belgian(target: Target, data_seed: int):
    """Belgian test data in the target's language, seeded for this test."""
    from fixtures import BelgianData

    return BelgianData(language=target.language, seed=data_seed)

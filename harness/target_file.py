"""A portal other than the bundled mock: the target file, and what a run needs from it.

``pytest --base-url URL --target FILE`` runs the suite against any portal that follows the
contract. The file (TOML, see ``targets/example.toml`` and ``docs/targets.md``) names the
employers the suite may use, their accounts per role (a user name with the password in an
environment variable, or a Playwright storage-state file for eID/itsme portals), the interface
language, and which rules the portal is held to.

Such a portal has no test-provisioning API, so:

- each test takes its employers from the file; with xdist, worker i of n takes employers
  i, i+n, i+2n, … so no two workers ever use one employer at the same time; a test that needs
  more employers than its worker has is skipped with a reason that says what to add;
- tests marked ``mutating`` run only with ``--allow-mutations``, and then remove what they
  registered ("Suppression de l'envoi par messages structurés"), after a failure too;
- the run refuses to start while one of the file's employers already has a configuration,
  unless ``--remove-existing-configuration`` says to remove it first.

This module is also a pytest plugin (listed in the root conftest) for those options.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext

from contract.rules import RULES, rule_ids
from contract.words import LANGUAGES, Words
from harness.artifacts import register_secret
from harness.target import ROLES, Account, Employer

TOP_KEYS = {"language", "rules", "certificates", "employers"}
CERTIFICATES_KEYS = {"ca_key"}
RULES_KEYS = {"skip_mock_only", "exclude"}
EMPLOYER_KEYS = {"name", "enterprise_number", "onss_number", "creation_date", "accounts"}
ACCOUNT_KEYS = {"username", "password_env", "storage_state"}


def _bad(path: Path, message: str) -> pytest.UsageError:
    return pytest.UsageError(f"target file {path}: {message}")


# --- the file ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class FileEmployer(Employer):
    """An employer named by the target file. A role the file leaves out skips the test."""

    def account(self, role: str) -> Account:
        try:
            return self.accounts[role]
        except KeyError:
            pytest.skip(f"this test needs a {role!r} account of employer {self.name!r}; the target "
                        f"file names none: add [employers.accounts.{role}] to that employer")


@dataclass(frozen=True)
class TargetFile:
    path: Path
    language: str
    skip_mock_only: bool
    exclude: tuple[str, ...]
    employers: tuple[FileEmployer, ...]
    ca_key: Path | None = None  # the private key of the fixture CA the portal trusts

    def share(self, worker_index: int, worker_count: int) -> tuple[FileEmployer, ...]:
        """This worker's employers: i, i+n, i+2n, … (worker i of n)."""
        return self.employers[worker_index::worker_count]


def _check_keys(path: Path, where: str, table: dict, allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _bad(path, f"{where}: unknown key(s) {unknown}; expected some of {sorted(allowed)}")


def _text(path: Path, where: str, table: dict, key: str, *, required: bool = True) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise _bad(path, f"{where}: missing key {key!r}")
        return None
    if isinstance(value, dt.date):  # an unquoted TOML date: written as the portal shows it
        return value.strftime("%d/%m/%Y")
    if not isinstance(value, str) or not value.strip():
        raise _bad(path, f"{where}.{key}: expected a non-empty string, got {value!r}")
    return value.strip()


def _account(path: Path, where: str, role: str, table: Any) -> Account:
    if role not in ROLES:
        raise _bad(path, f"{where}: unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if not isinstance(table, dict):
        raise _bad(path, f"{where}.{role}: expected a table with username and password_env, or storage_state")
    _check_keys(path, f"{where}.{role}", table, ACCOUNT_KEYS)
    password_env = _text(path, f"{where}.{role}", table, "password_env", required=False)
    storage_state = _text(path, f"{where}.{role}", table, "storage_state", required=False)
    if bool(password_env) == bool(storage_state):
        raise _bad(path, f"{where}.{role}: give exactly one of password_env (with username) or storage_state")
    if storage_state:
        state_path = (path.parent / storage_state).resolve()
        try:
            state = json.loads(state_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise _bad(path, f"{where}.{role}.storage_state: no file {state_path}") from None
        except ValueError as error:
            raise _bad(path, f"{where}.{role}.storage_state: {state_path} is not JSON ({error})") from None
        if not isinstance(state, dict) or not isinstance(state.get("cookies"), list):
            raise _bad(path, f"{where}.{role}.storage_state: {state_path} is not a Playwright storage state "
                             "(no \"cookies\" list)")
        for cookie in state["cookies"]:
            register_secret(str(cookie.get("value", "")))
        username = _text(path, f"{where}.{role}", table, "username", required=False) or f"{role} (storage state)"
        return Account(username=username, role=role, storage_state=str(state_path))
    username = _text(path, f"{where}.{role}", table, "username")
    password = os.environ.get(password_env or "")
    if not password:
        raise _bad(path, f"{where}.{role}: environment variable {password_env} is not set (it holds "
                         f"the password of {username!r})")
    register_secret(password)
    return Account(username=username, role=role, password=password)


@lru_cache(maxsize=8)
def read_target_file(path: Path) -> TargetFile:
    """The target file, checked; pytest.UsageError says what is wrong and where."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise pytest.UsageError(f"target file {path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise _bad(path, f"not valid TOML: {error}") from None
    _check_keys(path, "top level", data, TOP_KEYS)

    language = data.get("language", "fr")
    if language not in LANGUAGES:
        raise _bad(path, f"language: {language!r} is not one of {', '.join(LANGUAGES)}")

    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise _bad(path, "rules: expected a table ([rules])")
    _check_keys(path, "[rules]", rules, RULES_KEYS)
    skip_mock_only = rules.get("skip_mock_only", False)
    if not isinstance(skip_mock_only, bool):
        raise _bad(path, f"rules.skip_mock_only: expected true or false, got {skip_mock_only!r}")
    exclude = rules.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(i, str) for i in exclude):
        raise _bad(path, f"rules.exclude: expected a list of rule ids, got {exclude!r}")
    unknown = [i for i in exclude if i not in RULES]
    if unknown:
        raise _bad(path, f"rules.exclude: unknown rule id(s) {unknown} (see docs/contract.md)")

    certificates = data.get("certificates", {})
    if not isinstance(certificates, dict):
        raise _bad(path, "certificates: expected a table ([certificates])")
    _check_keys(path, "[certificates]", certificates, CERTIFICATES_KEYS)
    ca_key = None
    if "ca_key" in certificates:
        ca_key = (path.parent / _text(path, "certificates", certificates, "ca_key")).resolve()
        if not ca_key.is_file():
            raise _bad(path, f"certificates.ca_key: no file {ca_key}")

    raw_employers = data.get("employers")
    if not isinstance(raw_employers, list) or not raw_employers:
        raise _bad(path, "name at least one employer: an [[employers]] entry with name, enterprise_number, "
                         "onss_number and [employers.accounts.gl]")
    employers = []
    for index, raw in enumerate(raw_employers):
        where = f"employers[{index}]"
        _check_keys(path, where, raw, EMPLOYER_KEYS)
        accounts_table = raw.get("accounts")
        if not isinstance(accounts_table, dict) or not accounts_table:
            raise _bad(path, f"{where}: missing its accounts ([employers.accounts.gl] at least)")
        accounts = {role: _account(path, f"{where}.accounts", role, table) for role, table in accounts_table.items()}
        if "gl" not in accounts:
            raise _bad(path, f"{where}: missing [employers.accounts.gl] (the gestionnaire local checks "
                             "and removes configurations)")
        employers.append(FileEmployer(
            name=_text(path, where, raw, "name"),
            enterprise_number=_text(path, where, raw, "enterprise_number"),
            onss_number=_text(path, where, raw, "onss_number"),
            creation_date=_text(path, where, raw, "creation_date", required=False),
            accounts=accounts,
        ))
    numbers = [e.enterprise_number for e in employers]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise _bad(path, f"employers: enterprise number(s) {duplicates} named twice")
    return TargetFile(path, language, skip_mock_only, tuple(exclude), tuple(employers), ca_key)


def this_worker() -> tuple[int, int, str]:
    """(index, count, name) of this xdist worker; (0, 1, "main") without xdist."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    index = int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0
    return index, max(count, 1), name or "main"


def catalogue_options(path: Path) -> dict[str, Any]:
    """``certs.catalogue.generate`` arguments for a foreign target: the company is this worker's
    first employer's name (the "self-signed in the company's name" certificate must match the
    Dénomination), and the fixture CA signs with the key the file names, so the portal, which
    trusts that CA, accepts the run's fresh catalogue."""
    target_file = read_target_file(Path(path))
    index, count, _ = this_worker()
    share = target_file.share(index, count) or target_file.employers
    options: dict[str, Any] = {"company": share[0].name}
    if target_file.ca_key is not None:
        from certs.keys import load_own_key

        try:
            options["ca_key"] = load_own_key(target_file.ca_key)
        except (OSError, ValueError, TypeError) as error:
            raise pytest.UsageError(f"certificates.ca_key: {target_file.ca_key} is not an unencrypted PEM "
                                    f"private key ({error})") from None
    return options


# --- the target ---------------------------------------------------------------------------------

def _current_test() -> str:
    # "tests/x.py::test_y (setup)" while pytest runs a test.
    return os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]


@dataclass
class ForeignTarget:
    """A portal named by a target file: no provisioning API, employers from the file."""

    base_url: str
    file: TargetFile
    worker_index: int = 0
    worker_count: int = 1
    worker_name: str = "main"
    kind: str = field(default="foreign", init=False)
    has_test_api: bool = field(default=False, init=False)
    _test: str = field(default="", init=False, repr=False)
    _in_use: list[FileEmployer] = field(default_factory=list, init=False, repr=False)
    _held: list[FileEmployer] = field(default_factory=list, init=False, repr=False)

    @property
    def language(self) -> str:
        return self.file.language

    @property
    def words(self) -> Words:
        return Words(self.language)

    @property
    def employers(self) -> tuple[FileEmployer, ...]:
        """This worker's share of the file's employers."""
        return self.file.share(self.worker_index, self.worker_count)

    def employers_in_use(self) -> list[FileEmployer]:
        """The employers the running test has taken so far."""
        return list(self._in_use) if self._test == _current_test() else []

    def new_employer(self, name: str | None = None) -> Employer:
        """The next of this worker's employers the running test has not taken yet (with that
        name, if given). Skips the test when there is none left, saying what to add."""
        test = _current_test()
        if test != self._test:
            self._test, self._in_use = test, []
        free = [e for e in self.employers if e not in self._in_use and e not in self._held]
        if name is not None:
            free = [e for e in free if e.name.strip().casefold() == name.strip().casefold()]
        if not free:
            pytest.skip(self._shortage(name))
        self._in_use.append(free[0])
        return free[0]

    def hold_employer(self, name: str | None = None) -> Employer:
        """An employer kept for this worker's shared screens until the run ends: no test is given
        it afterwards (with that name, if given). Skips the test when there is none left."""
        employer = self.new_employer(name)
        self._in_use.remove(employer)
        self._held.append(employer)
        return employer

    def _shortage(self, name: str | None) -> str:
        needed = len(self._in_use) + len(self._held) + 1
        total = len(self.file.employers)
        mine = len(self.employers)
        if name is not None:
            return (f"this test needs an employer named {name!r}; the target file's employers for this "
                    f"worker have other names: add an [[employers]] entry named {name!r}")
        share = "" if self.worker_count == 1 else (
            f", of which worker {self.worker_name} ({self.worker_index + 1} of {self.worker_count}) "
            f"gets {mine} (worker i of n takes employers i, i+n, i+2n, …)")
        more = needed * self.worker_count - total
        return (f"this test needs {needed} employer{'s' if needed > 1 else ''}; the target file names "
                f"{total}{share}: add {max(more, 1)} more [[employers]] entr{'ies' if max(more, 1) > 1 else 'y'}"
                + (" or run with fewer workers" if self.worker_count > 1 else ""))

    def sign_in(self, context: BrowserContext, account: Account) -> None:
        """Give ``context`` a session of ``account``.

        Storage state: its cookies (its ``origins``, localStorage, are not applied: the
        contract's portals keep sessions in cookies). Password: the login form is typed in a
        separate, untraced context, and only the resulting cookies are copied, so the password
        never reaches a trace.
        """
        if account.storage_state:
            state = json.loads(Path(account.storage_state).read_text(encoding="utf-8"))
            if state["cookies"]:
                context.add_cookies(state["cookies"])
            return
        if account.password is None:
            raise LookupError(f"account {account.username!r} has neither a password nor a storage state")
        browser = context.browser
        helper = browser.new_context() if browser is not None else context
        try:
            self._type_login(helper, account)
            if helper is not context:  # the copied cookies are masked in traces like any cookie
                context.add_cookies(helper.cookies())
        finally:
            if helper is not context:
                helper.close()

    def _type_login(self, context: BrowserContext, account: Account) -> None:
        from pages import LoginPage

        page = context.new_page()
        LoginPage.visit(page, self.base_url, self.words).sign_in(account.username, account.password or "")
        page.close()

    # -- configurations left on the portal ------------------------------------------------------

    def has_configuration(self, browser: Browser, employer: Employer) -> bool:
        """Whether Home of ``employer``'s gestionnaire local lacks [no_active_sender]."""
        from pages import HomePage

        context = browser.new_context()
        try:
            self.sign_in(context, employer.account("gl"))
            home = HomePage.visit(context.new_page(), self.base_url, self.words)
            return not home.has_no_active_sender()
        finally:
            context.close()

    def remove_configuration(self, browser: Browser, employer: Employer) -> bool:
        """Delete ``employer``'s configuration, if any, through the side navigation's
        [delete_configuration] and [confirm]. True when there was one."""
        from playwright.sync_api import expect

        from pages import HomePage

        context = browser.new_context()
        try:
            self.sign_in(context, employer.account("gl"))
            home = HomePage.visit(context.new_page(), self.base_url, self.words)
            if home.has_no_active_sender():
                return False
            home = home.open_deletion().confirm()
            expect(home.no_active_sender).to_be_visible()
            return True
        finally:
            context.close()

    def close(self) -> None:
        """Nothing to stop: the portal is not ours."""


def load_target(path: Path, base_url: str, *, worker: tuple[int, int, str] | None = None) -> ForeignTarget:
    """The portal at ``base_url`` as the target file at ``path`` describes it (this worker's
    share of its employers; the worker defaults to xdist's environment)."""
    index, count, name = worker or this_worker()
    return ForeignTarget(base_url.rstrip("/"), read_target_file(Path(path)), index, count, name)


# --- pytest plugin: options and the rules a foreign target is held to ------------------------------

def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("channel-conformance")
    group.addoption("--allow-mutations", action="store_true", default=False,
                    help="on a --target portal, run the tests that create or delete a configuration "
                         "(they remove what they create)")
    group.addoption("--remove-existing-configuration", action="store_true", default=False,
                    help="on a --target portal, delete a configuration the file's employers already have "
                         "instead of refusing to start")


def _target_file(config: pytest.Config) -> TargetFile | None:
    path = config.getoption("--target", default=None)
    return read_target_file(Path(path)) if path else None


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--target", default=None):
        _target_file(config)  # a bad file stops the run here, before anything starts


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip, with the reason, what the target file or the options leave out."""
    target_file = _target_file(config)
    if target_file is None:
        return
    allow_mutations = config.getoption("--allow-mutations")
    excluded = set(target_file.exclude)
    for item in items:
        ids = rule_ids(item)
        if item.get_closest_marker("mutating") and not allow_mutations:
            item.add_marker(pytest.mark.skip(reason="creates or deletes a configuration on the target portal: "
                                                    "pass --allow-mutations to run it"))
        elif target_file.skip_mock_only and ids and all(RULES[i].mock_only for i in ids):
            item.add_marker(pytest.mark.skip(reason=f"rests only on [mock] rules ({', '.join(ids)}) and the target "
                                                    "file sets rules.skip_mock_only"))
        elif excluded.intersection(ids):
            item.add_marker(pytest.mark.skip(reason=f"checks {', '.join(sorted(excluded.intersection(ids)))}, "
                                                    "which the target file's rules.exclude leaves out"))


def _preflight_browser(config: pytest.Config):
    """A browser for the checks before the run: the one the run would use."""
    from playwright.sync_api import sync_playwright

    from harness import browser as browser_choice
    from harness.remote import connect_endpoint

    endpoint = connect_endpoint(config)
    # find_chromium runs Playwright itself: ask before starting ours.
    executable = None if endpoint else browser_choice.find_chromium(install=False)
    playwright = sync_playwright().start()
    if endpoint:
        browser = playwright.chromium.connect(endpoint, expose_network="<loopback>")
    else:
        browser = playwright.chromium.launch(**browser_choice.launch_args(executable))
    return playwright, browser


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse to start on an employer that already has a configuration (controller only,
    before xdist starts its workers), or remove it when told to."""
    config = session.config
    target_file = _target_file(config)
    if target_file is None or hasattr(config, "workerinput") or config.getoption("collectonly"):
        return
    base_url = config.getoption("--base-url", default=None)
    if not base_url:
        raise pytest.UsageError("a foreign portal needs both --base-url URL and --target FILE")
    target = load_target(target_file.path, base_url, worker=(0, 1, "controller"))
    remove = config.getoption("--remove-existing-configuration")
    playwright, browser = _preflight_browser(config)
    busy: list[str] = []
    try:
        for employer in target.file.employers:
            if remove:
                if target.remove_configuration(browser, employer):
                    config.get_terminal_writer().line(
                        f"removed the existing configuration of {employer.name} ({employer.enterprise_number})")
            elif target.has_configuration(browser, employer):
                busy.append(f"{employer.name} ({employer.enterprise_number})")
    finally:
        browser.close()
        playwright.stop()
    if busy:
        raise pytest.UsageError(
            f"refusing to start: employer(s) {', '.join(busy)} already have a structured-messages "
            "configuration on the target portal (Home lacks the 'no active sender' text). Remove it "
            "there, or pass --remove-existing-configuration to have the suite delete it first.")


@pytest.fixture(autouse=True)
def _remove_what_the_test_registered(request: pytest.FixtureRequest):
    """After a ``mutating`` test on a foreign target, pass or fail: delete any configuration
    its employers now have, through the portal's own deletion screen."""
    if not request.config.getoption("--target", default=None) or not request.node.get_closest_marker("mutating"):
        yield
        return
    target = request.getfixturevalue("target")
    browser = request.getfixturevalue("browser")
    yield
    problems = []
    for employer in target.employers_in_use():
        try:
            target.remove_configuration(browser, employer)
        except Exception as error:  # report every employer left dirty, not just the first
            problems.append(f"{employer.name} ({employer.enterprise_number}): {error}")
    if problems:
        pytest.fail("could not remove the configuration this test registered for "
                    + "; ".join(problems) + ". Remove it on the portal, or rerun with "
                    "--remove-existing-configuration.", pytrace=False)


def pytest_report_header(config: pytest.Config) -> list[str]:
    target_file = _target_file(config)
    if target_file is None:
        return []
    rules = ("[seed] and [public] rules only" if target_file.skip_mock_only else "all rules") + (
        f", excluding {', '.join(target_file.exclude)}" if target_file.exclude else "")
    lines = [f"target file: {target_file.path} ({len(target_file.employers)} employer(s), language "
             f"{target_file.language}, {rules}; mutations {'allowed' if config.getoption('--allow-mutations') else 'skipped'})"]
    if target_file.ca_key is None:
        lines.append("target file names no certificates.ca_key: the run's fixture CA is new, the portal does "
                     "not trust it, and certificates it issues will be refused (CERT-6)")
    return lines

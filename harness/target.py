"""The portal under test: who it is, how to get an employer on it, and how to sign in.

A target is either the bundled mock (:class:`MockTarget`: started by the suite, with its
test-provisioning API) or a foreign portal named by a target file (:class:`ForeignTarget`, see
``harness/target_file.py``). Tests see only the :class:`Target` interface, so the same scenario
runs unchanged against both.

A foreign portal has no test-provisioning API, so:

- each test takes its employers from the file; with xdist, worker i of n takes employers
  i, i+n, i+2n, … so no two workers ever use one employer at the same time; a test that needs
  more employers (or an account) than its worker has is skipped with a reason that says what
  to add;
- tests marked ``mutating`` run only with ``--allow-mutations``, and then remove what they
  registered ("Suppression de l'envoi par messages structurés"), after a failure too;
- the run refuses to start while one of the file's employers already has a configuration,
  unless ``--remove-existing-configuration`` says to remove it first.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from contract.words import Words
from harness.accounts import Account, Employer
from harness.target_file import TargetFile, TargetFileError, read_target_file
from pages import HomePage, LoginPage, register_web_service


class Target(Protocol):
    @property
    def kind(self) -> str:
        """ "mock" or "foreign"."""
        ...

    @property
    def base_url(self) -> str: ...

    @property
    def language(self) -> str: ...

    @property
    def has_test_api(self) -> bool: ...

    def new_employer(self, name: str | None = None) -> Employer: ...

    def hold_employer(self, name: str | None = None) -> Employer:
        """An employer for a worker's shared screens, given to no test afterwards."""
        ...

    def sign_in(self, context: BrowserContext, account: Account) -> None: ...

    def register(self, browser: Browser, employer: Employer, person: Any, certificate: Path) -> None:
        """Arrange a registered Web Service configuration for ``employer`` (``person`` as the
        contact, the certificate file at ``certificate``), for a test whose subject comes after."""
        ...

    def close(self) -> None: ...


# --- the bundled mock ------------------------------------------------------------------------------


class MockTarget:
    """The bundled mock portal, started in this process on a free port."""

    kind = "mock"
    has_test_api = True

    def __init__(
        self,
        *,
        trust_paths: Iterable[str | Path] = (),
        defects: Iterable[str] = (),
        language: str = "fr",
        state_path: str | None = None,
        skin: str = "default",
    ):
        import mockportal  # only the harness starts the mock; the suite never imports it

        self._portal = mockportal.start(
            port=0,
            trust_paths=tuple(str(path) for path in trust_paths),
            defects=tuple(defects),
            state_path=state_path,
            skin=skin,
        )
        self.skin = skin
        self.base_url = self._portal.url
        self.language = language

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        headers = {"Content-Type": "application/json"}
        if token := os.environ.get("MOCKPORTAL_TEST_API_TOKEN"):  # a mock started with a test-API token
            headers["X-Test-Api-Token"] = token
        request = urllib.request.Request(
            self.base_url + path,
            data=json.dumps(body).encode(),
            headers=headers,
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def new_employer(self, name: str | None = None) -> Employer:
        body = {"language": self.language}
        if name:
            body["name"] = name
        data = self._post("/__test__/employers", body)
        e = data["employer"]
        accounts = {
            role: Account(username=u["username"], password=u["password"], role=role)
            for role, u in data["users"].items()
        }
        return Employer(e["name"], e["enterprise_number"], e["onss_number"], e["creation_date"], accounts)

    hold_employer = new_employer  # every employer of the mock is new: none to keep from tests

    def sign_in(self, context: BrowserContext, account: Account) -> None:
        """A session made through the provisioning API: no login form typed (contract allows it)."""
        cookie = self._post("/__test__/sessions", {"username": account.username, "language": self.language})["cookie"]
        context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": self.base_url}])

    def register(self, browser: Browser, employer: Employer, person: Any, certificate: Path) -> None:
        """Through the test API: the wizard's checks and store, without its five page loads."""
        contact = {
            key: getattr(person, key)
            for key in ("last_name", "first_name", "title", "function", "language_regime", "phone", "fax", "mobile")
        }
        contact["emails"] = list(person.emails)
        data = Path(certificate).read_bytes()
        encoded = data.decode("ascii") if data.startswith(b"-----") else base64.b64encode(data).decode()
        self._post(
            f"/__test__/employers/{employer.enterprise_number}/configuration",
            {"contact": contact, "channel": "ws", "certificate": encoded},
        )

    def stored_configuration(self, employer: Employer) -> dict[str, Any] | None:
        """What the mock stores for ``employer`` (mock-only checks: 'nothing stored')."""
        url = f"{self.base_url}/__test__/employers/{employer.enterprise_number}/configuration"
        with urllib.request.urlopen(url, timeout=10) as response:
            result: dict[str, Any] | None = json.load(response)
            return result

    def set_defects(self, names: list[str]) -> None:
        """Start the mock again, empty, with these named defects on (the kill matrix)."""
        self._post("/__test__/defects", {"names": list(names)})

    def close(self) -> None:
        self._portal.stop()


# --- a portal named by a target file ------------------------------------------------------------------


@dataclass(frozen=True)
class FileEmployer(Employer):
    """An employer named by the target file. A role the file leaves out skips the test."""

    def account(self, role: str) -> Account:
        try:
            return self.accounts[role]
        except KeyError:
            pytest.skip(
                f"this test needs a {role!r} account of employer {self.name!r}; the target "
                f"file names none: add [employers.accounts.{role}] to that employer"
            )


def this_worker() -> tuple[int, int, str]:
    """(index, count, name) of this xdist worker; (0, 1, "main") without xdist."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    index = int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0
    return index, max(count, 1), name or "main"


def catalogue_options(target_file: TargetFile) -> dict[str, Any]:
    """``certs.catalogue.generate`` arguments for a foreign target: the company is this worker's
    first employer's name (the "self-signed in the company's name" certificate must match the
    Dénomination), and the fixture CA signs with the key the file names, so the portal, which
    trusts that CA, accepts the run's fresh catalogue."""
    from certs.keys import load_own_key

    index, count, _ = this_worker()
    share = target_file.share(index, count) or target_file.employers
    options: dict[str, Any] = {"company": share[0].name}
    if target_file.ca_key is not None:
        try:
            options["ca_key"] = load_own_key(target_file.ca_key)
        except (OSError, ValueError, TypeError) as error:
            raise TargetFileError(
                f"certificates.ca_key: {target_file.ca_key} is not an unencrypted PEM private key ({error})"
            ) from None
    return options


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
    _in_use: list[Employer] = field(default_factory=list, init=False, repr=False)
    _held: list[Employer] = field(default_factory=list, init=False, repr=False)

    @property
    def language(self) -> str:
        return self.file.language

    @property
    def words(self) -> Words:
        return Words(self.language)

    @property
    def employers(self) -> tuple[Employer, ...]:
        """This worker's share of the file's employers."""
        return tuple(FileEmployer(**vars(e)) for e in self.file.share(self.worker_index, self.worker_count))

    def employers_in_use(self) -> list[Employer]:
        """The employers the running test has taken so far."""
        return list(self._in_use) if self._test == _current_test() else []

    def new_employer(self, name: str | None = None, *, last: bool = False) -> Employer:
        """The next of this worker's employers the running test has not taken yet (with that
        name, if given; the last free one with ``last``). Skips the test when there is none
        left, saying what to add."""
        test = _current_test()
        if test != self._test:
            self._test, self._in_use = test, []
        free = [e for e in self.employers if e not in self._in_use and e not in self._held]
        if name is not None:
            free = [e for e in free if e.name.strip().casefold() == name.strip().casefold()]
        if not free:
            pytest.skip(self._shortage(name))
        employer = free[-1] if last else free[0]
        self._in_use.append(employer)
        return employer

    def hold_employer(self, name: str | None = None) -> Employer:
        """An employer kept for this worker's shared screens until the run ends: no test is given
        it afterwards (with that name, if given; else the last free one, so that the first, whose
        name the catalogue's company takes, stays free for the shared steps). Skips the test when
        there is none left."""
        employer = self.new_employer(name, last=name is None)
        self._in_use.remove(employer)
        self._held.append(employer)
        return employer

    def _shortage(self, name: str | None) -> str:
        needed = len(self._in_use) + len(self._held) + 1
        total = len(self.file.employers)
        mine = len(self.employers)
        if name is not None:
            return (
                f"this test needs an employer named {name!r}; the target file's employers for this "
                f"worker have other names: add an [[employers]] entry named {name!r}"
            )
        share = (
            ""
            if self.worker_count == 1
            else (
                f", of which worker {self.worker_name} ({self.worker_index + 1} of {self.worker_count}) "
                f"gets {mine} (worker i of n takes employers i, i+n, i+2n, …)"
            )
        )
        more = needed * self.worker_count - total
        return (
            f"this test needs {needed} employer{'s' if needed > 1 else ''}; the target file names "
            f"{total}{share}: add {max(more, 1)} more [[employers]] entr{'ies' if max(more, 1) > 1 else 'y'}"
            + (" or run with fewer workers" if self.worker_count > 1 else "")
        )

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
            page = helper.new_page()
            LoginPage.visit(page, self.base_url, self.words).sign_in(account.username, account.password)
            page.close()
            if helper is not context:  # the copied cookies are masked in traces like any cookie
                context.add_cookies(helper.cookies())  # type: ignore[arg-type]
        finally:
            if helper is not context:
                helper.close()

    # -- configurations left on the portal ------------------------------------------------------

    def has_configuration(self, browser: Browser, employer: Employer) -> bool:
        """Whether Home of ``employer``'s gestionnaire local lacks [no_active_sender]."""
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

    def register(self, browser: Browser, employer: Employer, person: Any, certificate: Path) -> None:
        """Through the portal's own wizard, in a context of its own."""
        context = browser.new_context()
        try:
            self.sign_in(context, employer.account("gl"))
            register_web_service(HomePage.visit(context.new_page(), self.base_url, self.words), person, certificate)
        finally:
            context.close()

    def close(self) -> None:
        """Nothing to stop: the portal is not ours."""


def load_target(path: Path, base_url: str, *, worker: tuple[int, int, str] | None = None) -> ForeignTarget:
    """The portal at ``base_url`` as the target file at ``path`` describes it (this worker's
    share of its employers; the worker defaults to xdist's environment)."""
    index, count, name = worker or this_worker()
    return ForeignTarget(base_url.rstrip("/"), read_target_file(Path(path)), index, count, name)

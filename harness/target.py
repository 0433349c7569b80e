"""The portal under test: who it is, how to get an employer on it, and how to sign in.

A target is either the bundled mock (:class:`MockTarget`: started by the suite, with its
test-provisioning API) or a foreign portal named by a target file (:class:`ForeignTarget`, see
``harness/target_file.py``). Tests see only the :class:`Target` interface, so the same scenario
runs unchanged against both.

A foreign portal has no test-provisioning API, so:

- each test leases the employers it needs from the file, all at once, for its duration; the
  lease is shared by all workers of the run (``harness/leases.py``), so no two tests ever use
  one employer at the same time and a test that needs two waits until two are free; a test
  that needs more employers (or an account) than the file names is skipped *for want of an
  employer*, with a reason that says what to add;
- a worker's shared screens keep employers of their own only while enough stay free for the
  tests; otherwise they are built per test;
- tests marked ``mutating`` run only with ``--allow-mutations``, and then remove what they
  registered ("Suppression de l'envoi par messages structurés"), after a failure too;
- the run refuses to start while one of the file's employers already has a configuration,
  unless ``--remove-existing-configuration`` says to remove it first.
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from contract.words import Words
from harness import browser as browser_choice
from harness.accounts import Account, Employer
from harness.leases import Leases
from harness.progress import WANT_OF_EMPLOYER  # counted apart from what the target leaves out
from harness.target_file import TargetFile, TargetFileError
from pages import HomePage, LoginPage, register_web_service

TOKEN_PATH = "/REST/oauth/v5/token"  # OAUTH-1, on the portal's own host unless the target says otherwise


class Target(Protocol):
    """What every target can do. What only some can do is a capability below: a test asks for it
    with ``isinstance`` and, where it is missing, records the check as not verifiable on this
    target (the ``unverifiable`` fixture) rather than leaving it out in silence."""

    @property
    def base_url(self) -> str: ...

    @property
    def language(self) -> str: ...

    @property
    def description(self) -> str:
        """The target in a few words, for the reports: "bundled mock, default skin at …"."""
        ...

    @property
    def is_disposable(self) -> bool:
        """True when the portal ends with the run (the bundled mock): what tests register there
        needs no removing."""
        ...

    @property
    def may_mutate(self) -> bool:
        """Whether tests may register and delete configurations (a foreign portal: only with
        ``--allow-mutations``)."""
        ...

    @property
    def token_url(self) -> str:
        """The OAuth token endpoint (OAUTH-1): the portal's base URL and ``/REST/oauth/v5/token``,
        unless the target puts it on another host."""
        ...

    @property
    def services_url(self) -> str:
        """Where the REST services are (the demo service, OAUTH-5): the portal's base URL unless
        the target puts them on another host."""
        ...

    def https_context(self) -> ssl.SSLContext | None:
        """The TLS settings of the suite's own HTTP calls to the portal (a company CA), or None."""
        ...

    def new_employer(self, name: str | None = None) -> Employer: ...

    def keeps(self, key: str) -> bool:
        """Whether this worker keeps an employer for its shared screen ``key`` (else the screen
        is built per test, on the test's own employer)."""
        ...

    def hold_employer(self, key: str, name: str | None = None) -> Employer | None:
        """The employer a worker keeps for its shared screen ``key`` (given to no test), or None
        when the target cannot spare one: the screen is then built per test."""
        ...

    def sign_in(self, context: BrowserContext, account: Account) -> None: ...

    def register(self, browser: Browser, employer: Employer, person: Any, certificate: Path) -> None:
        """Arrange a registered Web Service configuration for ``employer`` (``person`` as the
        contact, the certificate file at ``certificate``), for a test whose subject comes after."""
        ...

    def has_configuration(self, browser: Browser, employer: Employer) -> bool:
        """Whether anything is stored for ``employer``: the mock's store, or, on a foreign portal,
        its own screens (Home no longer says there is no active sender)."""
        ...

    def close(self) -> None: ...


# Capabilities only some targets have (the bundled mock): a test checks for one with isinstance;
# without it, the check is "not verifiable on this target" (a portal that is not the suite's to
# restart, whose clock it cannot move, whose store or log it cannot read).
@runtime_checkable
class CanRestart(Protocol):
    def restart(self) -> None:
        """Restart the portal keeping what it persists (its state, its defects), as a
        deployment's restart would, and nothing else it held in memory."""
        ...


@runtime_checkable
class CanMoveClock(Protocol):
    def advance_clock(self, seconds: int) -> None:
        """Move the portal's clock of access tokens ``seconds`` forward: a token expires (OAUTH-5)
        without the wait."""
        ...


@runtime_checkable
class CanReadStore(Protocol):
    def stored_configuration(self, employer: Employer) -> dict[str, Any] | None:
        """What the portal stores for ``employer`` (its sender, channels), or None."""
        ...


@runtime_checkable
class CanReadServerLog(Protocol):
    def server_log(self) -> str:
        """The portal's recent log lines, as one text."""
        ...


TARGET_KEY = pytest.StashKey[Target]()  # the running target (the ``target`` fixture's), for the kill matrix


class WantOfEmployer(LookupError):
    """The target file cannot give a test what it needs (an employer, an account): the test is
    not run, for want of an employer, with what to add to the file."""

    def __init__(self, message: str) -> None:
        super().__init__(f"{WANT_OF_EMPLOYER}: {message}")


class UndeclaredEmployers(RuntimeError):
    """A test took more employers than it declared: its lease could not be taken at once."""


# --- the bundled mock ------------------------------------------------------------------------------


class MockTarget:
    """The bundled mock portal, started in this process on a free port."""

    is_disposable = True
    may_mutate = True

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

    @property
    def description(self) -> str:
        return f"bundled mock, {self.skin} skin, at {self.base_url}, language {self.language}"

    @property
    def token_url(self) -> str:
        return self.base_url + TOKEN_PATH

    @property
    def services_url(self) -> str:
        return self.base_url

    def https_context(self) -> ssl.SSLContext | None:
        return None

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

    def keeps(self, key: str) -> bool:
        return True  # the mock makes as many employers as asked

    def hold_employer(self, key: str, name: str | None = None) -> Employer | None:
        """A new employer: the mock makes as many as asked, none is taken from a test."""
        return self.new_employer(name)

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
        """What the mock stores for ``employer`` (``CanReadStore``)."""
        url = f"{self.base_url}/__test__/employers/{employer.enterprise_number}/configuration"
        with urllib.request.urlopen(url, timeout=10) as response:
            result: dict[str, Any] | None = json.load(response)
            return result

    def has_configuration(self, browser: Browser, employer: Employer) -> bool:
        return self.stored_configuration(employer) is not None

    def server_log(self) -> str:
        """The mock's recent log lines (``GET /__test__/log``, ``CanReadServerLog``)."""
        with urllib.request.urlopen(self.base_url + "/__test__/log", timeout=10) as response:
            return "\n".join(json.load(response)["lines"])

    def set_defects(self, names: list[str]) -> None:
        """Start the mock again, empty, with these named defects on (the kill matrix)."""
        self._post("/__test__/defects", {"names": list(names)})

    def restart(self) -> None:
        """Restart the mock on what it persists, with its defects (``POST /__test__/restart``):
        sessions go on, so the worker's shared screens stay signed in (``CanRestart``)."""
        self._post("/__test__/restart", {})

    def advance_clock(self, seconds: int) -> None:
        """Move the mock's clock of access tokens forward (``POST /__test__/clock``, ``CanMoveClock``)."""
        self._post("/__test__/clock", {"advance": seconds})

    def close(self) -> None:
        self._portal.stop()


# --- a portal named by a target file ------------------------------------------------------------------


class PreflightError(RuntimeError):
    """Why a run against a foreign portal cannot start, in one line."""


@dataclass(frozen=True)
class FileEmployer(Employer):
    """An employer named by the target file. A role the file leaves out: want of an employer."""

    def account(self, role: str) -> Account:
        try:
            return self.accounts[role]
        except KeyError:
            raise WantOfEmployer(
                f"this test needs a {role!r} account of employer {self.name!r}; the target "
                f"file names none: add [employers.accounts.{role}] to that employer"
            ) from None


def catalogue_options(target_file: TargetFile, worker_index: int = 0) -> dict[str, Any]:
    """``certs.catalogue.generate`` arguments for a foreign target: the company is this worker's
    own employer's name (the file's ``worker_index``-th, round the file; the "self-signed in the
    company's name" certificate must match the Dénomination), and the fixture CA signs with the
    key the file names, so the portal, which trusts that CA, accepts the run's fresh catalogue."""
    from certs.keys import load_own_key

    employers = target_file.employers
    options: dict[str, Any] = {"company": employers[worker_index % len(employers)].name}
    if target_file.ca_key is not None:
        try:
            options["ca_key"] = load_own_key(target_file.ca_key)
        except (OSError, ValueError, TypeError) as error:
            raise TargetFileError(
                f"certificates.ca_key: {target_file.ca_key} is not an unencrypted PEM private key ({error})"
            ) from None
    return options


@dataclass
class EmployerLease:
    """The employers one test holds, taken all at once when it starts (``harness/leases.py``) and
    given back in its tear-down; ``new_employer`` hands them out in turn."""

    owner: str
    employers: list[Employer]
    named: tuple[str, ...] = ()  # taken by name: kept for the call that asks for that name
    handed: list[Employer] = field(default_factory=list)

    def hand_out(self, name: str | None) -> Employer | None:
        free = [employer for employer in self.employers if employer not in self.handed]
        if name is None:  # any employer, but not one another call of the test asks for by name
            free = [e for e in free if not any(_same_name(e.name, n) for n in self.named)] or free
        else:
            free = [e for e in free if _same_name(e.name, name)]
        if not free:
            return None
        self.handed.append(free[0])
        return free[0]


def _same_name(one: str, other: str) -> bool:
    return one.strip().casefold() == other.strip().casefold()


@dataclass
class ForeignTarget:
    """A portal named by a target file: no provisioning API, employers from the file, leased to
    one test at a time across all workers (``harness/leases.py``)."""

    base_url: str
    file: TargetFile
    leases: Leases
    worker: str = "main"
    may_mutate: bool = False  # --allow-mutations
    is_disposable: bool = field(default=False, init=False)
    lease: EmployerLease | None = field(default=None, init=False, repr=False)  # the running test's
    held: dict[str, Employer] = field(default_factory=dict, init=False, repr=False)  # shared screen -> employer

    @property
    def language(self) -> str:
        return self.file.language

    @property
    def description(self) -> str:
        return f"foreign portal at {self.base_url}, language {self.language}"

    @property
    def words(self) -> Words:
        return Words(self.language)

    @property
    def token_url(self) -> str:
        return self.file.token_url or self.base_url + TOKEN_PATH

    @property
    def services_url(self) -> str:
        return self.file.services_url or self.base_url

    def https_context(self) -> ssl.SSLContext | None:
        """A context that trusts the target file's ``[browser] ca_bundle`` too (a portal whose
        certificate a company CA issued), or None for the system's defaults."""
        if self.file.ca_bundle is None:
            return None
        context = ssl.create_default_context()
        context.load_verify_locations(cafile=str(self.file.ca_bundle))
        return context

    @property
    def employers(self) -> tuple[Employer, ...]:
        """The file's employers."""
        return tuple(FileEmployer(**vars(e)) for e in self.file.employers)

    def _index(self, name: str) -> int | None:
        return next((i for i, e in enumerate(self.file.employers) if _same_name(e.name, name)), None)

    # -- holds: employers a worker's shared screens keep -----------------------------------------

    def hold_screens(self, company: str, keys: Sequence[tuple[str, bool]]) -> None:
        """Hold an employer for each shared screen's ``(key, named like the company)`` in
        ``keys``' order (``harness.shared.hold_keys``: what the fixtures declare) while the pool
        can spare one (it always keeps two free for the tests); the screens left without one are
        built per test, on the test's own lease. Called once per worker."""
        for key, by_company in keys:
            named = self._index(company) if by_company else None
            if by_company and named is None:
                continue
            index = self.leases.hold(f"{self.worker}:held", named)
            if index is None:
                if by_company:
                    continue  # the others may still be held: any employer serves them
                break
            self.held[key] = self.employers[index]

    def keeps(self, key: str) -> bool:
        return key in self.held

    def hold_employer(self, key: str, name: str | None = None) -> Employer | None:
        """The employer this worker keeps for its shared screen ``key``, or None: the screen is
        then built per test, on an employer of the test's own lease (``new_employer``)."""
        return self.held.get(key)

    # -- leases: the employers of the running test -----------------------------------------------

    def take_lease(self, owner: str, count: int, names: Sequence[str] = ()) -> EmployerLease:
        """``count`` employers and those named ``names`` for the test ``owner``, all at once,
        waiting until they are free. Skips the test when the file cannot give them."""
        named = []
        for name in names:
            index = self._index(name)
            if index is None:
                raise WantOfEmployer(
                    f"this test needs an employer named {name!r}; the target file names none: add an "
                    f"[[employers]] entry named {name!r}"
                )
            named.append(index)
        needed = count + len(set(named))
        spare = len(self.file.employers) - len(self.held)
        if needed > spare:
            total = len(self.file.employers)
            kept = f", {len(self.held)} of them kept by this worker's shared screens" if self.held else ""
            raise WantOfEmployer(
                f"this test needs {needed} employers at once; the target file names {total}{kept}: add "
                f"{needed - spare} more [[employers]] entr{'ies' if needed - spare > 1 else 'y'}"
            )
        taken = self.leases.take(f"{self.worker}:{owner}", count, named)
        self.lease = EmployerLease(owner, [self.employers[index] for index in taken], tuple(names))
        return self.lease

    def give_lease(self) -> None:
        """Give back the running test's employers (its tear-down)."""
        if self.lease is not None:
            self.leases.give(f"{self.worker}:{self.lease.owner}")
            self.lease = None

    def employers_in_use(self) -> list[Employer]:
        """The employers the running test has taken so far."""
        return list(self.lease.handed) if self.lease is not None else []

    def new_employer(self, name: str | None = None) -> Employer:
        """The next employer of the running test's lease (with that name, if given). A test takes
        no more than it declared (``@pytest.mark.employers(n)``): a lease is taken all at once,
        so that two tests never each hold one employer while waiting for a second."""
        employer = self.lease.hand_out(name) if self.lease is not None else None
        if employer is not None:
            return employer
        if name is not None and self._index(name) is None:
            raise WantOfEmployer(
                f"this test needs an employer named {name!r}; the target file names none: add an "
                f"[[employers]] entry named {name!r}"
            )
        taken = len(self.lease.handed) if self.lease is not None else 0
        raise UndeclaredEmployers(
            f"this test takes more employers than it declared ({taken} so far"
            + (f", then one named {name!r}" if name else "")
            + "): mark it @pytest.mark.employers(n) with all it takes, so its lease is taken at once"
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

    def has_configuration(self, browser: Browser, employer: Employer) -> bool:
        """Asked through the portal's own screens: Home no longer says there is no active sender."""
        return self._home_state(browser, employer) != "free"

    def preflight(self, *, browser_name: str, connect_ws: str | None, remove: bool, say: Callable[[str], None]) -> None:
        """The run's preflight (:meth:`preflight_in`) in a browser of its own, the run's
        ``--browser``, before any worker starts: any problem is one line (:class:`PreflightError`),
        never a crash."""
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser_type = getattr(playwright, browser_name)
                if connect_ws:
                    browser = browser_type.connect(connect_ws, expose_network="<loopback>")
                elif browser_name == "chromium":
                    browser = browser_type.launch(
                        **browser_choice.launch_args(browser_choice.find_chromium(install=False))
                    )
                else:
                    browser = browser_type.launch()
                try:
                    self.preflight_in(browser, remove=remove, say=say)
                finally:
                    browser.close()
        except PreflightError:
            raise
        except Exception as error:  # noqa: BLE001 - no browser for the preflight: one line, not a traceback
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise PreflightError(
                f"preflight: could not start the {browser_name} browser to check the portal: "
                f"{type(error).__name__}: {first}"
            ) from None

    def preflight_in(self, browser: Browser, *, remove: bool, say: Callable[[str], None]) -> None:
        """Before any test: the portal answers in the file's language, and no employer of the file
        has a configuration (or it is removed, with ``remove``). Raises :class:`PreflightError`
        with one line saying what was seen; never anything else, whatever the portal does."""
        try:
            self._check_language(browser)
            busy, suspect = [], []
            for employer in self.employers:
                if remove and self.remove_configuration(browser, employer):
                    say(f"removed the existing configuration of {employer.name} ({employer.enterprise_number})")
                    continue
                state = self._home_state(browser, employer)
                if state == "configured":
                    busy.append(f"{employer.name} ({employer.enterprise_number})")
                elif state == "no notice":
                    suspect.append(f"{employer.name} ({employer.enterprise_number})")
        except PreflightError:
            raise
        except Exception as error:  # noqa: BLE001 - a portal, however broken, never crashes the run
            first = (str(getattr(error, "message", "")) or str(error)).strip().splitlines()[:1]
            raise PreflightError(
                f"preflight against {self.base_url}: {type(error).__name__}: {first[0] if first else ''} "
                "(the run signs in as each employer's gestionnaire local and reads Home before it starts)"
            ) from None
        if busy:
            raise PreflightError(
                f"refusing to start: employer(s) {', '.join(busy)} already have a structured-messages "
                "configuration on the target portal (Home lacks the 'no active sender' text and its side "
                "navigation offers the configuration's overview). Remove it there, or pass "
                "--remove-existing-configuration to have the suite delete it first."
            )
        if suspect:
            say(
                f"warning: Home of {', '.join(suspect)} lacks {self.words['no_active_sender']!r} but its side "
                "navigation offers no configuration to see or delete: not a configuration left behind but, "
                "it seems, a HOME-2 violation; the run goes on and the HOME-2 tests will say"
            )

    def _check_language(self, browser: Browser) -> None:
        """The sign-in page in the file's language (``<html lang>``), or one line saying which."""
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(self.base_url + "/")
            shown = (page.locator("html").get_attribute("lang") or "").strip().lower()
        finally:
            context.close()
        if shown[:2] != self.language:
            raise PreflightError(
                f'the portal\'s sign-in page is in {shown or "no language"!r} (<html lang="{shown}">), the target '
                f"file says language = {self.language!r}: the page objects read the words of that language. Set "
                f"language in the target file, or, if the portal should open in French by default, I18N-1 is at "
                "stake (French is the default)"
            )

    def _home_state(self, browser: Browser, employer: Employer) -> str:
        """ "free" (Home says [no_active_sender]), "configured" (it does not, and the side
        navigation offers the overview) or "no notice" (neither: HOME-2 broken, it seems)."""
        context = browser.new_context()
        try:
            self.sign_in(context, employer.account("gl"))
            home = HomePage.visit(context.new_page(), self.base_url, self.words)
            if home.has_no_active_sender():
                return "free"
            return "configured" if home.navigation.link("overview").count() else "no notice"
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


def load_target(
    target_file: TargetFile, base_url: str, leases: Leases, worker: str = "main", *, may_mutate: bool = False
) -> ForeignTarget:
    """The portal at ``base_url`` as ``target_file`` describes it, its employers leased through
    ``leases``."""
    return ForeignTarget(base_url.rstrip("/"), target_file, leases, worker, may_mutate)

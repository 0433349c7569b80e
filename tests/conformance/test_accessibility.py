"""Every screen of the flow, in each language and in its error states, against axe-core's WCAG
2.1 A and AA rules (A11Y-1): no violation of serious or critical impact.

A scan needs its screen, not a page of its own: one walk per language and worker goes through
the flow once, scanning each screen as it passes (the tour's screens, ``pages/tour.py``), and
each screen's test reads its scan, walking on to its screen if the walk has not reached it
yet (so ``-k fr-contact`` scans only the five screens on the way). A test failing names its
screen and language, and its report carries axe's findings (every violation, the minor ones
too). The walk registers a configuration (for the screens of a configured employer) and deletes
it in one go; on a foreign portal only with ``--allow-mutations``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import pytest
from playwright.sync_api import BrowserContext

from contract.words import LANGUAGES, Words
from fixtures import BelgianData, derive_seed
from harness.accounts import Employer
from harness.axe import AxeResult, scan
from pages import AccessRefusedPage, HomePage, LoginPage, Screen
from pages.flows import upload_of
from pages.tour import at_entry_point

pytestmark = [pytest.mark.browser, pytest.mark.focused]

# What the walk passes before it registers anything, and after (its employer configured).
UNCONFIGURED = (
    "login",
    "login-refused",
    "home",
    "information",
    "contact",
    "contact-refused",
    "channel",
    "channel-refused",
    "confirmation",
    "access-refused",
)
CONFIGURED = ("result", "contact-person", "channel-configured", "channel-to-add", "deletion")
S = TypeVar("S", bound=Screen)


@dataclass
class Walk:
    """The scans of one walk through the flow in one language, made as far as its tests ask."""

    language: str
    scans: dict[str, AxeResult] = field(default_factory=dict)
    stopped: str = ""  # why the walk ended before its last screen
    steps: Iterator[None] = field(default_factory=lambda: iter(()))  # the rest of the walk

    def of(self, screen: str) -> AxeResult:
        """The scan of ``screen``, walking on to it if it is not scanned yet."""
        if screen not in self.scans:
            for _ in self.steps:
                if screen in self.scans:
                    break
        if screen not in self.scans:
            pytest.fail(
                f"the walk in {self.language!r} never reached {screen!r}: {self.stopped or 'not walked'}", pytrace=False
            )
        return self.scans[screen]


def walk(
    done: Walk,
    new_context: Callable[[], BrowserContext],
    target,
    employer: Employer,
    base_url: str,
    person,
    certificate,
    registers: bool,
) -> Iterator[None]:
    """Through the flow in ``done.language``, scanning each screen, pausing after each screen
    until a test asks for a later one (a run of one screen's test scans only the screens on its
    way). What registers a configuration and deletes it again runs in one go, never paused
    half-way. A failure on the way ends the walk (the screens after it report it) but never
    the scans already made."""
    manager = new_context()
    registered = False

    def scanned(name: str, screen: S) -> S:
        done.scans[name] = scan(screen.page)
        return screen

    try:
        login = at_entry_point(new_context().new_page(), base_url, LoginPage, done.language)
        scanned("login", login)
        yield
        scanned("login-refused", login.sign_in_expecting_error("no-such-user", "not-a-password"))
        yield

        target.sign_in(manager, employer.account("gl"))
        home = scanned("home", at_entry_point(manager.new_page(), base_url, HomePage, done.language))
        yield
        information = scanned("information", home.start_registration())
        address = information.page.url  # recorded as a person's browser would, never typed
        yield
        contact = scanned("contact", information.next())
        yield
        scanned("contact-refused", contact.next_expecting_errors())
        yield
        channel = scanned("channel", contact.fill(person).next())
        yield
        scanned("channel-refused", channel.choose_web_service().next_expecting_errors())
        yield
        confirmation = scanned("confirmation", channel.upload_certificate(upload_of(certificate)).next())
        yield

        user = new_context()
        target.sign_in(user, employer.account("user"))
        elsewhere = at_entry_point(user.new_page(), base_url, HomePage, done.language).page
        elsewhere.goto(address)
        scanned("access-refused", AccessRefusedPage(elsewhere, Words(done.language)).loaded())
        if not registers:
            done.stopped = "this run may not register a configuration on the portal (--allow-mutations)"
            return
        yield

        registered = True
        overview = scanned("result", confirmation.confirm())
        scanned("contact-person", overview.open_contact_person())
        scanned("channel-configured", overview.open_channel("ws"))
        scanned("channel-to-add", overview.open_channel("ftp"))
        scanned("deletion", overview.open_deletion()).confirm()
        registered = False
    except Exception as error:  # noqa: BLE001 - the screens not reached report it, each in its test
        done.stopped = f"{type(error).__name__}: {error}"
    finally:
        if registered and target.kind != "mock" and manager.browser is not None:
            target.remove_configuration(manager.browser, employer)


@pytest.fixture
def walked(shared_screens, target, base_url, catalogue, pytestconfig, request) -> Callable[[str], Walk]:
    """``walked(language)``: this worker's walk in that language, in contexts that live as long
    as the walk (it goes on from one test to the next); a walk of the test's own, on its own
    employer, when the target keeps no employer for the worker's walk in that language."""
    registers = target.kind == "mock" or bool(pytestconfig.getoption("--allow-mutations"))

    def _walked(language: str) -> Walk:
        key = f"axe-walk:{language}"

        def make(employer: Employer, new_context: Callable[[], BrowserContext]) -> Walk:
            seed = derive_seed(pytestconfig.getoption("--faker-seed"), "axe-walk", language)
            person = BelgianData(language=language, seed=seed).contact_person()
            done = Walk(language)
            done.steps = walk(
                done, new_context, target, employer, base_url, person, catalogue.fresh("valid-der"), registers
            )
            return done

        if not target.keeps(key):
            return make(target.new_employer(), request.getfixturevalue("new_context"))
        return shared_screens.keep(key, lambda: make(target.hold_employer(key), shared_screens.new_context))

    return _walked


def _cases() -> list:
    cases = []
    for language in LANGUAGES:
        group = pytest.mark.xdist_group(f"axe-walk:{language}")  # one worker walks each language once
        cases += [pytest.param(language, name, marks=group, id=f"{language}-{name}") for name in UNCONFIGURED]
        cases += [
            pytest.param(language, name, marks=(group, pytest.mark.mutating), id=f"{language}-{name}")
            for name in CONFIGURED
        ]
    return cases


@pytest.mark.rules("A11Y-1")
@pytest.mark.parametrize("language, screen", _cases())
def test_the_screen_has_no_serious_accessibility_violation(walked, language: str, screen: str, request) -> None:
    result = walked(language).of(screen)
    request.node.add_report_section("call", "axe-core", result.report_text())

    failing = result.failing()

    assert not failing, f"{screen} in {language}: " + result.report_text()

"""Every screen of the flow, in each language and in its error states, against axe-core's WCAG
2.1 A and AA rules (A11Y-1): no violation of serious or critical impact.

A scan needs its screen, not a page of its own: one walk per language and worker goes through
the tour's screens once, in its order (``pages/tour.py``), scanning each screen as it passes,
and each screen's test reads its scan, walking on to its screen if the walk has not reached it
yet (so ``-k fr-contact`` scans only the screens on the way). A test failing names its screen
and language, and its report carries axe's findings (every violation, the minor ones too). The
walk registers a configuration (for the screens of a configured employer) and deletes it in one
go; on a foreign portal only with ``--allow-mutations``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from contract.words import LANGUAGES
from fixtures import BelgianData, derive_seed
from harness.accounts import Employer
from harness.axe import AxeResult, scan
from harness.shared import holds_employer
from pages import ContactLike, DeletionPage, PortalScreen
from pages.tour import NotReached, Walk, go_through, screens_except

pytestmark = [pytest.mark.browser, pytest.mark.focused]

# The tour's screens this test does not scan, and why; it scans every other one.
NOT_SCANNED = dict.fromkeys(
    ("home-with-sender", "channels", "channel-to-add-refused", "channel-confirmation"),
    "the mock's own accessibility checks go there (tests/http/test_a11y.py); no page object does",
)
SCANNED = screens_except(NOT_SCANNED, consumer="A11Y-1 (tests/conformance/test_accessibility.py)")


@dataclass
class WalkStart:
    """What a walk starts from (``pages.tour.Start``): one employer, its gestionnaire local in
    one context for the whole walk, every context living as long as the walk."""

    base_url: str
    person: ContactLike
    new_context: Callable[[], BrowserContext]
    target: Any
    employer: Employer
    entry: Any  # a catalogue entry (pages.flows.Certificate)
    manager: BrowserContext | None = None

    def signed_out(self) -> Page:
        return self.new_context().new_page()

    def signed_in(self, role: str = "gl") -> Page:
        if role == "gl" and self.manager is not None:
            return self.manager.new_page()
        context = self.new_context()
        self.target.sign_in(context, self.employer.account(role))
        if role == "gl":
            self.manager = context
        return context.new_page()

    def certificate(self) -> Any:
        return self.entry

    def reopen(self, page: Page, address: str) -> None:
        page.goto(address)


def walk(done: Walk[AxeResult], start: WalkStart, registers: bool) -> Iterator[None]:
    """Through the tour in ``done.language``, scanning each screen, pausing after each screen
    until a test asks for a later one (a run of one screen's test scans only the screens on its
    way). What registers a configuration and deletes it again runs in one go, never paused
    half-way. A failure on the way ends the walk (the screens after it report it) but never
    the scans already made."""
    screens = SCANNED if registers else tuple(screen for screen in SCANNED if not screen.changes_the_portal)
    # The walk goes through exactly these, in order (each one's ``after`` is among them).
    registers_next = {before.name: after.registers for before, after in itertools.pairwise(screens)}
    registered = False  # from the moment the walk goes on to "Confirmer"
    try:
        for screen, shown in go_through(start, done.language, screens):
            done.found[screen.name] = scan(shown.page)
            if not registered:
                yield
                registered = registers_next.get(screen.name, False)
        if registered:
            assert isinstance(shown, PortalScreen)
            (shown if isinstance(shown, DeletionPage) else shown.open_deletion()).confirm()
            registered = False
        if not registers:
            done.stopped = "this run may not register a configuration on the portal (--allow-mutations)"
    except Exception as error:  # noqa: BLE001 - the screens not reached report it, each in its test
        done.stopped = f"{type(error).__name__}: {error}"
    finally:
        manager = start.manager
        if registered and not start.target.is_disposable and manager is not None and manager.browser is not None:
            start.target.remove_configuration(manager.browser, start.employer)


@pytest.fixture
@holds_employer("axe-walk:{language}")
def walked(shared_screens, target, base_url, catalogue, pytestconfig, request) -> Callable[[str], Walk[AxeResult]]:
    """``walked(language)``: this worker's walk in that language, in contexts that live as long
    as the walk (it goes on from one test to the next); a walk of the test's own, on its own
    employer, when the target keeps no employer for the worker's walk in that language."""
    registers = target.may_mutate

    def _walked(language: str) -> Walk[AxeResult]:
        key = f"axe-walk:{language}"

        def make(employer: Employer, new_context: Callable[[], BrowserContext]) -> Walk[AxeResult]:
            seed = derive_seed(pytestconfig.getoption("--faker-seed"), "axe-walk", language)
            person = BelgianData(language=language, seed=seed).contact_person()
            start = WalkStart(base_url, person, new_context, target, employer, catalogue.fresh("valid-der"))
            done: Walk[AxeResult] = Walk(language)
            done.steps = walk(done, start, registers)
            return done

        if not target.keeps(key):
            return make(target.new_employer(), request.getfixturevalue("new_context"))
        return shared_screens.keep(key, lambda: make(target.hold_employer(key), shared_screens.new_context))

    return _walked


def _cases() -> list:
    cases = []
    for language in LANGUAGES:
        group = pytest.mark.xdist_group(f"axe-walk:{language}")  # one worker walks each language once
        cases += [
            pytest.param(
                language,
                screen.name,
                marks=(group, pytest.mark.mutating) if screen.changes_the_portal else group,
                id=f"{language}-{screen.name}",
            )
            for screen in SCANNED
        ]
    return cases


@pytest.mark.rules("A11Y-1")
@pytest.mark.parametrize("language, screen", _cases())
def test_the_screen_has_no_serious_accessibility_violation(walked, language: str, screen: str, request) -> None:
    try:
        result = walked(language).of(screen)
    except NotReached as reason:
        pytest.fail(str(reason), pytrace=False)
    request.node.add_report_section("call", "axe-core", result.report_text())

    failing = result.failing()

    assert not failing, f"{screen} in {language}: " + result.report_text()

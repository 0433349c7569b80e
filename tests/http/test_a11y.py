"""The bundled mock's own accessibility (A11Y-1..3) in a real Chromium, in the skins and
languages the conformance runs leave out (``CASES``), on every screen of the flow and in the
refused states of each step (``a11ykit.py``).

These are the mock's tests, not the suite's: the conformance suite's own A11Y tests live in
tests/conformance. A failure lists every problem of every screen."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

import mockportal
from contract.words import WORDS
from mockportal.server import RunningPortal
from tests.http import a11ykit as kit
from tests.http import a11ytour as tours

pytestmark = pytest.mark.browser
# What the suite's own runs leave out. `make test`'s conformance run holds the default skin to
# A11Y-1..3 in FR, NL and DE; the stand-in staging run (tests/meta) holds the variant skin to
# them in FR. Here: the variant skin in NL and DE, each check in one of the two. The variant's
# markup is the same in every language, only its words change (and the conformance runs check
# those), so a second language per check would walk the same markup again.
CASES = [("variant", "nl"), ("variant", "de")]
NL, DE = ([case] for case in CASES)


@pytest.fixture
def chromium(browser: Browser) -> Browser:
    """pytest-playwright's browser: a second Playwright in the same worker would fail."""
    return browser


@pytest.fixture(scope="module")
def portals() -> Iterator[dict[str, RunningPortal]]:
    with contextlib.ExitStack() as stack:
        yield {skin: stack.enter_context(mockportal.start(skin=skin)) for skin in {skin for skin, _ in CASES}}


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{screen}:\n  " + "\n  ".join(problems) for screen, problems in found.items())


@pytest.mark.rules("A11Y-1")
@pytest.mark.parametrize("skin, language", NL)
def test_no_serious_axe_violation_on_any_screen(chromium, portals, skin, language):
    with tours.tour(chromium, portals[skin].url, language) as tour:
        found = kit.run_check(kit.axe_problems, tour.screens())
    assert not found, "serious or critical axe-core violations (WCAG 2.1 A/AA):\n" + report(found)


@pytest.mark.rules("A11Y-2")
@pytest.mark.parametrize("skin, language", DE)
def test_every_screen_by_keyboard_in_visual_order_with_a_visible_focus(chromium, portals, skin, language):
    with tours.tour(chromium, portals[skin].url, language) as tour:
        found = kit.run_check(kit.keyboard_problems, tour.screens())
    assert not found, report(found)


@pytest.mark.rules("A11Y-2")
@pytest.mark.parametrize("skin, language", NL)
def test_the_whole_flow_by_keyboard_alone(chromium, portals, skin, language):
    reached, problems = [], {}

    def check(step: str, page: Page) -> None:
        reached.append(step)
        if step in ("contact", "channel"):  # the forms: Shift+Tab must go back the way Tab came
            problems.update({step: found} if (found := kit.keyboard_problems(page, backwards=True)) else {})

    page = kit.keyboard_flow(chromium, portals[skin].url, language, check)
    try:
        assert not problems, report(problems)
        assert reached == list(kit.KEYBOARD_FLOW)
        assert page.get_by_role("status").inner_text().strip() == WORDS["channel_added"][language]
    finally:
        page.context.close()


@pytest.mark.rules("A11Y-3")
@pytest.mark.parametrize("skin, language", DE)
def test_after_a_refusal_the_error_summary_has_the_focus_and_its_links_lead_to_the_fields(
    chromium, portals, skin, language
):
    with tours.tour(chromium, portals[skin].url, language) as tour:
        found = kit.run_check(kit.summary_focus_problems, tour.screens(tours.REFUSED))
    assert not found, report(found)

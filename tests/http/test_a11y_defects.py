"""Each accessibility defect breaks its rule on the variant skin too, and only its own kind of check sees it:
axe-core for A11Y-1, the keyboard walk for A11Y-2, the focus after a refusal for A11Y-3
(``a11ykit.py``). So the kill matrix shows that the suite's A11Y tests, not some other rule's,
catch them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

import mockportal
from mockportal.defects import DEFECTS
from tests.http import a11ykit as kit
from tests.http import a11ytour as tours

pytestmark = pytest.mark.browser

CHECKS = {"A11Y-1": kit.axe_problems, "A11Y-2": kit.keyboard_problems, "A11Y-3": kit.summary_focus_problems}
# Where each check looks: every A11Y defect shows on the contact step (A11Y-3's after a refusal),
# or on the screen its sharpened rule names: a refused sign-in (A11Y-1), a group's fault on the
# channel step (A11Y-3).
SCREENS = {
    "A11Y-1": ("login-refused", "contact", "contact-refused"),
    "A11Y-2": ("contact", "contact-refused"),
    "A11Y-3": ("contact-refused", "channel-refused"),
}
# Defects written blind (docs/blind-defects.md) break their rule on screens and in languages of
# their writer's choosing (German hints, the file input); the kill matrix catches them there.
A11Y_DEFECTS = [
    pytest.param(name, marks=pytest.mark.rules(item.rule_id), id=name)
    for name, item in sorted(DEFECTS.items())
    if item.rule_id in CHECKS and not name.startswith("blind-")
]


@pytest.fixture
def chromium(browser: Browser) -> Browser:
    """pytest-playwright's browser: a second Playwright in the same worker would fail."""
    return browser


def test_each_a11y_rule_has_defects_of_its_own():
    assert {DEFECTS[param.values[0]].rule_id for param in A11Y_DEFECTS} == set(CHECKS)
    assert len(A11Y_DEFECTS) >= 6


# The kill matrix (harness.mutants) shows each defect caught on the default skin; here the variant
# skin's markup is shown to carry it too.
@pytest.mark.parametrize("skin", ["variant"])
@pytest.mark.parametrize("name", A11Y_DEFECTS)
def test_an_a11y_defect_is_seen_by_its_own_kind_of_check_only(chromium, name, skin):
    rule = DEFECTS[name].rule_id
    seen: dict[str, dict[str, list[str]]] = {}
    with mockportal.start(skin=skin, defects=[name]) as running:
        for kind, check in CHECKS.items():  # a tour of its own each: a check may move the focus
            with tours.tour(chromium, running.url, "fr") as tour:
                seen[kind] = kit.run_check(check, tour.screens(SCREENS[kind]))
    assert seen[rule], f"{name} ({rule}) is not seen by {rule}'s own check"
    others = {kind: found for kind, found in seen.items() if kind != rule and found}
    assert not others, f"{name} ({rule}) is seen by another rule's check: {others}"

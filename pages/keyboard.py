"""The portal with the keyboard alone (A11Y-2): Tab and Shift+Tab move the focus, Enter and
Space act, letters type. A :class:`Keyboard` presses keys and reads what has the focus; it never
clicks and never moves the focus from a script.

What has the focus is read in one round trip (:data:`_FOCUSED`): its accessible name as a person
hears it (label, aria-label, text or value), whether it is in ``<main>``, its box on the page,
and whether it shows a focus indicator (an outline or a box shadow, WCAG 2.4.7).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page

from pages.locate import normalize_label

_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const text = n => (n ? n.innerText || n.textContent || '' : '').trim();
  let name = e.getAttribute('aria-label') || (e.labels && e.labels.length ? text(e.labels[0]) : '');
  if (!name && e.getAttribute('aria-labelledby'))
    name = e.getAttribute('aria-labelledby').split(/\\s+/).map(id => text(document.getElementById(id))).join(' ');
  if (!name) name = e.localName === 'input' ? (e.value || '') : text(e);
  const r = e.getBoundingClientRect();
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1
    && !/rgba\\(.*,\\s*0\\)$/.test(s.outlineColor) && s.outlineColor !== 'transparent';
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return {name: name.replace(/\\s+/g, ' ').trim(), tag: e.localName, type: e.getAttribute('type') || '',
          inMain: !!e.closest('main'), x: r.left + window.scrollX, y: r.top + window.scrollY,
          width: r.width, height: r.height,
          visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.opacity !== '0',
          indicator: outline || !!shadow};
}"""


@dataclass(frozen=True)
class Focus:
    """The element that has the focus, as a keyboard user meets it."""

    name: str
    tag: str
    type: str
    in_main: bool
    x: float
    y: float
    width: float
    height: float
    visible: bool
    indicator: bool  # shows an outline or a box shadow while focused

    def named(self, word: str) -> bool:
        """Whether its name is ``word`` (required markers and a colon aside)."""
        return normalize_label(self.name) == normalize_label(word)


class Keyboard:
    """Keys pressed on ``page`` and where the focus goes."""

    def __init__(self, page: Page):
        self.page = page

    def focused(self) -> Focus | None:
        found = self.page.evaluate(_FOCUSED)
        return Focus(found["name"], found["tag"], found["type"], found["inMain"], found["x"], found["y"],
                     found["width"], found["height"], found["visible"], found["indicator"]) if found else None

    def press(self, key: str) -> Focus | None:
        """Press ``key`` ("Tab", "Shift+Tab", "Enter", "Space", "ArrowDown", …); the focus after."""
        self.page.keyboard.press(key)
        return self.focused()

    def type(self, text: str) -> None:
        """Type ``text`` into what has the focus."""
        self.page.keyboard.type(text)

    def tab_to(self, wanted: Callable[[Focus], bool], *, limit: int = 60, backwards: bool = False) -> Focus:
        """Press Tab (Shift+Tab) until the focus is on what ``wanted`` accepts, as a keyboard user
        does; AssertionError when ``limit`` presses do not get there (a focus trap, or no such
        element)."""
        met: list[str] = []
        for _ in range(limit):
            focus = self.press("Shift+Tab" if backwards else "Tab")
            if focus is not None and wanted(focus):
                return focus
            met.append(focus.name if focus else "(nothing)")
        raise AssertionError(f"{limit} presses of {'Shift+' if backwards else ''}Tab never reached it; "
                             f"the focus went through: {met[-12:]}")

    def tab_through_main(self, *, limit: int = 80) -> list[Focus]:
        """Every stop of the focus in ``<main>``, in Tab order, from the first to the last (the
        page's other parts skipped): where a keyboard user goes on this screen."""
        stops: list[Focus] = []
        seen_main = False
        for _ in range(limit):
            focus = self.press("Tab")
            if focus is None:
                if seen_main:
                    break
                continue
            if focus.in_main:
                seen_main = True
                if stops and (focus.name, focus.x, focus.y) == (stops[0].name, stops[0].x, stops[0].y):
                    break  # round again
                stops.append(focus)
            elif seen_main:
                break
        return stops


def reading_order_breaks(stops: list[Focus], *, same_line: float = 8.0) -> list[tuple[Focus, Focus]]:
    """The pairs of consecutive stops where the focus goes back against the reading order (up the
    page, or leftwards on one line): the visual order a sighted keyboard user expects."""
    breaks = []
    for before, after in zip(stops, stops[1:]):
        if after.y < before.y - same_line:
            breaks.append((before, after))
        elif abs(after.y - before.y) <= same_line and after.x < before.x:
            breaks.append((before, after))
    return breaks

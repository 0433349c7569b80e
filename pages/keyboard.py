"""The portal with the keyboard alone (A11Y-2): Tab and Shift+Tab move the focus, Enter and
Space act, letters type. A :class:`Keyboard` presses keys and reads what has the focus; it never
clicks and never moves the focus from a script.

What has the focus is read in one round trip (:data:`_FOCUSED`): its accessible name as a person
hears it (label, aria-label, text or value), the landmark it is in and its box on the page. The
same round trip compares the control the focus has just left with how it looked focused
(A11Y-2: a focused control looks different from the same control unfocused; WCAG 2.4.7): its
outline, box shadow, borders, background, text colour and underline, once the portal's own
transitions have run. An outline that is there whether focused or not shows nothing.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page

from pages.locate import normalize_label

_FOCUSED = """async () => {
  /* What a person sees of a control's state: the visible parts only (a line of width 0 or of a
     transparent colour is no line). */
  const clear = c => !c || c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c);
  const line = (style, width, color) =>
    style === 'none' || style === 'hidden' || parseFloat(width) < 1 || clear(color)
      ? 'none' : `${style} ${width} ${color}`;
  const look = e => {
    const s = getComputedStyle(e);
    const outline = line(s.outlineStyle, s.outlineWidth, s.outlineColor);
    return [outline === 'none' ? 'none' : outline + ' ' + s.outlineOffset, s.boxShadow || 'none',
      ...['Top', 'Right', 'Bottom', 'Left'].map(
        side => line(s['border' + side + 'Style'], s['border' + side + 'Width'], s['border' + side + 'Color'])),
      clear(s.backgroundColor) ? 'none' : s.backgroundColor, s.color, s.textDecorationLine].join(' | ');
  };
  /* The portal's own transitions end before a look is read (finite: CSS transitions only). */
  const settled = e => Promise.all(e.getAnimations({subtree: false})
    .filter(a => typeof CSSTransition !== 'undefined' && a instanceof CSSTransition)
    .map(a => a.finished.catch(() => null)));
  const e = document.activeElement;
  const focused = !e || e === document.body || e === document.documentElement ? null : e;
  const before = window.__suiteFocusLook;
  let left = null;
  if (before && before.element !== focused && before.element.isConnected) {
    await settled(before.element);
    left = {differs: look(before.element) !== before.look};
  }
  window.__suiteFocusLook = null;
  if (!focused) return {focus: null, left};
  await settled(focused);
  window.__suiteFocusLook = {element: focused, look: look(focused)};
  const text = n => (n ? n.innerText || n.textContent || '' : '').trim();
  let name = e.getAttribute('aria-label') || (e.labels && e.labels.length ? text(e.labels[0]) : '');
  if (!name && e.getAttribute('aria-labelledby'))
    name = e.getAttribute('aria-labelledby').split(/\\s+/).map(id => text(document.getElementById(id))).join(' ');
  if (!name) name = e.localName === 'input' ? (e.value || '') : text(e);
  const r = e.getBoundingClientRect();
  const s = getComputedStyle(e);
  /* The landmark it is in (a reading-order unit): its role, or its element's implicit one. */
  const landmark = e.parentElement && e.parentElement.closest('main, header, nav, aside, footer, [role=main], '
    + '[role=banner], [role=navigation], [role=region], [role=complementary], [role=contentinfo], [role=search]');
  const where = landmark ? (landmark.getAttribute('role') || landmark.localName) + ' '
    + (landmark.getAttribute('aria-label') || landmark.getAttribute('aria-labelledby') || '') : '';
  return {left, focus: {name: name.replace(/\\s+/g, ' ').trim(), tag: e.localName, type: e.getAttribute('type') || '',
          inMain: !!e.closest('main, [role=main]'), landmark: where.trim(),
          x: r.left + window.scrollX, y: r.top + window.scrollY,
          width: r.width, height: r.height,
          visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.opacity !== '0'}};
}"""


@dataclass(frozen=True)
class Focus:
    """The element that has the focus, as a keyboard user meets it."""

    name: str
    tag: str
    type: str
    in_main: bool
    landmark: str  # the landmark (main, banner, navigation, region) it is in: a reading-order unit
    x: float
    y: float
    width: float
    height: float
    visible: bool
    # Whether it looked different focused than once the focus left it (A11Y-2); None until the
    # focus has left it.
    indicator: bool | None = None

    def named(self, word: str) -> bool:
        """Whether its name is ``word`` (required markers and a colon aside)."""
        return normalize_label(self.name) == normalize_label(word)


class Keyboard:
    """Keys pressed on ``page`` and where the focus goes."""

    def __init__(self, page: Page):
        self.page = page

    def _read(self) -> tuple[Focus | None, bool | None]:
        """What has the focus now, and whether the control it left looked different focused
        (None when the focus left nothing since the last reading)."""
        found = self.page.evaluate(_FOCUSED)
        left = found["left"]["differs"] if found["left"] else None
        focus = found["focus"]
        if not focus:
            return None, left
        return (
            Focus(
                focus["name"],
                focus["tag"],
                focus["type"],
                focus["inMain"],
                focus["landmark"],
                focus["x"],
                focus["y"],
                focus["width"],
                focus["height"],
                focus["visible"],
            ),
            left,
        )

    def focused(self) -> Focus | None:
        return self._read()[0]

    def tab(self, *, backwards: bool = False) -> Focus | None:
        """Tab (Shift+Tab): where the focus goes."""
        return self._tab(backwards=backwards)[0]

    def _tab(self, *, backwards: bool = False) -> tuple[Focus | None, bool | None]:
        self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        return self._read()

    def press(self, key: str) -> None:
        """Press ``key`` ("Enter", "Space", "ArrowDown", …): an action; it may load another page."""
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        """Type ``text`` into what has the focus."""
        self.page.keyboard.type(text)

    def tab_to(self, wanted: Callable[[Focus], bool], *, limit: int = 60, backwards: bool = False) -> Focus:
        """Press Tab (Shift+Tab) until the focus is on what ``wanted`` accepts, as a keyboard user
        does; AssertionError when ``limit`` presses do not get there (a focus trap, or no such
        element)."""
        met: list[str] = []
        for _ in range(limit):
            focus = self.tab(backwards=backwards)
            if focus is not None and wanted(focus):
                return focus
            met.append(focus.name if focus else "(nothing)")
        raise AssertionError(
            f"{limit} presses of {'Shift+' if backwards else ''}Tab never reached it; "
            f"the focus went through: {met[-12:]}"
        )

    def tab_through_page(self, *, limit: int = 120) -> list[Focus]:
        """Every stop of the focus on the page, in Tab order, once round (from the top of the
        page to where the focus comes back to the first stop): where a keyboard user can go,
        each with ``indicator`` set (the Tab that leaves a stop tells how it looked focused).
        AssertionError when ``limit`` presses never come round (a focus trap)."""
        stops: list[Focus] = []
        self._read()  # starts the comparison from whatever has the focus now
        for _ in range(limit):
            focus, left = self._tab()
            if stops and left is not None and stops[-1].indicator is None:
                stops[-1] = dataclasses.replace(stops[-1], indicator=left)
            if focus is None:  # between the page's last stop and its first
                if stops:
                    return stops
                continue
            if stops and (focus.name, focus.x, focus.y) == (stops[0].name, stops[0].x, stops[0].y):
                return stops
            stops.append(focus)
        raise AssertionError(
            f"{limit} presses of Tab never came round: a focus trap? the last stops: "
            f"{[stop.name for stop in stops[-8:]]}"
        )


def reading_order_breaks(stops: list[Focus], *, same_line: float = 8.0) -> list[tuple[Focus, Focus]]:
    """The pairs of consecutive stops of one landmark (the header, the navigation, the main
    part) where the focus goes back against the reading order, up the page or leftwards on one
    line: the visual order a sighted keyboard user expects. Landmarks themselves may come in any
    order (a side navigation before or after the main part)."""
    breaks = []
    for before, after in itertools.pairwise(stops):
        if before.landmark != after.landmark:
            continue
        if after.y < before.y - same_line:
            breaks.append((before, after))
        elif abs(after.y - before.y) <= same_line and after.x < before.x:
            breaks.append((before, after))
    return breaks

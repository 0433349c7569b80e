"""The mock's own accessibility checks (A11Y-1..3) on pages of a real Chromium (``a11ytour.py``).

- ``axe_violations``: axe-core (bundled by axe-playwright-python) with the WCAG 2.1 A and AA tags.
- ``keyboard_problems``: a round of Tab through a page (``tab_walk``): a focus trap, a control
  never reached, a focus that cannot be seen, a focus order that does not follow the visual
  order (A11Y-2); ``keyboard_flow``: sign-in to result with the keyboard alone.
- ``summary_focus_problems``: after a refused step, the focus on the error summary, and each of
  its links moving the focus to its field (A11Y-3).

Every check returns a list of problems, empty when the page passes, so that a test can show the
mock passes and that each A11Y defect makes exactly its own kind of check fail. Expected values
come from the contract (words, WCAG's thresholds), never from the mock's code.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from contract.words import WORDS
from tests.http.a11ytour import SCREENS, VIEWPORT
from tests.http.mockkit import Client, der, self_signed

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
FOCUS_CONTRAST = 3.0  # WCAG 1.4.11: a user interface component's visual indication, 3:1


# -- A11Y-1: axe-core ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help_url: str
    nodes: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) on {', '.join(self.nodes[:5])} — {self.help_url}"


_AXE = Axe()


def axe_violations(page: Page) -> list[Violation]:
    """Every violation axe-core finds with the WCAG 2.1 A and AA tags, whatever its impact."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = _AXE.run(page, options=options).response
    return [
        Violation(
            v["id"], v["impact"] or "", v["helpUrl"], tuple(" ".join(map(str, node["target"])) for node in v["nodes"])
        )
        for v in results["violations"]
    ]


def failing(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.impact in FAILING_IMPACTS]


# -- A11Y-2: the keyboard ------------------------------------------------------------------------------
# An element's place in the document, the same for the focused element and the list of controls.
_PATH = """n => { const parts = []; while (n && n.nodeType === 1) {
  parts.unshift(n.tagName + (n.parentElement ? Array.from(n.parentElement.children).indexOf(n) : 0));
  n = n.parentElement; } return parts.join('/'); }"""

# How an element looks, as far as focus shows: outline, box shadow, borders, background, text
# colour and underline (A11Y-2: focused must differ from unfocused; a line of width 0 or of a
# transparent colour is no line).
_LOOK = """e => { const s = getComputedStyle(e);
  const clear = c => !c || c === 'transparent' || /^rgba\\(.*,\\s*0\\)$/.test(c);
  const line = (st, w, c) =>
    (st === 'none' || st === 'hidden' || parseFloat(w) < 1 || clear(c)) ? '-' : [st, w, c].join(' ');
  return [line(s.outlineStyle, s.outlineWidth, s.outlineColor), s.boxShadow,
    ['Top', 'Right', 'Bottom', 'Left']
      .map(d => line(s[`border${d}Style`], s[`border${d}Width`], s[`border${d}Color`])).join(','),
    clear(s.backgroundColor) ? '-' : s.backgroundColor, s.color, s.textDecorationLine].join(' | '); }"""

# What a focused element looks like: where it is, its focus ring, what the ring is drawn on.
_DESCRIBE = """e => {
  const box = e.getBoundingClientRect();
  const style = getComputedStyle(e);
  let back = e.parentElement, background = 'rgb(255, 255, 255)';
  while (back) {  // the nearest ancestor with a background colour
    const colour = getComputedStyle(back).backgroundColor;
    if (colour && colour !== 'transparent' && !/^rgba\\(.*,\\s*0\\)$/.test(colour)) { background = colour; break; }
    back = back.parentElement;
  }
  const regions = 'header, nav, main, aside, footer, [role=banner], [role=navigation], [role=main], '
                  + '[role=region], [role=complementary], [role=contentinfo]';
  const landmark = e.closest(regions);
  return {
    tag: e.tagName.toLowerCase(), type: e.getAttribute('type') || '', name: e.getAttribute('name') || '',
    id: e.id, text: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 60),
    label: (e.getAttribute('aria-label') || (e.labels && e.labels.length ? e.labels[0].innerText : ''))
      .replace(/[\\s\\u00a0*:]+$/, '').trim(),
    x: box.left + scrollX, y: box.top + scrollY, width: box.width, height: box.height,
    visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden',
    outline: [style.outlineStyle, style.outlineWidth, style.outlineColor], shadow: style.boxShadow,
    background: background, landmark: landmark ? Array.from(document.querySelectorAll(regions)).indexOf(landmark) : -1,
    path: (PATH)(e), look: (LOOK)(e),
  };
}""".replace("PATH", _PATH).replace("LOOK", _LOOK)

# The look of the elements at these paths, now (once the focus has left them).
_LOOKS_AT = """paths => paths.map(path => { let n = document.documentElement;
  for (const part of path.split('/').slice(1))
    n = n && Array.from(n.children).find((c, i) => c.tagName + i === part);
  return n ? (LOOK)(n) : null; })""".replace("LOOK", _LOOK)

_FOCUSED = """() => { const e = document.activeElement;
  return !e || e === document.body || e === document.documentElement ? null : (DESCRIBE)(e); }
""".replace("DESCRIBE", _DESCRIBE)

# Records every move of the focus as it happens (null: the focus left the page), so that a walk
# presses keys without asking the page after each one.
_RECORD = """() => { window.__focusMoves = [];
  if (window.__focusRecorder) return;
  window.__focusRecorder = true;
  document.addEventListener('focusin', e => window.__focusMoves.push((DESCRIBE)(e.target)), true);
  document.addEventListener('focusout', e => { if (!e.relatedTarget) window.__focusMoves.push(null); }, true);
}""".replace("DESCRIBE", _DESCRIBE)

# Every control a keyboard user must be able to reach: a radio group counts once (Tab stops on one).
_TABBABLE = """() => Array.from(document.querySelectorAll(
    'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])'))
  .filter(e => !e.disabled && e.tabIndex >= 0 && e.type !== 'hidden' && e.getClientRects().length
               && getComputedStyle(e).visibility !== 'hidden')
  .map(e => e.type === 'radio' ? 'radio:' + e.name : (PATH)(e))""".replace("PATH", _PATH)


@dataclass(frozen=True)
class Focus:
    """One element the focus stopped on, as the browser laid it out."""

    tag: str
    type: str
    name: str
    id: str
    text: str
    label: str  # a control's label, without the required marker and colon §3 allows
    x: float
    y: float
    width: float
    height: float
    visible: bool
    outline: tuple[str, str, str]
    shadow: str
    background: str
    landmark: int
    path: str
    look: str  # outline, shadow, borders, background, colour, underline while focused

    def __str__(self) -> str:
        return f"<{self.tag}{' ' + self.type if self.type else ''}> {self.text or self.name or self.id!r}"


def focused(page: Page) -> Focus | None:
    found = page.evaluate(_FOCUSED)
    return _focus(found) if found else None


@dataclass
class Walk:
    """One full round of Tab presses through a page, and what went wrong on the way."""

    stops: list[Focus]
    trapped: Focus | None
    missed: list[str]


def _focus(found: dict[str, Any]) -> Focus:
    return Focus(**{**found, "outline": tuple(found["outline"])})


def tab_walk(page: Page, key: str = "Tab") -> Walk:
    """Press ``key`` until the focus has gone round the page once, from the document's start to
    its end (where Chromium gives the focus back to the page's body). A page that has the focus
    somewhere already (an autofocused error summary) is first gone through to its end. Presses
    that no longer move the focus, before the round is complete, are a trap."""
    expected = list(dict.fromkeys(page.evaluate(_TABBABLE)))
    page.evaluate(_RECORD)
    moves: list[dict[str, Any] | None] = [None] if focused(page) is None else []
    while True:
        for _ in range(len(expected) + 2):
            page.keyboard.press(key)
        recorded = page.evaluate("() => window.__focusMoves.splice(0)")
        if not recorded:  # a whole batch of presses and the focus did not move
            stuck = focused(page)
            return Walk([], stuck, []) if stuck is not None else Walk([], None, expected)
        moves += recorded
        starts = [index for index, move in enumerate(moves) if move is None]
        if len(starts) >= 2:
            break
    stops = [_focus(move) for move in moves[starts[0] + 1 : starts[1]] if move is not None]
    seen = {f"radio:{stop.name}" if stop.type == "radio" else stop.path for stop in stops}
    return Walk(stops, None, [item for item in expected if item not in seen])


_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def _colour(text: str) -> tuple[float, float, float, float] | None:
    found = _RGB.search(text)
    if not found:
        return None
    red, green, blue, alpha = found.groups()
    return float(red), float(green), float(blue), float(alpha) if alpha is not None else 1.0


def _luminance(colour: tuple[float, float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue, _ = colour
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two CSS colours (``rgb(...)``); an unreadable one counts as 1."""
    one, two = _colour(first), _colour(second)
    if one is None or two is None or one[3] == 0:
        return 1.0
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _px(text: str) -> float:
    found = re.match(r"[\d.]+", text)
    return float(found.group()) if found else 0.0


def indicator(stop: Focus) -> bool:
    """Whether the focused element shows a ring: an outline, or a box-shadow ring, at least 2px
    wide, in a colour with 3:1 contrast against what it is drawn on."""
    style, width, colour = stop.outline
    rings = [colour] if style not in ("none", "hidden") and _px(width) >= 2 else []
    if stop.shadow and stop.shadow != "none":
        for shadow in stop.shadow.split("),"):
            numbers = [_px(n) for n in re.findall(r"-?[\d.]+px", shadow)]
            if len(numbers) >= 4 and numbers[3] >= 2:  # x, y, blur, spread
                rings.append(shadow)
    return any(contrast(ring, stop.background) >= FOCUS_CONTRAST for ring in rings)


def _same_line(one: Focus, two: Focus) -> bool:
    return two.y < one.y + one.height - 2 and one.y < two.y + two.height - 2


def order_problems(stops: list[Focus]) -> list[str]:
    """The focus order follows the visual order: each landmark (header, navigation, main, ...)
    is gone through in one go, and within it, top to bottom and, on one line, left to right."""
    problems, done = [], set()
    for before, after in itertools.pairwise(stops):
        if after.landmark != before.landmark:
            if after.landmark in done:
                problems.append(f"the focus comes back to a region it left: {before} -> {after}")
            done.add(before.landmark)
            continue
        if _same_line(before, after):
            if after.x < before.x - 1:
                problems.append(f"right to left on one line: {before} -> {after}")
        elif after.y < before.y:
            problems.append(f"upwards: {before} ({before.y:.0f}) -> {after} ({after.y:.0f})")
    return problems


def keyboard_problems(page: Page, *, backwards: bool = False) -> list[str]:
    """A11Y-2 on one page: what has the focus when the page loads (an error summary) shows it; a
    full round of Tab reaches every control without a trap, each stop visible with a focus ring,
    in the visual order; with ``backwards``, Shift+Tab goes the same way back."""
    start = focused(page)
    if start is not None and not indicator(start):
        return [f"no visible focus indicator on {start}, focused when the page loads"]
    walk = tab_walk(page)
    if walk.trapped is not None:
        return [f"focus trap: Tab does not leave {walk.trapped}"]
    problems = [f"never reached with Tab: {item}" for item in walk.missed]
    problems += [f"focused but not visible: {stop}" for stop in walk.stops if not stop.visible]
    problems += [f"no visible focus indicator on {stop}" for stop in walk.stops if not indicator(stop)]
    # The walk's last presses may have brought the focus round to a stop again: blur it, so that
    # every look read now is an unfocused one.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    unfocused = page.evaluate(_LOOKS_AT, [stop.path for stop in walk.stops])
    problems += [
        f"looks the same focused and unfocused: {stop}"
        for stop, look in zip(walk.stops, unfocused, strict=True)
        if look == stop.look
    ]
    problems += order_problems(walk.stops)
    if not backwards:
        return problems
    back = tab_walk(page, "Shift+Tab")
    if back.trapped is not None:
        problems.append(f"focus trap: Shift+Tab does not leave {back.trapped}")
    elif [stop.path for stop in reversed(back.stops)] != [stop.path for stop in walk.stops]:
        problems.append("Shift+Tab does not go back the way Tab came")
    return problems


def tab_to(page: Page, wanted: Callable[[Focus], bool], what: str, limit: int = 120) -> Focus:
    """Press Tab until the focus is on what ``wanted`` picks."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now is not None and wanted(now):
            return now
    raise AssertionError(f"Tab never reaches {what} (last: {focused(page)})")


def _labelled(word: str) -> Callable[[Focus], bool]:
    return lambda stop: stop.label == word


def _named(word: str) -> Callable[[Focus], bool]:
    return lambda stop: stop.text == word


# The screens the keyboard flow passes, named as the tour (pages/tour.py) names them, in its order.
KEYBOARD_FLOW = ("login", "home", "information", "contact", "channel", "confirmation", "result")
if [name for name in SCREENS if name in KEYBOARD_FLOW] != list(KEYBOARD_FLOW):
    raise NotImplementedError(f"tests/http/a11ykit.py: {KEYBOARD_FLOW} are not screens of pages/tour.py in its order")


def keyboard_flow(
    browser: Browser, base_url: str, language: str, check: Callable[[str, Page], None] = lambda step, page: None
) -> Page:
    """Sign in and register an FTP channel with the keyboard alone: Tab, Enter and Space, text
    typed into fields (a select takes its choice's first letters, as any keyboard user does),
    the certificate chosen through the file dialog that Space opens. ``check(step, page)`` runs
    on each page as it is reached (``step``: one of ``KEYBOARD_FLOW``). Returns the page after
    Confirmer."""
    words: dict[str, str] = {key: values[language] for key, values in WORDS.items()}
    setup = Client(base_url)
    employer = setup.new_employer(language=language)
    user = employer["users"]["gl"]
    page = browser.new_context(viewport=VIEWPORT, locale=language).new_page()
    # Playwright turns the interception of file dialogs on when a page gets its first listener,
    # without waiting for the browser to confirm: one added right before the key press that
    # opens the dialog can lose that race. A listener from the start avoids it.
    page.on("filechooser", lambda chooser: None)
    page.goto(f"{base_url}/login?lang={language}")

    def enter(step: str) -> None:
        with page.expect_navigation():
            page.keyboard.press("Enter")
        check(step, page)

    def fill(word: str, text: str) -> None:
        tab_to(page, _labelled(word), word)
        page.keyboard.type(text)

    check("login", page)
    fill(words["login_username"], user["username"])
    fill(words["login_password"], user["password"])
    enter("home")
    tab_to(page, _named(words["register_configuration"]), words["register_configuration"])
    enter("information")
    tab_to(page, _named(words["next"]), words["next"])
    enter("contact")
    for key, text in (
        ("last_name", "Peeters"),
        ("first_name", "Jan"),
        ("title", words["title_mr"]),
        ("function", "Responsable IT"),
        ("phone", "+32 2 123 45 67"),
        ("email_1", "jan.peeters@example.be"),
    ):
        fill(words[key], text)
    tab_to(page, _named(words["next"]), words["next"])
    enter("channel")
    tab_to(page, _labelled(words["channel_ftp"]), words["channel_ftp"])
    page.keyboard.press("Space")
    tab_to(page, _labelled(words["certificate_upload"]), words["certificate_upload"])
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        {
            "name": "ftp.cer",
            "mimeType": "application/pkix-cert",
            "buffer": der(self_signed(employer["employer"]["name"], cn="Keyboard")),
        }
    )
    tab_to(page, _labelled("Publiato"), "Publiato")
    page.keyboard.press("Space")
    tab_to(page, _named(words["next"]), words["next"])
    enter("confirmation")
    tab_to(page, _named(words["confirm"]), words["confirm"])
    enter("result")
    return page


# -- A11Y-3: the focus after a refusal ------------------------------------------------------------------
_CONTROLS_DESCRIBED_BY = """(id) => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(e => (e.getAttribute('aria-describedby') || '').split(/\\s+/).includes(id)).map(e => e.id)"""


def summary_focus_problems(page: Page) -> list[str]:
    """After a refused step: the focus is on the error summary (``role="alert"``) once the page
    has loaded, and each of its links, followed with the keyboard, puts the focus on the first
    control that its entry describes (``aria-describedby``: the faulty field, the first input of a
    faulty group), marked ``aria-invalid``."""
    summary = page.get_by_role("alert")
    if summary.count() != 1:
        return [f"{summary.count()} error summaries"]
    problems = []
    if not page.evaluate(
        "() => { const e = document.activeElement; return !!e && e.getAttribute('role') === 'alert'; }"
    ):
        problems.append(f"the focus is not on the error summary when the page loads, but on {focused(page)}")
    links = summary.get_by_role("link")
    if links.count() == 0:
        problems.append("the error summary has no links")
    for index in range(links.count()):
        link = links.nth(index)
        entry = link.evaluate("a => (a.closest('[id]') || {}).id || ''")
        described = page.evaluate(_CONTROLS_DESCRIBED_BY, entry) if entry else []
        link.focus()
        page.keyboard.press("Enter")
        active = page.evaluate("() => [document.activeElement.id, document.activeElement.getAttribute('aria-invalid')]")
        if not described:
            problems.append(f"no field is described by the entry of link {link.inner_text()!r}")
        elif active[0] != described[0] or active[1] != "true":
            problems.append(
                f"link {link.inner_text()!r} leaves the focus on #{active[0] or '(nothing)'}, "
                f"not on its field #{described[0]}"
            )
    return problems


Check = Callable[[Page], list[str]]


def axe_problems(page: Page) -> list[str]:
    return [str(v) for v in failing(axe_violations(page))]


def run_check(check: Check, pages: Iterator[tuple[str, Page]]) -> dict[str, list[str]]:
    """``check`` on each screen: {screen: its problems} for the screens that have some."""
    return {name: problems for name, page in pages if (problems := check(page))}

"""Screens kept open for a worker's whole run, so that a check pays only for the page loads it
needs (docs/performance.md).

Most conformance checks submit data the portal must refuse and stay on their step: they need
no fresh employer, no new context and no walk from Home. Such a test asks for a *shared screen*
through a fixture (``tests/conformance/conftest.py``) that gives three things: a key (which
screen: "the contact step of test_contact_email's tests"), how to build it on a new page (the
walk from the entry point, through the UI), and how to tell that it is clean (on its screen, in
its language, nothing left in the draft that the next test does not re-enter).

Isolation holds because:

- every test re-enters the fields it relies on (``ContactStep.fill`` sets them all);
- the screen is checked after each test that passed: a test that leaves it dirty gets an error
  in its tear-down naming what leaked, and the screen is discarded; a screen whose last check
  did not happen (its test was interrupted) is checked again before the next test;
- after a test that failed, the screen is discarded, so one failure never spreads;
- a discarded screen runs its ``on_close`` before its context closes (a wizard is cancelled
  through the UI, "Annuler"), and the next test gets a screen rebuilt by a new walk in a new
  context;
- a re-run of a failed test (``--reruns``) never uses a shared screen: it gets a page of its
  own, in its own context, which pytest-playwright traces (``--trace-reruns``) and screenshots;
- ``--fresh-screens`` turns sharing off: every test builds its screen in its own context (for a
  portal that keeps drafts per user rather than per session, or to rule sharing out).

A fixture that gives a shared screen is declared once with :func:`shared_step`; the tests using
it then carry ``xdist_group(<key>)``, so ``--dist loadgroup`` keeps each group on one worker.
The kill matrix calls :meth:`SharedScreens.reset` when it switches the portal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import pytest
from playwright.sync_api import BrowserContext, Error, Page

from contract.words import LANGUAGES

S = TypeVar("S")
Build = Callable[[Page], S]
Clean = Callable[[S], "str | None"]  # None when clean, else what is wrong
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()  # when -> the test's report of that phase (the plugin)
SCREENS_KEY = pytest.StashKey["SharedScreens"]()  # the worker's shared screens (the ``shared_screens`` fixture)


def is_rerun(item: pytest.Item) -> bool:
    """Whether this run of the test is a re-run of a failed attempt (pytest-rerunfailures)."""
    return getattr(item, "execution_count", 1) > 1


def failed_so_far(item: pytest.Item) -> bool:
    """Whether the test's set-up or call failed (read during its tear-down)."""
    return any(report.failed for report in item.stash.get(REPORTS, {}).values())


@dataclass
class _Kept:
    screen: Any
    context: BrowserContext
    on_close: list[Callable[[], None]] = field(default_factory=list)
    last_test: str = ""
    checked: bool = True  # clean as far as known: just built, or checked after its last test


class SharedScreens:
    """The shared screens of one worker, by key."""

    def __init__(self, new_context: Callable[[], BrowserContext], *, enabled: bool = True) -> None:
        self._new_context = new_context
        self.enabled = enabled
        self._kept: dict[str, _Kept] = {}
        self._values: dict[str, Any] = {}
        self._contexts: list[BrowserContext] = []

    def keep(self, key: str, make: Callable[[], S]) -> S:
        """A value made once and kept with the screens (an employer they use): dropped by
        :meth:`reset`, like them, because it belongs to the portal behind them."""
        if key not in self._values:
            self._values[key] = make()
        value: S = self._values[key]
        return value

    def new_context(self) -> BrowserContext:
        """A context that stays open until :meth:`reset`, for a kept value that goes on using
        its pages from one test to the next (the accessibility walk)."""
        context = self._new_context()
        self._contexts.append(context)
        return context

    def use(
        self,
        request: pytest.FixtureRequest,
        key: str,
        build: Build[S],
        clean: Clean[S],
        on_close: Callable[[S], None] | None = None,
        *,
        shared: bool = True,
    ) -> S:
        """The screen ``key`` for the requesting test: kept from an earlier test when it is clean,
        otherwise built now. ``on_close`` runs when the screen is finally closed (it may undo what
        the build did on a foreign portal). ``shared=False`` builds it for this test alone (its
        employer is the test's own: the target keeps none for the worker's screen)."""
        item = request.node
        if is_rerun(item) or not self.enabled or not shared:  # a page of the test's own, traced on a re-run
            screen: S = build(request.getfixturevalue("new_context")().new_page())
            if on_close is not None:
                request.addfinalizer(functools.partial(on_close, screen))
            return screen
        kept = self._kept.get(key)
        if kept is not None and not kept.checked:
            problem = self._problem(kept, clean)
            if problem is not None:
                # The previous test passed its own check after it; only something outside the
                # tests can have changed the screen since. Say so, and start over next time.
                last = kept.last_test
                self.discard(key)
                raise SharedScreenLeak(
                    f"the shared screen {key!r} is not clean before this test: {problem} (it was last used by {last})"
                )
        if kept is None:
            kept = self._build(key, build, on_close)
        kept.last_test, kept.checked = item.nodeid, False
        request.addfinalizer(functools.partial(self._after, item, key, kept, clean))
        kept_screen: S = kept.screen
        return kept_screen

    def _build(self, key: str, build: Build[Any], on_close: Callable[[Any], None] | None) -> _Kept:
        context = self._new_context()
        try:
            screen = build(context.new_page())
        except BaseException:
            context.close()
            raise
        kept = _Kept(screen, context)
        if on_close is not None:
            kept.on_close.append(functools.partial(on_close, screen))
        self._kept[key] = kept
        return kept

    @staticmethod
    def _problem(kept: _Kept, clean: Clean[Any]) -> str | None:
        try:
            return clean(kept.screen)
        except Error as error:  # a closed page or context: certainly not usable
            return f"it cannot be read ({error.message.splitlines()[0]})"

    def _after(self, item: pytest.Item, key: str, kept: _Kept, clean: Clean[Any]) -> None:
        """The tear-down check: a failed test's screen is discarded; a passing test that left
        the screen dirty fails its tear-down, loudly."""
        if self._kept.get(key) is not kept:
            return
        if failed_so_far(item):
            self.discard(key)
            return
        problem = self._problem(kept, clean)
        if problem is not None:
            self.discard(key)
            raise SharedScreenLeak(f"{item.nodeid} left the shared screen {key!r} dirty for the next test: {problem}")
        kept.checked = True

    def contexts_of_others(self, nodeid: str, *, walks: bool) -> set[BrowserContext]:
        """The kept contexts ``nodeid`` is not using now: the screens another test used last,
        and the accessibility walks' contexts unless ``walks`` (its evidence leaves them out)."""
        others = {kept.context for kept in self._kept.values() if kept.last_test != nodeid}
        return others | (set() if walks else set(self._contexts))

    def discard(self, key: str) -> None:
        """Close the screen ``key`` (its ``on_close`` first: a wizard is cancelled through the UI)."""
        kept = self._kept.pop(key, None)
        if kept is None:
            return
        try:
            for close in kept.on_close:
                close()
        finally:
            kept.context.close()

    def reset(self) -> None:
        """Close every screen and forget the kept values (the portal behind them changed)."""
        try:
            for key in list(self._kept):
                self.discard(key)
        finally:
            self._values.clear()
            contexts, self._contexts = self._contexts, []
            for context in contexts:
                context.close()


class SharedScreenLeak(AssertionError):
    """A shared screen was left in a state the next test must not inherit."""


# --- shared steps, declared once -------------------------------------------------------------------

# Which tests share one screen: all of a worker's, a module's, or those of one interface language.
PER_WORKER, PER_MODULE, PER_LANGUAGE = "worker", "module", "language"


@dataclass(frozen=True)
class Holds:
    """A worker-kept employer a fixture uses (``Target.hold_employer``): its key, with
    ``{language}`` for the test's language parameter, and whether it is the one named like the
    catalogue's company."""

    key: str
    by_company: bool = False

    def key_for(self, item: pytest.Item) -> str:
        return self.key.format(language=_language_of(item)) if "{language}" in self.key else self.key


SHARED_STEPS: dict[str, str] = {}  # fixture name -> PER_WORKER, PER_MODULE or PER_LANGUAGE
HOLDS: dict[str, Holds] = {}  # fixture name -> the worker-kept employer it uses

F = TypeVar("F", bound=Callable[..., Any])


def shared_step(per: str) -> Callable[[F], F]:
    """Declare a fixture as a shared screen: the tests using it share one screen (per worker,
    module or language, ``per``), and form one xdist group, so that ``--dist loadgroup`` keeps
    them on one worker. The fixture builds it with ``shared_screens.use(request,
    step_key(request), ...)``."""
    assert per in (PER_WORKER, PER_MODULE, PER_LANGUAGE), per

    def declare(function: F) -> F:
        SHARED_STEPS[function.__name__] = per
        return function

    return declare


def holds_employer(key: str, *, by_company: bool = False) -> Callable[[F], F]:
    """Declare that a fixture uses the employer a worker keeps under ``key`` (on a target that
    cannot spare one, the test's own lease gives it one more: ``employers_needed``)."""

    def declare(function: F) -> F:
        HOLDS[function.__name__] = Holds(key, by_company)
        return function

    return declare


def hold_keys() -> list[tuple[str, bool]]:
    """The worker-kept employers the collected fixtures declare (``holds_employer``), each key
    once, a ``{language}`` key in every language: ``(key, named like the company)``, the one
    named like the company first (the wizard steps'), then in the order they were declared."""
    keys: dict[str, bool] = {}
    for holds in sorted(HOLDS.values(), key=lambda holds: not holds.by_company):
        expanded = [holds.key.format(language=language) for language in LANGUAGES]
        for key in dict.fromkeys(expanded):
            keys.setdefault(key, holds.by_company)
    return list(keys.items())


def _language_of(item: pytest.Item) -> str:
    callspec = getattr(item, "callspec", None)
    return str(callspec.params.get("language")) if callspec is not None else ""


def group_of(name: str, item: pytest.Item) -> str:
    """The key of the shared screen ``name`` for ``item``: its xdist group too."""
    per = SHARED_STEPS[name]
    if per == PER_WORKER:
        return name
    if per == PER_LANGUAGE:
        return f"{name}:{_language_of(item)}"
    return f"{name}:{item.path.stem}"


def step_key(request: pytest.FixtureRequest) -> str:
    """The key of the shared screen the requesting fixture gives (a declared ``shared_step``)."""
    return group_of(request.fixturename or "", request.node)


def group_shared_steps(items: list[pytest.Item]) -> None:
    """Each test using a shared screen joins its xdist group (the first such fixture it uses)."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        step = next((name for name in names if name in SHARED_STEPS), None)
        if step is not None:
            item.add_marker(pytest.mark.xdist_group(group_of(step, item)))


class KeepsEmployers(Protocol):
    def keeps(self, key: str) -> bool: ...


def employers_needed(item: pytest.Item, target: KeepsEmployers, company: str) -> tuple[int, list[str]]:
    """How many employers ``item`` takes from a target file, and which by name: its
    ``employer`` (or ``@pytest.mark.employers(n)``, all the test takes itself), and each
    worker-kept employer (``holds_employer``) its worker does not keep (the one named like the
    catalogue's company by that name)."""
    fixtures = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("employers")
    count = int(marker.args[0]) if marker else int("employer" in fixtures)
    names: list[str] = []
    for name in sorted(fixtures & set(HOLDS)):
        holds = HOLDS[name]
        if target.keeps(holds.key_for(item)):
            continue
        if holds.by_company:
            names.append(company)
        else:
            count += 1
    return count, names

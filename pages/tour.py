"""The tour: every screen of the flow, once, in the order one person meets them, each named,
with what its visit starts from and how a person reaches it through the UI with page objects.

``SCREENS`` is the one list of screens; its consumers take theirs from it:

- the gallery (``tests/gallery``) photographs each screen on a visit of its own
  (:meth:`TourScreen.visit`, the shortest way there);
- A11Y-1 (``tests/conformance/test_accessibility.py``) walks through them once per language
  (:func:`go_through`), scanning each as it passes (:class:`Walk`);
- the mock's own accessibility checks (``tests/http/a11ytour.py``) reach each screen by its
  name, their own way, setting state over HTTP.

A consumer that goes with page objects leaves a screen out only by naming it, with why
(:func:`screens_except`); the mock's tour has a method per screen. So a screen added here
reaches every consumer, and stops it until it handles the screen.

What a visit starts from (``starts``): ``SIGNED_OUT``, a page without a session (the login
page); ``FRESH``, the gestionnaire local of an employer without a configuration (Home, the
wizard's steps and their refused states, the overview after "Confirmer", which registers one)
and, for the access-refused page, that employer's plain user too; ``CONFIGURED``, the
gestionnaire local of an employer with a registered Web Service configuration (and no FTP
channel, whose page then offers to add it). Whoever runs the tour gives each visit or walk a
:class:`Start`: new pages, the contact person to type and a certificate to upload. A screen is
shown in the language asked for: the tour opens the entry point, reads ``<html lang>`` and,
when the portal shows another language, clicks the header's NL/FR/DE link (a portal keeps
the choice in the session).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from playwright.sync_api import Page

from contract.words import DEFAULT_LANGUAGE, LANGUAGES, Words
from pages.flows import Certificate, upload_of
from pages.screens import (
    AccessRefusedPage,
    ChannelPage,
    ChannelStep,
    ConfirmationStep,
    ContactLike,
    ContactPersonPage,
    ContactStep,
    DeletionPage,
    HomePage,
    InformationStep,
    LoginPage,
    OverviewPage,
    PortalScreen,
    Screen,
)

SIGNED_OUT, FRESH, CONFIGURED = "signed out", "employer without a configuration", "configured employer"

S = TypeVar("S", bound=Screen)
T = TypeVar("T")


class Start(Protocol):
    """What a visit or a walk starts from, given by whoever runs the tour. Each page is new, in
    a browser context of its own (a walk's pages of the gestionnaire local may share one), not
    yet navigated."""

    @property
    def base_url(self) -> str: ...

    @property
    def person(self) -> ContactLike:
        """The contact person typed into the wizard."""
        ...

    def signed_out(self) -> Page: ...

    def signed_in(self, role: str = "gl") -> Page:
        """Signed in as ``role`` ("gl" or "user") of the employer of this visit or walk (one
        employer throughout: without a configuration for FRESH visits and walks, the
        registered one for CONFIGURED visits)."""
        ...

    def certificate(self) -> Certificate:
        """A valid certificate that no sender uses yet."""
        ...

    def reopen(self, page: Page, address: str) -> None:
        """Open on ``page`` an address the portal gave earlier in this visit. Page objects type
        no address but the entry point (contract §3): whoever runs the tour does this."""
        ...


# How a person goes on to a screen from the one before it (``after``, or the first screen of the
# start). Any: each step below names the class of the screen it starts from.
Step = Callable[[Any, Start], Screen]


@dataclass(frozen=True)
class TourScreen:
    """One screen of the tour: ``name`` (file names, test ids, reports), ``label`` (for people),
    what its visit starts from, the screen it is reached from (``after``; None: the first screen
    of its start) and how (``step``; None: no page object reaches it), whether reaching it
    registers a configuration, and whether it is a form the portal refused (the screen again
    with its error summary)."""

    name: str
    label: str
    starts: str
    after: str | None = None
    step: Step | None = None
    registers: bool = False
    refused: bool = False

    @property
    def changes_the_portal(self) -> bool:
        """Whether reaching it registers a configuration, or needs one registered."""
        return self.registers or self.starts == CONFIGURED

    def visit(self, start: Start, language: str) -> Screen:
        """Bring new pages to this screen in ``language`` ("fr", "nl" or "de"), the shortest way
        (through the screens it is reached from): loaded."""
        *_, (_, shown) = go_through(start, language, (self,))
        return shown


def at_entry_point(page: Page, base_url: str, screen: type[S], language: str) -> S:
    """``screen`` (the login page signed out, Home signed in) at the entry point, in ``language``:
    the header's language link is clicked when the portal shows another one."""
    page.goto(base_url.rstrip("/") + "/")
    shown = _language_of(page)
    opened = screen(page, Words(shown)).loaded()
    return opened if shown == language else opened.switch_language(language)


def _language_of(page: Page) -> str:
    lang = (Screen(page, Words(DEFAULT_LANGUAGE)).header.language() or DEFAULT_LANGUAGE)[:2].lower()
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


# --- the steps, each from the screen before it ---------------------------------------------------


def _first(screen: Screen, start: Start) -> Screen:
    """The first screen of a start itself: the login page, Home."""
    return screen


def _sign_in_refused(login: LoginPage, start: Start) -> LoginPage:
    return login.sign_in_expecting_error("no-such-user", "not-a-password")


def _information(home: HomePage, start: Start) -> InformationStep:
    return home.start_registration()


def _access_refused(information: InformationStep, start: Start) -> AccessRefusedPage:
    """The employer's plain user on the wizard's address, as its manager opened it (an address
    is never typed: only the entry point is)."""
    language = information.words.language
    page = at_entry_point(start.signed_in("user"), start.base_url, HomePage, language).page
    start.reopen(page, information.address)
    return AccessRefusedPage(page, Words(language)).loaded()


def _contact(information: InformationStep, start: Start) -> ContactStep:
    return information.next()


def _contact_refused(contact: ContactStep, start: Start) -> ContactStep:
    """ "Suivant" with every field as the step first shows it: the required ones are empty."""
    return contact.next_expecting_errors()


def _channel(contact: ContactStep, start: Start) -> ChannelStep:
    return contact.fill(start.person).next()


def _channel_refused(channel: ChannelStep, start: Start) -> ChannelStep:
    """Web Service chosen, "Suivant" without a certificate."""
    return channel.choose_web_service().next_expecting_errors()


def _confirmation(channel: ChannelStep, start: Start) -> ConfirmationStep:
    return channel.choose_web_service().upload_certificate(upload_of(start.certificate())).next()


def _result(confirmation: ConfirmationStep, start: Start) -> OverviewPage:
    """The overview right after "Confirmer", with its success message."""
    return confirmation.confirm()


def _contact_person(screen: PortalScreen, start: Start) -> ContactPersonPage:
    return screen.open_contact_person()


def _channel_configured(screen: PortalScreen, start: Start) -> ChannelPage:
    return screen.open_channel("ws")


def _channel_to_add(screen: PortalScreen, start: Start) -> ChannelPage:
    """The FTP channel's page of a Web Service configuration: the form to add it."""
    return screen.open_channel("ftp")


def _deletion(screen: PortalScreen, start: Start) -> DeletionPage:
    """The explicit confirmation before deleting (not confirmed)."""
    return screen.open_deletion()


def _in_order(*screens: TourScreen) -> tuple[TourScreen, ...]:
    """``screens``, checked: names unique, each reached from a screen before it that a page
    object reaches too."""
    stepped: dict[str, bool] = {}
    for screen in screens:
        if screen.name in stepped:
            raise ValueError(f"two screens named {screen.name!r}")
        if screen.after is not None and screen.after not in stepped:
            raise ValueError(f"{screen.name!r} is reached from {screen.after!r}, which does not come before it")
        if screen.step is not None and screen.after is not None and not stepped[screen.after]:
            raise ValueError(f"{screen.name!r} has a step but {screen.after!r}, where it starts, has none")
        stepped[screen.name] = screen.step is not None
    return screens


SCREENS: tuple[TourScreen, ...] = _in_order(
    TourScreen("login", "Login", SIGNED_OUT, step=_first),
    TourScreen("login-refused", "Login, refused", SIGNED_OUT, "login", _sign_in_refused, refused=True),
    TourScreen("home", "Home, no sender yet", FRESH, step=_first),
    TourScreen("information", "Wizard 1: Information", FRESH, "home", _information),
    TourScreen("contact", "Wizard 2: Contact person", FRESH, "information", _contact),
    TourScreen(
        "contact-refused", "Wizard 2: Contact person, refused", FRESH, "contact", _contact_refused, refused=True
    ),
    TourScreen("channel", "Wizard 3: Channel data", FRESH, "contact", _channel),
    TourScreen("channel-refused", "Wizard 3: Channel data, refused", FRESH, "channel", _channel_refused, refused=True),
    TourScreen("confirmation", "Wizard 4: Confirmation", FRESH, "channel", _confirmation),
    TourScreen("access-refused", "Access refused (plain user)", FRESH, "information", _access_refused),
    TourScreen("result", "Overview after Confirmer", FRESH, "confirmation", _result, registers=True),
    TourScreen("home-with-sender", "Home, a sender registered", CONFIGURED),
    TourScreen("contact-person", "Contact person page", CONFIGURED, step=_contact_person),
    TourScreen("channels", "Channels (Canaux)", CONFIGURED),
    TourScreen("channel-configured", "Web Service channel page", CONFIGURED, step=_channel_configured),
    TourScreen("channel-to-add", "FTP channel page, to add", CONFIGURED, step=_channel_to_add),
    TourScreen("channel-to-add-refused", "FTP channel page, refused", CONFIGURED, "channel-to-add", refused=True),
    TourScreen("channel-confirmation", "A channel's confirmation page (SFTP)", CONFIGURED),
    TourScreen("deletion", "Deletion, confirmation", CONFIGURED, step=_deletion),
)
SCREENS_BY_NAME: dict[str, TourScreen] = {screen.name: screen for screen in SCREENS}


def screens_except(left_out: Mapping[str, str], *, consumer: str) -> tuple[TourScreen, ...]:
    """The screens, in order, but those ``left_out`` names (each with why): what ``consumer``
    (named in the messages) goes to with page objects. ValueError when ``left_out`` names a
    screen the tour does not have, or when a screen kept has no step: a screen added to the
    tour stops such a consumer until it is given a step or left out there."""
    unknown = sorted(set(left_out) - set(SCREENS_BY_NAME))
    if unknown:
        raise ValueError(f"{consumer} leaves out {unknown}, which pages/tour.py does not have")
    stepless = [screen.name for screen in SCREENS if screen.name not in left_out and screen.step is None]
    if stepless:
        raise ValueError(
            f"{consumer} goes to every screen of pages/tour.py that it does not leave out, but no page object "
            f"reaches {stepless}: give each a step there, or leave it out in {consumer}, saying why"
        )
    return tuple(screen for screen in SCREENS if screen.name not in left_out)


def go_through(
    start: Start, language: str, screens: Iterable[TourScreen] = SCREENS
) -> Iterator[tuple[TourScreen, Screen]]:
    """Through ``screens`` and the screens they are reached from, in the tour's order, as one
    person goes: yields each screen and what it shows, loaded, in ``language``.

    A screen is reached with its step from the screen its ``after`` names, as the walk left it
    (on that page since, the steps have only refused a form, followed the side navigation or
    read the address it was shown at), or, without ``after``, from the first screen of its
    start, opened once: the login page signed out, Home signed in; a configured employer's
    screens go on from the screen that registered, when this walk registered the
    configuration.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: one of {', '.join(LANGUAGES)}")
    needed: set[str] = set()
    for wanted in screens:
        name: str | None = wanted.name
        while name is not None and name not in needed:
            needed.add(name)
            name = SCREENS_BY_NAME[name].after
    shown: dict[str, Screen] = {}
    firsts: dict[str, Screen] = {}
    for screen in SCREENS:
        if screen.name not in needed:
            continue
        if screen.step is None:
            raise ValueError(f"no page object reaches {screen.name!r}: pages/tour.py gives it no step")
        if screen.after is None and screen.starts not in firsts:
            firsts[screen.starts] = (
                at_entry_point(start.signed_out(), start.base_url, LoginPage, language)
                if screen.starts == SIGNED_OUT
                else at_entry_point(start.signed_in("gl"), start.base_url, HomePage, language)
            )
        shown[screen.name] = screen.step(shown[screen.after] if screen.after else firsts[screen.starts], start)
        if screen.registers:
            firsts[CONFIGURED] = shown[screen.name]
        yield screen, shown[screen.name]


@dataclass
class Walk(Generic[T]):
    """What a walk through the tour in one language found on each screen (``found``, by name),
    made only as far as its readers ask: ``steps`` goes on a screen at a time (it records what
    it finds, then pauses), ``stopped`` says why it ended before its last screen."""

    language: str
    found: dict[str, T] = field(default_factory=dict)
    stopped: str = ""
    steps: Iterator[None] = field(default_factory=lambda: iter(()))

    def of(self, name: str) -> T:
        """What the walk found on the screen ``name``, walking on to it if it has not yet."""
        if name not in self.found:
            for _ in self.steps:
                if name in self.found:
                    break
        if name not in self.found:
            raise NotReached(f"the walk in {self.language!r} never reached {name!r}: {self.stopped or 'not walked'}")
        return self.found[name]


class NotReached(AssertionError):
    """A walk ended before the screen asked for (its message says why)."""

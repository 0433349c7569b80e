"""The screen tour: every screen of the flow (issue 15's list), named, and how a person reaches
each one through the UI, the shortest way, in a given language.

The gallery photographs and scans these screens (``tests/gallery``); the tour itself knows only
page objects and the contract's words. Whoever runs it gives each visit a :class:`Start`: new
pages (signed out, or signed in for an employer), the contact person to type and a certificate
to upload. A visit ends on the screen loaded, in the language asked for: the tour opens the
entry point, reads ``<html lang>`` and, when the portal shows another language, clicks the
header's NL/FR/DE link (a portal keeps the choice in the session).

Each :class:`TourScreen` says what its visit starts from (``starts``):

- ``SIGNED_OUT``: a page without a session (the login page);
- ``FRESH``: the gestionnaire local of an employer without a configuration (Home, the wizard's
  steps and their refused states, the overview after "Confirmer", which registers one), and,
  for the access-refused page, that employer's plain user too;
- ``CONFIGURED``: the gestionnaire local of an employer with a registered Web Service
  configuration (and no FTP channel, whose page then offers to add it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from playwright.sync_api import Page

from contract.words import DEFAULT_LANGUAGE, LANGUAGES, Words
from pages.flows import Certificate, register_web_service, upload_of
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
    Screen,
)

SIGNED_OUT, FRESH, CONFIGURED = "signed out", "employer without a configuration", "configured employer"

S = TypeVar("S", bound=Screen)


class Start(Protocol):
    """What a visit starts from, given by whoever runs the tour. Each page is new, in a browser
    context of its own, not yet navigated."""

    @property
    def base_url(self) -> str: ...

    @property
    def person(self) -> ContactLike:
        """The contact person typed into the wizard."""
        ...

    def signed_out(self) -> Page: ...

    def signed_in(self, role: str = "gl") -> Page:
        """Signed in as ``role`` ("gl" or "user") of this visit's employer (FRESH visits: one
        employer for the whole visit, without a configuration; CONFIGURED visits: the
        registered one)."""
        ...

    def certificate(self) -> Certificate:
        """A valid certificate that no sender uses yet."""
        ...

    def reopen(self, page: Page, address: str) -> None:
        """Open on ``page`` an address the portal gave earlier in this visit. Page objects type
        no address but the entry point (contract §3): whoever runs the tour does this."""
        ...


Reach = Callable[[Start, str], Screen]


@dataclass(frozen=True)
class TourScreen:
    """One screen of the tour: ``name`` (for file names), ``label`` (for people), what its visit
    starts from, whether reaching it registers a configuration, and how to reach it."""

    name: str
    label: str
    starts: str
    reach: Reach
    registers: bool = False

    def visit(self, start: Start, language: str) -> Screen:
        """Bring a new page to this screen in ``language`` ("fr", "nl" or "de"): loaded."""
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}: one of {', '.join(LANGUAGES)}")
        return self.reach(start, language)


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


# --- the walks, each from the one before it ---------------------------------------------------


def login(start: Start, language: str) -> LoginPage:
    return at_entry_point(start.signed_out(), start.base_url, LoginPage, language)


def home(start: Start, language: str) -> HomePage:
    return at_entry_point(start.signed_in("gl"), start.base_url, HomePage, language)


def information(start: Start, language: str) -> InformationStep:
    return home(start, language).start_registration()


def contact(start: Start, language: str) -> ContactStep:
    return information(start, language).next()


def contact_refused(start: Start, language: str) -> ContactStep:
    """ "Suivant" with every field as the step first shows it: the required ones are empty."""
    return contact(start, language).next_expecting_errors()


def channel(start: Start, language: str) -> ChannelStep:
    return contact(start, language).fill(start.person).next()


def channel_refused(start: Start, language: str) -> ChannelStep:
    """Web Service chosen, "Suivant" without a certificate."""
    return channel(start, language).choose_web_service().next_expecting_errors()


def confirmation(start: Start, language: str) -> ConfirmationStep:
    return channel(start, language).choose_web_service().upload_certificate(upload_of(start.certificate())).next()


def result(start: Start, language: str) -> OverviewPage:
    """The overview right after "Confirmer", with its success message."""
    return register_web_service(home(start, language), start.person, start.certificate())


def contact_person(start: Start, language: str) -> ContactPersonPage:
    return home(start, language).open_contact_person()


def channel_configured(start: Start, language: str) -> ChannelPage:
    return home(start, language).open_channel("ws")


def channel_to_add(start: Start, language: str) -> ChannelPage:
    """The FTP channel's page of a Web Service configuration: the form to add it."""
    return home(start, language).open_channel("ftp")


def deletion(start: Start, language: str) -> DeletionPage:
    """The explicit confirmation before deleting (not confirmed)."""
    return home(start, language).open_deletion()


def access_refused(start: Start, language: str) -> AccessRefusedPage:
    """The employer's plain user on the wizard's address, recorded as its manager opened it
    (an address is never typed: only the entry point is)."""
    address = information(start, language).page.url
    page = at_entry_point(start.signed_in("user"), start.base_url, HomePage, language).page
    start.reopen(page, address)
    return AccessRefusedPage(page, Words(language)).loaded()


SCREENS: tuple[TourScreen, ...] = (
    TourScreen("login", "Login", SIGNED_OUT, login),
    TourScreen("home", "Home, no sender yet", FRESH, home),
    TourScreen("information", "Wizard 1: Information", FRESH, information),
    TourScreen("contact", "Wizard 2: Contact person", FRESH, contact),
    TourScreen("contact-refused", "Wizard 2: Contact person, refused", FRESH, contact_refused),
    TourScreen("channel", "Wizard 3: Channel data", FRESH, channel),
    TourScreen("channel-refused", "Wizard 3: Channel data, refused", FRESH, channel_refused),
    TourScreen("confirmation", "Wizard 4: Confirmation", FRESH, confirmation),
    TourScreen("result", "Overview after Confirmer", FRESH, result, registers=True),
    TourScreen("contact-person", "Contact person page", CONFIGURED, contact_person),
    TourScreen("channel-configured", "Web Service channel page", CONFIGURED, channel_configured),
    TourScreen("channel-to-add", "FTP channel page, to add", CONFIGURED, channel_to_add),
    TourScreen("deletion", "Deletion, confirmation", CONFIGURED, deletion),
    TourScreen("access-refused", "Access refused (plain user)", FRESH, access_refused),
)
SCREENS_BY_NAME: dict[str, TourScreen] = {screen.name: screen for screen in SCREENS}

"""The one shared base: a screen has a page, the word table, the header and its ``<main>``.

Kept tiny on purpose (no wrapped Playwright calls): subclasses make their locators in
``__init__`` and check themselves in ``loaded()``, the only place pages use ``expect``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from playwright.sync_api import Locator, Page, expect

from contract.words import Words
from pages.locate import exact_label
from pages.regions import ErrorSummary, Header, QualityBanner, SideNavigation

if TYPE_CHECKING:
    from pages.configuration import ChannelPage, ContactPersonPage, DeletionPage, OverviewPage
    from pages.home import HomePage
    from pages.login import LoginPage
    from pages.wizard import InformationStep

N = TypeVar("N", bound="Screen")


class UnexpectedScreen(AssertionError):
    """The portal answered with another screen than the test said it expects.

    An AssertionError so pytest reports a failed expectation; carries the error summary's
    messages when the portal refused the form.
    """

    def __init__(self, message: str, errors: list[str] | None = None):
        self.errors = errors or []
        super().__init__(message + (f": {self.errors}" if self.errors else ""))


class Screen:
    """Any screen: page, words, header, ``<main>``, the error summary and status message."""

    def __init__(self, page: Page, words: Words):
        self.page = page
        self.words = words
        self.main = page.get_by_role("main")
        self.header = Header(page, self)
        self.errors = ErrorSummary(page)
        self.status = page.get_by_role("status")  # a success message (contract §3)

    def loaded(self) -> Self:
        """Wait until this screen is shown (web-first ``expect``); return self."""
        raise NotImplementedError

    def in_language(self, words: Words) -> Self:
        """The same screen read with another language's words (after a language switch)."""
        return type(self)(self.page, words)

    def switch_language(self, language: str) -> Self:
        """Click "NL"/"FR"/"DE" in the header; this screen in that language."""
        self.header.choose_language(language)
        return self.in_language(Words(language)).loaded()

    def heading(self, word: str) -> Locator:
        """The page's main title (``<h1>``) with this text."""
        return self.main.get_by_role("heading", level=1, name=exact_label(word))

    def button(self, key: str) -> Locator:
        return self.main.get_by_role("button", name=exact_label(self.words[key]))

    def status_message(self) -> str:
        """The success message's text ("" when there is none)."""
        return self.status.inner_text().strip() if self.status.count() else ""

    def _submit(self, button: Locator, expected: N) -> N:
        """Press ``button`` and wait for ``expected`` or the error summary, whichever comes.

        Returns ``expected`` loaded; raises UnexpectedScreen with the portal's messages when it
        refused (no sleeping: one web-first wait on either outcome).
        """
        # click() returns once the navigation it started has committed, so an error summary
        # still showing from an earlier refusal cannot be mistaken for this answer.
        button.click()
        expect(expected.marker.or_(self.errors.root).first).to_be_visible()
        if expected.marker.count():
            return expected.loaded()
        raise UnexpectedScreen(f"{type(self).__name__}: the portal refused instead of showing "
                               f"{type(expected).__name__}", self.errors.messages())

    def _submit_expecting_errors(self, button: Locator, expected_instead: Screen) -> Self:
        """Press ``button`` and expect the portal to refuse: this screen again, with errors."""
        button.click()
        expect(expected_instead.marker.or_(self.errors.root).first).to_be_visible()
        if self.errors.root.count():
            return self.loaded()
        raise UnexpectedScreen(f"{type(self).__name__}: expected the portal to refuse, "
                               f"it showed {type(expected_instead).__name__}")

    @property
    def marker(self) -> Locator:
        """What tells this screen apart from the one before it (used while waiting)."""
        raise NotImplementedError


class PortalScreen(Screen):
    """A screen of a signed-in user: adds the quality banner, the side navigation and the
    navigation a person uses from anywhere."""

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.banner = QualityBanner(page, words)
        self.navigation = SideNavigation(page, words)

    def go_home(self) -> HomePage:
        """Side navigation [home] ("Accueil")."""
        from pages.home import HomePage  # screens link to each other: import when used

        self.navigation.link("home").click()
        return HomePage(self.page, self.words).loaded()

    def quit(self) -> LoginPage:
        """Header "Quit": the session ends, the login page shows."""
        return self.header.quit()

    def start_registration(self) -> InformationStep:
        """Side navigation [register_configuration]: the wizard's first step."""
        from pages.wizard import InformationStep

        self.navigation.link("register_configuration").click()
        return InformationStep(self.page, self.words).loaded()

    def open_overview(self) -> OverviewPage:
        from pages.configuration import OverviewPage

        self.navigation.link("overview").click()
        return OverviewPage(self.page, self.words).loaded()

    def open_contact_person(self) -> ContactPersonPage:
        from pages.configuration import ContactPersonPage

        self.navigation.link("section_contact").click()
        return ContactPersonPage(self.page, self.words).loaded()

    def open_channel(self, kind: str) -> ChannelPage:
        """``kind``: "ws", "ftp" or "sftp" (side navigation [channel_<kind>])."""
        from pages.configuration import ChannelPage

        self.navigation.link(f"channel_{kind}").click()
        return ChannelPage(self.page, self.words, kind).loaded()

    def open_deletion(self) -> DeletionPage:
        from pages.configuration import DeletionPage

        self.navigation.link("delete_configuration").click()
        return DeletionPage(self.page, self.words).loaded()

"""The "access refused" page (HTTP 403) a plain user gets on a manager's address."""
from __future__ import annotations

from typing import TYPE_CHECKING, Self

from playwright.sync_api import Locator, Page, expect

from contract.words import Words
from pages.base import PortalScreen
from pages.locate import exact_label

if TYPE_CHECKING:
    from pages.home import HomePage


class AccessRefusedPage(PortalScreen):
    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.title = self.heading(words.access_refused)
        self.home_link = self.main.get_by_role("link", name=exact_label(words.home))

    @property
    def marker(self) -> Locator:
        return self.title

    def loaded(self) -> Self:
        expect(self.title).to_be_visible()
        return self

    def go_home(self) -> HomePage:
        """The page's own [home] link."""
        from pages.home import HomePage

        self.home_link.click()
        return HomePage(self.page, self.words).loaded()

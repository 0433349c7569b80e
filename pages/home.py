"""Home ("Accueil"): the greeting, the quality's data, whether a sender is active."""
from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator, Page, expect

from contract.words import Words
from pages.base import PortalScreen
from pages.locate import mentioning
from pages.regions import Summary


class HomePage(PortalScreen):
    QUALITY_KEYS = ("denomination", "enterprise_number", "quality", "onss_number", "creation_date")

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.title = self.heading(words.home)
        self.quality_summary = Summary(page, self.main)
        self.no_active_sender = self.main.get_by_text(words.no_active_sender, exact=True)

    @classmethod
    def visit(cls, page: Page, base_url: str, words: Words) -> Self:
        """Open the entry point (base URL + "/") with a session: Home."""
        page.goto(base_url.rstrip("/") + "/")
        return cls(page, words).loaded()

    @property
    def marker(self) -> Locator:
        return self.title

    def loaded(self) -> Self:
        expect(self.title).to_be_visible()
        return self

    def greeting(self, role: str) -> Locator:
        """The text greeting the user as ``role`` ("gl" or "cogl"), as a whole word: the
        co-gestionnaire's greeting does not count as the gestionnaire's."""
        return self.main.get_by_text(mentioning(self.words[f"role_{role}"])).first

    def greeting_text(self) -> str:
        """The greeting: the first paragraph of the page."""
        return self.main.get_by_role("paragraph").first.inner_text().strip()

    def quality(self) -> dict[str, str]:
        """The quality's data by word key: denomination, enterprise_number, quality,
        onss_number, creation_date."""
        return self.quality_summary.keyed(self.words, self.QUALITY_KEYS)

    def has_no_active_sender(self) -> bool:
        """Whether Home says [no_active_sender] (read now; Home is loaded)."""
        return self.no_active_sender.count() > 0

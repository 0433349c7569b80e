"""The login screen [mock]: "Nom d'utilisateur", "Mot de passe", "Se connecter"."""
from __future__ import annotations

from typing import TYPE_CHECKING, Self

from playwright.sync_api import Locator, Page, expect

from contract.words import Words
from pages.base import Screen
from pages.locate import exact_label

if TYPE_CHECKING:
    from pages.home import HomePage


class LoginPage(Screen):
    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.title = self.heading(words.login_title)
        self.username = self.main.get_by_label(exact_label(words.login_username))
        self.password = self.main.get_by_label(exact_label(words.login_password))
        self.submit = self.button("login_submit")

    @classmethod
    def visit(cls, page: Page, base_url: str, words: Words) -> Self:
        """Open the entry point (base URL + "/") signed out: the portal shows the login page."""
        page.goto(base_url.rstrip("/") + "/")
        return cls(page, words).loaded()

    @property
    def marker(self) -> Locator:
        return self.username

    def loaded(self) -> Self:
        expect(self.title).to_be_visible()
        expect(self.username).to_be_visible()
        return self

    def _type(self, username: str, password: str) -> None:
        self.username.fill(username)
        self.password.fill(password)

    def sign_in(self, username: str, password: str) -> HomePage:
        """Type the credentials and press "Se connecter": Home."""
        from pages.home import HomePage

        self._type(username, password)
        return self._submit(self.submit, HomePage(self.page, self.words))

    def sign_in_expecting_error(self, username: str, password: str) -> Self:
        """Type credentials the portal must refuse: the login page again, with its errors."""
        from pages.home import HomePage

        self._type(username, password)
        return self._submit_expecting_errors(self.submit, HomePage(self.page, self.words))

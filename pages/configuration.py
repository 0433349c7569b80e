"""The screens of a registered configuration: the overview, the contact person, the channel
pages and the deletion confirmation."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Self

from playwright.sync_api import Locator, Page, expect

from contract.words import Words
from pages.base import PortalScreen
from pages.locate import exact_label
from pages.regions import ChannelFields, FileToUpload, Summary
from pages.wizard import CERTIFICATE_KEYS, CHANNEL_KEYS, CONTACT_KEYS

if TYPE_CHECKING:
    from pages.home import HomePage

TECHNICAL_USER_KEYS = ("sender_number", "registration_date", "technical_username")
WEB_SERVICE_KEYS = ("connection_type", *CERTIFICATE_KEYS, "oauth_client")
CHANNEL_PAGE_KEYS = (*CHANNEL_KEYS, *CERTIFICATE_KEYS, "oauth_client")


class OverviewPage(PortalScreen):
    """"Aperçu des données de configuration" (also the result of "Confirmer")."""

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.title = self.heading(words.overview)

    @property
    def marker(self) -> Locator:
        return self.title

    def loaded(self) -> Self:
        expect(self.title).to_be_visible()
        return self

    def summary(self, section_key: str) -> dict[str, str]:
        """label -> value of the section whose heading is [section_key]."""
        return Summary(self.page, self.main, self.words[section_key]).values()

    def _section(self, section_key: str, keys: Iterable[str]) -> dict[str, str]:
        return Summary(self.page, self.main, self.words[section_key]).keyed(self.words, keys)

    def contact(self) -> dict[str, str]:
        """[section_contact_overview] by word key (last_name, …, emails)."""
        return self._section("section_contact_overview", CONTACT_KEYS)

    def technical_user(self) -> dict[str, str]:
        """[section_technical_user]: sender_number, registration_date, technical_username."""
        return self._section("section_technical_user", TECHNICAL_USER_KEYS)

    def web_service(self) -> dict[str, str]:
        """[section_web_service]: connection_type, the certificate's values, oauth_client
        ({} when the section is absent)."""
        return self._section("section_web_service", WEB_SERVICE_KEYS)

    def ftp(self) -> dict[str, str]:
        return self._section("section_ftp", CHANNEL_PAGE_KEYS)

    def sftp(self) -> dict[str, str]:
        return self._section("section_sftp", CHANNEL_PAGE_KEYS)

    def section_heading(self, section_key: str) -> Locator:
        """A section's heading, for checks that a section is there or not."""
        return self.main.get_by_role("heading", name=exact_label(self.words[section_key]))


class ContactPersonPage(PortalScreen):
    """"Personne de contact" of the configuration (side navigation)."""

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.title = self.heading(words.section_contact)

    @property
    def marker(self) -> Locator:
        return self.title

    def loaded(self) -> Self:
        expect(self.title).to_be_visible()
        return self

    def contact(self) -> dict[str, str]:
        """The contact's values by word key (last_name, …, emails)."""
        return Summary(self.page, self.main).keyed(self.words, CONTACT_KEYS)


class ChannelPage(PortalScreen):
    """A channel's page ("Canal FTP" / "Canal SFTP" / "Canal Web Service"): the configured
    channel's data, or a form to add it."""

    def __init__(self, page: Page, words: Words, kind: str):
        super().__init__(page, words)
        self.kind = kind  # "ftp", "sftp" or "ws"
        self.title = self.heading(words[f"channel_{kind}"])
        self.form = ChannelFields(page, words, self.main)
        self.cancel_button = self.button("cancel")
        self.confirm_button = self.button("confirm")

    def in_language(self, words: Words) -> Self:
        return type(self)(self.page, words, self.kind)

    @property
    def marker(self) -> Locator:
        return self.title

    def loaded(self) -> Self:
        expect(self.title).to_be_visible()
        return self

    def details(self) -> dict[str, str]:
        """A configured channel's values by word key ({} when it is not configured)."""
        return Summary(self.page, self.main).keyed(self.words, CHANNEL_PAGE_KEYS)

    def offers_to_add(self) -> bool:
        """Whether the page shows the form to add this channel (read now; page is loaded)."""
        return self.confirm_button.count() > 0

    def upload_certificate(self, file: FileToUpload) -> Self:
        self.form.upload_certificate(file)
        return self

    def select_applications(self, names: Iterable[str]) -> Self:
        self.form.select_applications(names)
        return self

    def fill_ssh_key(self, text: str) -> Self:
        self.form.fill_ssh_key(text)
        return self

    def confirm(self) -> OverviewPage:
        """"Confirmer": the channel is added, the overview shows."""
        return self._submit(self.confirm_button, OverviewPage(self.page, self.words))

    def confirm_expecting_errors(self) -> Self:
        return self._submit_expecting_errors(self.confirm_button, OverviewPage(self.page, self.words))

    def cancel(self) -> OverviewPage:
        """"Annuler": back to the overview, nothing added."""
        self.cancel_button.click()
        return OverviewPage(self.page, self.words).loaded()


class DeletionPage(PortalScreen):
    """"Suppression de l'envoi par messages structurés": the explicit confirmation."""

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.title = self.heading(words.delete_configuration)
        self.confirm_button = self.button("confirm")
        self.cancel_button = self.button("cancel")

    @property
    def marker(self) -> Locator:
        return self.title

    def loaded(self) -> Self:
        expect(self.title).to_be_visible()
        expect(self.confirm_button).to_be_visible()
        return self

    def confirm(self) -> HomePage:
        """"Confirmer": the configuration is removed, Home shows."""
        from pages.home import HomePage

        return self._submit(self.confirm_button, HomePage(self.page, self.words))

    def cancel(self) -> OverviewPage:
        """"Annuler": back to the overview, nothing changed."""
        self.cancel_button.click()
        return OverviewPage(self.page, self.words).loaded()


"""The wizard "Création d'un utilisateur technique": Information > Personne de contact >
Données du canal > Confirmation.

Each action returns the screen a person lands on, already ``loaded()``. ``next()`` and
``confirm()`` expect the portal to go on and raise UnexpectedScreen (with the portal's
messages) when it refuses; ``..._expecting_errors()`` expect the refusal and return the same
step with its error summary.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Self

from playwright.sync_api import Locator, Page, expect

from contract.words import WORDS, Words
from pages.base import PortalScreen, UnexpectedScreen
from pages.locate import NAMES_OF_CONTROLS, VALUES_OF_CONTROLS, exact_label, normalize_label
from pages.person import ContactLike
from pages.regions import INVALID, ChannelFields, FileToUpload, StepList, Summary

if TYPE_CHECKING:
    from pages.configuration import OverviewPage
    from pages.home import HomePage

CONTACT_KEYS = ("last_name", "first_name", "title", "function", "language_regime", "phone", "fax",
                "mobile", "emails")
CHANNEL_KEYS = ("channel", "connection_type", "applications_summary", "ssh_key")
CERTIFICATE_KEYS = ("cert_owner", "cert_company", "cert_issuer", "cert_expiry", "cert_expiry_overview",
                    "serial_decimal", "serial_hex")
CHANNEL_KINDS = ("ftp", "sftp", "ws")


class WizardStep(PortalScreen):
    """What the four steps share: the title, the step list, "Annuler"."""

    STEP = ""  # the step's word key in the step list

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.title = self.heading(words.wizard_title)
        self.steps = StepList(page, words)
        self.cancel_button = self.button("cancel")

    def loaded(self) -> Self:
        expect(self.title).to_be_visible()
        expect(self.steps.item(self.STEP)).to_have_attribute("aria-current", "step")
        expect(self.marker).to_be_visible()
        return self

    def cancel(self) -> HomePage:
        """"Annuler": the wizard is discarded, Home shows."""
        from pages.home import HomePage

        self.cancel_button.click()
        return HomePage(self.page, self.words).loaded()


class InformationStep(WizardStep):
    STEP = "step_information"

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.next_button = self.button("next")

    @property
    def marker(self) -> Locator:
        return self.next_button

    def next(self) -> ContactStep:
        return self._submit(self.next_button, ContactStep(self.page, self.words))


class ContactStep(WizardStep):
    """"Personne de contact": the contact person's fields, the e-mail group."""

    STEP = "step_contact"
    TEXT_KEYS = ("last_name", "first_name", "function", "phone", "fax", "mobile",
                 "email_1", "email_2", "email_3")
    SELECT_KEYS = ("title", "language_regime")
    FIELD_KEYS = ("last_name", "first_name", "title", "function", "language_regime", "phone", "fax",
                  "mobile", "email_1", "email_2", "email_3")

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.email_group = self.main.get_by_role("group", name=exact_label(words.emails))
        self.fields: dict[str, Locator] = {
            key: (self.email_group if key.startswith("email_") else self.main).get_by_label(exact_label(words[key]))
            for key in self.FIELD_KEYS
        }
        self.previous_button = self.button("previous")
        self.next_button = self.button("next")

    @property
    def marker(self) -> Locator:
        return self.fields["last_name"]

    # --- acting -------------------------------------------------------------------------

    def fill(self, person: ContactLike) -> Self:
        """Enter a contact person (``pages.ContactPerson`` or anything with its attributes).
        Title and language are word keys; the e-mails go to fields 1, 2, 3 (the rest cleared)."""
        for key in ("last_name", "first_name", "function", "phone", "fax", "mobile"):
            self.fill_field(key, getattr(person, key) or "")
        self.choose("title", person.title)
        if person.language_regime:  # none given: keep what the portal preselected
            self.choose("language_regime", person.language_regime)
        emails = list(person.emails or ())[:3]
        for number in (1, 2, 3):
            self.fill_field(f"email_{number}", emails[number - 1] if number <= len(emails) else "")
        return self

    def fill_field(self, key: str, value: str) -> Self:
        """Type ``value`` into the field ``key`` (a select: choose that option)."""
        if key in self.SELECT_KEYS:
            return self.choose(key, value)
        self.fields[key].fill(value)
        return self

    def choose(self, key: str, option: str) -> Self:
        """Choose an option of "Titre" or "Régime linguistique": a word key ("title_mrs"),
        a visible option text, or "" for the blank option."""
        label = self.words[option] if option in WORDS else option
        self.fields[key].select_option(label=label)
        return self

    def choose_title(self, title: str) -> Self:
        return self.choose("title", title)

    def choose_language_regime(self, language: str) -> Self:
        return self.choose("language_regime", language)

    def next(self) -> ChannelStep:
        """"Suivant" with valid data: "Données du canal"."""
        return self._submit(self.next_button, ChannelStep(self.page, self.words))

    def next_expecting_errors(self) -> Self:
        """"Suivant" with data the portal must refuse: this step again, with its errors."""
        return self._submit_expecting_errors(self.next_button, ChannelStep(self.page, self.words))

    def previous(self) -> InformationStep:
        self.previous_button.click()
        return InformationStep(self.page, self.words).loaded()

    # --- reading ------------------------------------------------------------------------

    def _field_key(self, name: str) -> str | None:
        """The field key whose label is ``name`` (required markers aside), if any."""
        label = normalize_label(name)
        return next((key for key in self.FIELD_KEYS if normalize_label(self.words[key]) == label), None)

    def value_of(self, key: str) -> str:
        """What the field shows: the typed text, or a select's chosen option text ("" for a
        placeholder option)."""
        if key in self.SELECT_KEYS:
            return self.selected_option(key)
        return self.fields[key].input_value()

    def values(self) -> dict[str, str]:
        """What every field shows, by key, read at once (as ``value_of`` reads one)."""
        controls = self.main.get_by_role("textbox").or_(self.main.get_by_role("combobox"))
        shown = {self._field_key(c["name"]): c["value"] for c in controls.evaluate_all(VALUES_OF_CONTROLS)}
        return {key: shown[key] for key in self.FIELD_KEYS if key in shown}

    def selected_option(self, key: str) -> str:
        """The chosen option's text; "" when none, or a placeholder (empty value), is chosen."""
        return self.fields[key].evaluate(
            "s => s.selectedIndex < 0 || s.options[s.selectedIndex].value === '' ? '' "
            ": s.options[s.selectedIndex].text.trim()")

    def options_of(self, key: str) -> list[str]:
        """A select's option texts in order (the blank one included, as "")."""
        return [t.strip() for t in self.fields[key].get_by_role("option").all_inner_texts()]

    def invalid_fields(self) -> list[str]:
        """Keys of the fields marked ``aria-invalid="true"``, in the form's order (a mark on the
        e-mail group itself is not a field's)."""
        marked = {self._field_key(c["name"]) for c in self.main.locator(INVALID).evaluate_all(NAMES_OF_CONTROLS)}
        return [key for key in self.FIELD_KEYS if key in marked]


class ChannelStep(WizardStep):
    """"Données du canal": the channel choice, the certificate, applications, SSH key."""

    STEP = "step_channel"

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.channel_group = self.main.get_by_role("group", name=exact_label(words.channels))
        self.channels: dict[str, Locator] = {
            kind: self.main.get_by_role("radio", name=exact_label(words[f"channel_{kind}"]))
            for kind in CHANNEL_KINDS
        }
        self.form = ChannelFields(page, words, self.main)
        self.previous_button = self.button("previous")
        self.next_button = self.button("next")

    @property
    def marker(self) -> Locator:
        return self.channels["ws"]

    # --- acting -------------------------------------------------------------------------

    def choose(self, kind: str) -> Self:
        """Choose "ftp", "sftp" or "ws"."""
        self.channels[kind].check()
        return self

    def choose_ftp(self) -> Self:
        return self.choose("ftp")

    def choose_sftp(self) -> Self:
        return self.choose("sftp")

    def choose_web_service(self) -> Self:
        return self.choose("ws")

    def upload_certificate(self, file: FileToUpload) -> Self:
        """Put a file in [certificate_upload] (a path, or a name/mimeType/buffer payload)."""
        self.form.upload_certificate(file)
        return self

    def select_applications(self, names: Iterable[str]) -> Self:
        self.form.select_applications(names)
        return self

    def fill_ssh_key(self, text: str) -> Self:
        self.form.fill_ssh_key(text)
        return self

    def next(self) -> ConfirmationStep:
        """"Suivant" with a valid channel: "Confirmation"."""
        return self._submit(self.next_button, ConfirmationStep(self.page, self.words))

    def next_expecting_errors(self) -> Self:
        return self._submit_expecting_errors(self.next_button, ConfirmationStep(self.page, self.words))

    def previous(self) -> ContactStep:
        self.previous_button.click()
        return ContactStep(self.page, self.words).loaded()

    # --- reading ------------------------------------------------------------------------

    def chosen_channel(self) -> str | None:
        """"ftp", "sftp", "ws" or None."""
        for kind, radio in self.channels.items():
            if radio.is_checked():
                return kind
        return None

    def loaded_certificate(self, owner_cn: str) -> Locator:
        """Where the step names the certificate already loaded, by its owner's CN."""
        return self.main.get_by_text(owner_cn)

    def selected_applications(self) -> list[str]:
        return self.form.selected_applications()

    def invalid_fields(self) -> list[str]:
        """Keys among "channels", "certificate_upload", "applications", "ssh_key" whose input
        (or group, or one of the group's inputs) is marked ``aria-invalid="true"``."""
        return self.form.invalid_fields()


class ConfirmationStep(WizardStep):
    """"Confirmation": the contact, the channel and the certificate as the portal read them."""

    STEP = "step_confirmation"

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.previous_button = self.button("previous")
        self.confirm_button = self.button("confirm")

    @property
    def marker(self) -> Locator:
        return self.confirm_button

    def summary(self, section_key: str) -> dict[str, str]:
        """label -> value of the section whose heading is [section_key]."""
        return Summary(self.page, self.main, self.words[section_key]).values()

    def contact(self) -> dict[str, str]:
        """Section [section_contact] by word key (last_name, …, emails)."""
        return Summary(self.page, self.main, self.words.section_contact).keyed(self.words, CONTACT_KEYS)

    def channel(self) -> dict[str, str]:
        """Section [section_channel] by word key (channel, connection_type, …)."""
        return Summary(self.page, self.main, self.words.section_channel).keyed(self.words, CHANNEL_KEYS)

    def certificate(self) -> dict[str, str]:
        """Section [section_certificate] by word key (cert_owner, …, serial_hex)."""
        return Summary(self.page, self.main, self.words.section_certificate).keyed(self.words, CERTIFICATE_KEYS)

    def confirm(self) -> OverviewPage:
        """"Confirmer": the configuration is created, the overview shows."""
        from pages.configuration import OverviewPage

        return self._submit(self.confirm_button, OverviewPage(self.page, self.words))

    def confirm_expecting_errors(self) -> Self:
        from pages.configuration import OverviewPage

        return self._submit_expecting_errors(self.confirm_button, OverviewPage(self.page, self.words))

    def previous(self) -> ChannelStep:
        self.previous_button.click()
        return ChannelStep(self.page, self.words).loaded()


__all__ = ["InformationStep", "ContactStep", "ChannelStep", "ConfirmationStep", "UnexpectedScreen",
           "CONTACT_KEYS", "CHANNEL_KEYS", "CERTIFICATE_KEYS"]

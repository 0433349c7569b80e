"""The portal's screens, one class per screen (contract §2): the login page, Home, the
wizard's four steps, the configuration's screens and the access-refused page.

They find things as a person does (roles, labels, legends, headings, visible text in the page's
language from ``contract.words``), so the same objects drive the bundled mock in either skin
and any portal that follows the contract (docs/page-objects.md). Screens lead to one another
(the side navigation reaches most of them from anywhere), so they share this module, as trustme
keeps ``CA`` and ``LeafCert`` together; imports point one way: locate, regions, screens, flows.

Each action returns the screen a person lands on, already ``loaded()``. ``next()`` and
``confirm()`` expect the portal to go on and raise :class:`UnexpectedScreen` (with the portal's
messages) when it refuses; ``…_expecting_errors()`` expect the refusal and return the same
screen with its error summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar, Generic, Protocol, Self, TypeVar

from playwright.sync_api import Locator, Page, expect

from contract.fields import (
    CERTIFICATE_SUMMARY,
    CHANNEL_KINDS,
    CHANNEL_PAGE_SUMMARY,
    CHANNEL_SUMMARY,
    CHANNEL_WORDS,
    CONTACT_FIELDS,
    CONTACT_SELECTS,
    CONTACT_SUMMARY,
    CONTACT_TEXT_FIELDS,
    EMAIL_FIELDS,
    QUALITY_SUMMARY,
    ROLE_WORDS,
    TECHNICAL_USER_SUMMARY,
    WEB_SERVICE_SUMMARY,
)
from contract.words import WORDS, WordKey, Words
from pages.locate import NAMES_OF_CONTROLS, VALUES_OF_CONTROLS, exact_label, mentioning, normalize_label, step_name
from pages.regions import (
    INVALID,
    ChannelFields,
    ErrorSummary,
    FileToUpload,
    Header,
    QualityBanner,
    SideNavigation,
    StepList,
    Summary,
    Values,
)

N = TypeVar("N", bound="Screen")
B = TypeVar("B", bound="WizardStep")


class UnexpectedScreen(AssertionError):
    """The portal answered with another screen than the test said it expects.

    An AssertionError so pytest reports a failed expectation; carries the error summary's
    messages when the portal refused the form.
    """

    def __init__(self, message: str, errors: list[str] | None = None):
        self.errors = errors or []
        super().__init__(message + (f": {self.errors}" if self.errors else ""))


class ContactLike(Protocol):
    """A contact person as typed into the form (``fixtures.ContactPerson``): ``title`` and
    ``language_regime`` are word keys, so the same person is entered in any language."""

    @property
    def last_name(self) -> str: ...
    @property
    def first_name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def function(self) -> str: ...
    @property
    def language_regime(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def fax(self) -> str: ...
    @property
    def mobile(self) -> str: ...
    @property
    def emails(self) -> Sequence[str]: ...


# --- every screen --------------------------------------------------------------------------------


class Screen:
    """Any screen (PyPOM's ``Page``): the page, the words, the header, ``<main>``, the error
    summary and the success message. A screen names the word key of its ``TITLE`` (a heading
    in ``<main>``, of any level); ``title``, ``marker``, ``loaded()`` and ``visit()`` default
    to it."""

    TITLE: ClassVar[WordKey | None] = None

    def __init__(self, page: Page, words: Words):
        self.page = page
        self.words = words
        self.main = page.get_by_role("main")
        self.header = Header(page, page.get_by_role("banner"), words)
        self.errors = ErrorSummary(page, page.get_by_role("alert"), words)
        self.status = page.get_by_role("status")  # a success message (contract §3)
        self.address = ""  # where the browser showed it, once loaded: for whoever reopens it

    @property
    def title(self) -> Locator:
        """The heading with the ``TITLE`` word (``<main>`` itself for a screen without one); a
        screen whose title depends on what it shows overrides this property."""
        return self.heading(self.words[self.TITLE]) if self.TITLE else self.main

    @property
    def marker(self) -> Locator:
        """What tells this screen apart from the one before it (waited for after an action)."""
        return self.title

    def loaded(self) -> Self:
        """Wait until this screen is shown (web-first ``expect``) and has finished loading, as a
        person waits for a page to finish before acting on it: a portal's deferred scripts (the
        language links' keeping of what was typed, say) have run by then, however slow the
        portal. Notes the ``address`` it is shown at; returns self."""
        expect(self.marker).to_be_visible()
        self.page.wait_for_load_state("load")
        self.address = self.page.url
        return self

    @classmethod
    def visit(cls, page: Page, base_url: str, words: Words) -> Self:
        """Open the entry point (the base URL, the only address the suite types) and expect
        this screen: the login page signed out, Home signed in."""
        page.goto(base_url.rstrip("/") + "/")
        return cls(page, words).loaded()

    def in_language(self, words: Words) -> Self:
        """The same screen read with another language's words (after a language switch)."""
        return type(self)(self.page, words)

    def switch_language(self, language: str) -> Self:
        """Click "NL"/"FR"/"DE" in the header; this screen in that language (no click when it
        is shown in that language already)."""
        if language == self.words.language:
            return self
        self.header.choose_language(language)
        return self.in_language(Words(language)).loaded()

    def name_shown(self) -> str:
        """This screen as a person names it: its step's or title's words ("'Données du canal'")."""
        key = getattr(self, "STEP", None) or self.TITLE
        return repr(self.words[key]) if key else type(self).__name__

    def heading(self, word: str) -> Locator:
        """The heading of ``<main>`` with this text, whatever its level."""
        return self.main.get_by_role("heading", name=exact_label(word)).first

    def button(self, key: WordKey) -> Locator:
        return self.main.get_by_role("button", name=exact_label(self.words[key]))

    def status_message(self) -> str:
        """The success message's text ("" when there is none)."""
        return self.status.inner_text().strip() if self.status.count() else ""

    def _go(self, control: Locator, expected: N) -> N:
        """Click ``control`` (a link, or a button the portal never refuses) and return
        ``expected``, loaded."""
        control.click()
        return expected.loaded()

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
        raise UnexpectedScreen(
            f"expected the portal to accept and show {expected.name_shown()}; it refused and showed "
            f"{self.name_shown()} again with its error summary",
            self.errors.messages(),
        )

    def _submit_expecting_errors(self, button: Locator, expected_instead: Screen) -> Self:
        """Press ``button`` and expect the portal to refuse: this screen again, with errors."""
        button.click()
        expect(expected_instead.marker.or_(self.errors.root).first).to_be_visible()
        if self.errors.root.count():
            return self.loaded()
        raise UnexpectedScreen(
            f"expected the portal to refuse and show {self.name_shown()} again with an error summary; it "
            f"accepted and showed {expected_instead.name_shown()} instead"
        )


class LoginPage(Screen):
    """The login screen [mock]: "Nom d'utilisateur", "Mot de passe", "Se connecter"."""

    TITLE = "login_title"

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.username = self.main.get_by_label(exact_label(words["login_username"]))
        self.password = self.main.get_by_label(exact_label(words["login_password"]))
        self.submit = self.button("login_submit")

    @property
    def marker(self) -> Locator:
        return self.username

    def _type(self, username: str, password: str) -> None:
        self.username.fill(username)
        self.password.fill(password)

    def sign_in(self, username: str, password: str) -> HomePage:
        """Type the credentials and press "Se connecter": Home."""
        self._type(username, password)
        return self._submit(self.submit, HomePage(self.page, self.words))

    def sign_in_expecting_error(self, username: str, password: str) -> Self:
        """Type credentials the portal must refuse: the login page again, with its errors."""
        self._type(username, password)
        return self._submit_expecting_errors(self.submit, HomePage(self.page, self.words))


class PortalScreen(Screen):
    """A screen of a signed-in user: the quality banner, the side navigation, and where a
    person goes from anywhere."""

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.banner = QualityBanner(page, page.get_by_role("region", name=exact_label(words["quality"])).first, words)
        self.navigation = SideNavigation(
            page, page.get_by_role("navigation", name=exact_label(words["functionalities"])), words
        )

    def go_home(self) -> HomePage:
        """Side navigation [home] ("Accueil")."""
        return self._go(self.navigation.link("home"), HomePage(self.page, self.words))

    def go_home_from_header(self) -> HomePage:
        """The header's "Home" link."""
        return self._go(self.header.link("header_home"), HomePage(self.page, self.words))

    def quit(self) -> LoginPage:
        """Header "Quit": the session ends, the login page shows."""
        return self._go(self.header.link("header_quit"), LoginPage(self.page, self.words))

    def start_registration(self) -> InformationStep:
        """Side navigation [register_configuration]: the wizard's first step."""
        return self._go(self.navigation.link("register_configuration"), InformationStep(self.page, self.words))

    def open_overview(self) -> OverviewPage:
        return self._go(self.navigation.link("overview"), OverviewPage(self.page, self.words))

    def open_contact_person(self) -> ContactPersonPage:
        return self._go(self.navigation.link("section_contact"), ContactPersonPage(self.page, self.words))

    def open_channel(self, kind: str) -> ChannelPage:
        """``kind``: "ws", "ftp" or "sftp" (side navigation [channel_<kind>])."""
        return self._go(self.navigation.link(CHANNEL_WORDS[kind]), ChannelPage(self.page, self.words, kind))

    def open_deletion(self) -> DeletionPage:
        return self._go(self.navigation.link("delete_configuration"), DeletionPage(self.page, self.words))


class HomePage(PortalScreen):
    """Home ("Accueil"): the greeting, the quality's data, whether a sender is active."""

    TITLE = "home"

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.quality_summary = Summary(page, self.main, words)  # Home's data may have no heading (§3)
        self.no_active_sender = self.main.get_by_text(words["no_active_sender"], exact=True)

    def greeting(self, role: str) -> Locator:
        """The text greeting the user as ``role`` ("gl" or "cogl"), as a whole word: the
        co-gestionnaire's greeting does not count as the gestionnaire's."""
        return self.main.get_by_text(mentioning(self.words[ROLE_WORDS[role]])).first

    def quality(self) -> Values:
        """The quality's data by word key: denomination, enterprise_number, quality,
        onss_number, creation_date."""
        return self.quality_summary.keyed(QUALITY_SUMMARY)

    def has_no_active_sender(self) -> bool:
        """Whether Home says [no_active_sender] (read now; Home is loaded)."""
        return self.no_active_sender.count() > 0


class AccessRefusedPage(PortalScreen):
    """The "access refused" page (HTTP 403) a plain user gets on a manager's address."""

    TITLE = "access_refused"


# --- the wizard "Création d'un utilisateur technique" ------------------------------------------------


class WizardStep(PortalScreen):
    """What the four steps share: the title, the step list, "Annuler"."""

    TITLE = "wizard_title"
    STEP: ClassVar[WordKey | None] = None  # the step's word key in the step list

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        first_step = page.get_by_role("listitem").filter(has_text=step_name(words["step_information"]))
        self.steps = StepList(page, self.main.get_by_role("list").filter(has=first_step), words)
        self.cancel_button = self.button("cancel")

    def loaded(self) -> Self:
        expect(self.title).to_be_visible()
        if self.STEP is not None:
            expect(self.steps.item(self.STEP)).to_have_attribute("aria-current", "step")
        return super().loaded()

    def cancel(self) -> HomePage:
        """ "Annuler": the wizard is discarded, Home shows."""
        return self._go(self.cancel_button, HomePage(self.page, self.words))


class LaterStep(WizardStep, Generic[B]):
    """A step after the first: "Précédent" goes back to ``PREVIOUS``, the step before it, with
    everything entered kept (WIZ-3). Each step names ``PREVIOUS`` on its class, as a PyPOM page
    names its ``URL_TEMPLATE``."""

    PREVIOUS: type[B]

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.previous_button = self.button("previous")

    def previous(self) -> B:
        return self._go(self.previous_button, self.PREVIOUS(self.page, self.words))


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


class ContactStep(LaterStep[InformationStep]):
    """ "Personne de contact": the contact person's fields, the e-mail group."""

    STEP = "step_contact"
    PREVIOUS = InformationStep

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.email_group = self.main.get_by_role("group", name=exact_label(words["emails"]))
        self.fields: dict[str, Locator] = {
            key: (self.email_group if key in EMAIL_FIELDS else self.main).get_by_label(exact_label(words[key]))
            for key in CONTACT_FIELDS
        }
        self.next_button = self.button("next")

    @property
    def marker(self) -> Locator:
        return self.fields["last_name"]

    # --- acting -------------------------------------------------------------------------

    def fill(self, person: ContactLike) -> Self:
        """Enter a contact person: every field shows the person's value afterwards, the e-mails
        in fields 1, 2, 3 (the rest cleared), the regime as shown when the person gives none.
        Like a person, it types only into the fields that do not show the value already."""
        emails = list(person.emails or ())[:3]
        wanted = {key: getattr(person, key) or "" for key in CONTACT_TEXT_FIELDS}
        wanted.update({key: emails[number] if number < len(emails) else "" for number, key in enumerate(EMAIL_FIELDS)})
        wanted["title"] = self.words[person.title] if person.title in WORDS else person.title
        if person.language_regime:
            wanted["language_regime"] = (
                self.words[person.language_regime] if person.language_regime in WORDS else person.language_regime
            )
        shown = self.values()
        for key in CONTACT_FIELDS:
            if key in wanted and shown.get(key) != wanted[key]:
                self.fill_field(key, wanted[key])
        return self

    def fill_field(self, key: str, value: str) -> Self:
        """Type ``value`` into the field ``key`` (a select: choose that option)."""
        if key in CONTACT_SELECTS:
            return self.choose(key, value)
        self.fields[key].fill(value)
        return self

    def choose(self, key: str, option: str) -> Self:
        """Choose an option of "Titre" or "Régime linguistique": a word key ("title_mrs"), a
        visible option text, or "" for no choice (the placeholder option, contract §3)."""
        if option == "":
            self.fields[key].select_option(value="")
            return self
        label = self.words[option] if option in WORDS else option
        self.fields[key].select_option(label=label)
        return self

    def choose_title(self, title: str) -> Self:
        return self.choose("title", title)

    def leave_empty(self, key: str) -> Self:
        """Leave ``key`` without a value: a text field emptied, a list on its placeholder option.
        A list without one (Régime linguistique is preselected) is sent with no option chosen,
        as a tampered or scripted request would."""
        if key not in CONTACT_SELECTS:
            return self.fill_field(key, "")
        if self.has_placeholder(key):
            return self.choose(key, "")
        self.fields[key].evaluate("select => { select.selectedIndex = -1; }")
        return self

    def next(self) -> ChannelStep:
        """ "Suivant" with valid data: "Données du canal"."""
        return self._submit(self.next_button, ChannelStep(self.page, self.words))

    def next_expecting_errors(self) -> Self:
        """ "Suivant" with data the portal must refuse: this step again, with its errors."""
        return self._submit_expecting_errors(self.next_button, ChannelStep(self.page, self.words))

    # --- reading ------------------------------------------------------------------------

    def _field_key(self, name: str) -> str | None:
        """The field key whose label is ``name`` (required markers aside), if any."""
        label = normalize_label(name)
        return next((key for key in CONTACT_FIELDS if normalize_label(self.words[key]) == label), None)

    def value_of(self, key: str) -> str:
        """What the field shows: the typed text, or a select's chosen option text ("" for none
        or a placeholder)."""
        if key in CONTACT_SELECTS:
            return self.selected_option(key)
        return self.fields[key].input_value()

    def values(self) -> dict[str, str]:
        """What every field shows, by key, read at once (as ``value_of`` reads one)."""
        controls = self.main.get_by_role("textbox").or_(self.main.get_by_role("combobox"))
        shown = {self._field_key(c["name"]): c["value"] for c in controls.evaluate_all(VALUES_OF_CONTROLS)}
        return {key: shown[key] for key in CONTACT_FIELDS if key in shown}

    def selected_option(self, key: str) -> str:
        """The chosen option's text; "" when none, or a placeholder (empty value), is chosen."""
        text: str = self.fields[key].evaluate(
            "s => s.selectedIndex < 0 || s.options[s.selectedIndex].value === '' ? '' "
            ": s.options[s.selectedIndex].text.trim()"
        )
        return text

    def options_of(self, key: str) -> list[str]:
        """A select's choices in order: the option texts, a placeholder option (empty value)
        left out (contract §3)."""
        texts: list[str] = self.fields[key].evaluate(
            "s => [...s.options].filter(o => o.value !== '').map(o => o.text.trim())"
        )
        return texts

    def has_placeholder(self, key: str) -> bool:
        """Whether a select offers a placeholder option (empty value) to choose no option."""
        found: bool = self.fields[key].evaluate("s => [...s.options].some(o => o.value === '')")
        return found

    def invalid_fields(self) -> list[str]:
        """Keys of the fields marked ``aria-invalid="true"``, in the form's order (a mark on the
        e-mail group itself is not a field's)."""
        marked = {self._field_key(c["name"]) for c in self.main.locator(INVALID).evaluate_all(NAMES_OF_CONTROLS)}
        return [key for key in CONTACT_FIELDS if key in marked]


class FillsChannelFields:
    """The channel fields' actions, written once for the screens that show them (the wizard's
    channel step and the channel pages); each returns the screen, for chaining."""

    form: ChannelFields

    def upload_certificate(self, file: FileToUpload) -> Self:
        """Put a file in [certificate_upload] (a path, or a name/mimeType/buffer payload)."""
        self.form.upload_certificate(file)
        return self

    def select_applications(self, names: Iterable[str]) -> Self:
        """Exactly these applications checked."""
        self.form.select_applications(names)
        return self

    def fill_ssh_key(self, text: str) -> Self:
        self.form.fill_ssh_key(text)
        return self


class ChannelStep(LaterStep[ContactStep], FillsChannelFields):
    """ "Données du canal": the channel choice, the certificate, applications, SSH key."""

    STEP = "step_channel"
    PREVIOUS = ContactStep

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.channel_group = self.main.get_by_role("group", name=exact_label(words["channels"]))
        self.channels: dict[str, Locator] = {
            kind: self.main.get_by_role("radio", name=exact_label(words[CHANNEL_WORDS[kind]])) for kind in CHANNEL_KINDS
        }
        self.form = ChannelFields(page, self.main, words)
        self.next_button = self.button("next")

    @property
    def marker(self) -> Locator:
        return self.channels["ws"]

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

    def next(self) -> ConfirmationStep:
        """ "Suivant" with a valid channel: "Confirmation"."""
        return self._submit(self.next_button, ConfirmationStep(self.page, self.words))

    def next_expecting_errors(self) -> Self:
        return self._submit_expecting_errors(self.next_button, ConfirmationStep(self.page, self.words))

    def chosen_channel(self) -> str | None:
        """ "ftp", "sftp", "ws" or None."""
        return next((kind for kind, radio in self.channels.items() if radio.is_checked()), None)

    def loaded_certificate(self, owner_cn: str) -> Locator:
        """Where the step names the certificate already loaded, by its owner's CN."""
        return self.main.get_by_text(owner_cn)

    def selected_applications(self) -> list[str]:
        return self.form.selected_applications()

    def invalid_fields(self) -> list[str]:
        """Keys among "channels", "certificate_upload", "applications", "ssh_key" whose input
        (or group, or one of the group's inputs) is marked ``aria-invalid="true"``."""
        return self.form.invalid_fields()


class ConfirmationStep(LaterStep[ChannelStep]):
    """ "Confirmation": the contact, the channel and the certificate as the portal read them."""

    STEP = "step_confirmation"
    PREVIOUS = ChannelStep

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.confirm_button = self.button("confirm")

    @property
    def marker(self) -> Locator:
        return self.confirm_button

    def _section(self, key: WordKey, keys: Iterable[WordKey]) -> Values:
        return Summary(self.page, self.main, self.words, self.words[key]).keyed(keys)

    def contact(self) -> Values:
        """Section [section_contact] by word key (last_name, …, emails as items)."""
        return self._section("section_contact", CONTACT_SUMMARY)

    def channel(self) -> Values:
        """Section [section_channel] by word key (channel, connection_type, …)."""
        return self._section("section_channel", CHANNEL_SUMMARY)

    def certificate(self) -> Values:
        """Section [section_certificate] by word key (cert_owner, …, serial_hex)."""
        return self._section("section_certificate", CERTIFICATE_SUMMARY)

    def confirm(self) -> OverviewPage:
        """ "Confirmer": the configuration is created, the overview shows."""
        return self._submit(self.confirm_button, OverviewPage(self.page, self.words))

    def confirm_expecting_errors(self) -> Self:
        return self._submit_expecting_errors(self.confirm_button, OverviewPage(self.page, self.words))


# --- a registered configuration ------------------------------------------------------------------


class OverviewPage(PortalScreen):
    """ "Aperçu des données de configuration" (also the result of "Confirmer")."""

    TITLE = "overview"

    def _section(self, key: WordKey, keys: Iterable[WordKey]) -> Values:
        return Summary(self.page, self.main, self.words, self.words[key]).keyed(keys)

    def contact(self) -> Values:
        """[section_contact_overview] by word key (last_name, …, emails as items)."""
        return self._section("section_contact_overview", CONTACT_SUMMARY)

    def technical_user(self) -> Values:
        """[section_technical_user]: sender_number, registration_date, technical_username."""
        return self._section("section_technical_user", TECHNICAL_USER_SUMMARY)

    def web_service(self) -> Values:
        """[section_web_service]: connection_type, the certificate's values, oauth_client
        ({} when the section is absent)."""
        return self._section("section_web_service", WEB_SERVICE_SUMMARY)

    def ftp(self) -> Values:
        return self._section("section_ftp", CHANNEL_PAGE_SUMMARY)

    def sftp(self) -> Values:
        return self._section("section_sftp", CHANNEL_PAGE_SUMMARY)

    def section_heading(self, key: WordKey) -> Locator:
        """A section's heading, for checks that a section is there or not."""
        return self.main.get_by_role("heading", name=exact_label(self.words[key]))


class ContactPersonPage(PortalScreen):
    """ "Personne de contact" of the configuration (side navigation)."""

    TITLE = "section_contact"

    def contact(self) -> Values:
        """The contact's values by word key (last_name, …, emails as items)."""
        return Summary(self.page, self.main, self.words).keyed(CONTACT_SUMMARY)


class ChannelScreen(PortalScreen):
    """A screen of one channel, titled by it ("Canal FTP" / "Canal SFTP" / "Canal Web
    Service"): its page and its confirmation page."""

    def __init__(self, page: Page, words: Words, kind: str):
        super().__init__(page, words)
        self.kind = kind  # "ftp", "sftp" or "ws"

    @property
    def title(self) -> Locator:
        return self.heading(self.words[CHANNEL_WORDS[self.kind]])

    def in_language(self, words: Words) -> Self:
        return type(self)(self.page, words, self.kind)


class ChannelPage(ChannelScreen, FillsChannelFields):
    """A channel's page: the configured channel's data, or a form to add it, confirmed on the
    page itself or on a confirmation page reached with "Suivant" (CHANNEL-6 allows both)."""

    def __init__(self, page: Page, words: Words, kind: str):
        super().__init__(page, words, kind)
        self.form = ChannelFields(page, self.main, words)
        self.cancel_button = self.button("cancel")
        self.confirm_button = self.button("confirm")
        self.next_button = self.button("next")

    def details(self) -> Values:
        """A configured channel's values by word key ({} when it is not configured)."""
        return Summary(self.page, self.main, self.words).keyed(CHANNEL_PAGE_SUMMARY)

    def offers_to_add(self) -> bool:
        """Whether the page shows the form to add this channel (read now; the page is loaded)."""
        return self.form.certificate.count() > 0

    def _confirmation(self) -> ChannelConfirmationPage:
        return ChannelConfirmationPage(self.page, self.words, self.kind)

    def confirm(self) -> OverviewPage:
        """Add the channel: "Confirmer" here, or "Suivant" then "Confirmer" on the confirmation
        page; the overview shows."""
        if self.next_button.count():
            return self._submit(self.next_button, self._confirmation()).confirm()
        return self._submit(self.confirm_button, OverviewPage(self.page, self.words))

    def confirm_expecting_errors(self) -> Self:
        """Send entries the portal must refuse: this page again, with its errors."""
        if self.next_button.count():
            return self._submit_expecting_errors(self.next_button, self._confirmation())
        return self._submit_expecting_errors(self.confirm_button, OverviewPage(self.page, self.words))

    def cancel(self) -> OverviewPage:
        """ "Annuler": back to the overview, nothing added."""
        return self._go(self.cancel_button, OverviewPage(self.page, self.words))


class ChannelConfirmationPage(ChannelScreen):
    """The confirmation page of a channel added on its page with "Suivant" (CHANNEL-6)."""

    def __init__(self, page: Page, words: Words, kind: str):
        super().__init__(page, words, kind)
        self.confirm_button = self.button("confirm")
        self.previous_button = self.button("previous")
        self.cancel_button = self.button("cancel")

    @property
    def marker(self) -> Locator:
        return self.heading(self.words["step_confirmation"])

    def confirm(self) -> OverviewPage:
        return self._submit(self.confirm_button, OverviewPage(self.page, self.words))

    def previous(self) -> ChannelPage:
        """ "Précédent": the channel's page, its entries kept."""
        return self._go(self.previous_button, ChannelPage(self.page, self.words, self.kind))


class DeletionPage(PortalScreen):
    """ "Suppression de l'envoi par messages structurés": the explicit confirmation."""

    TITLE = "delete_configuration"

    def __init__(self, page: Page, words: Words):
        super().__init__(page, words)
        self.confirm_button = self.button("confirm")
        self.cancel_button = self.button("cancel")

    @property
    def marker(self) -> Locator:
        # Its title and the explicit confirmation together (DELETE-1): <main> holding both
        # (inner locators of a filter look within it).
        title = self.page.get_by_role("heading", name=exact_label(self.words["delete_configuration"]))
        asks = self.page.get_by_role("button", name=exact_label(self.words["confirm"]))
        return self.main.filter(has=title).filter(has=asks)

    def confirm(self) -> HomePage:
        """ "Confirmer": the configuration is removed, Home shows."""
        return self._submit(self.confirm_button, HomePage(self.page, self.words))

    def cancel(self) -> OverviewPage:
        """ "Annuler": back to the overview, nothing changed."""
        return self._go(self.cancel_button, OverviewPage(self.page, self.words))

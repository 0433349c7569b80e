"""Moving through the wizard: Précédent keeps everything (WIZ-3), Annuler discards it (WIZ-4),
steps cannot be skipped (WIZ-5), and Confirmer creates one configuration however often the
form is sent (WIZ-6)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from playwright.sync_api import Page, expect

from contract.fields import CONTACT_TEXT_FIELDS, EMAIL_FIELDS
from contract.words import APPLICATIONS, word_key
from harness.target import CanReadStore
from pages import ChannelStep, ConfirmationStep, ContactStep, HomePage, WizardStep

pytestmark = [pytest.mark.browser, pytest.mark.focused]


def openssh_key() -> str:
    """A fresh Ed25519 public key, one OpenSSH line (CHANNEL-4)."""
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode()


def values_of(contact: ContactStep) -> dict[str, str]:
    return contact.values()


# --- WIZ-3 ---------------------------------------------------------------------------------


@pytest.mark.rules("WIZ-3")
def test_previous_from_channel_and_contact_keeps_the_entries(contact_form: ContactStep, person, words) -> None:
    contact = contact_form.fill(person).next().choose_web_service().previous()
    assert values_of(contact) == person.as_fields(words)

    info = contact.previous()
    contact = info.next()
    assert values_of(contact) == person.as_fields(words)

    channel = contact.next()
    assert channel.chosen_channel() == "ws"
    channel.previous()


@pytest.mark.rules("WIZ-3", "CONFIRM-2")
def test_previous_from_confirmation_keeps_the_certificate(
    certificate_form: ChannelStep, catalogue, shared_person, words
) -> None:
    certificate, person = catalogue["valid-der"], shared_person
    confirmation = certificate_form.choose_web_service().upload_certificate(certificate.path).next()
    expected = confirmation.certificate()
    assert expected == certificate.values.by_word_key()

    channel = confirmation.previous()
    assert channel.chosen_channel() == "ws"
    expect(channel.loaded_certificate(certificate.values.owner)).to_be_visible()

    again = channel.next()  # no new upload
    assert again.certificate() == expected
    assert again.contact()["last_name"] == person.last_name
    assert again.channel()["channel"] == words["channel_value_ws"]

    # ... and lets the user replace it.
    replacement = catalogue["valid-second-key"]
    replaced = again.previous().upload_certificate(replacement.path).next()
    assert replaced.certificate() == replacement.values.by_word_key()
    replaced.previous()


@pytest.mark.rules("WIZ-3")
@pytest.mark.parametrize("kind", ["ftp", "sftp"])
def test_previous_from_confirmation_keeps_the_applications_and_the_key(
    certificate_form: ChannelStep, catalogue, kind
) -> None:
    chosen = [APPLICATIONS[1], APPLICATIONS[4]]
    channel = certificate_form.choose(kind).upload_certificate(catalogue["valid-der"].path).select_applications(chosen)
    if kind == "sftp":
        channel.fill_ssh_key(openssh_key())
    confirmation = channel.next()
    shown = confirmation.channel()

    back = confirmation.previous()

    assert back.chosen_channel() == kind
    assert back.selected_applications() == chosen
    again = back.next()  # nothing entered again: the applications and the key come from the draft
    assert again.channel() == shown
    again.previous()


# --- WIZ-4 ---------------------------------------------------------------------------------


def walk_to(step: str, home: HomePage, person, certificate) -> WizardStep:
    """The wizard at ``step``, with everything up to it entered (not sent)."""
    info = home.start_registration()
    if step == "information":
        return info
    contact = info.next().fill(person)
    if step == "contact":
        return contact
    channel = contact.next().choose_web_service().upload_certificate(certificate.path)
    if step == "channel":
        return channel
    return channel.next()


@pytest.mark.rules("WIZ-4")
@pytest.mark.parametrize("step", ["information", "contact", "channel", "confirmation"])
def test_cancel_discards_the_wizard(
    home: HomePage, person, certificate, step, employer, words, expect_nothing_stored
) -> None:
    # A title and a regime no new wizard shows by itself, so that one left over shows.
    interface = words.language
    regime = next(f"language_{code}" for code in ("nl", "de", "fr") if code != interface)
    person = dataclasses.replace(person, title="title_miss", language_regime=regime)
    at_step = walk_to(step, home, person, certificate)

    home = at_step.cancel()

    expect(home.no_active_sender).to_be_visible()
    expect_nothing_stored(employer)
    # Discarded: the second pass starts empty, down to the channel step.
    contact = home.start_registration().next()
    shown = contact.values()
    assert {key: shown[key] for key in CONTACT_TEXT_FIELDS + EMAIL_FIELDS} == dict.fromkeys(
        CONTACT_TEXT_FIELDS + EMAIL_FIELDS, ""
    )
    assert shown["title"] in ("", words["title_mr"]), shown["title"]  # a placeholder or the first option
    assert shown["language_regime"] == words[word_key(f"language_{interface}")]  # preselected again (CONTACT-4)
    if step == "confirmation":
        channel = contact.fill(person).next()
        assert channel.chosen_channel() is None
        expect(channel.loaded_certificate(certificate.values.owner)).to_have_count(0)
        refused = channel.choose_web_service().next_expecting_errors()  # no certificate left over
        assert "certificate_upload" in refused.invalid_fields()


@pytest.mark.needs("WIZ-3")
@pytest.mark.rules("CONTACT-1", "CONTACT-5", "CONTACT-6", "CONTACT-7", "CONTACT-8")
def test_a_step_sent_again_is_checked_again(contact_form: ContactStep, person) -> None:
    """Accepted once, then Précédent: what is changed is checked as on the first pass, not
    taken because the step was complete."""
    again = contact_form.fill(person).next().previous()
    changed = {
        "last_name": "",
        "function": "F" * 61,
        "phone": "+32 (470) 12.34/567-8901",  # 16 digits
        "email_2": person.emails[0].upper(),  # the first address again
    }
    for key, value in changed.items():
        again.fill_field(key, value)

    refused = again.next_expecting_errors()

    invalid = refused.invalid_fields()
    assert {"last_name", "function", "phone"} <= set(invalid), invalid
    assert set(invalid) & {"email_1", "email_2"}, invalid
    assert set(invalid) <= {"last_name", "function", "phone", "email_1", "email_2"}, invalid


# --- WIZ-5 ---------------------------------------------------------------------------------


def shown_step(page: Page, words) -> str | None:
    """The wizard step a page shows (the page is loaded: ``goto`` waited for it)."""
    step = WizardStep(page, words)
    expect(step.title).to_be_visible()
    return step.steps.current()


@pytest.mark.rules("WIZ-5")
def test_later_steps_cannot_be_skipped(
    wizard_at_confirmation, certificate, person, words, employer, expect_nothing_stored
) -> None:
    confirmation = wizard_at_confirmation(certificate)
    urls = {"confirmation": confirmation.page.url}
    channel = confirmation.previous()
    urls["channel"] = channel.page.url
    home = channel.cancel()
    page = home.page

    # Nothing entered: a later step's address shows the first step still to do.
    for name, url in urls.items():
        page.goto(url)
        assert shown_step(page, words) in (words["step_information"], words["step_contact"]), name
        expect(ConfirmationStep(page, words).confirm_button).to_have_count(0)

    # The contact entered, no channel yet: the confirmation's address shows the channel step.
    home = HomePage(page, words).go_home()
    home.start_registration().next().fill(person).next()
    page.goto(urls["confirmation"])
    assert shown_step(page, words) == words["step_channel"]
    expect(ConfirmationStep(page, words).confirm_button).to_have_count(0)
    expect_nothing_stored(employer)


@pytest.mark.rules("WIZ-5")
def test_the_contact_step_cannot_be_skipped_after_information(
    home: HomePage, person, words, employer, expect_nothing_stored
) -> None:
    """Information done, no contact entered: the channel step's address shows the contact step
    (defect: contact-step-skippable)."""
    channel = home.start_registration().next().fill(person).next()
    channel_url = channel.page.url
    home = channel.cancel()

    contact = home.start_registration().next()
    assert contact.value_of("last_name") == ""
    page = contact.page
    page.goto(channel_url)

    assert shown_step(page, words) == words["step_contact"]
    expect(ChannelStep(page, words).marker).to_have_count(0)
    expect_nothing_stored(employer)


# --- WIZ-6 ---------------------------------------------------------------------------------


def only_configuration(page: Page, base_url: str, words, target, employer, unverifiable) -> str:
    """The sender number the overview shows, checking there is exactly one configuration (and,
    where the target's store can be read, that it holds that one)."""
    overview = HomePage.visit(page, base_url, words).open_overview()
    expect(overview.section_heading("section_technical_user")).to_have_count(1)
    expect(overview.section_heading("section_web_service")).to_have_count(1)
    sender = overview.technical_user()["sender_number"]
    assert re.fullmatch(r"\d{1,6}", sender), sender
    if isinstance(target, CanReadStore):
        stored = target.stored_configuration(employer)
        assert stored is not None and str(stored["sender"]) == sender
        assert list(stored["channels"]) == ["ws"]
    else:
        unverifiable("the portal's store holds that one configuration, with that sender and a Web Service channel")
    return sender


@pytest.mark.mutating
@pytest.mark.rules("WIZ-6")
def test_double_click_on_confirm_creates_one_configuration(
    wizard_at_confirmation, certificate, words, base_url, target, employer, unverifiable
) -> None:
    confirmation = wizard_at_confirmation(certificate)
    page = confirmation.page
    statuses: list[int] = []
    page.on(
        "response",
        lambda response: statuses.append(response.status) if response.request.is_navigation_request() else None,
    )

    confirmation.confirm_button.dblclick()
    # Whatever the portal answers to the second submission, it is no longer this form.
    expect(confirmation.confirm_button).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("heading").first).to_be_visible()  # some screen, loaded

    assert statuses and all(status < 500 for status in statuses), statuses
    only_configuration(page, base_url, words, target, employer, unverifiable)


@pytest.mark.mutating
@pytest.mark.rules("WIZ-6")
def test_back_then_resend_keeps_one_configuration(
    wizard_at_confirmation, certificate, words, base_url, target, employer, unverifiable
) -> None:
    confirmation = wizard_at_confirmation(certificate)
    page = confirmation.page
    with page.expect_request(lambda request: request.method == "POST") as posted:
        overview = confirmation.confirm()
    sender = overview.technical_user()["sender_number"]

    page.go_back()
    again = ConfirmationStep(page, words)
    if again.confirm_button.count():  # the browser shows the sent form again: send it once more
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            again.confirm_button.click()
        assert sent.value.status < 500
        expect(again.confirm_button).to_have_count(0)
    # What the browser's "resend the form" does: the very same request again, same session.
    resent = page.request.fetch(posted.value, max_redirects=0)
    assert resent.status < 500, resent.status

    assert only_configuration(page, base_url, words, target, employer, unverifiable) == sender


@pytest.mark.mutating
@pytest.mark.rules("WIZ-6")
def test_confirm_in_two_tabs_creates_one_configuration(
    wizard_at_confirmation, certificate, words, base_url, target, employer, unverifiable
) -> None:
    first = wizard_at_confirmation(certificate)
    second_page = first.page.context.new_page()
    second_page.goto(first.page.url)
    second = ConfirmationStep(second_page, words).loaded()

    sender = first.confirm().technical_user()["sender_number"]
    with second_page.expect_response(lambda r: r.request.method == "POST") as sent:
        second.confirm_button.click()
    assert sent.value.status < 500
    expect(second_page.get_by_role("main").get_by_role("heading").first).to_be_visible()

    assert only_configuration(second_page, base_url, words, target, employer, unverifiable) == sender

"""Checks the kill matrix showed missing: each closes a gap through which a portal defect would
have survived the rest of the suite (the defect is named in the test's docstring)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from contract.words import APPLICATIONS
from pages import ChannelStep, HomePage
from pages.wizard import CHANNEL_KINDS, WizardStep

pytestmark = pytest.mark.browser

TITLES = ("title_mr", "title_mrs", "title_miss")
EMPTY_FILE = {"name": "empty.cer", "mimeType": "application/pkix-cert", "buffer": b""}


def shown_step(page: Page, words) -> str | None:
    """The wizard step a page shows (the page is loaded: ``goto`` waited for it)."""
    step = WizardStep(page, words)
    expect(step.title).to_be_visible()
    return step.steps.current()


@pytest.mark.rules("CONFIRM-1", "CONTACT-3")
def test_each_title_is_shown_as_chosen(wizard_at_confirmation, certificate, words) -> None:
    """Every option of Titre, not only the one the random person has, comes back as chosen
    (defect: miss-shown-as-mrs)."""
    confirmation = wizard_at_confirmation(certificate)
    for title in TITLES:
        contact = confirmation.previous().previous()
        confirmation = contact.choose_title(title).next().next()  # the channel and certificate are kept
        assert confirmation.contact()["title"] == words[title], title


@pytest.mark.rules("CERT-2")
def test_an_empty_file_is_refused_even_with_a_certificate_loaded(wizard_at_confirmation, certificate, words,
                                                                 target, employer) -> None:
    """An empty file is a file chosen, and refused (CERT-2): it is not "no file", which would let
    the certificate loaded before go on silently (defect: empty-upload-ignored)."""
    channel = wizard_at_confirmation(certificate).previous()
    expect(channel.loaded_certificate(certificate.values.owner)).to_be_visible()

    refused = channel.upload_certificate(EMPTY_FILE).next_expecting_errors()

    expect(refused.errors.message_naming(words.certificate_upload).first).to_be_visible()
    assert "certificate_upload" in refused.invalid_fields()
    expect(refused.steps.item("step_channel")).to_have_attribute("aria-current", "step")
    if target.has_test_api:
        assert target.stored_configuration(employer) is None


@pytest.mark.rules("WIZ-5")
def test_the_contact_step_cannot_be_skipped_after_information(home: HomePage, person, words, target,
                                                              employer) -> None:
    """Information done, no contact entered: the channel step's and the confirmation's
    addresses show the contact step (defect: contact-step-skippable)."""
    channel = home.start_registration().next().fill(person).next()
    channel_url = channel.page.url
    home = channel.cancel()

    contact = home.start_registration().next()
    assert contact.value_of("last_name") == ""
    page = contact.page
    page.goto(channel_url)

    assert shown_step(page, words) == words.step_contact
    expect(ChannelStep(page, words).marker).to_have_count(0)
    if target.has_test_api:
        assert target.stored_configuration(employer) is None


@pytest.mark.rules("CHANNEL-1", "CHANNEL-3")
def test_the_channel_step_offers_every_channel_and_application(wizard_at_channel, words) -> None:
    """Exactly the three channels and the eight applications of the contract, nothing left out
    (defects: sftp-not-offered, application-missing-from-list)."""
    channel = wizard_at_channel
    expect(channel.channel_group.get_by_role("radio")).to_have_count(len(CHANNEL_KINDS))
    for kind in CHANNEL_KINDS:
        expect(channel.channels[kind]).to_have_count(1)
    expect(channel.form.applications.get_by_role("checkbox")).to_have_count(len(APPLICATIONS))
    for name in APPLICATIONS:
        expect(channel.form.application(name)).to_have_count(1)

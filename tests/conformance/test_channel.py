"""The wizard's "Données du canal" step (CHANNEL-1..5) and the channel pages (CHANNEL-6)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from playwright.sync_api import expect

from contract.fields import CHANNEL_KINDS
from contract.words import APPLICATIONS, LANGUAGES
from pages import ChannelStep

pytestmark = [pytest.mark.browser, pytest.mark.focused]


def openssh(key) -> str:
    """The one-line OpenSSH public key of a private key made in the test."""
    return key.public_key().public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode()


def rsa_key(bits: int):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def assert_refused(channel: ChannelStep, words, field_key: str, label: str) -> None:
    """The channel step came back, its error summary naming ``label``, the field marked invalid."""
    expect(channel.errors.message_naming(label).first).to_be_visible()
    expect(channel.steps.item("step_channel")).to_have_attribute("aria-current", "step")
    assert field_key in channel.invalid_fields()


# --- CHANNEL-1: one channel -----------------------------------------------------------------


@pytest.mark.rules("CHANNEL-1", "CHANNEL-3")
def test_the_channel_step_offers_every_channel_and_application(channel_form: ChannelStep) -> None:
    """Exactly the three channels and the eight applications of the contract, nothing left out
    (defects: sftp-not-offered, application-missing-from-list)."""
    expect(channel_form.channel_group.get_by_role("radio")).to_have_count(len(CHANNEL_KINDS))
    for kind in CHANNEL_KINDS:
        expect(channel_form.channels[kind]).to_have_count(1)
    expect(channel_form.form.applications.get_by_role("checkbox")).to_have_count(len(APPLICATIONS))
    for name in APPLICATIONS:
        expect(channel_form.form.application(name)).to_have_count(1)


@pytest.mark.rules("CHANNEL-1")
def test_no_channel_chosen_is_an_error(wizard_at_channel, words, catalogue) -> None:
    # A draft nobody has sent yet: once a channel is chosen, it stays chosen.
    refused = wizard_at_channel.upload_certificate(catalogue["valid-der"].path).next_expecting_errors()

    assert_refused(refused, words, "channels", words["channels"])
    assert refused.chosen_channel() is None


@pytest.mark.scenario
@pytest.mark.rules("CHANNEL-1", "CHANNEL-5", "CONFIRM-1")
def test_switching_channel_keeps_the_contact(certificate_form: ChannelStep, words, shared_person, catalogue) -> None:
    person, certificate = shared_person, catalogue["valid-der"]
    # FTP without an application is refused; switching to Web Service then goes on.
    refused = (
        certificate_form.choose_ftp()
        .select_applications([])
        .upload_certificate(certificate.path)
        .next_expecting_errors()
    )
    confirmation = refused.choose_web_service().upload_certificate(certificate.path).next()
    assert confirmation.channel()["channel"] == words["channel_value_ws"]
    as_web_service = confirmation.contact()

    # Back, and over to SFTP: the channel changes, the contact does not.
    channel = confirmation.previous()
    channel.choose_sftp().upload_certificate(certificate.path).select_applications(APPLICATIONS[:1])
    confirmation = channel.fill_ssh_key(openssh(ed25519.Ed25519PrivateKey.generate())).next()
    assert confirmation.channel()["channel"] == words["channel_value_sftp"]
    assert confirmation.contact() == as_web_service
    confirmation.previous()
    assert as_web_service["last_name"] == person.last_name
    assert as_web_service["emails"] == tuple(person.emails)


# --- CHANNEL-2: every channel needs a certificate ---------------------------------------------


@pytest.mark.rules("CHANNEL-2", "CHANNEL-5")
def test_web_service_without_certificate_is_refused(channel_form: ChannelStep, words) -> None:
    refused = channel_form.choose_web_service().next_expecting_errors()

    assert_refused(refused, words, "certificate_upload", words["certificate_upload"])
    assert refused.chosen_channel() == "ws"


@pytest.mark.rules("CHANNEL-2")
@pytest.mark.parametrize("kind", ["ftp", "sftp"])
def test_batch_channel_without_certificate_is_refused(kind, channel_form: ChannelStep, words) -> None:
    channel = channel_form.choose(kind).select_applications(APPLICATIONS[:2])
    channel.fill_ssh_key(openssh(ed25519.Ed25519PrivateKey.generate()) if kind == "sftp" else "")

    refused = channel.next_expecting_errors()

    assert_refused(refused, words, "certificate_upload", words["certificate_upload"])
    assert refused.chosen_channel() == kind


# --- CHANNEL-3: FTP and SFTP need an application -----------------------------------------------


@pytest.mark.rules("CHANNEL-3")
@pytest.mark.parametrize("kind", ["ftp", "sftp"])
def test_batch_channel_without_application_is_refused(kind, certificate_form: ChannelStep, words, catalogue) -> None:
    channel = certificate_form.choose(kind).select_applications([]).upload_certificate(catalogue["valid-der"].path)
    channel.fill_ssh_key(openssh(ed25519.Ed25519PrivateKey.generate()) if kind == "sftp" else "")

    refused = channel.next_expecting_errors()

    assert_refused(refused, words, "applications", words["applications"])


@pytest.mark.rules("CHANNEL-3", "CHANNEL-2")
def test_ftp_with_application_and_certificate_is_accepted(certificate_form: ChannelStep, words, catalogue) -> None:
    certificate = catalogue["valid-der"]
    chosen = [APPLICATIONS[1], APPLICATIONS[3]]
    channel = certificate_form.choose_ftp().upload_certificate(certificate.path).select_applications(chosen)

    confirmation = channel.next()

    shown, values = confirmation.channel(), confirmation.certificate()
    confirmation.previous()
    assert shown["channel"] == words["channel_value_ftp"]
    assert shown["applications_summary"] == tuple(chosen)
    assert values == certificate.values.by_word_key()


# --- CHANNEL-4: SFTP needs a valid SSH public key -------------------------------------------

BAD_SSH_KEYS = {
    "missing": lambda: "",
    "garbage": lambda: "ssh-rsa this-is-not-base64 nobody@example.test",
    "rsa-1024": lambda: openssh(rsa_key(1024)),
    "rsa-2047": lambda: openssh(rsa_key(2047)),  # one bit short of the limit
    "ecdsa-p256": lambda: openssh(ec.generate_private_key(ec.SECP256R1())),  # neither RSA nor Ed25519
}


@pytest.mark.rules("CHANNEL-4")
@pytest.mark.parametrize("key", list(BAD_SSH_KEYS))
def test_sftp_refuses_a_missing_or_bad_ssh_key(key, certificate_form: ChannelStep, words, catalogue) -> None:
    channel = (
        certificate_form.choose_sftp()
        .upload_certificate(catalogue["valid-der"].path)
        .select_applications(APPLICATIONS[:1])
        .fill_ssh_key(BAD_SSH_KEYS[key]())
    )

    refused = channel.next_expecting_errors()

    assert_refused(refused, words, "ssh_key", words["ssh_key"])


GOOD_SSH_KEYS = {
    "ed25519": lambda: openssh(ed25519.Ed25519PrivateKey.generate()),
    "rsa-2048": lambda: openssh(rsa_key(2048)),
    "rsa-3072": lambda: openssh(rsa_key(3072)),  # "at least": more than the limit
}


@pytest.mark.rules("CHANNEL-4", "CHANNEL-3")
@pytest.mark.parametrize("key", list(GOOD_SSH_KEYS))
def test_sftp_with_a_valid_key_and_application_is_accepted(
    key, certificate_form: ChannelStep, words, catalogue
) -> None:
    certificate = catalogue["valid-der"]
    chosen = [APPLICATIONS[0], APPLICATIONS[-1]]
    channel = (
        certificate_form.choose_sftp()
        .upload_certificate(certificate.path)
        .select_applications(chosen)
        .fill_ssh_key(GOOD_SSH_KEYS[key]())
    )

    confirmation = channel.next()

    shown, values = confirmation.channel(), confirmation.certificate()
    confirmation.previous()
    assert shown["channel"] == words["channel_value_sftp"]
    assert shown["applications_summary"] == tuple(chosen)
    assert shown["ssh_key"], shown
    assert values == certificate.values.by_word_key()


# --- CHANNEL-5: Web Service: the certificate only, connection type Internet ------------------


@pytest.mark.rules("CHANNEL-5", "CONFIRM-1")
def test_web_service_connection_type_is_internet(certificate_form: ChannelStep, words, catalogue) -> None:
    confirmation = certificate_form.choose_web_service().upload_certificate(catalogue["valid-der"].path).next()

    shown = confirmation.channel()
    confirmation.previous()
    assert shown["channel"] == words["channel_value_ws"]
    assert shown["connection_type"] == words["connection_internet"]


# --- CHANNEL-6: the channel pages -------------------------------------------------------------


@pytest.mark.mutating
@pytest.mark.rules("CHANNEL-6", "RESULT-3")
def test_web_service_page_shows_the_configured_channel(shared_registration, words) -> None:
    certificate = shared_registration.certificate
    client = shared_registration.overview().web_service()["oauth_client"]

    page = shared_registration.screen.open_channel("ws")

    assert not page.offers_to_add()
    details = page.details()
    expected = certificate.values.by_word_key()
    expiry = details.pop("cert_expiry_overview", None) or details.pop("cert_expiry", None)
    assert expiry == expected.pop("cert_expiry")
    assert details.get("connection_type") == words["connection_internet"]
    assert {key: details.get(key) for key in expected} == expected
    assert details.get("oauth_client") == client


@pytest.mark.mutating
@pytest.mark.rules("CHANNEL-6")
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_channel_link_opens_that_channels_page(shared_registration, language) -> None:
    """In each language, each "Canal …" link leads to its own channel's page (titled by it): the
    configured Web Service shows its client, FTP offers its applications, SFTP its key too."""
    shown_in = shared_registration.screen.words.language
    overview = shared_registration.overview().switch_language(language)

    web_service = overview.open_channel("ws")
    assert not web_service.offers_to_add()
    assert web_service.details().get("oauth_client") == shared_registration.client_id
    ftp = web_service.open_channel("ftp")
    assert ftp.offers_to_add()
    expect(ftp.form.applications).to_be_visible()
    sftp = ftp.open_channel("sftp")
    assert sftp.offers_to_add()
    expect(sftp.form.applications).to_be_visible()
    expect(sftp.form.ssh_key).to_be_visible()

    sftp.switch_language(shown_in)  # the shared registration's screen back in its language


@pytest.mark.mutating
@pytest.mark.rules("CHANNEL-6", "CHANNEL-3", "SENDER-1", "RESULT-1")
def test_ftp_page_adds_an_ftp_channel(fresh_registration, certificate, catalogue, words) -> None:
    overview = fresh_registration
    sender = overview.technical_user()["sender_number"]

    page = overview.open_channel("ftp")
    assert page.offers_to_add()
    expect(page.form.certificate).to_be_visible()
    expect(page.form.applications).to_be_visible()
    expect(page.confirm_button.or_(page.next_button).first).to_be_visible()  # CHANNEL-6: either way

    second = catalogue.fresh("valid-pem")
    chosen = [APPLICATIONS[2]]
    added = page.upload_certificate(second.path).select_applications(chosen).confirm()

    expect(added.status).to_have_text(words["channel_added"])
    assert added.technical_user()["sender_number"] == sender
    ftp = added.ftp()
    assert ftp.get("applications_summary") == tuple(chosen)
    assert ftp.get("serial_decimal") == second.values.serial_decimal
    assert added.web_service()["serial_decimal"] == certificate.values.serial_decimal
    # The FTP channel's page now shows it instead of the form.
    assert not added.open_channel("ftp").offers_to_add()


@pytest.mark.mutating
@pytest.mark.rules("CHANNEL-6", "CHANNEL-4")
def test_sftp_page_needs_an_ssh_key(fresh_registration, catalogue, words) -> None:
    overview = fresh_registration

    page = overview.open_channel("sftp")
    assert page.offers_to_add()
    expect(page.form.ssh_key).to_be_visible()

    second = catalogue.fresh("valid-pem")
    page.upload_certificate(second.path).select_applications(APPLICATIONS[:1])
    refused = page.confirm_expecting_errors()
    expect(refused.errors.message_naming(words["ssh_key"]).first).to_be_visible()

    refused.upload_certificate(second.path).select_applications(APPLICATIONS[:1]).fill_ssh_key(
        openssh(ed25519.Ed25519PrivateKey.generate())
    )
    added = refused.confirm()
    expect(added.status).to_have_text(words["channel_added"])
    assert added.sftp().get("applications_summary") == (APPLICATIONS[0],)


@pytest.mark.mutating
@pytest.mark.rules("CHANNEL-6", "CHANNEL-5", "SENDER-1", "RESULT-3")
def test_web_service_page_adds_a_web_service_channel(wizard_at_channel, certificate, catalogue, words) -> None:
    # The first channel is FTP; the Web Service is added on its page, with a certificate only.
    overview = (
        wizard_at_channel.choose_ftp()
        .upload_certificate(certificate.path)
        .select_applications(APPLICATIONS[:1])
        .next()
        .confirm()
    )
    sender = overview.technical_user()["sender_number"]

    page = overview.open_channel("ws")
    assert page.offers_to_add()
    refused = page.confirm_expecting_errors()  # no certificate
    expect(refused.errors.message_naming(words["certificate_upload"]).first).to_be_visible()

    second = catalogue.fresh("valid-der")
    added = refused.upload_certificate(second.path).confirm()

    expect(added.status).to_have_text(words["channel_added"])
    assert added.technical_user()["sender_number"] == sender
    web_service = added.web_service()
    assert web_service.get("connection_type") == words["connection_internet"]
    assert web_service.get("serial_hex") == second.values.serial_hex
    assert web_service.get("oauth_client") == f"self_service_expeditor_{sender}"


# --- in every language: which channel fields are required ---------------------------------------


@pytest.mark.rules("CHANNEL-2", "CHANNEL-3", "CHANNEL-4")
@pytest.mark.parametrize("language", ["nl", "de"])  # French: the tests above
def test_sftp_names_each_missing_field_in_its_language(channel_form_in: ChannelStep, language) -> None:
    channel = channel_form_in.choose_sftp().select_applications([])
    channel.fill_ssh_key("")

    refused = channel.next_expecting_errors()

    assert sorted(refused.invalid_fields()) == ["applications", "certificate_upload", "ssh_key"]
    for key in ("certificate_upload", "applications", "ssh_key"):
        expect(refused.errors.message_naming(refused.words[key]).first).to_be_visible()
    for name in APPLICATIONS:  # the seed's French names, in every language
        expect(refused.form.application(name)).to_have_count(1)


@pytest.mark.rules("CHANNEL-2", "CHANNEL-5")
@pytest.mark.parametrize("language", ["nl", "de"])
def test_web_service_asks_for_the_certificate_only_in_its_language(channel_form_in: ChannelStep, language) -> None:
    refused = channel_form_in.choose_web_service().select_applications([]).next_expecting_errors()

    assert refused.invalid_fields() == ["certificate_upload"]
    expect(refused.errors.message_naming(refused.words["certificate_upload"]).first).to_be_visible()
    assert refused.chosen_channel() == "ws"


@pytest.mark.mutating
@pytest.mark.rules("CHANNEL-6", "CHANNEL-3")
def test_a_second_channel_needs_an_application_as_in_the_wizard(shared_registration, catalogue, words) -> None:
    page = shared_registration.screen.open_channel("ftp")

    refused = page.upload_certificate(catalogue["valid-der"].path).select_applications([]).confirm_expecting_errors()

    expect(refused.errors.message_naming(words["applications"]).first).to_be_visible()
    assert "applications" in refused.form.invalid_fields()

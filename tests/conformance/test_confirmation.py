"""The wizard's "Confirmation" step: the contact as entered, the channel, the certificate's values
read from the upload (CONFIRM-1, CONFIRM-2), computed here from the certificate itself, its names
escaped where they hold what a reader cannot see (CONFIRM-3)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from cryptography import x509
from playwright.sync_api import expect

from certs.display import rdn_sets
from contract.fields import TITLES
from pages import ChannelStep, ConfirmationStep, ContactStep

pytestmark = [pytest.mark.browser, pytest.mark.focused]


BRUSSELS = ZoneInfo("Europe/Brussels")


def load(entry) -> x509.Certificate:
    data = entry.path.read_bytes()
    return x509.load_der_x509_certificate(data) if data[:1] == b"\x30" else x509.load_pem_x509_certificate(data)


def to_confirmation(contact: ContactStep, person, certificate) -> ConfirmationStep:
    """From the shared contact step: ``person`` entered, Web Service with ``certificate``."""
    channel = contact.fill(person).next()
    return channel.choose_web_service().upload_certificate(certificate.path).next()


def confirm_certificate(channel: ChannelStep, entry) -> dict[str, str]:
    """From the shared channel step: the confirmation's certificate values for ``entry``; back."""
    confirmation = channel.choose_web_service().upload_certificate(entry.path).next()
    shown = confirmation.certificate()
    confirmation.previous()
    return shown


@pytest.mark.rules("CONFIRM-1", "CONTACT-2", "CHANNEL-5")
def test_confirmation_shows_the_contact_and_the_channel(contact_form, belgian, words, catalogue) -> None:
    person = belgian.contact_person(email_count=3, optional=True)

    confirmation = to_confirmation(contact_form, person, catalogue["valid-der"])

    contact, channel = confirmation.contact(), confirmation.channel()
    for key in ("cancel", "previous", "confirm"):
        expect(confirmation.button(key)).to_be_visible()
    confirmation.previous().previous()
    assert contact == person.as_summary(words)
    assert channel == {"channel": words["channel_value_ws"], "connection_type": words["connection_internet"]}


@pytest.mark.rules("CONFIRM-1", "CONTACT-2")
def test_confirmation_shows_empty_optional_fields_empty(contact_form, belgian, words, catalogue) -> None:
    person = belgian.contact_person(email_count=1, optional=False)

    confirmation = to_confirmation(contact_form, person, catalogue["valid-der"])

    shown = confirmation.contact()
    confirmation.previous().previous()
    assert shown == person.as_summary(words)
    assert shown["fax"] == "" and shown["mobile"] == ""


@pytest.mark.rules("CONFIRM-1", "CONTACT-3")
def test_each_title_is_shown_as_chosen(contact_form, person, words, catalogue) -> None:
    """Every option of Titre, not only the one the random person has, comes back as chosen
    (defect: miss-shown-as-mrs)."""
    confirmation = to_confirmation(contact_form, person, catalogue["valid-der"])
    for title in TITLES:
        contact = confirmation.previous().previous()
        confirmation = contact.choose_title(title).next().next()  # the channel and certificate are kept
        assert confirmation.contact()["title"] == words[title], title
    confirmation.previous().previous()


@pytest.mark.rules("CONFIRM-2")
def test_confirmation_shows_the_certificate(certificate_form, catalogue) -> None:
    certificate = catalogue["valid-der"]

    shown = confirm_certificate(certificate_form, certificate)

    cert = load(certificate)
    # The plain values, read from the certificate here; the whole set from certs.display.
    assert shown["cert_owner"] == cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert shown["cert_company"] == cert.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)[0].value
    assert shown["cert_issuer"] == ", ".join(rdn.rfc4514_string() for rdn in reversed(cert.issuer.rdns))
    assert shown["serial_decimal"] == str(cert.serial_number)
    assert shown == certificate.values.by_word_key()


def brussels_day(when: dt.datetime) -> str:
    return when.astimezone(BRUSSELS).strftime("%d/%m/%Y")


@pytest.mark.rules("CONFIRM-2")
@pytest.mark.parametrize(
    "name, utc_time, offset_hours",
    [
        # 22:30 UTC: the Brussels day is the next one in summer only.
        pytest.param("expiry-brussels-summer", dt.time(22, 30), 2, id="expiry-brussels-summer"),
        pytest.param("expiry-brussels-winter", dt.time(22, 30), 1, id="expiry-brussels-winter"),
        # Midnight in Brussels: the day that starts then, not the one that ends.
        pytest.param("expiry-midnight-summer", dt.time(22, 0), 2, id="expiry-midnight-summer"),
        pytest.param("expiry-midnight-winter", dt.time(23, 0), 1, id="expiry-midnight-winter"),
    ],
)
def test_expiry_is_the_day_in_brussels(name, utc_time, offset_hours, catalogue, certificate_form) -> None:
    entry = catalogue[name]
    not_after = load(entry).not_valid_after_utc
    # The edge case itself: that time of day in UTC, that offset in Brussels.
    assert not_after.time() == utc_time
    assert not_after.astimezone(BRUSSELS).utcoffset() == dt.timedelta(hours=offset_hours)

    assert confirm_certificate(certificate_form, entry)["cert_expiry"] == brussels_day(not_after)


@pytest.mark.rules("CONFIRM-2")
@pytest.mark.parametrize(
    "name, expected_hex",
    [
        ("serial-499", "01F3"),
        ("serial-128", "80"),
        ("serial-high-bit", None),  # 16 bytes, top bit set: 32 digits starting 8-F, no 00 sign byte
    ],
)
def test_serial_number_in_decimal_and_padded_hex(name, expected_hex, catalogue, certificate_form) -> None:
    entry = catalogue[name]
    serial = load(entry).serial_number

    shown = confirm_certificate(certificate_form, entry)

    assert shown["serial_decimal"] == str(serial)
    if expected_hex is not None:
        assert shown["serial_hex"] == expected_hex
    else:
        assert re.fullmatch(r"[89A-F][0-9A-F]{31}", shown["serial_hex"]), shown["serial_hex"]
    assert int(shown["serial_hex"], 16) == serial


@pytest.mark.rules("CONFIRM-2", "CERT-6")
@pytest.mark.parametrize("name", ["escaped-issuer", "multi-valued-rdn"])
def test_issuer_is_written_as_rfc4514(name, catalogue, certificate_form) -> None:
    # Self-signed in the company's name (the shared step's employer): the issuer is the escaped
    # subject, dotted OIDs included; a multi-valued RDN's attributes joined by "+", in any order
    # (RFC 4514 §2.2), so compared RDN by RDN.
    entry = catalogue[name]
    widest = max(len(rdn) for rdn in load(entry).issuer.rdns)
    assert (widest > 1) == (name == "multi-valued-rdn")  # the case itself

    shown = confirm_certificate(certificate_form, entry)

    assert rdn_sets(shown["cert_issuer"]) == rdn_sets(entry.values.issuer)
    assert shown["cert_owner"] == entry.values.owner


# CONFIRM-3's characters, from the contract: controls, and what is invisible or reorders text.
UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
RIGHT_TO_LEFT_OVERRIDE = "\u202e"


@pytest.mark.rules("CONFIRM-3")
def test_unseen_characters_in_names_are_shown_as_hex_escapes(catalogue, certificate_form) -> None:
    """An owner (CN) holding a right-to-left override, invisible characters and controls; self-signed,
    so the issuer holds them too (defect: certificate-names-unescaped)."""
    entry = catalogue["bidi-owner"]
    held = load(entry).subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert isinstance(held, str) and RIGHT_TO_LEFT_OVERRIDE in held  # the case itself

    shown = confirm_certificate(certificate_form, entry)

    for key in ("cert_owner", "cert_issuer"):
        assert "\\E2\\80\\AE" in shown[key] and not UNSEEN.search(shown[key]), (key, shown[key])
    assert shown == entry.values.by_word_key()

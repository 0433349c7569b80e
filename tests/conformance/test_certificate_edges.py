"""Certificate uploads at the edges of CERT-2..5, beyond the catalogue's first pass through the
wizard in French (test_certificates.py): one byte over 64 KiB, a certificate valid only in half
an hour, CERT-3's words in NL and DE, a refused file put in place of a certificate already loaded
(after Précédent), and the same rules on a channel page, for a second channel
(docs/test-design.md, CERT)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import FilePayload, expect

from contract.words import APPLICATIONS
from pages import ChannelPage, ChannelStep

pytestmark = [pytest.mark.browser, pytest.mark.focused]

MAX_BYTES = 64 * 1024  # CERT-2


def expect_refused(screen: ChannelStep | ChannelPage, rule: str) -> None:
    """The screen came back with an error naming the upload field, marked invalid; for a private
    key, a message with CERT-3's words (§4) in the screen's language."""
    words = screen.words
    expect(screen.errors.message_naming(words["certificate_upload"]).first).to_be_visible()
    assert "certificate_upload" in screen.form.invalid_fields()
    if rule == "CERT-3":
        expect(screen.errors.root).to_contain_text(re.compile(re.escape(words["private_key_words"]), re.IGNORECASE))


def refused_variant(name: str, rule: str):
    return pytest.param(name, rule, id=name, marks=pytest.mark.rules(rule))


def over_64_kib(catalogue) -> FilePayload:
    """The catalogue's padded-64kib (accepted, test_certificates.py) with one more byte of the
    text before its PEM block: the same certificate, 65537 bytes."""
    at_limit = catalogue["padded-64kib"].read_bytes()
    assert len(at_limit) == MAX_BYTES
    return FilePayload(name="over-64kib.pem", mimeType="application/x-pem-file", buffer=b"\n" + at_limit)


def upload_of(catalogue, name: str):
    return over_64_kib(catalogue) if name == "over-64kib" else catalogue[name].path


@pytest.mark.rules("CERT-2")
def test_one_byte_over_64_kib_is_refused(certificate_form: ChannelStep, catalogue) -> None:
    refused = certificate_form.choose_web_service().upload_certificate(over_64_kib(catalogue)).next_expecting_errors()

    expect_refused(refused, "CERT-2")


@pytest.mark.rules("CERT-4")
def test_a_certificate_valid_only_in_half_an_hour_is_refused(certificate_form: ChannelStep, catalogue) -> None:
    """Not yet valid is notBefore in the future, however near: half an hour ahead is less than
    Brussels' offset from UTC, and more than two clocks in sync drift apart."""
    entry = catalogue.fresh("not-yet-valid-soon")  # issued now, so that the run's length does not matter
    not_before = dt.datetime.fromisoformat(str(entry.not_before_utc).replace("Z", "+00:00"))
    ahead = not_before - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=20) < ahead < dt.timedelta(hours=1), ahead  # the case itself

    refused = certificate_form.choose_web_service().upload_certificate(entry.path).next_expecting_errors()

    expect_refused(refused, "CERT-4")


IN_EACH_LANGUAGE = [
    refused_variant("private-key-pkcs8", "CERT-3"),
    refused_variant("pkcs12", "CERT-3"),
    refused_variant("over-64kib", "CERT-2"),
]


@pytest.mark.parametrize("name, rule", IN_EACH_LANGUAGE)
@pytest.mark.parametrize("language", ["nl", "de"])  # French: test_certificates.py and the test above
def test_a_refused_file_is_named_in_each_language(
    channel_form_in: ChannelStep, catalogue, language, name, rule
) -> None:
    """The error names the upload field by its label in the interface's language; for a private
    key, the message holds CERT-3's words in that language."""
    refused = (
        channel_form_in.choose_web_service().upload_certificate(upload_of(catalogue, name)).next_expecting_errors()
    )

    expect_refused(refused, rule)


SECOND_PASS = [refused_variant("not-yet-valid", "CERT-4"), refused_variant("rsa-2047", "CERT-5")]


@pytest.mark.needs("WIZ-3")  # back from the confirmation with a certificate loaded
@pytest.mark.parametrize("name, rule", SECOND_PASS)
def test_a_refused_file_in_place_of_a_loaded_certificate_is_refused(
    certificate_form: ChannelStep, catalogue, name, rule
) -> None:
    """A portal that checks only the first upload of a draft would keep the certificate
    loaded before and go on."""
    assert catalogue[name].refused_by == rule
    loaded = certificate_form.choose_web_service().upload_certificate(catalogue["valid-der"].path).next().previous()

    refused = loaded.upload_certificate(catalogue[name].path).next_expecting_errors()

    expect_refused(refused, rule)


SECOND_CHANNEL = [*SECOND_PASS, refused_variant("private-key-pkcs8", "CERT-3")]


@pytest.mark.mutating
@pytest.mark.needs("CHANNEL-6")  # the second channel is added on its page
@pytest.mark.parametrize("name, rule", SECOND_CHANNEL)
def test_a_second_channel_refuses_what_the_wizard_refuses(shared_registration, catalogue, words, name, rule) -> None:
    assert catalogue[name].refused_by == rule
    page = shared_registration.screen.open_channel("ftp")
    page.upload_certificate(catalogue[name].path).select_applications(APPLICATIONS[:1])

    refused = page.confirm_expecting_errors()

    expect_refused(refused, rule)
    assert refused.offers_to_add()

"""Certificate upload on "Données du canal" (CERT-1..7): every catalogue entry, from its manifest.

Accepted entries reach the confirmation showing exactly the values ``certs`` computed for the
certificate; refused ones keep the channel step with an error naming the upload field (for a
private key, saying never to upload one), and nothing is stored. Certificates that are registered
come fresh from the catalogue (CERT-7).
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from playwright.sync_api import FilePayload, expect

from certs import encode
from certs.display import rdn_sets
from certs.variants import VARIANTS
from contract.words import APPLICATIONS
from pages import ChannelStep, HomePage

pytestmark = [pytest.mark.browser, pytest.mark.focused]


def _variant_rules(variant) -> tuple[str, ...]:
    extra = ("CERT-1", "CONFIRM-2") if variant.expected.accepted else (variant.expected.rule,)
    return tuple(dict.fromkeys((*variant.rules, *extra)))


# A certificate whose names CONFIRM-3 escapes is shown by test_confirmation.py's own test: that
# [mock] rule alone names it, so that a staging run may leave it out.
ACCEPTED = [
    pytest.param(v.name, id=v.name, marks=pytest.mark.rules(*_variant_rules(v)))
    for v in VARIANTS
    if v.expected.accepted and "CONFIRM-3" not in v.rules
]
# A certificate whose dates count from the moment it is made is issued when its test runs
# (test_certificate_edges.py): the catalogue's copy, made when the run began, ages with the run.
REFUSED = [
    pytest.param(v.name, id=v.name, marks=pytest.mark.rules(*_variant_rules(v)))
    for v in VARIANTS
    if not v.expected.accepted and not getattr(v, "from_now", False)
]


def _assert_refused(channel: ChannelStep, words) -> None:
    """The channel step came back with an error summary naming the upload field."""
    expect(channel.errors.root).to_be_visible()
    expect(channel.errors.message_naming(words["certificate_upload"]).first).to_be_visible()
    expect(channel.steps.item("step_channel")).to_have_attribute("aria-current", "step")
    assert "certificate_upload" in channel.invalid_fields()


def comparable(values: dict[str, str]) -> dict[str, object]:
    """The certificate's values with the issuer as its RDNs: RFC 4514 writes the attributes of a
    multi-valued RDN in any order."""
    return {**values, "cert_issuer": rdn_sets(values.get("cert_issuer", ""))}


def confirmed_values(channel: ChannelStep, upload) -> dict[str, str]:
    """Upload as Web Service, read the confirmation's certificate values, come back."""
    confirmation = channel.choose_web_service().upload_certificate(upload).next()
    shown = confirmation.certificate()
    confirmation.previous()
    return shown


# The catalogue's entries are only uploaded here, never registered: CERT-7 does not get in the way
# (the shared steps' employer, named like the catalogue's company, never confirms).
@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_certificate_shows_its_values(name, catalogue, certificate_form: ChannelStep) -> None:
    entry = catalogue[name]
    assert entry.accepted, f"{name}: the manifest expects {entry.expected}"

    assert comparable(confirmed_values(certificate_form, entry.path)) == comparable(entry.values.by_word_key())


@pytest.mark.parametrize("name", REFUSED)
def test_refused_file_keeps_the_channel_step(
    name, catalogue, channel_form: ChannelStep, words, shared_employer, expect_nothing_stored
) -> None:
    entry = catalogue[name]
    assert entry.refused_by, f"{name}: the manifest expects {entry.expected}"

    refused = channel_form.choose_web_service().upload_certificate(entry.path).next_expecting_errors()

    _assert_refused(refused, words)
    if entry.refused_by == "CERT-3":  # the message says never to upload a private key (§4's words)
        expect(refused.errors.root).to_contain_text(re.compile(re.escape(words["private_key_words"]), re.IGNORECASE))
    expect_nothing_stored(shared_employer)


@pytest.mark.rules("CERT-1", "CONFIRM-2")
@pytest.mark.parametrize(
    "encoding, file_name",
    [("der", "certificate.pem"), ("pem", "certificate.cer"), ("der", "certificate.txt"), ("pem", "certificate")],
)
def test_encoding_is_read_from_the_content_not_the_extension(
    encoding, file_name, catalogue, certificate_form: ChannelStep
) -> None:
    entry = catalogue["valid-der"]
    upload = FilePayload(name=file_name, mimeType="application/octet-stream", buffer=_same_certificate(entry, encoding))

    assert confirmed_values(certificate_form, upload) == entry.values.by_word_key()


@pytest.mark.rules("CERT-6")
def test_company_name_is_compared_ignoring_case_and_surrounding_spaces(
    catalogue, certificate_form: ChannelStep
) -> None:
    entry = catalogue.fresh("self-signed-company", company=f"  {catalogue.company.swapcase()} ")

    assert confirmed_values(certificate_form, entry.path)["cert_owner"] == entry.values.owner


@pytest.mark.rules("CERT-6")
def test_company_name_is_compared_in_unicode_nfc(catalogue, certificate_form: ChannelStep) -> None:
    """A certificate made on a system that writes "é" as "e" and a combining accent (NFD) names
    the same company (defect: company-name-not-normalised). The shared step's employer is named
    like the catalogue's company, typed composed (NFC) as a person types it on most systems."""
    company = catalogue.company
    if unicodedata.normalize("NFD", company) == company:
        pytest.skip(
            f"not verifiable on this target: the company's name {company!r} has no letter that Unicode "
            "writes in two ways (name an employer with an accent first in the target file)"
        )
    entry = catalogue.fresh("self-signed-company-nfd", company=company)
    organization = _certificate(entry).subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)[0].value
    assert isinstance(organization, str)
    # the case itself: the certificate's O differs from the Dénomination but for its normal form
    assert organization != company and unicodedata.normalize("NFC", organization) == company

    confirmation = certificate_form.choose_web_service().upload_certificate(entry.path).next()

    assert confirmation.certificate()["cert_company"] == entry.values.company
    confirmation.previous()


def _certificate(entry) -> x509.Certificate:
    data = entry.path.read_bytes()
    return x509.load_der_x509_certificate(data) if data[:1] == b"\x30" else x509.load_pem_x509_certificate(data)


def _same_certificate(entry, encoding: str) -> bytes:
    """``entry``'s certificate written as ``encoding`` ("der" or "pem")."""
    certificate = _certificate(entry)
    return encode.der(certificate) if encoding == "der" else encode.pem(certificate)


COPIES = [pytest.param(v.name, id=v.name) for v in VARIANTS if getattr(v, "same_certificate_as", None)]


@pytest.mark.mutating
@pytest.mark.employers(2)
@pytest.mark.rules("CERT-7", "DELETE-1")
@pytest.mark.parametrize("copy_name", COPIES)
def test_certificate_of_another_sender_is_refused_until_deleted(
    copy_name, catalogue, target, browser, employer, sign_in, words, person, new_context, expect_nothing_stored
) -> None:
    # The catalogue's copies (same certificate, same or other encoding), applied to a fresh
    # certificate so that no other test's registration interferes.
    copy = catalogue[copy_name]
    original = catalogue.fresh(copy.same_certificate_as)
    same = FilePayload(
        name=f"{copy_name}{copy.path.suffix}",
        mimeType="application/octet-stream",
        buffer=_same_certificate(original, copy.encoding),
    )
    target.register(browser, employer, person, original.path)  # A registered it first
    overview_a = HomePage(sign_in(employer), words).loaded().open_overview()

    other = target.new_employer()
    home_b = HomePage(sign_in(other, context=new_context()), words).loaded()
    channel_b = home_b.start_registration().next().fill(person).next()
    refused = channel_b.choose_web_service().upload_certificate(same).next_expecting_errors()
    _assert_refused(refused, words)
    expect_nothing_stored(other)

    overview_a.open_deletion().confirm()

    # Once A's configuration is gone, B may register the very same certificate.
    overview = refused.choose_web_service().upload_certificate(same).next().confirm()
    expect(overview.status).to_have_text(words["channel_added"])
    assert overview.web_service()["serial_decimal"] == original.values.serial_decimal


@pytest.mark.mutating
@pytest.mark.rules("CERT-7")
@pytest.mark.parametrize("kind", ["ftp", "sftp"])
def test_certificate_of_another_senders_batch_channel_is_refused(
    kind, catalogue, sign_in, employer, person, words, channel_form: ChannelStep, shared_employer, expect_nothing_stored
) -> None:
    """CERT-7 names no channel: a certificate still registered for another sender's FTP or SFTP
    channel is refused for a Web Service too (the shared step's employer is the other sender)."""
    certificate = catalogue.fresh("valid-der")
    channel_a = HomePage(sign_in(employer), words).loaded().start_registration().next().fill(person).next()
    channel_a.choose(kind).upload_certificate(certificate.path).select_applications(APPLICATIONS[:1])
    if kind == "sftp":
        key = ed25519.Ed25519PrivateKey.generate().public_key()
        channel_a.fill_ssh_key(key.public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode())
    expect(channel_a.next().confirm().status).to_have_text(words["channel_added"])  # A registered it first

    refused = channel_form.choose_web_service().upload_certificate(certificate.path).next_expecting_errors()

    _assert_refused(refused, words)
    expect_nothing_stored(shared_employer)


EMPTY_FILE = FilePayload(name="empty.cer", mimeType="application/pkix-cert", buffer=b"")


@pytest.mark.rules("CERT-2")
def test_an_empty_file_is_refused_even_with_a_certificate_loaded(
    certificate_form: ChannelStep, catalogue, words, shared_employer, expect_nothing_stored
) -> None:
    """An empty file is a file chosen, and refused (CERT-2): it is not "no file", which would let
    the certificate loaded before go on silently (defect: empty-upload-ignored)."""
    loaded = catalogue["valid-der"]
    channel = certificate_form.choose_web_service().upload_certificate(loaded.path).next().previous()
    expect(channel.loaded_certificate(loaded.values.owner)).to_be_visible()

    refused = channel.upload_certificate(EMPTY_FILE).next_expecting_errors()

    _assert_refused(refused, words)
    expect_nothing_stored(shared_employer)

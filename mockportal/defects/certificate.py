"""Defects of the certificate checks (CERT-1..7): what is read, refused, trusted and shared."""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ..certificate import is_pkcs12
from ..web import Handler
from .patching import CHANNEL_PAGE, on_wizard_post, route, wrap
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal
    from ..store import Store
    from ..web import Request, Response

Load = Callable[[bytes], "tuple[x509.Certificate | None, str | None]"]
Check = Callable[[bytes], "str | None"]
Issuer = Callable[[x509.Certificate, Sequence[x509.Certificate], str], "str | None"]
Holder = Callable[[object, str], "int | None"]


@defect("pem-refused", "CERT-1", "only DER is read: a PEM (Base64) certificate is refused as not a certificate")
def _pem_refused(portal: Portal) -> None:
    wrap(
        portal.certificates,
        "cert_1_load",
        lambda original: lambda data: (None, "cert_not_certificate") if b"-----BEGIN" in data else original(data),
    )


@defect("several-certificates-first-used", "CERT-2", "a file with several certificates is accepted, the first one used")
def _several_certificates_first_used(portal: Portal) -> None:
    def first_used(original: Load) -> Load:
        def load(data: bytes) -> tuple[x509.Certificate | None, str | None]:
            certificate, error = original(data)
            if error == "cert_several" and b"-----BEGIN" in data:
                return x509.load_pem_x509_certificates(data)[0], None
            return certificate, error

        return load

    wrap(portal.certificates, "cert_1_load", first_used)


def _first_certificate_when(portal: Portal, taken: Callable[[bytes], bool]) -> None:
    """CERT-2's "several certificates", but a file ``taken(data)`` picks gives its first PEM
    certificate, the rest ignored."""

    def first_used(original: Load) -> Load:
        def load(data: bytes) -> tuple[x509.Certificate | None, str | None]:
            certificate, error = original(data)
            if error == "cert_several" and taken(data):
                return x509.load_pem_x509_certificate(data), None
            return certificate, error

        return load

    wrap(portal.certificates, "cert_1_load", first_used)


_CERTIFICATE_BLOCK = re.compile(rb"-----BEGIN (?:X509 )?CERTIFICATE-----")
_BLOCK_OF_CERTIFICATES = re.compile(
    rb"-----BEGIN (?:(?:X509 |TRUSTED )?CERTIFICATE|CERTIFICATE PAIR|PKCS7|PKCS #7 SIGNED DATA|CMS)-----"
)


@defect(
    "other-certificate-labels-ignored",
    "CERT-2",
    "a PEM certificate followed by a TRUSTED CERTIFICATE or a PKCS7 block is accepted, the first one used "
    "(only blocks labelled CERTIFICATE count as certificates)",
)
def _other_certificate_labels_ignored(portal: Portal) -> None:
    _first_certificate_when(portal, lambda data: len(_CERTIFICATE_BLOCK.findall(data)) == 1)


@defect(
    "der-after-pem-ignored",
    "CERT-2",
    "a PEM certificate followed by another certificate's DER bytes is accepted, the PEM one used",
)
def _der_after_pem_ignored(portal: Portal) -> None:
    _first_certificate_when(portal, lambda data: len(_BLOCK_OF_CERTIFICATES.findall(data)) == 1)


@defect(
    "empty-upload-ignored",
    "CERT-2",
    "an empty file is taken as no file chosen: no error of its own, and a certificate loaded before stays",
)
def _empty_upload_ignored(portal: Portal) -> None:
    def drop_empty(request: Request) -> None:
        upload = request.form.files.get("certificate")
        if upload is not None and not upload.data:
            del request.form.files["certificate"]

    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        drop_empty(request)
        return handler(portal_, request)

    on_wizard_post(portal, "channel", None, change)

    def without_empty(handler: Handler) -> Handler:
        return lambda portal_, request: change(portal_, request, handler)

    route(portal, "POST", CHANNEL_PAGE, change=without_empty)


@defect(
    "oversized-file-accepted",
    "CERT-2",
    "a file over 64 KiB is accepted when the certificate in it is small (no limit on the file itself)",
)
def _oversized_file_accepted(portal: Portal) -> None:
    portal.certificates.cert_2_file = lambda data: None if data else "cert_empty"


@defect(
    "certificate-with-key-accepted",
    "CERT-3",
    "a PEM file holding the certificate and its private key is accepted (the key is ignored)",
)
def _certificate_with_key_accepted(portal: Portal) -> None:
    wrap(
        portal.certificates,
        "cert_3_private_key",
        lambda original: lambda data: None if b"-----BEGIN CERTIFICATE-----" in data else original(data),
    )


@defect(
    "pkcs12-generic-message",
    "CERT-3",
    "a PKCS#12/PFX file is refused as 'not a certificate', a message that never mentions the private key in it",
)
def _pkcs12_generic_message(portal: Portal) -> None:
    # Still refused before anything is read or kept: only the message changes.
    wrap(
        portal.certificates,
        "cert_3_private_key",
        lambda original: lambda data: "cert_not_certificate" if is_pkcs12(data) else original(data),
    )


def _indefinite_length(data: bytes) -> bool:
    """Whether a file (or the bytes of its bare Base64) starts a BER SEQUENCE of indefinite length."""
    try:
        decoded = base64.b64decode(b"".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    return data.startswith(b"\x30\x80") or decoded.startswith(b"\x30\x80")


@defect(
    "pkcs12-ber-not-recognised",
    "CERT-3",
    "a PKCS#12/PFX file in BER (indefinite lengths) is not recognised: refused as 'not a certificate', "
    "never saying that it holds a private key",
)
def _pkcs12_ber_not_recognised(portal: Portal) -> None:
    wrap(
        portal.certificates,
        "cert_3_private_key",
        lambda original: lambda data: None if _indefinite_length(data) else original(data),
    )


@defect("private-key-logged", "CERT-3", "a refused private key is quoted in a warning of the server log")
def _private_key_logged(portal: Portal) -> None:
    def logged(original: Check) -> Check:
        def check(data: bytes) -> str | None:
            error = original(data)
            if error:
                portal.log.warning(
                    "refused upload (%s, %d bytes): %s",
                    error,
                    len(data),
                    data[:8192].decode("ascii", "backslashreplace"),
                )
            return error

        return check

    wrap(portal.certificates, "cert_3_private_key", logged)


@defect(
    "expired-yesterday-accepted",
    "CERT-4",
    "expiry is compared by day with a day's grace: a certificate that expired yesterday is accepted",
)
def _expired_yesterday_accepted(portal: Portal) -> None:
    def validity(certificate: x509.Certificate, now: datetime.datetime | None = None) -> str | None:
        now = now or datetime.datetime.now(datetime.UTC)
        if certificate.not_valid_after_utc.date() < (now - datetime.timedelta(days=1)).date():
            return "cert_expired"
        if certificate.not_valid_before_utc > now:
            return "cert_not_yet_valid"
        return None

    portal.certificates.cert_4_validity = validity


@defect("not-yet-valid-accepted", "CERT-4", "notBefore is not checked: a certificate not valid yet is accepted")
def _not_yet_valid_accepted(portal: Portal) -> None:
    wrap(
        portal.certificates,
        "cert_4_validity",
        lambda original: (
            lambda certificate, now=None: (
                None if (error := original(certificate, now)) == "cert_not_yet_valid" else error
            )
        ),
    )


def _strength_except(portal: Portal, allowed: Callable[[x509.Certificate, str], bool]) -> None:
    """CERT-5's check, but for the refusals ``allowed(certificate, error)`` lets through."""
    wrap(
        portal.certificates,
        "cert_5_strength",
        lambda original: (
            lambda certificate: None if (error := original(certificate)) and allowed(certificate, error) else error
        ),
    )


def _signed_with_sha1_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer`` signed ``certificate`` with RSA and SHA-1 (checked by hand: the library's
    own issuer check refuses SHA-1 outright)."""
    key = issuer.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        key.verify(certificate.signature, certificate.tbs_certificate_bytes, padding.PKCS1v15(), hashes.SHA1())
    except Exception:  # noqa: BLE001 - another key type, another hash or a bad signature
        return False
    return certificate.issuer == issuer.subject


@defect(
    "sha1-signature-accepted",
    "CERT-5",
    "only MD5 signatures are refused: a SHA-1 signature from a trusted CA is accepted",
)
def _sha1_signature_accepted(portal: Portal) -> None:
    def sha1(certificate: x509.Certificate) -> bool:
        try:
            return isinstance(certificate.signature_hash_algorithm, hashes.SHA1)
        except Exception:  # noqa: BLE001 - an unknown hash is not SHA-1
            return False

    _strength_except(portal, lambda c, error: error == "cert_weak_signature" and sha1(c))
    # CERT-6 itself stays right: the issuer must still be trusted (or the company) and its
    # signature valid, only now a SHA-1 signature can be checked at all.
    certificates = portal.certificates

    def sha1_checked(original: Issuer) -> Issuer:
        def issuer(c: x509.Certificate, trusted: Sequence[x509.Certificate], company: str) -> str | None:
            if not sha1(c):
                return original(c, trusted, company)
            if any(_signed_with_sha1_by(c, authority) for authority in trusted):
                return None
            organisation = certificates.confirm_2_company(c).strip()
            own = organisation and organisation.casefold() == company.strip().casefold()
            return None if own and _signed_with_sha1_by(c, c) else "cert_untrusted"

        return issuer

    wrap(certificates, "cert_6_issuer", sha1_checked)


def _rsa_bits(certificate: x509.Certificate) -> int:
    """The size of an RSA key (CERT-5 refuses a key for its size only when it is RSA)."""
    key = certificate.public_key()
    return key.key_size if isinstance(key, rsa.RSAPublicKey) else 0


@defect("rsa-1024-accepted", "CERT-5", "an RSA key of 1024 bits is accepted (the minimum is 2048)")
def _rsa_1024_accepted(portal: Portal) -> None:
    _strength_except(portal, lambda c, error: error == "cert_key_size" and _rsa_bits(c) >= 1024)


@defect("rsa-size-in-bytes", "CERT-5", "the key size is checked in whole bytes (256): a 2047-bit RSA key passes")
def _rsa_size_in_bytes(portal: Portal) -> None:
    _strength_except(portal, lambda c, error: error == "cert_key_size" and (_rsa_bits(c) + 7) // 8 >= 256)


def _issuer_except(portal: Portal, accepted: Callable[[x509.Certificate, Sequence[x509.Certificate]], bool]) -> None:
    """CERT-6's check, but any certificate ``accepted(certificate, trusted)`` picks passes."""
    wrap(
        portal.certificates,
        "cert_6_issuer",
        lambda original: lambda c, trusted, company: None if accepted(c, trusted) else original(c, trusted, company),
    )


@defect("self-signed-any-name-accepted", "CERT-6", "a self-signed certificate is accepted whatever company it names")
def _self_signed_any_name_accepted(portal: Portal) -> None:
    _issuer_except(portal, lambda c, trusted: c.issuer == c.subject)


@defect(
    "issuer-name-trusted",
    "CERT-6",
    "a certificate is trusted when its issuer's name is a trusted CA's, the CA's signature unchecked",
)
def _issuer_name_trusted(portal: Portal) -> None:
    _issuer_except(portal, lambda c, trusted: any(c.issuer == a.subject for a in trusted))


@defect("untrusted-ca-accepted", "CERT-6", "a certificate from any CA is accepted, trusted or not")
def _untrusted_ca_accepted(portal: Portal) -> None:
    _issuer_except(portal, lambda c, trusted: c.issuer != c.subject)


@defect(
    "company-name-case-sensitive",
    "CERT-6",
    "a self-signed certificate's O must equal the company's name letter for letter (case and spaces count)",
)
def _company_name_case_sensitive(portal: Portal) -> None:
    certificates = portal.certificates

    def letter_for_letter(original: Issuer) -> Issuer:
        def issuer(c: x509.Certificate, trusted: Sequence[x509.Certificate], company: str) -> str | None:
            error = original(c, trusted, company)
            if error is None and c.issuer == c.subject and certificates.confirm_2_company(c) != company:
                return "cert_untrusted"
            return error

        return issuer

    wrap(certificates, "cert_6_issuer", letter_for_letter)


@defect(
    "company-name-not-normalised",
    "CERT-6",
    "a self-signed certificate's O is compared with the company's name code point for code point: an 'é' "
    "written as 'e' and a combining accent (Unicode NFD) is another name",
)
def _company_name_not_normalised(portal: Portal) -> None:
    certificates = portal.certificates

    def unnormalised(original: Issuer) -> Issuer:
        def issuer(c: x509.Certificate, trusted: Sequence[x509.Certificate], company: str) -> str | None:
            error = original(c, trusted, company)
            organisation = certificates.confirm_2_company(c)
            if (
                error is None
                and c.issuer == c.subject
                and organisation.strip().casefold() != company.strip().casefold()
            ):
                return "cert_untrusted"
            return error

        return issuer

    wrap(certificates, "cert_6_issuer", unnormalised)


@defect("certificate-shared-between-senders", "CERT-7", "a certificate another sender still uses is accepted")
def _certificate_shared_between_senders(portal: Portal) -> None:
    portal.store.certificate_holder_in = lambda db, sha256: None  # type: ignore[method-assign]


@defect(
    "certificate-kept-after-delete",
    "CERT-7",
    "a deleted configuration's certificates stay taken: nobody may register them again",
)
def _certificate_kept_after_delete(portal: Portal) -> None:
    store: Store = portal.store
    retired: set[str] = set()

    def remembering(original: Callable[[int], bool]) -> Callable[[int], bool]:
        def delete_configuration(employer_id: int) -> bool:
            configuration = store.configuration(employer_id)
            deleted = original(employer_id)
            if deleted and configuration is not None:
                retired.update(channel.certificate_sha256 for channel in configuration.channels.values())
            return deleted

        return delete_configuration

    def still_taken(original: Holder) -> Holder:
        def holder(db: object, sha256: str) -> int | None:
            found = original(db, sha256)
            return 0 if found is None and sha256 in retired else found  # 0: no employer has that id

        return holder

    wrap(store, "delete_configuration", remembering)
    wrap(store, "certificate_holder_in", still_taken)

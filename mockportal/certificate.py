"""Certificate checks (CERT-1..7) and display (CONFIRM-2, CONFIRM-3), apart from HTTP handling.

The bytes of an upload go through ``Certificates.check``; only the DER of a certificate that
passed every check leaves it. Nothing here logs or keeps what it refuses: a private key or a
PKCS#12 file (CERT-3) is recognised and dropped without its bytes going anywhere.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

BRUSSELS = ZoneInfo("Europe/Brussels")
MAX_BYTES = 65536  # CERT-2: 64 KiB
MIN_RSA_BITS = 2048  # CERT-5
WEAK_HASHES = (hashes.MD5, hashes.SHA1)  # CERT-5

# CONFIRM-2: RFC 4514 names exactly these types; every other one is written as its dotted OID.
RFC4514_NAMES = {
    NameOID.COMMON_NAME: "CN",
    NameOID.LOCALITY_NAME: "L",
    NameOID.STATE_OR_PROVINCE_NAME: "ST",
    NameOID.ORGANIZATION_NAME: "O",
    NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
    NameOID.COUNTRY_NAME: "C",
    NameOID.STREET_ADDRESS: "STREET",
    NameOID.DOMAIN_COMPONENT: "DC",
    NameOID.USER_ID: "UID",
}

_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 #]+)-----")
_PEM_WHOLE_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 #]+)-----.*?-----END \1-----", re.S)
_PRIVATE_KEY_MARKERS = (re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"), re.compile(rb"PuTTY-User-Key-File-"))
_CERTIFICATE_LABELS = (b"CERTIFICATE", b"X509 CERTIFICATE")
# CERT-2: every PEM label that holds certificates; one of them beside the certificate makes
# "several certificates" (OpenSSL's names: an X509_AUX certificate, a cross-certificate pair,
# PKCS#7 and CMS bundles).
_HOLDS_CERTIFICATES = (
    *_CERTIFICATE_LABELS,
    b"TRUSTED CERTIFICATE",
    b"CERTIFICATE PAIR",
    b"PKCS7",
    b"PKCS #7 SIGNED DATA",
    b"CMS",
)
# Where a DER certificate (or PKCS#7 bundle) may start beside the PEM blocks: a SEQUENCE with a
# long-form length, as every certificate has (binary bytes: text around a block never holds them).
_DER_START = re.compile(rb"\x30[\x81-\x84]")
_BASE64_TEXT = re.compile(rb"[A-Za-z0-9+/=\s]+")
_OID_PKCS7_DATA = bytes.fromhex("06092a864886f70d010701")
_OID_PKCS7_SIGNED = bytes.fromhex("06092a864886f70d010702")


@dataclass(frozen=True)
class CertificateView:
    """The values CONFIRM-2 and RESULT-3 show for a certificate."""

    owner: str
    company: str
    issuer: str
    expiry: str
    serial_decimal: str
    serial_hex: str


@dataclass(frozen=True)
class CheckResult:
    """Either ``der`` (it passed) or ``error`` (a message key of ``messages.py``)."""

    der: bytes | None = None
    error: str | None = None


# -- tiny DER helpers (only to split and recognise, never to interpret a certificate) ---------
def _der_elements(data: bytes) -> list[bytes] | None:
    """The top-level DER elements of ``data``, or None if it is not a clean DER sequence."""
    elements, pos = [], 0
    while pos < len(data):
        if len(data) - pos < 2:
            return None
        length, header = data[pos + 1], 2
        if length & 0x80:
            count = length & 0x7F
            if count == 0 or count > 4 or pos + 2 + count > len(data):
                return None
            length, header = int.from_bytes(data[pos + 2 : pos + 2 + count], "big"), 2 + count
        end = pos + header + length
        if end > len(data):
            return None
        elements.append(data[pos:end])
        pos = end
    return elements


def _looks_like_pkcs12(data: bytes) -> bool:
    """A PFX: SEQUENCE { INTEGER 3, ContentInfo (pkcs7 data or signedData) ... }, in DER or in
    BER with indefinite lengths (OpenSSL and Java read both; an indefinite length ends with an
    end-of-contents, two zero bytes)."""
    if data[:1] != b"\x30":
        return False
    if data[1:2] == b"\x80":
        if not data.endswith(b"\x00\x00"):
            return False
    elif len(_der_elements(data) or ()) != 1:
        return False
    inner = data[2 + (data[1] & 0x7F if data[1] & 0x80 else 0) :]
    head = inner[:32]
    return head.startswith(b"\x02\x01\x03\x30") and (_OID_PKCS7_DATA in head or _OID_PKCS7_SIGNED in head)


def is_pkcs12(data: bytes) -> bool:
    """CERT-3: a PKCS#12/PFX container, as is or as bare Base64."""
    return any(candidate and _looks_like_pkcs12(candidate) for candidate in (data, _unarmoured_base64(data)))


def _unarmoured_base64(data: bytes) -> bytes | None:
    """Bytes of a file that is bare Base64 (no PEM lines), else None."""
    if not _BASE64_TEXT.fullmatch(data):
        return None
    try:
        return base64.b64decode(b"".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        return None


# -- CERT-1..7 ----------------------------------------------------------------------------------
def cert_2_file(data: bytes) -> str | None:
    """CERT-2: an empty file or one over 64 KiB is refused."""
    if not data:
        return "cert_empty"
    if len(data) > MAX_BYTES:
        return "cert_too_large"
    return None


def cert_3_private_key(data: bytes) -> str | None:
    """CERT-3: a private key (PEM ``... PRIVATE KEY`` block of any kind, a DER key, a PuTTY
    key) or a PKCS#12/PFX container is refused with the never-upload-a-private-key message."""
    if any(marker.search(data) for marker in _PRIVATE_KEY_MARKERS) or is_pkcs12(data):
        return "cert_private_key"
    for candidate in (data, _unarmoured_base64(data)):
        if not candidate or candidate[:1] != b"\x30":
            continue
        try:
            serialization.load_der_private_key(candidate, password=None)
            return "cert_private_key"
        except TypeError:  # an encrypted key: it needs a password, so it is a key
            return "cert_private_key"
        except Exception:  # noqa: BLE001 - anything unreadable as a key is simply not one
            pass
    return None


def cert_1_load(data: bytes) -> tuple[x509.Certificate | None, str | None]:
    """CERT-1: exactly one X.509 certificate, DER or PEM, whatever the file's name.

    Returns the certificate, or the CERT-2 message key: several certificates, or not one.
    """
    labels = [m.group(1) for m in _PEM_BLOCK.finditer(data)]
    if labels:
        count = sum(label in _CERTIFICATE_LABELS for label in labels)
        if count == 0:
            return None, _pkcs7_verdict(data, pem=True)
        if sum(label in _HOLDS_CERTIFICATES for label in labels) > 1 or _der_beside_pem(data):
            return None, "cert_several"
        try:
            return x509.load_pem_x509_certificate(data), None
        except Exception:  # noqa: BLE001 - unreadable PEM is "not a certificate"
            return None, "cert_not_certificate"
    for candidate in (data, _unarmoured_base64(data)):
        if not candidate:
            continue
        elements = _der_elements(candidate)
        if elements and len(elements) > 1:
            return None, (
                "cert_several" if sum(_is_der_certificate(e) for e in elements) > 1 else "cert_not_certificate"
            )
        if elements and _is_der_certificate(candidate):
            return x509.load_der_x509_certificate(candidate), None
        verdict = _pkcs7_verdict(candidate, pem=False)
        if verdict == "cert_several":
            return None, verdict
    return None, "cert_not_certificate"


def _der_beside_pem(data: bytes) -> bool:
    """CERT-2: a DER certificate, or a DER PKCS#7 bundle of some, in the bytes around the PEM
    blocks (a PEM reader looks at the first block and never sees it)."""
    outside = _PEM_WHOLE_BLOCK.sub(b"\n", data)
    for start in _DER_START.finditer(outside):
        element = _first_der_element(outside[start.start() :])
        if element and (_is_der_certificate(element) or _pkcs7_count(element, pem=False) > 0):
            return True
    return False


def _first_der_element(data: bytes) -> bytes | None:
    """The DER element at the start of ``data`` (long-form length), whatever follows it."""
    count = data[1] & 0x7F
    end = 2 + count + int.from_bytes(data[2 : 2 + count], "big")
    return data[:end] if len(data) >= end else None


def _is_der_certificate(data: bytes) -> bool:
    try:
        x509.load_der_x509_certificate(data)
        return True
    except Exception:  # noqa: BLE001
        return False


def _pkcs7_verdict(data: bytes, *, pem: bool) -> str:
    """A PKCS#7 bundle is not a certificate file; with several certificates, say so."""
    return "cert_several" if _pkcs7_count(data, pem=pem) > 1 else "cert_not_certificate"


def _pkcs7_count(data: bytes, *, pem: bool) -> int:
    """How many certificates a PKCS#7 bundle holds (0 when ``data`` is not one)."""
    try:
        loader = pkcs7.load_pem_pkcs7_certificates if pem else pkcs7.load_der_pkcs7_certificates
        return len(loader(data))
    except Exception:  # noqa: BLE001
        return 0


def cert_2_readable(certificate: x509.Certificate) -> str | None:
    """CERT-2 [mock]: a certificate is a file the portal can read whole: names whose strings
    decode, a serial number that is not negative (RFC 5280 §4.1.2.2 wants it positive, but
    real roots with serial 0 exist and 0 has a display; a negative one has none)."""
    try:
        certificate.subject, certificate.issuer  # noqa: B018 - decoding the names is the check
        serial = certificate.serial_number
    except Exception:  # noqa: BLE001 - a badly encoded name: not a readable certificate
        return "cert_not_certificate"
    return "cert_serial" if serial < 0 else None


def cert_4_validity(certificate: x509.Certificate, now: datetime.datetime | None = None) -> str | None:
    """CERT-4: refused when expired (notAfter past) or not yet valid (notBefore future); dates
    that no calendar holds (year 0) cannot be checked and are refused as well."""
    now = now or datetime.datetime.now(datetime.UTC)
    try:
        certificate.not_valid_after_utc, certificate.not_valid_before_utc  # noqa: B018
    except ValueError:
        return "cert_dates_unreadable"
    if certificate.not_valid_after_utc < now:
        return "cert_expired"
    if certificate.not_valid_before_utc > now:
        return "cert_not_yet_valid"
    return None


def cert_5_strength(certificate: x509.Certificate) -> str | None:
    """CERT-5: an RSA key of at least 2048 bits, a signature not made with MD5 or SHA-1."""
    try:
        key = certificate.public_key()
    except Exception:  # noqa: BLE001 - GOST and other keys cryptography cannot even load: not RSA
        return "cert_key_type"
    if not isinstance(key, rsa.RSAPublicKey):
        return "cert_key_type"
    if key.key_size < MIN_RSA_BITS:
        return "cert_key_size"
    try:
        algorithm = certificate.signature_hash_algorithm
    except Exception:  # noqa: BLE001 - MD2, MD4 and other unknown hashes: not acceptable either
        return "cert_weak_signature"
    if isinstance(algorithm, WEAK_HASHES):
        return "cert_weak_signature"
    return None


def cert_6_issuer(certificate: x509.Certificate, trusted: Sequence[x509.Certificate], company: str) -> str | None:
    """CERT-6: issued by a trusted CA (issuer name matches and its signature verifies), or
    self-signed with subject O equal to the employer's name, ignoring case and outer spaces,
    in Unicode NFC (a name typed on a Mac often comes decomposed: "e" and a combining accent)."""
    for authority in trusted:
        if certificate.issuer == authority.subject and _signed_by(certificate, authority):
            return None
    if certificate.issuer == certificate.subject and _signed_by(certificate, certificate):
        organisation = _comparable(confirm_2_company(certificate))
        if organisation and organisation == _comparable(company):
            return None
    return "cert_untrusted"


def _comparable(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def _signed_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(issuer)
        return True
    except Exception:  # noqa: BLE001 - wrong name, bad signature or unsupported key: not issued by it
        return False


def cert_7_not_in_use(holder_employer_id: int | None, employer_id: int) -> str | None:
    """CERT-7: refused when the same certificate is registered for another, still configured,
    sender (another employer); the employer's own channels may share it."""
    return "cert_in_use" if holder_employer_id is not None and holder_employer_id != employer_id else None


# -- CONFIRM-2: what is shown ------------------------------------------------------------------
def _text(attribute: x509.NameAttribute) -> str:
    """An attribute's string. cryptography reads a TeletexString's octets as UTF-8; OpenSSL,
    Java and everybody in practice read them as Latin-1, and so does the mock."""
    value = attribute.value
    assert isinstance(value, str)
    if getattr(attribute, "_type", None) is _ASN1Type.T61String:
        return value.encode("utf-8").decode("latin-1")
    return value


def _first(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    for attribute in name.get_attributes_for_oid(oid):
        return _text(attribute) if isinstance(attribute.value, str) else ""
    return ""


def confirm_2_owner(certificate: x509.Certificate) -> str:
    """CONFIRM-2: Propriétaire du certificat is the subject's CN."""
    return _first(certificate.subject, NameOID.COMMON_NAME)


def confirm_2_company(certificate: x509.Certificate) -> str:
    """CONFIRM-2: Nom de l'entreprise is the subject's O."""
    return _first(certificate.subject, NameOID.ORGANIZATION_NAME)


def rfc4514_escape(value: str) -> str:
    """RFC 4514 §2.4: escape ``" + , ; < > \\``, a leading space or ``#``, a trailing space, NUL."""
    out = []
    last = len(value) - 1
    for i, char in enumerate(value):
        if char in '"+,;<>\\' or (i == 0 and char in " #") or (i == last and char == " "):
            out.append("\\" + char)
        elif char == "\0":
            out.append("\\00")
        else:
            out.append(char)
    return "".join(out)


def confirm_2_issuer(certificate: x509.Certificate) -> str:
    """CONFIRM-2: the issuer's DN as RFC 4514 writes it: RDNs in reverse of the encoded order,
    ``, `` between them, ``+`` inside a multi-valued RDN, known types by name, others by OID."""
    rdns = []
    for rdn in reversed(certificate.issuer.rdns):
        parts = []
        for attribute in rdn:
            name = RFC4514_NAMES.get(attribute.oid, attribute.oid.dotted_string)
            value = attribute.value
            text = rfc4514_escape(_text(attribute)) if isinstance(value, str) else "#" + bytes(value).hex().upper()
            parts.append(f"{name}={text}")
        rdns.append("+".join(parts))
    return ", ".join(rdns)


def confirm_2_expiry(certificate: x509.Certificate) -> str:
    """CONFIRM-2: the day of notAfter in Europe/Brussels, ``dd/mm/yyyy``. RFC 5280's "no
    expiry" value, 9999-12-31 23:59:59 UTC, is already 1 January 10000 in Brussels (ahead of
    UTC all year): a day Python's dates cannot hold."""
    try:
        return certificate.not_valid_after_utc.astimezone(BRUSSELS).strftime("%d/%m/%Y")
    except OverflowError:
        return "01/01/10000"


def confirm_2_serial_decimal(certificate: x509.Certificate) -> str:
    """CONFIRM-2: the serial number in decimal."""
    return str(certificate.serial_number)


def confirm_2_serial_hex(certificate: x509.Certificate) -> str:
    """CONFIRM-2: upper-case hex of the serial's value, left-padded to whole bytes (499 → 01F3)."""
    serial = certificate.serial_number
    sign, serial = ("-", -serial) if serial < 0 else ("", serial)
    width = max(1, (serial.bit_length() + 7) // 8) * 2
    return f"{sign}{serial:0{width}X}"


# CONFIRM-3: control characters, and characters that are invisible or reorder the text around them.
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def confirm_3_visible(value: str) -> str:
    """CONFIRM-3: a shown certificate value with each unseen character written as the RFC 4514
    hex escapes of its UTF-8 bytes (U+202E → ``\\E2\\80\\AE``): a person reads what the
    certificate holds, not a name a right-to-left override turned around."""
    return _UNSEEN.sub(lambda found: "".join(f"\\{byte:02X}" for byte in found.group().encode()), value)


def sha256_hex(der: bytes) -> str:
    """CERT-7 compares certificates by the SHA-256 of their DER."""
    return hashlib.sha256(der).hexdigest()


# -- the per-portal namespace ---------------------------------------------------------------------
CERTIFICATE_FUNCTIONS: dict[str, Callable] = {
    name: value for name, value in globals().items() if callable(value) and re.match(r"(cert|confirm)_\d", name)
}


class Certificates:
    """Certificate parsing, checks and display of one portal instance.

    ``check`` and ``view`` call every rule through ``self`` so that a named defect can replace
    one of them on one instance. ``trusted`` is the CA list of ``--trust`` (CERT-6).
    """

    def __init__(self, trusted: Iterable[x509.Certificate] = ()) -> None:
        self.trusted: list[x509.Certificate] = list(trusted)
        # Spelled out rather than set in a loop over CERTIFICATE_FUNCTIONS, so that each keeps its
        # type (a unit test checks that every function of CERTIFICATE_FUNCTIONS is here).
        self.cert_2_file = cert_2_file
        self.cert_3_private_key = cert_3_private_key
        self.cert_1_load = cert_1_load
        self.cert_2_readable = cert_2_readable
        self.cert_4_validity = cert_4_validity
        self.cert_5_strength = cert_5_strength
        self.cert_6_issuer = cert_6_issuer
        self.cert_7_not_in_use = cert_7_not_in_use
        self.confirm_2_owner = confirm_2_owner
        self.confirm_2_company = confirm_2_company
        self.confirm_2_issuer = confirm_2_issuer
        self.confirm_2_expiry = confirm_2_expiry
        self.confirm_2_serial_decimal = confirm_2_serial_decimal
        self.confirm_2_serial_hex = confirm_2_serial_hex
        self.confirm_3_visible = confirm_3_visible

    def check(
        self,
        data: bytes,
        *,
        company: str,
        employer_id: int,
        holder: Callable[[str], int | None] = lambda sha256: None,
        now: datetime.datetime | None = None,
    ) -> CheckResult:
        """CERT-1..7 in order; the first refusal wins. ``holder`` tells which employer has a
        certificate (by SHA-256) configured, for CERT-7."""
        # CERT-2: the size first, so that no content of an oversized file is ever read
        error = self.cert_2_file(data) or self.cert_3_private_key(data)
        if error:
            return CheckResult(error=error)
        certificate, error = self.cert_1_load(data)
        if certificate is None:
            return CheckResult(error=error or "cert_not_certificate")
        der = certificate.public_bytes(serialization.Encoding.DER)
        error = (
            self.cert_2_readable(certificate)
            or self.cert_4_validity(certificate, now)
            or self.cert_5_strength(certificate)
            or self.cert_6_issuer(certificate, self.trusted, company)
            or self.cert_7_not_in_use(holder(sha256_hex(der)), employer_id)
        )
        if error:
            return CheckResult(error=error)
        try:
            self.view(der)  # what the confirmation will show must be readable too
        except Exception:  # noqa: BLE001 - a certificate that cannot be shown is not one we can take
            return CheckResult(error="cert_not_certificate")
        return CheckResult(der=der)

    def load(self, der: bytes) -> x509.Certificate:
        return x509.load_der_x509_certificate(der)

    def view(self, der: bytes) -> CertificateView:
        """CONFIRM-2 / RESULT-3: the values shown for a stored or drafted certificate, the
        names as CONFIRM-3 writes them (wherever they are shown, this is where they come from)."""
        certificate = self.load(der)
        return CertificateView(
            owner=self.confirm_3_visible(self.confirm_2_owner(certificate)),
            company=self.confirm_3_visible(self.confirm_2_company(certificate)),
            issuer=self.confirm_3_visible(self.confirm_2_issuer(certificate)),
            expiry=self.confirm_2_expiry(certificate),
            serial_decimal=self.confirm_2_serial_decimal(certificate),
            serial_hex=self.confirm_2_serial_hex(certificate),
        )


def load_trusted(paths: Iterable[str]) -> list[x509.Certificate]:
    """The CA certificates of ``--trust`` files (PEM, possibly several per file, or DER)."""
    authorities: list[x509.Certificate] = []
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        if b"-----BEGIN" in data:
            authorities.extend(x509.load_pem_x509_certificates(data))
        else:
            authorities.append(x509.load_der_x509_certificate(data))
    return authorities

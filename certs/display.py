"""What the portal must show for a certificate (CONFIRM-2, CONFIRM-3), computed independently.

The expected values are worked out here from the certificate's DER, with our own small DER
reader and RFC 4514 formatter, so that a portal (or a mock) that uses ``Name.rfc4514_string()``
or a hand-written formatter is checked against a second implementation, not against itself.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from certs.keys import key_summary

BRUSSELS = ZoneInfo("Europe/Brussels")

# RFC 4514 §3: the only short names a portal may use; every other type is written by its OID.
ATTRIBUTE_NAMES = {
    "2.5.4.3": "CN",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.6": "C",
    "2.5.4.9": "STREET",
    "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID",
}
OID_COMMON_NAME = "2.5.4.3"
OID_ORGANIZATION = "2.5.4.10"

# DER string types and how their octets become text.
_STRING_CODECS = {
    0x0C: "utf-8",  # UTF8String
    0x12: "ascii",  # NumericString
    0x13: "ascii",  # PrintableString
    0x14: "latin-1",  # TeletexString (T61): Latin-1 is what everybody does in practice
    0x16: "ascii",  # IA5String
    0x1A: "ascii",  # VisibleString
    0x1C: "utf-32-be",  # UniversalString
    0x1E: "utf-16-be",  # BMPString
}

# CONFIRM-3: the code points a certificate's names may not put on the screen as they are:
# controls, and characters that are invisible or change the order the text around them is read in.
UNSEEN_RANGES = (
    (0x0000, 0x001F),
    (0x007F, 0x009F),
    (0x200B, 0x200F),  # zero-width space, joiners, left-to-right and right-to-left marks
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x2069),  # bidi isolates
    (0xFEFF, 0xFEFF),  # zero-width no-break space
)

# Which words of contract/words.py label which value.
WORD_KEYS = {
    "owner": "cert_owner",
    "company": "cert_company",
    "issuer": "cert_issuer",
    "expiry": "cert_expiry",
    "serial_decimal": "serial_decimal",
    "serial_hex": "serial_hex",
}


class CertificateFileError(ValueError):
    """The bytes are not exactly one readable X.509 certificate (the message says why).

    ``rule`` is the contract's rule that refuses such a file: CERT-3 for a private key or a
    PKCS#12 container, CERT-2 for anything else.
    """

    def __init__(self, message: str, rule: Literal["CERT-2", "CERT-3"] = "CERT-2") -> None:
        super().__init__(message)
        self.rule = rule


# --- a tiny DER reader: just enough for a Name -------------------------------------------


def _read_tlv(data: bytes, pos: int) -> tuple[int, bytes, int, int]:
    """(tag, content, start, end) of the DER element at ``pos``."""
    start = pos
    tag = data[pos]
    pos += 1
    length = data[pos]
    pos += 1
    if length & 0x80:  # long form: the low bits say how many length octets follow
        count = length & 0x7F
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    end = pos + length
    if end > len(data):
        raise ValueError("truncated DER element")
    return tag, data[pos:end], start, end


def _children(content: bytes) -> list[tuple[int, bytes, bytes]]:
    """The (tag, content, whole encoding) of each element inside a constructed value."""
    out = []
    pos = 0
    while pos < len(content):
        tag, inner, start, end = _read_tlv(content, pos)
        out.append((tag, inner, content[start:end]))
        pos = end
    return out


def _oid(content: bytes) -> str:
    """Dotted form of an OBJECT IDENTIFIER's content octets."""
    arcs: list[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(a) for a in [first, arcs[0] - 40 * first, *arcs[1:]])


@dataclass(frozen=True)
class Attribute:
    """One AttributeTypeAndValue as encoded: its OID, DER tag, text (None if not a string), DER."""

    oid: str
    tag: int
    text: str | None
    der: bytes


def name_rdns(name: x509.Name | bytes) -> list[list[Attribute]]:
    """The RDNs of a Name in encoded order, each a list of its attributes."""
    der = name.public_bytes() if isinstance(name, x509.Name) else name
    tag, content, _, _ = _read_tlv(der, 0)
    if tag != 0x30:
        raise ValueError("a Name is a SEQUENCE")
    rdns = []
    for set_tag, set_content, _ in _children(content):
        if set_tag != 0x31:
            raise ValueError("an RDN is a SET")
        rdn = []
        for _, atv, _ in _children(set_content):
            (oid_tag, oid_content, _), (value_tag, value_content, value_der) = _children(atv)[:2]
            codec = _STRING_CODECS.get(value_tag)
            text = value_content.decode(codec, errors="replace") if codec else None
            rdn.append(Attribute(_oid(oid_content), value_tag, text, value_der))
        rdns.append(rdn)
    return rdns


# --- RFC 4514 ----------------------------------------------------------------------------

_ALWAYS_ESCAPED = frozenset('\\"+,;<>')


def escape_value(value: str) -> str:
    """Escape an attribute value as RFC 4514 §2.4 requires.

    Always ``" + , ; < > \\``; a leading space or ``#``; a trailing space; NUL as ``\\00``.
    Other characters (non-ASCII included) stay as they are, as RFC 4514 allows.
    """
    out = []
    last = len(value) - 1
    for i, char in enumerate(value):
        if char in _ALWAYS_ESCAPED or (i == 0 and char in " #") or (i == last and char == " "):
            out.append("\\" + char)
        elif char == "\0":
            out.append("\\00")
        else:
            out.append(char)
    return "".join(out)


def rfc4514(name: x509.Name | bytes, *, dotted: str = "string", separator: str = ", ") -> str:
    """A distinguished name as RFC 4514 writes it: RDNs in reverse of the encoded order.

    Known types (RFC 4514 §3) by their short name, any other by its dotted OID. ``dotted``
    says how values of dotted-OID types are written: ``"string"`` (escaped text, what
    OpenSSL-style tools and cryptography's ``rfc4514_string`` print) or ``"hex"`` (``#`` and
    the hex of the value's DER, what RFC 4514 §2.4 prescribes and Java's X500Principal prints).
    The contract (CONFIRM-2) puts ``", "`` between RDNs; RFC 4514 itself writes ``","``.
    """
    if dotted not in ("string", "hex"):
        raise ValueError("dotted must be 'string' or 'hex'")
    parts = []
    for rdn in reversed(name_rdns(name)):
        written = []
        for attr in rdn:
            short = ATTRIBUTE_NAMES.get(attr.oid)
            if attr.text is None or (short is None and dotted == "hex"):
                value = "#" + attr.der.hex().upper()
            else:
                value = escape_value(attr.text)
            written.append(f"{short or attr.oid}={value}")
        parts.append("+".join(written))
    return separator.join(parts)


def rdn_sets(line: str, separator: str = ", ") -> list[tuple[str, ...]]:
    """An RFC 4514 line read back as its RDNs, in order, each its attributes sorted: RFC 4514
    §2.2 writes the attributes of a multi-valued RDN in any order, so two lines that differ
    only there name the same issuer. An escaped character (``\\,``, ``\\+``) never splits."""
    rdns: list[tuple[str, ...]] = []
    attributes: list[str] = []
    current: list[str] = []
    i = 0
    while i <= len(line):
        if i < len(line) and line[i] == "\\":
            current.append(line[i : i + 2])
            i = min(i + 2, len(line))
        elif i < len(line) and line[i] == "+":
            attributes.append("".join(current))
            current = []
            i += 1
        elif i == len(line) or line.startswith(separator, i):
            attributes.append("".join(current))
            rdns.append(tuple(sorted(attributes)))
            attributes, current = [], []
            i += len(separator)
        else:
            current.append(line[i])
            i += 1
    return rdns


def visible(value: str) -> str:
    """A name as CONFIRM-3 shows it: each character of ``UNSEEN_RANGES`` written as RFC 4514
    hex escapes of its UTF-8 octets (U+202E → ``\\E2\\80\\AE``), every other one as it is."""
    out: list[str] = []
    for char in value:
        if any(low <= ord(char) <= high for low, high in UNSEEN_RANGES):
            out.extend(f"\\{octet:02X}" for octet in char.encode("utf-8"))
        else:
            out.append(char)
    return "".join(out)


# --- the other values --------------------------------------------------------------------


def brussels_day(when: dt.datetime) -> str:
    """The calendar day of ``when`` in Europe/Brussels as ``dd/mm/yyyy`` (naive means UTC).

    RFC 5280's "no well-defined expiration date", 9999-12-31 23:59:59 UTC, is already
    1 January 10000 in Brussels (always ahead of UTC), past the last day ``datetime`` holds.
    """
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    try:
        return when.astimezone(BRUSSELS).strftime("%d/%m/%Y")
    except OverflowError:
        return "01/01/10000"


def serial_decimal(serial: int) -> str:
    """The serial number in decimal."""
    return str(serial)


def serial_hex(serial: int) -> str:
    """Upper-case hex of the serial's value, left-padded with 0 to whole bytes: 499 → 01F3."""
    if serial < 0:
        raise ValueError("a negative serial number has no defined display")
    width = max(1, (serial.bit_length() + 7) // 8) * 2
    return f"{serial:0{width}X}"


def first_text(name: x509.Name | bytes, oid: str) -> str:
    """The first value of type ``oid`` in encoded order, or "" when there is none."""
    for rdn in name_rdns(name):
        for attr in rdn:
            if attr.oid == oid and attr.text is not None:
                return attr.text
    return ""


@dataclass(frozen=True)
class DisplayValues:
    """The certificate values of the confirmation screen (CONFIRM-2) and the overview."""

    owner: str
    company: str
    issuer: str
    expiry: str
    serial_decimal: str
    serial_hex: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def by_word_key(self) -> dict[str, str]:
        """The values keyed by their label's key in ``contract.words`` (``cert_owner``, …)."""
        return {WORD_KEYS[field]: value for field, value in asdict(self).items()}

    def labelled(self, language: str = "fr") -> list[tuple[str, str]]:
        """(label, value) pairs in the screen's order, labels in ``language``."""
        from contract.words import Words, word_key

        words = Words(language)
        return [(words[word_key(key)], value) for key, value in self.by_word_key().items()]


def tbs_names(certificate: x509.Certificate) -> tuple[bytes, bytes]:
    """(issuer, subject) exactly as encoded in the certificate, read from its TBS part."""
    _, tbs, _, _ = _read_tlv(certificate.tbs_certificate_bytes, 0)
    fields = _children(tbs)
    if fields[0][0] == 0xA0:  # [0] version
        fields = fields[1:]
    # serialNumber, signature, issuer, validity, subject
    return fields[2][2], fields[4][2]


def display_values(certificate: x509.Certificate) -> DisplayValues:
    """What the portal must show for ``certificate``: the names as CONFIRM-3 writes them."""
    issuer, subject = tbs_names(certificate)
    return DisplayValues(
        owner=visible(first_text(subject, OID_COMMON_NAME)),
        company=visible(first_text(subject, OID_ORGANIZATION)),
        issuer=visible(rfc4514(issuer)),
        expiry=brussels_day(certificate.not_valid_after_utc),
        serial_decimal=serial_decimal(certificate.serial_number),
        serial_hex=serial_hex(certificate.serial_number),
    )


# --- reading a certificate file ----------------------------------------------------------

_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 #]+)-----")
_PEM_SPAN = re.compile(rb"-----BEGIN ([A-Z0-9 #]+)-----.*?-----END \1-----", re.S)
# CERT-1: the labels of one certificate. CERT-2: every label that holds certificates (OpenSSL's
# PEM names, PKCS#7 and CMS bundles included); two such blocks are several certificates.
CERTIFICATE_LABELS = ("CERTIFICATE", "X509 CERTIFICATE")
LABELS_HOLDING_CERTIFICATES = (
    *CERTIFICATE_LABELS,
    "TRUSTED CERTIFICATE",
    "CERTIFICATE PAIR",
    "PKCS7",
    "PKCS #7 SIGNED DATA",
    "CMS",
)


def load_certificate(data: bytes) -> x509.Certificate:
    """Exactly one certificate from DER or PEM bytes, else CertificateFileError saying why."""
    if not data:
        raise CertificateFileError("the file is empty")
    labels = [m.group(1).decode() for m in _PEM_BLOCK.finditer(data)]
    if any("PRIVATE KEY" in label for label in labels):
        raise CertificateFileError("the file holds a private key, not (only) a certificate", "CERT-3")
    if labels:
        certificates = [label for label in labels if label in CERTIFICATE_LABELS]
        if len(certificates) > 1:
            raise CertificateFileError(f"the file holds {len(certificates)} certificates, not one")
        if not certificates:
            raise CertificateFileError(f"the file holds a PEM {labels[0]} block, not a certificate")
        bundles = [label for label in labels if label in LABELS_HOLDING_CERTIFICATES and label not in certificates]
        if bundles:
            raise CertificateFileError(
                f"the file holds a PEM {bundles[0]} block beside its certificate: several certificates, not one"
            )
        try:
            certificate = x509.load_pem_x509_certificate(data)
        except ValueError as error:
            raise CertificateFileError(f"the PEM certificate cannot be read ({error})") from None
        if _der_certificates_outside_pem(data):
            raise CertificateFileError(
                "the file holds a DER certificate beside its PEM one: several certificates, not one"
            )
        return certificate
    try:
        return x509.load_der_x509_certificate(data)
    except ValueError:
        pass
    if is_pkcs12(data) or is_pkcs12(_bare_base64(data)):  # say what it is rather than "not a certificate"
        raise CertificateFileError("the file is a PKCS#12 container, not a certificate", "CERT-3")
    if _is_der_private_key(data):
        raise CertificateFileError("the file holds a private key (DER), not a certificate", "CERT-3")
    raise CertificateFileError("the file is neither a DER nor a PEM certificate")


def _der_certificates_outside_pem(data: bytes) -> bool:
    """Whether the bytes before or after the PEM blocks hold a DER certificate, or a DER PKCS#7
    bundle of certificates: what a reader of the first PEM block alone never sees."""
    for part in _PEM_SPAN.split(data)[::2]:  # split() puts each block's label between the parts
        position = part.find(b"\x30")
        while position != -1:
            try:
                _, content, start, end = _read_tlv(part, position)
            except (IndexError, ValueError):
                content, start, end = b"", position, position
            if len(content) > 127 and _holds_certificates(part[start:end]):
                return True
            position = part.find(b"\x30", position + 1)
    return False


def _holds_certificates(der: bytes) -> bool:
    try:
        x509.load_der_x509_certificate(der)
        return True
    except ValueError:
        pass
    try:
        return bool(pkcs7.load_der_pkcs7_certificates(der))
    except (ValueError, UnsupportedAlgorithm):
        return False


def _is_der_private_key(data: bytes) -> bool:
    try:
        serialization.load_der_private_key(data, password=None)
    except TypeError:  # an encrypted key: a key all the same
        return True
    except (ValueError, UnsupportedAlgorithm):
        return False
    return True


def _bare_base64(data: bytes) -> bytes:
    """The bytes a file of Base64 text alone (no PEM lines) stands for; b"" for any other file."""
    text = b"".join(data.split())
    if not re.fullmatch(rb"[A-Za-z0-9+/]+={0,2}", text):
        return b""
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        return b""


def _header(data: bytes, pos: int) -> tuple[int, int | None, int]:
    """(tag, length, where the content starts) of the element at ``pos``: DER, or BER, whose
    constructed elements may have an indefinite length (None), closed by an end-of-contents."""
    tag, first = data[pos], data[pos + 1]
    if first == 0x80:
        return tag, None, pos + 2
    if first & 0x80:
        count = first & 0x7F
        return tag, int.from_bytes(data[pos + 2 : pos + 2 + count], "big"), pos + 2 + count
    return tag, first, pos + 2


def is_pkcs12(data: bytes) -> bool:
    """Whether ``data`` starts like a PFX (PKCS#12), DER or BER: SEQUENCE { INTEGER 3,
    ContentInfo { OID data or signedData, … }, … }."""
    try:
        pfx_tag, _, pos = _header(data, 0)
        version_tag, version_length, pos = _header(data, pos)
        version = data[pos : pos + (version_length or 0)]
        info_tag, _, pos = _header(data, pos + len(version))
        oid_tag, oid_length, pos = _header(data, pos)
        content_type = _oid(data[pos : pos + (oid_length or 0)])
    except IndexError:
        return False
    # ContentInfo of type data (1.2.840.113549.1.7.1) or signedData (…7.2)
    shape = (pfx_tag, version_tag, version, info_tag, oid_tag)
    return shape == (0x30, 0x02, b"\x03", 0x30, 0x06) and content_type in (
        "1.2.840.113549.1.7.1",
        "1.2.840.113549.1.7.2",
    )


def describe(source: str | Path | bytes | x509.Certificate) -> DisplayValues:
    """Display values for a certificate given as a path, its bytes, or a loaded certificate."""
    if isinstance(source, x509.Certificate):
        return display_values(source)
    if isinstance(source, (str, Path)):
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise CertificateFileError(f"cannot read {source}: {error.strerror or error}") from None
    else:
        data = bytes(source)
    return display_values(load_certificate(data))


def sha256_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER, lower-case hex (what CERT-7 compares)."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def iso_utc(when: dt.datetime) -> str:
    """``2031-06-30T22:30:00Z``."""
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def signature_algorithm(certificate: x509.Certificate) -> str:
    """The signature algorithm's name as OpenSSL prints it (``sha256WithRSAEncryption``), else its OID."""
    oid = certificate.signature_algorithm_oid
    name = oid._name  # cryptography's table of names; "Unknown OID" for others
    return oid.dotted_string if name == "Unknown OID" else name


def details(certificate: x509.Certificate) -> dict[str, str]:
    """What ``certs show`` adds to the screen's values: validity, key, signature, fingerprint."""
    return {
        "not_before": iso_utc(certificate.not_valid_before_utc),
        "not_after": iso_utc(certificate.not_valid_after_utc),
        "key": key_summary(certificate.public_key()),
        "signature_algorithm": signature_algorithm(certificate),
        "sha256": sha256_fingerprint(certificate),
    }

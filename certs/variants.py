"""The catalogue's variants: every certificate file the suite uploads, and what the contract expects.

Each variant declares its expected outcome by hand (``ACCEPT`` or ``refuse("CERT-x")``) and the
rules it is about; ``generate`` checks each declaration against ``certs.verdict.judge``.
A ``CertVariant`` is one certificate made from a recipe; a ``FileVariant`` is a file built from
the certificates already made (copies, bundles, keys, garbage).
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from cryptography import x509
from cryptography.x509.oid import NameOID

from certs.authority import DEFAULT_NOT_AFTER, DEFAULT_NOT_BEFORE, Authority, HashName, Issued, leaf_name, self_signed
from certs.display import BRUSSELS
from certs.encode import (
    ber_indefinite,
    der,
    key_encrypted_pkcs8,
    key_openssh,
    key_pkcs8,
    key_traditional,
    padded_pem,
    pem,
    pem_bundle,
    pkcs7_pem,
    pkcs12_bundle,
    trusted_pem,
)
from certs.keys import KeyType, PrivateKey
from certs.verdict import ACCEPT, MAX_BYTES, Outcome, refuse

PASSWORD = "fixture"  # for the encrypted key and the PKCS#12 (recorded in the manifest)
Issuer = Literal["fixture", "self", "untrusted", "impostor"]
CertEncoding = Literal["der", "pem", "pem-crlf", "pem-padded"]


@dataclass(frozen=True)
class Variant:
    """A catalogue entry's name, what the contract expects of its file, and the rules it is about."""

    name: str
    expected: Outcome
    rules: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class CertVariant(Variant):
    """A certificate file: which issuer, key, hash, dates and serial, and how it is written."""

    ext: str = ".cer"
    encoding: CertEncoding = "der"
    issuer: Issuer = "fixture"
    key: KeyType = KeyType.RSA_2048
    key_label: str = ""  # another key of the same type when not ""
    hash: HashName = "sha256"
    serial: int | None = None  # None: derived from the seed and the name
    high_bit_serial: bool = False
    not_before: dt.timedelta = DEFAULT_NOT_BEFORE
    not_after: dt.timedelta | Callable[[dt.datetime], dt.datetime] = DEFAULT_NOT_AFTER
    organization: str | Callable[[str], str] | None = None  # None: the company's name
    common_name: str | None = None  # None: "Fixture Client <name>", so each file names itself
    subject: Callable[[str, str | None], x509.Name] | None = None  # (company, enterprise no.)
    size: int | None = None  # for pem-padded: the exact file size
    # Dates counted from the moment the certificate is made (``Materials.now``), not from the
    # reference: a certificate that becomes valid soon must be issued when the test runs (fresh()).
    from_now: bool = False

    def make(self, b: Materials, *, serial: int | None = None, shift: dt.timedelta = dt.timedelta()) -> Issued:
        """The certificate (and its key) this recipe makes from ``b``; ``serial`` replaces the
        recipe's, ``shift`` moves notBefore earlier (fresh certificates that keep a fixed serial)."""
        if serial is None:
            serial = self.serial or b.serial(f"serial:{self.name}")
            if self.high_bit_serial:
                serial |= 1 << 127
        if self.subject:
            subject = self.subject(b.company, b.enterprise_number)
        else:
            organization = self.organization
            if organization is None:
                organization = b.company
            elif callable(organization):
                organization = organization(b.company)
            subject = leaf_name(
                self.common_name or f"Fixture Client {self.name}", organization, enterprise_number=b.enterprise_number
            )
        start = b.now if self.from_now else b.reference
        not_after = self.not_after(start) if callable(self.not_after) else start + self.not_after
        not_before = start + self.not_before - shift
        key = b.key_for(self)
        if self.issuer == "self":
            return self_signed(
                subject=subject, key=key, serial=serial, not_before=not_before, not_after=not_after, hash=self.hash
            )
        authority = {"fixture": b.fixture, "untrusted": b.untrusted, "impostor": b.impostor}[self.issuer]
        return authority.issue(
            subject=subject, key=key, serial=serial, not_before=not_before, not_after=not_after, hash=self.hash
        )

    def file_bytes(self, issued: Issued) -> bytes:
        """The file's content for ``issued``."""
        if self.encoding == "der":
            return issued.der
        if self.encoding == "pem":
            return issued.pem
        if self.encoding == "pem-crlf":
            return issued.pem.replace(b"\n", b"\r\n")
        return padded_pem(issued.certificate, self.size or MAX_BYTES)


@dataclass(frozen=True)
class FileVariant(Variant):
    """A file that is not (only) one certificate; ``build`` makes its bytes."""

    ext: str
    encoding: str  # what the file holds, as the manifest names it
    build: Callable[[Materials], bytes]
    same_certificate_as: str | None = None  # the file holds this other entry's certificate (CERT-7)
    password: str | None = None
    secret: bool = False  # holds a private key: written readable by its owner only


@dataclass
class Materials:
    """What the variants are built from, and what was built so far."""

    company: str
    enterprise_number: str | None
    reference: dt.datetime
    seed: int
    key_for: Callable[[CertVariant], PrivateKey]
    fixture: Authority
    untrusted: Authority
    impostor: Authority
    issued: dict[str, Issued] = field(default_factory=dict)
    # When the certificates are made: the start of the dates of ``from_now`` variants.
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))

    def rng(self, purpose: str) -> random.Random:
        # One stream per purpose, so adding a variant does not change the others' values.
        return random.Random(f"{self.seed}:{purpose}")

    def serial(self, purpose: str) -> int:
        return self.rng(purpose).randrange(1 << 120, 1 << 127)  # 16 bytes, top bit clear


def _first_day(reference: dt.datetime, summer: bool, at: Callable[[dt.date], dt.datetime]) -> dt.datetime:
    """``at(day)`` in UTC, for the first day from reference + 730 days on which Brussels is then
    on summer (UTC+2) or winter (UTC+1) time."""
    day = (reference + DEFAULT_NOT_AFTER).date()
    for offset in range(366):
        candidate = at(day + dt.timedelta(days=offset))
        if candidate.astimezone(BRUSSELS).utcoffset() == dt.timedelta(hours=2 if summer else 1):
            return candidate.astimezone(dt.UTC)
    raise AssertionError("Brussels has both summer and winter time within a year")


def _expiry_at_2230_utc(summer: bool) -> Callable[[dt.datetime], dt.datetime]:
    """notAfter at 22:30 UTC on the first summer (UTC+2) or winter (UTC+1) day from reference + 730 days.

    22:30 UTC is 00:30 the next day in Brussels in summer, 23:30 the same day in winter: together
    the two catch a portal that shows the UTC day and one that adds a fixed offset.
    """
    return lambda reference: _first_day(
        reference, summer, lambda day: dt.datetime.combine(day, dt.time(22, 30), dt.UTC)
    )


def _expiry_at_midnight_in_brussels(summer: bool) -> Callable[[dt.datetime], dt.datetime]:
    """notAfter at 00:00 in Brussels (22:00 UTC in summer, 23:00 UTC in winter): the expiry day is
    that day, which a portal taking midnight for the end of the day before shows one day early."""
    return lambda reference: _first_day(reference, summer, lambda day: dt.datetime.combine(day, dt.time(0), BRUSSELS))


def _escaping_subject(company: str, enterprise_number: str | None) -> x509.Name:
    # Every character RFC 4514 escapes, a leading '#', surrounding spaces, and a type written by
    # its dotted OID (emailAddress): the issuer line of CONFIRM-2 for a self-signed certificate.
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, company),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, " QA team "),
            x509.NameAttribute(NameOID.COMMON_NAME, '#1 "Fixture" <QA>; Dupont\\Jean + Co, Ltd'),
            *([x509.NameAttribute(NameOID.SERIAL_NUMBER, enterprise_number)] if enterprise_number else []),
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, "qa+fixture@example.test"),
        ]
    )


def _multi_valued_subject(company: str, enterprise_number: str | None) -> x509.Name:
    # CN and serialNumber in one RDN, as some qualified CAs name their holders: RFC 4514 joins
    # them with "+" (in any order), never with the ", " between RDNs.
    return x509.Name(
        [
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COUNTRY_NAME, "BE")]),
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.ORGANIZATION_NAME, company)]),
            x509.RelativeDistinguishedName(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, "Fixture Client multi-valued-rdn"),
                    x509.NameAttribute(NameOID.SERIAL_NUMBER, enterprise_number or "0000000097"),
                ]
            ),
        ]
    )


# CONFIRM-3: an owner whose right-to-left override (U+202E … U+202C) makes the "gnp.exe" it
# holds read "exe.png", then a zero-width space, a bidi isolate around a tab and a C1 control,
# and a zero-width no-break space: each must show as the hex escapes of its UTF-8 octets.
BIDI_OWNER = "Fixture Client bidi-owner \u202egnp.exe\u202c\u200b\u2066\t\u0085\u2069\ufeff"


def _nfd(company: str) -> str:
    return unicodedata.normalize("NFD", company)


def _several(b: Materials) -> bytes:
    return pem_bundle([b.issued["valid-der"].certificate, b.fixture.certificate])


def _leaf_pem(b: Materials) -> bytes:
    return pem(b.issued["valid-der"].certificate)


def _pkcs12_ber(b: Materials) -> bytes:
    leaf = b.issued["valid-der"]
    return ber_indefinite(
        pkcs12_bundle(leaf.certificate, leaf.key, [b.fixture.certificate], password=PASSWORD.encode())
    )


def _corrupt_pem(b: Materials) -> bytes:
    half = der(b.issued["valid-der"].certificate)[:300]  # valid base64, truncated DER
    body = "\n".join(textwrap.wrap(base64.b64encode(half).decode(), 64))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n".encode()


VARIANTS: tuple[CertVariant | FileVariant, ...] = (
    # accepted ------------------------------------------------------------------------------
    CertVariant(
        "valid-der",
        ACCEPT,
        ("CERT-1", "CERT-6", "CONFIRM-2"),
        "valid, from the fixture CA, DER .cer (what integrators upload)",
    ),
    CertVariant(
        "valid-pem",
        ACCEPT,
        ("CERT-1", "CERT-6", "CONFIRM-2"),
        "valid, from the fixture CA, PEM .pem (another certificate than valid-der, same key)",
        ext=".pem",
        encoding="pem",
    ),
    CertVariant(
        "valid-crt",
        ACCEPT,
        ("CERT-1",),
        "valid, from the fixture CA, PEM with the .crt extension (same key as valid-der)",
        ext=".crt",
        encoding="pem",
    ),
    CertVariant(
        "valid-second-key",
        ACCEPT,
        ("CERT-1", "OAUTH-2", "OAUTH-4"),
        "valid, from the fixture CA, with a second RSA-2048 key: another client's certificate",
        key_label="second",
    ),
    CertVariant(
        "self-signed-company",
        ACCEPT,
        ("CERT-6", "CONFIRM-2"),
        "valid, self-signed, O = the company's name",
        issuer="self",
    ),
    CertVariant(
        "self-signed-company-upper",
        ACCEPT,
        ("CERT-6",),
        "valid, self-signed, O = the company's name in upper case (CERT-6 ignores case)",
        issuer="self",
        organization=str.upper,
    ),
    CertVariant("serial-499", ACCEPT, ("CONFIRM-2",), "serial 499: hex 01F3 (left-padded to whole bytes)", serial=499),
    CertVariant("serial-128", ACCEPT, ("CONFIRM-2",), "serial 128: hex 80 (top bit set, no sign byte)", serial=128),
    CertVariant(
        "serial-high-bit",
        ACCEPT,
        ("CONFIRM-2",),
        "16-byte serial whose top bit is set: hex starts 8–F, no 00 sign byte",
        high_bit_serial=True,
    ),
    CertVariant(
        "expiry-brussels-summer",
        ACCEPT,
        ("CONFIRM-2",),
        "notAfter at 22:30 UTC on a summer day: 00:30 in Brussels, the expiry day is the next day",
        not_after=_expiry_at_2230_utc(summer=True),
    ),
    CertVariant(
        "expiry-brussels-winter",
        ACCEPT,
        ("CONFIRM-2",),
        "notAfter at 22:30 UTC on a winter day: 23:30 in Brussels, the expiry day is the same day",
        not_after=_expiry_at_2230_utc(summer=False),
    ),
    CertVariant(
        "expiry-midnight-summer",
        ACCEPT,
        ("CONFIRM-2",),
        "notAfter at 00:00 in Brussels on a summer day (22:00 UTC): the expiry day is that day, not the one before",
        not_after=_expiry_at_midnight_in_brussels(summer=True),
    ),
    CertVariant(
        "expiry-midnight-winter",
        ACCEPT,
        ("CONFIRM-2",),
        "notAfter at 00:00 in Brussels on a winter day (23:00 UTC): the expiry day is that day, not the one before",
        not_after=_expiry_at_midnight_in_brussels(summer=False),
    ),
    CertVariant(
        "escaped-issuer",
        ACCEPT,
        ("CERT-6", "CONFIRM-2"),
        "self-signed in the company's name; its DN needs RFC 4514 escaping and has emailAddress "
        "(written by dotted OID)",
        issuer="self",
        subject=_escaping_subject,
    ),
    CertVariant(
        "multi-valued-rdn",
        ACCEPT,
        ("CERT-6", "CONFIRM-2"),
        "self-signed in the company's name; CN and serialNumber share one RDN, so the issuer line "
        "joins them with '+' (RFC 4514 writes them in either order)",
        issuer="self",
        subject=_multi_valued_subject,
    ),
    CertVariant(
        "unicode-owner",
        ACCEPT,
        ("CERT-1", "CONFIRM-2"),
        "valid, from the fixture CA, non-ASCII owner (CN) shown as is",
        common_name="Zoë Ćwik-Lefèvre",
    ),
    CertVariant(
        "valid-pem-crlf",
        ACCEPT,
        ("CERT-1",),
        "valid, from the fixture CA, PEM with Windows line endings (CRLF) in a .cer, as Windows "
        "exports a Base64 certificate",
        encoding="pem-crlf",
    ),
    CertVariant(
        "self-signed-company-nfd",
        ACCEPT,
        ("CERT-6",),
        "valid, self-signed, O = the company's name in Unicode NFD (an accented letter as its base "
        "letter and a combining accent); CERT-6 compares in NFC. The same bytes as the company's "
        "name when it has no accent: fresh(company=) with an accented name tests it",
        issuer="self",
        organization=_nfd,
    ),
    CertVariant(
        "bidi-owner",
        ACCEPT,
        ("CONFIRM-3", "CONFIRM-2", "CERT-6"),
        "valid, self-signed in the company's name, an owner (CN, so the issuer too) holding a "
        "right-to-left override, invisible characters and controls: shown as RFC 4514 hex escapes",
        issuer="self",
        common_name=BIDI_OWNER,
    ),
    CertVariant(
        "padded-64kib",
        ACCEPT,
        ("CERT-1", "CERT-2"),
        "PEM with text before the block, exactly 65536 bytes: at the limit, not over it",
        ext=".pem",
        encoding="pem-padded",
        size=MAX_BYTES,
    ),
    FileVariant(
        "valid-der-copy",
        ACCEPT,
        ("CERT-7",),
        "a second copy of valid-der's file: accepted alone, refused (CERT-7) when valid-der is "
        "registered for another sender",
        ".cer",
        "der",
        lambda b: der(b.issued["valid-der"].certificate),
        same_certificate_as="valid-der",
    ),
    FileVariant(
        "valid-der-as-pem",
        ACCEPT,
        ("CERT-1", "CERT-7"),
        "valid-der's certificate written as PEM: the same certificate in another encoding (CERT-7 "
        "compares certificates, not files)",
        ".pem",
        "pem",
        lambda b: pem(b.issued["valid-der"].certificate),
        same_certificate_as="valid-der",
    ),
    # refused: issuer (CERT-6) ----------------------------------------------------------------
    CertVariant(
        "self-signed-other-name",
        refuse("CERT-6"),
        ("CERT-6",),
        "self-signed in another company's name",
        issuer="self",
        organization="Other Company SA",
    ),
    CertVariant(
        "untrusted-issuer",
        refuse("CERT-6"),
        ("CERT-6",),
        "issued by a CA the portal does not trust",
        issuer="untrusted",
    ),
    CertVariant(
        "impostor-issuer",
        refuse("CERT-6"),
        ("CERT-6",),
        "issuer DN equal to the fixture CA's, signed by another key (names alone prove nothing)",
        issuer="impostor",
    ),
    # refused: dates (CERT-4) -----------------------------------------------------------------
    CertVariant(
        "expired",
        refuse("CERT-4"),
        ("CERT-4",),
        "expired: notAfter one day before the reference (at least 24 h ago)",
        not_before=dt.timedelta(days=-395),
        not_after=dt.timedelta(days=-1),
    ),
    CertVariant(
        "not-yet-valid",
        refuse("CERT-4"),
        ("CERT-4",),
        "not yet valid: notBefore two days after the reference (at least 24 h ahead)",
        not_before=dt.timedelta(days=2),
        not_after=dt.timedelta(days=732),
    ),
    CertVariant(
        "not-yet-valid-soon",
        refuse("CERT-4"),
        ("CERT-4",),
        "not yet valid: notBefore 30 minutes after the certificate is made (less than an hour "
        "ahead, a local-time mistake away): issue it when the test runs (fresh)",
        not_before=dt.timedelta(minutes=30),
        not_after=dt.timedelta(days=730),
        from_now=True,
    ),
    # refused: key and signature (CERT-5) -----------------------------------------------------
    CertVariant("rsa-1024", refuse("CERT-5"), ("CERT-5",), "RSA key of 1024 bits", key=KeyType.RSA_1024),
    CertVariant(
        "rsa-2047",
        refuse("CERT-5"),
        ("CERT-5",),
        "RSA key of 2047 bits: one short of the minimum",
        key=KeyType.RSA_2047,
    ),
    CertVariant(
        "ec-p256", refuse("CERT-5"), ("CERT-5",), "EC P-256 key (tokens are signed RS256)", key=KeyType.EC_P256
    ),
    CertVariant("ed25519", refuse("CERT-5"), ("CERT-5",), "Ed25519 key", key=KeyType.ED25519),
    CertVariant("sha1-signature", refuse("CERT-5"), ("CERT-5",), "signed sha1WithRSAEncryption", hash="sha1"),
    CertVariant("md5-signature", refuse("CERT-5"), ("CERT-5",), "signed md5WithRSAEncryption", hash="md5"),
    # refused: not one certificate (CERT-2) ---------------------------------------------------
    FileVariant(
        "several-certificates",
        refuse("CERT-2"),
        ("CERT-2",),
        "PEM with two certificates (valid-der's, then the fixture CA's)",
        ".pem",
        "pem-bundle",
        _several,
    ),
    FileVariant(
        "several-trusted-certificate",
        refuse("CERT-2"),
        ("CERT-2",),
        "valid-der's certificate as PEM, then the fixture CA's in a TRUSTED CERTIFICATE block (OpenSSL's)",
        ".pem",
        "pem-and-trusted-pem",
        lambda b: _leaf_pem(b) + trusted_pem(b.fixture.certificate),
    ),
    FileVariant(
        "several-pkcs7",
        refuse("CERT-2"),
        ("CERT-2",),
        "valid-der's certificate as PEM, then a PKCS7 block holding the fixture CA's",
        ".pem",
        "pem-and-pkcs7-pem",
        lambda b: _leaf_pem(b) + pkcs7_pem([b.fixture.certificate]),
    ),
    FileVariant(
        "several-der-after-pem",
        refuse("CERT-2"),
        ("CERT-2",),
        "valid-der's certificate as PEM, then the fixture CA's DER bytes",
        ".pem",
        "pem-then-der",
        lambda b: _leaf_pem(b) + der(b.fixture.certificate),
    ),
    FileVariant("empty", refuse("CERT-2"), ("CERT-2",), "empty file", ".cer", "empty", lambda b: b""),
    FileVariant(
        "garbage",
        refuse("CERT-2"),
        ("CERT-2",),
        "2048 random bytes (seeded)",
        ".cer",
        "random-bytes",
        lambda b: b.rng("garbage").randbytes(2048),
    ),
    FileVariant(
        "corrupt-pem",
        refuse("CERT-2"),
        ("CERT-2",),
        "a CERTIFICATE block whose DER is cut short",
        ".pem",
        "pem-corrupt",
        _corrupt_pem,
    ),
    CertVariant(
        "oversized",
        refuse("CERT-2"),
        ("CERT-2",),
        "a valid PEM certificate after text, 65 KiB + 1 byte in all (66561 > 65536)",
        ext=".pem",
        encoding="pem-padded",
        size=MAX_BYTES + 1024 + 1,
    ),
    # refused: private keys (CERT-3) ----------------------------------------------------------
    FileVariant(
        "private-key-pkcs8",
        refuse("CERT-3"),
        ("CERT-3",),
        "valid-der's private key, PEM PRIVATE KEY (PKCS#8)",
        ".pem",
        "pkcs8-pem",
        lambda b: key_pkcs8(b.issued["valid-der"].key),
        secret=True,
    ),
    FileVariant(
        "private-key-rsa",
        refuse("CERT-3"),
        ("CERT-3",),
        "valid-der's private key, PEM RSA PRIVATE KEY (traditional OpenSSL)",
        ".key",
        "traditional-pem",
        lambda b: key_traditional(b.issued["valid-der"].key),
        secret=True,
    ),
    FileVariant(
        "private-key-encrypted",
        refuse("CERT-3"),
        ("CERT-3",),
        "valid-der's private key, PEM ENCRYPTED PRIVATE KEY (password in the manifest)",
        ".pem",
        "encrypted-pkcs8-pem",
        lambda b: key_encrypted_pkcs8(b.issued["valid-der"].key, PASSWORD.encode()),
        password=PASSWORD,
        secret=True,
    ),
    FileVariant(
        "private-key-ec",
        refuse("CERT-3"),
        ("CERT-3",),
        "an EC key, PEM EC PRIVATE KEY",
        ".pem",
        "traditional-pem",
        lambda b: key_traditional(b.issued["ec-p256"].key),
        secret=True,
    ),
    FileVariant(
        "private-key-openssh",
        refuse("CERT-3"),
        ("CERT-3",),
        "ed25519's private key in OpenSSH's own format (BEGIN OPENSSH PRIVATE KEY), named like "
        "ssh-keygen's id_ed25519: no extension",
        "",
        "openssh-private-key",
        lambda b: key_openssh(b.issued["ed25519"].key),
        secret=True,
    ),
    FileVariant(
        "certificate-with-key",
        refuse("CERT-3"),
        ("CERT-3",),
        "valid-der's certificate followed by its private key in one PEM",
        ".pem",
        "pem-cert-and-key",
        lambda b: pem(b.issued["valid-der"].certificate) + key_pkcs8(b.issued["valid-der"].key),
        secret=True,
    ),
    FileVariant(
        "pkcs12",
        refuse("CERT-3"),
        ("CERT-3",),
        "PKCS#12 with valid-der's key, certificate and the CA (password in the manifest)",
        ".p12",
        "pkcs12",
        lambda b: pkcs12_bundle(
            b.issued["valid-der"].certificate,
            b.issued["valid-der"].key,
            [b.fixture.certificate],
            password=PASSWORD.encode(),
        ),
        password=PASSWORD,
        secret=True,
    ),
    FileVariant(
        "pkcs12-ber",
        refuse("CERT-3"),
        ("CERT-3",),
        "a PKCS#12 like the pkcs12 entry, re-encoded in BER with indefinite lengths (OpenSSL and "
        "cryptography read it; password in the manifest)",
        ".p12",
        "pkcs12-ber",
        _pkcs12_ber,
        password=PASSWORD,
        secret=True,
    ),
    FileVariant(
        "pkcs12-ber-base64",
        refuse("CERT-3"),
        ("CERT-3",),
        "a PKCS#12 like pkcs12-ber (BER, indefinite lengths) in Base64, without PEM lines",
        ".txt",
        "pkcs12-ber-base64",
        lambda b: base64.encodebytes(_pkcs12_ber(b)),
        password=PASSWORD,
        secret=True,
    ),
)
VARIANTS_BY_NAME = {v.name: v for v in VARIANTS}

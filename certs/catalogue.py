"""The named catalogue of certificate files, each with the portal behaviour the contract expects.

``generate(out_dir, company=…)`` writes every variant, the fixture CA (``fixture-ca.pem``, the
file the mock trusts), the untrusted CA and ``manifest.json``; ``Catalogue.load(path)`` reads
them back. An entry's ``expected`` is ``"accept"`` or ``{"refuse": "CERT-x"}``; certificate
entries carry the values the confirmation screen must show (``certs.display``).

Reproducible: for one seed, company and reference time everything but key material is the same
from run to run (serials, dates, names, garbage bytes); within one process keys come from a pool,
so the very same bytes come out again (but for the random salts of the encrypted key and PKCS#12).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import random
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Union

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from certs import encode
from certs.authority import (DEFAULT_NOT_AFTER, DEFAULT_NOT_BEFORE, FIXTURE_CA_NAME, UNTRUSTED_CA_NAME,
                             Authority, Issued, as_utc, leaf_name, new_serial, self_signed,
                             start_of_utc_day)
from certs.display import DisplayValues, display_values, rfc4514, tbs_names
from certs.keys import DEFAULT_POOL, KeyPool, PrivateKey, describe_key, load_own_key

DEFAULT_COMPANY = "Fixture Logistics SRL"
MANIFEST = "manifest.json"
FORMAT = "certs-catalogue/1"
ACCEPT = "accept"
KIB64 = 64 * 1024  # CERT-2: "a file over 64 KiB" is refused; exactly 64 KiB is not over
PASSWORD = "fixture"  # for the encrypted key and the PKCS#12 (recorded in the manifest)

Expected = Union[str, dict]


def refuse(rule: str) -> dict:
    return {"refuse": rule}


# --- the variants ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CertVariant:
    """A certificate file: which issuer, key, hash, dates and serial, and how it is written."""

    name: str
    expected: Expected
    rules: tuple[str, ...]
    description: str
    ext: str = ".cer"
    encoding: str = "der"  # der | pem | pem-padded
    issuer: str = "fixture"  # fixture | self | untrusted | impostor
    key: str = "rsa-2048"
    hash: str = "sha256"
    serial: int | None = None  # None: derived from the seed and the name
    high_bit_serial: bool = False
    not_before: dt.timedelta = DEFAULT_NOT_BEFORE
    not_after: dt.timedelta | Callable[[dt.datetime], dt.datetime] = DEFAULT_NOT_AFTER
    organization: str | Callable[[str], str] | None = None  # None: the company's name
    common_name: str | None = None  # None: "Fixture Client <name>", so each file names itself
    subject: Callable[[str, str | None], x509.Name] | None = None  # (company, enterprise no.)
    size: int | None = None  # for pem-padded: the exact file size


@dataclass(frozen=True)
class FileVariant:
    """A file that is not (only) one certificate; ``build`` makes its bytes."""

    name: str
    expected: Expected
    rules: tuple[str, ...]
    description: str
    ext: str
    encoding: str
    build: Callable[["_Build"], bytes]
    certificate_of: str | None = None  # the file holds this certificate entry's certificate
    password: str | None = None


def _expiry_at_2230_utc(summer: bool) -> Callable[[dt.datetime], dt.datetime]:
    """notAfter at 22:30 UTC on the first summer (UTC+2) or winter (UTC+1) day from reference + 730 days.

    22:30 UTC is 00:30 the next day in Brussels in summer, 23:30 the same day in winter: together
    the two catch a portal that shows the UTC day and one that adds a fixed offset.
    """
    from certs.display import BRUSSELS

    def not_after(reference: dt.datetime) -> dt.datetime:
        day = (reference + DEFAULT_NOT_AFTER).date()
        for offset in range(366):
            candidate = dt.datetime.combine(day + dt.timedelta(days=offset), dt.time(22, 30), dt.timezone.utc)
            if candidate.astimezone(BRUSSELS).utcoffset() == dt.timedelta(hours=2 if summer else 1):
                return candidate
        raise AssertionError("Brussels has both summer and winter time within a year")

    return not_after


def _escaping_subject(company: str, enterprise_number: str | None) -> x509.Name:
    # Every character RFC 4514 escapes, a leading '#', surrounding spaces, and a type written by
    # its dotted OID (emailAddress): the issuer line of CONFIRM-2 for a self-signed certificate.
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, company),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, " QA team "),
        x509.NameAttribute(NameOID.COMMON_NAME, '#1 "Fixture" <QA>; Dupont\\Jean + Co, Ltd'),
        *([x509.NameAttribute(NameOID.SERIAL_NUMBER, enterprise_number)] if enterprise_number else []),
        x509.NameAttribute(NameOID.EMAIL_ADDRESS, "qa+fixture@example.test"),
    ])


def _several(b: "_Build") -> bytes:
    return encode.pem_bundle([b.issued["valid-der"].certificate, b.fixture.certificate])


def _corrupt_pem(b: "_Build") -> bytes:
    import base64
    import textwrap

    half = encode.der(b.issued["valid-der"].certificate)[:300]  # valid base64, truncated DER
    body = "\n".join(textwrap.wrap(base64.b64encode(half).decode(), 64))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n".encode()


VARIANTS: tuple[CertVariant | FileVariant, ...] = (
    # accepted ------------------------------------------------------------------------------
    CertVariant("valid-der", ACCEPT, ("CERT-1", "CERT-6", "CONFIRM-2"),
                "valid, from the fixture CA, DER .cer (what integrators upload)"),
    CertVariant("valid-pem", ACCEPT, ("CERT-1", "CERT-6", "CONFIRM-2"),
                "valid, from the fixture CA, PEM .pem (another certificate than valid-der, same key)",
                ext=".pem", encoding="pem"),
    CertVariant("valid-crt", ACCEPT, ("CERT-1",),
                "valid, from the fixture CA, PEM with the .crt extension (same key as valid-der)",
                ext=".crt", encoding="pem"),
    CertVariant("valid-second-key", ACCEPT, ("CERT-1", "OAUTH-2", "OAUTH-4"),
                "valid, from the fixture CA, with a second RSA-2048 key: another client's certificate",
                key="rsa-2048/second"),
    CertVariant("self-signed-company", ACCEPT, ("CERT-6", "CONFIRM-2"),
                "valid, self-signed, O = the company's name", issuer="self"),
    CertVariant("self-signed-company-upper", ACCEPT, ("CERT-6",),
                "valid, self-signed, O = the company's name in upper case (CERT-6 ignores case)",
                issuer="self", organization=str.upper),
    CertVariant("serial-499", ACCEPT, ("CONFIRM-2",), "serial 499: hex 01F3 (left-padded to whole bytes)",
                serial=499),
    CertVariant("serial-128", ACCEPT, ("CONFIRM-2",), "serial 128: hex 80 (top bit set, no sign byte)",
                serial=128),
    CertVariant("serial-high-bit", ACCEPT, ("CONFIRM-2",),
                "16-byte serial whose top bit is set: hex starts 8–F, no 00 sign byte", high_bit_serial=True),
    CertVariant("expiry-brussels-summer", ACCEPT, ("CONFIRM-2",),
                "notAfter at 22:30 UTC on a summer day: 00:30 in Brussels, the expiry day is the next day",
                not_after=_expiry_at_2230_utc(summer=True)),
    CertVariant("expiry-brussels-winter", ACCEPT, ("CONFIRM-2",),
                "notAfter at 22:30 UTC on a winter day: 23:30 in Brussels, the expiry day is the same day",
                not_after=_expiry_at_2230_utc(summer=False)),
    CertVariant("escaped-issuer", ACCEPT, ("CERT-6", "CONFIRM-2"),
                "self-signed in the company's name; its DN needs RFC 4514 escaping and has emailAddress "
                "(written by dotted OID)", issuer="self", subject=_escaping_subject),
    CertVariant("unicode-owner", ACCEPT, ("CERT-1", "CONFIRM-2"),
                "valid, from the fixture CA, non-ASCII owner (CN) shown as is", common_name="Zoë Ćwik-Lefèvre"),
    CertVariant("padded-64kib", ACCEPT, ("CERT-1", "CERT-2"),
                "PEM with text before the block, exactly 65536 bytes: at the limit, not over it",
                ext=".pem", encoding="pem-padded", size=KIB64),
    FileVariant("valid-der-copy", ACCEPT, ("CERT-7",),
                "a second copy of valid-der's file: accepted alone, refused (CERT-7) when valid-der is "
                "registered for another sender", ".cer", "der",
                lambda b: encode.der(b.issued["valid-der"].certificate), certificate_of="valid-der"),
    FileVariant("valid-der-as-pem", ACCEPT, ("CERT-1", "CERT-7"),
                "valid-der's certificate written as PEM: the same certificate in another encoding (CERT-7 "
                "compares certificates, not files)", ".pem", "pem",
                lambda b: encode.pem(b.issued["valid-der"].certificate), certificate_of="valid-der"),
    # refused: issuer (CERT-6) ----------------------------------------------------------------
    CertVariant("self-signed-other-name", refuse("CERT-6"), ("CERT-6",),
                "self-signed in another company's name", issuer="self", organization="Other Company SA"),
    CertVariant("untrusted-issuer", refuse("CERT-6"), ("CERT-6",), "issued by a CA the portal does not trust",
                issuer="untrusted"),
    CertVariant("impostor-issuer", refuse("CERT-6"), ("CERT-6",),
                "issuer DN equal to the fixture CA's, signed by another key (names alone prove nothing)",
                issuer="impostor"),
    # refused: dates (CERT-4) -----------------------------------------------------------------
    CertVariant("expired", refuse("CERT-4"), ("CERT-4",),
                "expired: notAfter one day before the reference (at least 24 h ago)",
                not_before=dt.timedelta(days=-395), not_after=dt.timedelta(days=-1)),
    CertVariant("not-yet-valid", refuse("CERT-4"), ("CERT-4",),
                "not yet valid: notBefore two days after the reference (at least 24 h ahead)",
                not_before=dt.timedelta(days=2), not_after=dt.timedelta(days=732)),
    # refused: key and signature (CERT-5) -----------------------------------------------------
    CertVariant("rsa-1024", refuse("CERT-5"), ("CERT-5",), "RSA key of 1024 bits", key="rsa-1024"),
    CertVariant("rsa-2047", refuse("CERT-5"), ("CERT-5",), "RSA key of 2047 bits: one short of the minimum",
                key="rsa-2047"),
    CertVariant("ec-p256", refuse("CERT-5"), ("CERT-5",), "EC P-256 key (tokens are signed RS256)",
                key="ec-p256"),
    CertVariant("ed25519", refuse("CERT-5"), ("CERT-5",), "Ed25519 key", key="ed25519"),
    CertVariant("sha1-signature", refuse("CERT-5"), ("CERT-5",), "signed sha1WithRSAEncryption", hash="sha1"),
    CertVariant("md5-signature", refuse("CERT-5"), ("CERT-5",), "signed md5WithRSAEncryption", hash="md5"),
    # refused: not one certificate (CERT-2) ---------------------------------------------------
    FileVariant("several-certificates", refuse("CERT-2"), ("CERT-2",),
                "PEM with two certificates (valid-der's, then the fixture CA's)", ".pem", "pem-bundle", _several),
    FileVariant("empty", refuse("CERT-2"), ("CERT-2",), "empty file", ".cer", "empty", lambda b: b""),
    FileVariant("garbage", refuse("CERT-2"), ("CERT-2",), "2048 random bytes (seeded)", ".cer", "random-bytes",
                lambda b: b.rng("garbage").randbytes(2048)),
    FileVariant("corrupt-pem", refuse("CERT-2"), ("CERT-2",),
                "a CERTIFICATE block whose DER is cut short", ".pem", "pem-corrupt", _corrupt_pem),
    CertVariant("oversized", refuse("CERT-2"), ("CERT-2",),
                "a valid PEM certificate after text, 65 KiB + 1 byte in all (66561 > 65536)",
                ext=".pem", encoding="pem-padded", size=KIB64 + 1024 + 1),
    # refused: private keys (CERT-3) ----------------------------------------------------------
    FileVariant("private-key-pkcs8", refuse("CERT-3"), ("CERT-3",),
                "valid-der's private key, PEM PRIVATE KEY (PKCS#8)", ".pem", "pkcs8-pem",
                lambda b: encode.key_pkcs8(b.issued["valid-der"].key)),
    FileVariant("private-key-rsa", refuse("CERT-3"), ("CERT-3",),
                "valid-der's private key, PEM RSA PRIVATE KEY (traditional OpenSSL)", ".key", "traditional-pem",
                lambda b: encode.key_traditional(b.issued["valid-der"].key)),
    FileVariant("private-key-encrypted", refuse("CERT-3"), ("CERT-3",),
                "valid-der's private key, PEM ENCRYPTED PRIVATE KEY (password in the manifest)", ".pem",
                "encrypted-pkcs8-pem",
                lambda b: encode.key_encrypted_pkcs8(b.issued["valid-der"].key, PASSWORD.encode()),
                password=PASSWORD),
    FileVariant("private-key-ec", refuse("CERT-3"), ("CERT-3",), "an EC key, PEM EC PRIVATE KEY", ".pem",
                "traditional-pem", lambda b: encode.key_traditional(b.issued["ec-p256"].key)),
    FileVariant("certificate-with-key", refuse("CERT-3"), ("CERT-3",),
                "valid-der's certificate followed by its private key in one PEM", ".pem", "pem-cert-and-key",
                lambda b: encode.pem(b.issued["valid-der"].certificate) + encode.key_pkcs8(b.issued["valid-der"].key)),
    FileVariant("pkcs12", refuse("CERT-3"), ("CERT-3",),
                "PKCS#12 with valid-der's key, certificate and the CA (password in the manifest)", ".p12", "pkcs12",
                lambda b: encode.pkcs12_bundle(b.issued["valid-der"].certificate, b.issued["valid-der"].key,
                                               [b.fixture.certificate], password=PASSWORD.encode()),
                password=PASSWORD),
)
VARIANTS_BY_NAME = {v.name: v for v in VARIANTS}


# --- building ----------------------------------------------------------------------------

@dataclass
class _Build:
    """What the variants are built from, and what was built so far."""

    company: str
    enterprise_number: str | None
    reference: dt.datetime
    seed: int
    key_for: Callable[[str], PrivateKey]
    fixture: Authority
    untrusted: Authority
    impostor: Authority
    issued: dict[str, Issued] = field(default_factory=dict)

    def rng(self, purpose: str) -> random.Random:
        # One stream per purpose, so adding a variant does not change the others' values.
        return random.Random(f"{self.seed}:{purpose}")

    def serial(self, purpose: str) -> int:
        return self.rng(purpose).randrange(1 << 120, 1 << 127)  # 16 bytes, top bit clear


def _issue(variant: CertVariant, b: _Build, *, serial: int | None = None,
           shift: dt.timedelta = dt.timedelta()) -> Issued:
    if serial is None:
        serial = variant.serial or b.serial(f"serial:{variant.name}")
        if variant.high_bit_serial:
            serial |= 1 << 127
    if variant.subject:
        subject = variant.subject(b.company, b.enterprise_number)
    else:
        organization = variant.organization
        if organization is None:
            organization = b.company
        elif callable(organization):
            organization = organization(b.company)
        subject = leaf_name(variant.common_name or f"Fixture Client {variant.name}", organization,
                            enterprise_number=b.enterprise_number)
    not_after = (variant.not_after(b.reference) if callable(variant.not_after)
                 else b.reference + variant.not_after)
    options = dict(subject=subject, key=b.key_for(variant.key), serial=serial,
                   not_before=b.reference + variant.not_before - shift, not_after=not_after, hash=variant.hash)
    if variant.issuer == "self":
        return self_signed(**options)  # type: ignore[arg-type]
    authority = {"fixture": b.fixture, "untrusted": b.untrusted, "impostor": b.impostor}[variant.issuer]
    return authority.issue(**options)  # type: ignore[arg-type]


def _cert_bytes(variant: CertVariant, issued: Issued) -> bytes:
    if variant.encoding == "der":
        return issued.der
    if variant.encoding == "pem":
        return issued.pem
    return encode.padded_pem(issued.certificate, variant.size or KIB64)


def _key_fingerprint(key: PrivateKey) -> str:
    spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).hexdigest()


def _iso(when: dt.datetime) -> str:
    return as_utc(when).isoformat().replace("+00:00", "Z")


def _cert_record(issued: Issued, key_file: str | None) -> dict:
    certificate = issued.certificate
    return {
        "values": display_values(certificate).as_dict(),
        # RFC 4514 §2.4 read strictly writes values of dotted-OID types as #<hex of DER>
        "issuer_hex_form": rfc4514(tbs_names(certificate)[0], dotted="hex"),
        "expiry_utc": _iso(certificate.not_valid_after_utc),
        "not_before_utc": _iso(certificate.not_valid_before_utc),
        "sha256": issued.sha256,
        "key_file": key_file,
        "key_type": describe_key(issued.key),
        "public_key_sha256": _key_fingerprint(issued.key),
        "signature_hash": certificate.signature_hash_algorithm.name if certificate.signature_hash_algorithm else None,
    }


def _no_cert_record() -> dict:
    return dict.fromkeys(("values", "issuer_hex_form", "expiry_utc", "not_before_utc", "sha256", "key_file",
                          "key_type", "public_key_sha256", "signature_hash"))


def _write_variant(variant: CertVariant | FileVariant, b: _Build, directory: Path, stem: str,
                   key_files: dict[str, str]) -> dict:
    """Write one variant's file(s) into ``directory``; its manifest record."""
    file = stem + variant.ext
    if isinstance(variant, CertVariant):
        issued = b.issued[variant.name]
        data = _cert_bytes(variant, issued)
        key_file = f"{stem}.key.pem"
        (directory / key_file).write_bytes(issued.key_pem)
        key_files[variant.name] = key_file
        record = _cert_record(issued, key_file)
        same_as, password = None, None
    else:
        data = variant.build(b)
        same_as, password = variant.certificate_of, variant.password
        record = (_cert_record(b.issued[same_as], key_files.get(same_as)) if same_as else _no_cert_record())
    (directory / file).write_bytes(data)
    return {"name": variant.name, "file": file, "encoding": variant.encoding, "expected": variant.expected,
            "rules": list(variant.rules), "description": variant.description, "size": len(data), **record,
            "same_certificate_as": same_as,
            "password": password}


def normalise_enterprise_number(number: str) -> str:
    """Ten digits of a valid Belgian enterprise number (``0xxx.xxx.xxx``, mod-97), else ValueError."""
    digits = re.sub(r"[\s.]", "", number)
    if re.fullmatch(r"\d{9}", digits):
        digits = "0" + digits
    if not re.fullmatch(r"[01]\d{9}", digits) or 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise ValueError(f"{number!r} is not a valid Belgian enterprise number (0xxx.xxx.xxx, mod 97)")
    return digits


def generate(out_dir: str | Path, company: str = DEFAULT_COMPANY, enterprise_number: str | None = None,
             seed: int | None = None, reference_time: dt.datetime | None = None,
             pool: KeyPool = DEFAULT_POOL) -> "Catalogue":
    """Write the whole catalogue into ``out_dir`` and return it loaded.

    ``reference_time`` defaults to the start of the current UTC day (so the defaults are valid
    all day); ``seed`` (default: random, recorded) fixes serials and other choices.
    """
    if not company.strip():
        raise ValueError("the company's name must not be empty")
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    number = normalise_enterprise_number(enterprise_number) if enterprise_number else None
    reference = start_of_utc_day() if reference_time is None else as_utc(reference_time)
    seed = secrets.randbelow(2**31) if seed is None else seed
    # Every RSA key at once, in parallel: that is nearly the whole cost of a catalogue.
    pool.prefetch(["rsa-2048/fixture-ca", "rsa-2048/untrusted-ca",
                   *(v.key for v in VARIANTS if isinstance(v, CertVariant))])
    seeded = random.Random(f"{seed}:authorities")
    fixture = Authority.create(FIXTURE_CA_NAME, key="rsa-2048/fixture-ca", pool=pool, reference_time=reference,
                               serial=seeded.randrange(1 << 120, 1 << 127))
    untrusted = Authority.create(UNTRUSTED_CA_NAME, key="rsa-2048/untrusted-ca", pool=pool,
                                 reference_time=reference, serial=seeded.randrange(1 << 120, 1 << 127))
    impostor = Authority.create(FIXTURE_CA_NAME, key="rsa-2048/untrusted-ca", pool=pool, reference_time=reference,
                                serial=seeded.randrange(1 << 120, 1 << 127))
    b = _Build(company, number, reference, seed, pool.get, fixture, untrusted, impostor)
    for variant in VARIANTS:
        if isinstance(variant, CertVariant):
            b.issued[variant.name] = _issue(variant, b)
    key_files: dict[str, str] = {}
    entries = [_write_variant(v, b, directory, v.name, key_files) for v in VARIANTS]
    authorities = {}
    for label, authority in (("fixture_ca", fixture), ("untrusted_ca", untrusted)):
        stem = label.replace("_", "-")
        (directory / f"{stem}.pem").write_bytes(authority.pem)
        (directory / f"{stem}.key.pem").write_bytes(authority.key_pem)
        authorities[label] = {"file": f"{stem}.pem", "key_file": f"{stem}.key.pem",
                              "subject": rfc4514(authority.name), "sha256": Issued(authority.certificate,
                                                                                  authority.key).sha256}
    # One file per name: a variant whose name clashes with another file would overwrite it.
    written = [e["file"] for e in entries] + [e["key_file"] for e in entries
                                              if e["key_file"] and not e["same_certificate_as"]]
    written += [name for a in authorities.values() for name in (a["file"], a["key_file"])] + [MANIFEST]
    if len(written) != len(set(written)):
        raise AssertionError(f"catalogue file names clash: {sorted(n for n in written if written.count(n) > 1)}")
    manifest = {"format": FORMAT, "reference_time": _iso(reference), "seed": seed, "company": company,
                "enterprise_number": number, **authorities, "entries": entries}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Catalogue(directory, manifest)


# --- reading ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One catalogue file and what the portal must do with it."""

    name: str
    file: str
    encoding: str
    expected: Expected
    rules: tuple[str, ...]
    description: str
    size: int
    directory: Path
    values: DisplayValues | None = None
    issuer_hex_form: str | None = None
    expiry_utc: str | None = None
    not_before_utc: str | None = None
    sha256: str | None = None
    key_file: str | None = None
    key_type: str | None = None
    public_key_sha256: str | None = None
    signature_hash: str | None = None
    same_certificate_as: str | None = None
    password: str | None = None

    @classmethod
    def from_record(cls, record: dict, directory: Path) -> "Entry":
        known = {f.name for f in dataclasses.fields(cls)}
        fields = {k: v for k, v in record.items() if k in known}  # newer manifests may add keys
        values = fields.pop("values", None)
        fields["rules"] = tuple(fields.get("rules", ()))
        return cls(directory=directory, values=DisplayValues(**values) if values else None, **fields)

    @property
    def path(self) -> Path:
        return self.directory / self.file

    @property
    def key_path(self) -> Path | None:
        return self.directory / self.key_file if self.key_file else None

    @property
    def accepted(self) -> bool:
        return self.expected == ACCEPT

    @property
    def refused_by(self) -> str | None:
        """The rule id that refuses this file, or None when it is accepted."""
        return None if self.accepted else self.expected["refuse"]  # type: ignore[index]

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def private_key(self) -> PrivateKey | None:
        """The certificate's private key (OAuth tests sign their assertions with it)."""
        if self.key_path is None:
            return None
        return load_own_key(self.key_path)


class Catalogue:
    """A generated catalogue: ``catalogue["valid-der"].path``, iteration in manifest order."""

    def __init__(self, directory: Path, manifest: dict):
        self.directory = Path(directory)
        self.manifest = manifest
        self.entries = {r["name"]: Entry.from_record(r, self.directory) for r in manifest["entries"]}

    @classmethod
    def load(cls, path: str | Path) -> "Catalogue":
        """Read a catalogue from its ``manifest.json`` (or the directory holding it)."""
        path = Path(path)
        if path.is_dir():
            path = path / MANIFEST
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"{path} is not a certs catalogue manifest ({FORMAT})")
        return cls(path.parent, manifest)

    # the run's parameters
    @property
    def manifest_path(self) -> Path:
        return self.directory / MANIFEST

    @property
    def company(self) -> str:
        return self.manifest["company"]

    @property
    def enterprise_number(self) -> str | None:
        return self.manifest["enterprise_number"]

    @property
    def seed(self) -> int:
        return self.manifest["seed"]

    @property
    def reference_time(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.manifest["reference_time"].replace("Z", "+00:00"))

    @property
    def fixture_ca_path(self) -> Path:
        return self.directory / self.manifest["fixture_ca"]["file"]

    @property
    def untrusted_ca_path(self) -> Path:
        return self.directory / self.manifest["untrusted_ca"]["file"]

    # the entries
    def __getitem__(self, name: str) -> Entry:
        try:
            return self.entries[name]
        except KeyError:
            raise KeyError(f"no catalogue entry {name!r}; known: {', '.join(self.entries)}") from None

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, name: object) -> bool:
        return name in self.entries

    def names(self) -> list[str]:
        return list(self.entries)

    def accepted(self) -> list[Entry]:
        return [e for e in self if e.accepted]

    def refused(self, rule: str | None = None) -> list[Entry]:
        """Entries the portal must refuse (by ``rule`` only, if given)."""
        return [e for e in self if not e.accepted and (rule is None or e.refused_by == rule)]

    def authority(self) -> Authority:
        """The fixture CA with its key, to issue more certificates the portal trusts."""
        return Authority.load(self.fixture_ca_path, self.directory / self.manifest["fixture_ca"]["key_file"])

    def fresh(self, name: str, *, company: str | None = None) -> Entry:
        """A new certificate like entry ``name``: same kind, key and expected behaviour, new serial.

        CERT-7 refuses a certificate already registered for another sender, so a test that
        registers a certificate needs one nobody else uses. ``company`` replaces the subject's O
        wherever the variant uses the company's name (a self-signed certificate for this
        employer). Files go to ``<directory>/fresh/``.
        """
        variant = VARIANTS_BY_NAME.get(name)
        if not isinstance(variant, CertVariant):
            raise ValueError(f"fresh() makes certificate entries only, not {name!r}")
        entry = self[name]
        own_key = entry.private_key()
        untrusted_key = load_own_key(self.directory / self.manifest["untrusted_ca"]["key_file"])
        fixture = self.authority()
        untrusted = Authority(x509.load_pem_x509_certificate(self.untrusted_ca_path.read_bytes()), untrusted_key)  # type: ignore[arg-type]
        impostor = Authority.create(FIXTURE_CA_NAME, key=untrusted_key, reference_time=self.reference_time)  # type: ignore[arg-type]
        b = _Build(company or self.company, self.enterprise_number, self.reference_time, self.seed,
                   lambda _spec: own_key, fixture, untrusted, impostor)  # type: ignore[arg-type,return-value]
        if variant.serial is not None:  # keep the serial under test: differ by notBefore instead
            issued = _issue(variant, b, serial=variant.serial,
                            shift=dt.timedelta(seconds=secrets.randbelow(86_400) + 1))
        else:
            issued = _issue(variant, b, serial=new_serial() | (1 << 127 if variant.high_bit_serial else 0))
        b.issued[name] = issued
        directory = self.directory / "fresh"
        directory.mkdir(exist_ok=True)
        record = _write_variant(variant, b, directory, f"{name}-{secrets.token_hex(6)}", {})
        return Entry.from_record(record, directory)

    def __repr__(self) -> str:
        return f"Catalogue({str(self.directory)!r}, {len(self)} entries)"


__all__ = ["ACCEPT", "Catalogue", "CertVariant", "Entry", "FileVariant", "VARIANTS", "generate", "refuse",
           "normalise_enterprise_number"]

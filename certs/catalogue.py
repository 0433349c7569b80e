"""The named catalogue of certificate files, each with the portal behaviour the contract expects.

``generate(out_dir, company=…)`` writes every variant (``certs.variants``), the fixture CA
(``fixture-ca.pem``, the file the mock trusts, and its key), the untrusted CA and
``manifest.json``; ``Catalogue.load(path)`` reads them back. An entry's ``expected`` is an
``Outcome``: ``ACCEPT`` or ``refuse("CERT-x")``, written ``"accept"`` or ``{"refuse": "CERT-x"}``
in the manifest. Certificate entries carry the values the confirmation screen must show.

The fixture CA is kept: ``generate`` reuses the one it finds in ``out_dir`` (so certificates made
earlier still match it), or the one it is given (never over a different one); it makes a new one
only when there is none, or when asked (``new_ca=True``). Every file holding a private key is written with mode 0600.

Reproducible: for one seed, company and reference time everything but key material is the same
from run to run (serials, dates, names, garbage bytes); within one process keys come from a pool,
so the very same bytes come out again (but for the random salts of the encrypted key and PKCS#12,
the OpenSSH key's random check number, and the dates of a ``from_now`` variant, counted from the
moment it is made).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import random
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from cryptography import x509

from certs.authority import (
    CA_FILE,
    CA_KEY_FILE,
    FIXTURE_CA_NAME,
    UNTRUSTED_CA_NAME,
    Authority,
    Issued,
    as_utc,
    new_serial,
    start_of_utc_day,
)
from certs.display import DisplayValues, display_values, iso_utc, rfc4514, tbs_names
from certs.keys import (
    DEFAULT_POOL,
    KeyPool,
    KeyType,
    PrivateKey,
    describe_key,
    load_own_key,
    public_key_der,
    write_secret,
)
from certs.variants import VARIANTS, VARIANTS_BY_NAME, CertVariant, FileVariant, Materials
from certs.verdict import ACCEPT, Outcome, judge, refuse

DEFAULT_COMPANY = "Fixture Logistics SRL"
MANIFEST = "manifest.json"
FORMAT = "certs-catalogue/1"
UNTRUSTED_CA_FILE = "untrusted-ca.pem"
UNTRUSTED_CA_KEY_FILE = "untrusted-ca.key.pem"
CaOrigin = Literal["new", "found", "given"]


def _cert_record(issued: Issued, key_file: str | None) -> dict[str, Any]:
    certificate = issued.certificate
    hash_algorithm = certificate.signature_hash_algorithm
    return {
        "values": display_values(certificate).as_dict(),
        # RFC 4514 §2.4 read strictly writes values of dotted-OID types as #<hex of DER>
        "issuer_hex_form": rfc4514(tbs_names(certificate)[0], dotted="hex"),
        "expiry_utc": iso_utc(certificate.not_valid_after_utc),
        "not_before_utc": iso_utc(certificate.not_valid_before_utc),
        "sha256": issued.sha256,
        "key_file": key_file,
        "key_type": describe_key(issued.key),
        "public_key_sha256": hashlib.sha256(public_key_der(issued.key)).hexdigest(),
        "signature_hash": hash_algorithm.name if hash_algorithm else None,
    }


_NO_CERT_RECORD = dict.fromkeys(
    (
        "values",
        "issuer_hex_form",
        "expiry_utc",
        "not_before_utc",
        "sha256",
        "key_file",
        "key_type",
        "public_key_sha256",
        "signature_hash",
    )
)


def _write_variant(
    variant: CertVariant | FileVariant, b: Materials, directory: Path, stem: str, key_files: dict[str, str]
) -> dict[str, Any]:
    """Write one variant's file(s) into ``directory``; its manifest record.

    The file is judged as the contract would (``certs.verdict``): a verdict that is not the
    variant's declared expectation is an error, never a wrong manifest.
    """
    file = stem + variant.ext
    if isinstance(variant, CertVariant):
        issued = b.issued[variant.name]
        data = variant.file_bytes(issued)
        key_file = f"{stem}.key.pem"
        write_secret(directory / key_file, issued.key_pem)
        key_files[variant.name] = key_file
        record = _cert_record(issued, key_file)
        same_as, password, secret = None, None, False
    else:
        data = variant.build(b)
        same_as, password, secret = variant.same_certificate_as, variant.password, variant.secret
        record = _cert_record(b.issued[same_as], key_files.get(same_as)) if same_as else dict(_NO_CERT_RECORD)
    # Judged when its dates start: the reference, or the moment a ``from_now`` certificate is made.
    when = b.now if isinstance(variant, CertVariant) and variant.from_now else b.reference
    verdict = judge(data, trusted=[b.fixture.certificate], company=b.company, now=when)
    if verdict.outcome is not variant.expected:
        raise ValueError(
            f"catalogue entry {variant.name!r} should be {variant.expected} but would be "
            f"{verdict.outcome} ({verdict.reason}) with the company {b.company!r}"
        )
    if secret:
        write_secret(directory / file, data)
    else:
        (directory / file).write_bytes(data)
    return {
        "name": variant.name,
        "file": file,
        "encoding": variant.encoding,
        "expected": variant.expected.as_manifest(),
        "reason": verdict.reason,
        "rules": list(variant.rules),
        "description": variant.description,
        "size": len(data),
        **record,
        "same_certificate_as": same_as,
        "password": password,
    }


def normalise_enterprise_number(number: str) -> str:
    """Ten digits of a valid Belgian enterprise number (``0xxx.xxx.xxx``, mod-97), else ValueError."""
    digits = re.sub(r"[\s.]", "", number)
    if re.fullmatch(r"\d{9}", digits):
        digits = "0" + digits
    if not re.fullmatch(r"[01]\d{9}", digits) or 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise ValueError(f"{number!r} is not a valid Belgian enterprise number (0xxx.xxx.xxx, mod 97)")
    return digits


def _existing_ca(
    directory: Path, ca: Authority | None, ca_key: PrivateKey | None, new_ca: bool, reference: dt.datetime, serial: int
) -> tuple[Authority, CaOrigin] | None:
    """The catalogue's fixture CA when there is one to keep: the one given, else the one in
    ``directory``; None when a new one must be made."""
    if sum((ca is not None, ca_key is not None, new_ca)) > 1:
        raise ValueError("give at most one of ca, ca_key and new_ca")
    present = [name for name in (CA_FILE, CA_KEY_FILE) if (directory / name).exists()]
    if ca_key is not None:  # the same name and key as the CA the portal trusts: it accepts the leaves
        ca = Authority.create(FIXTURE_CA_NAME, key=ca_key, reference_time=reference, serial=serial)
    if ca is not None:
        if CA_FILE in present:  # never replace a CA silently, not even with the one given
            _check_same_key(directory, ca)
        return ca, "given"
    if not present or new_ca:
        return None
    if len(present) == 1:
        missing = ({CA_FILE, CA_KEY_FILE} - set(present)).pop()
        raise ValueError(f"{directory} holds {present[0]} but not {missing}: give another CA, or ask for a new one")
    try:
        found = Authority.load(directory)
    except OSError as error:
        raise ValueError(f"cannot read the CA in {directory}: {error.strerror or error}") from None
    _check_covers(found, reference, directory)
    return found, "found"


def _check_same_key(directory: Path, given: Authority) -> None:
    try:
        there = x509.load_pem_x509_certificate((directory / CA_FILE).read_bytes())
    except (OSError, ValueError):
        raise ValueError(f"{directory / CA_FILE} cannot be read: it would be replaced") from None
    if public_key_der(there.public_key()) != public_key_der(given.key):
        raise ValueError(
            f"{directory} holds another fixture CA: generate into another folder (or remove its "
            f"{CA_FILE} and {CA_KEY_FILE} first)"
        )


def _check_covers(ca: Authority, reference: dt.datetime, where: Path) -> None:
    certificate = ca.certificate
    if not certificate.not_valid_before_utc <= reference <= certificate.not_valid_after_utc:
        raise ValueError(
            f"the CA in {where} is valid from {iso_utc(certificate.not_valid_before_utc)} to "
            f"{iso_utc(certificate.not_valid_after_utc)}, not at {iso_utc(reference)}: "
            "replace it with a new one"
        )


def generate(
    out_dir: str | Path,
    company: str = DEFAULT_COMPANY,
    enterprise_number: str | None = None,
    seed: int | None = None,
    reference_time: dt.datetime | None = None,
    pool: KeyPool = DEFAULT_POOL,
    *,
    ca: Authority | None = None,
    ca_key: PrivateKey | None = None,
    new_ca: bool = False,
) -> Catalogue:
    """Write the whole catalogue into ``out_dir`` and return it loaded.

    The fixture CA is ``ca`` when given; or a CA made around ``ca_key`` (the key of a CA a
    portal already trusts: same name, same key); else the one ``out_dir`` holds; else, or with
    ``new_ca``, a new one. ``reference_time`` defaults to the start of the current UTC day (so
    the defaults are valid all day); ``seed`` (default: random, recorded) fixes serials and
    other choices. ValueError when an argument or the CA found is unusable.
    """
    if not company.strip():
        raise ValueError("the company's name must not be empty")
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    number = normalise_enterprise_number(enterprise_number) if enterprise_number else None
    reference = start_of_utc_day() if reference_time is None else as_utc(reference_time)
    seed = secrets.randbelow(2**31) if seed is None else seed
    seeded = random.Random(f"{seed}:authorities")
    serials = [seeded.randrange(1 << 120, 1 << 127) for _ in range(3)]
    kept = _existing_ca(directory, ca, ca_key, new_ca, reference, serials[0])
    # Every RSA key at once, in parallel: that is nearly the whole cost of a catalogue.
    ca_keys = [] if kept or new_ca else [(KeyType.RSA_2048, "fixture-ca")]
    pool.prefetch(
        [
            *ca_keys,
            (KeyType.RSA_2048, "untrusted-ca"),
            *((v.key, v.key_label) for v in VARIANTS if isinstance(v, CertVariant)),
        ]
    )
    if kept is None:  # a replacement gets a key of its own; else the pool's, made in parallel above
        key = KeyType.RSA_2048.generate() if new_ca else pool.get(KeyType.RSA_2048, "fixture-ca")
        fixture = Authority.create(FIXTURE_CA_NAME, key=key, pool=pool, reference_time=reference, serial=serials[0])
        origin: CaOrigin = "new"
    else:
        fixture, origin = kept
    untrusted_key = pool.get(KeyType.RSA_2048, "untrusted-ca")
    untrusted = Authority.create(
        UNTRUSTED_CA_NAME, key=untrusted_key, pool=pool, reference_time=reference, serial=serials[1]
    )
    impostor = Authority.create(
        FIXTURE_CA_NAME, key=untrusted_key, pool=pool, reference_time=reference, serial=serials[2]
    )
    b = Materials(
        company, number, reference, seed, lambda v: pool.get(v.key, v.key_label), fixture, untrusted, impostor
    )
    for variant in VARIANTS:
        if isinstance(variant, CertVariant):
            b.issued[variant.name] = variant.make(b)
    key_files: dict[str, str] = {}
    entries = [_write_variant(v, b, directory, v.name, key_files) for v in VARIANTS]
    fixture.save(directory)
    (directory / UNTRUSTED_CA_FILE).write_bytes(untrusted.pem)
    write_secret(directory / UNTRUSTED_CA_KEY_FILE, untrusted.key_pem)
    authorities = {
        "fixture_ca": {
            "file": CA_FILE,
            "key_file": CA_KEY_FILE,
            "subject": rfc4514(fixture.name),
            "sha256": Issued(fixture.certificate, fixture.key).sha256,
            "origin": origin,
        },
        "untrusted_ca": {
            "file": UNTRUSTED_CA_FILE,
            "key_file": UNTRUSTED_CA_KEY_FILE,
            "subject": rfc4514(untrusted.name),
            "sha256": Issued(untrusted.certificate, untrusted.key).sha256,
        },
    }
    # One file per name: a variant whose name clashes with another file would overwrite it.
    written = [e["file"] for e in entries] + [
        e["key_file"] for e in entries if e["key_file"] and not e["same_certificate_as"]
    ]
    written += [name for a in authorities.values() for name in (a["file"], a["key_file"])] + [MANIFEST]
    if len(written) != len(set(written)):
        raise AssertionError(f"catalogue file names clash: {sorted(n for n in written if written.count(n) > 1)}")
    manifest = {
        "format": FORMAT,
        "reference_time": iso_utc(reference),
        "seed": seed,
        "company": company,
        "enterprise_number": number,
        **authorities,
        "entries": entries,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Catalogue(directory, manifest)


# --- reading ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Entry:
    """One catalogue file and what the portal must do with it."""

    name: str
    file: str
    encoding: str
    expected: Outcome
    rules: tuple[str, ...]
    description: str
    size: int
    directory: Path
    reason: str | None = None  # why the contract accepts or refuses it (certs.verdict)
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
    def from_record(cls, record: dict[str, Any], directory: Path) -> Entry:
        known = {f.name for f in dataclasses.fields(cls)}
        fields = {k: v for k, v in record.items() if k in known}  # newer manifests may add keys
        values = fields.pop("values", None)
        fields["rules"] = tuple(fields.get("rules", ()))
        fields["expected"] = Outcome.from_manifest(fields["expected"])
        return cls(directory=directory, values=DisplayValues(**values) if values else None, **fields)

    @property
    def path(self) -> Path:
        return self.directory / self.file

    @property
    def key_path(self) -> Path | None:
        return self.directory / self.key_file if self.key_file else None

    @property
    def accepted(self) -> bool:
        return self.expected.accepted

    @property
    def refused_by(self) -> str | None:
        """The rule id that refuses this file, or None when it is accepted."""
        return self.expected.rule

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def private_key(self) -> PrivateKey | None:
        """The certificate's private key (OAuth tests sign their assertions with it)."""
        if self.key_path is None:
            return None
        return load_own_key(self.key_path)


class Catalogue:
    """A generated catalogue: ``catalogue["valid-der"].path``, iteration in manifest order."""

    def __init__(self, directory: Path, manifest: dict[str, Any]):
        self.directory = Path(directory)
        self.manifest = manifest
        self.entries = {r["name"]: Entry.from_record(r, self.directory) for r in manifest["entries"]}

    @classmethod
    def load(cls, path: str | Path) -> Catalogue:
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
        return str(self.manifest["company"])

    @property
    def enterprise_number(self) -> str | None:
        number = self.manifest["enterprise_number"]
        return None if number is None else str(number)

    @property
    def seed(self) -> int:
        return int(self.manifest["seed"])

    @property
    def reference_time(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.manifest["reference_time"].replace("Z", "+00:00"))

    @property
    def fixture_ca_path(self) -> Path:
        return self.directory / str(self.manifest["fixture_ca"]["file"])

    @property
    def ca_origin(self) -> CaOrigin:
        """Where the fixture CA came from: ``new``, ``found`` in the directory, or ``given``."""
        origin: CaOrigin = self.manifest["fixture_ca"].get("origin", "new")
        return origin

    @property
    def untrusted_ca_path(self) -> Path:
        return self.directory / str(self.manifest["untrusted_ca"]["file"])

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
        own_key = self[name].private_key()
        assert own_key is not None  # every certificate entry has its key file
        untrusted_key = load_own_key(self.directory / self.manifest["untrusted_ca"]["key_file"])
        untrusted = Authority(x509.load_pem_x509_certificate(self.untrusted_ca_path.read_bytes()), untrusted_key)
        impostor = Authority.create(FIXTURE_CA_NAME, key=untrusted_key, reference_time=self.reference_time)
        b = Materials(
            company or self.company,
            self.enterprise_number,
            self.reference_time,
            self.seed,
            lambda _variant: own_key,
            self.authority(),
            untrusted,
            impostor,
        )
        if variant.serial is not None:  # keep the serial under test: differ by notBefore instead
            issued = variant.make(b, serial=variant.serial, shift=dt.timedelta(seconds=secrets.randbelow(86_400) + 1))
        else:
            issued = variant.make(b, serial=new_serial() | (1 << 127 if variant.high_bit_serial else 0))
        b.issued[name] = issued
        directory = self.directory / "fresh"
        directory.mkdir(exist_ok=True)
        record = _write_variant(variant, b, directory, f"{name}-{secrets.token_hex(6)}", {})
        return Entry.from_record(record, directory)

    def __repr__(self) -> str:
        return f"Catalogue({str(self.directory)!r}, {len(self)} entries)"


__all__ = [
    "ACCEPT",
    "Catalogue",
    "CertVariant",
    "Entry",
    "FileVariant",
    "VARIANTS",
    "generate",
    "refuse",
    "normalise_enterprise_number",
]

"""Fixture certificate authorities and the certificates they issue.

Names have the shape of the seed's issuer (``CN=GlobalSign PersonalSign 3 CA - G2,
O=GlobalSign nv-sa, C=BE``) with fixture names, encoded in the usual order C, O, CN.

Default dates are relative to a reference time, the start of the current UTC day unless given:
valid from 30 days before it to 730 days after it. A certificate made with the defaults is
therefore valid for the whole day it is made (the portal checks validity against real now) and
the bytes depend only on the reference time, the serial and the key.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from certs.display import DisplayValues, display_values, sha256_fingerprint
from certs.encode import Encoding, key_pkcs8
from certs.keys import DEFAULT_POOL, KeyPool, KeyType, PrivateKey, load_own_key, public_key_der, write_secret

FIXTURE_CA_NAME = x509.Name(
    [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Fixture Trust nv-sa"),
        x509.NameAttribute(NameOID.COMMON_NAME, "Fixture PersonalSign 3 CA - G2"),
    ]
)
UNTRUSTED_CA_NAME = x509.Name(
    [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Fixture Rogue Trust nv-sa"),
        x509.NameAttribute(NameOID.COMMON_NAME, "Fixture Rogue PersonalSign 3 CA - G2"),
    ]
)

# Where a directory keeps its fixture CA (``certs generate`` and ``Authority.load(directory)``).
CA_FILE = "fixture-ca.pem"
CA_KEY_FILE = "fixture-ca.key.pem"

DEFAULT_NOT_BEFORE = dt.timedelta(days=-30)
DEFAULT_NOT_AFTER = dt.timedelta(days=730)
HashName = Literal["sha256", "sha384", "sha512", "sha1", "md5"]
HASHES: tuple[HashName, ...] = get_args(HashName)

# cryptography (≥ 42) refuses to sign certificates with SHA-1 or MD5. To make such certificates
# anyway we sign with SHA-256, swap the algorithm OID in the TBS part (same length: only the
# last arc differs) and sign those bytes ourselves: RSA PKCS#1 v1.5 still accepts any hash.
_RSA_SHA256_ALGORITHM = bytes.fromhex("300D06092A864886F70D01010B0500")
_RSA_WEAK_ALGORITHMS = {
    "sha1": bytes.fromhex("300D06092A864886F70D0101050500"),  # sha1WithRSAEncryption
    "md5": bytes.fromhex("300D06092A864886F70D0101040500"),  # md5WithRSAEncryption
}
_STRONG_HASHES: dict[str, Callable[[], hashes.SHA256 | hashes.SHA384 | hashes.SHA512]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
_WEAK_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {"sha1": hashes.SHA1, "md5": hashes.MD5}


def start_of_utc_day(now: dt.datetime | None = None) -> dt.datetime:
    """``now`` (default: the current time) truncated to 00:00 UTC of its day."""
    now = now or dt.datetime.now(dt.UTC)
    now = as_utc(now)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def as_utc(when: dt.datetime) -> dt.datetime:
    """An aware UTC datetime (a naive one is taken to be UTC already)."""
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def leaf_name(
    common_name: str,
    organization: str,
    *,
    country: str = "BE",
    enterprise_number: str | None = None,
    extra: Sequence[x509.NameAttribute[str]] = (),
) -> x509.Name:
    """An employer's subject: C, O, CN, then serialNumber (2.5.4.5) if given, then ``extra``."""
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, country),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if enterprise_number:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, enterprise_number))
    return x509.Name([*attributes, *extra])


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def _der(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _der_length(len(content)) + content


def sign(builder: x509.CertificateBuilder, key: PrivateKey, hash_name: HashName = "sha256") -> x509.Certificate:
    """Sign ``builder`` with ``key``; SHA-1 and MD5 (RSA keys only) bypass cryptography's refusal."""
    if hash_name not in _STRONG_HASHES and hash_name not in _WEAK_HASHES:
        raise ValueError(f"unknown signature hash {hash_name!r} (one of {', '.join(HASHES)})")
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return builder.sign(key, None)  # Ed25519 has its own hash
    if hash_name in _STRONG_HASHES:
        return builder.sign(key, _STRONG_HASHES[hash_name]())
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"a {hash_name} signature is only made with an RSA issuer key")
    tbs = builder.sign(key, hashes.SHA256()).tbs_certificate_bytes
    if tbs.count(_RSA_SHA256_ALGORITHM) != 1:
        raise AssertionError("expected exactly one sha256WithRSAEncryption in the TBS certificate")
    algorithm = _RSA_WEAK_ALGORITHMS[hash_name]
    tbs = tbs.replace(_RSA_SHA256_ALGORITHM, algorithm)
    signature = key.sign(tbs, padding.PKCS1v15(), _WEAK_HASHES[hash_name]())
    der = _der(0x30, tbs + algorithm + _der(0x03, b"\0" + signature))
    return x509.load_der_x509_certificate(der)


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key, with the encodings one usually wants."""

    certificate: x509.Certificate
    key: PrivateKey

    @property
    def der(self) -> bytes:
        return Encoding.DER.of(self.certificate)

    @property
    def pem(self) -> bytes:
        return Encoding.PEM.of(self.certificate)

    @property
    def key_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM (``BEGIN PRIVATE KEY``)."""
        return key_pkcs8(self.key)

    @property
    def values(self) -> DisplayValues:
        """What the portal must show for this certificate."""
        return display_values(self.certificate)

    @property
    def sha256(self) -> str:
        return sha256_fingerprint(self.certificate)

    def write(self, path: str | Path, *, encoding: Encoding = Encoding.DER, key_path: str | Path | None = None) -> Path:
        """Write the certificate and, if asked, its key (PKCS#8 PEM, mode 0600)."""
        path = Path(path)
        path.write_bytes(Encoding(encoding).of(self.certificate))
        if key_path is not None:
            write_secret(key_path, self.key_pem)
        return path


def _resolve_key(key: PrivateKey | KeyType, pool: KeyPool, label: str = "") -> PrivateKey:
    return pool.get(KeyType(key), label) if isinstance(key, str) else key


def _dates(
    reference_time: dt.datetime | None, not_before: dt.datetime | None, not_after: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    reference = start_of_utc_day(reference_time) if reference_time is None else as_utc(reference_time)
    return (
        as_utc(not_before) if not_before else reference + DEFAULT_NOT_BEFORE,
        as_utc(not_after) if not_after else reference + DEFAULT_NOT_AFTER,
    )


def _leaf_extensions(builder: x509.CertificateBuilder, key: PrivateKey) -> x509.CertificateBuilder:
    """What a PersonalSign-like client certificate carries: end entity, signing, client auth."""
    is_rsa = isinstance(key, rsa.RSAPrivateKey)
    return (
        builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=is_rsa,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


@dataclass(frozen=True)
class Authority:
    """A certificate authority that issues leaf certificates (``issue``), like ``trustme.CA``."""

    certificate: x509.Certificate
    key: PrivateKey
    pool: KeyPool = field(default=DEFAULT_POOL, repr=False, compare=False)

    @classmethod
    def create(
        cls,
        name: x509.Name = FIXTURE_CA_NAME,
        *,
        key: PrivateKey | KeyType = KeyType.RSA_2048,
        pool: KeyPool = DEFAULT_POOL,
        serial: int | None = None,
        reference_time: dt.datetime | None = None,
    ) -> Authority:
        """A self-signed CA named ``name`` (default: the fixture CA), valid from a year before the
        reference to ten years after it. A key type takes the pool's CA key of that type, not the
        key its leaves get by default."""
        key = _resolve_key(key, pool, "ca")
        reference = start_of_utc_day(reference_time) if reference_time is None else as_utc(reference_time)
        public = key.public_key()
        builder = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(public)
            .serial_number(serial or x509.random_serial_number())
            .not_valid_before(reference - dt.timedelta(days=365))
            .not_valid_after(reference + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        )
        return cls(sign(builder, key), key, pool)

    @classmethod
    def load(cls, path: str | Path, key_path: str | Path | None = None, *, pool: KeyPool = DEFAULT_POOL) -> Authority:
        """An authority from its PEM certificate and unencrypted PEM key: ``path`` is the certificate
        (then ``key_path`` is needed) or a directory holding ``fixture-ca.pem`` and ``fixture-ca.key.pem``.

        OSError when a file cannot be read; ValueError when it is not what it should be.
        """
        path = Path(path)
        if path.is_dir():
            path, key_path = path / CA_FILE, path / CA_KEY_FILE
        if key_path is None:
            raise ValueError(f"{path}: the authority's key file is needed too")
        try:
            certificate = x509.load_pem_x509_certificate(path.read_bytes())
        except ValueError:
            raise ValueError(f"{path} is not a PEM certificate") from None
        try:
            key = load_own_key(key_path)
        except (ValueError, TypeError):
            raise ValueError(f"{key_path} is not an unencrypted PEM private key") from None
        if public_key_der(key) != public_key_der(certificate.public_key()):
            raise ValueError(f"{key_path} is not the key of {path}")
        return cls(certificate, key, pool)

    def save(self, directory: str | Path) -> tuple[Path, Path]:
        """Write ``fixture-ca.pem`` and ``fixture-ca.key.pem`` (mode 0600) into ``directory``."""
        directory = Path(directory)
        certificate = directory / CA_FILE
        certificate.write_bytes(self.pem)
        return certificate, write_secret(directory / CA_KEY_FILE, self.key_pem)

    @property
    def name(self) -> x509.Name:
        return self.certificate.subject

    @property
    def pem(self) -> bytes:
        return Encoding.PEM.of(self.certificate)

    @property
    def key_pem(self) -> bytes:
        return key_pkcs8(self.key)

    def issue(
        self,
        common_name: str = "Fixture Client",
        organization: str = "Fixture Logistics SRL",
        *,
        subject: x509.Name | None = None,
        enterprise_number: str | None = None,
        key: PrivateKey | KeyType = KeyType.RSA_2048,
        serial: int | None = None,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
        reference_time: dt.datetime | None = None,
        hash: HashName = "sha256",
    ) -> Issued:
        """A leaf certificate for an employer, signed by this authority.

        ``key`` is a key, or a key type (the pool's key of that type);
        ``hash`` one of sha256, sha384, sha512, sha1, md5 (the last two: RSA issuer only).
        """
        key = _resolve_key(key, self.pool)
        subject = subject or leaf_name(common_name, organization, enterprise_number=enterprise_number)
        start, end = _dates(reference_time, not_before, not_after)
        issuer_ski = self.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(serial or x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski), critical=False)
        )
        return Issued(sign(_leaf_extensions(builder, key), self.key, hash), key)


def self_signed(
    common_name: str = "Fixture Client",
    organization: str = "Fixture Logistics SRL",
    *,
    subject: x509.Name | None = None,
    enterprise_number: str | None = None,
    key: PrivateKey | KeyType = KeyType.RSA_2048,
    pool: KeyPool = DEFAULT_POOL,
    serial: int | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    reference_time: dt.datetime | None = None,
    hash: HashName = "sha256",
) -> Issued:
    """A self-signed leaf certificate (CERT-6 accepts it when O is the company's name)."""
    key = _resolve_key(key, pool)
    subject = subject or leaf_name(common_name, organization, enterprise_number=enterprise_number)
    start, end = _dates(reference_time, not_before, not_after)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
    )
    return Issued(sign(_leaf_extensions(builder, key), key, hash), key)


def new_serial() -> int:
    """A random positive serial of 16 bytes (what public CAs use), unpredictable."""
    return secrets.randbits(127) | 1 << 64

"""What the contract expects of a certificate file: accept, or refuse by one rule of CERT-2..6.

``judge(data, trusted=[ca], company=…)`` decides from the file alone. It is the one classifier:
``certs check`` prints its verdict, and ``generate`` makes sure every catalogue entry's declared
expectation is its verdict. CERT-7 (a certificate registered for another sender) depends on the
portal's state, not on the file, so it is never judged here.

Written from the contract's words with ``cryptography``, independently of the mock portal.
The rules are tried in the contract's order and the first refusal wins; the catalogue's files
each break one rule only, so the order never decides what it expects.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import rsa

from certs.display import (
    OID_ORGANIZATION,
    CertificateFileError,
    DisplayValues,
    display_values,
    first_text,
    iso_utc,
    load_certificate,
    rfc4514,
    tbs_names,
    visible,
)
from certs.keys import describe_key

MAX_BYTES = 64 * 1024  # CERT-2: "a file over 64 KiB" is refused; exactly 64 KiB is not over
MIN_RSA_BITS = 2048  # CERT-5
WEAK_HASHES = ("md5", "sha1")  # CERT-5
NOT_JUDGED = "CERT-7"  # depends on what other senders registered
FILE_RULES = ("CERT-2", "CERT-3", "CERT-4", "CERT-5", "CERT-6")


class Outcome(enum.StrEnum):
    """What the portal must do with a file: accept it, or refuse it by one rule."""

    ACCEPT = "accept"
    REFUSE_CERT_2 = "refuse CERT-2"
    REFUSE_CERT_3 = "refuse CERT-3"
    REFUSE_CERT_4 = "refuse CERT-4"
    REFUSE_CERT_5 = "refuse CERT-5"
    REFUSE_CERT_6 = "refuse CERT-6"

    @classmethod
    def refuse(cls, rule: str) -> Outcome:
        """The refusal by ``rule`` (``"CERT-2"`` … ``"CERT-6"``)."""
        try:
            return cls(f"refuse {rule}")
        except ValueError:
            raise ValueError(f"no file is refused by {rule!r} alone (one of {', '.join(FILE_RULES)})") from None

    @property
    def accepted(self) -> bool:
        return self is Outcome.ACCEPT

    @property
    def rule(self) -> str | None:
        """The refusing rule's id, None for ACCEPT."""
        return None if self.accepted else self.value.removeprefix("refuse ")

    def as_manifest(self) -> str | dict[str, str]:
        """The manifest's form: ``"accept"`` or ``{"refuse": "CERT-x"}``."""
        return self.value if self.rule is None else {"refuse": self.rule}

    @classmethod
    def from_manifest(cls, value: object) -> Outcome:
        if value == "accept":
            return cls.ACCEPT
        if isinstance(value, dict) and set(value) == {"refuse"}:
            return cls.refuse(str(value["refuse"]))
        raise ValueError(f"not an expected outcome: {value!r}")


ACCEPT = Outcome.ACCEPT
refuse = Outcome.refuse


@dataclass(frozen=True)
class Verdict:
    """The outcome for one file, why, and (for a certificate) what the portal must show."""

    outcome: Outcome
    reason: str
    certificate: x509.Certificate | None = None

    @property
    def values(self) -> DisplayValues | None:
        """The confirmation screen's values (CONFIRM-2) of an accepted certificate."""
        return display_values(self.certificate) if self.certificate and self.outcome.accepted else None


def judge(
    data: bytes, *, trusted: Iterable[x509.Certificate] = (), company: str | None = None, now: dt.datetime | None = None
) -> Verdict:
    """What the contract expects of a file with these bytes, uploaded by the employer ``company``
    (None: unknown, so no self-signed certificate is accepted) to a portal that trusts the CAs
    ``trusted``, at ``now`` (default: the current time)."""
    now = now or dt.datetime.now(dt.UTC)
    if len(data) > MAX_BYTES:
        return Verdict(Outcome.REFUSE_CERT_2, f"the file is {len(data)} bytes, over 64 KiB ({MAX_BYTES})")
    try:
        certificate = load_certificate(data)
    except CertificateFileError as error:
        return Verdict(Outcome.refuse(error.rule), str(error))
    for check in (_dates, _key_and_signature):
        refusal = check(certificate, now)
        if refusal:
            return Verdict(refusal[0], refusal[1], certificate)
    outcome, reason = _issuer(certificate, list(trusted), company)
    return Verdict(outcome, reason, certificate)


def _dates(certificate: x509.Certificate, now: dt.datetime) -> tuple[Outcome, str] | None:
    if certificate.not_valid_after_utc < now:
        return Outcome.REFUSE_CERT_4, f"expired: notAfter {iso_utc(certificate.not_valid_after_utc)} is past"
    if certificate.not_valid_before_utc > now:
        return Outcome.REFUSE_CERT_4, (
            f"not yet valid: notBefore {iso_utc(certificate.not_valid_before_utc)} is in the future"
        )
    return None


def _key_and_signature(certificate: x509.Certificate, _now: dt.datetime) -> tuple[Outcome, str] | None:
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        return Outcome.REFUSE_CERT_5, f"the key is {describe_key(key)}, not RSA (tokens are signed RS256)"
    if key.key_size < MIN_RSA_BITS:
        return Outcome.REFUSE_CERT_5, f"the RSA key has {key.key_size} bits, fewer than {MIN_RSA_BITS}"
    try:
        hash_algorithm = certificate.signature_hash_algorithm
    except UnsupportedAlgorithm:
        return None  # an algorithm cryptography does not know is at least not MD5 or SHA-1
    if hash_algorithm is not None and hash_algorithm.name in WEAK_HASHES:
        return Outcome.REFUSE_CERT_5, f"the signature uses {hash_algorithm.name.upper()}"
    return None


def _signed_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s name is the certificate's issuer and its key made the signature."""
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _issuer(certificate: x509.Certificate, trusted: list[x509.Certificate], company: str | None) -> tuple[Outcome, str]:
    issuer_der, subject_der = tbs_names(certificate)
    issuer = visible(rfc4514(issuer_der))  # a reason printed on a terminal is shown too
    for authority in trusted:
        if _signed_by(certificate, authority):
            return Outcome.ACCEPT, f"issued by the trusted CA {issuer}"
    if issuer_der == subject_der and _signed_by(certificate, certificate):
        organization = first_text(subject_der, OID_ORGANIZATION)
        if company is None:
            return Outcome.REFUSE_CERT_6, (
                f"self-signed in the name of {organization!r}: accepted only when that "
                "is the company's name, and no company is known"
            )
        if _same_name(organization, company):
            return Outcome.ACCEPT, f"self-signed in the company's name ({organization!r})"
        return Outcome.REFUSE_CERT_6, f"self-signed in the name of {organization!r}, not the company's ({company!r})"
    if any(certificate.issuer == authority.subject for authority in trusted):
        return Outcome.REFUSE_CERT_6, (
            f"the issuer's name is a trusted CA's ({issuer}), but that CA's key did not sign it"
        )
    if not trusted:
        return Outcome.REFUSE_CERT_6, f"issued by {issuer}, and no CA is trusted"
    return Outcome.REFUSE_CERT_6, f"issued by {issuer}, which is not a trusted CA"


def _same_name(organization: str, company: str) -> bool:
    """CERT-6: the same name, case and surrounding spaces aside, compared in Unicode NFC (the
    composed "é" and "e" followed by a combining acute accent are one letter)."""

    def comparable(name: str) -> str:
        return unicodedata.normalize("NFC", name).strip().casefold()

    return comparable(organization) == comparable(company)

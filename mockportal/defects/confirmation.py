"""Defects of what the confirmation shows (CONFIRM-1..3): the contact as entered, its buttons,
and the certificate's values."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from cryptography import x509

from ..certificate import RFC4514_NAMES, CertificateView, rfc4514_escape, sha256_hex
from .patching import patch_skin, wrap
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal


def _issuer(
    name: x509.Name,
    *,
    reverse: bool = True,
    escape: bool = True,
    names: Mapping[x509.ObjectIdentifier, str] = RFC4514_NAMES,
) -> str:
    """A DN written like CONFIRM-2's issuer, with one of its rules changed."""
    rdns = reversed(name.rdns) if reverse else name.rdns
    return ", ".join(
        "+".join(f"{names.get(a.oid, a.oid.dotted_string)}={_value(a, escape)}" for a in rdn) for rdn in rdns
    )


def _value(attribute: x509.NameAttribute, escape: bool) -> object:
    return rfc4514_escape(attribute.value) if escape else attribute.value


@defect("miss-shown-as-mrs", "CONFIRM-1", "the summaries (confirmation, overview) show the title Mlle as Mme")
def _miss_shown_as_mrs(portal: Portal) -> None:
    wrap(
        portal,
        "word",
        lambda original: lambda key, language: original("title_mrs" if key == "title_miss" else key, language),
    )


@defect("confirmation-without-previous", "CONFIRM-1", "the confirmation offers Annuler and Confirmer but no Précédent")
def _confirmation_without_previous(portal: Portal) -> None:
    patch_skin(
        portal,
        {
            "default": [
                (
                    "wizard_confirmation.html",
                    '<button type="submit" name="action" value="previous">{{ w.previous }}</button>',
                    "",
                )
            ],
            "variant": [
                (
                    "wizard_confirmation.html",
                    '<input type="submit" name="action.previous" value="{{ w.previous }}">',
                    "",
                )
            ],
        },
    )


@defect(
    "last-name-not-escaped",
    "CONFIRM-1",
    "the summaries print Nom unescaped (|safe): markup typed there is interpreted, not shown",
)
def _last_name_not_escaped(portal: Portal) -> None:
    patch_skin(
        portal,
        {
            "default": [
                (
                    "_macros.html",
                    "<dd>{{ value }}</dd>",
                    "<dd>{% if label == w.last_name %}{{ value|safe }}{% else %}{{ value }}{% endif %}</dd>",
                )
            ],
            "variant": [
                (
                    "_macros.html",
                    "<td>{{ cell(value) }}</td>",
                    "<td>{% if label == w.last_name %}{{ value|safe }}{% else %}{{ cell(value) }}{% endif %}</td>",
                )
            ],
        },
    )


@defect("hex-serial-unpadded", "CONFIRM-2", "the hexadecimal serial is not padded to whole bytes (499 → 1F3)")
def _hex_serial_unpadded(portal: Portal) -> None:
    portal.certificates.confirm_2_serial_hex = lambda certificate: f"{certificate.serial_number:X}"


@defect(
    "hex-serial-sign-byte", "CONFIRM-2", "the hexadecimal serial is the DER integer with its sign byte (128 → 0080)"
)
def _hex_serial_sign_byte(portal: Portal) -> None:
    portal.certificates.confirm_2_serial_hex = lambda certificate: (
        certificate.serial_number.to_bytes(certificate.serial_number.bit_length() // 8 + 1, "big").hex().upper()
    )


@defect("expiry-in-utc", "CONFIRM-2", "the expiry date is the day of notAfter in UTC, not in Brussels")
def _expiry_in_utc(portal: Portal) -> None:
    portal.certificates.confirm_2_expiry = lambda certificate: certificate.not_valid_after_utc.strftime("%d/%m/%Y")


@defect("expiry-fixed-offset", "CONFIRM-2", "Brussels is taken as UTC+1 all year (summer time ignored)")
def _expiry_fixed_offset(portal: Portal) -> None:
    portal.certificates.confirm_2_expiry = lambda certificate: (
        certificate.not_valid_after_utc + datetime.timedelta(hours=1)
    ).strftime("%d/%m/%Y")


@defect(
    "issuer-encoded-order", "CONFIRM-2", "the issuer is written in the encoded order (C=BE, O=…, CN=…), not RFC 4514's"
)
def _issuer_encoded_order(portal: Portal) -> None:
    portal.certificates.confirm_2_issuer = lambda certificate: _issuer(certificate.issuer, reverse=False)


@defect("issuer-unescaped", "CONFIRM-2", "the issuer's values are not escaped as RFC 4514 says")
def _issuer_unescaped(portal: Portal) -> None:
    portal.certificates.confirm_2_issuer = lambda certificate: _issuer(certificate.issuer, escape=False)


@defect("issuer-email-named-e", "CONFIRM-2", "emailAddress is written 'E=' instead of its dotted OID")
def _issuer_email_named_e(portal: Portal) -> None:
    names = {**RFC4514_NAMES, x509.NameOID.EMAIL_ADDRESS: "E"}
    portal.certificates.confirm_2_issuer = lambda certificate: _issuer(certificate.issuer, names=names)


@defect(
    "certificate-names-unescaped",
    "CONFIRM-3",
    "the certificate's names are shown as they are: a right-to-left override in the owner's name "
    "turns its text around, invisible characters stay invisible",
)
def _certificate_names_unescaped(portal: Portal) -> None:
    portal.certificates.confirm_3_visible = lambda value: value


@defect(
    "overview-names-unescaped",
    "CONFIRM-3",
    "the confirmation escapes a certificate's unseen characters, but once it is registered the "
    "overview and the channel pages show its names as they are",
)
def _overview_names_unescaped(portal: Portal) -> None:
    certificates, store = portal.certificates, portal.store

    def as_stored(original: Callable[[bytes], CertificateView]) -> Callable[[bytes], CertificateView]:
        def view(der: bytes) -> CertificateView:
            shown = original(der)
            if store.certificate_holder(sha256_hex(der)) is None:  # not registered: the wizard's draft
                return shown
            certificate = certificates.load(der)
            return dataclasses.replace(
                shown,
                owner=certificates.confirm_2_owner(certificate),
                company=certificates.confirm_2_company(certificate),
                issuer=certificates.confirm_2_issuer(certificate),
            )

        return view

    wrap(certificates, "view", as_stored)

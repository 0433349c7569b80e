"""What the summary pages show (label/value rows) and how the channel form's entries are read:
shared by the wizard, the overview and the channel pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from contract.words import APPLICATIONS

from .certificate import CertificateView
from .rules import CHANNEL_FIELDS, ChannelValues, FieldError, ssh_key_summary
from .sessions import MAX_SSH_KEY, capped, capped_choices
from .store import Configuration

if TYPE_CHECKING:
    from .portal import Portal
    from .web import Request


class Items(tuple[str, ...]):
    """A value made of several items (e-mail addresses, applications). Printed as text it is
    one line joined by ", " (the default skin); a template may list the items one per line
    instead (the variant skin): contract §3 allows both."""

    def __str__(self) -> str:
        return ", ".join(self)


Rows = list[tuple[str, "str | Items"]]


class ChannelEntries(Protocol):
    """A wizard draft or a channel page's draft: what the channel form fills in."""

    applications: list[str]
    ssh_key: str
    certificate_der: bytes | None


def employer_id(portal: Portal, request: Request) -> int:
    """ACCESS-3: every lookup is keyed by the session's employer, never by the request."""
    values = {**{k: v[0] for k, v in request.query.items() if v}, **request.form.values()}
    return portal.rules.access_3_employer_id(request.signed_session.employer_id, values)


def contact_rows(portal: Portal, contact: dict, language: str) -> Rows:
    """The contact as the confirmation and the overview show it (option texts, e-mails as items)."""
    w = lambda key: portal.word(key, language)  # noqa: E731
    title = contact.get("title")
    regime = contact.get("language_regime")
    return [
        (w("last_name"), contact.get("last_name", "")),
        (w("first_name"), contact.get("first_name", "")),
        (w("title"), w(f"title_{title}") if title else ""),
        (w("function"), contact.get("function", "")),
        (w("language_regime"), w(f"language_{regime}") if regime else ""),
        (w("phone"), contact.get("phone", "")),
        (w("fax"), contact.get("fax", "")),
        (w("mobile"), contact.get("mobile", "")),
        (w("emails"), Items(contact.get("emails", ()))),
    ]


def certificate_rows(portal: Portal, view: CertificateView, language: str, *, overview: bool) -> Rows:
    """CONFIRM-2 / RESULT-3: the certificate's values (the overview labels the date differently)."""
    w = lambda key: portal.word(key, language)  # noqa: E731
    return [
        (w("cert_owner"), view.owner),
        (w("cert_company"), view.company),
        (w("cert_issuer"), view.issuer),
        (w("cert_expiry_overview" if overview else "cert_expiry"), view.expiry),
        (w("serial_decimal"), view.serial_decimal),
        (w("serial_hex"), view.serial_hex),
    ]


def channel_rows(portal: Portal, kind: str, applications, ssh_key: str | None, language: str) -> Rows:
    """CONFIRM-1: Canal, and for Web Service its connection type; FTP/SFTP their applications,
    SFTP its key (type and fingerprint)."""
    w = lambda key: portal.word(key, language)  # noqa: E731
    rows: Rows = [(w("channel"), w(f"channel_value_{kind}"))]
    stored = portal.rules.channel_5_stored({"channel": kind, "applications": applications, "ssh_key": ssh_key})
    if stored["connection_type"]:
        rows.append((w("connection_type"), w(f"connection_{stored['connection_type']}")))
    if kind in ("ftp", "sftp"):
        rows.append((w("applications_summary"), Items(stored["applications"])))
    if kind == "sftp":
        rows.append((w("ssh_key"), ssh_key_summary(stored["ssh_key"] or "")))
    return rows


def overview_sections(portal: Portal, configuration: Configuration, language: str) -> list[tuple[str, Rows]]:
    """RESULT-1..3: the overview's sections, each a heading and its rows."""
    w = lambda key: portal.word(key, language)  # noqa: E731
    sections: list[tuple[str, Rows]] = [
        (w("section_contact_overview"), contact_rows(portal, configuration.contact, language)),
        (
            w("section_technical_user"),
            [
                (w("sender_number"), str(configuration.sender)),
                (w("registration_date"), configuration.registration_date),
                (w("technical_username"), configuration.technical_username),
            ],
        ),
    ]
    for kind in ("ftp", "sftp", "ws"):
        if kind in configuration.channels:
            sections.append(channel_section(portal, configuration, kind, language))
    return sections


def channel_section(portal: Portal, configuration: Configuration, kind: str, language: str) -> tuple[str, Rows]:
    """One configured channel as the overview and its channel page show it."""
    w = lambda key: portal.word(key, language)  # noqa: E731
    channel = configuration.channels[kind]
    certificate = certificate_rows(portal, portal.certificates.view(channel.certificate_der), language, overview=True)
    if kind == "ws":
        rows = [
            (w("connection_type"), w(f"connection_{channel.connection_type or 'internet'}")),
            *certificate,
            (w("oauth_client"), configuration.client_id),
        ]
    else:
        rows = [(w("applications_summary"), Items(channel.applications))]
        if kind == "sftp":
            rows.append((w("ssh_key"), ssh_key_summary(channel.ssh_key or "")))
        rows += certificate
    return w(f"section_{'web_service' if kind == 'ws' else kind}"), rows


def take_channel_entries(
    portal: Portal, request: Request, target: ChannelEntries, *, channel: str, validate: bool
) -> list[FieldError]:
    """Read the channel form into ``target`` (a draft); check it when ``validate``.

    An uploaded file is checked at once (CERT-1..7): only a certificate that passes is kept,
    as DER; whatever else was uploaded is dropped here. Entries are kept capped (each ticked
    application once, one SSH key line: ``sessions.capped``), and checked as kept. Without ``validate`` (Précédent, a
    language switch) nothing is reported: entries are just kept.
    """
    form = request.form
    target.applications = capped_choices(form.getlist("applications"), APPLICATIONS)
    target.ssh_key = capped(form.get("ssh_key"), MAX_SSH_KEY)
    upload = form.files.get("certificate")
    upload_error = None
    if upload is not None and upload.given:
        eid = employer_id(portal, request)
        employer = portal.store.employer(eid)
        result = portal.certificates.check(
            upload.data,
            company=employer.name if employer else "",
            employer_id=eid,
            holder=portal.store.certificate_holder,
        )
        if result.der is not None:
            target.certificate_der = result.der
        else:
            upload_error = FieldError("certificate", result.error or "cert_not_certificate")
    if not validate:
        return []
    errors = portal.rules.check_channel(channel_values(target, channel))
    if upload_error is not None:
        errors = [upload_error, *(e for e in errors if e.field != "certificate")]
    return portal.rules.contact_8_summary(errors, CHANNEL_FIELDS)


def channel_values(target: ChannelEntries, channel: str) -> ChannelValues:
    """The values CHANNEL-1..5 check."""
    return {
        "channel": channel,
        "has_certificate": target.certificate_der is not None,
        "applications": list(target.applications),
        "ssh_key": target.ssh_key,
    }


def error_marks(errors: list[FieldError]) -> dict[str, str]:
    """Field → id of its message, for ``aria-invalid`` and ``aria-describedby`` (CONTACT-8)."""
    return {error.field: f"error-{error.field}" for error in errors}

"""Defects of the channel data (CHANNEL-1..6): the choice of channel, certificates, applications,
SSH keys, the Web Service's connection type, and the channel pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ..web import Handler
from .patching import drop_errors, on_wizard_post, patch_template, wrap
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal
    from ..web import Request, Response

Values = Mapping[str, Any]


def _ssh_rsa_bits(text: object) -> int:
    parts = str(text or "").split()
    try:
        key = serialization.load_ssh_public_key(f"{parts[0]} {parts[1]}".encode("ascii"))
    except Exception:  # noqa: BLE001
        return 0
    return key.key_size if isinstance(key, rsa.RSAPublicKey) else 0


@defect("no-channel-means-web-service", "CHANNEL-1", "no channel chosen is taken as Web Service instead of an error")
def _no_channel_means_web_service(portal: Portal) -> None:
    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        if not request.form.get("channel"):
            request.form.fields["channel"] = ["ws"]
        return handler(portal_, request)

    on_wizard_post(portal, "channel", "next", change)


@defect("sftp-not-offered", "CHANNEL-1", "the channel choice offers Canal FTP and Canal Web Service only")
def _sftp_not_offered(portal: Portal) -> None:
    patch_template(
        portal, "wizard_channel.html", '{% for code in ("ftp", "sftp", "ws") %}', '{% for code in ("ftp", "ws") %}'
    )


@defect(
    "batch-certificate-optional",
    "CHANNEL-2",
    "FTP and SFTP go on without a certificate (only Web Service asks for one)",
)
def _batch_certificate_optional(portal: Portal) -> None:
    wrap(
        portal.rules,
        "channel_2_certificate",
        lambda original: lambda values: [] if values.get("channel") in ("ftp", "sftp") else original(values),
    )


@defect("ftp-without-application", "CHANNEL-3", "FTP goes on without an application (only SFTP asks for one)")
def _ftp_without_application(portal: Portal) -> None:
    wrap(
        portal.rules,
        "channel_3_applications",
        lambda original: lambda values: [] if values.get("channel") == "ftp" else original(values),
    )


@defect(
    "application-missing-from-list",
    "CHANNEL-3",
    "Liste des applications leaves out 'Déclaration électronique au Cadastre des Pensions (layout plat)'",
)
def _application_missing_from_list(portal: Portal) -> None:
    portal.applications = portal.applications[:-1]


@defect("ssh-rsa-1024-accepted", "CHANNEL-4", "an RSA SSH key of 1024 bits is accepted (the minimum is 2048)")
def _ssh_rsa_1024_accepted(portal: Portal) -> None:
    drop_errors(
        portal.rules,
        "channel_4_ssh_key",
        lambda e, values: e.message == "ssh_weak" and _ssh_rsa_bits(values.get("ssh_key")) >= 1024,
    )


@defect("ssh-key-optional", "CHANNEL-4", "SFTP goes on without an SSH public key")
def _ssh_key_optional(portal: Portal) -> None:
    drop_errors(portal.rules, "channel_4_ssh_key", lambda e, values: e.message == "ssh_required")


@defect("ws-connection-extranet", "CHANNEL-5", "the Web Service's connection type is Extranet instead of Internet")
def _ws_connection_extranet(portal: Portal) -> None:
    portal.words["connection_extranet"] = {"fr": "Extranet", "nl": "Extranet", "de": "Extranet"}

    def extranet(original: Callable[[Values], dict]) -> Callable[[Values], dict]:
        def stored(values: Values) -> dict:
            kept = original(values)
            return {**kept, "connection_type": "extranet"} if kept["connection_type"] == "internet" else kept

        return stored

    wrap(portal.rules, "channel_5_stored", extranet)


@defect("ws-needs-application", "CHANNEL-5", "Web Service also asks for an application of the list")
def _ws_needs_application(portal: Portal) -> None:
    wrap(
        portal.rules,
        "channel_3_applications",
        lambda original: (
            lambda values: original({**values, "channel": "ftp"}) if values.get("channel") == "ws" else original(values)
        ),
    )


@defect("channel-page-not-adding", "CHANNEL-6", "the page of a channel not configured yet offers nothing to add it")
def _channel_page_not_adding(portal: Portal) -> None:
    portal.rules.channel_6_can_add = lambda configured, kind: False


@defect(
    "channel-page-add-ignored", "CHANNEL-6", "Confirmer on a channel page says the channel was added but adds nothing"
)
def _channel_page_add_ignored(portal: Portal) -> None:
    portal.store.add_channel = lambda employer_id, channel: "created"  # type: ignore[method-assign]

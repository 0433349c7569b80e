"""Defects of the result (RESULT-1..4): the success message, the overview's technical user and
Web Service section, Home and the side navigation once a sender exists."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..certificate import BRUSSELS
from ..store import Channel, Configuration, client_id
from .patching import patch_skin, wrap, wrap_render
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal

Create = Callable[[int, dict, Channel], str]


@defect("success-message-not-status", "RESULT-1", "'Le canal a bien été ajouté.' is shown, but not as a status message")
def _success_message_not_status(portal: Portal) -> None:
    patch_skin(
        portal,
        {
            "default": [("overview.html", '<p role="status" class="status">', '<p class="status">')],
            "variant": [("overview.html", '<div role="status" class="done">', '<div class="done">')],
        },
    )


@defect("success-message-wrong-text", "RESULT-1", "after Confirmer the overview says 'Le canal a été ajouté.'")
def _success_message_wrong_text(portal: Portal) -> None:
    portal.words["channel_added"] = {
        "fr": "Le canal a été ajouté.",
        "nl": "Het kanaal is toegevoegd.",
        "de": "Der Kanal ist hinzugefügt.",
    }


@defect("registration-date-two-digit-year", "RESULT-2", "Date d'inscription is written dd/mm/yy")
def _registration_date_two_digit_year(portal: Portal) -> None:
    store = portal.store

    def two_digit_year(original: Create) -> Create:
        def create_configuration(employer_id: int, contact: dict, channel: Channel) -> str:
            outcome = original(employer_id, contact, channel)
            if outcome == "created":
                with store.transaction() as db:
                    db.execute(
                        "UPDATE configurations SET registration_date = ? WHERE employer_id = ?",
                        (datetime.datetime.now(BRUSSELS).strftime("%d/%m/%y"), employer_id),
                    )
            return outcome

        return create_configuration

    wrap(store, "create_configuration", two_digit_year)


@dataclass(frozen=True)
class _ClientIdOfEmployer(Configuration):
    @property
    def client_id(self) -> str:
        return client_id(self.employer_id)


@defect(
    "client-id-not-sender", "RESULT-3", "the OAuth client id is made of the internal employer id, not the sender number"
)
def _client_id_not_sender(portal: Portal) -> None:
    def of_employer(original: Callable[[int], Configuration | None]) -> Callable[[int], Configuration | None]:
        def configuration(employer_id: int) -> Configuration | None:
            found = original(employer_id)
            if found is None:
                return None
            return _ClientIdOfEmployer(**{f.name: getattr(found, f.name) for f in dataclasses.fields(found)})

        return configuration

    wrap(portal.store, "configuration", of_employer)


@defect(
    "oauth-client-label-wrong",
    "RESULT-3",
    "the overview labels the client id 'Client OAuth' (the seed: 'Client OAUTH')",
)
def _oauth_client_label_wrong(portal: Portal) -> None:
    portal.words["oauth_client"]["fr"] = "Client OAuth"


@defect(
    "home-still-no-active-sender", "RESULT-4", "Home still says 'Il n'y a pas d'expéditeur actif.' after registration"
)
def _home_still_no_active_sender(portal: Portal) -> None:
    portal.rules.home_2_no_active_sender = lambda has_configuration: True


@defect(
    "side-navigation-unchanged", "RESULT-4", "after registration the side navigation still offers only the registration"
)
def _side_navigation_unchanged(portal: Portal) -> None:
    wrap_render(portal, lambda request: None)


@defect("channel-links-reordered", "RESULT-4", "the side navigation lists Canal SFTP last, after Canal FTP")
def _channel_links_reordered(portal: Portal) -> None:
    items = {"default": ("<li>", "</li>"), "variant": ('<p class="sub">', "</p>")}
    patches = {}
    for skin, (start, end) in items.items():
        sftp = start + '{{ link("/channels/sftp", "channel_sftp", w.channel_sftp) }}' + end
        ftp = start + '{{ link("/channels/ftp", "channel_ftp", w.channel_ftp) }}' + end
        patches[skin] = [("_sidenav.html", sftp, ""), ("_sidenav.html", ftp, ftp + sftp)]
    patch_skin(portal, patches)

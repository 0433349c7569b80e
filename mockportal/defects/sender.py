"""Defects of the sender number (SENDER-1) and of the deletion (DELETE-1; the OAuth client that
outlives it is in ``oauth.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..store import Channel
from ..web import Handler, redirect
from .patching import DELETION, route, wrap
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal
    from ..web import Request, Response

Add = Callable[[int, Channel], str]


@defect(
    "sender-reused-after-delete",
    "SENDER-1",
    "the next sender number is the highest in use plus one: a deleted last number is handed out again",
)
def _sender_reused_after_delete(portal: Portal) -> None:
    portal.store.next_sender = lambda db: (  # type: ignore[method-assign]
        db.execute("SELECT COALESCE(MAX(sender), 100000) FROM configurations").fetchone()[0] + 1
    )


@defect("second-channel-changes-sender", "SENDER-1", "adding a channel gives the configuration a new sender number")
def _second_channel_changes_sender(portal: Portal) -> None:
    store = portal.store

    def new_sender(original: Add) -> Add:
        def add_channel(employer_id: int, channel: Channel) -> str:
            outcome = original(employer_id, channel)
            if outcome == "created":
                with store.transaction() as db:
                    db.execute(
                        "UPDATE configurations SET sender = ? WHERE employer_id = ?",
                        (store.next_sender(db), employer_id),
                    )
            return outcome

        return add_channel

    wrap(store, "add_channel", new_sender)


@defect("sender-seven-digits", "SENDER-1", "sender numbers have seven digits (the counter starts at 1000001)")
def _sender_seven_digits(portal: Portal) -> None:
    wrap(portal.store, "next_sender", lambda original: lambda db: original(db) + 900_000)


@defect("delete-without-confirmation", "DELETE-1", "the deletion link deletes at once, without asking")
def _delete_without_confirmation(portal: Portal) -> None:
    def at_once(handler: Handler) -> Handler:
        def delete(portal_: Portal, request: Request) -> Response:
            session = request.signed_session
            if portal_.store.delete_configuration(session.employer_id):
                session.flash = ("message", "deleted")
            return redirect("/")

        return delete

    route(portal, "GET", DELETION, change=at_once)


@defect("delete-cancel-deletes", "DELETE-1", "Annuler on the deletion page deletes as well")
def _delete_cancel_deletes(portal: Portal) -> None:
    def cancel_deletes(handler: Handler) -> Handler:
        def delete(portal_: Portal, request: Request) -> Response:
            if request.form.get("action") == "cancel":
                request.form.fields["action"] = ["confirm"]
            return handler(portal_, request)

        return delete

    route(portal, "POST", DELETION, change=cancel_deletes)


@defect("delete-leaves-configuration", "DELETE-1", "the deletion is confirmed but the configuration stays")
def _delete_leaves_configuration(portal: Portal) -> None:
    portal.store.delete_configuration = lambda employer_id: True  # type: ignore[method-assign]

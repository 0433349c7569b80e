"""Defects of the wizard itself (WIZ-1..6): its steps, Précédent, Annuler, skipping, double sends."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..web import Handler, redirect
from .patching import on_wizard_post, patch_skin, patch_template, wrap
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal
    from ..web import Request, Response

FirstIncomplete = Callable[[dict[str, bool], str], str]


@defect("steps-in-wrong-order", "WIZ-1", "the step list shows Données du canal before Personne de contact")
def _steps_in_wrong_order(portal: Portal) -> None:
    portal.rules.wiz_1_steps = lambda: ("information", "channel", "contact", "confirmation")


@defect("current-step-not-marked", "WIZ-1", "the step list does not mark the current step (no aria-current)")
def _current_step_not_marked(portal: Portal) -> None:
    patch_template(portal, "_wizard.html", '{% if name == step %} aria-current="step"{% endif %}', "")


@defect("information-without-mqlink", "WIZ-2", "the Information text leaves MQLink out of the batch channels")
def _information_without_mqlink(portal: Portal) -> None:
    for language, (old, new) in {
        "fr": (", FTP et MQLink", " et FTP"),
        "nl": (", FTP en MQLink", " en FTP"),
        "de": (", FTP und MQLink", " und FTP"),
    }.items():
        text = portal.messages["info_2"][language]
        if old not in text:
            raise LookupError(f"info_2 ({language}) does not say {old!r}")
        portal.messages["info_2"][language] = text.replace(old, new)


@defect("information-next-says-continuer", "WIZ-2", "the Information step's Suivant button reads 'Continuer'")
def _information_next_says_continuer(portal: Portal) -> None:
    patch_skin(
        portal,
        {
            "default": [
                (
                    "wizard_information.html",
                    'class="primary">{{ w.next }}</button>',
                    'class="primary">Continuer</button>',
                )
            ],
            "variant": [
                (
                    "wizard_information.html",
                    'name="action.next" value="{{ w.next }}"',
                    'name="action.next" value="Continuer"',
                )
            ],
        },
    )


@defect("previous-forgets-certificate", "WIZ-3", "Précédent from the confirmation drops the uploaded certificate")
def _previous_forgets_certificate(portal: Portal) -> None:
    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        response = handler(portal_, request)
        draft = request.signed_session.draft
        if draft is not None:
            draft.certificate_der = None
        return response

    on_wizard_post(portal, "confirmation", "previous", change)


@defect("previous-forgets-channel", "WIZ-3", "Précédent from Données du canal forgets the channel chosen")
def _previous_forgets_channel(portal: Portal) -> None:
    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        response = handler(portal_, request)
        draft = request.signed_session.draft
        if draft is not None:
            draft.channel = ""
        return response

    on_wizard_post(portal, "channel", "previous", change)


@defect(
    "replacement-certificate-ignored",
    "WIZ-3",
    "once a certificate is loaded, uploading another one on the channel step keeps the first",
)
def _replacement_certificate_ignored(portal: Portal) -> None:
    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        session = request.signed_session
        draft = session.draft
        before = draft.certificate_der if draft is not None else None
        response = handler(portal_, request)
        if draft is not None and before is not None and session.draft is draft:
            draft.certificate_der = before
        return response

    on_wizard_post(portal, "channel", None, change)


@defect("cancel-still-creates", "WIZ-4", "Annuler on the confirmation creates the configuration anyway, then goes Home")
def _cancel_still_creates(portal: Portal) -> None:
    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        request.form.fields["action"] = ["confirm"]
        handler(portal_, request)
        session = request.signed_session
        session.draft = None
        session.flash = None
        return redirect("/")

    on_wizard_post(portal, "confirmation", "cancel", change)


@defect("cancel-keeps-entries", "WIZ-4", "Annuler goes Home but keeps the draft: the next wizard starts filled in")
def _cancel_keeps_entries(portal: Portal) -> None:
    for step in ("information", "contact", "channel", "confirmation"):
        on_wizard_post(portal, step, "cancel", lambda portal_, request, handler: redirect("/"))


@defect(
    "step-skipping-allowed",
    "WIZ-5",
    "once past Information, any step's address shows that step, whatever is still missing",
)
def _step_skipping_allowed(portal: Portal) -> None:
    wrap(
        portal.rules,
        "wiz_5_first_incomplete",
        lambda original: lambda complete, wanted: wanted if complete.get("information") else original(complete, wanted),
    )


@defect(
    "contact-step-skippable",
    "WIZ-5",
    "the contact step counts as done once Information is: Données du canal opens with no contact entered",
)
def _contact_step_skippable(portal: Portal) -> None:
    def skippable(original: FirstIncomplete) -> FirstIncomplete:
        return lambda complete, wanted: original(
            {**complete, "contact": complete.get("contact") or bool(complete.get("information"))}, wanted
        )

    wrap(portal.rules, "wiz_5_first_incomplete", skippable)


@defect(
    "double-submit-two-senders",
    "WIZ-6",
    "the same confirmation sent again replaces the configuration with a new one under a new sender number",
)
def _double_submit_two_senders(portal: Portal) -> None:
    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        session = request.signed_session
        existing = portal_.store.configuration(session.employer_id)
        if existing is None or request.form.get("wizard") not in session.consumed_drafts:
            return handler(portal_, request)
        portal_.store.delete_configuration(session.employer_id)
        first_channel = next(iter(existing.channels.values()))
        portal_.store.create_configuration(session.employer_id, existing.contact, first_channel)
        session.flash = ("word", "channel_added")
        return redirect("/configuration")

    on_wizard_post(portal, "confirmation", "confirm", change)

"""The wizard "Création d'un utilisateur technique": Information > Personne de contact >
Données du canal > Confirmation (WIZ-1..6, CONTACT-*, CHANNEL-1..5, CONFIRM-*).

The draft lives in the session. Every POST carries an ``action``: ``next``/``confirm``
validate; ``previous`` and ``language`` keep the entries without validating (WIZ-3, I18N-1);
``cancel`` drops the draft (WIZ-4).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .certificate import sha256_hex
from .rules import CHANNELS, CONTACT_FIELDS, EMAIL_FIELDS, MAX_EMAIL, MAX_TEXT, FieldError, contact_cleaned
from .sessions import Draft, capped, language_cookie
from .store import Channel
from .views import (
    certificate_rows,
    channel_rows,
    channel_values,
    contact_rows,
    employer_id,
    error_marks,
    take_channel_entries,
)
from .web import HTTPError, Request, Response, redirect

if TYPE_CHECKING:
    from .portal import Portal


# What a draft keeps of each entry (``sessions.capped``): the contract's lengths, CONTACT-5's for
# the e-mail addresses and CONTACT-7's for the rest (Titre and Régime are far shorter choices).
_KEPT_LENGTHS = {name: MAX_EMAIL if name in EMAIL_FIELDS else MAX_TEXT for name in CONTACT_FIELDS}
_KEPT_CHANNEL = max(map(len, CHANNELS))


def register(router) -> None:
    router.add("GET", r"/wizard", start, manager=True)
    router.add("GET", r"/wizard/(?P<step>information|contact|channel|confirmation)", show, manager=True)
    router.add("POST", r"/wizard/(?P<step>information|contact|channel|confirmation)", submit, manager=True)


def start(portal: Portal, request: Request) -> Response:
    """The side navigation's entry: the first step not complete yet."""
    if portal.store.configuration(employer_id(portal, request)):
        return redirect("/configuration")
    draft = _draft(request)
    return redirect(f"/wizard/{portal.rules.wiz_5_first_incomplete(_complete(portal, draft), 'confirmation')}")


def show(portal: Portal, request: Request) -> Response:
    step = request.params["step"]
    if portal.store.configuration(employer_id(portal, request)):
        return redirect("/configuration")  # the wizard is for a first registration only
    draft = _draft(request)
    allowed = portal.rules.wiz_5_first_incomplete(_complete(portal, draft), step)
    if allowed != step:
        return redirect(f"/wizard/{allowed}")  # WIZ-5
    return render_step(portal, request, draft, step)


def submit(portal: Portal, request: Request) -> Response:
    step = request.params["step"]
    action = request.form.get("action")
    session = request.signed_session
    if action == "cancel":  # WIZ-4: at any step, nothing created
        session.draft = None
        return redirect("/")
    if portal.store.configuration(employer_id(portal, request)) or (
        request.form.get("wizard") in session.consumed_drafts
    ):
        return redirect("/configuration")  # WIZ-6: a second send of a confirmed wizard
    draft = _draft(request)
    allowed = portal.rules.wiz_5_first_incomplete(_complete(portal, draft), step)
    if allowed != step:
        return redirect(f"/wizard/{allowed}")  # WIZ-5
    if action not in _ACTIONS[step]:
        raise HTTPError(400)
    return _STEPS[step](portal, request, draft, action)


_ACTIONS = {
    "information": ("next", "language"),
    "contact": ("next", "previous", "language"),
    "channel": ("next", "previous", "language"),
    "confirmation": ("confirm", "previous", "language"),
}


def _information(portal: Portal, request: Request, draft: Draft, action: str) -> Response:
    if action == "language":
        return _switch_language(portal, request, "information")
    draft.information_done = True
    return redirect("/wizard/contact")


def _contact(portal: Portal, request: Request, draft: Draft, action: str) -> Response:
    form = request.form
    entries = {name: capped(form.get(name), _KEPT_LENGTHS[name]) for name in CONTACT_FIELDS}
    # I18N-1: once the step has been sent, even by a language switch, the regime shown is an
    # entry like any other and is kept; only an untouched step follows the interface (CONTACT-4).
    draft.regime_chosen = True
    draft.contact = entries
    if action == "language":
        return _switch_language(portal, request, "contact")
    if action == "previous":
        return redirect("/wizard/information")
    _, errors = portal.rules.check_contact(entries)
    if errors:
        return render_step(portal, request, draft, "contact", errors=errors, status=422)
    return redirect("/wizard/channel")


def _channel(portal: Portal, request: Request, draft: Draft, action: str) -> Response:
    draft.channel = capped(request.form.get("channel"), _KEPT_CHANNEL)
    errors = take_channel_entries(portal, request, draft, channel=draft.channel, validate=action == "next")
    if action == "language":
        return _switch_language(portal, request, "channel")
    if action == "previous":
        return redirect("/wizard/contact")
    if errors:
        return render_step(portal, request, draft, "channel", errors=errors, status=422)
    return redirect("/wizard/confirmation")


def _confirmation(portal: Portal, request: Request, draft: Draft, action: str) -> Response:
    if action == "language":
        return _switch_language(portal, request, "confirmation")
    if action == "previous":
        return redirect("/wizard/channel")
    contact, _ = portal.rules.check_contact(draft.contact)
    stored = portal.rules.channel_5_stored(channel_values(draft, draft.channel))
    der = draft.certificate_der
    assert der is not None  # WIZ-5: only a complete draft reaches the confirmation (CHANNEL-2)
    channel = Channel(kind=draft.channel, certificate_der=der, certificate_sha256=sha256_hex(der), **stored)
    outcome = portal.store.create_configuration(employer_id(portal, request), contact_cleaned(contact), channel)
    if outcome == "certificate_in_use":  # CERT-7, registered meanwhile by another employer
        draft.certificate_der = None
        return render_step(
            portal, request, draft, "channel", errors=[FieldError("certificate", "cert_in_use")], status=409
        )
    session = request.signed_session
    session.consumed_drafts.add(draft.id)
    session.draft = None
    if outcome == "created":
        session.flash = ("word", "channel_added")  # RESULT-1
    return redirect("/configuration")


_STEPS = {"information": _information, "contact": _contact, "channel": _channel, "confirmation": _confirmation}


# -- helpers ----------------------------------------------------------------------------------------
def _draft(request: Request) -> Draft:
    session = request.signed_session
    if session.draft is None:
        session.draft = Draft()
    return session.draft


def _complete(portal: Portal, draft: Draft) -> dict[str, bool]:
    """WIZ-5: which steps hold complete, valid entries."""
    return {
        "information": draft.information_done,
        "contact": bool(draft.contact) and not portal.rules.check_contact(draft.contact)[1],
        "channel": not portal.rules.check_channel(channel_values(draft, draft.channel)),
    }


def _switch_language(portal: Portal, request: Request, step: str) -> Response:
    """I18N-1 [mock]: entries already saved; switch and show the same step again."""
    session = request.signed_session
    language = session.language = portal.rules.i18n_1_language(request.form.get("lang"), session.language)
    return redirect(f"/wizard/{step}").header("Set-Cookie", language_cookie(language))


def render_step(
    portal: Portal, request: Request, draft: Draft, step: str, *, errors: Sequence[FieldError] = (), status: int = 200
) -> Response:
    """One step of the wizard with the draft's entries and ``errors`` (public: a named defect
    shows the contact step again with entries it dropped)."""
    language = request.language
    context: dict = {
        "step": step,
        "steps": portal.rules.wiz_1_steps(),
        "draft_id": draft.id,
        "errors": list(errors),
        "marks": error_marks(list(errors)),
    }
    if step == "contact":
        values = {name: draft.contact.get(name, "") for name in CONTACT_FIELDS}
        regime_default = portal.rules.contact_4_default_regime(language)
        if not draft.regime_chosen:
            values["language_regime"] = regime_default
        context.update(values=values)
    elif step == "channel":
        context.update(
            channel=draft.channel,
            applications=portal.applications,
            chosen=set(draft.applications),
            ssh_key=draft.ssh_key,
            loaded=_loaded_owner(portal, draft.certificate_der),
        )
    elif step == "confirmation":
        # WIZ-5 lets only a complete draft get here; show what the draft holds all the same.
        contact, _ = portal.rules.check_contact(draft.contact)
        sections = [
            (portal.word("section_contact", language), contact_rows(portal, contact_cleaned(contact), language))
        ]
        if draft.channel:
            sections.append(
                (
                    portal.word("section_channel", language),
                    channel_rows(portal, draft.channel, draft.applications, draft.ssh_key, language),
                )
            )
        if draft.certificate_der is not None:
            view = portal.certificates.view(draft.certificate_der)
            sections.append(
                (portal.word("section_certificate", language), certificate_rows(portal, view, language, overview=False))
            )
        context.update(sections=sections)
    return portal.render(
        request, f"wizard_{step}.html", status=status, current="register", keeps_entries=True, **context
    )


def _loaded_owner(portal: Portal, der: bytes | None) -> str | None:
    """WIZ-3: the owner (CN) of the certificate already in the draft, if any."""
    if der is None:
        return None
    view = portal.certificates.view(der)
    return view.owner or view.company

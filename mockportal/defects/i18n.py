"""Defects of the languages (I18N-1): a wrong word, a switch that loses what was typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..sessions import language_cookie
from ..web import Handler, redirect
from .patching import WIZARD_STEP, route
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal
    from ..web import Request, Response


@defect("dutch-label-wrong", "I18N-1", "the Dutch interface says 'Verder' instead of 'Volgende'")
def _dutch_label_wrong(portal: Portal) -> None:
    portal.words["next"]["nl"] = "Verder"


@defect(
    "language-switch-loses-entries",
    "I18N-1",
    "switching the language on a wizard step shows it again without what was typed there",
)
def _language_switch_loses_entries(portal: Portal) -> None:
    def losing_entries(handler: Handler) -> Handler:
        def submit(portal_: Portal, request: Request) -> Response:
            if request.form.get("action") != "language":
                return handler(portal_, request)
            session = request.signed_session
            session.language = portal_.rules.i18n_1_language(request.form.get("lang"), session.language)
            return redirect(f"/wizard/{request.params['step']}").header("Set-Cookie", language_cookie(session.language))

        return submit

    route(portal, "POST", WIZARD_STEP, change=losing_entries)

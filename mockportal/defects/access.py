"""Defects of roles and access (ACCESS-1..3): routes opened to the wrong users, sessions that
outlive Quit, another employer's data within reach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..store import DEMO_USERS
from ..web import Handler, redirect
from .patching import CHANNEL_CONFIRMATION, CHANNEL_PAGE, OVERVIEW, WIZARD, WIZARD_STEP, route
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal
    from ..web import Request, Response


@defect(
    "plain-user-opens-wizard",
    "ACCESS-1",
    "a plain user who types a wizard address gets the wizard (only the navigation link is hidden)",
)
def _plain_user_opens_wizard(portal: Portal) -> None:
    for method, pattern in (("GET", WIZARD), ("GET", WIZARD_STEP), ("POST", WIZARD_STEP)):
        route(portal, method, pattern, manager=False)


@defect(
    "plain-user-opens-channel-pages",
    "ACCESS-1",
    "a plain user who types a channel page's address sees the channel and may add one",
)
def _plain_user_opens_channel_pages(portal: Portal) -> None:
    patterns = (CHANNEL_PAGE, CHANNEL_CONFIRMATION) if portal.skin.channel_confirmation else (CHANNEL_PAGE,)
    for pattern in patterns:
        for method in ("GET", "POST"):
            route(portal, method, pattern, manager=False)


@defect("co-manager-refused", "ACCESS-1", "the co-gestionnaire local is treated as a plain user")
def _co_manager_refused(portal: Portal) -> None:
    portal.rules.access_1_may_manage = lambda role: role == "gl"


@defect("quit-keeps-session", "ACCESS-2", "Quit clears the browser's cookie but the session stays valid on the server")
def _quit_keeps_session(portal: Portal) -> None:
    portal.sessions.end = lambda session_id: None  # type: ignore[method-assign]


@defect(
    "no-session-acts-as-demo",
    "ACCESS-2",
    "without a session the wizard opens as the demo gestionnaire local (a development shortcut left on)",
)
def _no_session_acts_as_demo(portal: Portal) -> None:
    def as_demo(handler: Handler) -> Handler:
        def handle(portal_: Portal, request: Request) -> Response:
            if not request.signed_in:
                user = portal_.store.user_by_username(DEMO_USERS["gl"])
                assert user is not None  # every store has the demo users
                request.session = portal_.sessions.sign_in(
                    None, user_id=user.id, employer_id=user.employer_id, role=user.role, language=request.language
                )
            elif not portal_.rules.access_1_may_manage(request.signed_session.role):
                return portal_.access_refused(request)
            return handler(portal_, request)

        return handle

    for pattern in (WIZARD, WIZARD_STEP):
        route(portal, "GET", pattern, change=as_demo, session=False, manager=False)


@defect(
    "overview-employer-from-query",
    "ACCESS-3",
    "the overview's address names the employer (?employer=<enterprise number>) and is honoured for anyone",
)
def _overview_employer_from_query(portal: Portal) -> None:
    def employer_id(session_employer_id, values):
        number = values.get("employer")
        employer = portal.store.employer_by_number(str(number)) if number else None
        return employer.id if employer is not None else session_employer_id

    portal.rules.access_3_employer_id = employer_id

    def naming_the_employer(handler: Handler) -> Handler:
        def overview(portal_: Portal, request: Request) -> Response:
            if "employer" not in request.query:
                own = portal_.store.employer(request.signed_session.employer_id)
                assert own is not None  # a signed-in user's employer (the store never deletes one)
                return redirect(f"/configuration?employer={own.enterprise_number.replace('.', '')}")
            return handler(portal_, request)

        return overview

    route(portal, "GET", OVERVIEW, change=naming_the_employer)

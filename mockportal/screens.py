"""One handler per screen outside the wizard: login, Home, overview, contact person, channel
pages (and, for a skin that adds a channel in two steps, their confirmation), deletion, the
seed's inert links, static files. The wizard is in ``wizard.py``."""

from __future__ import annotations

import hmac
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .certificate import sha256_hex
from .rules import FieldError
from .sessions import ChannelDraft, language_cookie, session_cookie
from .store import Channel
from .views import (
    certificate_rows,
    channel_rows,
    channel_section,
    channel_values,
    contact_rows,
    employer_id,
    error_marks,
    overview_sections,
    take_channel_entries,
)
from .web import HTTPError, Request, Response, json_response, redirect

if TYPE_CHECKING:
    from .portal import Portal

STATIC_DIR = Path(__file__).parent / "static"
STATIC_FILES = {path.name for path in STATIC_DIR.iterdir() if path.is_file()}
_STATIC_CACHE: dict[str, tuple[bytes, str]] = {}  # name -> (bytes, content type): read once

# The seed's other navigation links: pages that say they are not part of the mock.
MORE_PAGES = {
    "users": ("message", "more_users"),
    "quality": ("message", "more_quality"),
    "search": ("message", "more_search"),
    "personal": ("message", "more_personal"),
    "password": ("message", "more_password"),
    "certificate": ("message", "more_certificate"),
    "responsibles": ("word", "header_responsibles"),
    "help": ("word", "header_help"),
}


CHANNEL_PAGE = r"/channels/(?P<kind>ftp|sftp|ws)"


def register(router, *, channel_confirmation: bool = False) -> None:
    """The screens' routes; ``channel_confirmation``: channel pages add through a confirmation
    page (CHANNEL-6's second form) instead of "Confirmer" on the page itself."""
    router.add("GET", r"/static/(?P<name>[A-Za-z0-9_.-]+)", static, session=False)
    router.add("GET", r"/ready", ready, session=False)
    router.add("GET", r"/", home)
    router.add("GET", r"/login", login_form, session=False)
    router.add("POST", r"/login", login, session=False)
    router.add("GET", r"/quit", quit_, session=False)
    router.add("POST", r"/quit", quit_, session=False, csrf=False)  # checks its token itself
    router.add("GET", r"/more/(?P<page>[a-z]+)", more)
    router.add("GET", r"/configuration", overview, manager=True)
    router.add("GET", r"/configuration/contact", contact, manager=True)
    router.add("GET", r"/configuration/delete", delete_form, manager=True)
    router.add("POST", r"/configuration/delete", delete, manager=True)
    router.add("GET", r"/channels", channels, manager=True)
    router.add("GET", CHANNEL_PAGE, channel_page, manager=True)
    router.add("POST", CHANNEL_PAGE, channel_add, manager=True)
    if channel_confirmation:
        router.add("GET", CHANNEL_PAGE + "/confirmation", channel_confirmation_page, manager=True)
        router.add("POST", CHANNEL_PAGE + "/confirmation", channel_confirm, manager=True)


# -- signing in and out (ACCESS-2) ------------------------------------------------------------------
def login_form(portal: Portal, request: Request, *, failed: bool = False) -> Response:
    if request.signed_in:
        return redirect("/")
    cookie = None
    if request.session is None and request.method != "HEAD":  # a visitor's session, for the form's token
        request.session = portal.sessions.new(request.language)
        cookie = session_cookie(request.session.id)
    errors = [FieldError("username", "login_failed", label="login_username")] if failed else []
    # Both fields are marked, described by the one message; its link leads to the first (A11Y-3).
    response = portal.render(
        request, "login.html", status=422 if failed else 200, errors=errors, marks=error_marks(errors)
    )
    return response.header("Set-Cookie", cookie) if cookie else response


def login(portal: Portal, request: Request) -> Response:
    user = portal.store.authenticate(request.form.get("username").strip(), request.form.get("password"))
    if user is None:
        return login_form(portal, request, failed=True)
    session = portal.sessions.sign_in(
        request.session, user_id=user.id, employer_id=user.employer_id, role=user.role, language=request.language
    )
    return redirect("/").header("Set-Cookie", session_cookie(session.id))  # after login: Home


def quit_(portal: Portal, request: Request) -> Response:
    """ACCESS-2: Quit ends the session and shows the login page (in the same language). The
    header's link carries the session's CSRF token (``/quit?csrf=…``), the confirmation form
    too: without it (a link or an image of another site, a HEAD) Quit only asks to confirm."""
    session = request.session
    if session is not None:
        token = request.form.get("csrf_token") if request.method == "POST" else request.query.get("csrf", [""])[0]
        if request.method == "HEAD" or not (token and hmac.compare_digest(token.encode(), session.csrf.encode())):
            if request.method == "POST":
                raise HTTPError(403)  # a form with a wrong token, as every form
            if not session.signed_in:
                return redirect("/login")  # a visitor: nobody to sign out
            return portal.render(request, "quit.html")
        portal.sessions.end(session.id)
    return (
        redirect("/login")
        .header("Set-Cookie", session_cookie("", expire=True))
        .header("Set-Cookie", language_cookie(request.language))
    )


# -- Home (HOME-1, HOME-2, RESULT-4) ---------------------------------------------------------------------
def home(portal: Portal, request: Request) -> Response:
    role = request.signed_session.role
    employer = portal.store.employer(employer_id(portal, request))
    assert employer is not None  # a signed-in user's employer (the store never deletes one)
    configuration = None
    if portal.rules.access_1_may_manage(role):
        configuration = portal.store.configuration(employer.id)
    role_word = portal.rules.home_1_role_word(role)
    return portal.render(
        request,
        "home.html",
        current="home",
        home_employer=employer,
        role_word=role_word,
        show_senders=portal.rules.access_1_may_manage(role),
        no_active_sender=portal.rules.home_2_no_active_sender(configuration is not None),
        sender=configuration.sender if configuration else None,
    )


def more(portal: Portal, request: Request) -> Response:
    entry = MORE_PAGES.get(request.params["page"])
    if entry is None:
        raise HTTPError(404)
    kind, key = entry
    title = portal.word(key, request.language) if kind == "word" else portal.message(key, request.language)
    return portal.render(request, "more.html", title=title, current=request.params["page"])


# -- configuration (RESULT-1..4, CHANNEL-6, DELETE-1) -------------------------------------------------------
def overview(portal: Portal, request: Request) -> Response:
    configuration = portal.store.configuration(employer_id(portal, request))
    if configuration is None:
        return redirect("/")
    return portal.render(
        request,
        "overview.html",
        current="overview",
        sections=overview_sections(portal, configuration, request.language),
    )


def contact(portal: Portal, request: Request) -> Response:
    configuration = portal.store.configuration(employer_id(portal, request))
    if configuration is None:
        return redirect("/")
    return portal.render(
        request, "contact.html", current="contact", rows=contact_rows(portal, configuration.contact, request.language)
    )


def channels(portal: Portal, request: Request) -> Response:
    configuration = portal.store.configuration(employer_id(portal, request))
    if configuration is None:
        return redirect("/")
    return portal.render(
        request,
        "channels.html",
        current="channels",
        kinds=[(kind, kind in configuration.channels) for kind in ("sftp", "ws", "ftp")],
    )


def channel_page(portal: Portal, request: Request, *, errors: Sequence[FieldError] = (), status: int = 200) -> Response:
    """CHANNEL-6: a configured channel shows its data; another one can be added here."""
    kind = request.params["kind"]
    configuration = portal.store.configuration(employer_id(portal, request))
    if configuration is None:
        return redirect("/")
    section = None
    draft = None
    if kind in configuration.channels:
        section = channel_section(portal, configuration, kind, request.language)
    elif portal.rules.channel_6_can_add(configuration.channels, kind):
        draft = request.signed_session.channel_drafts.setdefault(kind, ChannelDraft())
    loaded = None
    if draft is not None and draft.certificate_der is not None:
        view = portal.certificates.view(draft.certificate_der)
        loaded = view.owner or view.company
    return portal.render(
        request,
        "channel_page.html",
        status=status,
        current=f"channel_{kind}",
        kind=kind,
        section=section,
        keeps_entries=draft is not None,
        applications=portal.applications,
        chosen=set(draft.applications) if draft else set(),
        ssh_key=draft.ssh_key if draft else "",
        loaded=loaded,
        errors=list(errors),
        marks=error_marks(list(errors)),
    )


def channel_add(portal: Portal, request: Request) -> Response:
    """The channel page's form: "Confirmer" adds the channel at once, or (a skin with a
    confirmation page) "Suivant" checks the entries and goes on to that page."""
    kind = request.params["kind"]
    action = request.form.get("action")
    session = request.signed_session
    configuration = portal.store.configuration(employer_id(portal, request))
    if configuration is None:
        return redirect("/")
    if action == "cancel":
        session.channel_drafts.pop(kind, None)
        return redirect("/configuration")
    if not portal.rules.channel_6_can_add(configuration.channels, kind):
        return redirect(f"/channels/{kind}")
    go_on = "next" if portal.skin.channel_confirmation else "confirm"
    if action not in (go_on, "language"):
        raise HTTPError(400)
    draft = session.channel_drafts.setdefault(kind, ChannelDraft())
    errors = take_channel_entries(portal, request, draft, channel=kind, validate=action == go_on)
    if action == "language":
        return _switch_language(portal, request, f"/channels/{kind}")
    if errors:
        return channel_page(portal, request, errors=errors, status=422)
    if action == "next":
        return redirect(f"/channels/{kind}/confirmation")
    return _add_channel(portal, request, kind, draft)


def channel_confirmation_page(portal: Portal, request: Request) -> Response:
    """CHANNEL-6, second form: the channel's data and certificate, with Confirmer, Précédent and
    Annuler. Only complete entries get here (as in the wizard, WIZ-5)."""
    kind = request.params["kind"]
    draft = _channel_draft_to_confirm(portal, request, kind)
    if isinstance(draft, Response):
        return draft
    language = request.language
    sections = [
        (
            portal.word("section_channel", language),
            channel_rows(portal, kind, draft.applications, draft.ssh_key, language),
        ),
        (
            portal.word("section_certificate", language),
            certificate_rows(portal, portal.certificates.view(draft.certificate_der or b""), language, overview=False),
        ),
    ]
    return portal.render(
        request,
        "channel_confirmation.html",
        current=f"channel_{kind}",
        kind=kind,
        sections=sections,
        keeps_entries=True,
    )


def channel_confirm(portal: Portal, request: Request) -> Response:
    kind = request.params["kind"]
    action = request.form.get("action")
    if action == "cancel":
        request.signed_session.channel_drafts.pop(kind, None)
        return redirect("/configuration")
    if action not in ("confirm", "previous", "language"):
        raise HTTPError(400)
    draft = _channel_draft_to_confirm(portal, request, kind)
    if isinstance(draft, Response):
        return draft
    if action == "previous":  # the entries stay in the draft (WIZ-3's promise, on a channel page)
        return redirect(f"/channels/{kind}")
    if action == "language":
        return _switch_language(portal, request, f"/channels/{kind}/confirmation")
    return _add_channel(portal, request, kind, draft)


def _channel_draft_to_confirm(portal: Portal, request: Request, kind: str) -> ChannelDraft | Response:
    """The channel page's draft when it is complete, else where to go instead."""
    configuration = portal.store.configuration(employer_id(portal, request))
    if configuration is None:
        return redirect("/")
    draft = request.signed_session.channel_drafts.get(kind)
    if (
        draft is None
        or not portal.rules.channel_6_can_add(configuration.channels, kind)
        or portal.rules.check_channel(channel_values(draft, kind))
    ):
        return redirect(f"/channels/{kind}")
    return draft


def _add_channel(portal: Portal, request: Request, kind: str, draft: ChannelDraft) -> Response:
    """Store the channel of a channel page's draft: the overview says it was added."""
    session = request.signed_session
    stored = portal.rules.channel_5_stored(channel_values(draft, kind))
    der = draft.certificate_der
    assert der is not None  # only complete entries are added (CHANNEL-2)
    outcome = portal.store.add_channel(
        employer_id(portal, request),
        Channel(kind=kind, certificate_der=der, certificate_sha256=sha256_hex(der), **stored),
    )
    if outcome == "certificate_in_use":  # CERT-7, registered meanwhile by another employer
        draft.certificate_der = None
        return channel_page(portal, request, errors=[FieldError("certificate", "cert_in_use")], status=409)
    session.channel_drafts.pop(kind, None)
    if outcome == "created":
        session.flash = ("word", "channel_added")  # the sender number is kept (SENDER-1)
    return redirect("/configuration")


def _switch_language(portal: Portal, request: Request, path: str) -> Response:
    """I18N-1 [mock]: the entries are saved; switch and show the same page again."""
    session = request.signed_session
    session.language = portal.rules.i18n_1_language(request.form.get("lang"), session.language)
    return redirect(path).header("Set-Cookie", language_cookie(session.language))


def delete_form(portal: Portal, request: Request) -> Response:
    if portal.store.configuration(employer_id(portal, request)) is None:
        return redirect("/")
    return portal.render(request, "delete.html", current="delete")


def delete(portal: Portal, request: Request) -> Response:
    """DELETE-1: only after the explicit confirmation; Annuler changes nothing."""
    action = request.form.get("action")
    if action == "cancel":
        return redirect("/configuration")
    if action != "confirm":
        raise HTTPError(400)
    if portal.store.delete_configuration(employer_id(portal, request)):
        session = request.signed_session
        session.flash = ("message", "deleted")
        session.channel_drafts.clear()
    return redirect("/")


def ready(portal: Portal, request: Request) -> Response:
    """``GET /ready``: 200 once the portal answers and its store can be read (for CI to poll)."""
    portal.store.employer(0)
    return json_response({"ready": True})


# -- static files -------------------------------------------------------------------------------------------
def static(portal: Portal, request: Request) -> Response:
    name = request.params["name"]
    if name not in STATIC_FILES:
        raise HTTPError(404)
    if name not in _STATIC_CACHE:
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        _STATIC_CACHE[name] = ((STATIC_DIR / name).read_bytes(), content_type)
    data, content_type = _STATIC_CACHE[name]
    # The files never change while the mock runs: a browser keeps them instead of fetching the
    # style sheet and the script again on every page (each fetch delays the page's load).
    return Response(200, data, content_type, [("Cache-Control", "public, max-age=3600")])

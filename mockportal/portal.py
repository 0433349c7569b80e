"""One portal instance: its collaborators as attributes, the answer to a request
(``Portal.handle``) and page rendering.

Everything a named defect may want to break hangs off the instance — ``rules``,
``certificates``, ``store``, ``templates``, ``words`` (a deep copy of the word table),
``messages`` — so that a defect replaces one attribute on one instance and nothing else.
``skin`` says which markup the instance renders (``skins.py``); everything else is shared.

The portal knows nothing of sockets: the server (``server.py``) reads a request, hands it to
``handle`` (or to ``refuse`` when it would not read it whole) and writes the ``Response`` back.
"""

from __future__ import annotations

import copy
import hmac
import logging
import re
import urllib.parse
from collections.abc import Callable, Iterable
from typing import TypedDict

import jinja2
import markupsafe
from cryptography import x509

from contract.words import APPLICATIONS, DEFAULT_LANGUAGE, LANGUAGES, WORDS

from . import oauth, screens, testapi, wizard
from .certificate import Certificates
from .messages import MESSAGES
from .rules import FieldError, Rules
from .sessions import COOKIE_NAME, LANGUAGE_COOKIE, SessionStore, SignedInSession, language_cookie
from .skins import DEFAULT_SKIN, Skin
from .skins import skin as find_skin
from .store import Store
from .web import BodyError, HTTPError, Request, Response, parse_form, redirect


class Vocabulary:
    """The word table in one language, for templates: ``w.next``, ``w["channel_ws"]``."""

    def __init__(self, table: dict[str, dict[str, str]], language: str):
        self._table, self._language = table, language

    def __getattr__(self, key: str) -> str:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self._table[key][self._language]
        except KeyError:
            raise AttributeError(f"no word {key!r}") from None

    __getitem__ = __getattr__


# C0 controls and DEL but TAB, LF and CR: HTML has no place for them raw.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _control_reference(found: re.Match) -> str:
    code = ord(found.group())
    return "\ufffd" if code == 0 else f"&#{code};"  # NUL cannot be written in HTML at all


def visible_controls(value: object) -> object:
    """Every ``{{ value }}``: user text is escaped, and a control character in it (an entry
    being refused, a certificate's name) is written as a character reference, never raw."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup) and _CONTROL.search(value):
        return markupsafe.Markup(_CONTROL.sub(_control_reference, str(markupsafe.escape(value))))
    return value


def make_templates(skin: Skin | None = None) -> jinja2.Environment:
    """Jinja with autoescaping for every page: user text is always escaped. A skin's templates
    are searched first, then the default ones. Templates are compiled once and kept (no check
    of the files on each request: they do not change while the mock runs; a defect that patches
    one clears the cache)."""
    return jinja2.Environment(
        loader=(skin or find_skin(DEFAULT_SKIN)).loader(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=visible_controls,
        auto_reload=False,
    )


def reopened(store: Store) -> Store:
    """What a restarted process finds of ``store``: its state file opened again, or, for a store
    in memory, a new one holding a copy of every table (what a state file would have kept)."""
    if store.path is not None:
        return Store(store.path)
    copy_ = Store(None)
    with store.transaction() as source, copy_.transaction() as target:
        tables = [
            row[0]
            for row in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
            )
        ]
        for table in reversed(tables):  # the schema's order: referenced tables first
            target.execute(f'DELETE FROM "{table}"')
        for table in tables:
            rows = [tuple(row) for row in source.execute(f'SELECT * FROM "{table}"')]
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                target.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
    return copy_


class _MadeWith(TypedDict):
    """What a portal was made with, kept for ``restarted``."""

    trusted: tuple[x509.Certificate, ...]
    test_api: bool
    test_api_token: str | None
    log: logging.Logger | None
    skin: str


class Portal:
    """The mock portal's state and collaborators for one server instance."""

    def __init__(
        self,
        *,
        store: Store,
        trusted: Iterable[x509.Certificate] = (),
        test_api: bool = True,
        test_api_token: str | None = None,
        log: logging.Logger | None = None,
        skin: str = DEFAULT_SKIN,
    ):
        self._made_with = _MadeWith(
            trusted=tuple(trusted), test_api=test_api, test_api_token=test_api_token, log=log, skin=skin
        )
        self._demo_employers = 1
        self.skin = find_skin(skin)  # the markup (templates, buttons, channel pages); rules are the same
        self.store = store
        # Copies: a defect changes its own portal's words, never the table.
        self.words: dict[str, dict[str, str]] = {key: dict(texts) for key, texts in WORDS.items()}
        self.messages: dict[str, dict[str, str]] = copy.deepcopy(MESSAGES)
        self.applications: tuple[str, ...] = APPLICATIONS
        self.rules = Rules()
        self.certificates = Certificates(self._made_with["trusted"])
        self.templates = make_templates(self.skin)
        self.sessions = SessionStore()
        # This instance's own logger under ``log``, its recent lines kept for GET /__test__/log.
        self.log, self.recent_log = testapi.recording_logger(log or logging.getLogger("mockportal"))
        self.test_api = test_api
        self.test_api_token = test_api_token  # when set, every test-API call must carry it
        self.defects: tuple[str, ...] = ()
        # Set by the server that serves this portal: serves another portal in its place, in one step.
        self.swap: Callable[[Portal], None] | None = None
        self.oauth = oauth.OAuth(store)  # OAUTH-1..5: token endpoint and demo service
        self.router = self.skin.router()
        screens.register(self.router, channel_confirmation=self.skin.channel_confirmation)
        wizard.register(self.router)
        oauth.register(self.router)
        if test_api:
            testapi.register(self.router)

    def add_demo_employers(self, count: int) -> list[tuple[str, dict[str, str]]]:
        """Demo employers 2 to ``count`` besides the contract's (``Store.ensure_demo_employers``),
        made again in every portal ``restarted`` from this one."""
        self._demo_employers = max(self._demo_employers, count)
        return self.store.ensure_demo_employers(count)

    def restarted(self, defects: Iterable[str] = ()) -> Portal:
        """A new portal made as this one was, with these defects on: an empty in-memory store
        with the same demo employers, no sessions, the same trusted CAs, skin and test API. The
        test API's defect switch serves it in this one's place (``swap``), so that the kill
        matrix runs every defect in one long-lived browser session (``harness/killmatrix.py``).
        This portal is left whole: requests still in flight on it finish with it."""
        return self._made_again(Store(None), defects)

    def restarted_on_its_state(self) -> Portal:
        """This portal as a restart of its process finds it (the test API's restart), with the
        same defects: the state it persists (``reopened``), its sessions (kept apart from the
        process, as a deployment's session store keeps them: browsers stay signed in) and its
        clock. Whatever else it held in memory alone starts afresh: access tokens, caches, a
        defect's own counters. This portal is left whole, as ``restarted`` leaves it."""
        portal = self._made_again(reopened(self.store), self.defects)
        # Made with the same defects, these sessions carry them already.
        portal.sessions = self.sessions
        portal.oauth.clock = self.oauth.clock
        portal.recent_log.lines.extend(self.recent_log.lines)
        return portal

    def _made_again(self, store: Store, defects: Iterable[str]) -> Portal:
        portal = Portal(store=store, **self._made_with)
        portal.oauth.base_url = self.oauth.base_url
        portal.add_demo_employers(self._demo_employers)
        return portal.with_defects(defects)

    def with_defects(self, defects: Iterable[str]) -> Portal:
        """This portal with these named defects on; its store closed when one cannot apply."""
        from .defects import apply_defects  # defects patch a Portal: they come after it

        try:
            apply_defects(self, tuple(defects))
        except Exception:
            self.store.close()
            raise
        return self

    # -- answering requests ------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        """The answer to a request the server has read whole: who asks (the session and language
        of its cookies) → ``?lang=`` switch (I18N-1) → route (404; 405 with ``Allow``) → session
        (ACCESS-2: 303 to the login page) → role (ACCESS-1: 403) → form (400, 415) → CSRF token
        (403) → the route's handler, one request at a time per session. A HEAD is routed as its
        GET (the server leaves the body out); under ``/REST/`` every error is JSON, never a page."""
        self._identify(request)
        api = oauth.is_api(request.path)  # /REST/: JSON answers, never pages (OAUTH-4, OAUTH-5)
        method = "GET" if request.method == "HEAD" else request.method
        if method == "GET" and "lang" in request.query and not api:
            return self._switch_language(request)
        route, params, allowed = self.router.match(method, request.path)
        if route is None:
            status, headers = (405, {"Allow": ", ".join(allowed)}) if allowed else (404, None)
            if api:
                return oauth.api_error(request, status, headers)
            return self.error_page(request, status, headers=headers)
        request.params = params
        if route.session and not request.signed_in:
            return redirect("/login")  # ACCESS-2
        if route.manager and not self.rules.access_1_may_manage(request.signed_session.role):
            return self.access_refused(request)  # ACCESS-1
        if method == "POST" and route.form:
            try:
                request.form = parse_form(request.headers.get("Content-Type", ""), request.body)
            except BodyError as error:
                return self.error_page(request, error.status)
        if method == "POST" and route.csrf and not csrf_ok(request):
            return self.error_page(request, 403)
        try:
            if request.session is not None:
                session = request.session
                with session.lock:  # one request at a time per session: drafts stay whole
                    try:
                        return route.handler(self, request)
                    finally:
                        self.sessions.account(session)
            response = route.handler(self, request)
            if request.session is not None:  # a visitor's session made by the handler
                self.sessions.account(request.session)
            return response
        except HTTPError as error:
            return self.error_page(request, error.status, headers=error.headers)
        except BodyError as error:
            return self.error_page(request, error.status)

    def refuse(self, request: Request, status: int) -> Response:
        """The answer to a request the server would not read whole (400, 408, 411, 413, 414, 417,
        431): a page in the user's language, JSON under ``/REST/``. ``request`` holds what was
        read of it (nothing but ``GET /`` when its request line could not be read)."""
        self._identify(request)
        if oauth.is_api(request.path):
            return oauth.api_error(request, status)
        return self.error_page(request, status)

    def _identify(self, request: Request) -> None:
        """Who asks: the session of the request's cookie (None for a new visitor, or an expired
        session), and the language: the session's, else the language cookie's, else French."""
        cookies = request.cookies
        request.session = self.sessions.get(cookies.get(COOKIE_NAME))
        if request.session is not None:
            request.language = request.session.language
        else:
            request.language = default_language(cookies.get(LANGUAGE_COOKIE))

    def _switch_language(self, request: Request) -> Response:
        """I18N-1 without JavaScript: ``?lang=xx`` switches, then redirects to the same page
        (HEAD only says where: it changes nothing)."""
        query = urllib.parse.urlencode({k: v for k, v in request.query.items() if k != "lang"}, doseq=True)
        # Same page; never "//host" (a leading double slash would leave the site).
        target = "/" + urllib.parse.quote(request.path).lstrip("/") + (f"?{query}" if query else "")
        if request.method == "HEAD":
            return redirect(target)
        language = self.rules.i18n_1_language(request.query["lang"][0], request.language)
        if request.session is not None:
            request.session.language = language
        return redirect(target).header("Set-Cookie", language_cookie(language))

    # -- words and messages ----------------------------------------------------------------------
    def word(self, key: str, language: str) -> str:
        return self.words[key][language]

    def message(self, key: str, language: str, **params: object) -> str:
        text = self.messages[key][language]
        return text.format(**params) if params else text

    def error_text(self, error: FieldError, language: str) -> str:
        """A field error's sentence, naming the field by its label (CONTACT-8)."""
        return self.message(error.message, language, label=self.word(error.label_key, language), **error.params)

    # -- pages --------------------------------------------------------------------------------------
    def render(
        self, request: Request, template: str, *, status: int = 200, current: str | None = None, **context: object
    ) -> Response:
        """A full page in the request's language, with header, banner and side navigation."""
        language = request.language
        session = request.session
        signed = session if isinstance(session, SignedInSession) else None
        employer = configuration = None
        if signed is not None:
            employer = self.store.employer(signed.employer_id)
            if self.rules.access_1_may_manage(signed.role):
                configuration = self.store.configuration(signed.employer_id)
        # A flash is shown once: a HEAD request, which shows nothing, leaves it for the next page.
        flash = session.pop_flash() if session is not None and status < 400 and request.method != "HEAD" else None
        flash_text = None
        if flash is not None:
            kind, key = flash
            flash_text = self.word(key, language) if kind == "word" else self.message(key, language)
        page: dict[str, object] = {
            "lang": language,
            "languages": LANGUAGES,
            "w": Vocabulary(self.words, language),
            "msg": lambda key, **params: self.message(key, language, **params),
            "error_text": lambda error: self.error_text(error, language),
            "language_link": lambda code: _language_link(request, code),
            "csrf": session.csrf if session is not None else "",
            "signed_in": request.signed_in,
            "role": signed.role if signed is not None else None,
            "manager": signed is not None and self.rules.access_1_may_manage(signed.role),
            "employer": employer,
            "configuration": configuration,
            "current": current,
            "flash": flash_text,
            "errors": [],
        }
        page.update(context)
        body = self.templates.get_template(template).render(page)
        return Response(status, body.encode("utf-8"))

    def error_page(
        self, request: Request, status: int, *, headers: dict[str, str] | None = None, csrf: bool = False
    ) -> Response:
        """An error page in the user's language (never a traceback)."""
        key = f"error_{status}" if f"error_{status}" in self.messages else "error_generic"
        response = self.render(
            request,
            "error.html",
            status=status,
            title=self.message(key, request.language),
            text=self.message(f"{key}_text", request.language),
        )
        for name, value in (headers or {}).items():
            response.header(name, value)
        return response

    def access_refused(self, request: Request) -> Response:
        """ACCESS-1: HTTP 403 with the access-refused page."""
        return self.render(request, "access_refused.html", status=403)


def _language_link(request: Request, language: str) -> str:
    """I18N-1: the same page in another language: ``<path>?lang=xx`` (a GET that redirects back)."""
    query = {k: v for k, v in request.query.items() if k != "lang"}
    query["lang"] = [language]
    # Never "//host" or "///host" (the address of a 404 may start so): a browser leaves the site.
    path = "/" + urllib.parse.quote(request.path).lstrip("/")
    return f"{path}?{urllib.parse.urlencode(query, doseq=True)}"


def csrf_ok(request: Request) -> bool:
    """The form's ``csrf_token`` is its session's."""
    token = request.form.get("csrf_token")
    # As bytes: compare_digest refuses str with non-ASCII characters (a 500 for "é").
    return (
        request.session is not None
        and bool(token)
        and hmac.compare_digest(token.encode(), request.session.csrf.encode())
    )


def default_language(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE

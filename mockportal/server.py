"""HTTP handling: the standard library's ThreadingHTTPServer, routing, sessions, CSRF, security
headers and error pages; ``start()`` runs a portal in a daemon thread.

A request goes: body read (413 over 1 MiB) → ``?lang=`` switch (I18N-1) → route (404, 405) →
session (ACCESS-2: 303 to the login page) → role (ACCESS-1: 403) → form (400, 415) → CSRF (403)
→ handler. Nothing of a request's body or cookies is ever logged: one line per request says
method, path and status.
"""
from __future__ import annotations

import hmac
import http.cookies
import http.server
import logging
import threading
import urllib.parse
from dataclasses import dataclass
from typing import IO, Iterable

from .certificate import load_trusted
from .defects import apply_defects
from .oauth import api_error, is_api
from .portal import Portal, default_language
from .sessions import COOKIE_NAME, LANGUAGE_COOKIE, language_cookie
from .store import Store
from .web import BodyError, HTTPError, Request, Response, parse_form, redirect

MAX_BODY = 1024 * 1024  # 1 MiB: a 65 KiB certificate still reaches CERT-2
DRAIN_LIMIT = 32 * 1024 * 1024  # beyond this an oversized body is not even read before closing

SECURITY_HEADERS = (
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                                "base-uri 'none'; object-src 'none'"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)


class PortalServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], portal: Portal):
        self.portal = portal
        super().__init__(address, PortalRequestHandler)


class PortalRequestHandler(http.server.BaseHTTPRequestHandler):
    server: PortalServer
    protocol_version = "HTTP/1.1"
    server_version = "mockportal"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection ends after this
    # Headers and body leave in one write, and without Nagle's algorithm: otherwise a reused
    # keep-alive connection waits for the client's delayed ACK (about 40 ms per request).
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_OPTIONS(self) -> None:
        self._handle("OPTIONS")

    # -- the pipeline ---------------------------------------------------------------------------
    def _handle(self, method: str) -> None:
        portal = self.server.portal
        try:
            request = self._request(method)
            response = self._respond(portal, request)
        except Exception:  # noqa: BLE001 - a bug: log it here, never show a traceback
            portal.log.exception("internal error on %s %s", method, self.path.split("?", 1)[0])
            response = _plain_error(500)
        self._send(response, head=method == "HEAD")

    def _request(self, method: str) -> Request:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        cookies = http.cookies.SimpleCookie()
        try:
            cookies.load(self.headers.get("Cookie", ""))
        except http.cookies.CookieError:
            pass
        portal = self.server.portal
        session_id = cookies[COOKIE_NAME].value if COOKIE_NAME in cookies else None
        session = portal.sessions.get(session_id)
        visitor_language = cookies[LANGUAGE_COOKIE].value if LANGUAGE_COOKIE in cookies else None
        language = session.language if session is not None else default_language(visitor_language)
        path = urllib.parse.unquote(url.path) or "/"
        return Request(method=method, path=path, query=query, headers=self.headers, session=session,
                       language=language)

    def _respond(self, portal: Portal, request: Request) -> Response:
        body = self._read_body()
        api = is_api(request.path)  # /REST/: JSON answers, never pages (OAUTH-4, OAUTH-5)
        if isinstance(body, int):
            return api_error(request, body) if api else portal.error_page(request, body)
        request.body = body
        method = "GET" if request.method == "HEAD" else request.method
        if method == "GET" and "lang" in request.query and not api:
            return self._switch_language(portal, request)
        route, params, allowed = portal.router.match(method, request.path)
        if route is None:
            status, headers = (405, {"Allow": ", ".join(allowed)}) if allowed else (404, None)
            return api_error(request, status, headers) if api else portal.error_page(request, status, headers=headers)
        request.params = params
        if route.session and not request.signed_in:
            return redirect("/login")  # ACCESS-2
        if route.manager and not portal.rules.access_1_may_manage(request.session.role):
            return portal.access_refused(request)  # ACCESS-1
        if method == "POST" and route.form:
            try:
                request.form = parse_form(request.headers.get("Content-Type", ""), body)
            except BodyError as error:
                return portal.error_page(request, error.status)
        if method == "POST" and route.csrf and not _csrf_ok(request):
            return portal.error_page(request, 403)
        try:
            if request.session is not None:
                with request.session.lock:  # one request at a time per session: drafts stay whole
                    return route.handler(portal, request)
            return route.handler(portal, request)
        except HTTPError as error:
            return portal.error_page(request, error.status, headers=error.headers)
        except BodyError as error:
            return portal.error_page(request, error.status)

    def _switch_language(self, portal: Portal, request: Request) -> Response:
        """I18N-1 without JavaScript: ``?lang=xx`` switches, then redirects to the same page."""
        language = portal.rules.i18n_1_language(request.query["lang"][0], request.language)
        if request.session is not None:
            request.session.language = language
        query = urllib.parse.urlencode({k: v for k, v in request.query.items() if k != "lang"}, doseq=True)
        # Same page; never "//host" (a leading double slash would leave the site).
        target = "/" + urllib.parse.quote(request.path).lstrip("/") + (f"?{query}" if query else "")
        return redirect(target).header("Set-Cookie", language_cookie(language))

    def _read_body(self) -> bytes | int:
        """The request body, or the error status: 411 (chunked), 400 (bad length), 413."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            return 411
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return b""
        try:
            length = int(length_header)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            return 400
        if length > MAX_BODY:
            # Read (and drop) what the client sends, so that it gets the 413 page rather than
            # a reset connection; past a limit, just close.
            self.close_connection = True
            remaining = length if length <= DRAIN_LIMIT else 0
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)
            return 413
        return self.rfile.read(length)

    def _send(self, response: Response, *, head: bool = False) -> None:
        # Logged before the answer leaves: a client that stops the server on receiving it must
        # find the line written (daemon handler threads die with the process).
        path = (getattr(self, "path", None) or "-").split("?", 1)[0]
        self.server.portal.log.info("%s %s %s", getattr(self, "command", None) or "-", path, response.status)
        try:
            self.send_response(response.status)
            for name, value in SECURITY_HEADERS:
                self.send_header(name, value)
            if not any(name.lower() == "cache-control" for name, _ in response.headers):
                self.send_header("Cache-Control", "no-store")  # pages hold personal data
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers:
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers_and_body(b"" if head else response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def end_headers_and_body(self, body: bytes) -> None:
        """``end_headers()`` and the body in a single write (see ``disable_nagle_algorithm``)."""
        buffer = getattr(self, "_headers_buffer", None)
        if buffer is None:  # an HTTP/0.9 answer has no headers
            self.wfile.write(body)
            return
        buffer.append(b"\r\n")
        buffer.append(body)
        self.flush_headers()

    # -- http.server hooks ------------------------------------------------------------------------
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # ``_send`` logs one line per request itself (without the query string)

    def log_message(self, format: str, *args: object) -> None:
        self.server.portal.log.debug("%s: " + format, self.address_string(), *args)

    def log_error(self, format: str, *args: object) -> None:
        # Idle keep-alive timeouts and malformed request lines: the answer's own line says enough.
        self.server.portal.log.debug("%s: " + format, self.address_string(), *args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors http.server finds itself (bad request line, header too long): a plain page."""
        self.close_connection = True
        self._send(_plain_error(code), head=getattr(self, "command", None) == "HEAD")


def _csrf_ok(request: Request) -> bool:
    token = request.form.get("csrf_token")
    return request.session is not None and bool(token) and hmac.compare_digest(token, request.session.csrf)


def _plain_error(status: int) -> Response:
    """A page that needs nothing (no template, no session): for internal errors only."""
    title = {500: "Erreur du portail / Fout van het portaal / Fehler des Portals"}.get(
        status, f"Erreur {status} / Fout {status} / Fehler {status}")
    body = (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><main><h1>{title}</h1><p><a href="/">Home</a></p></main></body></html>')
    return Response(status, body.encode("utf-8"))


# -- running it -------------------------------------------------------------------------------------
@dataclass
class RunningPortal:
    """A portal serving in a daemon thread: ``url`` (no trailing slash), ``stop()``."""
    url: str
    portal: Portal
    server: PortalServer
    thread: threading.Thread

    def stop(self) -> None:
        """Stop serving and close the store. Safe to call twice."""
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join(timeout=10)
        self.server.server_close()
        self.portal.store.close()

    def __enter__(self) -> "RunningPortal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def build_portal(*, state_path: str | None = None, trust_paths: Iterable[str] = (), test_api: bool = True,
                 defects: Iterable[str] = (), log: logging.Logger | IO[str] | None = None,
                 skin: str = "default") -> Portal:
    """A portal with its store, trusted CAs, skin ("default" or "variant") and defects, not serving yet."""
    trusted = load_trusted(trust_paths)
    portal = Portal(store=Store(state_path), trusted=trusted, test_api=test_api, log=_logger(log), skin=skin)
    try:
        apply_defects(portal, tuple(defects))
    except Exception:
        portal.store.close()
        raise
    return portal


def make_server(portal: Portal, host: str = "127.0.0.1", port: int = 0) -> PortalServer:
    server = PortalServer((host, port), portal)
    if host not in ("", "0.0.0.0", "::"):  # the printed URL is the token endpoint's aud (OAUTH-2)
        portal.oauth.base_url = server_url(server)
    return server


def server_url(server: PortalServer) -> str:
    host, port = server.server_address[:2]
    host = str(host)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def start(*, host: str = "127.0.0.1", port: int = 0, state_path: str | None = None,
          trust_paths: Iterable[str] = (), test_api: bool = True, defects: Iterable[str] = (),
          log: logging.Logger | IO[str] | None = None, skin: str = "default") -> RunningPortal:
    """Serve a portal in a daemon thread; returns at once, already listening."""
    portal = build_portal(state_path=state_path, trust_paths=trust_paths, test_api=test_api,
                          defects=defects, log=log, skin=skin)
    try:
        server = make_server(portal, host, port)
    except Exception:
        portal.store.close()
        raise
    thread = threading.Thread(target=server.serve_forever, name=f"mockportal:{server.server_address[1]}",
                              daemon=True)
    thread.start()
    return RunningPortal(url=server_url(server), portal=portal, server=server, thread=thread)


_counter = iter(range(1, 1 << 30))


def _logger(log: logging.Logger | IO[str] | None) -> logging.Logger:
    """``log`` may be a logger, a text stream (its own logger then writes there), or None."""
    if log is None:
        return logging.getLogger("mockportal")
    if isinstance(log, logging.Logger):
        return log
    logger = logging.getLogger(f"mockportal.instance{next(_counter)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = logging.StreamHandler(log)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    return logger


__all__ = ["RunningPortal", "start", "build_portal"]

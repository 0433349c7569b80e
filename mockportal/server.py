"""HTTP handling: a threading server on the standard library's ``socketserver``, the request
pipeline, security headers and error pages; ``start()`` runs a portal in a daemon thread.

A connection reads one request after another (``http11``: strict HTTP/1.1, one deadline for a
whole request). A request goes: body read (413 over 2 MiB) → ``?lang=`` switch (I18N-1) → route
(404, 405) → session (ACCESS-2: 303 to the login page) → role (ACCESS-1: 403) → form (400, 415)
→ CSRF (403) → handler. Nothing of a request's body or cookies is ever logged: one line per
request says method, path and status. A client that goes away mid-request is not an error.
"""

from __future__ import annotations

import email.utils
import functools
import hmac
import http
import io
import logging
import socket
import socketserver
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from . import http11, testapi
from .certificate import load_trusted
from .oauth import api_error, is_api
from .portal import Portal, default_language
from .sessions import COOKIE_NAME, LANGUAGE_COOKIE, language_cookie
from .store import Store
from .web import BodyError, Headers, HTTPError, Request, Response, parse_form, redirect

MAX_BODY = 2 * 1024 * 1024  # 2 MiB: a 1.2 MB certificate file still reaches CERT-2's message
DRAIN_LIMIT = 32 * 1024 * 1024  # beyond this an oversized body is not even read before closing
MAX_CONNECTIONS = 128  # connections served at once; more wait in the listen queue
LISTEN_BACKLOG = 1024  # the kernel caps it at net.core.somaxconn
SLOT_WAIT = 0.5  # seconds between checks for a stop while all connection slots are taken
MAX_QUERY_FIELDS = 200

SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
    ),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)
_SECURITY_LINES = "".join(f"{name}: {value}\r\n" for name, value in SECURITY_HEADERS)
_REASONS = {status.value: status.phrase for status in http.HTTPStatus}


class PortalServer(socketserver.ThreadingTCPServer):
    """One thread per connection, at most ``MAX_CONNECTIONS`` at once, a deep listen queue (a
    burst of 50 connections must not overflow it: the kernel would drop or reset them). When
    every slot is taken, the connection idle for longest is closed to make room, as production
    servers do: idle connections cannot lock a new client out until they time out."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], portal: Portal):
        self.serve(portal)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._stopping = False
        # Connections waiting for their next request (or their first), the longest idle first.
        self._idle: OrderedDict[socket.socket, None] = OrderedDict()
        self._idle_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PortalRequestHandler)

    def serve(self, portal: Portal) -> None:
        """Answer every request from now on with ``portal``: one assignment, so that a request
        in flight finishes with the portal it started with (the test API's defect switch)."""
        portal.swap = self.serve
        self.portal = portal

    def idle(self, connection: socket.socket, waiting: bool) -> None:
        """A connection starts (``waiting``) or stops waiting for a request."""
        with self._idle_lock:
            if waiting:
                self._idle[connection] = None
            else:
                self._idle.pop(connection, None)

    def _close_longest_idle(self) -> None:
        """Close the connection idle for longest, if any: its thread ends and frees its slot. A
        client whose request crosses this on the wire sees its connection closed before an
        answer, which HTTP lets it retry (RFC 9112 §9.3.1)."""
        with self._idle_lock:
            if not self._idle:
                return
            connection, _ = self._idle.popitem(last=False)
        try:
            connection.shutdown(socket.SHUT_RDWR)  # the thread's read returns; it closes the socket
        except OSError:
            pass  # closed meanwhile

    def process_request(self, request, client_address) -> None:
        while not self._slots.acquire(blocking=False):
            self._close_longest_idle()
            if self._slots.acquire(timeout=SLOT_WAIT):
                break
            if self._stopping:
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except Exception:  # no thread could start: the slot is free again (never on Ctrl-C: the
            self._slots.release()  # thread may have started, and it releases its slot itself)
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        self.portal.log.exception("internal error on a connection")

    def shutdown(self) -> None:
        self._stopping = True
        super().shutdown()


class PortalRequestHandler(socketserver.BaseRequestHandler):
    """One connection: requests read by ``http11``, answered by the portal, until either side
    closes. Headers and body leave in one write, without Nagle's algorithm: otherwise a reused
    keep-alive connection waits for the client's delayed ACK (about 40 ms per request)."""

    server: PortalServer
    request: socket.socket

    def setup(self) -> None:
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
        self.reader = http11.DeadlineReader(self.request)
        self.rfile = io.BufferedReader(self.reader, 65536)
        self.command = "-"
        self.path = "-"

    def handle(self) -> None:
        while self._handle_one():
            pass

    def finish(self) -> None:
        self.rfile.close()

    # -- one request ------------------------------------------------------------------------------
    def _handle_one(self) -> bool:
        """Read and answer one request; False when the connection is to be closed."""
        self.reader.deadline = None
        self.command = self.path = "-"
        self.server.idle(self.request, True)
        try:
            if not self.rfile.peek(1):
                return False  # the client closed an idle connection, or the server did for room
        except (OSError, ValueError):  # idle timeout, reset
            return False
        finally:
            self.server.idle(self.request, False)
        portal = self.server.portal  # this request's, whatever a defect switch does meanwhile
        self.reader.deadline = time.monotonic() + http11.REQUEST_TIMEOUT
        head = None
        try:
            head = http11.read_head(self.rfile)
            self.command, self.path = head.method, head.path_and_query
            body = self._read_body(head)
        except http11.RequestError as error:
            self._send(portal, self._refusal(portal, head, error.status), head, close=True)
            return False
        except TimeoutError:
            self._send(portal, self._refusal(portal, head, 408), head, close=True)
            return False
        except (http11.ClientGone, OSError) as error:  # reset or closed mid-request: not our error
            if head is not None:
                portal.log.info(
                    "%s %s: the client went away (%s)", self.command, self._log_path(), type(error).__name__
                )
            return False
        finally:
            self.reader.deadline = None
        keep_alive = head.keep_alive()
        if isinstance(body, int):  # 413: the body was not read whole
            self._send(portal, self._refusal(portal, head, body), head, close=True)
            return False
        try:
            request = self._request(portal, head, body)
            response = self._respond(portal, request)
        except Exception:  # noqa: BLE001 - a bug: log it here, never show a traceback
            portal.log.exception("internal error on %s %s", self.command, self._log_path())
            response, keep_alive = _plain_error(500), False
        return self._send(portal, response, head, close=not keep_alive) and keep_alive

    def _read_body(self, head: http11.Head) -> bytes | int:
        """The whole body, or 413 when it is over ``MAX_BODY`` (then read and dropped, up to a
        limit, so that the client gets the page rather than a reset)."""
        length = http11.body_length(head.headers)
        expect = head.headers.get("Expect")
        if expect is not None and expect.lower() != "100-continue":
            raise http11.RequestError(417, "unknown expectation")
        if length > MAX_BODY:
            if length <= DRAIN_LIMIT and expect is None:
                http11.drain(self.rfile, length)
            return 413
        if expect is not None and length and head.version >= (1, 1):
            self.request.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        return http11.read_body(self.rfile, length) if length else b""

    def _refusal(self, portal: Portal, head: http11.Head | None, status: int) -> Response:
        """The answer to a request that could not be read: a page (JSON under ``/REST/``)."""
        request = self._request(portal, head, b"") if head is not None else _bare_request()
        if is_api(request.path):
            return api_error(request, status)
        return portal.error_page(request, status)

    def _request(self, portal: Portal, head: http11.Head | None, body: bytes) -> Request:
        if head is None:
            return _bare_request()
        url = urllib.parse.urlsplit(head.path_and_query)
        try:
            query = urllib.parse.parse_qs(url.query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
        except ValueError:
            query = {}
        cookies = _cookies(head.headers.get_all("Cookie"))
        session = portal.sessions.get(cookies.get(COOKIE_NAME))
        language = session.language if session is not None else default_language(cookies.get(LANGUAGE_COOKIE))
        path = urllib.parse.unquote(url.path) or "/"
        return Request(
            method=head.method,
            path=path,
            query=query,
            headers=head.headers,
            session=session,
            language=language,
            body=body,
        )

    def _respond(self, portal: Portal, request: Request) -> Response:
        api = is_api(request.path)  # /REST/: JSON answers, never pages (OAUTH-4, OAUTH-5)
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
        if route.manager and not portal.rules.access_1_may_manage(request.signed_session.role):
            return portal.access_refused(request)  # ACCESS-1
        if method == "POST" and route.form:
            try:
                request.form = parse_form(request.headers.get("Content-Type", ""), request.body)
            except BodyError as error:
                return portal.error_page(request, error.status)
        if method == "POST" and route.csrf and not _csrf_ok(request):
            return portal.error_page(request, 403)
        try:
            if request.session is not None:
                session = request.session
                with session.lock:  # one request at a time per session: drafts stay whole
                    try:
                        return route.handler(portal, request)
                    finally:
                        portal.sessions.account(session)
            response = route.handler(portal, request)
            if request.session is not None:  # a visitor's session made by the handler
                portal.sessions.account(request.session)
            return response
        except HTTPError as error:
            return portal.error_page(request, error.status, headers=error.headers)
        except BodyError as error:
            return portal.error_page(request, error.status)

    def _switch_language(self, portal: Portal, request: Request) -> Response:
        """I18N-1 without JavaScript: ``?lang=xx`` switches, then redirects to the same page
        (HEAD only says where: it changes nothing)."""
        query = urllib.parse.urlencode({k: v for k, v in request.query.items() if k != "lang"}, doseq=True)
        # Same page; never "//host" (a leading double slash would leave the site).
        target = "/" + urllib.parse.quote(request.path).lstrip("/") + (f"?{query}" if query else "")
        if request.method == "HEAD":
            return redirect(target)
        language = portal.rules.i18n_1_language(request.query["lang"][0], request.language)
        if request.session is not None:
            request.session.language = language
        return redirect(target).header("Set-Cookie", language_cookie(language))

    def _send(self, portal: Portal, response: Response, head: http11.Head | None, *, close: bool) -> bool:
        """Status line, headers and body in one write; False when the client is gone."""
        lines = [
            f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Unknown')}\r\n"
            f"Server: mockportal\r\nDate: {email.utils.formatdate(usegmt=True)}\r\n",
            _SECURITY_LINES,
        ]
        if not any(name.lower() == "cache-control" for name, _ in response.headers):
            lines.append("Cache-Control: no-store\r\n")  # pages hold personal data
        lines.append(f"Content-Type: {response.content_type}\r\nContent-Length: {len(response.body)}\r\n")
        lines.extend(f"{name}: {value}\r\n" for name, value in response.headers)
        if close:
            lines.append("Connection: close\r\n")
        elif head is not None and head.version < (1, 1):  # HTTP/1.0 closes unless told otherwise
            lines.append("Connection: keep-alive\r\n")
        lines.append("\r\n")
        data = "".join(lines).encode("latin-1")
        if head is None or head.method != "HEAD":
            data += response.body
        # Logged first: once a client has its answer, the line is in the log (tests read it).
        portal.log.info("%s %s %s", self.command, self._log_path(), response.status)
        try:
            self.request.settimeout(http11.WRITE_TIMEOUT)
            self.request.sendall(data)
        except OSError:  # the client is gone, or does not read
            return False
        return True

    def _log_path(self) -> str:
        return self.path.split("?", 1)[0]


def _cookies(headers: list[str]) -> dict[str, str]:
    """``name=value`` pairs of the Cookie headers; the first of a name wins (RFC 6265 §5.4)."""
    cookies: dict[str, str] = {}
    for header in headers:
        for pair in header.split(";"):
            name, equals, value = pair.strip().partition("=")
            if equals and name and name not in cookies:
                cookies[name] = value.strip().strip('"')
    return cookies


def _bare_request() -> Request:
    """What is known of a request whose line could not be read: nothing (French, no session)."""
    return Request(method="GET", path="/", query={}, headers=Headers(), session=None, language=default_language(None))


def _csrf_ok(request: Request) -> bool:
    token = request.form.get("csrf_token")
    # As bytes: compare_digest refuses str with non-ASCII characters (a 500 for "é").
    return (
        request.session is not None
        and bool(token)
        and hmac.compare_digest(token.encode(), request.session.csrf.encode())
    )


def _plain_error(status: int) -> Response:
    """A page that needs nothing (no template, no session): for internal errors only."""
    title = {500: "Erreur du portail / Fout van het portaal / Fehler des Portals"}.get(
        status, f"Erreur {status} / Fout {status} / Fehler {status}"
    )
    body = (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body><main><h1>{title}</h1><p><a href="/">Home</a></p></main></body></html>'
    )
    return Response(status, body.encode("utf-8"))


# -- running it -------------------------------------------------------------------------------------
@dataclass
class RunningPortal:
    """A portal serving in a daemon thread: ``url`` (no trailing slash), ``stop()``."""

    url: str
    server: PortalServer
    thread: threading.Thread

    @property
    def portal(self) -> Portal:
        """The portal being served (another one after a defect switch)."""
        return self.server.portal

    def stop(self) -> None:
        """Stop serving and close the store. Safe to call twice."""
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join(timeout=10)
        self.server.server_close()
        self.portal.store.close()

    def __enter__(self) -> RunningPortal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def build_portal(
    *,
    state_path: str | None = None,
    trust_paths: Iterable[str] = (),
    test_api: bool = True,
    test_api_token: str | None = None,
    defects: Iterable[str] = (),
    log: logging.Logger | IO[str] | None = None,
    skin: str = "default",
) -> Portal:
    """A portal with its store, trusted CAs, skin ("default" or "variant") and defects, not serving yet."""
    trusted = load_trusted(trust_paths)
    portal = Portal(
        store=Store(state_path),
        trusted=trusted,
        test_api=test_api,
        test_api_token=test_api_token,
        log=_logger(log),
        skin=skin,
    )
    return portal.with_defects(defects)


def make_server(portal: Portal, host: str = "127.0.0.1", port: int = 0) -> PortalServer:
    """A server for ``portal`` listening on ``host``; ValueError when its test API would answer
    other machines without a token."""
    problem = testapi.exposure_problem(host, portal.test_api, portal.test_api_token)
    if problem:
        raise ValueError(problem)
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


def start(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    state_path: str | None = None,
    trust_paths: Iterable[str] = (),
    test_api: bool = True,
    test_api_token: str | None = None,
    defects: Iterable[str] = (),
    log: logging.Logger | IO[str] | None = None,
    skin: str = "default",
) -> RunningPortal:
    """Serve a portal in a daemon thread; returns at once, already listening. Beyond the
    loopback, the test API needs ``test_api_token`` (ValueError otherwise)."""
    portal = build_portal(
        state_path=state_path,
        trust_paths=trust_paths,
        test_api=test_api,
        test_api_token=test_api_token,
        defects=defects,
        log=log,
        skin=skin,
    )
    try:
        server = make_server(portal, host, port)
    except Exception:
        portal.store.close()
        raise
    # serve_forever notices shutdown() once per poll: the default half second is what every stop cost.
    serve = functools.partial(server.serve_forever, poll_interval=0.05)
    thread = threading.Thread(target=serve, name=f"mockportal:{server.server_address[1]}", daemon=True)
    thread.start()
    return RunningPortal(url=server_url(server), server=server, thread=thread)


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

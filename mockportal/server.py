"""The mock's HTTP transport: the standard library's ``http.server``, made strict, serving a
``Portal``; ``start()`` serves one in a daemon thread.

``PortalServer`` is a ``ThreadingHTTPServer``: one thread per connection, at most
``MAX_CONNECTIONS`` at once, the connection idle for longest closed to make room.
``PortalRequestHandler`` is a ``BaseHTTPRequestHandler`` that reads each request strictly and
within one deadline, builds a ``Request``, asks ``Portal.handle`` for the ``Response`` and writes
it with the security headers. What the portal decides — routing, sessions, ACCESS-1/2, forms,
CSRF, the language switch — is in ``portal.py``. Nothing of a request's body, query string or
cookies is ever logged: one line per request says method, path and status. A client that goes
away mid-request is not an error.

Where ``BaseHTTPRequestHandler`` is lenient, the handler overrides it (RFC 9112):

- ``parse_request``: the request line is ``method SP target SP HTTP/1.x``, the target an
  origin-form path, an absolute URL or ``*`` (the standard library answers an HTTP/0.9 line
  without a status line and splits on any whitespace); header lines are
  ``token ":" OWS value OWS`` (its ``email`` parser takes a space before the colon, a folded
  line, a control character); exactly one ``Host`` in HTTP/1.1, a host and a port; 414 and 431
  past 8 KiB a line or 100 lines.
- ``read_body`` (the standard library leaves bodies to each ``do_*`` method): one
  ``Content-Length`` of ASCII digits (two of them, even equal, or ``+5``: 400, where the first
  would win); a ``Transfer-Encoding`` is 411, 400 beside a length; over ``MAX_BODY`` 413; an
  expectation other than ``100-continue`` 417; a body shorter than its length 400.
- ``timeout``: the standard library's applies to each read, so a client trickling a byte at a
  time never times out. Here it is the wait for a request; once the request's first byte has
  arrived, its line, headers and body share one deadline (``request_timeout``, through
  ``DeadlineReader``), past which the answer is 408.
- ``handle_one_request``: every method, known or not, goes to the portal (405 with ``Allow``,
  not 501), and the wait for a request counts as idle for ``PortalServer``.
- ``send_error``: the portal's page in the user's language (JSON under ``/REST/``) with the
  security headers, and the connection closed; never a 5xx for what a client sends.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import logging
import re
import socket
import socketserver
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import IO, Any

from . import testapi
from .certificate import load_trusted
from .portal import Portal
from .store import Store
from .web import Headers, Request, Response

MAX_BODY = 2 * 1024 * 1024  # 2 MiB: a 1.2 MB certificate file still reaches CERT-2's message
DRAIN_LIMIT = 32 * 1024 * 1024  # beyond this an oversized body is not even read before closing
MAX_CONNECTIONS = 128  # connections served at once; more wait in the listen queue
LISTEN_BACKLOG = 1024  # the kernel caps it at net.core.somaxconn
SLOT_WAIT = 0.5  # seconds between checks for a stop while all connection slots are taken
MAX_QUERY_FIELDS = 200
MAX_LINE = 8192  # bytes of the request line (else 414), and of one header line (else 431)
MAX_HEADERS = 100  # header lines (else 431)
MAX_EMPTY_LINES = 4  # RFC 9112 §2.2: empty lines before a request line are ignored

SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
    ),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)

# -- the grammar of a request's head (RFC 9112, RFC 9110) ----------------------------------------------
_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_REQUEST_LINE = re.compile(rb"(" + _TOKEN + rb") ([\x21-\x7e]+) HTTP/([0-9])\.([0-9])\r?\n")
# field-value: visible ASCII and obs-text, spaces and tabs only between them (RFC 9110 §5.5).
_FIELD_LINE = re.compile(
    rb"(" + _TOKEN + rb"):[ \t]*((?:[\x21-\x7e\x80-\xff](?:[ \t\x21-\x7e\x80-\xff]*"
    rb"[\x21-\x7e\x80-\xff])?)?)[ \t]*\r?\n"
)
# RFC 9112 §3.2 / RFC 3986 §3.2.2: uri-host [":" port], the host a bracketed IP literal or a
# reg-name (an IPv4 address is one too); empty when the target has no authority.
_HOST = re.compile(r"(?:\[[0-9A-Za-z._~!$&'()*+,;=:-]+\]|[0-9A-Za-z._~!$&'()*+,;=%-]*)(?::[0-9]*)?")
_ABSOLUTE = re.compile(r"https?://[^/?#]*", re.IGNORECASE)
_EMPTY_LINES = (b"\r\n", b"\n")


class DeadlineReader(io.RawIOBase):
    """A socket's receiving side whose reads share one deadline (``deadline``, monotonic seconds;
    None: each read waits for the socket's own timeout, as ``socket.makefile``'s do)."""

    def __init__(self, sock: socket.socket):
        super().__init__()
        self.sock = sock
        self.deadline: float | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is not None:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the request took too long")
            self.sock.settimeout(remaining)
        return self.sock.recv_into(buffer)


class PortalServer(http.server.ThreadingHTTPServer):
    """One thread per connection, at most ``MAX_CONNECTIONS`` at once, a deep listen queue (a
    burst of 50 connections must not overflow it: the kernel would drop or reset them). When
    every slot is taken, the connection idle for longest is closed to make room, as production
    servers do: idle connections cannot lock a new client out until they time out."""

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

    def server_bind(self) -> None:
        """As ``HTTPServer``'s, without its reverse DNS lookup of the address (``socket.getfqdn``
        can take seconds where no resolver answers, as in some containers) for a ``server_name``
        that nothing here reads."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

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


class PortalRequestHandler(http.server.BaseHTTPRequestHandler):
    """One connection: requests read strictly, each answered by the portal of the moment
    (``Portal.handle``), until either side closes or a request is refused. What it overrides of
    ``BaseHTTPRequestHandler``, and why: the module's docstring."""

    server: PortalServer
    rfile: io.BufferedReader
    headers: Headers

    protocol_version = "HTTP/1.1"  # connections are kept alive (HTTP/1.0 ones when they ask)
    default_request_version = "HTTP/1.1"  # an unreadable request line gets a status line too
    timeout = 15.0  # seconds a connection may wait for its next request (or its first)
    request_timeout = 10.0  # seconds for a whole request (line, headers, body) from its first byte
    write_timeout = 15.0  # seconds to hand an answer to a slow reader
    # Status line, headers and body leave in one write (``respond`` flushes), without Nagle's
    # algorithm: otherwise a reused keep-alive connection waits for the client's delayed ACK
    # (about 40 ms per request). A larger answer leaves in more writes.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()  # the socket's timeout, TCP_NODELAY, rfile and wfile
        self.rfile.close()  # replaced: the reads of one request share its deadline
        self.reader = DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self.reader, 65536)
        self.portal = self.server.portal

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:  # an answer the client did not take: wfile raises it again on closing
            self.rfile.close()

    def version_string(self) -> str:
        return "mockportal"

    # -- one request ------------------------------------------------------------------------------
    def handle_one_request(self) -> None:
        """Read one request and answer it, as the standard library's method does, with what it
        lacks: the wait for the request counts as idle, the request has one deadline from its
        first byte (408 past it), every method goes to the portal, and a client that goes away
        mid-request is logged at INFO. ``close_connection`` says whether another may follow."""
        self.close_connection = True
        self.command = self.path = self.requestline = ""  # nothing read yet
        self.request_version = self.default_request_version
        self.headers = Headers()
        if not self._wait_for_request():
            return
        self.portal = self.server.portal  # this request's, whatever a defect switch does meanwhile
        self.reader.deadline = time.monotonic() + self.request_timeout
        try:
            self.raw_requestline = self.rfile.readline(MAX_LINE + 1)
            if not self.parse_request():
                return  # refused (send_error), or the connection ended before a request
            body = self.read_body()
            if body is None:
                return  # refused
        except TimeoutError:
            self.send_error(HTTPStatus.REQUEST_TIMEOUT, "the request took too long")
            return
        except OSError as error:  # reset or closed mid-request: not our error
            if self.command:
                self.portal.log.info(
                    "%s %s: the client went away (%s)", self.command, self._log_path(), type(error).__name__
                )
            self.close_connection = True
            return
        finally:
            self.reader.deadline = None
        try:
            response = self.portal.handle(self.portal_request(body))
        except Exception:  # noqa: BLE001 - a bug: log it here, never show a traceback
            self.portal.log.exception("internal error on %s %s", self.command, self._log_path())
            response, self.close_connection = _plain_error(500), True
        self.respond(response)

    def _wait_for_request(self) -> bool:
        """Wait for a request's first byte, ``timeout`` seconds at most, counted idle meanwhile:
        False when the connection ends first (the client closed or reset it, it timed out, or the
        server closed it to make room)."""
        self.connection.settimeout(self.timeout)
        self.server.idle(self.connection, True)
        try:
            return bool(self.rfile.peek(1))
        except (OSError, ValueError):
            return False
        finally:
            self.server.idle(self.connection, False)

    def parse_request(self) -> bool:
        """The request line (``raw_requestline``) and the header fields, read strictly: sets
        ``command``, ``path``, ``request_version``, ``headers`` and ``close_connection``. False
        when the request is refused (answered) or the connection ended before one."""
        line = self.raw_requestline
        for _ in range(MAX_EMPTY_LINES):
            if line not in _EMPTY_LINES:
                break
            line = self.rfile.readline(MAX_LINE + 1)
        if not line:
            return False  # the client closed: nobody to answer
        if len(line) > MAX_LINE:
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG, "request line too long")
            return False
        found = _REQUEST_LINE.fullmatch(line)
        if not found:  # HTTP/0.9, two spaces, a control or non-ASCII byte, a cut line, TLS, ...
            self.send_error(HTTPStatus.BAD_REQUEST, "malformed request line")
            return False
        method, target = found.group(1).decode("ascii"), found.group(2).decode("ascii")
        if found.group(3) != b"1":  # HTTP/2 and later never come as a text line
            self.send_error(HTTPStatus.BAD_REQUEST, "unsupported HTTP version")
            return False
        if not (target.startswith("/") or _ABSOLUTE.match(target) or (target == "*" and method == "OPTIONS")):
            self.send_error(HTTPStatus.BAD_REQUEST, "malformed request target")
            return False
        self.requestline = line.rstrip(b"\r\n").decode("ascii")
        self.command, self.path = method, _path_and_query(target)
        self.request_version = f"HTTP/1.{found.group(4).decode()}"
        fields: list[tuple[str, str]] = []
        while True:
            line = self.rfile.readline(MAX_LINE + 1)
            if len(line) > MAX_LINE:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "header line too long")
                return False
            if not line.endswith(b"\n"):
                self.send_error(HTTPStatus.BAD_REQUEST, "the request ends inside its headers")
                return False
            if line in _EMPTY_LINES:
                break
            if len(fields) >= MAX_HEADERS:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many header fields")
                return False
            field = _FIELD_LINE.fullmatch(line)
            if not field:  # a space before the colon, a folded line, a control character, no colon
                self.send_error(HTTPStatus.BAD_REQUEST, "malformed header field")
                return False
            fields.append((field.group(1).decode("ascii"), field.group(2).decode("latin-1")))
        headers = Headers(fields)
        hosts = headers.get_all("Host") or []
        if len(hosts) > 1 or (self.request_version >= "HTTP/1.1" and not hosts):
            self.send_error(HTTPStatus.BAD_REQUEST, "a request needs exactly one Host header")
            return False
        if hosts and not _HOST.fullmatch(hosts[0]):
            self.send_error(HTTPStatus.BAD_REQUEST, "the Host header is not a host and port")
            return False
        self.headers = headers
        tokens = {token.strip().lower() for value in headers.get_all("Connection") or () for token in value.split(",")}
        keep_alive = self.request_version >= "HTTP/1.1" or "keep-alive" in tokens
        self.close_connection = "close" in tokens or not keep_alive
        return True

    def read_body(self) -> bytes | None:
        """The body of the request's one ``Content-Length`` (none: empty); None when refused
        (answered). RFC 9112 §6.3: a ``Transfer-Encoding`` next to a ``Content-Length`` is the
        pattern of request smuggling (400); alone it is 411, the mock reading only bodies of
        declared length. A body over ``MAX_BODY`` is read and dropped, up to ``DRAIN_LIMIT``, so
        that the client gets the 413 page rather than a reset."""
        lengths = self.headers.get_all("Content-Length") or []
        if self.headers.get_all("Transfer-Encoding"):
            status = HTTPStatus.BAD_REQUEST if lengths else HTTPStatus.LENGTH_REQUIRED
            self.send_error(status, "Transfer-Encoding is not supported")
            return None
        if len(lengths) > 1:
            self.send_error(HTTPStatus.BAD_REQUEST, "more than one Content-Length")
            return None
        length = 0
        if lengths:
            value = lengths[0]
            if not (value.isascii() and value.isdigit()):
                self.send_error(HTTPStatus.BAD_REQUEST, "Content-Length is not a number")
                return None
            length = int(value) if len(value) <= 18 else 10**18  # a longer number is simply too large
        expect = self.headers.get("Expect")
        if expect is not None and expect.lower() != "100-continue":
            self.send_error(HTTPStatus.EXPECTATION_FAILED, "unknown expectation")
            return None
        if length > MAX_BODY:
            if length <= DRAIN_LIMIT and expect is None:
                while length > 0 and (chunk := self.rfile.read(min(length, 65536))):
                    length -= len(chunk)
            self.send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body over MAX_BODY")
            return None
        if not length:
            return b""
        if expect is not None and self.request_version >= "HTTP/1.1":
            self.handle_expect_100()
            self.wfile.flush()  # now, not with the answer
        body = self.rfile.read(length)
        if len(body) < length:  # the client half-closed: a body cut short is never processed
            self.send_error(HTTPStatus.BAD_REQUEST, "the body is shorter than its Content-Length")
            return None
        return body

    def portal_request(self, body: bytes) -> Request:
        """What the portal is asked: method, percent-decoded path, query, headers, body (the
        session and language are the portal's to find). Nothing but ``GET /`` when the request
        line could not be read."""
        if not self.command:
            return Request(method="GET", path="/", query={}, headers=self.headers)
        url = urllib.parse.urlsplit(self.path)
        try:
            query = urllib.parse.parse_qs(url.query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
        except ValueError:
            query = {}
        path = urllib.parse.unquote(url.path) or "/"
        return Request(method=self.command, path=path, query=query, headers=self.headers, body=body)

    # -- answers ----------------------------------------------------------------------------------
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Refuse the request with ``code`` (400, 408, 411, 413, 414, 417, 431; ``message`` says
        why, for a reader of the code only): the portal's page in the user's language (JSON under
        ``/REST/``) rather than the standard library's bare one, and the connection closed, so
        that nothing after the refused request is read as another."""
        self.close_connection = True
        try:
            response = self.portal.refuse(self.portal_request(b""), int(code))
        except Exception:  # noqa: BLE001 - a bug: log it here, never show a traceback
            self.portal.log.exception("internal error on %s %s", self.command or "-", self._log_path())
            response = _plain_error(int(code))
        self.respond(response)

    def respond(self, response: Response) -> None:
        """Status line and headers (the security headers, ``Cache-Control: no-store`` unless the
        response says otherwise, its length, whether the connection stays open), then the body
        but for a HEAD, in one write. A client that is gone, or does not read within
        ``write_timeout``, ends the connection."""
        self.connection.settimeout(self.write_timeout)
        try:
            self.send_response(response.status)  # logs the request's line first (log_request)
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
            elif self.request_version < "HTTP/1.1":  # HTTP/1.0 closes unless told otherwise
                self.send_header("Connection", "keep-alive")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
            self.wfile.flush()
        except OSError:  # the client is gone, or does not read: the answer is dropped
            self.close_connection = True
            with contextlib.suppress(OSError):  # and finish() does not wait for it again
                self.connection.shutdown(socket.SHUT_RDWR)

    # -- the log ----------------------------------------------------------------------------------
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One line per answer, written before the answer leaves (tests read it once they have
        theirs): method, path without its query string, status. Never a body, a query string or
        a cookie."""
        status = code.value if isinstance(code, HTTPStatus) else code
        self.portal.log.info("%s %s %s", self.command or "-", self._log_path(), status)

    def log_message(self, format: str, *args: Any) -> None:
        """Whatever ``http.server`` itself would write to stderr goes to the portal's log."""
        self.server.portal.log.info(format, *args)

    def _log_path(self) -> str:
        return self.path.split("?", 1)[0] or "-"


def _path_and_query(target: str) -> str:
    """The request target as a path with its query: an absolute URL loses its scheme and host,
    and "//host/x" is a path, never a host to go to (as ``http.server`` does since gh-87389)."""
    found = _ABSOLUTE.match(target)
    if found:
        target = target[found.end() :] or "/"
    return "/" + target.lstrip("/") if target.startswith("//") else target


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

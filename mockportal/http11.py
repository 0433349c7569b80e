"""Reading HTTP/1.1 requests strictly (RFC 9112), within a deadline for the whole request.

The standard library's ``BaseHTTPRequestHandler`` is lenient where a mock facing hostile
clients must not be: it answers HTTP/0.9 lines without a status line, lets the first of two
``Content-Length`` headers win, takes ``+5`` or `` 10 `` as lengths, and its timeout applies to
each read rather than to the request. Here:

- the request line is ``method SP target SP HTTP/1.x``, the target an origin-form path, an
  absolute URL or ``*``; anything else is 400 (414 when too long);
- header lines are ``token ":" OWS value OWS``; a space before the colon, a folded line, a
  control character in a value, more than one ``Host`` (or none in HTTP/1.1), or one that is not
  ``host[:port]`` is 400; too many or too long lines 431;
- ``Content-Length`` must be one header of ASCII digits; two of them, or a ``Transfer-Encoding``
  next to one, is 400; a ``Transfer-Encoding`` alone 411 (bodies must have a length);
- once a request's first byte has arrived, the request line, the headers and the body must all
  arrive within ``REQUEST_TIMEOUT`` seconds in all (``DeadlineReader``), else 408.
"""

from __future__ import annotations

import io
import re
import socket
import time
from dataclasses import dataclass
from typing import BinaryIO

from .web import Headers

REQUEST_TIMEOUT = 10.0  # seconds for a whole request (line, headers, body) from its first byte
IDLE_TIMEOUT = 15.0  # seconds a kept-alive connection may wait for its next request
WRITE_TIMEOUT = 15.0  # seconds to hand an answer to a slow reader
MAX_LINE = 8192  # bytes of the request line, and of one header line
MAX_HEADERS = 100
MAX_EMPTY_LINES = 4  # RFC 9112 §2.2: empty lines before a request line are ignored

_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_REQUEST_LINE = re.compile(rb"(" + _TOKEN + rb") ([\x21-\x7e]+) HTTP/([0-9])\.([0-9])\r?\n")
# field-value: visible ASCII and obs-text, spaces and tabs only between them (RFC 9110 §5.5).
_FIELD_LINE = re.compile(
    rb"(" + _TOKEN + rb"):[ \t]*((?:[\x21-\x7e\x80-\xff](?:[ \t\x21-\x7e\x80-\xff]*"
    rb"[\x21-\x7e\x80-\xff])?)?)[ \t]*\r?\n"
)
_DIGITS = re.compile(r"[0-9]+")
# RFC 9112 §3.2 / RFC 3986 §3.2.2: uri-host [":" port], the host a bracketed IP literal or a
# reg-name (an IPv4 address is one too); empty when the target has no authority.
_HOST = re.compile(r"(?:\[[0-9A-Za-z._~!$&'()*+,;=:-]+\]|[0-9A-Za-z._~!$&'()*+,;=%-]*)(?::[0-9]*)?")
_ABSOLUTE = re.compile(r"https?://[^/?#]*", re.IGNORECASE)


class RequestError(Exception):
    """The request cannot be read as HTTP/1.1: answer ``status`` and close the connection."""

    def __init__(self, status: int, reason: str):
        super().__init__(f"{status}: {reason}")
        self.status = status
        self.reason = reason


class ClientGone(Exception):
    """The client closed or reset the connection before its request was whole."""


class DeadlineReader(io.RawIOBase):
    """A socket's receiving side whose reads share one deadline (``deadline``, monotonic
    seconds; None: ``IDLE_TIMEOUT`` per read, between requests)."""

    def __init__(self, sock: socket.socket):
        super().__init__()
        self.sock = sock
        self.deadline: float | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is None:
            self.sock.settimeout(IDLE_TIMEOUT)
        else:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the request took too long")
            self.sock.settimeout(remaining)
        return self.sock.recv_into(buffer)


@dataclass
class Head:
    """A request line and its headers, checked."""

    method: str
    target: str
    version: tuple[int, int]
    headers: Headers

    @property
    def path_and_query(self) -> str:
        """The target as a path with its query (an absolute URL loses its scheme and host)."""
        found = _ABSOLUTE.match(self.target)
        target = (self.target[found.end() :] or "/") if found else self.target
        # "//host/x" is a path, never a host to go to (as http.server does since gh-87389)
        return "/" + target.lstrip("/") if target.startswith("//") else target

    def keep_alive(self) -> bool:
        tokens = {token.strip().lower() for value in self.headers.get_all("Connection") for token in value.split(",")}
        if "close" in tokens:
            return False
        return self.version >= (1, 1) or "keep-alive" in tokens


def _line(rfile: BinaryIO, too_long: int) -> bytes:
    line = rfile.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise RequestError(too_long, "line too long")
    if line and not line.endswith(b"\n"):
        raise RequestError(400, "the request ends in the middle of a line")
    return line


def read_head(rfile: BinaryIO) -> Head:
    """The request line and headers (RequestError when malformed, ClientGone on end of stream)."""
    line = _line(rfile, 414)
    for _ in range(MAX_EMPTY_LINES):
        if line not in (b"\r\n", b"\n"):
            break
        line = _line(rfile, 414)
    if not line:
        raise ClientGone("end of stream before a request")
    found = _REQUEST_LINE.fullmatch(line)
    if not found:
        raise RequestError(400, "malformed request line")
    method, target = found.group(1).decode("ascii"), found.group(2).decode("ascii")
    version = (int(found.group(3)), int(found.group(4)))
    if version[0] != 1:  # HTTP/0.9 has no version; HTTP/2 and later never come as a text line
        raise RequestError(400, "unsupported HTTP version")
    if not (target.startswith("/") or _ABSOLUTE.match(target) or (target == "*" and method == "OPTIONS")):
        raise RequestError(400, "malformed request target")
    fields: list[tuple[str, str]] = []
    while True:
        line = _line(rfile, 431)
        if not line:
            raise RequestError(400, "the request ends inside its headers")
        if line in (b"\r\n", b"\n"):
            break
        if len(fields) >= MAX_HEADERS:
            raise RequestError(431, "too many header fields")
        field = _FIELD_LINE.fullmatch(line)
        if not field:  # a space before the colon, a folded line, a control character, no colon
            raise RequestError(400, "malformed header field")
        fields.append((field.group(1).decode("ascii"), field.group(2).decode("latin-1")))
    headers = Headers(fields)
    hosts = headers.get_all("Host")
    if len(hosts) > 1 or (version >= (1, 1) and not hosts):
        raise RequestError(400, "a request needs exactly one Host header")
    if hosts and not _HOST.fullmatch(hosts[0]):
        raise RequestError(400, "the Host header is not a host and port")
    return Head(method, target, version, headers)


def body_length(headers: Headers) -> int:
    """The body's length from its one ``Content-Length`` header of ASCII digits; 0 without one.

    RFC 9112 §6.3: a ``Transfer-Encoding`` next to a ``Content-Length`` is 400 (the pattern of
    request smuggling); alone it is 411, since the mock reads only bodies of declared length.
    """
    lengths = headers.get_all("Content-Length")
    if headers.get_all("Transfer-Encoding"):
        raise RequestError(400 if lengths else 411, "Transfer-Encoding is not supported")
    if not lengths:
        return 0
    if len(lengths) > 1:
        raise RequestError(400, "more than one Content-Length")
    value = lengths[0]
    if not (value.isascii() and _DIGITS.fullmatch(value)):
        raise RequestError(400, "Content-Length is not a number")
    return int(value) if len(value) <= 18 else 10**18  # a longer number is simply too large


def read_body(rfile: BinaryIO, length: int) -> bytes:
    """Exactly ``length`` bytes; a body cut short (the client half-closed) is never used."""
    body = rfile.read(length)
    if len(body) < length:
        raise RequestError(400, "the body is shorter than its Content-Length")
    return body


def drain(rfile: BinaryIO, length: int) -> None:
    """Read and drop ``length`` bytes (an oversized body), so that the client gets its answer."""
    while length > 0:
        chunk = rfile.read(min(length, 65536))
        if not chunk:
            return
        length -= len(chunk)

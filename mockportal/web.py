"""Plain HTTP value types shared by the server and the screens: headers, request, response,
routing table, and the request-body parsers (URL-encoded and multipart forms, JSON).

Routing is a table of (method, path pattern) → handler that any module extends with
``router.add(...)`` (the OAuth endpoints of a later module register themselves the same way).
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from contract.words import DEFAULT_LANGUAGE

from .sessions import Session, SignedInSession

if TYPE_CHECKING:
    from .portal import Portal

MAX_FORM_FIELDS = 200


class Headers(http.client.HTTPMessage):
    """A request's header fields: the standard library's ``HTTPMessage``, what
    ``BaseHTTPRequestHandler`` calls ``headers`` (case-insensitive names, repeated fields kept in
    order; ``get_all`` is None for an absent name), made from ``(name, value)`` pairs the server
    has already checked, rather than by the ``email`` parser, which takes folded and malformed
    lines."""

    def __init__(self, fields: Iterable[tuple[str, str]] = ()):
        super().__init__()
        for name, value in fields:
            self[name] = value  # appends: a repeated field stays repeated


class HTTPError(Exception):
    """Raised by a handler to answer with an error page (``status`` 400, 404, ...)."""

    def __init__(self, status: int, *, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.headers = headers or {}


@dataclass
class Upload:
    filename: str
    data: bytes = field(repr=False)  # never printed: it may be a private key (CERT-3)

    @property
    def given(self) -> bool:
        """A file was chosen (a browser sends an empty, nameless part when none was)."""
        return bool(self.filename) or bool(self.data)


@dataclass
class Form:
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        values = self.fields.get(name)
        return values[0] if values else default

    def getlist(self, name: str) -> list[str]:
        return list(self.fields.get(name, ()))

    def values(self) -> dict[str, str]:
        """The first value of every text field."""
        return {name: values[0] for name, values in self.fields.items() if values}


@dataclass
class Request:
    """What the server read of a request (method, percent-decoded path, query, headers, body),
    and what the portal makes of it: ``session`` and ``language`` (``Portal.handle`` finds them
    from the cookies), the route's ``params``, the ``form``."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Headers
    session: Session | None = None
    language: str = DEFAULT_LANGUAGE
    params: dict[str, str] = field(default_factory=dict)
    form: Form = field(default_factory=Form)
    body: bytes = field(default=b"", repr=False)

    @property
    def cookies(self) -> dict[str, str]:
        """``name=value`` pairs of the Cookie headers; the first of a name wins (RFC 6265 §5.4)."""
        cookies: dict[str, str] = {}
        for header in self.headers.get_all("Cookie") or ():
            for pair in header.split(";"):
                name, equals, value = pair.strip().partition("=")
                if equals and name and name not in cookies:
                    cookies[name] = value.strip().strip('"')
        return cookies

    @property
    def signed_in(self) -> bool:
        return self.session is not None and self.session.signed_in

    @property
    def signed_session(self) -> SignedInSession:
        """The signed-in user's session, for a handler of a route that needs one: the server sends
        everyone else to the login page before the handler runs (``Route.session``, ACCESS-2)."""
        if not isinstance(self.session, SignedInSession):
            raise RuntimeError(f"{self.method} {self.path} needs a signed-in session and has none")
        return self.session


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str, value: str) -> Response:
        self.headers.append((name, value))
        return self


def redirect(location: str) -> Response:
    """303 See Other: after a POST, and for every "go there instead"."""
    return Response(303, content_type="text/plain; charset=utf-8", headers=[("Location", location)])


def json_response(data: object, status: int = 200) -> Response:
    return Response(status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")


Handler = Callable[["Portal", Request], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern
    handler: Handler
    session: bool = True  # ACCESS-2: needs a signed-in session
    manager: bool = False  # ACCESS-1: only the (co-)gestionnaire local
    csrf: bool = True  # a POST must carry the session's CSRF token
    form: bool = True  # a POST body is a form (else the handler reads ``request.body``)


class Router:
    """(method, path pattern) → handler. Patterns are full-match regular expressions whose
    named groups become ``request.params``."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler, **options) -> None:
        self.routes.append(Route(method.upper(), re.compile(pattern), handler, **options))

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], list[str]]:
        """The route and its params, or None and the methods the path allows (empty: 404)."""
        allowed: list[str] = []
        for route in self.routes:
            found = route.pattern.fullmatch(path)
            if not found:
                continue
            if route.method == method:
                return route, found.groupdict(), []
            allowed.append(route.method)
        if "GET" in allowed and "HEAD" not in allowed:
            allowed.append("HEAD")
        return None, {}, allowed


# -- request bodies ---------------------------------------------------------------------------
class BodyError(Exception):
    """The body cannot be read as the form it claims to be: 400, or 415 for another type."""

    def __init__(self, status: int = 400):
        super().__init__(status)
        self.status = status


def parse_form(content_type: str, body: bytes) -> Form:
    """A URL-encoded or multipart form; BodyError(400) when malformed or not UTF-8."""
    media = content_type.split(";", 1)[0].strip().lower()
    if not media and not body:
        return Form()
    if media == "application/x-www-form-urlencoded":
        return _parse_urlencoded(body)
    if media == "multipart/form-data":
        return _parse_multipart(content_type, body)
    raise BodyError(415)


def _parse_urlencoded(body: bytes) -> Form:
    try:
        text = body.decode("utf-8")
        pairs = urllib.parse.parse_qsl(
            text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_FORM_FIELDS
        )
    except (UnicodeDecodeError, ValueError):
        raise BodyError(400) from None
    form = Form()
    for name, value in pairs:
        form.fields.setdefault(name, []).append(value)
    return form


# RFC 2046 §5.1.1: 1 to 70 characters, the last one not a space.
_BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_PARAMETER = re.compile(r";[ \t]*(" + _TOKEN + r")[ \t]*=[ \t]*(?:(" + _TOKEN + r")|\"((?:[^\"\\]|\\.)*)\")[ \t]*")
_HEADER_LINE = re.compile(r"(" + _TOKEN + r"):[ \t]*(.*?)[ \t]*")
_QUOTED_PAIR = re.compile(r"\\(.)")


def header_parameters(value: str) -> tuple[str, dict[str, str]] | None:
    """``type; name=value; name="quoted"`` → (lower-case type, parameters); None if malformed
    or a parameter is repeated."""
    kind, separator, rest = value.partition(";")
    rest = (separator + rest).rstrip(" \t")
    if rest.endswith(";"):  # a trailing semicolon is harmless
        rest = rest[:-1]
    parameters: dict[str, str] = {}
    position = 0
    while position < len(rest):
        found = _PARAMETER.match(rest, position)
        if not found:
            return None
        name = found.group(1).lower()
        if name in parameters:
            return None
        token, quoted = found.group(2), found.group(3)
        parameters[name] = token if token is not None else _QUOTED_PAIR.sub(r"\1", quoted)
        position = found.end()
    return kind.strip().lower(), parameters


def _parse_multipart(content_type: str, body: bytes) -> Form:
    """multipart/form-data (RFC 7578), strictly. The standard library offers only its e-mail
    parser (the ``cgi`` module is deprecated), which took most of a request's time and 8 s for
    a body of 20,000 parts; this one counts the parts first (a C-speed search) and refuses more
    than ``MAX_FORM_FIELDS`` before looking at any of them."""
    parsed = header_parameters(content_type)
    boundary = parsed[1].get("boundary") if parsed else None
    if not boundary or not _BOUNDARY.fullmatch(boundary):
        raise BodyError(400)
    delimiter = b"--" + boundary.encode("ascii")
    if body.count(delimiter) > MAX_FORM_FIELDS + 1:
        raise BodyError(400)
    position = body.find(delimiter)
    if position < 0 or (position > 0 and body[position - 2 : position] != b"\r\n"):
        raise BodyError(400)
    separator = b"\r\n" + delimiter
    position += len(delimiter)
    form = Form()
    while not body.startswith(b"--", position):  # "--" after a delimiter closes the body
        line_end = body.find(b"\r\n", position)
        if line_end < 0 or body[position:line_end].strip(b" \t"):
            raise BodyError(400)
        end = body.find(separator, line_end + 2)
        if end < 0:
            raise BodyError(400)  # no closing delimiter
        _add_part(form, body[line_end + 2 : end])
        position = end + len(separator)
    return form


def _add_part(form: Form, part: bytes) -> None:
    """One part: its headers (a ``Content-Disposition: form-data`` with a name), then its data."""
    head_end = part.find(b"\r\n\r\n")
    if head_end < 0:
        raise BodyError(400)
    try:
        lines = part[:head_end].decode("utf-8").split("\r\n")
    except UnicodeDecodeError:
        raise BodyError(400) from None
    disposition = None
    for line in lines:
        found = _HEADER_LINE.fullmatch(line)
        if not found:
            raise BodyError(400)
        if found.group(1).lower() == "content-disposition":
            if disposition is not None:
                raise BodyError(400)
            disposition = header_parameters(found.group(2))
    if disposition is None or disposition[0] != "form-data" or not disposition[1].get("name"):
        raise BodyError(400)
    name, filename = disposition[1]["name"], disposition[1].get("filename")
    data = part[head_end + 4 :]
    if filename is not None:
        form.files[name] = Upload(filename, data)
        return
    try:
        form.fields.setdefault(name, []).append(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BodyError(400) from None


def parse_json(request: Request) -> object:
    """The JSON body of a test-API request: ``application/json`` required, empty means ``{}``."""
    media = request.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        raise BodyError(415)
    if not request.body.strip():
        return {}
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # deep nesting too: a bad body
        raise BodyError(400) from None

"""Plain HTTP value types shared by the server and the screens: request, response, routing table,
and the request-body parsers (URL-encoded and multipart forms, JSON).

Routing is a table of (method, path pattern) → handler that any module extends with
``router.add(...)`` (the OAuth endpoints of a later module register themselves the same way).
"""
from __future__ import annotations

import email.parser
import email.policy
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from email.message import Message
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .portal import Portal
    from .sessions import Session

MAX_FORM_FIELDS = 200


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
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message
    session: "Session | None"
    language: str
    params: dict[str, str] = field(default_factory=dict)
    form: Form = field(default_factory=Form)
    body: bytes = field(default=b"", repr=False)

    @property
    def signed_in(self) -> bool:
        return self.session is not None and self.session.signed_in


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str, value: str) -> "Response":
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
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                                       max_num_fields=MAX_FORM_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise BodyError(400) from None
    form = Form()
    for name, value in pairs:
        form.fields.setdefault(name, []).append(value)
    return form


def _parse_multipart(content_type: str, body: bytes) -> Form:
    """Multipart with the standard library's e-mail parser (the ``cgi`` module is deprecated)."""
    try:
        head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    except UnicodeEncodeError:
        raise BodyError(400) from None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.get_boundary() or not message.is_multipart() or message.defects:
        raise BodyError(400)
    parts = list(message.iter_parts())
    if len(parts) > MAX_FORM_FIELDS:
        raise BodyError(400)
    form = Form()
    for part in parts:
        if part.defects or part.get_content_disposition() != "form-data":
            raise BodyError(400)
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or not name:
            raise BodyError(400)
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            raise BodyError(400)
        filename = part.get_param("filename", header="content-disposition")
        if filename is not None:
            form.files[name] = Upload(str(filename), data)
            continue
        try:
            form.fields.setdefault(name, []).append(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise BodyError(400) from None
    return form


def parse_json(request: Request) -> object:
    """The JSON body of a test-API request: ``application/json`` required, empty means ``{}``."""
    media = request.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        raise BodyError(415)
    if not request.body.strip():
        return {}
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BodyError(400) from None

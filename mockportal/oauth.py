"""The OAuth side (OAUTH-1..5): the token endpoint and a demo service, under ``/REST/``.

- ``POST /REST/oauth/v5/token`` (``application/x-www-form-urlencoded``): the client-credentials
  grant with a JWT client assertion (RFC 7523, RS256), verified with PyJWT against the public
  key of the Web Service certificate registered for the client (``store.active_client_certificate``).
  Errors are RFC 6749 §5.2 JSON: 401 ``invalid_client``, 400 ``invalid_request``,
  ``unsupported_grant_type``, ``invalid_scope``.
- ``GET /REST/demo/v1/hello``: 200 ``{"hello": <client id>, "scope": …}`` with a valid
  ``Authorization: Bearer`` token, else 401 ``application/problem+json`` (RFC 9457).

Everything a defect may break hangs off ``portal.oauth`` (an ``OAuth``): its methods (one per
check) and its settings (``jwt_options``, ``max_assertion_lifetime``, ``token_lifetime``,
``clock``). Assertions are checked against the wall clock (as PyJWT does); access tokens against
``oauth.clock``, which tests move forward to expire them. Neither assertions nor tokens are ever
logged: the log says which check refused, and the client id.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import jwt
import jwt.types
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from .web import BodyError, Request, Response, parse_form

if TYPE_CHECKING:
    from .portal import Portal
    from .store import Store

API_PREFIX = "/REST/"
TOKEN_PATH = "/REST/oauth/v5/token"
DEMO_PATH = "/REST/demo/v1/hello"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
GRANT_TYPE = "client_credentials"
SCOPE = "scope:demo:consult"  # [mock] the one scope, granted when none is asked for
ALGORITHM = "RS256"  # OAUTH-2: nothing else, never "none", never HS256
SKEW = 30  # seconds of clock skew allowed either way (OAUTH-2 [mock])
MAX_ASSERTION_LIFETIME = 600  # exp at most 10 minutes ahead (OAUTH-2 [mock])
TOKEN_LIFETIME = 3600  # seconds an access token lives (expires_in)
MAX_TOKENS = 100_000  # access tokens kept at once
FORM_PARAMETERS = ("grant_type", "client_assertion_type", "client_assertion", "scope", "client_id", "client_secret")
JSON = "application/json; charset=utf-8"
PROBLEM_JSON = "application/problem+json; charset=utf-8"
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
_BEARER = re.compile(r"Bearer +([A-Za-z0-9\-._~+/]+=*) *", re.IGNORECASE)  # RFC 6750 §2.1


class OAuthError(Exception):
    """An RFC 6749 §5.2 error: ``error`` code, a fixed ASCII ``description`` (never user input)."""

    STATUS = {"invalid_client": 401}

    def __init__(self, error: str, description: str):
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description

    @property
    def status(self) -> int:
        return self.STATUS.get(self.error, 400)


def invalid_client(description: str) -> OAuthError:
    return OAuthError("invalid_client", description)


def invalid_request(description: str) -> OAuthError:
    return OAuthError("invalid_request", description)


@dataclass(frozen=True)
class Grant:
    """An issued access token's record (the token itself is kept only as its SHA-256)."""

    client_id: str
    scope: str
    issued_at: float
    expires_at: float


@dataclass(frozen=True)
class Issued:
    token: str
    grant: Grant


class ReplayCache:
    """``jti`` values seen, per client, each kept until its assertion has expired: in the store
    (so that with ``--state`` they survive a restart), at most ``MAX_SEEN_ASSERTIONS`` per client."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def first_use(self, client_id: str, jti: str, until: float, now: float) -> bool:
        """Record ``jti``; False when it is already recorded and still valid (a replay)."""
        first = self._store.first_use_of_jti(client_id, jti, until, now)
        if first is None:
            raise invalid_client("too many assertions in the last minutes: try again later")
        return first

    def __len__(self) -> int:
        return self._store.seen_assertions()


class TokenStore:
    """Access tokens: opaque random strings, kept by their SHA-256 with client, scope, expiry;
    expired ones pruned, at most ``MAX_TOKENS`` (past that, the soonest to expire goes first)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._grants: dict[str, Grant] = {}
        self._expiry: list[tuple[float, str]] = []  # a heap of (expires_at, key)

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()

    def issue(self, client_id: str, scope: str, now: float, lifetime: int) -> Issued:
        token = secrets.token_urlsafe(32)
        grant = Grant(client_id, scope, now, now + lifetime)
        key = self._key(token)
        with self._lock:
            while self._expiry and (self._expiry[0][0] <= now or len(self._grants) >= MAX_TOKENS):
                _, old = heapq.heappop(self._expiry)
                self._grants.pop(old, None)
            if len(self._expiry) > 2 * MAX_TOKENS:  # revoked tokens' entries: rebuild now and then
                self._expiry = [(g.expires_at, k) for k, g in self._grants.items()]
                heapq.heapify(self._expiry)
            self._grants[key] = grant
            heapq.heappush(self._expiry, (grant.expires_at, key))
        return Issued(token, grant)

    def __len__(self) -> int:
        with self._lock:
            return len(self._grants)

    def get(self, token: str) -> Grant | None:
        """The token's record, expired or not; None for a token never issued here."""
        with self._lock:
            return self._grants.get(self._key(token))

    def revoke_client(self, client_id: str) -> int:
        with self._lock:
            keys = [k for k, g in self._grants.items() if g.client_id == client_id]
            for key in keys:
                del self._grants[key]
        return len(keys)


class OAuth:
    """One portal's token endpoint and demo service: settings, state and one method per check."""

    def __init__(self, store: Store):
        self.store = store
        self.base_url: str | None = None  # set by the server; None: from the Host header
        self.clock: Callable[[], float] = time.time  # access tokens only (tests move it)
        self.token_lifetime = TOKEN_LIFETIME
        self.max_assertion_lifetime = MAX_ASSERTION_LIFETIME
        self.skew = SKEW
        self.algorithms: tuple[str, ...] = (ALGORITHM,)
        self.jwt_options: jwt.types.Options = {
            "verify_signature": True,
            "verify_exp": True,
            "verify_iat": True,
            "verify_nbf": True,
            "verify_aud": True,
            "verify_iss": True,
            "verify_sub": True,
            "verify_jti": True,
            "require": ["exp", "iss", "sub", "jti"],
        }
        self.replays = ReplayCache(store)
        self.tokens = TokenStore()

    # -- addresses ---------------------------------------------------------------------------------
    def token_url(self, request: Request) -> str:
        """The token endpoint's own URL, the only ``aud`` accepted (OAUTH-2): the base URL the
        server printed at start, or — listening on a wildcard address — the Host header's."""
        if self.base_url:
            return self.base_url.rstrip("/") + TOKEN_PATH
        host = (request.headers.get("Host") or "").strip()
        return f"http://{host}{TOKEN_PATH}" if _HOST.fullmatch(host) else ""

    # -- the token endpoint ----------------------------------------------------------------------
    def token(self, request: Request) -> Issued:
        """OAUTH-1/2/4: an access token for a valid request, else OAuthError."""
        form = self.read_form(request)
        self.check_authentication_methods(form, request)
        grant_type = form.get("grant_type")
        if not grant_type:
            raise invalid_request("grant_type is missing")
        self.check_grant_type(grant_type)
        self.check_assertion_type(form.get("client_assertion_type"))
        assertion = form.get("client_assertion")
        if not assertion:
            raise invalid_client("client_assertion is missing")
        client_id = self.verify_assertion(assertion, self.token_url(request))
        if form.get("client_id") and form["client_id"] != client_id:
            raise invalid_client("client_id does not match the assertion")
        scope = self.grant_scope(form.get("scope"))
        return self.tokens.issue(client_id, scope, self.clock(), self.token_lifetime)

    def read_form(self, request: Request) -> dict[str, str]:
        """The URL-encoded form, each parameter at most once (RFC 6749 §3.2)."""
        media = request.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if media != "application/x-www-form-urlencoded":
            raise invalid_request("the body must be application/x-www-form-urlencoded")
        try:
            form = parse_form(media, request.body)
        except BodyError:
            raise invalid_request("the body is not a UTF-8 URL-encoded form") from None
        repeated = [name for name, values in form.fields.items() if len(values) > 1 and name in FORM_PARAMETERS]
        if repeated:
            raise invalid_request("a parameter is repeated")
        return form.values()

    def check_authentication_methods(self, form: dict[str, str], request: Request) -> None:
        """No client secret, no HTTP Basic (OAUTH-1). RFC 6749 §5.2: two methods at once is
        ``invalid_request``; a secret alone is an unsupported method, ``invalid_client``."""
        other = "client_secret" in form or bool(request.headers.get("Authorization"))
        if not other:
            return
        if form.get("client_assertion"):
            raise invalid_request("use one client authentication method: the JWT client assertion only")
        raise invalid_client("client secrets are not supported: authenticate with a JWT client assertion")

    def check_grant_type(self, grant_type: str) -> None:
        if grant_type != GRANT_TYPE:
            raise OAuthError("unsupported_grant_type", "only the client_credentials grant is supported")

    def check_assertion_type(self, assertion_type: str | None) -> None:
        if assertion_type != ASSERTION_TYPE:
            raise invalid_request(f"client_assertion_type must be {ASSERTION_TYPE}")

    def grant_scope(self, requested: str | None) -> str:
        """[mock] the one scope; granted when none is asked for; anything else is invalid_scope."""
        asked = set((requested or "").split())
        if asked - {SCOPE}:
            raise OAuthError("invalid_scope", f"the only scope is {SCOPE}")
        return SCOPE

    # -- the assertion (OAUTH-2) -------------------------------------------------------------------
    def verify_assertion(self, assertion: str, token_url: str) -> str:
        """The client id of a valid assertion, else OAuthError(invalid_client) (RFC 7523 §3.2)."""
        header = self.read_header(assertion)
        self.check_algorithm(header.get("alg"))
        client_id = self.claimed_client(assertion)
        key = self.client_key(client_id)
        claims = self.decode(assertion, key, header, token_url, client_id)
        self.check_lifetime(claims)
        self.check_replay(client_id, claims)
        return client_id

    def read_header(self, assertion: str) -> dict:
        try:
            header = jwt.get_unverified_header(assertion)
        except (jwt.PyJWTError, ValueError, TypeError, RecursionError):  # whatever a client sends
            raise invalid_client("the client assertion is not a JWT") from None
        return header

    def check_algorithm(self, algorithm: object) -> None:
        if algorithm not in self.algorithms:
            raise invalid_client("the client assertion must be signed RS256")

    def claimed_client(self, assertion: str) -> str:
        """``sub`` read before verifying, only to find the key to verify with."""
        try:
            claims = jwt.decode(assertion, options={"verify_signature": False})
        except (jwt.PyJWTError, ValueError, TypeError, RecursionError):
            raise invalid_client("the client assertion is not a JWT") from None
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise invalid_client("the client assertion has no sub")
        return subject

    def client_certificate(self, client_id: str) -> bytes | None:
        """DER of the client's registered Web Service certificate; None once deleted (DELETE-1)."""
        return self.store.active_client_certificate(client_id)

    def client_key(self, client_id: str) -> rsa.RSAPublicKey:
        der = self.client_certificate(client_id)
        if der is None:
            raise invalid_client("unknown client")
        key = x509.load_der_x509_certificate(der).public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise invalid_client("the registered certificate has no RSA key")
        return key

    def decode(self, assertion: str, key, header: dict, token_url: str, client_id: str) -> dict:
        """PyJWT: signature (RS256 only), aud, iss = sub = the client id, exp/iat/nbf with skew."""
        try:
            return jwt.decode(
                assertion,
                key,
                algorithms=list(self.algorithms),
                audience=token_url,
                issuer=client_id,
                subject=client_id,
                options=self.jwt_options.copy(),
                leeway=self.skew,
            )
        except jwt.InvalidSignatureError:
            raise invalid_client("the signature does not match the registered certificate") from None
        except jwt.ExpiredSignatureError:
            raise invalid_client("the client assertion has expired") from None
        except jwt.InvalidAudienceError:
            raise invalid_client("aud must be the token endpoint's URL") from None
        except jwt.MissingRequiredClaimError as error:
            raise invalid_client(f"the client assertion has no {error.claim}") from None
        except jwt.InvalidIssuerError:
            raise invalid_client("iss and sub must both be the client id") from None
        except jwt.ImmatureSignatureError:
            raise invalid_client("the client assertion is not valid yet (iat or nbf in the future)") from None
        except (jwt.PyJWTError, ValueError, TypeError, OverflowError):  # e.g. an exp of 1e999
            raise invalid_client("the client assertion is invalid") from None

    def check_lifetime(self, claims: dict) -> None:
        """[mock] exp at most 10 minutes ahead (+ skew); time claims are numbers."""
        for name in ("exp", "iat", "nbf"):
            value = claims.get(name)
            if name in claims and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise invalid_client(f"{name} must be a number of seconds")
        if claims["exp"] > time.time() + self.max_assertion_lifetime + self.skew:
            raise invalid_client("exp lies more than 10 minutes ahead")

    def check_replay(self, client_id: str, claims: dict) -> None:
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti:
            raise invalid_client("jti must be a non-empty string")
        now = time.time()
        if not self.replays.first_use(client_id, jti, claims["exp"] + self.skew, now):
            raise invalid_client("this jti has been used already")

    # -- answers -------------------------------------------------------------------------------------
    def token_response(self, issued: Issued) -> Response:
        """OAUTH-3."""
        grant = issued.grant
        body = {
            "access_token": issued.token,
            "token_type": "Bearer",
            "expires_in": max(0, round(grant.expires_at - grant.issued_at)),
            "scope": grant.scope,
        }
        return _json(200, body, JSON, no_store=True)

    def error_response(self, error: OAuthError) -> Response:
        """OAUTH-4: RFC 6749 §5.2 JSON."""
        return _json(error.status, {"error": error.error, "error_description": error.description}, JSON, no_store=True)

    # -- the demo service (OAUTH-5) ------------------------------------------------------------------
    def authorize(self, request: Request) -> Grant | str:
        """The grant of the request's valid bearer token, or why there is none."""
        header = request.headers.get("Authorization")
        if not header:
            return "no bearer token"
        found = _BEARER.fullmatch(header)
        if not found:
            return "the Authorization header is not a bearer token"
        return self.check_token(found.group(1))

    def check_token(self, token: str) -> Grant | str:
        grant = self.tokens.get(token)
        if grant is None:
            return "the token is unknown"
        if grant.expires_at <= self.clock():
            return "the token has expired"
        if self.client_certificate(grant.client_id) is None:  # DELETE-1: disabled at once
            self.tokens.revoke_client(grant.client_id)
            return "the token has been revoked"
        if grant.scope.split().count(SCOPE) == 0:
            return "the token does not grant scope:demo:consult"
        return grant

    def hello(self, grant: Grant) -> Response:
        return _json(200, {"hello": grant.client_id, "scope": grant.scope}, JSON)

    def unauthorized(self, detail: str) -> Response:
        """401 as RFC 9457 problem details, with the RFC 6750 challenge."""
        challenge = 'Bearer realm="demo"' + (', error="invalid_token"' if detail != "no bearer token" else "")
        response = problem(401, "Unauthorized", detail)
        return response.header("WWW-Authenticate", challenge)


# -- JSON answers ---------------------------------------------------------------------------------------
def _json(status: int, body: object, content_type: str, *, no_store: bool = False) -> Response:
    response = Response(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), content_type)
    if no_store:
        response.header("Cache-Control", "no-store").header("Pragma", "no-cache")  # RFC 6749 §5.1
    return response


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}


def problem(status: int, title: str | None = None, detail: str | None = None) -> Response:
    """RFC 9457 problem details."""
    body = {"type": "about:blank", "title": title or _TITLES.get(status, "Error"), "status": status}
    if detail:
        body["detail"] = detail
    return _json(status, body, PROBLEM_JSON)


def is_api(path: str) -> bool:
    return path == API_PREFIX.rstrip("/") or path.startswith(API_PREFIX)


def api_error(request: Request, status: int, headers: dict[str, str] | None = None) -> Response:
    """What the server answers for ``/REST/`` addresses it cannot route or read: JSON, never a
    page. The token endpoint speaks RFC 6749, the rest RFC 9457."""
    if request.path == TOKEN_PATH:
        description = {405: "the token endpoint answers POST only", 413: "the request body is too large"}.get(
            status, "the request cannot be read"
        )
        response = _json(status, {"error": "invalid_request", "error_description": description}, JSON, no_store=True)
    else:
        detail = {404: "no such API address", 405: "this method is not allowed here"}.get(status)
        response = problem(status, detail=detail)
    for name, value in (headers or {}).items():
        response.header(name, value)
    return response


# -- handlers ---------------------------------------------------------------------------------------------
def token_endpoint(portal: Portal, request: Request) -> Response:
    oauth = portal.oauth
    try:
        issued = oauth.token(request)
    except OAuthError as error:
        portal.log.info("token refused: %s (%s)", error.error, error.description)
        return oauth.error_response(error)
    portal.log.info("token issued to %s", issued.grant.client_id)
    return oauth.token_response(issued)


def demo_hello(portal: Portal, request: Request) -> Response:
    oauth = portal.oauth
    grant = oauth.authorize(request)
    if isinstance(grant, str):
        return oauth.unauthorized(grant)
    return oauth.hello(grant)


def register(router) -> None:
    """The API needs no session and no CSRF token; the token endpoint reads its own body."""
    options = {"session": False, "csrf": False, "form": False}
    router.add("POST", re.escape(TOKEN_PATH), token_endpoint, **options)
    router.add("GET", re.escape(DEMO_PATH), demo_hello, **options)

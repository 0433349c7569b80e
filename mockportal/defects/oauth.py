"""Defects of the OAuth side (OAUTH-1..5, and DELETE-1's client that outlives the deletion):
each breaks one check of one portal's ``portal.oauth`` (``mockportal/oauth.py``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import jwt
from cryptography.hazmat.primitives import serialization

from ..oauth import SCOPE, Grant, Issued, OAuthError, invalid_client
from ..web import Request, Response
from .patching import wrap
from .registry import defect

if TYPE_CHECKING:
    from ..oauth import OAuth
    from ..portal import Portal


Decode = Callable[..., dict]


def _claims_without_signature(oauth: OAuth, assertion: str, token_url: str, client_id: str) -> dict:
    """The claims checked as usual, but for the signature (for the broken algorithm defects)."""
    options: Any = {**oauth.jwt_options, "verify_signature": False}
    try:
        return jwt.decode(
            assertion, options=options, audience=token_url, issuer=client_id, subject=client_id, leeway=oauth.skew
        )
    except jwt.PyJWTError:
        raise invalid_client("the client assertion is invalid") from None


# -- OAUTH-1 ----------------------------------------------------------------------------------------
@defect("oauth-default-scope-not-granted", "OAUTH-1", "a token request without scope is refused (invalid_scope)")
def _default_scope_not_granted(portal: Portal) -> None:
    def scope_required(original: Callable[[str | None], str]) -> Callable[[str | None], str]:
        def grant_scope(requested: str | None) -> str:
            if not (requested or "").split():
                raise OAuthError("invalid_scope", "a scope is required")
            return original(requested)

        return grant_scope

    wrap(portal.oauth, "grant_scope", scope_required)


@defect(
    "oauth-client-secret-accepted",
    "OAUTH-1",
    "a client_id with any client_secret (no assertion) gets a token for a registered client",
)
def _client_secret_accepted(portal: Portal) -> None:
    oauth = portal.oauth

    def secret_accepted(original: Callable[[Request], Issued]) -> Callable[[Request], Issued]:
        def token(request: Request) -> Issued:
            try:
                form = oauth.read_form(request)
            except OAuthError:
                form = {}
            client_id = form.get("client_id", "")
            if form.get("client_secret") and not form.get("client_assertion") and oauth.client_certificate(client_id):
                return oauth.tokens.issue(client_id, SCOPE, oauth.clock(), oauth.token_lifetime)
            return original(request)

        return token

    wrap(oauth, "token", secret_accepted)


# -- OAUTH-2 ----------------------------------------------------------------------------------------
@defect("oauth-alg-none-accepted", "OAUTH-2", "an unsigned assertion (alg none) is accepted")
def _alg_none_accepted(portal: Portal) -> None:
    oauth = portal.oauth
    oauth.algorithms = (*oauth.algorithms, "none")

    def unsigned_accepted(original: Decode) -> Decode:
        def decode(assertion: str, key: Any, header: dict, token_url: str, client_id: str) -> dict:
            if header.get("alg") == "none":
                return _claims_without_signature(oauth, assertion, token_url, client_id)
            return original(assertion, key, header, token_url, client_id)

        return decode

    wrap(oauth, "decode", unsigned_accepted)


@defect(
    "oauth-hs256-public-key-accepted",
    "OAUTH-2",
    "an assertion signed HS256 with the certificate's public key (PEM) as the secret is accepted",
)
def _hs256_public_key_accepted(portal: Portal) -> None:
    oauth = portal.oauth
    oauth.algorithms = (*oauth.algorithms, "HS256")

    def hs256_accepted(original: Decode) -> Decode:
        def decode(assertion: str, key: Any, header: dict, token_url: str, client_id: str) -> dict:
            if header.get("alg") != "HS256":
                return original(assertion, key, header, token_url, client_id)
            secret = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            signing_input, _, signature = assertion.rpartition(".")
            expected = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
            try:
                given = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
            except ValueError:
                given = b""
            if not hmac.compare_digest(expected, given):
                raise invalid_client("the signature does not match the registered certificate")
            return _claims_without_signature(oauth, assertion, token_url, client_id)

        return decode

    wrap(oauth, "decode", hs256_accepted)


@defect(
    "oauth-signature-not-verified",
    "OAUTH-2",
    "the assertion's signature is not verified: any key is accepted (another client's too)",
)
def _signature_not_verified(portal: Portal) -> None:
    portal.oauth.jwt_options["verify_signature"] = False


@defect("oauth-aud-not-checked", "OAUTH-2", "an assertion for another audience is accepted")
def _aud_not_checked(portal: Portal) -> None:
    portal.oauth.jwt_options["verify_aud"] = False


@defect("oauth-expired-assertion-accepted", "OAUTH-2", "an expired assertion is accepted")
def _expired_assertion_accepted(portal: Portal) -> None:
    portal.oauth.jwt_options["verify_exp"] = False


@defect("oauth-exp-far-ahead-accepted", "OAUTH-2", "an assertion whose exp lies a day ahead is accepted")
def _exp_far_ahead_accepted(portal: Portal) -> None:
    portal.oauth.max_assertion_lifetime = 2 * 24 * 3600


@defect("oauth-iat-in-future-accepted", "OAUTH-2", "an assertion issued in the future (iat) is accepted")
def _iat_in_future_accepted(portal: Portal) -> None:
    portal.oauth.jwt_options["verify_iat"] = False


@defect("oauth-jti-replay-accepted", "OAUTH-2", "the same assertion (same jti) is accepted twice")
def _jti_replay_accepted(portal: Portal) -> None:
    portal.oauth.check_replay = lambda client_id, claims: None  # type: ignore[method-assign]


@defect("oauth-jti-optional", "OAUTH-2", "an assertion without jti is accepted")
def _jti_optional(portal: Portal) -> None:
    oauth = portal.oauth
    oauth.jwt_options["require"] = [claim for claim in oauth.jwt_options["require"] if claim != "jti"]
    wrap(
        oauth,
        "check_replay",
        lambda original: lambda client_id, claims: original(client_id, claims) if "jti" in claims else None,
    )


@defect("oauth-iss-not-checked", "OAUTH-2", "iss is not checked: an assertion whose iss differs from sub is accepted")
def _iss_not_checked(portal: Portal) -> None:
    oauth = portal.oauth
    oauth.jwt_options["verify_iss"] = False
    oauth.jwt_options["require"] = [claim for claim in oauth.jwt_options["require"] if claim != "iss"]


# -- OAUTH-3 ----------------------------------------------------------------------------------------
def _rewrite_token_body(portal: Portal, change: Callable[[dict], dict]) -> None:
    def rewritten(original: Callable[[Issued], Response]) -> Callable[[Issued], Response]:
        def token_response(issued: Issued) -> Response:
            response = original(issued)
            response.body = json.dumps(change(json.loads(response.body))).encode()
            return response

        return token_response

    wrap(portal.oauth, "token_response", rewritten)


@defect("oauth-token-type-lowercase", "OAUTH-3", 'the token answer says token_type "bearer", not "Bearer"')
def _token_type_lowercase(portal: Portal) -> None:
    _rewrite_token_body(portal, lambda body: {**body, "token_type": "bearer"})


@defect("oauth-expires-in-missing", "OAUTH-3", "the token answer has no expires_in")
def _expires_in_missing(portal: Portal) -> None:
    _rewrite_token_body(portal, lambda body: {k: v for k, v in body.items() if k != "expires_in"})


# -- OAUTH-4 ----------------------------------------------------------------------------------------
def _rewrite_error(portal: Portal, change: Callable[[OAuthError, Response], None]) -> None:
    def rewritten(original: Callable[[OAuthError], Response]) -> Callable[[OAuthError], Response]:
        def error_response(error: OAuthError) -> Response:
            response = original(error)
            change(error, response)
            return response

        return error_response

    wrap(portal.oauth, "error_response", rewritten)


@defect("oauth-invalid-client-400", "OAUTH-4", "invalid_client is answered with HTTP 400 instead of 401")
def _invalid_client_400(portal: Portal) -> None:
    def to_400(error: OAuthError, response: Response) -> None:
        if response.status == 401:
            response.status = 400

    _rewrite_error(portal, to_400)


@defect("oauth-no-error-description", "OAUTH-4", "token errors carry no error_description")
def _no_error_description(portal: Portal) -> None:
    def without_description(error: OAuthError, response: Response) -> None:
        response.body = json.dumps({"error": error.error}).encode()

    _rewrite_error(portal, without_description)


@defect(
    "oauth-grant-type-invalid-request",
    "OAUTH-4",
    "an unsupported grant_type is answered invalid_request instead of unsupported_grant_type",
)
def _grant_type_invalid_request(portal: Portal) -> None:
    def invalid_request(original: Callable[[str], None]) -> Callable[[str], None]:
        def check_grant_type(grant_type: str) -> None:
            try:
                original(grant_type)
            except OAuthError as error:
                raise OAuthError("invalid_request", error.description) from None

        return check_grant_type

    wrap(portal.oauth, "check_grant_type", invalid_request)


@defect("oauth-assertion-type-not-checked", "OAUTH-4", "a wrong client_assertion_type is accepted")
def _assertion_type_not_checked(portal: Portal) -> None:
    wrap(portal.oauth, "check_assertion_type", lambda original: lambda value: None if value else original(value))


@defect(
    "oauth-unknown-scope-ignored",
    "OAUTH-4",
    "an unknown scope is ignored (the default one granted) instead of invalid_scope",
)
def _unknown_scope_ignored(portal: Portal) -> None:
    portal.oauth.grant_scope = lambda requested: SCOPE  # type: ignore[method-assign]


# -- OAUTH-5 ----------------------------------------------------------------------------------------
@defect("oauth-demo-accepts-forged-token", "OAUTH-5", "the demo service accepts any bearer token it never issued")
def _demo_accepts_forged_token(portal: Portal) -> None:
    oauth = portal.oauth

    def any_token(original: Callable[[str], Grant | str]) -> Callable[[str], Grant | str]:
        def check_token(token: str) -> Grant | str:
            if oauth.tokens.get(token) is None:
                now = oauth.clock()
                return Grant("anonymous", SCOPE, now, now + oauth.token_lifetime)
            return original(token)

        return check_token

    wrap(oauth, "check_token", any_token)


@defect("oauth-demo-401-html", "OAUTH-5", "the demo service answers 401 with an HTML page, not problem+json")
def _demo_401_html(portal: Portal) -> None:
    def unauthorized(detail: str) -> Response:
        body = '<!DOCTYPE html><html lang="en"><head><title>401</title></head><body><h1>Unauthorized</h1></body></html>'
        return Response(401, body.encode()).header("WWW-Authenticate", 'Bearer realm="demo"')

    portal.oauth.unauthorized = unauthorized  # type: ignore[method-assign]


# -- DELETE-1 ---------------------------------------------------------------------------------------
@defect(
    "oauth-deleted-client-works",
    "DELETE-1",
    "after the deletion the OAuth client still gets tokens (its certificate is remembered)",
)
def _deleted_client_works(portal: Portal) -> None:
    remembered: dict[str, bytes] = {}

    def remembering(original: Callable[[str], bytes | None]) -> Callable[[str], bytes | None]:
        def client_certificate(client_id: str) -> bytes | None:
            der = original(client_id)
            if der is not None:
                remembered[client_id] = der
            return der if der is not None else remembered.get(client_id)

        return client_certificate

    wrap(portal.oauth, "client_certificate", remembering)

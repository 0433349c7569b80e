"""OAuth client side: sign a JWT client assertion (RFC 7523) and ask a token endpoint (OAUTH-1..2).

    channel-certs token --client-id ID --key KEY.pem --token-url URL [--scope S]

The public acceptance token URL is https://services-acpt.socialsecurity.be/REST/oauth/v5/token
(for smoke-testing a real registration by hand; the tests never call it).
"""

from __future__ import annotations

import ipaddress
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

import jwt

from certs.keys import PrivateKey

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ACCEPTANCE_TOKEN_URL = "https://services-acpt.socialsecurity.be/REST/oauth/v5/token"
SECRET_FIELDS = ("access_token", "refresh_token", "id_token")


def client_assertion(
    client_id: str,
    key: PrivateKey,
    token_url: str,
    *,
    lifetime: int = 60,
    algorithm: str = "RS256",
    headers: dict[str, Any] | None = None,
    **claims: Any,
) -> str:
    """A signed assertion: iss = sub = client id, aud = the token URL, a fresh jti.

    Keyword claims override or add claims; a claim given as None is left out (for negative
    tests: ``client_assertion(..., jti=None)``).
    """
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": client_id,
        "sub": client_id,
        "aud": token_url,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "exp": now + lifetime,
    }
    payload.update(claims)
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


def token_request_body(
    assertion: str | None,
    *,
    scope: str | None = None,
    grant_type: str = "client_credentials",
    assertion_type: str | None = ASSERTION_TYPE,
    **extra: str,
) -> bytes:
    fields = {
        "grant_type": grant_type,
        "client_assertion_type": assertion_type,
        "client_assertion": assertion,
        "scope": scope,
        **extra,
    }
    return urllib.parse.urlencode({k: v for k, v in fields.items() if v is not None}).encode()


def post_form(url: str, body: bytes, timeout: float = 10) -> tuple[int, dict[str, Any]]:
    """POST a form; the status and the JSON answer, error statuses included."""
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, _json_object(response.read())
    except urllib.error.HTTPError as error:
        return error.code, _json_object(error.read())


def _json_object(text: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(text)
    except ValueError:
        return {"raw": text.decode("utf-8", "replace")}
    return answer if isinstance(answer, dict) else {"raw": answer}


def request_token(
    token_url: str, client_id: str, key: PrivateKey, scope: str | None = None
) -> tuple[int, dict[str, Any]]:
    return post_form(token_url, token_request_body(client_assertion(client_id, key, token_url), scope=scope))


def check_token_url(url: str) -> None:
    """ValueError unless ``url`` is https, or plain http to this machine (a mock on loopback):
    a signed assertion is a credential for its lifetime, and must not cross a network in clear."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and _loopback(parts.hostname):
        return
    raise ValueError(
        f"refusing the token URL {url!r}: use https (plain http only to a loopback address "
        "such as 127.0.0.1 or localhost)"
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def masked(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer with its tokens replaced by their length (tokens are bearer credentials)."""
    return {
        name: (f"<masked: {len(value)} characters>" if name in SECRET_FIELDS and isinstance(value, str) else value)
        for name, value in answer.items()
    }

"""OAuth client side: sign a JWT client assertion (RFC 7523) and ask a token endpoint.

    python -m certs token --client-id ID --key KEY.pem --token-url URL [--scope S]

The public acceptance token URL is https://services-acpt.socialsecurity.be/REST/oauth/v5/token
(for smoke-testing a real registration by hand; the tests never call it).
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_private_key

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ACCEPTANCE_TOKEN_URL = "https://services-acpt.socialsecurity.be/REST/oauth/v5/token"


def load_key(path: str | Path, password: bytes | None = None):
    return load_pem_private_key(Path(path).read_bytes(), password=password)


def client_assertion(client_id: str, key, token_url: str, *, lifetime: int = 60,
                     algorithm: str = "RS256", headers: dict | None = None, **claims) -> str:
    """A signed assertion: iss = sub = client id, aud = the token URL, a fresh jti.

    Keyword claims override or add claims; a claim given as None is left out (for negative
    tests: ``client_assertion(..., jti=None)``).
    """
    now = int(time.time())
    payload = {"iss": client_id, "sub": client_id, "aud": token_url, "jti": str(uuid.uuid4()),
               "iat": now, "exp": now + lifetime}
    payload.update(claims)
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


def token_request_body(assertion: str | None, *, scope: str | None = None,
                       grant_type: str = "client_credentials",
                       assertion_type: str | None = ASSERTION_TYPE, **extra: str) -> bytes:
    fields = {"grant_type": grant_type, "client_assertion_type": assertion_type,
              "client_assertion": assertion, "scope": scope, **extra}
    return urllib.parse.urlencode({k: v for k, v in fields.items() if v is not None}).encode()


def post_form(url: str, body: bytes, timeout: float = 10) -> tuple[int, dict]:
    """POST a form; the status and the JSON answer, error statuses included."""
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, {"raw": text.decode("utf-8", "replace")}


def request_token(token_url: str, client_id: str, key, scope: str | None = None) -> tuple[int, dict]:
    return post_form(token_url, token_request_body(client_assertion(client_id, key, token_url), scope=scope))


def add_arguments(parser) -> None:
    parser.add_argument("--client-id", required=True, help="e.g. self_service_expeditor_123456")
    parser.add_argument("--key", required=True, help="PEM private key of the registered certificate")
    parser.add_argument("--token-url", required=True,
                        help=f"the token endpoint, e.g. {ACCEPTANCE_TOKEN_URL}")
    parser.add_argument("--scope", default=None)


def run(args) -> int:
    """The ``token`` subcommand: print the token endpoint's answer; exit 0 on HTTP 200."""
    try:
        key = load_key(args.key)
    except (OSError, ValueError, TypeError) as error:
        raise SystemExit(f"cannot read private key {args.key}: {error}") from None
    try:
        status, answer = request_token(args.token_url, args.client_id, key, args.scope)
    except (urllib.error.URLError, OSError) as error:
        raise SystemExit(f"cannot reach {args.token_url}: {error}") from None
    print(json.dumps({"status": status, **answer}, indent=2))
    return 0 if status == 200 else 1

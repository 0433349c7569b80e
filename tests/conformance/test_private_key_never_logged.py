"""CERT-3 [mock]: a private key is refused and its bytes are written to no log.

The browser cannot see the server's log; a target with the test-provisioning API offers its
recent lines at ``GET /__test__/log`` (a [mock] test feature). Each private-key file of the
catalogue is uploaded, then the log must hold none of its key material, in any of the forms
a careless log line would use: the PEM body lines, the Base64 of the file, its hex.
"""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from certs import Outcome
from certs.variants import VARIANTS
from harness.progress import NOT_VERIFIABLE
from harness.target import CanReadServerLog
from pages import ChannelStep

pytestmark = [pytest.mark.browser, pytest.mark.focused]

PRIVATE_KEY_FILES = [v.name for v in VARIANTS if v.expected is Outcome.REFUSE_CERT_3]
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)-----END \1-----", re.S)
MIN_FRAGMENT = 32  # characters: shorter runs could occur by chance


def _chunks(text: str, size: int = 48) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text) - MIN_FRAGMENT + 1, size)]


def key_fragments(data: bytes) -> list[str]:
    """Pieces of the file's key material as a log line could hold them."""
    secret_parts: list[bytes] = []
    fragments: list[str] = []
    blocks = list(_PEM_BLOCK.finditer(data))
    if blocks:
        for block in blocks:
            if b"PRIVATE KEY" not in block.group(1):
                continue  # a certificate next to the key is public
            lines = [line.strip().decode("ascii", "replace") for line in block.group(2).splitlines()]
            fragments += [line for line in lines if len(line) >= MIN_FRAGMENT and ":" not in line]
            body = "".join(line for line in lines if ":" not in line)
            try:
                secret_parts.append(base64.b64decode(body))
            except ValueError:
                pass
    else:
        secret_parts.append(data)  # binary (PKCS#12): the whole file
    for part in secret_parts:
        fragments += _chunks(base64.b64encode(part).decode())
        fragments += _chunks(part.hex()) + _chunks(part.hex().upper())
    return fragments


@pytest.mark.rules("CERT-3")
@pytest.mark.parametrize("name", PRIVATE_KEY_FILES)
def test_private_key_never_logged(name, target, catalogue, channel_form: ChannelStep, words) -> None:
    if not isinstance(target, CanReadServerLog):
        pytest.skip(f"{NOT_VERIFIABLE}: the suite cannot read the portal's log")
    entry = catalogue[name]
    fragments = key_fragments(entry.read_bytes())
    assert fragments, f"{name}: no key material found in the file"

    refused = channel_form.choose_web_service().upload_certificate(entry.path).next_expecting_errors()
    expect(refused.errors.message_naming(words["certificate_upload"]).first).to_be_visible()

    log = target.server_log()
    leaked = sum(fragment in log for fragment in fragments)  # a count: never print key material
    assert leaked == 0, f"{name}: the server log holds key material ({leaked} of {len(fragments)} fragments)"

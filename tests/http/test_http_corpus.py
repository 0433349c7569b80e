"""Real-world and odd certificate files (``tests/http/corpus``, see its README) uploaded as the
Web Service certificate on the wizard's channel step.

Each file is either accepted, and the confirmation then shows the CONFIRM-2 values that
``certs.display`` (the suite's own DER reader and RFC 4514 writer) works out from the file, or
refused on the step (422, the error summary naming the upload field) with the message of the
rule its manifest entry names. Never a server error.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

import mockportal
from certs.display import OID_ORGANIZATION, describe, first_text, load_certificate, tbs_names
from contract.words import WORDS
from mockportal.messages import MESSAGES
from tests.http.mockkit import GOOD_CONTACT, Client, dd_values, text_of

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
DEFAULT_COMPANY = "Corpus Testing SRL"
UPLOAD_LABEL = WORDS["certificate_upload"]["fr"]
# The Starfield root's serial is 0: cryptography says so at each read; nothing to act on here.
pytestmark = pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")


@pytest.fixture(scope="module")
def corpus_portal():
    """A portal that trusts the corpus's odd CA (CERT-6), its log captured."""
    stream = io.StringIO()
    with mockportal.start(port=0, trust_paths=[str(CORPUS / "odd-ca.pem")], log=stream) as running:
        running.log_text = stream.getvalue
        yield running
    assert "Traceback" not in stream.getvalue()


def certificate_bytes(name: str) -> bytes:
    """The certificate in the file, as DER or PEM (a bare Base64 file decoded here)."""
    data = (CORPUS / name).read_bytes()
    return base64.b64decode(data) if name.endswith(".txt") else data


def company_of(name: str) -> str:
    """The employer a self-signed file must belong to (CERT-6): its subject's O, read here."""
    try:
        return (
            first_text(tbs_names(load_certificate(certificate_bytes(name)))[1], OID_ORGANIZATION).strip()
            or DEFAULT_COMPANY
        )
    except Exception:  # noqa: BLE001 - a file the suite cannot read either: any employer will do
        return DEFAULT_COMPANY


def expected_outcome(name: str) -> str:
    """ "accept" or the message key; a file that has expired since the corpus was made is
    refused by CERT-4 now (computed here from its notAfter)."""
    entry = MANIFEST[name]["expected"]
    outcome = entry if entry == "accept" else entry["message"]
    if outcome == "accept" or entry.get("refuse") in ("CERT-5", "CERT-6"):
        try:
            expired = load_certificate(certificate_bytes(name)).not_valid_after_utc < dt.datetime.now(dt.UTC)
        except Exception:  # noqa: BLE001
            expired = False
        if expired:
            return "cert_expired"
    return outcome


def at_channel_step(portal, company: str) -> Client:
    employer = Client(portal.url).new_employer(name=company)
    client = Client(portal.url)
    client.sign_in(employer["users"]["gl"]["username"], "fr")
    assert client.post("/wizard/information", {"action": "next"}).status == 303
    assert client.post("/wizard/contact", {**GOOD_CONTACT, "action": "next"}).status == 303
    return client


def assert_refused_on_the_step(reply, message_key: str) -> None:
    assert reply.status == 422, (reply.status, text_of(reply)[:300])
    summary = re.search(r'role="alert".*?</(?:div|section)>', reply.text, re.S)
    assert summary, "no error summary"
    expected = MESSAGES[message_key]["fr"].format(label=UPLOAD_LABEL)
    assert expected in text_of(reply), f"{message_key}: {text_of(reply)[:400]}"
    assert UPLOAD_LABEL in re.sub(r"<[^>]+>", "", summary.group(0).replace("&#39;", "'"))
    assert re.search(r'id="certificate"[^>]*aria-invalid="true"', reply.text)


@pytest.mark.rules("CERT-1", "CERT-2", "CERT-4", "CERT-5", "CERT-6", "CONFIRM-2")
@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_each_corpus_file_is_accepted_with_its_values_or_refused_with_its_rule(corpus_portal, name):
    client = at_channel_step(corpus_portal, company_of(name))
    data = (CORPUS / name).read_bytes()
    reply = client.post("/wizard/channel", {"channel": "ws", "action": "next"}, files={"certificate": (name, data)})
    outcome = expected_outcome(name)
    if outcome != "accept":
        assert_refused_on_the_step(reply, outcome)
        assert client.get("/wizard/confirmation").location == "/wizard/channel"
        return
    assert (reply.status, reply.location) == (303, "/wizard/confirmation"), text_of(reply)[:400]
    shown = dd_values(client.get("/wizard/confirmation").text)
    for label, value in describe(certificate_bytes(name)).labelled("fr"):
        # spaces at the ends of a value are not visible on a page (the issuer escapes its own)
        assert shown.get(label) == value.strip(), (label, shown.get(label), value)
    assert client.post("/wizard/confirmation", {"action": "cancel"}).location == "/"


@pytest.mark.rules("CERT-2")
def test_a_12_mb_file_gets_the_step_with_cert_2s_message(corpus_portal):
    root = (CORPUS / "root-isrg-x1.crt").read_bytes()
    data = b"# " + b"padding " * 150_000 + b"\n" + root
    assert len(data) > 1_200_000
    client = at_channel_step(corpus_portal, company_of("root-isrg-x1.crt"))
    reply = client.post(
        "/wizard/channel", {"channel": "ws", "action": "next"}, files={"certificate": ("big.crt", data)}
    )
    assert_refused_on_the_step(reply, "cert_too_large")


def test_no_server_error_in_the_log(corpus_portal):
    log = corpus_portal.log_text()
    assert "Traceback" not in log and not re.search(r" 5\d\d$", log, re.M)

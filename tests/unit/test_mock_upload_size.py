"""An upload's size is checked before anything looks into it (CERT-2 before CERT-3): a large
file costs no more than its length."""

from __future__ import annotations

import pytest

from mockportal import certificate as c
from tests.http.mockkit import private_key_pem

COMPANY = "Acme Logistics SRL"


@pytest.mark.rules("CERT-2", "CERT-3")
def test_the_size_is_checked_before_any_content_is_read():
    """Sniffing 2 MiB of ``30 00`` pairs for a private key took over a second of CPU, only to
    answer "file over 64 KiB"."""
    certificates = c.Certificates()
    sniffed: list[int] = []
    sniff = certificates.cert_3_private_key
    certificates.cert_3_private_key = lambda data: sniffed.append(len(data)) or sniff(data)
    result = certificates.check(b"\x30\x00" * (1024 * 1024), company=COMPANY, employer_id=1)
    assert result.error == "cert_too_large" and sniffed == []
    within = certificates.check(private_key_pem(), company=COMPANY, employer_id=1)
    assert within.error == "cert_private_key" and sniffed  # within the size, a key is still found

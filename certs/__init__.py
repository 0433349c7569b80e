"""Fixture certificates for the Web Service channel (CERT-1..7, CONFIRM-2, OAUTH-*).

    from certs import generate, Catalogue, describe
    catalogue = generate(tmp_dir, company="Fixture Logistics SRL")   # or Catalogue.load(path)
    entry = catalogue["valid-der"]        # .path, .expected, .values, .key_path, .rules
    describe(entry.path).issuer           # what the confirmation screen must show

    from certs import Authority, self_signed
    leaf = Authority.create().issue("Alice", "ACME SA", key="rsa-2048")   # trustme-like
    leaf.der, leaf.pem, leaf.key_pem, leaf.values

Nothing here imports the mock portal: the expected values are computed independently.
"""
from certs.authority import (FIXTURE_CA_NAME, UNTRUSTED_CA_NAME, Authority, Issued, leaf_name, self_signed,
                             start_of_utc_day)
from certs.catalogue import ACCEPT, Catalogue, Entry, generate
from certs.display import CertificateFileError, DisplayValues, describe, load_certificate, rfc4514
from certs.keys import DEFAULT_POOL, KeyPool

__all__ = [
    "ACCEPT", "Authority", "Catalogue", "CertificateFileError", "DEFAULT_POOL", "DisplayValues", "Entry",
    "FIXTURE_CA_NAME", "Issued", "KeyPool", "UNTRUSTED_CA_NAME", "describe", "generate", "leaf_name",
    "load_certificate", "rfc4514", "self_signed", "start_of_utc_day",
]

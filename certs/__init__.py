"""Fixture certificates for the Web Service channel (CERT-1..7, CONFIRM-2, OAUTH-*).

    from certs import generate, Outcome
    catalogue = generate(tmp_dir, company="Fixture Logistics SRL")   # or Catalogue.load(path)
    entry = catalogue["valid-der"]       # .path, .expected, .values, .key_path, .rules
    entry.expected is Outcome.ACCEPT     # catalogue["expired"].expected is Outcome.refuse("CERT-4")

    from certs import Authority, KeyType, Encoding, self_signed
    leaf = Authority.create().issue("Alice", "ACME SA", key=KeyType.RSA_2048)   # like trustme
    leaf.write("alice.pem", encoding=Encoding.PEM, key_path="alice.key.pem")
    leaf.values                          # what the confirmation screen must show (CONFIRM-2)

    from certs import judge
    judge(data, trusted=[ca_certificate], company="ACME SA").outcome   # what the contract expects

Nothing here imports the mock portal: the expected values are computed independently.
The modules hold the rest: ``certs.display`` (CONFIRM-2's values), ``certs.encode`` (file
encodings), ``certs.keys`` (key pool), ``certs.variants`` (the catalogue's recipes),
``certs.token`` (the OAuth client side).
"""

from certs.authority import Authority, Issued, self_signed
from certs.catalogue import Catalogue, Entry, generate
from certs.display import describe
from certs.encode import Encoding
from certs.keys import KeyType
from certs.verdict import Outcome, judge

__all__ = [
    "Authority",
    "Catalogue",
    "Encoding",
    "Entry",
    "Issued",
    "KeyType",
    "Outcome",
    "describe",
    "generate",
    "judge",
    "self_signed",
]

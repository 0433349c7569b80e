"""The display rules of CONFIRM-2 and CONFIRM-3, and the file reader, against values worked out by hand."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Literal

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from certs import Authority, describe, self_signed
from certs.authority import sign
from certs.display import (
    CertificateFileError,
    DisplayValues,
    brussels_day,
    escape_value,
    is_pkcs12,
    load_certificate,
    name_rdns,
    rdn_sets,
    rfc4514,
    serial_hex,
    visible,
)
from certs.keys import DEFAULT_POOL, KeyPool, KeyType, key_summary, write_secret
from contract.words import Words

UTC = dt.UTC


# --- serial numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "serial, expected",
    [
        (499, "01F3"),  # the contract's example
        (128, "80"),  # the contract's example: no 00 sign byte
        (0, "00"),
        (1, "01"),
        (255, "FF"),
        (256, "0100"),
        (0x80_00, "8000"),
        (0xABCDEF, "ABCDEF"),
        (2**159 - 1, "7F" + "FF" * 19),
    ],
)
def test_serial_hex(serial: int, expected: str) -> None:
    assert serial_hex(serial) == expected


def test_serial_hex_refuses_negative() -> None:
    with pytest.raises(ValueError):
        serial_hex(-1)


# --- expiry day in Brussels ----------------------------------------------------------------


@pytest.mark.parametrize(
    "utc, expected",
    [
        ("2031-06-30T22:30", "01/07/2031"),  # the contract's example (summer, UTC+2)
        ("2031-06-30T21:59", "30/06/2031"),
        ("2031-01-15T22:30", "15/01/2031"),  # winter, UTC+1: 23:30 the same day
        ("2031-01-15T23:00", "16/01/2031"),  # midnight in Brussels: the day that starts
        ("2031-01-15T22:59:59", "15/01/2031"),
        ("2031-06-30T22:00", "01/07/2031"),  # midnight in summer
        ("2031-12-31T23:30", "01/01/2032"),  # new year in Brussels, not yet in UTC
        ("2031-03-29T23:30", "30/03/2031"),  # the night summer time starts (30 March 2031)
        ("2031-10-25T22:30", "26/10/2031"),  # 00:30 CEST, the night it ends (26 October 2031)
        ("2031-10-26T22:30", "26/10/2031"),  # 23:30 CET
    ],
)
def test_brussels_day(utc: str, expected: str) -> None:
    assert brussels_day(dt.datetime.fromisoformat(utc).replace(tzinfo=UTC)) == expected


def test_brussels_day_naive_is_utc_and_other_zones_convert() -> None:
    assert brussels_day(dt.datetime(2031, 6, 30, 22, 30)) == "01/07/2031"
    tokyo = dt.timezone(dt.timedelta(hours=9))
    assert brussels_day(dt.datetime(2031, 7, 1, 7, 30, tzinfo=tokyo)) == "01/07/2031"  # 22:30 UTC


# --- RFC 4514 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("plain", "plain"),
        ("A, B", "A\\, B"),
        ("A+B", "A\\+B"),
        ('say "hi"', 'say \\"hi\\"'),
        ("back\\slash", "back\\\\slash"),
        ("<tag>", "\\<tag\\>"),
        ("a;b", "a\\;b"),
        ("#first", "\\#first"),
        ("not#first", "not#first"),
        (" leading", "\\ leading"),
        ("trailing ", "trailing\\ "),
        (" ", "\\ "),
        ("  two  ", "\\  two \\ "),
        ("in side", "in side"),
        ("nul\0", "nul\\00"),
        ("Zoë Ćwik", "Zoë Ćwik"),  # non-ASCII stays as is
        ("=", "="),
        ("", ""),
    ],
)
def test_escape_value(value: str, expected: str) -> None:
    assert escape_value(value) == expected


def _name(*pairs: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in pairs])


def test_rfc4514_reverses_the_encoded_order() -> None:
    name = _name(
        (NameOID.COUNTRY_NAME, "BE"),
        (NameOID.ORGANIZATION_NAME, "GlobalSign nv-sa"),
        (NameOID.COMMON_NAME, "GlobalSign PersonalSign 3 CA - G2"),
    )
    assert rfc4514(name) == "CN=GlobalSign PersonalSign 3 CA - G2, O=GlobalSign nv-sa, C=BE"


def test_rfc4514_short_names_and_dotted_oids() -> None:
    name = _name(
        (NameOID.DOMAIN_COMPONENT, "be"),
        (NameOID.COUNTRY_NAME, "BE"),
        (NameOID.STATE_OR_PROVINCE_NAME, "Brabant"),
        (NameOID.LOCALITY_NAME, "Bruxelles"),
        (NameOID.STREET_ADDRESS, "Rue 1"),
        (NameOID.ORGANIZATION_NAME, "O"),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, "OU"),
        (NameOID.USER_ID, "u1"),
        (NameOID.COMMON_NAME, "CN"),
        (NameOID.SERIAL_NUMBER, "0123"),
        (NameOID.EMAIL_ADDRESS, "a@b.be"),
        (NameOID.GIVEN_NAME, "Jean"),
    )
    assert rfc4514(name) == (
        "2.5.4.42=Jean, 1.2.840.113549.1.9.1=a@b.be, 2.5.4.5=0123, CN=CN, UID=u1, OU=OU, O=O, "
        "STREET=Rue 1, L=Bruxelles, ST=Brabant, C=BE, DC=be"
    )


def test_rfc4514_hex_form_of_dotted_types() -> None:
    # emailAddress is an IA5String: tag 16, length 06, "a@b.be" = 61 40 62 2E 62 65
    name = _name((NameOID.COUNTRY_NAME, "BE"), (NameOID.EMAIL_ADDRESS, "a@b.be"))
    assert rfc4514(name, dotted="hex") == "1.2.840.113549.1.9.1=#16066140622E6265, C=BE"
    assert rfc4514(name) == "1.2.840.113549.1.9.1=a@b.be, C=BE"
    with pytest.raises(ValueError):
        rfc4514(name, dotted="base64")


def test_rfc4514_escapes_values() -> None:
    name = _name(
        (NameOID.COUNTRY_NAME, "BE"),
        (NameOID.ORGANIZATION_NAME, "Dupont, Durand + Fils"),
        (NameOID.COMMON_NAME, "#1 <QA> "),
    )
    assert rfc4514(name) == "CN=\\#1 \\<QA\\>\\ , O=Dupont\\, Durand \\+ Fils, C=BE"


def test_rfc4514_multi_valued_rdn() -> None:
    name = x509.Name(
        [
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COUNTRY_NAME, "BE")]),
            x509.RelativeDistinguishedName(
                [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "O1"), x509.NameAttribute(NameOID.COMMON_NAME, "C1")]
            ),
        ]
    )
    # cryptography encodes the SET OF sorted by DER: CN (…04 03) before O (…04 0A)
    assert rfc4514(name) == "CN=C1+O=O1, C=BE"
    assert rdn_sets(rfc4514(name)) == [("CN=C1", "O=O1"), ("C=BE",)]


@pytest.mark.parametrize(
    "one, other, same",
    [
        ("CN=C1+O=O1, C=BE", "O=O1+CN=C1, C=BE", True),  # RFC 4514 §2.2: any order inside an RDN
        ("CN=C1+O=O1, C=BE", "CN=C1, O=O1, C=BE", False),  # split into two RDNs
        ("CN=C1, C=BE", "C=BE, CN=C1", False),  # the RDNs' order is the contract's
        ("CN=a\\+b, C=BE", "CN=a+b, C=BE", False),  # an escaped "+" is in the value
        ("CN=a\\, b, C=BE", "CN=a, b, C=BE", False),  # so is an escaped ","
        ("CN=a\\\\+O=b", "O=b+CN=a\\\\", True),  # an escaped backslash, then the joining "+"
        ("CN=a, C=BE", "CN=a,C=BE", False),  # the contract's ", " between RDNs
    ],
)
def test_rdn_sets_compare_issuer_lines(one: str, other: str, same: bool) -> None:
    assert (rdn_sets(one) == rdn_sets(other)) is same


def test_rfc4514_reads_other_string_types_from_raw_der() -> None:
    # Name { RDN { CN BMPString "Zoë" } , RDN { O TeletexString "Caf\xe9" } }, written by hand
    cn = bytes.fromhex("300d 0603 550403 1e06 005a006f00eb".replace(" ", ""))
    o = bytes.fromhex("300b 0603 55040a 1404 436166e9".replace(" ", ""))
    rdns = b"".join(bytes([0x31, len(x)]) + x for x in (cn, o))
    der = bytes([0x30, len(rdns)]) + rdns
    assert [[a.text for a in rdn] for rdn in name_rdns(der)] == [["Zoë"], ["Café"]]
    assert rfc4514(der) == "O=Café, CN=Zoë"


@pytest.mark.parametrize(
    "pairs",
    [
        [
            (NameOID.COUNTRY_NAME, "BE"),
            (NameOID.ORGANIZATION_NAME, "Fixture Trust nv-sa"),
            (NameOID.COMMON_NAME, "Fixture PersonalSign 3 CA - G2"),
        ],
        [
            (NameOID.COUNTRY_NAME, "BE"),
            (NameOID.ORGANIZATION_NAME, 'A, "B" + <C>; D\\E'),
            (NameOID.ORGANIZATIONAL_UNIT_NAME, " lead and trail "),
            (NameOID.COMMON_NAME, "#hash"),
        ],
        [(NameOID.COMMON_NAME, "Zoë"), (NameOID.EMAIL_ADDRESS, "x+y@example.test"), (NameOID.SERIAL_NUMBER, "1")],
    ],
)
def test_rfc4514_agrees_with_cryptography(pairs) -> None:
    """Cross-check only: cryptography writes "," between RDNs where the contract wants ", "."""
    name = _name(*pairs)
    assert rfc4514(name, separator=",") == name.rfc4514_string()


# --- a whole certificate ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def pool() -> KeyPool:
    return DEFAULT_POOL  # the process's pool: RSA keys made once for all test files


def test_display_values_of_the_contracts_example(pool: KeyPool) -> None:
    ca = Authority.create(pool=pool)
    leaf = ca.issue(
        "Jean Dupont",
        "Fixture Logistics SRL",
        key=KeyType.RSA_2048,
        serial=499,
        not_before=dt.datetime(2025, 1, 1, tzinfo=UTC),
        not_after=dt.datetime(2031, 6, 30, 22, 30, tzinfo=UTC),
    )
    assert leaf.values == DisplayValues(
        owner="Jean Dupont",
        company="Fixture Logistics SRL",
        issuer="CN=Fixture PersonalSign 3 CA - G2, O=Fixture Trust nv-sa, C=BE",
        expiry="01/07/2031",
        serial_decimal="499",
        serial_hex="01F3",
    )
    assert describe(leaf.der) == describe(leaf.pem) == describe(leaf.certificate) == leaf.values


def test_labelled_uses_the_contracts_words(pool: KeyPool) -> None:
    values = self_signed("Owner", "Company", pool=pool, serial=128).values
    fr = values.labelled("fr")
    assert [label for label, _ in fr] == [
        Words("fr")[k]
        for k in ("cert_owner", "cert_company", "cert_issuer", "cert_expiry", "serial_decimal", "serial_hex")
    ]
    assert fr[0] == ("Propriétaire du certificat", "Owner")
    assert fr[-1] == ("Numéro de série (format hexadécimal)", "80")
    assert values.by_word_key()["cert_issuer"] == "CN=Owner, O=Company, C=BE"
    assert values.labelled("nl")[1] == ("Naam van de onderneming", "Company")


# --- CONFIRM-3 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, shown",
    [
        ("\u202e", "\\E2\\80\\AE"),  # the contract's example: RIGHT-TO-LEFT OVERRIDE
        ("Jan\u202egnp.exe", "Jan\\E2\\80\\AEgnp.exe"),
        ("\x00\x1f\x7f\x9f", "\\00\\1F\\7F\\C2\\9F"),  # controls, C0 and C1, at both ends of their ranges
        ("a\tb\nc", "a\\09b\\0Ac"),
        (
            "\u200b\u200f\u202a\u2060\u2064\u2066\u2069",
            "\\E2\\80\\8B\\E2\\80\\8F\\E2\\80\\AA\\E2\\81\\A0\\E2\\81\\A4\\E2\\81\\A6\\E2\\81\\A9",
        ),
        ("\ufeffBOM", "\\EF\\BB\\BFBOM"),
        # just outside the ranges, and what is merely unusual, stays as it is
        (
            "\u200a\u2010\u2029\u202f\u205f\u2065\u206a\u00a0\ufefe",
            "\u200a\u2010\u2029\u202f\u205f\u2065\u206a\u00a0\ufefe",
        ),
        ("Zoë Ćwik-Lefèvre, Ωμέγα", "Zoë Ćwik-Lefèvre, Ωμέγα"),
        ("C:\\path", "C:\\path"),  # a backslash of the value is not an escape
        ("", ""),
    ],
)
def test_visible_escapes_what_a_reader_cannot_see(value: str, shown: str) -> None:
    assert visible(value) == shown


def test_names_are_shown_escaped_everywhere(pool: KeyPool) -> None:
    """The owner, the company and the issuer (here the same name: self-signed)."""
    subject = _name(
        (NameOID.COUNTRY_NAME, "BE"),
        (NameOID.ORGANIZATION_NAME, "ACME\u200b SA"),
        (NameOID.COMMON_NAME, "Jan \u202eNAJ\u202c, \x00"),
    )
    values = self_signed(subject=subject, pool=pool).values
    assert values.owner == "Jan \\E2\\80\\AENAJ\\E2\\80\\AC, \\00"
    assert values.company == "ACME\\E2\\80\\8B SA"
    # RFC 4514 escapes the comma and writes NUL as \00 first; CONFIRM-3 then the rest
    assert values.issuer == "CN=Jan \\E2\\80\\AENAJ\\E2\\80\\AC\\, \\00, O=ACME\\E2\\80\\8B SA, C=BE"


def test_missing_cn_and_o_show_empty(pool: KeyPool) -> None:
    leaf = self_signed(subject=_name((NameOID.COUNTRY_NAME, "BE")), pool=pool)
    assert (leaf.values.owner, leaf.values.company, leaf.values.issuer) == ("", "", "C=BE")


@pytest.mark.parametrize("hash_name, hash_class", [("sha1", hashes.SHA1), ("md5", hashes.MD5)])
def test_weak_signatures_are_real(pool: KeyPool, hash_name: Literal["sha1", "md5"], hash_class) -> None:
    """cryptography refuses to sign with SHA-1/MD5; ours must still verify with the CA's key."""
    ca = Authority.create(pool=pool)
    leaf = ca.issue(hash=hash_name)
    algorithm = leaf.certificate.signature_hash_algorithm
    assert algorithm is not None and algorithm.name == hash_name
    ca_key = ca.key.public_key()
    assert isinstance(ca_key, rsa.RSAPublicKey)
    ca_key.verify(leaf.certificate.signature, leaf.certificate.tbs_certificate_bytes, padding.PKCS1v15(), hash_class())


def test_sign_refuses_what_it_cannot_do(pool: KeyPool) -> None:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name((NameOID.COMMON_NAME, "x")))
        .issuer_name(_name((NameOID.COMMON_NAME, "x")))
        .serial_number(1)
        .not_valid_before(dt.datetime(2025, 1, 1))
        .not_valid_after(dt.datetime(2026, 1, 1))
    )
    ec_key = pool.get(KeyType.EC_P256)
    builder = builder.public_key(ec_key.public_key())
    with pytest.raises(ValueError, match="RSA"):
        sign(builder, ec_key, "sha1")
    with pytest.raises(ValueError, match="unknown signature hash"):
        sign(builder, ec_key, "sha3")  # type: ignore[arg-type]


# --- reading files ---------------------------------------------------------------------------


def test_load_certificate_says_what_is_wrong(pool: KeyPool) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    from certs import encode

    leaf = self_signed(pool=pool)
    other = self_signed("Other", pool=pool).certificate
    pkcs7_der = pkcs7.serialize_certificates([other], serialization.Encoding.DER)
    pfx = encode.pkcs12_bundle(leaf.certificate, leaf.key, password=b"pw")
    assert load_certificate(leaf.der) == leaf.certificate
    assert load_certificate(b"text before\n" + leaf.pem) == leaf.certificate
    # bytes around the block that hold no certificate are text, however odd
    assert load_certificate(leaf.pem + b"\x30\x82\x01\x00" + bytes(300)) == leaf.certificate
    assert (
        load_certificate(leaf.pem + b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") == leaf.certificate
    )
    der_key = leaf.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cases = {  # the bytes: (what the message says, the rule that refuses such a file)
        b"": ("empty", "CERT-2"),
        b"\x00\x01garbage": ("neither a DER nor a PEM", "CERT-2"),
        leaf.pem + leaf.pem: ("2 certificates", "CERT-2"),
        leaf.key_pem: ("private key", "CERT-3"),
        leaf.pem + leaf.key_pem: ("private key", "CERT-3"),
        encode.key_traditional(leaf.key): ("private key", "CERT-3"),
        der_key: ("private key \\(DER\\)", "CERT-3"),
        encode.pkcs12_bundle(leaf.certificate, leaf.key, password=b"pw"): ("PKCS#12", "CERT-3"),
        encode.pkcs12_bundle(leaf.certificate, leaf.key): ("PKCS#12", "CERT-3"),
        b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n": ("PUBLIC KEY", "CERT-2"),
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n": ("cannot be read", "CERT-2"),
        # CERT-2: a second certificate in any form
        leaf.pem + encode.trusted_pem(other): ("TRUSTED CERTIFICATE block", "CERT-2"),
        encode.trusted_pem(other) + leaf.pem: ("TRUSTED CERTIFICATE block", "CERT-2"),
        leaf.pem + encode.pkcs7_pem([other]): ("PKCS7 block", "CERT-2"),
        leaf.pem + encode.pem_block("PKCS #7 SIGNED DATA", pkcs7_der): ("PKCS #7 SIGNED DATA block", "CERT-2"),
        leaf.pem + encode.pem_block("X509 CERTIFICATE", encode.der(other)): ("2 certificates", "CERT-2"),
        leaf.pem + encode.der(other): ("DER certificate beside", "CERT-2"),
        leaf.pem + b"trailing words\n" + encode.der(other) + b"\n": ("DER certificate beside", "CERT-2"),
        encode.der(other) + leaf.pem: ("DER certificate beside", "CERT-2"),
        leaf.pem + pkcs7_der: ("DER certificate beside", "CERT-2"),
        # CERT-3: a PKCS#12 in BER (indefinite lengths), and in Base64
        encode.ber_indefinite(pfx): ("PKCS#12", "CERT-3"),
        base64.encodebytes(pfx): ("PKCS#12", "CERT-3"),
        base64.b64encode(encode.ber_indefinite(pfx)): ("PKCS#12", "CERT-3"),
    }
    for data, (message, rule) in cases.items():
        with pytest.raises(CertificateFileError, match=message) as raised:
            load_certificate(data)
        assert raised.value.rule == rule, message


@pytest.mark.filterwarnings("ignore:PKCS#12 bundle could not be parsed as DER")
def test_is_pkcs12_shape(pool: KeyPool) -> None:
    from certs import encode

    leaf = self_signed(pool=pool)
    pfx = encode.pkcs12_bundle(leaf.certificate, leaf.key, password=b"pw")
    assert is_pkcs12(pfx)
    ber = encode.ber_indefinite(pfx)
    assert ber != pfx and ber[:2] == b"\x30\x80" and is_pkcs12(ber)
    assert pkcs12.load_pkcs12(ber, b"pw").cert is not None  # a PKCS#12 all the same
    assert not is_pkcs12(leaf.der)
    assert not is_pkcs12(b"")
    assert not is_pkcs12(b"\x30\x03\x02\x01\x03")


def test_describe_unreadable_path(tmp_path) -> None:
    with pytest.raises(CertificateFileError, match="cannot read"):
        describe(tmp_path / "missing.cer")
    with pytest.raises(CertificateFileError, match="cannot read"):
        describe(tmp_path)  # a directory


# --- keys ---------------------------------------------------------------------------------


def test_key_pool() -> None:
    pool = KeyPool()
    assert pool.get(KeyType.RSA_1024) is pool.get(KeyType.RSA_1024)
    assert pool.get(KeyType.RSA_1024) is not pool.get(KeyType.RSA_1024, "other")
    pool.prefetch([(KeyType.EC_P384, ""), (KeyType.ED25519, ""), (KeyType.RSA_1024, ""), (KeyType.EC_P256, "x")])
    wanted = [(KeyType.EC_P384, ""), (KeyType.ED25519, ""), (KeyType.RSA_1024, ""), (KeyType.EC_P256, "x")]
    assert all(w in pool for w in wanted) and len(pool) == 5
    rsa_key, ec_key = pool.get(KeyType.RSA_1024), pool.get(KeyType.EC_P384)
    assert isinstance(rsa_key, rsa.RSAPrivateKey) and rsa_key.key_size == 1024
    assert isinstance(ec_key, ec.EllipticCurvePrivateKey) and ec_key.curve.name == "secp384r1"
    assert isinstance(pool.get(KeyType("ed25519")), ed25519.Ed25519PrivateKey)  # the enum's values are its specs
    with pytest.raises(ValueError):
        KeyType("dsa-2048")


@pytest.mark.parametrize(
    "key_type, summary",
    [
        (KeyType.RSA_2047, "RSA, 2047 bits"),
        (KeyType.EC_P256, "EC secp256r1, 256 bits"),
        (KeyType.EC_P521, "EC secp521r1, 521 bits"),
        (KeyType.ED25519, "Ed25519, 256 bits"),
    ],
)
def test_key_summary(key_type: KeyType, summary: str, pool: KeyPool) -> None:
    key = pool.get(key_type)
    assert key_summary(key) == key_summary(key.public_key()) == summary


def test_keys_are_written_for_their_owner_only(tmp_path, pool: KeyPool) -> None:
    leaf = self_signed(pool=pool)
    existing = tmp_path / "existing.key.pem"
    existing.write_bytes(b"old")
    existing.chmod(0o644)
    for path in (tmp_path / "new.key.pem", existing):
        write_secret(path, leaf.key_pem)
        assert path.stat().st_mode & 0o777 == 0o600 and path.read_bytes() == leaf.key_pem
    leaf.write(tmp_path / "leaf.cer", key_path=tmp_path / "leaf.key.pem")
    assert (tmp_path / "leaf.key.pem").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "leaf.cer").read_bytes() == leaf.der

"""The mock portal's certificate checks (CERT-1..7) and display (CONFIRM-2, CONFIRM-3), without a
server. Certificates are made here with cryptography (tests/http/mockkit.py), never taken from certs/."""

from __future__ import annotations

import base64
import datetime as dt
import unicodedata

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from mockportal import certificate as c
from tests.http.mockkit import (
    authority,
    certificate,
    der,
    name,
    pem,
    pkcs12,
    private_key_pem,
    resigned,
    rsa_key,
    self_signed,
)

COMPANY = "Acme Logistics SRL"
UTC = dt.UTC
# OpenSSL's trust settings after a TRUSTED CERTIFICATE's DER ("openssl x509 -addtrust clientAuth -trustout")
CLIENT_AUTH_TRUST = bytes.fromhex("300c300a06082b06010505070302")


def pem_block(label: str, data: bytes) -> bytes:
    body = base64.encodebytes(data).decode()
    return f"-----BEGIN {label}-----\n{body}-----END {label}-----\n".encode()


def ber(data: bytes) -> bytes:
    """DER re-encoded with every constructed element of indefinite length (a BER PKCS#12)."""
    out, pos = b"", 0
    while pos < len(data):
        tag, length, header = data[pos], data[pos + 1], 2
        if length & 0x80:
            header += length & 0x7F
            length = int.from_bytes(data[pos + 2 : pos + header], "big")
        content = data[pos + header : pos + header + length]
        out += bytes([tag, 0x80]) + ber(content) + b"\0\0" if tag & 0x20 else data[pos : pos + header + length]
        pos += header + length
    return out


def check(data: bytes, *, trusted=(), company=COMPANY, holder=lambda sha: None, employer_id=1, now=None):
    return c.Certificates(trusted).check(data, company=company, employer_id=employer_id, holder=holder, now=now)


@pytest.fixture(scope="module")
def ca():
    return authority()


# -- CERT-1 -------------------------------------------------------------------------------------------------
@pytest.mark.rules("CERT-1")
@pytest.mark.parametrize(
    "encode",
    [
        der,
        pem,
        lambda cert: b"\n\n" + pem(cert) + b"\n",
        lambda cert: pem(cert).replace(b"\n", b"\r\n"),
        lambda cert: base64.b64encode(der(cert)),
    ],
)
def test_one_certificate_der_or_pem(encode):
    cert = self_signed(COMPANY)
    result = check(encode(cert))
    assert result.error is None
    assert result.der == der(cert)


@pytest.mark.rules("CERT-1")
def test_pem_with_explanatory_text_around_it():
    cert = self_signed(COMPANY)
    assert check(b"Subject: CN=Jan\nIssuer: CN=Jan\n" + pem(cert) + b"trailing words\n").der == der(cert)


# -- CERT-2 -------------------------------------------------------------------------------------------------
@pytest.mark.rules("CERT-2")
@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "cert_empty"),
        (b"hello, I am not a certificate\n", "cert_not_certificate"),
        (b"\x30\x82\x01\x00" + b"\x00" * 256, "cert_not_certificate"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "cert_not_certificate"),
        (b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "cert_not_certificate"),
        (bytes(range(256)) * 4, "cert_not_certificate"),
    ],
)
def test_refused_files(data, message):
    assert check(data).error == message


@pytest.mark.rules("CERT-2", "CERT-3")
def test_the_size_is_checked_before_the_content():
    """An oversized file is refused for its size, its private key never looked for."""
    key = private_key_pem("pkcs8")
    assert check(key + b"\n" * (c.MAX_BYTES + 1 - len(key))).error == "cert_too_large"


@pytest.mark.rules("CERT-2")
def test_over_64_kib_refused_at_64_kib_accepted():
    cert_pem = pem(self_signed(COMPANY))
    padded = cert_pem + b"\n" * (c.MAX_BYTES - len(cert_pem))
    assert len(padded) == 65536 and check(padded).error is None
    assert check(padded + b"\n").error == "cert_too_large"


@pytest.mark.rules("CERT-2")
@pytest.mark.parametrize(
    "bundle",
    [
        lambda a, b: pem(a) + pem(b),
        lambda a, b: der(a) + der(b),
        lambda a, b: pkcs7.serialize_certificates([a, b], serialization.Encoding.PEM),
        lambda a, b: pkcs7.serialize_certificates([a, b], serialization.Encoding.DER),
    ],
)
def test_several_certificates_refused(bundle):
    first, second = self_signed(COMPANY), self_signed(COMPANY, cn="Other")
    assert check(bundle(first, second)).error == "cert_several"


@pytest.mark.rules("CERT-2")
@pytest.mark.parametrize(
    "bundle",
    [
        lambda a, b: pem(a) + pem_block("TRUSTED CERTIFICATE", der(b) + CLIENT_AUTH_TRUST),
        lambda a, b: pem_block("TRUSTED CERTIFICATE", der(b) + CLIENT_AUTH_TRUST) + pem(a),
        lambda a, b: pem(a) + pem_block("X509 CERTIFICATE", der(b)),
        lambda a, b: pem(a) + pem_block("CERTIFICATE PAIR", der(b)),
        lambda a, b: pem(a) + pkcs7.serialize_certificates([b], serialization.Encoding.PEM),
        lambda a, b: (
            pem(a) + pem_block("PKCS #7 SIGNED DATA", pkcs7.serialize_certificates([b], serialization.Encoding.DER))
        ),
        lambda a, b: pem(a) + pem_block("CMS", pkcs7.serialize_certificates([b], serialization.Encoding.DER)),
        lambda a, b: pem(a) + der(b),
        lambda a, b: pem(a) + b"Issuer: the CA\n" + der(b) + b"\n",
        lambda a, b: der(b) + pem(a),
        lambda a, b: pem(a) + pkcs7.serialize_certificates([b], serialization.Encoding.DER),
    ],
    ids=[
        "trusted-after",
        "trusted-before",
        "x509-label",
        "certificate-pair",
        "pkcs7-pem",
        "pkcs7-signed-data-label",
        "cms-label",
        "der-after-pem",
        "der-after-text",
        "der-before-pem",
        "pkcs7-der-after-pem",
    ],
)
def test_a_second_certificate_in_another_form_is_several(bundle):
    """CERT-2: a reader of the first PEM block would take it and never see the second."""
    first, second = self_signed(COMPANY), self_signed(COMPANY, cn="Other")
    assert check(bundle(first, second)).error == "cert_several"


@pytest.mark.rules("CERT-1", "CERT-2")
@pytest.mark.parametrize(
    "after",
    [
        b"\x30\x82\x01\x00" + b"\x00" * 300,  # a SEQUENCE's header, but not a certificate
        b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        bytes(range(256)),
    ],
)
def test_bytes_after_the_block_that_hold_no_certificate_are_ignored(after):
    cert = self_signed(COMPANY)
    assert check(pem(cert) + after).der == der(cert)


# -- CERT-3 -------------------------------------------------------------------------------------------------
@pytest.mark.rules("CERT-3")
@pytest.mark.parametrize("kind", ["pkcs8", "encrypted", "rsa", "ec", "openssh"])
def test_private_keys_refused(kind):
    assert check(private_key_pem(kind)).error == "cert_private_key"


@pytest.mark.rules("CERT-3")
def test_certificate_with_its_private_key_refused():
    assert check(pem(self_signed(COMPANY)) + private_key_pem("pkcs8")).error == "cert_private_key"


@pytest.mark.rules("CERT-3")
@pytest.mark.parametrize(
    "der_key",
    [
        lambda: rsa_key().private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        lambda: rsa_key().private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        ),
        lambda: rsa_key().private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"pw")
        ),
    ],
)
def test_der_private_keys_refused(der_key):
    assert check(der_key()).error == "cert_private_key"


@pytest.mark.rules("CERT-3")
@pytest.mark.parametrize("password", [b"secret", None])
def test_pkcs12_refused(password):
    container = pkcs12(self_signed(COMPANY), password=password)
    assert check(container).error == "cert_private_key"
    assert check(base64.b64encode(container)).error == "cert_private_key"


@pytest.mark.rules("CERT-3")
@pytest.mark.filterwarnings("ignore:PKCS#12 bundle could not be parsed as DER")
@pytest.mark.parametrize("password", [b"secret", None])
def test_pkcs12_in_ber_refused(password):
    from cryptography.hazmat.primitives.serialization import pkcs12 as load

    container = ber(pkcs12(self_signed(COMPANY), password=password))
    assert container[:2] == b"\x30\x80" and load.load_pkcs12(container, password).cert is not None  # a real one
    assert check(container).error == "cert_private_key"
    assert check(base64.encodebytes(container)).error == "cert_private_key"


@pytest.mark.rules("CERT-3")
def test_the_message_says_never_to_upload_a_private_key():
    from mockportal.messages import MESSAGES

    assert "jamais une clé privée" in MESSAGES["cert_private_key"]["fr"]
    assert "nooit een private sleutel" in MESSAGES["cert_private_key"]["nl"]
    assert "niemals einen privaten Schlüssel" in MESSAGES["cert_private_key"]["de"]


@pytest.mark.rules("CERT-3")
def test_the_word_table_gives_the_messages_words():
    from contract.words import WORDS

    # contract §4: "clé privée (inside CERT-3's message, case aside) | private sleutel | privaten Schlüssel"
    assert WORDS["private_key_words"] == {"fr": "clé privée", "nl": "private sleutel", "de": "privaten Schlüssel"}


@pytest.mark.rules("CERT-3")
def test_pkcs12_generic_message_defect_changes_the_pfx_message_only():
    from mockportal.defects import apply_defects
    from mockportal.portal import Portal
    from mockportal.store import Store

    portal = Portal(store=Store())
    try:
        apply_defects(portal, ["pkcs12-generic-message"])
        checks = portal.certificates
        for container in (pkcs12(self_signed(COMPANY)), base64.b64encode(pkcs12(self_signed(COMPANY), password=None))):
            assert checks.check(container, company=COMPANY, employer_id=1).error == "cert_not_certificate"
        assert checks.check(private_key_pem("pkcs8"), company=COMPANY, employer_id=1).error == "cert_private_key"
        assert check(pkcs12(self_signed(COMPANY))).error == "cert_private_key"  # other portals keep the message
    finally:
        portal.store.close()


# -- CERT-4 -------------------------------------------------------------------------------------------------
@pytest.mark.rules("CERT-4")
def test_expired_and_not_yet_valid_refused():
    now = dt.datetime.now(UTC)
    expired = self_signed(COMPANY, not_before=now - dt.timedelta(days=30), not_after=now - dt.timedelta(minutes=1))
    future = self_signed(COMPANY, not_before=now + dt.timedelta(minutes=5), not_after=now + dt.timedelta(days=30))
    assert check(der(expired)).error == "cert_expired"
    assert check(der(future)).error == "cert_not_yet_valid"


@pytest.mark.rules("CERT-4")
def test_validity_is_compared_with_now():
    cert = self_signed(
        COMPANY, not_before=dt.datetime(2030, 1, 1, tzinfo=UTC), not_after=dt.datetime(2031, 1, 1, tzinfo=UTC)
    )
    assert c.cert_4_validity(cert, dt.datetime(2030, 6, 1, tzinfo=UTC)) is None
    assert c.cert_4_validity(cert, dt.datetime(2031, 1, 1, 0, 0, 1, tzinfo=UTC)) == "cert_expired"
    assert c.cert_4_validity(cert, dt.datetime(2029, 12, 31, 23, 59, tzinfo=UTC)) == "cert_not_yet_valid"
    assert c.cert_4_validity(cert, dt.datetime(2029, 12, 31, 23, 30, tzinfo=UTC)) == "cert_not_yet_valid"
    assert c.cert_4_validity(cert, dt.datetime(2030, 1, 1, tzinfo=UTC)) is None  # from notBefore on


# -- CERT-5 -------------------------------------------------------------------------------------------------
@pytest.mark.rules("CERT-5")
def test_small_rsa_keys_refused():
    assert check(der(self_signed(COMPANY, key=rsa_key(1024)))).error == "cert_key_size"


@pytest.mark.rules("CERT-5")
@pytest.mark.parametrize(
    "make_key", [lambda: ec.generate_private_key(ec.SECP256R1()), ed25519.Ed25519PrivateKey.generate]
)
def test_non_rsa_keys_refused(make_key):
    assert check(der(self_signed(COMPANY, key=make_key()))).error == "cert_key_type"


@pytest.mark.rules("CERT-5")
@pytest.mark.parametrize("hash_name", ["sha1", "md5"])
def test_md5_and_sha1_signatures_refused(hash_name):
    key = rsa_key()
    data = resigned(self_signed(COMPANY, key=key), key, hash_name)
    assert check(data).error == "cert_weak_signature"


# -- CERT-6 -------------------------------------------------------------------------------------------------
@pytest.mark.rules("CERT-6")
def test_issued_by_a_trusted_ca(ca):
    leaf = ca.issue(name(cn="Jan Peeters", o="Whatever Name NV", c="BE"))
    assert check(der(leaf), trusted=[ca.certificate]).error is None
    assert check(der(leaf), trusted=[]).error == "cert_untrusted"


@pytest.mark.rules("CERT-6")
def test_same_issuer_name_but_another_key_is_refused(ca):
    impostor_key = rsa_key(2048, 4)
    leaf = certificate(
        name(cn="Jan", o=COMPANY), key=rsa_key(2048, 1), issuer=ca.certificate.subject, issuer_key=impostor_key
    )
    assert check(der(leaf), trusted=[ca.certificate]).error == "cert_untrusted"


@pytest.mark.rules("CERT-6")
@pytest.mark.parametrize("organisation", [COMPANY, COMPANY.upper(), f"  {COMPANY.lower()}  "])
def test_self_signed_in_the_companys_name(organisation):
    assert check(der(self_signed(organisation))).error is None


@pytest.mark.rules("CERT-6")
@pytest.mark.parametrize("form", ["NFD", "NFC"])
def test_company_name_compared_in_nfc(form):
    accented = "Société Générale SA"
    organisation = unicodedata.normalize(form, accented)
    other_form = unicodedata.normalize("NFD" if form == "NFC" else "NFC", accented)
    assert organisation != other_form
    assert check(der(self_signed(organisation)), company=other_form).error is None
    assert check(der(self_signed(organisation)), company="Societe Generale SA").error == "cert_untrusted"


@pytest.mark.rules("CERT-6")
@pytest.mark.parametrize("subject", [name(cn="Jan", o="Another Company SA"), name(cn="Jan")])
def test_self_signed_in_another_name_refused(subject):
    assert check(der(certificate(subject))).error == "cert_untrusted"


@pytest.mark.rules("CERT-6")
def test_issuer_equal_subject_but_signed_by_another_key_is_refused():
    subject = name(cn="Jan", o=COMPANY)
    forged = certificate(subject, key=rsa_key(2048, 1), issuer=subject, issuer_key=rsa_key(2048, 4))
    assert check(der(forged)).error == "cert_untrusted"


# -- CERT-7 -------------------------------------------------------------------------------------------------
@pytest.mark.rules("CERT-7")
def test_certificate_of_another_sender_refused():
    cert = self_signed(COMPANY)
    fingerprint = c.sha256_hex(der(cert))
    assert check(der(cert), holder=lambda sha: 2 if sha == fingerprint else None, employer_id=1).error == "cert_in_use"
    assert check(der(cert), holder=lambda sha: 1, employer_id=1).error is None  # the employer's own
    assert check(der(cert), holder=lambda sha: None, employer_id=1).error is None  # freed by a deletion


# -- CONFIRM-2 ---------------------------------------------------------------------------------------------------
@pytest.mark.rules("CONFIRM-2")
def test_owner_and_company():
    view = c.Certificates().view(der(self_signed(COMPANY, cn="Jan Peeters")))
    assert (view.owner, view.company) == ("Jan Peeters", COMPANY)


@pytest.mark.rules("CONFIRM-2")
def test_issuer_in_rfc4514_order():
    issuer = name(cn="GlobalSign PersonalSign 3 CA - G2", o="GlobalSign nv-sa", c="BE")
    leaf = certificate(name(cn="Jan", o=COMPANY), key=rsa_key(2048, 1), issuer=issuer, issuer_key=rsa_key())
    assert c.Certificates().view(der(leaf)).issuer == "CN=GlobalSign PersonalSign 3 CA - G2, O=GlobalSign nv-sa, C=BE"


@pytest.mark.rules("CONFIRM-2")
def test_issuer_types_and_escaping():
    issuer = x509.Name(
        [
            x509.NameAttribute(NameOID.DOMAIN_COMPONENT, "be"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Brabant"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Bruxelles"),
            x509.NameAttribute(NameOID.STREET_ADDRESS, "Rue de la Loi 1"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'Acme, "Best" <SA>; +1\\'),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, " #lead and trail "),
            x509.NameAttribute(NameOID.USER_ID, "u1"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, "123"),
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, "ca@example.be"),
            x509.NameAttribute(NameOID.COMMON_NAME, "CA"),
        ]
    )
    leaf = certificate(name(cn="Jan"), key=rsa_key(2048, 1), issuer=issuer, issuer_key=rsa_key())
    assert c.Certificates().view(der(leaf)).issuer == (
        "CN=CA, 1.2.840.113549.1.9.1=ca@example.be, 2.5.4.5=123, UID=u1, OU=\\ #lead and trail\\ , "
        'O=Acme\\, \\"Best\\" \\<SA\\>\\; \\+1\\\\, STREET=Rue de la Loi 1, L=Bruxelles, ST=Brabant, C=BE, DC=be'
    )


@pytest.mark.rules("CONFIRM-2")
def test_multi_valued_rdn_joined_with_plus():
    issuer = x509.Name(
        [
            x509.RelativeDistinguishedName(
                [
                    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "IT"),
                    x509.NameAttribute(NameOID.COMMON_NAME, "CA"),
                ]
            )
        ]
    )
    leaf = certificate(name(cn="Jan"), key=rsa_key(2048, 1), issuer=issuer, issuer_key=rsa_key())
    assert c.Certificates().view(der(leaf)).issuer in ("OU=IT+CN=CA", "CN=CA+OU=IT")


@pytest.mark.rules("CONFIRM-2")
@pytest.mark.parametrize(
    "not_after, shown",
    [
        (dt.datetime(2031, 6, 30, 22, 30, tzinfo=UTC), "01/07/2031"),  # summer: UTC+2
        (dt.datetime(2031, 6, 30, 22, 0, tzinfo=UTC), "01/07/2031"),  # midnight: the day that starts
        (dt.datetime(2031, 6, 30, 21, 59, tzinfo=UTC), "30/06/2031"),
        (dt.datetime(2031, 12, 31, 23, 0, tzinfo=UTC), "01/01/2032"),  # winter: UTC+1
        (dt.datetime(2031, 12, 31, 22, 59, tzinfo=UTC), "31/12/2031"),
    ],
)
def test_expiry_is_the_day_in_brussels(not_after, shown):
    cert = self_signed(COMPANY, not_before=dt.datetime(2030, 1, 1, tzinfo=UTC), not_after=not_after)
    assert c.confirm_2_expiry(cert) == shown


@pytest.mark.rules("CONFIRM-2")
@pytest.mark.parametrize(
    "serial, decimal, hexadecimal",
    [
        (499, "499", "01F3"),
        (128, "128", "80"),
        (1, "1", "01"),
        (255, "255", "FF"),
        (256, "256", "0100"),
        (2**159 - 1, str(2**159 - 1), "7F" + "FF" * 19),
    ],
)
def test_serial_numbers(serial, decimal, hexadecimal):
    view = c.Certificates().view(der(self_signed(COMPANY, serial=serial)))
    assert (view.serial_decimal, view.serial_hex) == (decimal, hexadecimal)


@pytest.mark.rules("CONFIRM-3")
@pytest.mark.parametrize(
    "held, shown",
    [
        ("\u202e", "\\E2\\80\\AE"),
        ("\x00\x01\x1f\x7f\x80\x9f", "\\00\\01\\1F\\7F\\C2\\80\\C2\\9F"),
        ("\u200b\u200c\u200d\u200e\u200f", "\\E2\\80\\8B\\E2\\80\\8C\\E2\\80\\8D\\E2\\80\\8E\\E2\\80\\8F"),
        ("\u202a\u202b\u202c\u202d", "\\E2\\80\\AA\\E2\\80\\AB\\E2\\80\\AC\\E2\\80\\AD"),
        (
            "\u2060\u2064\u2066\u2067\u2068\u2069\ufeff",
            "\\E2\\81\\A0\\E2\\81\\A4\\E2\\81\\A6\\E2\\81\\A7\\E2\\81\\A8\\E2\\81\\A9\\EF\\BB\\BF",
        ),
        ("\u00a0\u200a\u2010\u2028\u202f\u2065\u206a é", "\u00a0\u200a\u2010\u2028\u202f\u2065\u206a é"),
    ],
)
def test_unseen_characters_are_written_as_hex_escapes(held, shown):
    assert c.confirm_3_visible(held) == shown


@pytest.mark.rules("CONFIRM-3")
def test_owner_company_and_issuer_are_shown_escaped():
    subject = name(cn="Jan \u202egnp.exe", o="ACME\u2066 SA", c="BE")
    view = c.Certificates().view(der(certificate(subject)))  # self-signed: the issuer is that name
    assert (view.owner, view.company) == ("Jan \\E2\\80\\AEgnp.exe", "ACME\\E2\\81\\A6 SA")
    assert view.issuer == "CN=Jan \\E2\\80\\AEgnp.exe, O=ACME\\E2\\81\\A6 SA, C=BE"


@pytest.mark.rules("CONFIRM-3", "CERT-6")
def test_the_company_is_compared_as_held_not_as_shown():
    """CERT-6 reads the O itself: the escapes are for the screen only."""
    odd = "ACME\u200b SA"
    assert check(der(self_signed(odd)), company=odd).error is None
    assert check(der(self_signed(odd)), company="ACME\\E2\\80\\8B SA").error == "cert_untrusted"


@pytest.mark.rules("CONFIRM-3")
def test_the_overview_defect_leaves_the_drafts_escaped():
    from mockportal.defects import apply_defects
    from mockportal.portal import Portal
    from mockportal.store import Store

    portal = Portal(store=Store())
    try:
        apply_defects(portal, ["overview-names-unescaped"])
        data = der(self_signed(COMPANY, cn="Jan \u202egnp.exe"))
        assert portal.certificates.view(data).owner == "Jan \\E2\\80\\AEgnp.exe"  # not registered: escaped
        portal.store.certificate_holder = lambda sha256: 1
        assert portal.certificates.view(data).owner == "Jan \u202egnp.exe"
    finally:
        portal.store.close()


@pytest.mark.rules("CONFIRM-2")
def test_a_certificates_instance_can_be_changed_alone():
    one, other = c.Certificates(), c.Certificates()
    one.confirm_2_serial_hex = lambda cert: "X"
    data = der(self_signed(COMPANY, serial=499))
    assert one.view(data).serial_hex == "X" and other.view(data).serial_hex == "01F3"


@pytest.mark.rules("CERT-6")
def test_trust_files_load_pem_bundles_and_der(tmp_path, ca):
    other = authority("Second CA", index=4)
    (tmp_path / "bundle.pem").write_bytes(ca.pem() + other.pem())
    (tmp_path / "one.der").write_bytes(der(ca.certificate))
    loaded = c.load_trusted([tmp_path / "bundle.pem", tmp_path / "one.der"])
    assert [x.subject for x in loaded] == [ca.certificate.subject, other.certificate.subject, ca.certificate.subject]

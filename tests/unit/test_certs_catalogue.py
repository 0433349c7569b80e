"""Every catalogue entry, re-read from disk, is what its manifest says it is.

The checks here use ``cryptography`` directly (and the standard library for dates), not the
helpers that wrote the catalogue, so a mistake in one is not hidden by the same mistake in the other.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import NameOID

from certs import Catalogue, KeyType, Outcome, generate
from certs.catalogue import VARIANTS, Entry, normalise_enterprise_number
from certs.display import DisplayValues
from certs.keys import KeyPool

COMPANY = "Fixture Logistics SRL"
NOW = dt.datetime.now(dt.UTC)
SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return generate(tmp_path_factory.mktemp("catalogue"), company=COMPANY, seed=1234)


@pytest.fixture(scope="module")
def fixture_ca(catalogue: Catalogue) -> x509.Certificate:
    return x509.load_pem_x509_certificate(catalogue.fixture_ca_path.read_bytes())


@pytest.fixture(scope="module")
def untrusted_ca(catalogue: Catalogue) -> x509.Certificate:
    return x509.load_pem_x509_certificate(catalogue.untrusted_ca_path.read_bytes())


def shown(entry: Entry) -> DisplayValues:
    """The values the portal must show for a certificate entry (a refused non-certificate has none)."""
    assert entry.values is not None, f"{entry.name} has no display values"
    return entry.values


def read_certificate(path: Path) -> x509.Certificate:
    data = path.read_bytes()
    return x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)


def signed_by(certificate: x509.Certificate, issuer_key) -> bool:
    try:
        issuer_key.verify(
            certificate.signature,
            certificate.tbs_certificate_bytes,
            padding.PKCS1v15(),
            certificate.signature_hash_algorithm,
        )
    except InvalidSignature:
        return False
    return True


# CONFIRM-3, from the contract's ranges: what the portal writes as hex escapes of its UTF-8 bytes.
UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def escaped(text: str) -> str:
    return UNSEEN.sub(lambda m: "".join(f"\\{octet:02X}" for octet in m.group().encode()), text)


def only(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    value = name.get_attributes_for_oid(oid)[0].value
    assert isinstance(value, str), value
    return value


def signature_hash(certificate: x509.Certificate) -> str | None:
    """The name of the signature's hash (None for a signature without one, such as Ed25519)."""
    algorithm = certificate.signature_hash_algorithm
    return algorithm.name if algorithm is not None else None


# --- the manifest ----------------------------------------------------------------------------


def test_manifest_lists_every_variant_once(catalogue: Catalogue) -> None:
    manifest = json.loads(catalogue.manifest_path.read_text(encoding="utf-8"))
    names = [e["name"] for e in manifest["entries"]]
    assert names == [v.name for v in VARIANTS]
    assert len(set(names)) == len(names)
    for name in names:
        assert name == name.lower() and " " not in name  # kebab-case, stable
    assert manifest["company"] == COMPANY and manifest["seed"] == 1234
    assert Catalogue.load(catalogue.manifest_path).entries == catalogue.entries
    assert Catalogue.load(catalogue.directory).entries == catalogue.entries


def test_expected_behaviours(catalogue: Catalogue) -> None:
    records = {r["name"]: r for r in json.loads(catalogue.manifest_path.read_text(encoding="utf-8"))["entries"]}
    for entry in catalogue:
        raw = records[entry.name]["expected"]
        if entry.accepted:
            assert raw == "accept" and entry.expected is Outcome.ACCEPT and entry.refused_by is None, entry.name
        else:
            assert raw == {"refuse": entry.refused_by} and entry.expected is Outcome.refuse(raw["refuse"]), entry.name
            assert entry.refused_by in entry.rules, entry.name
        assert entry.path.is_file() and entry.path.stat().st_size == entry.size, entry.name
    refused = {
        rule: {e.name for e in catalogue.refused(rule)} for rule in ("CERT-2", "CERT-3", "CERT-4", "CERT-5", "CERT-6")
    }
    assert refused == {
        "CERT-2": {
            "several-certificates",
            "several-trusted-certificate",
            "several-pkcs7",
            "several-der-after-pem",
            "empty",
            "garbage",
            "corrupt-pem",
            "oversized",
        },
        "CERT-3": {
            "private-key-pkcs8",
            "private-key-rsa",
            "private-key-encrypted",
            "private-key-ec",
            "private-key-openssh",
            "certificate-with-key",
            "pkcs12",
            "pkcs12-ber",
            "pkcs12-ber-base64",
        },
        "CERT-4": {"expired", "not-yet-valid", "not-yet-valid-soon"},
        "CERT-5": {"rsa-1024", "rsa-2047", "ec-p256", "ed25519", "sha1-signature", "md5-signature"},
        "CERT-6": {"self-signed-other-name", "untrusted-issuer", "impostor-issuer"},
    }
    assert {
        "valid-der",
        "valid-pem",
        "valid-crt",
        "valid-second-key",
        "self-signed-company",
        "serial-499",
        "serial-128",
        "expiry-brussels-summer",
        "expiry-midnight-summer",
        "expiry-midnight-winter",
        "multi-valued-rdn",
        "valid-pem-crlf",
        "valid-der-copy",
    } <= {e.name for e in catalogue.accepted()}


def test_encodings_and_extensions(catalogue: Catalogue) -> None:
    assert catalogue["valid-der"].path.suffix == ".cer" and catalogue["valid-der"].read_bytes()[0] == 0x30
    assert catalogue["valid-pem"].path.suffix == ".pem"
    assert catalogue["valid-crt"].path.suffix == ".crt"
    for name in ("valid-pem", "valid-crt", "valid-der-as-pem"):
        assert catalogue[name].read_bytes().startswith(b"-----BEGIN CERTIFICATE-----\n"), name
    crlf = catalogue["valid-pem-crlf"]
    data = crlf.read_bytes()
    assert crlf.path.suffix == ".cer" and data.startswith(b"-----BEGIN CERTIFICATE-----\r\n")
    assert data.count(b"\n") == data.count(b"\r\n") > 2  # every line ends with CRLF
    assert catalogue["private-key-openssh"].path.suffix == ""  # as ssh-keygen names id_ed25519


# --- certificate entries: values recomputed from the file -------------------------------------


def test_values_match_the_file(catalogue: Catalogue) -> None:
    brussels = ZoneInfo("Europe/Brussels")
    checked = 0
    for entry in catalogue:
        if entry.values is None:
            continue
        certificate = read_certificate(entry.path)
        serial = certificate.serial_number
        assert entry.values.owner == escaped(only(certificate.subject, NameOID.COMMON_NAME)), entry.name
        assert entry.values.company == escaped(only(certificate.subject, NameOID.ORGANIZATION_NAME)), entry.name
        # cross-check with cryptography, one RDN at a time (it writes "," between RDNs, the contract ", ")
        rdns = reversed(list(certificate.issuer.rdns))
        issuer = ", ".join(x509.Name([rdn]).rfc4514_string() for rdn in rdns)
        assert entry.values.issuer == escaped(issuer), entry.name
        not_after = certificate.not_valid_after_utc
        assert entry.values.expiry == not_after.astimezone(brussels).strftime("%d/%m/%Y"), entry.name
        assert entry.expiry_utc == not_after.strftime("%Y-%m-%dT%H:%M:%SZ"), entry.name
        assert entry.values.serial_decimal == str(serial), entry.name
        assert entry.values.serial_hex == serial.to_bytes(max(1, -(-serial.bit_length() // 8)), "big").hex().upper()
        assert entry.sha256 == hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
        assert entry.signature_hash == signature_hash(certificate)
        assert entry.key_path is not None, entry.name
        key = serialization.load_pem_private_key(
            entry.key_path.read_bytes(), password=None, unsafe_skip_rsa_key_validation=True
        )  # speed
        assert entry.key_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----"), entry.name  # PKCS#8
        assert key.public_key().public_bytes(*SPKI) == certificate.public_key().public_bytes(*SPKI), entry.name
        assert entry.public_key_sha256 == hashlib.sha256(key.public_key().public_bytes(*SPKI)).hexdigest()
        checked += 1
    assert checked >= 25


def test_issuer_line_of_the_escaping_entry(catalogue: Catalogue) -> None:
    entry = catalogue["escaped-issuer"]
    assert shown(entry).issuer == (
        '1.2.840.113549.1.9.1=qa\\+fixture@example.test, CN=\\#1 \\"Fixture\\" \\<QA\\>\\; Dupont\\\\Jean '
        "\\+ Co\\, Ltd, OU=\\ QA team\\ , O=Fixture Logistics SRL, C=BE"
    )
    assert shown(entry).owner == '#1 "Fixture" <QA>; Dupont\\Jean + Co, Ltd'
    email_hex = b"qa+fixture@example.test".hex().upper()
    assert (entry.issuer_hex_form or "").startswith(f"1.2.840.113549.1.9.1=#1617{email_hex}, CN=")
    certificate = read_certificate(entry.path)
    assert certificate.issuer.rfc4514_string() == (
        '1.2.840.113549.1.9.1=qa\\+fixture@example.test,CN=\\#1 \\"Fixture\\" \\<QA\\>\\; Dupont\\\\Jean '
        "\\+ Co\\, Ltd,OU=\\ QA team\\ ,O=Fixture Logistics SRL,C=BE"
    )


def test_fixture_ca_has_the_seed_issuers_shape(catalogue: Catalogue, fixture_ca: x509.Certificate) -> None:
    assert [a.oid for a in fixture_ca.subject] == [NameOID.COUNTRY_NAME, NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME]
    assert fixture_ca.subject.rfc4514_string() == "CN=Fixture PersonalSign 3 CA - G2,O=Fixture Trust nv-sa,C=BE"
    assert shown(catalogue["valid-der"]).issuer == "CN=Fixture PersonalSign 3 CA - G2, O=Fixture Trust nv-sa, C=BE"
    assert fixture_ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert fixture_ca.not_valid_before_utc <= NOW <= fixture_ca.not_valid_after_utc


def test_accepted_certificates_pass_every_rule(catalogue: Catalogue, fixture_ca: x509.Certificate) -> None:
    for entry in catalogue.accepted():
        certificate = read_certificate(entry.path)
        key = certificate.public_key()
        assert certificate.not_valid_before_utc <= NOW <= certificate.not_valid_after_utc, entry.name  # CERT-4
        assert isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048, entry.name  # CERT-5
        assert signature_hash(certificate) not in ("sha1", "md5"), entry.name
        if certificate.issuer == certificate.subject:  # CERT-6, self-signed in the company's name
            assert signed_by(certificate, key), entry.name
            assert only(certificate.subject, NameOID.ORGANIZATION_NAME).strip().casefold() == COMPANY.casefold()
        else:
            assert certificate.issuer == fixture_ca.subject and signed_by(certificate, fixture_ca.public_key())
        assert entry.size <= 65536, entry.name  # CERT-2
        assert entry.key_path is not None and entry.key_path.is_file(), entry.name


def test_accepted_certificates_are_distinct_unless_said_otherwise(catalogue: Catalogue) -> None:
    """CERT-7 refuses a certificate registered twice: only the declared copies share one."""
    by_sha: dict[str, list[str]] = {}
    for entry in catalogue:
        if entry.sha256:
            by_sha.setdefault(entry.sha256, []).append(entry.name)
    for names in by_sha.values():
        originals = [n for n in names if catalogue[n].same_certificate_as is None]
        assert len(originals) == 1, names
        assert all(catalogue[n].same_certificate_as == originals[0] for n in names if n != originals[0])
    assert sorted(by_sha[catalogue["valid-der"].sha256 or ""]) == ["valid-der", "valid-der-as-pem", "valid-der-copy"]


def test_copies_hold_the_same_certificate(catalogue: Catalogue) -> None:
    original = read_certificate(catalogue["valid-der"].path)
    assert catalogue["valid-der-copy"].read_bytes() == catalogue["valid-der"].read_bytes()
    assert read_certificate(catalogue["valid-der-as-pem"].path) == original
    for name in ("valid-der-copy", "valid-der-as-pem"):
        entry = catalogue[name]
        assert entry.same_certificate_as == "valid-der" and entry.accepted and "CERT-7" in entry.rules
        assert entry.values == catalogue["valid-der"].values and entry.key_path == catalogue["valid-der"].key_path


def test_two_distinct_rsa_keys_for_two_clients(catalogue: Catalogue) -> None:
    first, second = catalogue["valid-der"], catalogue["valid-second-key"]
    assert first.key_type == second.key_type == "RSA 2048"
    assert first.public_key_sha256 != second.public_key_sha256
    first_key, second_key = first.private_key(), second.private_key()
    assert first_key is not None and second_key is not None
    assert first_key.public_key().public_bytes(*SPKI) != second_key.public_key().public_bytes(*SPKI)


def test_serials_and_brussels_days(catalogue: Catalogue) -> None:
    assert (shown(catalogue["serial-499"]).serial_decimal, shown(catalogue["serial-499"]).serial_hex) == ("499", "01F3")
    assert (shown(catalogue["serial-128"]).serial_decimal, shown(catalogue["serial-128"]).serial_hex) == ("128", "80")
    high = shown(catalogue["serial-high-bit"]).serial_hex
    assert len(high) == 32 and high[0] in "89ABCDEF"
    summer = read_certificate(catalogue["expiry-brussels-summer"].path).not_valid_after_utc
    assert (summer.hour, summer.minute) == (22, 30)
    assert shown(catalogue["expiry-brussels-summer"]).expiry == (summer + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    winter = read_certificate(catalogue["expiry-brussels-winter"].path).not_valid_after_utc
    assert (winter.hour, winter.minute) == (22, 30)
    assert shown(catalogue["expiry-brussels-winter"]).expiry == winter.strftime("%d/%m/%Y")
    # midnight in Brussels is 22:00 UTC in summer, 23:00 in winter: the day that starts then
    for name, hour in (("expiry-midnight-summer", 22), ("expiry-midnight-winter", 23)):
        midnight = read_certificate(catalogue[name].path).not_valid_after_utc
        assert (midnight.hour, midnight.minute, midnight.second) == (hour, 0, 0), name
        assert shown(catalogue[name]).expiry == (midnight + dt.timedelta(days=1)).strftime("%d/%m/%Y"), name


def test_the_bidi_owner_is_shown_as_hex_escapes(catalogue: Catalogue) -> None:
    entry = catalogue["bidi-owner"]
    held = only(read_certificate(entry.path).subject, NameOID.COMMON_NAME)
    assert "\u202e" in held and "\t" in held  # the case itself: an override and a control
    # worked out by hand from the UTF-8 octets of each character
    owner = (
        "Fixture Client bidi-owner \\E2\\80\\AEgnp.exe\\E2\\80\\AC\\E2\\80\\8B\\E2\\81\\A6\\09\\C2\\85"
        "\\E2\\81\\A9\\EF\\BB\\BF"
    )
    assert shown(entry).owner == owner
    assert shown(entry).issuer == f"CN={owner}, O={COMPANY}, C=BE"  # self-signed: the same name


def test_the_multi_valued_rdn_entry(catalogue: Catalogue) -> None:
    certificate = read_certificate(catalogue["multi-valued-rdn"].path)
    assert certificate.issuer == certificate.subject  # self-signed in the company's name
    rdns = list(certificate.issuer.rdns)
    assert [len(rdn) for rdn in rdns] == [1, 1, 2]
    assert {a.oid for a in rdns[2]} == {NameOID.COMMON_NAME, NameOID.SERIAL_NUMBER}
    owner = "Fixture Client multi-valued-rdn"
    assert shown(catalogue["multi-valued-rdn"]).owner == owner
    joined = {f"CN={owner}+2.5.4.5=0000000097", f"2.5.4.5=0000000097+CN={owner}"}
    issuer = shown(catalogue["multi-valued-rdn"]).issuer
    assert issuer.removesuffix(f", O={COMPANY}, C=BE") in joined


def test_the_nfd_entry_holds_the_company_name_decomposed(catalogue: Catalogue) -> None:
    accented = "Société Générale Fixture SRL"
    entry = catalogue.fresh("self-signed-company-nfd", company=accented)
    held = only(read_certificate(entry.path).subject, NameOID.ORGANIZATION_NAME)
    assert held != accented and held == unicodedata.normalize("NFD", accented)
    assert "e\u0301" in held and entry.accepted  # an "e" and a combining acute accent
    assert shown(entry).company == held  # shown as the certificate holds it
    # without an accent in the company's name, NFD changes nothing
    assert shown(catalogue["self-signed-company-nfd"]).company == COMPANY


# --- refused entries are of the kind they claim ------------------------------------------------


def _cert(catalogue: Catalogue, name: str) -> x509.Certificate:
    return read_certificate(catalogue[name].path)


def check_cert4(catalogue: Catalogue, name: str, ca: x509.Certificate) -> None:
    certificate = _cert(catalogue, name)
    assert certificate.issuer == ca.subject and signed_by(certificate, ca.public_key())
    if name == "expired":
        assert certificate.not_valid_after_utc < NOW - dt.timedelta(hours=23)
    elif name == "not-yet-valid-soon":  # 30 minutes after it was made, which was after NOW
        not_before = certificate.not_valid_before_utc
        assert NOW + dt.timedelta(minutes=29) < not_before <= dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    else:
        assert certificate.not_valid_before_utc > NOW + dt.timedelta(hours=23)


def check_cert5(catalogue: Catalogue, name: str, ca: x509.Certificate) -> None:
    certificate = _cert(catalogue, name)
    key = certificate.public_key()
    assert certificate.issuer == ca.subject
    assert certificate.not_valid_before_utc <= NOW <= certificate.not_valid_after_utc
    expected = {
        "rsa-1024": lambda: isinstance(key, rsa.RSAPublicKey) and key.key_size == 1024,
        "rsa-2047": lambda: isinstance(key, rsa.RSAPublicKey) and key.key_size == 2047,
        "ec-p256": lambda: isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1",
        "ed25519": lambda: isinstance(key, ed25519.Ed25519PublicKey),
        "sha1-signature": lambda: isinstance(certificate.signature_hash_algorithm, hashes.SHA1),
        "md5-signature": lambda: isinstance(certificate.signature_hash_algorithm, hashes.MD5),
    }[name]
    assert expected()
    assert signed_by(certificate, ca.public_key())  # a real signature, weak hashes included


def check_cert6(catalogue: Catalogue, name: str, ca: x509.Certificate, untrusted: x509.Certificate) -> None:
    certificate = _cert(catalogue, name)
    assert not signed_by(certificate, ca.public_key())
    if name == "self-signed-other-name":
        assert certificate.issuer == certificate.subject and signed_by(certificate, certificate.public_key())
        assert only(certificate.subject, NameOID.ORGANIZATION_NAME).casefold() != COMPANY.casefold()
    elif name == "untrusted-issuer":
        assert certificate.issuer == untrusted.subject != ca.subject and signed_by(certificate, untrusted.public_key())
    else:  # impostor: the trusted CA's name, another key
        assert certificate.issuer == ca.subject and signed_by(certificate, untrusted.public_key())


def check_cert2(catalogue: Catalogue, name: str) -> None:
    data = catalogue[name].read_bytes()
    if name == "empty":
        assert data == b""
    elif name == "several-certificates":
        assert len(x509.load_pem_x509_certificates(data)) == 2
    elif name.startswith("several-"):  # valid-der's PEM certificate first, then the CA's in another form
        leaf, ca = _cert(catalogue, "valid-der"), x509.load_pem_x509_certificate(catalogue.fixture_ca_path.read_bytes())
        end = b"-----END CERTIFICATE-----\n"
        assert data.startswith(b"-----BEGIN CERTIFICATE-----\n") and data.count(end) == 1
        first, rest = data[: data.index(end) + len(end)], data[data.index(end) + len(end) :]
        assert x509.load_pem_x509_certificate(first) == leaf
        if name == "several-der-after-pem":
            assert x509.load_der_x509_certificate(rest) == ca
        elif name == "several-pkcs7":
            assert rest.startswith(b"-----BEGIN PKCS7-----") and pkcs7.load_pem_pkcs7_certificates(rest) == [ca]
        else:
            label = b"TRUSTED CERTIFICATE-----"
            assert rest.startswith(b"-----BEGIN " + label) and rest.rstrip().endswith(b"-----END " + label)
            trusted = base64.b64decode(b"".join(rest.splitlines()[1:-1]))
            ca_der = ca.public_bytes(serialization.Encoding.DER)
            assert trusted.startswith(ca_der) and trusted[len(ca_der) :] == bytes.fromhex(
                "300c300a06082b06010505070302"
            )
    elif name == "oversized":
        assert len(data) > 65536 and len(data) == 65 * 1024 + 1
        assert read_certificate(catalogue[name].path).not_valid_after_utc > NOW  # nothing wrong but the size
    else:  # garbage, corrupt-pem: neither DER nor PEM
        with pytest.raises(ValueError):
            x509.load_der_x509_certificate(data)
        with pytest.raises(ValueError):
            x509.load_pem_x509_certificate(data)
        assert (b"-----BEGIN CERTIFICATE-----" in data) == (name == "corrupt-pem")


def check_cert3(catalogue: Catalogue, name: str) -> None:
    entry = catalogue[name]
    data = entry.read_bytes()
    password = entry.password.encode() if entry.password else None
    if name.startswith("pkcs12"):
        if name == "pkcs12-ber-base64":
            data = base64.b64decode(data)
        if name != "pkcs12":  # BER: a SEQUENCE of indefinite length, closed by an end-of-contents
            assert data[:2] == b"\x30\x80" and data.endswith(b"\x00\x00")
        bundle = pkcs12.load_pkcs12(data, password)
        assert bundle.key is not None and bundle.cert is not None
        assert bundle.cert.certificate == _cert(catalogue, "valid-der")
        return
    if name == "private-key-openssh":  # OpenSSH's own format, which ssh-keygen writes
        assert data.startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----")
        key = serialization.load_ssh_private_key(data, password=None)
        assert key.public_key() == _cert(catalogue, "ed25519").public_key()
        return
    marker = {
        "private-key-pkcs8": b"-----BEGIN PRIVATE KEY-----",
        "private-key-rsa": b"-----BEGIN RSA PRIVATE KEY-----",
        "private-key-encrypted": b"-----BEGIN ENCRYPTED PRIVATE KEY-----",
        "private-key-ec": b"-----BEGIN EC PRIVATE KEY-----",
        "certificate-with-key": b"-----BEGIN PRIVATE KEY-----",
    }[name]
    assert marker in data
    assert serialization.load_pem_private_key(data, password=password) is not None
    if name == "private-key-encrypted":
        with pytest.raises(TypeError):
            serialization.load_pem_private_key(data, password=None)
    if name == "certificate-with-key":
        assert x509.load_pem_x509_certificate(data) == _cert(catalogue, "valid-der")


# cryptography reads the BER entries, with a warning that it fell back from DER
@pytest.mark.filterwarnings("ignore:PKCS#12 bundle could not be parsed as DER")
def test_refused_entries_are_what_they_claim(catalogue: Catalogue, fixture_ca, untrusted_ca) -> None:
    for entry in catalogue.refused():
        rule = entry.refused_by
        if rule == "CERT-2":
            check_cert2(catalogue, entry.name)
        elif rule == "CERT-3":
            check_cert3(catalogue, entry.name)
        elif rule == "CERT-4":
            check_cert4(catalogue, entry.name, fixture_ca)
        elif rule == "CERT-5":
            check_cert5(catalogue, entry.name, fixture_ca)
        elif rule == "CERT-6":
            check_cert6(catalogue, entry.name, fixture_ca, untrusted_ca)
        else:
            pytest.fail(f"{entry.name}: no check for {rule}")


def test_padded_file_is_exactly_64_kib(catalogue: Catalogue) -> None:
    entry = catalogue["padded-64kib"]
    assert entry.accepted and len(entry.read_bytes()) == 65536
    assert read_certificate(entry.path).serial_number == int(shown(entry).serial_decimal)


# --- generation --------------------------------------------------------------------------------


def test_default_dates_relative_to_the_reference(tmp_path: Path) -> None:
    reference = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    catalogue = generate(tmp_path, seed=1, reference_time=reference)
    certificate = read_certificate(catalogue["valid-der"].path)
    assert certificate.not_valid_before_utc == reference - dt.timedelta(days=30)
    assert certificate.not_valid_after_utc == reference + dt.timedelta(days=730)
    assert catalogue.reference_time == reference


def test_default_reference_is_the_start_of_the_utc_day(catalogue: Catalogue) -> None:
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    assert catalogue.reference_time in (today, today - dt.timedelta(days=1))  # the run may cross midnight


def test_same_seed_same_bytes_within_a_process(tmp_path: Path) -> None:
    reference = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    first = generate(tmp_path / "a", seed=5, reference_time=reference)
    second = generate(tmp_path / "b", seed=5, reference_time=reference)
    other = generate(tmp_path / "c", seed=6, reference_time=reference)
    # random salts, OpenSSH's random check number, and dates counted from the moment of making
    varying = {"private-key-encrypted", "private-key-openssh", "not-yet-valid-soon"}
    for entry in first:
        if entry.name not in varying and not entry.name.startswith("pkcs12"):
            assert entry.read_bytes() == second[entry.name].read_bytes(), entry.name
    assert shown(first["valid-der"]).serial_decimal != shown(other["valid-der"]).serial_decimal
    assert first["garbage"].read_bytes() != other["garbage"].read_bytes()
    assert shown(first["serial-499"]).serial_hex == shown(other["serial-499"]).serial_hex == "01F3"


def test_company_and_enterprise_number(tmp_path: Path) -> None:
    first8 = "01234567"  # a made-up enterprise number: 0123.456.7xx with its mod-97 check digits
    number = first8 + f"{97 - int(first8) % 97:02d}"
    dotted = f"{number[:4]}.{number[4:7]}.{number[7:]}"
    catalogue = generate(tmp_path, company="ACME, Boulons + Fils", enterprise_number=dotted, seed=2)
    certificate = read_certificate(catalogue["valid-der"].path)
    assert only(certificate.subject, NameOID.SERIAL_NUMBER) == number
    assert shown(catalogue["valid-der"]).company == "ACME, Boulons + Fils"
    assert shown(catalogue["self-signed-company"]).issuer == (
        f"2.5.4.5={number}, CN=Fixture Client self-signed-company, O=ACME\\, Boulons \\+ Fils, C=BE"
    )
    assert shown(catalogue["self-signed-company-upper"]).company == "ACME, BOULONS + FILS"
    assert catalogue.enterprise_number == number
    with pytest.raises(ValueError, match="enterprise number"):
        normalise_enterprise_number(number[:-1] + str((int(number[-1]) + 1) % 10))
    with pytest.raises(ValueError):
        generate(tmp_path / "x", company="  ")


def test_keys_come_from_the_pool_given(tmp_path: Path) -> None:
    """A cold pool (bench/bench_certs.py measures how long that takes) gets one key per kind asked."""
    pool = KeyPool()
    generate(tmp_path, seed=3, pool=pool)
    assert (KeyType.RSA_2048, "") in pool and (KeyType.RSA_2048, "second") in pool
    assert (KeyType.RSA_2048, "fixture-ca") in pool and (KeyType.RSA_2048, "untrusted-ca") in pool
    assert {(KeyType.RSA_1024, ""), (KeyType.RSA_2047, ""), (KeyType.EC_P256, ""), (KeyType.ED25519, "")} <= {
        w for w in [(t, "") for t in KeyType] if w in pool
    }
    assert len(pool) == 8


# --- fresh certificates ------------------------------------------------------------------------


def test_fresh_certificate_is_new_but_alike(catalogue: Catalogue, fixture_ca: x509.Certificate) -> None:
    original = catalogue["valid-der"]
    fresh = catalogue.fresh("valid-der")
    assert fresh.sha256 != original.sha256 and fresh.path.parent == catalogue.directory / "fresh"
    assert fresh.expected == original.expected and fresh.public_key_sha256 == original.public_key_sha256
    certificate = read_certificate(fresh.path)
    assert signed_by(certificate, fixture_ca.public_key()) and shown(fresh).issuer == shown(original).issuer
    assert catalogue.fresh("valid-der").sha256 != fresh.sha256


def test_fresh_dates_a_clocked_certificate_from_now(catalogue: Catalogue) -> None:
    """A certificate valid in half an hour is issued when it is needed: the catalogue's own copy
    is only so until 30 minutes after the catalogue was made."""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    fresh = catalogue.fresh("not-yet-valid-soon")
    not_before = read_certificate(fresh.path).not_valid_before_utc
    assert before + dt.timedelta(minutes=30) <= not_before <= dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    assert fresh.refused_by == "CERT-4" and fresh.not_before_utc == not_before.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_fresh_keeps_a_fixed_serial_and_takes_a_company(catalogue: Catalogue) -> None:
    fresh = catalogue.fresh("serial-499")
    assert shown(fresh).serial_hex == "01F3" and fresh.sha256 != catalogue["serial-499"].sha256
    own = catalogue.fresh("self-signed-company", company="Employeur 42 SRL")
    certificate = read_certificate(own.path)
    assert shown(own).company == "Employeur 42 SRL" and certificate.issuer == certificate.subject
    impostor = catalogue.fresh("impostor-issuer")
    assert shown(impostor).issuer == shown(catalogue["valid-der"]).issuer
    with pytest.raises(ValueError, match="certificate entries only"):
        catalogue.fresh("garbage")
    with pytest.raises(KeyError, match="no catalogue entry"):
        catalogue["nope"]


def test_authority_issues_more_trusted_certificates(catalogue: Catalogue, fixture_ca: x509.Certificate) -> None:
    leaf = catalogue.authority().issue("Extra", "Extra SA")
    assert signed_by(leaf.certificate, fixture_ca.public_key())
    assert leaf.values.issuer == "CN=Fixture PersonalSign 3 CA - G2, O=Fixture Trust nv-sa, C=BE"


# --- the fixture CA: given, found, kept ----------------------------------------------------------


def test_ca_key_signs_under_the_fixture_name(tmp_path: Path, catalogue: Catalogue, fixture_ca) -> None:
    """A target file names only the key of the CA its portal trusts: leaves must verify with that CA."""
    key = serialization.load_pem_private_key((catalogue.directory / "fixture-ca.key.pem").read_bytes(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    other = generate(tmp_path, seed=8, ca_key=key)
    for name in ("valid-der", "serial-499", "unicode-owner"):
        leaf = read_certificate(other[name].path)
        assert leaf.issuer == fixture_ca.subject and signed_by(leaf, fixture_ca.public_key()), name
    assert other.ca_origin == "given"
    assert read_certificate(other.fixture_ca_path).public_key().public_bytes(
        *SPKI
    ) == fixture_ca.public_key().public_bytes(*SPKI)


def test_ca_given_is_copied_as_is(tmp_path: Path, catalogue: Catalogue) -> None:
    other = generate(tmp_path, seed=9, ca=catalogue.authority())
    assert other.fixture_ca_path.read_bytes() == catalogue.fixture_ca_path.read_bytes()
    assert (tmp_path / "fixture-ca.key.pem").read_bytes() == (catalogue.directory / "fixture-ca.key.pem").read_bytes()
    with pytest.raises(ValueError, match="at most one"):
        generate(tmp_path, ca=catalogue.authority(), new_ca=True)
    assert generate(tmp_path, seed=10, ca=catalogue.authority()).ca_origin == "given"  # the same CA again
    another = generate(tmp_path / "another", seed=1, new_ca=True)
    with pytest.raises(ValueError, match="holds another fixture CA"):
        generate(tmp_path, ca=another.authority())
    with pytest.raises(ValueError, match="holds another fixture CA"):
        generate(tmp_path, ca_key=another.authority().key)
    assert other.fixture_ca_path.read_bytes() == catalogue.fixture_ca_path.read_bytes()  # still the first one


def test_a_found_ca_must_cover_the_reference_time(tmp_path: Path) -> None:
    generate(tmp_path, seed=1, reference_time=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))  # CA: 2029–2040
    kept = generate(tmp_path, seed=1, reference_time=dt.datetime(2039, 1, 1, tzinfo=dt.UTC))
    assert kept.ca_origin == "found"
    with pytest.raises(ValueError, match="valid from .* not at 2041"):
        generate(tmp_path, seed=1, reference_time=dt.datetime(2041, 1, 1, tzinfo=dt.UTC))
    replaced = generate(tmp_path, seed=1, reference_time=dt.datetime(2041, 1, 1, tzinfo=dt.UTC), new_ca=True)
    assert replaced.ca_origin == "new"

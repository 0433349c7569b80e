"""The classifier (``certs.verdict.judge``) and ``certs check``: what the contract expects of a file.

The catalogue's declared expectations (its manifest, written by hand in ``certs.variants``) are
the reference here: the classifier and the command must answer exactly that for every entry.
Other cases are worked out by hand from the contract's words (CERT-2..6).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from certs import Authority, KeyType, Outcome, generate, judge, self_signed
from certs.authority import UNTRUSTED_CA_NAME
from certs.catalogue import VARIANTS, Catalogue
from certs.encode import padded_pem
from certs.keys import DEFAULT_POOL
from tests.unit.test_certs_cli import run_main

COMPANY = "Fixture Logistics SRL"
UTC = dt.UTC


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return generate(tmp_path_factory.mktemp("check"), company=COMPANY, seed=99)


@pytest.fixture(scope="module")
def manifest(catalogue: Catalogue) -> dict[str, dict]:
    """The manifest's records by name, read as plain JSON."""
    return {r["name"]: r for r in json.loads(catalogue.manifest_path.read_text(encoding="utf-8"))["entries"]}


# --- the classifier and the manifest --------------------------------------------------------


def test_the_classifier_agrees_with_every_declared_expectation(catalogue: Catalogue, manifest) -> None:
    trusted = [x509.load_pem_x509_certificate(catalogue.fixture_ca_path.read_bytes())]
    declared = {v.name: v.expected for v in VARIANTS}
    for entry in catalogue:
        verdict = judge(entry.read_bytes(), trusted=trusted, company=COMPANY)  # now: the catalogue is today's
        assert verdict.outcome.as_manifest() == manifest[entry.name]["expected"], (entry.name, verdict.reason)
        assert verdict.outcome is declared[entry.name], entry.name
    assert len(manifest) == len(VARIANTS)


@pytest.mark.parametrize("name", [v.name for v in VARIANTS])
def test_check_answers_what_the_manifest_expects(name: str, catalogue: Catalogue, manifest, capsys) -> None:
    record = manifest[name]
    path = catalogue[name].path
    accepted = record["expected"] == "accept"
    code, stdout, stderr = run_main(
        capsys, "check", "--json", str(path), "--trust", str(catalogue.fixture_ca_path), "--company", COMPANY
    )
    answer = json.loads(stdout)
    assert (code, stderr) == (0 if accepted else 1, "")
    if accepted:
        assert (answer["outcome"], answer["rule"], answer["not_judged"]) == ("accept", None, ["CERT-7"])
        assert answer["values"] == record["values"]  # CONFIRM-2, as the manifest records them
    else:
        assert (answer["outcome"], answer["rule"], answer["values"]) == ("refuse", record["expected"]["refuse"], None)
    # Beside its manifest, the catalogue's CA and company are the defaults; the text names the outcome first.
    code, stdout, _ = run_main(capsys, "check", str(path))
    first = stdout.splitlines()[0]
    assert code == (0 if accepted else 1)
    assert first.startswith("accept: " if accepted else f"refuse {record['expected']['refuse']}: "), first


def test_check_prints_the_confirmation_values(catalogue: Catalogue, manifest, capsys) -> None:
    values = manifest["serial-499"]["values"]
    code, stdout, _ = run_main(capsys, "check", str(catalogue["serial-499"].path), "--language", "nl")
    lines = stdout.splitlines()
    assert code == 0 and lines[0] == (
        "accept: issued by the trusted CA CN=Fixture PersonalSign 3 CA - G2, O=Fixture Trust nv-sa, C=BE"
    )
    assert f"  Eigenaar van het certificaat : {values['owner']}" in lines
    assert "  Serienummer (decimaal formaat) : 499" in lines and "  Serienummer (hexadecimaal formaat) : 01F3" in lines
    assert f"  Vervaldatum : {values['expiry']}" in lines
    assert any(line.startswith("not judged: CERT-7") for line in lines)


def test_check_of_a_fresh_certificate_finds_the_catalogue(catalogue: Catalogue, capsys) -> None:
    fresh = catalogue.fresh("self-signed-company")
    code, stdout, _ = run_main(capsys, "check", str(fresh.path))
    assert code == 0 and stdout.startswith("accept: self-signed in the company's name")
    code, stdout, _ = run_main(capsys, "check", str(fresh.path), "--company", "Another SA")
    assert code == 1 and stdout.startswith("refuse CERT-6: self-signed in the name of")


def test_check_without_a_catalogue_trusts_nobody(tmp_path: Path, catalogue: Catalogue, capsys) -> None:
    lonely = tmp_path / "valid.cer"
    lonely.write_bytes(catalogue["valid-der"].read_bytes())
    code, stdout, _ = run_main(capsys, "check", str(lonely))
    assert code == 1 and stdout.startswith("refuse CERT-6: ") and "no CA is trusted" in stdout
    code, stdout, _ = run_main(capsys, "check", str(lonely), "--trust", str(catalogue.fixture_ca_path))
    assert code == 0
    code, stdout, _ = run_main(
        capsys, "check", str(lonely), "--trust", str(catalogue.fixture_ca_path), "--at", "2100-01-01"
    )
    assert code == 1 and stdout.startswith("refuse CERT-4: expired")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["check"], "FILE"),
        (["check", "{tmp}/missing.cer"], "cannot read"),
        (["check", "{valid}", "--trust", "{tmp}/missing.pem"], "--trust"),
        (["check", "{valid}", "--trust", "{valid}"], "not a PEM file of CA certificates"),
        (["check", "{valid}", "--at", "soon"], "not an ISO 8601"),
    ],
)
def test_check_usage_errors(argv: list[str], message: str, tmp_path: Path, catalogue: Catalogue, capsys) -> None:
    argv = [a.format(tmp=tmp_path, valid=catalogue["valid-der"].path) for a in argv]
    code, stdout, stderr = run_main(capsys, *argv)
    assert (code, stdout) == (2, "") and message in stderr and len(stderr.strip().splitlines()) == 1


# --- the classifier, case by case -------------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> Authority:
    return Authority.create(reference_time=dt.datetime(2030, 1, 1, tzinfo=UTC))


AT = dt.datetime(2030, 6, 1, 12, tzinfo=UTC)


def _leaf(ca: Authority, **options) -> bytes:
    return ca.issue("Owner", COMPANY, reference_time=dt.datetime(2030, 1, 1, tzinfo=UTC), **options).der


def test_size_limit_is_64_kib_inclusive(ca: Authority) -> None:
    certificate = x509.load_der_x509_certificate(_leaf(ca))
    at_limit, over = padded_pem(certificate, 65536), padded_pem(certificate, 65537)
    assert judge(at_limit, trusted=[ca.certificate], now=AT).outcome is Outcome.ACCEPT
    assert judge(over, trusted=[ca.certificate], now=AT).outcome is Outcome.refuse("CERT-2")


def test_dates_are_judged_at_the_time_given(ca: Authority) -> None:
    leaf = _leaf(ca)  # valid from 2029-12-02 to 2032-01-01, 00:00 UTC
    assert judge(leaf, trusted=[ca.certificate], now=AT).outcome is Outcome.ACCEPT
    early = judge(leaf, trusted=[ca.certificate], now=dt.datetime(2029, 12, 1, tzinfo=UTC))
    late = judge(leaf, trusted=[ca.certificate], now=dt.datetime(2032, 1, 1, 0, 0, 1, tzinfo=UTC))
    assert early.outcome is late.outcome is Outcome.REFUSE_CERT_4
    assert early.reason.startswith("not yet valid") and late.reason.startswith("expired")


def test_dates_are_judged_to_the_second(ca: Authority) -> None:
    """CERT-4: notBefore in the future, however near, is not yet valid; notBefore now is valid."""
    not_before, not_after = dt.datetime(2030, 6, 1, 12, 30, tzinfo=UTC), dt.datetime(2031, 6, 1, tzinfo=UTC)
    leaf = _leaf(ca, not_before=not_before, not_after=not_after)
    second = dt.timedelta(seconds=1)
    for now, outcome in [
        (not_before - dt.timedelta(minutes=30), Outcome.REFUSE_CERT_4),  # valid in half an hour
        (not_before - second, Outcome.REFUSE_CERT_4),
        (not_before, Outcome.ACCEPT),
        (not_after, Outcome.ACCEPT),
        (not_after + second, Outcome.REFUSE_CERT_4),
    ]:
        assert judge(leaf, trusted=[ca.certificate], now=now).outcome is outcome, now


def test_pem_with_windows_line_endings_is_one_certificate(ca: Authority) -> None:
    """CERT-1: CRLF line endings (a Base64 .cer exported on Windows) are PEM all the same."""
    certificate = x509.load_der_x509_certificate(_leaf(ca))
    crlf = certificate.public_bytes(serialization.Encoding.PEM).replace(b"\n", b"\r\n")
    assert b"\r\n" in crlf
    verdict = judge(crlf, trusted=[ca.certificate], now=AT)
    assert verdict.outcome is Outcome.ACCEPT and verdict.certificate == certificate


def test_an_issuer_with_a_multi_valued_rdn_is_joined_with_plus() -> None:
    name = x509.Name(
        [
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COUNTRY_NAME, "BE")]),
            x509.RelativeDistinguishedName(
                [x509.NameAttribute(NameOID.COMMON_NAME, "Multi CA"), x509.NameAttribute(NameOID.SERIAL_NUMBER, "7")]
            ),
        ]
    )
    multi = Authority.create(name, reference_time=dt.datetime(2030, 1, 1, tzinfo=UTC))
    verdict = judge(multi.issue("Owner", COMPANY, reference_time=AT).der, trusted=[multi.certificate], now=AT)
    assert verdict.outcome is Outcome.ACCEPT and verdict.values is not None
    # DER sorts a SET OF by its encodings: serialNumber (2.5.4.5) before CN here
    assert verdict.values.issuer == "2.5.4.5=7+CN=Multi CA, C=BE"


def test_the_first_broken_rule_refuses(ca: Authority) -> None:
    other = Authority.create(UNTRUSTED_CA_NAME, key=DEFAULT_POOL.get(KeyType.RSA_2048, "another"))  # not trusted
    weak_and_untrusted = other.issue("Owner", COMPANY, hash="sha1", reference_time=AT).der  # CERT-5 and CERT-6
    verdict = judge(weak_and_untrusted, trusted=[ca.certificate], now=AT)
    assert verdict.outcome is Outcome.REFUSE_CERT_5 and "SHA1" in verdict.reason
    untrusted = judge(
        other.issue("Owner", COMPANY, hash="sha512", reference_time=AT).der, trusted=[ca.certificate], now=AT
    )
    assert untrusted.outcome is Outcome.REFUSE_CERT_6 and "not a trusted CA" in untrusted.reason
    assert judge(_leaf(ca, hash="sha512"), trusted=[ca.certificate], now=AT).outcome is Outcome.ACCEPT


def test_self_signed_needs_the_company_name_ignoring_case_and_spaces() -> None:
    leaf = self_signed("Owner", f"  {COMPANY.upper()} ", reference_time=AT).der
    assert judge(leaf, company=COMPANY.lower(), now=AT).outcome is Outcome.ACCEPT
    assert judge(leaf, company="Fixture Logistics", now=AT).outcome is Outcome.REFUSE_CERT_6
    unknown = judge(leaf, now=AT)
    assert unknown.outcome is Outcome.REFUSE_CERT_6 and "no company is known" in unknown.reason
    assert unknown.values is None


@pytest.mark.parametrize(
    "organization, company",
    [
        ("Socie\u0301te\u0301 Ge\u0301ne\u0301rale SA", "Société Générale SA"),  # NFD in the certificate
        ("Société Générale SA", "Socie\u0301te\u0301 Ge\u0301ne\u0301rale SA"),  # NFD in the company's name
        ("  SOCIE\u0301TE\u0301 GE\u0301NE\u0301RALE SA ", "société générale sa"),  # and case and spaces
    ],
)
def test_self_signed_company_name_is_compared_in_nfc(organization: str, company: str) -> None:
    leaf = self_signed("Owner", organization, reference_time=AT).der
    assert judge(leaf, company=company, now=AT).outcome is Outcome.ACCEPT
    assert (
        judge(leaf, company="Societe Generale SA", now=AT).outcome is Outcome.REFUSE_CERT_6
    )  # no accent: another name


def test_check_prints_unseen_characters_escaped(ca: Authority, tmp_path: Path, capsys) -> None:
    """CONFIRM-3's values, and the reason's issuer: a terminal reorders text as a page does."""
    leaf = self_signed("Jan \u202egnp.exe", COMPANY, reference_time=AT)
    path = tmp_path / "bidi.cer"
    path.write_bytes(leaf.der)
    code, stdout, _ = run_main(capsys, "check", str(path), "--company", COMPANY, "--at", "2030-06-01")
    assert code == 0 and "\u202e" not in stdout
    assert "  Propriétaire du certificat : Jan \\E2\\80\\AEgnp.exe" in stdout.splitlines()


def test_values_of_an_accepted_certificate(ca: Authority) -> None:
    verdict = judge(_leaf(ca, serial=128), trusted=[ca.certificate], now=AT)
    assert verdict.values is not None
    assert (verdict.values.owner, verdict.values.company, verdict.values.serial_hex) == ("Owner", COMPANY, "80")
    assert verdict.values.issuer == "CN=Fixture PersonalSign 3 CA - G2, O=Fixture Trust nv-sa, C=BE"


def test_private_keys_in_any_form_are_cert_3(ca: Authority) -> None:
    key = ca.key
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    encrypted_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"pw")
    )
    openssh = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    assert openssh.startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----")
    for data in (der, encrypted_der, ca.key_pem, openssh):
        assert judge(data, now=AT).outcome is Outcome.REFUSE_CERT_3


def test_outcome_forms() -> None:
    assert Outcome.refuse("CERT-5") is Outcome.REFUSE_CERT_5 and Outcome.REFUSE_CERT_5.rule == "CERT-5"
    assert Outcome.ACCEPT.accepted and Outcome.ACCEPT.rule is None and not Outcome.REFUSE_CERT_2.accepted
    for outcome in Outcome:
        assert Outcome.from_manifest(json.loads(json.dumps(outcome.as_manifest()))) is outcome
    assert Outcome.REFUSE_CERT_3.as_manifest() == {"refuse": "CERT-3"} and Outcome.ACCEPT.as_manifest() == "accept"
    with pytest.raises(ValueError, match="CERT-7"):
        Outcome.refuse("CERT-7")  # depends on the portal's state, never on the file
    with pytest.raises(ValueError):
        Outcome.from_manifest({"refuse": "CERT-2", "also": 1})


def test_generate_refuses_a_company_that_breaks_a_declaration(tmp_path: Path) -> None:
    """With this company name, "self-signed in another company's name" would be accepted."""
    with pytest.raises(ValueError, match="self-signed-other-name"):
        generate(tmp_path, company="other company sa", seed=1)

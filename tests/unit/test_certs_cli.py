"""``python -m certs`` / ``channel-certs``: generate (and its fixture CA), show, and one-line errors
with exit code 2 (never a traceback). ``check`` and ``token`` have test files of their own."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tomllib
from importlib import import_module, metadata
from pathlib import Path

import pytest
from cryptography import x509

from certs.catalogue import Catalogue
from certs.cli import main  # what ``python -m certs`` runs
from tests.unit.test_certs_catalogue import shown

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("cli") / "catalogue"
    assert main(["generate", "--out", str(directory), "--seed", "42", "--company", "Fixture Logistics SRL"]) == 0
    return directory


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout, stderr of ``main(argv)``; argparse's exits count as exit codes."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_generate_writes_manifest_and_trust_file(out: Path) -> None:
    catalogue = Catalogue.load(out / "manifest.json")
    assert (out / "fixture-ca.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    assert catalogue.seed == 42 and catalogue.company == "Fixture Logistics SRL"
    assert all(entry.path.is_file() for entry in catalogue)


def test_generate_reports_what_it_wrote(tmp_path: Path, capsys) -> None:
    code, stdout, stderr = run_main(
        capsys, "generate", "--out", str(tmp_path), "--seed", "1", "--reference-time", "2030-01-01"
    )
    assert code == 0 and stderr == ""
    assert " entries (" in stdout and "accepted" in stdout
    assert str(tmp_path / "manifest.json") in stdout and str(tmp_path / "fixture-ca.pem") in stdout
    assert json.loads((tmp_path / "manifest.json").read_text())["reference_time"] == "2030-01-01T00:00:00Z"


def _read(path: Path) -> x509.Certificate:
    data = path.read_bytes()
    return x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)


def test_show_prints_french_labels_the_manifest_values_and_more(out: Path, capsys) -> None:
    entry = Catalogue.load(out)["serial-499"]
    values = shown(entry)
    certificate = _read(entry.path)
    fingerprint = hashlib.sha256(entry.path.read_bytes()).hexdigest().upper()  # a DER file: its own bytes
    code, stdout, stderr = run_main(capsys, "show", str(entry.path))
    assert code == 0 and stderr == ""
    assert stdout.splitlines() == [
        f"Propriétaire du certificat : {values.owner}",
        f"Nom de l'entreprise : {values.company}",
        "Fournisseur du certificat : CN=Fixture PersonalSign 3 CA - G2, O=Fixture Trust nv-sa, C=BE",
        f"Date d'expiration : {values.expiry}",
        "Numéro de série (format décimal) : 499",
        "Numéro de série (format hexadécimal) : 01F3",
        f"notBefore (UTC) : {certificate.not_valid_before_utc.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"notAfter (UTC) : {certificate.not_valid_after_utc.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Key : RSA, 2048 bits",
        "Signature algorithm : sha256WithRSAEncryption",
        "SHA-256 fingerprint : " + ":".join(fingerprint[i : i + 2] for i in range(0, 64, 2)),
    ]


@pytest.mark.parametrize(
    "name, key, signature",
    [
        ("ec-p256", "EC secp256r1, 256 bits", "sha256WithRSAEncryption"),  # an EC key, signed by the RSA CA
        ("rsa-2047", "RSA, 2047 bits", "sha256WithRSAEncryption"),
        ("md5-signature", "RSA, 2048 bits", "md5WithRSAEncryption"),
        ("sha1-signature", "RSA, 2048 bits", "sha1WithRSAEncryption"),
    ],
)
def test_show_names_the_key_and_the_signature(name: str, key: str, signature: str, out: Path, capsys) -> None:
    code, stdout, _ = run_main(capsys, "show", "--json", str(out / f"{name}.cer"))
    shown = json.loads(stdout)
    assert code == 0 and (shown["key"], shown["signature_algorithm"]) == (key, signature)


def test_show_reads_pem_other_languages_and_json(out: Path, capsys) -> None:
    catalogue = Catalogue.load(out)
    code, stdout, _ = run_main(capsys, "show", str(catalogue["valid-pem"].path), "--language", "de")
    assert code == 0 and stdout.splitlines()[0] == f"Inhaber des Zertifikats : {shown(catalogue['valid-pem']).owner}"
    entry = catalogue["valid-der"]
    certificate = _read(entry.path)
    code, stdout, _ = run_main(capsys, "show", "--json", str(entry.path))
    assert code == 0 and json.loads(stdout) == {
        **shown(entry).as_dict(),
        "not_before": certificate.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "not_after": certificate.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "key": "RSA, 2048 bits",
        "signature_algorithm": "sha256WithRSAEncryption",
        "sha256": hashlib.sha256(entry.path.read_bytes()).hexdigest(),
    }


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "required"),
        (["frobnicate"], "invalid choice"),
        (["generate"], "--out"),
        (["generate", "--out", "x", "--seed", "abc"], "invalid int value"),
        (["generate", "--out", "x", "--reference-time", "yesterday"], "not an ISO 8601"),
        (
            ["generate", "--out", "{tmp}", "--enterprise-number", "0123.456.789"],
            "not a valid Belgian enterprise number",
        ),
        (["generate", "--out", "{tmp}", "--company", " "], "company"),
        (["generate", "--out", "{file}"], "cannot write"),
        (["show"], "FILE"),
        (["show", "{tmp}/missing.cer"], "cannot read"),
        (["show", "{tmp}"], "cannot read"),
        (["show", "{out}/garbage.cer"], "neither a DER nor a PEM"),
        (["show", "{out}/empty.cer"], "empty"),
        (["show", "{out}/private-key-pkcs8.pem"], "private key"),
        (["show", "{out}/pkcs12.p12"], "PKCS#12"),
        (["show", "{out}/several-certificates.pem"], "2 certificates"),
        (["show", "--language", "en", "{out}/valid-der.cer"], "invalid choice"),
        (["generate", "--out", "{tmp}", "--ca", "{tmp}/x", "--new-ca"], "not allowed with"),
        (["generate", "--out", "{tmp}", "--ca", "{tmp}"], "--ca {tmp}: no fixture-ca.pem or fixture-ca.key.pem in it"),
        (
            ["generate", "--out", "{tmp}/o", "--ca", "{tmp}/missing"],
            "--ca {tmp}/missing: no such folder: give the folder",
        ),
        (["generate", "--out", "{tmp}/o", "--ca", "{file}"], "--ca {file}: not a folder"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(argv: list[str], message: str, out: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    argv = [a.format(tmp=tmp_path, out=out, file=tmp_path / "a-file") for a in argv]
    code, stdout, stderr = run_main(capsys, *argv)
    assert code == 2
    assert stdout == ""
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert message.format(tmp=tmp_path, file=tmp_path / "a-file") in stderr and "Traceback" not in stderr
    assert not (tmp_path / "o").exists()  # a refused --ca writes nothing


def test_real_process_never_shows_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    missing_ca = ["generate", "--out", str(tmp_path / "out"), "--ca", str(tmp_path / "no-such-folder")]
    for argv in (["show", str(tmp_path / "nope.cer")], ["generate"], missing_ca):
        result = subprocess.run(
            [sys.executable, "-m", "certs", *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
        )
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_console_script_version_and_help(capsys) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, _, function = scripts["channel-certs"].partition(":")
    entry = getattr(import_module(module), function)
    try:
        expected_version = metadata.version("channel-conformance")
    except metadata.PackageNotFoundError:
        expected_version = "unknown"
    assert run_main(capsys, "--version")[:2] == (0, f"channel-certs {expected_version}\n")
    with pytest.raises(SystemExit) as exited:
        entry(["--help"])
    stdout = capsys.readouterr().out
    assert exited.value.code == 0 and stdout.startswith("usage: channel-certs")
    for command in ("generate", "show", "check", "token"):
        assert command in stdout


# --- the fixture CA is kept: a second generate must not orphan earlier certificates ---------------


def _issued_by(leaf: Path, ca: Path) -> bool:
    """Whether ``ca``'s key signed ``leaf`` (checked with cryptography, not with certs)."""
    try:
        _read(leaf).verify_directly_issued_by(x509.load_pem_x509_certificate(ca.read_bytes()))
    except Exception:  # noqa: BLE001 — any failure means "not issued by"
        return False
    return True


def test_a_second_generate_keeps_the_ca(tmp_path: Path, capsys) -> None:
    out = tmp_path / "catalogue"
    assert run_main(capsys, "generate", "--out", str(out), "--seed", "1")[0] == 0
    earlier = tmp_path / "earlier.cer"
    earlier.write_bytes((out / "valid-der.cer").read_bytes())
    ca, ca_key = (out / "fixture-ca.pem").read_bytes(), (out / "fixture-ca.key.pem").read_bytes()

    code, stdout, stderr = run_main(capsys, "generate", "--out", str(out), "--seed", "2")

    assert code == 0 and stderr == "" and "kept" in stdout
    assert (out / "fixture-ca.pem").read_bytes() == ca and (out / "fixture-ca.key.pem").read_bytes() == ca_key
    assert (out / "valid-der.cer").read_bytes() != earlier.read_bytes()  # a new catalogue (seed 2) …
    assert _issued_by(earlier, out / "fixture-ca.pem") and _issued_by(out / "valid-der.cer", out / "fixture-ca.pem")
    assert Catalogue.load(out).ca_origin == "found"


def test_new_ca_replaces_it_and_says_so(tmp_path: Path, capsys) -> None:
    assert run_main(capsys, "generate", "--out", str(tmp_path), "--seed", "1")[0] == 0
    earlier = tmp_path / "valid-der.cer"
    earlier_copy = tmp_path.parent / f"{tmp_path.name}-earlier.cer"
    earlier_copy.write_bytes(earlier.read_bytes())

    code, stdout, _ = run_main(capsys, "generate", "--out", str(tmp_path), "--seed", "1", "--new-ca")

    assert code == 0 and "replaces" in stdout
    assert not _issued_by(earlier_copy, tmp_path / "fixture-ca.pem")
    assert _issued_by(tmp_path / "valid-der.cer", tmp_path / "fixture-ca.pem")


def test_ca_of_another_directory(tmp_path: Path, capsys) -> None:
    holder, out = tmp_path / "holder", tmp_path / "out"
    assert run_main(capsys, "generate", "--out", str(holder), "--seed", "1")[0] == 0

    code, stdout, _ = run_main(capsys, "generate", "--out", str(out), "--seed", "3", "--ca", str(holder))

    assert code == 0 and f"copied from {holder}" in stdout
    assert (out / "fixture-ca.pem").read_bytes() == (holder / "fixture-ca.pem").read_bytes()
    for name in ("valid-der.cer", "valid-pem.pem", "serial-499.cer", "oversized.pem"):
        assert _issued_by(out / name, holder / "fixture-ca.pem"), name
    other = tmp_path / "other"
    assert run_main(capsys, "generate", "--out", str(other), "--seed", "1", "--new-ca")[0] == 0
    code, stdout, stderr = run_main(capsys, "generate", "--out", str(out), "--ca", str(other))
    assert (code, stdout) == (2, "") and "holds another fixture CA" in stderr  # never replaced silently
    assert (out / "fixture-ca.pem").read_bytes() == (holder / "fixture-ca.pem").read_bytes()


def test_a_half_ca_or_a_foreign_key_is_refused(tmp_path: Path, capsys) -> None:
    assert run_main(capsys, "generate", "--out", str(tmp_path / "a"), "--seed", "1")[0] == 0
    assert run_main(capsys, "generate", "--out", str(tmp_path / "b"), "--seed", "1", "--new-ca")[0] == 0
    (tmp_path / "a" / "fixture-ca.key.pem").unlink()
    code, stdout, stderr = run_main(capsys, "generate", "--out", str(tmp_path / "a"))
    assert code == 2 and stdout == "" and "fixture-ca.pem but not fixture-ca.key.pem" in stderr
    (tmp_path / "a" / "fixture-ca.key.pem").write_bytes((tmp_path / "b" / "untrusted-ca.key.pem").read_bytes())
    code, _, stderr = run_main(capsys, "generate", "--out", str(tmp_path / "a"))
    assert code == 2 and "is not the key of" in stderr and len(stderr.strip().splitlines()) == 1


def test_every_private_key_is_for_its_owner_only(out: Path) -> None:
    """mkcert's rule: a file holding a private key is written with mode 0600, the CAs' keys included."""
    holding_keys = []
    for path in sorted(out.iterdir()):
        data = path.read_bytes()
        if b"PRIVATE KEY-----" in data or path.suffix == ".p12" or path.name.startswith("pkcs12"):
            holding_keys.append(path.name)
            assert path.stat().st_mode & 0o777 == 0o600, path.name
        else:
            assert path.stat().st_mode & 0o077 != 0 or path.name == "manifest.json", path.name  # left as umask says
    assert {
        "fixture-ca.key.pem",
        "untrusted-ca.key.pem",
        "valid-der.key.pem",
        "pkcs12.p12",
        "pkcs12-ber.p12",
        "pkcs12-ber-base64.txt",
        "private-key-encrypted.pem",
        "certificate-with-key.pem",
    } <= set(holding_keys)
    fresh = Catalogue.load(out).fresh("valid-der")
    assert fresh.key_path is not None and fresh.key_path.stat().st_mode & 0o777 == 0o600

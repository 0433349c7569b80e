"""``python -m certs``: generate, show, and one-line errors with exit code 2 (never a traceback)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from certs.__main__ import main
from certs.catalogue import Catalogue

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
    code, stdout, stderr = run_main(capsys, "generate", "--out", str(tmp_path), "--seed", "1",
                                    "--reference-time", "2030-01-01")
    assert code == 0 and stderr == ""
    assert " entries (" in stdout and "accepted" in stdout
    assert str(tmp_path / "manifest.json") in stdout and str(tmp_path / "fixture-ca.pem") in stdout
    assert json.loads((tmp_path / "manifest.json").read_text())["reference_time"] == "2030-01-01T00:00:00Z"


def test_show_prints_french_labels_and_the_manifest_values(out: Path, capsys) -> None:
    entry = Catalogue.load(out)["serial-499"]
    code, stdout, stderr = run_main(capsys, "show", str(entry.path))
    assert code == 0 and stderr == ""
    assert stdout.splitlines() == [
        f"Propriétaire du certificat : {entry.values.owner}",
        f"Nom de l'entreprise : {entry.values.company}",
        "Fournisseur du certificat : CN=Fixture PersonalSign 3 CA - G2, O=Fixture Trust nv-sa, C=BE",
        f"Date d'expiration : {entry.values.expiry}",
        "Numéro de série (format décimal) : 499",
        "Numéro de série (format hexadécimal) : 01F3",
    ]


def test_show_reads_pem_other_languages_and_json(out: Path, capsys) -> None:
    catalogue = Catalogue.load(out)
    code, stdout, _ = run_main(capsys, "show", str(catalogue["valid-pem"].path), "--language", "de")
    assert code == 0 and stdout.splitlines()[0] == f"Inhaber des Zertifikats : {catalogue['valid-pem'].values.owner}"
    code, stdout, _ = run_main(capsys, "show", "--json", str(catalogue["valid-der"].path))
    assert code == 0 and json.loads(stdout) == catalogue["valid-der"].values.as_dict()


@pytest.mark.parametrize("argv, message", [
    ([], "required"),
    (["frobnicate"], "invalid choice"),
    (["generate"], "--out"),
    (["generate", "--out", "x", "--seed", "abc"], "invalid int value"),
    (["generate", "--out", "x", "--reference-time", "yesterday"], "not an ISO 8601"),
    (["generate", "--out", "{tmp}", "--enterprise-number", "0123.456.789"], "not a valid Belgian enterprise number"),
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
])
def test_errors_are_one_line_with_exit_code_2(argv: list[str], message: str, out: Path, tmp_path: Path,
                                              capsys) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    argv = [a.format(tmp=tmp_path, out=out, file=tmp_path / "a-file") for a in argv]
    code, stdout, stderr = run_main(capsys, *argv)
    assert code == 2
    assert stdout == ""
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert message in stderr and "Traceback" not in stderr


def test_real_process_never_shows_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for argv in (["show", str(tmp_path / "nope.cer")], ["generate"]):
        result = subprocess.run([sys.executable, "-m", "certs", *argv], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_token_subcommand_hook() -> None:
    """``token`` is there exactly when certs/token.py is."""
    from certs.__main__ import _token_module, build_parser

    subcommands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"generate", "show"} <= set(subcommands)
    assert ("token" in subcommands) == (_token_module() is not None)

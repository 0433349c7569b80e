"""The certificate tool: ``channel-certs`` (or ``python -m certs``) generate | show | check | token.

- ``generate --out DIR`` writes the catalogue; it keeps the fixture CA found in DIR (or the one
  of ``--ca DIR``) and makes a new one only when there is none, or with ``--new-ca``.
- ``show FILE`` prints what the portal must display for a certificate, and more about it.
- ``check FILE`` prints what the contract expects of a file: accept, or refuse with the rule.
- ``token`` asks a token endpoint for an access token with a signed client assertion.

Exit codes: 0 done (``check``: accept), 1 a refusal (``check``) or a token endpoint's error
answer (``token``), 2 a usage error, one line on stderr prefixed with the command, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from certs.authority import CA_FILE, CA_KEY_FILE, Authority
from certs.catalogue import DEFAULT_COMPANY, MANIFEST, Catalogue, generate
from certs.display import CertificateFileError, describe, details, load_certificate, rfc4514
from certs.keys import PrivateKey, load_key
from certs.token import ACCEPTANCE_TOKEN_URL, check_token_url, masked, request_token
from certs.verdict import NOT_JUDGED, Verdict, judge

PROG = "channel-certs"
DISTRIBUTION = "channel-conformance"
EXIT_REFUSED = 1
EXIT_USAGE = 2
LANGUAGES = ("fr", "nl", "de")
Handler = Callable[[argparse.Namespace], int]


class CommandError(Exception):
    """A one-line error for the user (no traceback), exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, not the usage block and a line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def _when(text: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {text!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


# --- generate ------------------------------------------------------------------------------


def _ca_folder(folder: Path) -> Authority:
    """The fixture CA of ``--ca DIR``; a folder that is not there, or lacks the CA, in one line."""
    wanted = f"the folder holding {CA_FILE} and {CA_KEY_FILE} (a catalogue's --out)"
    if not folder.is_dir():
        raise CommandError(f"--ca {folder}: {'not a folder' if folder.exists() else 'no such folder'}: give {wanted}")
    missing = [name for name in (CA_FILE, CA_KEY_FILE) if not (folder / name).is_file()]
    if missing:
        raise CommandError(f"--ca {folder}: no {' or '.join(missing)} in it: give {wanted}")
    try:
        return Authority.load(folder)
    except (OSError, ValueError) as error:
        raise CommandError(f"--ca {folder}: {getattr(error, 'strerror', None) or error}") from None


def _generate(args: argparse.Namespace) -> int:
    ca = _ca_folder(args.ca) if args.ca is not None else None
    replaced = args.new_ca and (args.out / CA_FILE).exists()
    started = time.perf_counter()
    try:
        catalogue = generate(
            args.out,
            company=args.company,
            enterprise_number=args.enterprise_number,
            seed=args.seed,
            reference_time=args.reference_time,
            ca=ca,
            new_ca=args.new_ca,
        )
    except ValueError as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"cannot write to {args.out}: {error.strerror or error}") from None
    elapsed = time.perf_counter() - started
    accepted = len(catalogue.accepted())
    origin = {
        "found": f"kept: the CA already in {args.out}",
        "given": f"copied from {args.ca}",
        "new": "new" + (": it replaces the one that was there, whose certificates no longer match" if replaced else ""),
    }[catalogue.ca_origin]
    print(
        f"{len(catalogue)} entries ({accepted} accepted, {len(catalogue) - accepted} refused) in "
        f"{catalogue.directory} in {elapsed:.2f} s; seed {catalogue.seed}, reference "
        f"{catalogue.manifest['reference_time']}"
    )
    print(f"manifest: {catalogue.manifest_path}")
    print(f"trust:    {catalogue.fixture_ca_path} ({origin})")
    return 0


# --- show ----------------------------------------------------------------------------------


def _read_certificate(file: str) -> x509.Certificate:
    try:
        return load_certificate(Path(file).read_bytes())
    except OSError as error:
        raise CommandError(f"cannot read {file}: {error.strerror or error}") from None
    except CertificateFileError as error:
        raise CommandError(f"{file}: {error}") from None


DETAIL_LABELS = {
    "not_before": "notBefore (UTC)",
    "not_after": "notAfter (UTC)",
    "key": "Key",
    "signature_algorithm": "Signature algorithm",
    "sha256": "SHA-256 fingerprint",
}


def _show(args: argparse.Namespace) -> int:
    certificate = _read_certificate(args.file)
    values, more = describe(certificate), details(certificate)
    if args.json:
        print(json.dumps({**values.as_dict(), **more}, indent=2, ensure_ascii=False))
        return 0
    for label, value in values.labelled(args.language):
        print(f"{label} : {value}")
    more["sha256"] = ":".join(more["sha256"][i : i + 2] for i in range(0, 64, 2)).upper()  # as OpenSSL prints it
    for name, value in more.items():
        print(f"{DETAIL_LABELS[name]} : {value}")
    return 0


# --- check ---------------------------------------------------------------------------------


def _catalogue_beside(file: Path) -> Catalogue | None:
    """The catalogue whose manifest is beside ``file`` (or one level up, for ``fresh/``), if any."""
    for directory in (file.parent, file.parent.parent):
        if (directory / MANIFEST).is_file():
            try:
                return Catalogue.load(directory)
            except (OSError, ValueError, KeyError):
                return None
    return None


def _trusted(paths: list[Path]) -> list[x509.Certificate]:
    trusted = []
    for path in paths:
        try:
            trusted += x509.load_pem_x509_certificates(path.read_bytes())
        except OSError as error:
            raise CommandError(f"--trust {path}: {error.strerror or error}") from None
        except ValueError:
            raise CommandError(f"--trust {path}: not a PEM file of CA certificates") from None
    return trusted


def _check(args: argparse.Namespace) -> int:
    file = Path(args.file)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {file}: {error.strerror or error}") from None
    beside = _catalogue_beside(file) if not (args.trust and args.company is not None) else None
    trust_paths = args.trust or ([beside.fixture_ca_path] if beside else [])
    company = args.company if args.company is not None else (beside.company if beside else None)
    trusted = _trusted(trust_paths)
    verdict = judge(data, trusted=trusted, company=company, now=args.at)
    if args.json:
        print(
            json.dumps(
                {**_verdict_json(verdict), "trusted": [rfc4514(ca.subject) for ca in trusted], "company": company},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        _print_verdict(verdict, args.language)
        names = "; ".join(rfc4514(ca.subject) for ca in trusted) or "none"
        print(f"judged with: trusted CAs: {names}; company: " + (repr(company) if company is not None else "none"))
    return 0 if verdict.outcome.accepted else EXIT_REFUSED


def _verdict_json(verdict: Verdict) -> dict[str, object]:
    values = verdict.values
    return {
        "outcome": "accept" if verdict.outcome.accepted else "refuse",
        "rule": verdict.outcome.rule,
        "reason": verdict.reason,
        "values": values.as_dict() if values else None,
        "not_judged": [NOT_JUDGED] if verdict.outcome.accepted else [],
    }


def _print_verdict(verdict: Verdict, language: str) -> None:
    print(f"{verdict.outcome}: {verdict.reason}")
    if verdict.values:
        for label, value in verdict.values.labelled(language):
            print(f"  {label} : {value}")
        print(
            f"not judged: {NOT_JUDGED} (refused when another sender still has this certificate registered: "
            "that depends on the portal, not on the file)"
        )


# --- token ---------------------------------------------------------------------------------


def _token_key(path: str, password_env: str | None) -> PrivateKey:
    password = None
    if password_env:
        if password_env not in os.environ:
            raise CommandError(f"--key-password-env: the environment variable {password_env} is not set")
        password = os.environ[password_env].encode()
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read private key {path}: {error.strerror or error}") from None
    try:
        key = load_key(path, password)
    except TypeError:  # cryptography: encrypted without a password, or a password for a plain key
        if password is None:
            raise CommandError(
                f"the private key {path} is encrypted: name the environment variable holding "
                "its password with --key-password-env NAME"
            ) from None
        raise CommandError(f"the private key {path} is not encrypted: leave out --key-password-env") from None
    except ValueError:
        raise CommandError(_not_a_key(path, data, password is not None)) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CommandError(f"the private key {path} is not RSA: assertions are signed RS256 (OAUTH-2)")
    return key


def _not_a_key(path: str, data: bytes, with_password: bool) -> str:
    """Why ``--key`` is not a usable private key, in the user's terms (cryptography's own message
    speaks of ASN.1 and deserialisation)."""
    if b"PRIVATE KEY-----" in data:
        if with_password:
            return f"cannot read private key {path} (wrong password?): the password does not decrypt it"
        return f"cannot read private key {path}: a PEM private key, but not an RSA, EC or Ed25519 one this tool reads"
    try:
        load_certificate(data)
    except CertificateFileError as error:
        if "PKCS#12" in str(error):
            return (
                f"cannot read private key {path}: it is a PKCS#12 container; --key takes the PEM private key "
                "(openssl pkcs12 -in FILE -nocerts -nodes writes it out)"
            )
    else:
        return (
            f"cannot read private key {path}: it is a certificate; --key takes the private key (PEM) that "
            "goes with the registered certificate"
        )
    return f"cannot read private key {path}: not a PEM private key (-----BEGIN PRIVATE KEY----- or RSA PRIVATE KEY)"


def _not_json(url: str, status: int, answer: dict[str, object]) -> str:
    """An answer that is not the token endpoint's JSON object: most often another page of the
    site (a wrong path, a sign-in page), said in one line."""
    raw = answer["raw"]
    if not isinstance(raw, str):
        return f"{url} answered HTTP {status} with JSON that is not an object: is it the token endpoint?"
    title = re.search(r"<title[^>]*>([^<]*)</title>", raw, re.I)
    if "<html" in raw.lower() or "<!doctype html" in raw.lower():
        what = "an HTML page" + (f" titled {' '.join(title.group(1).split())!r}" if title else "")
    else:
        what = f"{len(raw)} characters of text that is not JSON" if raw.strip() else "an empty body"
    return f"{url} answered HTTP {status} with {what}, not the token endpoint's JSON: check --token-url"


def _token(args: argparse.Namespace) -> int:
    try:
        check_token_url(args.token_url)
    except ValueError as error:
        raise CommandError(str(error)) from None
    key = _token_key(args.key, args.key_password_env)
    try:
        status, answer = request_token(args.token_url, args.client_id, key, args.scope)
    except OSError as error:  # URLError is an OSError
        raise CommandError(f"cannot reach {args.token_url}: {getattr(error, 'reason', None) or error}") from None
    if set(answer) == {"raw"}:
        raise CommandError(_not_json(args.token_url, status, answer))
    print(json.dumps({"status": status, **(answer if args.show_token else masked(answer))}, indent=2))
    return 0 if status == 200 else EXIT_REFUSED


# --- the parser ----------------------------------------------------------------------------


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=prog,
        description="Fixture certificates for the Web Service channel.",
        epilog="Exit codes: 0 done (check: accepted), 1 refused (check) or an error answer (token), 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate_ = commands.add_parser(
        "generate",
        help="write the catalogue and manifest.json into a directory",
        description="Write the catalogue. The fixture CA already in DIR is kept "
        "(certificates made earlier still match it).",
    )
    generate_.add_argument("--out", required=True, type=Path, metavar="DIR", help="output directory (created)")
    where = generate_.add_mutually_exclusive_group()
    where.add_argument(
        "--ca",
        type=Path,
        metavar="DIR",
        help=f"sign with the CA of this directory ({CA_FILE} and {CA_KEY_FILE}); copied to --out",
    )
    where.add_argument("--new-ca", action="store_true", help="make a new fixture CA, replacing the one in DIR")
    generate_.add_argument(
        "--company",
        default=DEFAULT_COMPANY,
        metavar="NAME",
        help="the employer's name: subject O, and self-signed certificates' name",
    )
    generate_.add_argument(
        "--enterprise-number", metavar="N", help="put this enterprise number (0xxx.xxx.xxx) in subjects as serialNumber"
    )
    generate_.add_argument("--seed", type=int, metavar="N", help="fixes serials and choices (default: random)")
    generate_.add_argument(
        "--reference-time", type=_when, metavar="ISO", help="dates are relative to this (default: 00:00 UTC today)"
    )
    generate_.set_defaults(handler=_generate)

    show = commands.add_parser("show", help="print what the portal must display for a certificate file")
    show.add_argument("file", metavar="FILE", help="certificate, DER or PEM")
    show.add_argument("--language", choices=LANGUAGES, default="fr", help="labels' language")
    show.add_argument("--json", action="store_true", help="the values as JSON")
    show.set_defaults(handler=_show)

    check = commands.add_parser(
        "check",
        help="print what the contract expects of a file: accept or refuse",
        description="Judge a file as the contract says a portal must (CERT-2..6). "
        "Beside a catalogue's manifest, --trust and --company default to "
        "the catalogue's fixture CA and company.",
    )
    check.add_argument("file", metavar="FILE", help="the file one would upload")
    check.add_argument(
        "--trust", action="append", type=Path, metavar="CA.pem", help="a CA the portal trusts (PEM; repeatable)"
    )
    check.add_argument("--company", metavar="NAME", help="the employer's name (for self-signed certificates)")
    check.add_argument("--at", type=_when, metavar="ISO", help="judge dates at this time (default: now)")
    check.add_argument("--language", choices=LANGUAGES, default="fr", help="labels' language")
    check.add_argument("--json", action="store_true", help="the verdict as JSON")
    check.set_defaults(handler=_check)

    token = commands.add_parser("token", help="ask a token endpoint for an access token (OAuth client)")
    token.add_argument("--client-id", required=True, help="e.g. self_service_expeditor_123456")
    token.add_argument("--key", required=True, help="PEM private key of the registered certificate")
    token.add_argument(
        "--key-password-env",
        metavar="NAME",
        help="the environment variable holding the key's password (encrypted keys)",
    )
    token.add_argument(
        "--token-url", required=True, help=f"https, or http to a loopback address; e.g. {ACCEPTANCE_TOKEN_URL}"
    )
    token.add_argument("--scope", default=None)
    token.add_argument("--show-token", action="store_true", help="print the access token (masked by default)")
    token.set_defaults(handler=_token)
    return parser


def main(argv: Sequence[str] | None = None, prog: str = PROG) -> int:
    args = build_parser(prog).parse_args(argv)
    handler: Handler = args.handler
    try:
        # stderr holds this tool's own one-line errors only: a library's warning there (PyJWT on a
        # short key, cryptography on an odd certificate) is noise to the person reading it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return handler(args)
    except CommandError as error:
        print(f"{prog} {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE

"""``python -m certs generate --out DIR`` writes the catalogue; ``python -m certs show FILE`` prints
what the portal must display for a certificate. Errors are one line on stderr, exit code 2.

A ``token`` subcommand appears when ``certs/token.py`` exists: it defines
``add_arguments(parser)`` and ``run(args) -> int`` (the exit code).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Sequence

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, not the usage block and a line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


class _Failure(Exception):
    """A one-line error for the user (no traceback)."""


def _token_module():
    """``certs.token`` if someone has written it, else None (no ``token`` subcommand)."""
    try:
        from certs import token as _token
    except ImportError:
        return None
    return _token


def _reference_time(text: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {text!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def _generate(args: argparse.Namespace) -> int:
    from certs.catalogue import generate

    started = time.perf_counter()
    try:
        catalogue = generate(args.out, company=args.company, enterprise_number=args.enterprise_number,
                             seed=args.seed, reference_time=args.reference_time)
    except ValueError as error:
        raise _Failure(str(error)) from None
    except OSError as error:
        raise _Failure(f"cannot write to {args.out}: {error.strerror or error}") from None
    elapsed = time.perf_counter() - started
    accepted = len(catalogue.accepted())
    print(f"{len(catalogue)} entries ({accepted} accepted, {len(catalogue) - accepted} refused) in "
          f"{catalogue.directory} in {elapsed:.2f} s; seed {catalogue.seed}, reference "
          f"{catalogue.manifest['reference_time']}")
    print(f"manifest: {catalogue.manifest_path}")
    print(f"trust:    {catalogue.fixture_ca_path}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from certs.display import CertificateFileError, describe

    try:
        values = describe(Path(args.file))
    except CertificateFileError as error:
        raise _Failure(f"{args.file}: {error}") from None
    if args.json:
        print(json.dumps(values.as_dict(), indent=2, ensure_ascii=False))
    else:
        for label, value in values.labelled(args.language):
            print(f"{label} : {value}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from certs.catalogue import DEFAULT_COMPANY

    parser = _Parser(prog="python -m certs", description="Fixture certificates for the Web Service channel.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser("generate", help="write the catalogue and manifest.json into a directory")
    generate.add_argument("--out", required=True, type=Path, metavar="DIR", help="output directory (created)")
    generate.add_argument("--company", default=DEFAULT_COMPANY, metavar="NAME",
                          help="the employer's name: subject O, and self-signed certificates' name")
    generate.add_argument("--enterprise-number", metavar="N",
                          help="put this enterprise number (0xxx.xxx.xxx) in subjects as serialNumber")
    generate.add_argument("--seed", type=int, metavar="N", help="fixes serials and choices (default: random)")
    generate.add_argument("--reference-time", type=_reference_time, metavar="ISO",
                          help="dates are relative to this (default: 00:00 UTC today)")
    generate.set_defaults(handler=_generate)

    show = commands.add_parser("show", help="print what the portal must display for a certificate file")
    show.add_argument("file", metavar="FILE", help="certificate, DER or PEM")
    show.add_argument("--language", choices=("fr", "nl", "de"), default="fr", help="labels' language")
    show.add_argument("--json", action="store_true", help="the values as JSON")
    show.set_defaults(handler=_show)

    token = _token_module()
    if token is not None:
        command = commands.add_parser("token", help="ask a token endpoint for an access token (OAuth client)")
        token.add_arguments(command)
        command.set_defaults(handler=token.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except _Failure as error:
        print(f"python -m certs {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())

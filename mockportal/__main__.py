"""``python -m mockportal``: serve the mock portal in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import importlib.metadata
import logging
import os
import signal
import sys
from pathlib import Path

from .defects import DEFECTS, UnknownDefect
from .server import build_portal, make_server, server_url
from .skins import DEFAULT_SKIN, SKINS
from .store import DEMO_EMPLOYER, DEMO_PASSWORD, DEMO_USERS, Employer
from .testapi import TOKEN_HEADER, TOKEN_VARIABLE


def _version() -> str:
    try:
        return importlib.metadata.version("channel-conformance")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    accounts = ", ".join(f"{username} ({role})" for role, username in DEMO_USERS.items())
    parser = argparse.ArgumentParser(
        prog="mockportal",
        description="Serve the mock Social Security portal (FR, NL, DE).",
        epilog=f"Demo accounts, password {DEMO_PASSWORD!r}: {accounts}, of the employer "
        f"{DEMO_EMPLOYER['name']} ({DEMO_EMPLOYER['enterprise_number']}); with --demo-employers N, "
        "also gl-demo2, cogl-demo2, user-demo2 and so on. Readiness: GET /ready. The test-provisioning "
        "API (/__test__/) and everything else: mockportal/README.md.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    parser.add_argument("--state", metavar="FILE", help="keep the state in this sqlite file (default: memory)")
    parser.add_argument(
        "--trust",
        metavar="CA.pem",
        nargs="+",
        action="extend",
        default=[],
        help="trust the CA certificates of these PEM files (CERT-6)",
    )
    parser.add_argument("--no-test-api", action="store_true", help="turn the /__test__/ provisioning API off")
    parser.add_argument(
        "--test-api-token",
        metavar="TOKEN",
        default=os.environ.get(TOKEN_VARIABLE) or None,
        help=f"every /__test__/ call must then send it in {TOKEN_HEADER} (default: the {TOKEN_VARIABLE} "
        "environment variable, which other users of the machine cannot read from the process list); "
        "needed to listen beyond the loopback with the test API on",
    )
    parser.add_argument(
        "--defect",
        metavar="NAME",
        nargs="+",
        action="extend",
        default=[],
        help="switch these named defects on (see --list-defects)",
    )
    parser.add_argument("--list-defects", action="store_true", help="list the named defects and exit")
    parser.add_argument(
        "--skin",
        choices=sorted(SKINS),
        default=DEFAULT_SKIN,
        help="the markup to serve (default %(default)s): 'variant' follows the same rules with "
        "the same words and data, but takes every markup freedom of contract §3 (tables "
        "for summaries, input buttons, placeholder options, a channel confirmation page, ...)",
    )
    parser.add_argument(
        "--demo-employers",
        type=int,
        default=1,
        metavar="N",
        help="demo employers to create (default 1: the contract's; more for a stand-in staging "
        "portal without the test API)",
    )
    parser.add_argument(
        "--print-target",
        metavar="FILE",
        help="write a target file for this running portal to FILE (its demo employers and their accounts, "
        "the password in the environment variable MOCKPORTAL_DEMO_PASSWORD): a staging run against the "
        "mock takes one command (docs/targets.md)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log one line per request")
    return parser.parse_args(argv)


PASSWORD_VARIABLE = "MOCKPORTAL_DEMO_PASSWORD"  # what a printed target file names for the demo password


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def target_file_text(url: str, employers: list[tuple[Employer, dict[str, str]]], trust: list[str]) -> str:
    """A target file (docs/targets.md) naming these demo employers, as their Home shows them."""
    lines = [
        f"# A target file for the mock portal running at {url}, written by mockportal --print-target.",
        f"#   export {PASSWORD_VARIABLE}={DEMO_PASSWORD}",
        f"#   pytest tests/conformance --base-url {url} --target THIS_FILE --allow-mutations",
        'language = "fr"',
        "",
        "[rules]",
        "skip_mock_only = false  # the mock is held to the whole contract",
        "",
    ]
    keys = [key for key in (Path(ca).with_name("fixture-ca.key.pem") for ca in trust) if key.is_file()]
    if keys:  # channel-certs generate writes the CA's key beside it: the suite signs its catalogue with it
        lines += ["[certificates]", f"ca_key = {_toml(str(keys[0].resolve()))}", ""]
    elif not trust:
        lines += [
            "# The mock trusts no fixture CA (start it with --trust ca/fixture-ca.pem and name its key here:",
            '# [certificates] ca_key = "ca/fixture-ca.key.pem"); certificates the suite makes are refused (CERT-6).',
            "",
        ]
    for employer, users in employers:
        lines += [
            "[[employers]]",
            f"name = {_toml(employer.name)}",
            f"enterprise_number = {_toml(employer.enterprise_number)}",
            f"onss_number = {_toml(employer.onss_number)}",
            f"creation_date = {_toml(employer.creation_date)}",
        ]
        for role, username in users.items():
            lines += [
                f"  [employers.accounts.{role}]",
                f"  username = {_toml(username)}",
                f"  password_env = {_toml(PASSWORD_VARIABLE)}",
            ]
        lines.append("")
    return "\n".join(lines)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list_defects:
        for item in sorted(DEFECTS.values(), key=lambda d: (d.rule_id, d.name)):
            print(f"{item.name:32} {item.rule_id:10} {item.description}")
        return 0
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    try:
        portal = build_portal(
            state_path=args.state,
            trust_paths=args.trust,
            test_api=not args.no_test_api,
            test_api_token=args.test_api_token,
            defects=args.defect,
            skin=args.skin,
        )
    except UnknownDefect as error:
        print(f"mockportal: {error}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as error:  # unreadable --trust or --state file
        print(f"mockportal: {error}", file=sys.stderr)
        return 2
    if args.demo_employers < 1:
        portal.store.close()
        print("mockportal: --demo-employers needs 1 or more", file=sys.stderr)
        return 2
    demo = portal.add_demo_employers(args.demo_employers)
    try:
        server = make_server(portal, args.host, args.port)
    except OSError as error:
        portal.store.close()
        print(f"mockportal: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 2
    except ValueError as error:  # the test API beyond the loopback without a token
        portal.store.close()
        print(f"mockportal: {error}", file=sys.stderr)
        return 2
    # A long-running server compiles its templates now rather than in its first requests (each
    # compilation holds every other request up for tens of milliseconds).
    for name in portal.templates.list_templates():
        portal.templates.get_template(name)
    signal.signal(signal.SIGTERM, _interrupt)  # SIGTERM stops as cleanly as Ctrl-C
    try:
        print(f"Mock portal running at {server_url(server)}", flush=True)
        employers = []
        for _, users in demo:
            user = portal.store.user_by_username(users["gl"])
            employer = portal.store.employer(user.employer_id) if user is not None else None
            assert employer is not None
            employers.append((employer, users))
            accounts = ", ".join(f"{username} ({role})" for role, username in users.items())
            print(
                f"Demo employer {employer.name}: enterprise number {employer.enterprise_number}, ONSS number "
                f"{employer.onss_number}, created {employer.creation_date}; accounts, password "
                f"{DEMO_PASSWORD!r}: {accounts}",
                flush=True,
            )
        if args.print_target:
            try:
                with open(args.print_target, "w", encoding="utf-8") as out:
                    out.write(target_file_text(server_url(server), employers, args.trust))
            except OSError as error:
                print(f"mockportal: cannot write {args.print_target}: {error.strerror or error}", file=sys.stderr)
                return 2
            print(f"Target file written to {args.print_target} (password in ${PASSWORD_VARIABLE})", flush=True)
        if portal.skin.name != DEFAULT_SKIN:
            print(f"Skin: {portal.skin.name}", flush=True)
        if portal.defects:
            print(f"Defects on: {', '.join(portal.defects)}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        portal.store.close()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

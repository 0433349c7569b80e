"""A stand-in for a staging portal, shared by the meta tests that run the suite against one:
the mock's variant skin, started as another process without its test API, as a staging portal
would be. The suite knows only its URL and the target file the mock prints for it
(``mockportal --print-target``): its demo employers and their accounts, the password in an
environment variable, and the key of the fixture CA it trusts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from contract.words import Words
from pages import HomePage, LoginPage

ROOT = Path(__file__).resolve().parents[2]
PASSWORD_ENV = "MOCKPORTAL_DEMO_PASSWORD"  # what mockportal --print-target names
DEMO_PASSWORD = "demo"  # the mock's demo accounts (docs/contract.md §1)
WORDS = Words("fr")


def standin_ca(directory: Path, seed: int):
    """A catalogue whose fixture CA a stand-in trusts (``--trust``); the suite signs its own
    catalogue with that CA's key, which the stand-in's printed target file names."""
    from certs.catalogue import generate

    return generate(directory, company="Stand-in CA holder", seed=seed)


def demo_users(n: int) -> dict[str, str]:
    """The accounts of demo employer ``n`` (``mockportal --help``)."""
    suffix = "" if n == 1 else str(n)
    return {role: f"{role}-demo{suffix}" for role in ("gl", "cogl", "user")}


@contextmanager
def standin(fixture_ca, employers: int, target: Path, defects: tuple[str, ...] = ()) -> Iterator[str]:
    """The stand-in's base URL, with ``employers`` demo employers and a target file for all of
    them at ``target`` (and these named defects on); the process is stopped afterwards."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockportal",
            "--port",
            "0",
            "--no-test-api",
            "--quiet",
            "--skin",
            "variant",
            "--demo-employers",
            str(employers),
            "--trust",
            str(fixture_ca.fixture_ca_path),
            "--print-target",
            str(target),
            *(["--defect", *defects] if defects else []),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    first_line = process.stdout.readline()  # "Mock portal running at http://127.0.0.1:PORT"
    match = re.search(r"(https?://\S+)", first_line)
    if not match:
        process.kill()
        raise RuntimeError(f"the stand-in did not start: {first_line!r} {process.stderr.read()}")
    for line in process.stdout:  # its employers, then the target file
        if line.startswith("Target file written"):
            break
    try:
        yield match.group(1).rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=10)


def first_employers(target: Path, count: int, out: Path) -> Path:
    """A copy of the target file at ``target`` naming only its first ``count`` employers."""
    head, *entries = target.read_text(encoding="utf-8").split("[[employers]]\n")
    out.write_text(head + "".join("[[employers]]\n" + entry for entry in entries[:count]), encoding="utf-8")
    return out


def demo_home(browser, base_url: str, n: int = 1) -> HomePage:
    """Home of demo employer ``n``'s gestionnaire local, signed in through the login form (the
    portal has no test API)."""
    page = browser.new_context().new_page()
    return LoginPage.visit(page, base_url, WORDS).sign_in(demo_users(n)["gl"], DEMO_PASSWORD)


def run_suite(
    target_file: Path, base_url: str, *args: str, paths=("tests/conformance",), env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """The conformance suite (or ``paths``) against the stand-in, in a pytest of its own (``env``:
    more environment variables for it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")} | (env or {})
    env[PASSWORD_ENV] = DEMO_PASSWORD
    output = target_file.parent / "artifacts"  # not the project's test-results/: it is wiped per run
    command = [
        sys.executable,
        "-m",
        "pytest",
        *paths,
        "--base-url",
        base_url,
        "--target",
        str(target_file),
        "-p",
        "no:cacheprovider",
        "-q",
        "-rfEs",
        f"--output={output}",
        *args,
    ]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500)


def last_line(result: subprocess.CompletedProcess) -> str:
    return result.stdout.strip().splitlines()[-1]


def counts(result: subprocess.CompletedProcess) -> dict[str, int]:
    """The run's last line as {"passed": n, "failed": n, "not run (want of an employer)": n, …}
    (pytest's warnings left out: they are no test's outcome)."""
    line = re.sub(r" in [\d.]+s.*$", "", last_line(result).strip("= "))
    found = {}
    for part in line.split(", "):
        number, _, what = part.partition(" ")
        if number.isdigit() and what not in ("warning", "warnings"):  # pytest's own, no test's outcome
            found[what] = int(number)
    return found

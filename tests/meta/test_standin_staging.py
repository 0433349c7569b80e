"""The suite against a portal it does not control: the mock's variant skin, without its test
API, stands in for staging.

The stand-in is started as another process (``python -m mockportal --skin variant --no-test-api
--demo-employers 10``), as a staging portal would be: the suite knows only its URL, a target file
naming the demo employers and their accounts (password from an environment variable), and the
key of the fixture CA the stand-in trusts. Its markup takes every freedom contract §3 allows
(issue 11), so this run is also the proof that the page objects rely on the contract only. The
conformance suite (each test function, on the cases ``standin_cases.py`` keeps) must pass
against it, held to the whole contract ([mock] rules included), with mutations allowed, and
leave no configuration behind; a run must refuse to start on an employer that already has one,
unless told to remove it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from contract.words import Words
from pages import HomePage, LoginPage

# One worker keeps the module's tests together: they share one stand-in and its target file.
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("standin")]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD_ENV = "STANDIN_DEMO_PASSWORD"
DEMO_PASSWORD = "demo"  # the mock's demo accounts (docs/contract.md §1)
WORKERS = 2  # the inner run's xdist workers
EMPLOYERS = 5 * WORKERS  # per worker: the shared steps' employer, the shared registration's, three for tests' own
SMOKE_EMPLOYERS = 2  # demo employer 1, which register_by_hand configures, and one more
WORDS = Words("fr")


def demo_users(n: int) -> dict[str, str]:
    """The accounts of demo employer ``n`` (``mockportal --help``)."""
    suffix = "" if n == 1 else str(n)
    return {role: f"{role}-demo{suffix}" for role in ("gl", "cogl", "user")}


@pytest.fixture(scope="module")
def fixture_ca(tmp_path_factory: pytest.TempPathFactory):
    """A catalogue whose CA the stand-in trusts; the suite signs its own catalogue with its key."""
    from certs.catalogue import generate

    return generate(tmp_path_factory.mktemp("stand-in-ca"), company="Stand-in CA holder", seed=7)


@pytest.fixture(scope="module")
def standin(fixture_ca) -> Iterator[str]:
    """The stand-in's base URL; the process is stopped after the module."""
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
            str(EMPLOYERS),
            "--trust",
            str(fixture_ca.fixture_ca_path),
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
        pytest.fail(f"the stand-in did not start: {first_line!r} {process.stderr.read()}")
    yield match.group(1).rstrip("/")
    process.terminate()
    process.wait(timeout=10)


def demo_home(browser, base_url: str, n: int = 1) -> HomePage:
    """Home of demo employer ``n``'s gestionnaire local, signed in through the login form (the
    portal has no test API)."""
    page = browser.new_context().new_page()
    return LoginPage.visit(page, base_url, WORDS).sign_in(demo_users(n)["gl"], DEMO_PASSWORD)


@pytest.fixture(scope="module")
def employer_entries(standin: str, browser) -> list[str]:
    """Each demo employer's entry of a target file, with its data as its Home shows them."""
    entries = []
    for n in range(1, EMPLOYERS + 1):
        home = demo_home(browser, standin, n)
        quality = home.quality()
        home.page.context.close()
        accounts = "\n".join(
            f'  [employers.accounts.{role}]\n  username = "{username}"\n  password_env = "{PASSWORD_ENV}"'
            for role, username in demo_users(n).items()
        )
        entries.append(
            f'[[employers]]\nname = "{quality["denomination"]}"\n'
            f'enterprise_number = "{quality["enterprise_number"]}"\n'
            f'onss_number = "{quality["onss_number"]}"\n'
            f'creation_date = "{quality["creation_date"]}"\n{accounts}\n'
        )
    return entries


def write_target(directory: Path, fixture_ca, entries: list[str]) -> Path:
    """A target file for the stand-in, held to the whole contract, naming these employers."""
    path = directory / "standin.toml"
    path.write_text(
        f'language = "fr"\n\n[rules]\nskip_mock_only = false\n\n'
        f'[certificates]\nca_key = "{fixture_ca.directory / "fixture-ca.key.pem"}"\n\n' + "\n".join(entries),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def target_file(employer_entries, fixture_ca, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A target file naming every demo employer: enough for the whole suite on two workers."""
    return write_target(tmp_path_factory.mktemp("target"), fixture_ca, employer_entries)


@pytest.fixture(scope="module")
def smoke_target_file(employer_entries, fixture_ca, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A target file naming the first demo employers only, enough for the smoke test: a run
    checks every employer of its file before it starts, through the login form."""
    return write_target(tmp_path_factory.mktemp("smoke-target"), fixture_ca, employer_entries[:SMOKE_EMPLOYERS])


def run_suite(
    target_file: Path, base_url: str, *args: str, paths=("tests/conformance",)
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
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
        "-rs",
        f"--output={output}",
        *args,
    ]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)


def register_by_hand(browser, base_url: str, catalogue) -> None:
    """Leave a configuration on the demo employer, as someone else would have."""
    from fixtures import BelgianData

    home = demo_home(browser, base_url)
    person = BelgianData(language="fr", seed=3).contact_person()
    contact = home.start_registration().next()
    confirmation = (
        contact.fill(person).next().choose_web_service().upload_certificate(catalogue.fresh("valid-der").path).next()
    )
    confirmation.confirm()
    home.page.context.close()


def test_mutating_tests_are_skipped_without_allow_mutations(standin: str, smoke_target_file: Path) -> None:
    result = run_suite(smoke_target_file, standin, paths=("tests/conformance/test_smoke.py",))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pass --allow-mutations to run it" in result.stdout, result.stdout


def test_a_run_refuses_to_start_on_an_employer_with_a_configuration(
    standin: str, smoke_target_file: Path, browser, fixture_ca
) -> None:
    register_by_hand(browser, standin, fixture_ca)

    refused = run_suite(smoke_target_file, standin, paths=("tests/conformance/test_smoke.py",))
    assert refused.returncode == pytest.ExitCode.USAGE_ERROR, refused.stdout + refused.stderr
    assert "already have a structured-messages configuration" in refused.stderr
    assert "--remove-existing-configuration" in refused.stderr

    removed = run_suite(
        smoke_target_file,
        standin,
        "--remove-existing-configuration",
        "--collect-only",
        paths=("tests/conformance/test_smoke.py",),
    )
    # --collect-only runs no check; the real removal happens before a real run:
    assert removed.returncode == 0, removed.stdout + removed.stderr
    cleaned = run_suite(
        smoke_target_file, standin, "--remove-existing-configuration", paths=("tests/conformance/test_smoke.py",)
    )
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    assert "removed the existing configuration of" in cleaned.stdout
    home = demo_home(browser, standin)
    assert home.has_no_active_sender()
    home.page.context.close()


def test_the_conformance_suite_passes_against_the_stand_in_and_leaves_nothing(
    standin: str, target_file: Path, browser
) -> None:
    # Every test function, on fewer of its sample cases (standin_cases.py; make test runs them all
    # against the default skin).
    result = run_suite(
        target_file,
        standin,
        "--allow-mutations",
        "-n",
        str(WORKERS),
        "--dist",
        "loadgroup",
        "-p",
        "tests.meta.standin_cases",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    summary = output.strip().splitlines()[-1]
    assert " failed" not in summary and " error" not in summary, summary
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) > 0, summary  # an all-skipped run proves nothing
    # The file names enough employers: nothing is skipped for want of one.
    short = re.findall(r"SKIPPED \[\d+\] [^:]+:\d+: (.*employer.*)", output)
    assert not short, short

    for n in range(1, EMPLOYERS + 1):
        home = demo_home(browser, standin, n)
        assert home.has_no_active_sender(), f"the suite left a configuration on demo employer {n}"
        home.page.context.close()

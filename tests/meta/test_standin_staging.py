"""The suite against a portal it does not control: the mock without its test API stands in for
staging.

The stand-in is started as another process (``python -m mockportal --no-test-api``), as a
staging portal would be: the suite knows only its URL, a target file naming the demo employer
and its accounts (password from an environment variable), and the key of the fixture CA the
stand-in trusts. The conformance suite must pass against it, serially, with mutations allowed,
and leave no configuration behind; a run must refuse to start on an employer that already has
one, unless told to remove it.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from contract.words import Words
from pages import HomePage, LoginPage

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD_ENV = "STANDIN_DEMO_PASSWORD"
DEMO_PASSWORD = "demo"  # the mock's demo accounts (docs/contract.md §1)
WORDS = Words("fr")


@pytest.fixture(scope="module")
def fixture_ca(tmp_path_factory: pytest.TempPathFactory):
    """A catalogue whose CA the stand-in trusts; the suite signs its own catalogue with its key."""
    from certs.catalogue import generate

    return generate(tmp_path_factory.mktemp("stand-in-ca"), company="Stand-in CA holder", seed=7)


@pytest.fixture(scope="module")
def standin(fixture_ca) -> str:
    """The stand-in's base URL; the process is stopped after the module."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mockportal", "--port", "0", "--no-test-api", "--quiet",
         "--trust", str(fixture_ca.fixture_ca_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first_line = process.stdout.readline()  # "Mock portal running at http://127.0.0.1:PORT"
    match = re.search(r"(https?://\S+)", first_line)
    if not match:
        process.kill()
        pytest.fail(f"the stand-in did not start: {first_line!r} {process.stderr.read()}")
    yield match.group(1).rstrip("/")
    process.terminate()
    process.wait(timeout=10)


def demo_home(browser, base_url: str) -> HomePage:
    """Home of gl-demo, signed in through the login form (the portal has no test API)."""
    page = browser.new_context().new_page()
    return LoginPage.visit(page, base_url, WORDS).sign_in("gl-demo", DEMO_PASSWORD)


@pytest.fixture(scope="module")
def target_file(standin: str, fixture_ca, browser, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A target file for the stand-in, with the demo employer's data as its Home shows them."""
    home = demo_home(browser, standin)
    quality = home.quality()
    home.page.context.close()
    accounts = "\n".join(
        f'  [employers.accounts.{role}]\n  username = "{role}-demo"\n  password_env = "{PASSWORD_ENV}"'
        for role in ("gl", "cogl", "user"))
    path = tmp_path_factory.mktemp("target") / "standin.toml"
    path.write_text(
        f'language = "fr"\n\n[rules]\nskip_mock_only = true\n\n'
        f'[certificates]\nca_key = "{fixture_ca.directory / "fixture-ca.key.pem"}"\n\n'
        f'[[employers]]\nname = "{quality["denomination"]}"\n'
        f'enterprise_number = "{quality["enterprise_number"]}"\n'
        f'onss_number = "{quality["onss_number"]}"\n'
        f'creation_date = "{quality["creation_date"]}"\n{accounts}\n', encoding="utf-8")
    return path


def run_suite(target_file: Path, base_url: str, *args: str, paths=("tests/conformance",)) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env[PASSWORD_ENV] = DEMO_PASSWORD
    output = target_file.parent / "artifacts"  # not the project's test-results/: it is wiped per run
    command = [sys.executable, "-m", "pytest", *paths, "--base-url", base_url, "--target", str(target_file),
               "-p", "no:cacheprovider", "-q", "-rs", f"--output={output}", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)


def register_by_hand(browser, base_url: str, catalogue) -> None:
    """Leave a configuration on the demo employer, as someone else would have."""
    from fixtures import BelgianData

    home = demo_home(browser, base_url)
    person = BelgianData(language="fr", seed=3).contact_person()
    contact = home.start_registration().next()
    confirmation = contact.fill(person).next().choose_web_service().upload_certificate(
        catalogue.fresh("valid-der").path).next()
    confirmation.confirm()
    home.page.context.close()


def test_mutating_tests_are_skipped_without_allow_mutations(standin: str, target_file: Path) -> None:
    result = run_suite(target_file, standin, paths=("tests/conformance/test_smoke.py",))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pass --allow-mutations to run it" in result.stdout, result.stdout


def test_a_run_refuses_to_start_on_an_employer_with_a_configuration(
        standin: str, target_file: Path, browser, fixture_ca) -> None:
    register_by_hand(browser, standin, fixture_ca)

    refused = run_suite(target_file, standin, paths=("tests/conformance/test_smoke.py",))
    assert refused.returncode == pytest.ExitCode.USAGE_ERROR, refused.stdout + refused.stderr
    assert "already have a structured-messages configuration" in refused.stderr
    assert "--remove-existing-configuration" in refused.stderr

    removed = run_suite(target_file, standin, "--remove-existing-configuration", "--collect-only",
                        paths=("tests/conformance/test_smoke.py",))
    # --collect-only runs no check; the real removal happens before a real run:
    assert removed.returncode == 0, removed.stdout + removed.stderr
    cleaned = run_suite(target_file, standin, "--remove-existing-configuration",
                        paths=("tests/conformance/test_smoke.py",))
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    assert "removed the existing configuration of" in cleaned.stdout
    home = demo_home(browser, standin)
    assert home.has_no_active_sender()
    home.page.context.close()


def test_the_conformance_suite_passes_against_the_stand_in_and_leaves_nothing(
        standin: str, target_file: Path, browser) -> None:
    result = run_suite(target_file, standin, "--allow-mutations")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    summary = output.strip().splitlines()[-1]
    assert " failed" not in summary and " error" not in summary, summary
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) > 0, summary  # an all-skipped run proves nothing
    # Tests that need more employers than the file names say so, and what to add.
    for reason in re.findall(r"SKIPPED \[\d+\] [^:]+:\d+: (.*employer.*)", output):
        assert "add" in reason and "[[employers]]" in reason or "[employers.accounts." in reason, reason

    home = demo_home(browser, standin)
    assert home.has_no_active_sender(), "the suite left a configuration on the stand-in"
    home.page.context.close()

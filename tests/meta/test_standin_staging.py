"""The suite against a portal it does not control: the mock's variant skin, without its test
API, stands in for staging.

The stand-in is started as another process (``python -m mockportal --skin variant --no-test-api
--demo-employers 10 --print-target FILE``, ``standin.py``), as a staging portal would be: the
suite knows only its URL and the target file the mock printed, naming the demo employers and
their accounts (password from an environment variable) and the key of the fixture CA the
stand-in trusts. Its markup takes every freedom contract §3 allows (the variant skin), so this
run is also the proof that the page objects rely on the contract only. The conformance suite
(the tests ``standin_cases.py`` keeps: those that together reach every page object, harness and
fixture function, and every place a test locates markup itself, that a run of every test
function reaches) must pass against it, held to the whole contract ([mock] rules included),
with mutations allowed, and leave no configuration behind; a run must refuse to start on an
employer that already has one, unless told to remove it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.meta.standin import counts, demo_home, first_employers, run_suite, standin, standin_ca

# One worker keeps the module's tests together: they share one stand-in and its target file.
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("standin")]

WORKERS = 2  # the inner run's xdist workers
EMPLOYERS = 10  # enough for each worker's shared screens to keep employers of their own
SMOKE_EMPLOYERS = 2  # demo employer 1, which register_by_hand configures, and one more


@pytest.fixture(scope="module")
def fixture_ca(tmp_path_factory: pytest.TempPathFactory):
    """A catalogue whose CA the stand-in trusts; the suite signs its own catalogue with its key."""
    return standin_ca(tmp_path_factory.mktemp("stand-in-ca"), seed=7)


@pytest.fixture(scope="module")
def target_file(fixture_ca, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The stand-in's base URL and the target file it printed, naming every demo employer."""
    path = tmp_path_factory.mktemp("target") / "standin.toml"
    with standin(fixture_ca, EMPLOYERS, path) as base_url:
        yield base_url, path


@pytest.fixture(scope="module")
def smoke_target_file(target_file, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A target file naming the first demo employers only, enough for the smoke test: a run
    checks every employer of its file before it starts, through the login form."""
    return first_employers(target_file[1], SMOKE_EMPLOYERS, tmp_path_factory.mktemp("smoke") / "smoke.toml")


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


def test_mutating_tests_are_skipped_without_allow_mutations(target_file, smoke_target_file: Path) -> None:
    standin, _ = target_file
    result = run_suite(smoke_target_file, standin, paths=("tests/conformance/test_smoke.py",))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pass --allow-mutations to run it" in result.stdout, result.stdout


def test_a_run_refuses_to_start_on_an_employer_with_a_configuration(
    target_file, smoke_target_file: Path, browser, fixture_ca
) -> None:
    standin, _ = target_file
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


def test_the_conformance_suite_passes_against_the_stand_in_and_leaves_nothing(target_file, browser) -> None:
    standin, path = target_file
    # The tests that reach all the suite's code a run of every test function reaches
    # (standin_cases.py, standin-cover.json; make test runs every case against the default skin).
    result = run_suite(
        path,
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
    found = counts(result)
    assert not found.get("failed") and not found.get("error") and not found.get("errors"), found
    assert found.get("passed", 0) > 0, found  # an all-skipped run proves nothing
    # The file names enough employers: nothing is left out for want of one.
    assert not found.get("not run (want of an employer)"), output[-3000:]

    for n in range(1, EMPLOYERS + 1):
        home = demo_home(browser, standin, n)
        assert home.has_no_active_sender(), f"the suite left a configuration on demo employer {n}"
        home.page.context.close()

"""The target file: what it accepts, what it refuses and how, and how tests lease its employers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.leases import Leases, Pool
from harness.target import (
    CanMoveClock,
    CanReadServerLog,
    CanReadStore,
    CanRestart,
    ForeignTarget,
    UndeclaredEmployers,
    WantOfEmployer,
    load_target,
)
from harness.target_file import TargetFileError, read_target_file


def loaded(path: Path, base_url: str = "http://x", worker: str = "main") -> ForeignTarget:
    """The target of ``path``, its employers leased from a pool of its own."""
    target_file = read_target_file(path)
    return load_target(target_file, base_url, Leases(pool=Pool(len(target_file.employers))), worker)


ROOT = Path(__file__).resolve().parents[2]
PASSWORDS = {
    "PORTAL_GL_PASSWORD": "gl-pass-1",
    "PORTAL_COGL_PASSWORD": "cogl-pass-2",
    "PORTAL_USER_PASSWORD": "user-pass-3",
}


def employer_entry(index: int, accounts: str = 'gl = { username = "gl", password_env = "PW_GL" }') -> str:
    return (
        f'[[employers]]\nname = "Employer {index}"\nenterprise_number = "0403.170.{index:03d}"\n'
        f'onss_number = "{index}"\naccounts = {{ {accounts} }}\n'
    )


@pytest.fixture
def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``write(text) -> Path``: a target file in a fresh directory (each gets its own cache key)."""
    monkeypatch.setenv("PW_GL", "secret-gl")
    counter = iter(range(1000))

    def _write(text: str) -> Path:
        path = tmp_path / f"target-{next(counter)}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def test_the_example_file_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PASSWORDS.items():
        monkeypatch.setenv(name, value)
    target = loaded(ROOT / "targets" / "example.toml", "https://staging.example/")
    assert isinstance(target, ForeignTarget)
    assert (target.is_disposable, target.may_mutate, target.language) == (False, False, "fr")
    assert not isinstance(target, (CanReadStore, CanReadServerLog, CanRestart, CanMoveClock))
    assert target.base_url == "https://staging.example"
    employer = target.file.employers[0]
    assert employer.name == "Boulangerie Démo SRL"
    assert employer.creation_date == "15/03/2004"
    assert employer.account("gl").password == "gl-pass-1"
    assert target.file.skip_mock_only is True
    # Passwords stay out of reprs (and so out of tracebacks and reports).
    assert "gl-pass-1" not in repr(employer) and "gl-pass-1" not in repr(target)


@pytest.mark.parametrize(
    "text, message",
    [
        ('language = "en"\n' + employer_entry(1), "language: 'en' is not one of fr, nl, de"),
        ('language = "fr"\n', "name at least one employer"),
        (
            '[[employers]]\nname = "X"\nonss_number = "1"\n'
            'accounts = { gl = { username = "g", password_env = "PW_GL" } }\n',
            "employers[0]: missing key 'enterprise_number'",
        ),
        (
            employer_entry(1, 'admin = { username = "a", password_env = "PW_GL" }'),
            "employers[0].accounts: unknown role 'admin'; expected one of gl, cogl, user",
        ),
        (
            employer_entry(1, 'gl = { username = "g", password_env = "NOT_SET_ANYWHERE" }'),
            "environment variable NOT_SET_ANYWHERE is not set",
        ),
        (
            employer_entry(1, 'gl = { username = "g" }'),
            "give exactly one of password_env (with username) or storage_state",
        ),
        (employer_entry(1, 'gl = { storage_state = "missing.json" }'), "storage_state: no file"),
        (employer_entry(1, 'cogl = { username = "c", password_env = "PW_GL" }'), "missing [employers.accounts.gl]"),
        ('[rules]\nexclude = ["NOPE-1"]\n' + employer_entry(1), "rules.exclude: unknown rule id(s) ['NOPE-1']"),
        ("[rules]\nskip_mockonly = true\n" + employer_entry(1), "[rules]: unknown key(s) ['skip_mockonly']"),
        (employer_entry(1) + employer_entry(1), "enterprise number(s) ['0403.170.001'] named twice"),
        ("employers = [\n", "not valid TOML"),
    ],
)
def test_a_bad_file_is_a_usage_error_that_says_what_and_where(write, text: str, message: str) -> None:
    path = write(text)
    with pytest.raises(TargetFileError) as error:
        read_target_file(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(TargetFileError, match="does not exist"):
        read_target_file(tmp_path / "nope.toml")


def test_storage_state_accounts_and_unquoted_dates(write, tmp_path: Path) -> None:
    state = {
        "cookies": [
            {
                "name": "sid",
                "value": "cookie-from-state",
                "domain": "staging.example",
                "path": "/",
                "expires": -1,
                "httpOnly": True,
                "secure": True,
                "sameSite": "Lax",
            }
        ],
        "origins": [],
    }
    (tmp_path / "gl.json").write_text(json.dumps(state))
    path = write(
        '[[employers]]\nname = "E"\nenterprise_number = "0403.170.701"\nonss_number = "1"\n'
        'creation_date = 2004-03-15\n[employers.accounts.gl]\nstorage_state = "gl.json"\n'
    )
    employer = read_target_file(path).employers[0]
    assert employer.creation_date == "15/03/2004"
    assert employer.account("gl").storage_state == str((tmp_path / "gl.json").resolve())
    assert employer.account("gl").password is None
    assert "cookie-from-state" in read_target_file(path).secrets  # the plugin masks them in every artifact


def test_a_test_gets_the_employers_of_its_lease_and_no_more(write) -> None:
    path = write(employer_entry(0) + employer_entry(1))
    target = loaded(path)
    target.take_lease("tests/t.py::test_a", 2)
    assert {target.new_employer().name, target.new_employer().name} == {"Employer 0", "Employer 1"}
    with pytest.raises(UndeclaredEmployers, match=r"mark it @pytest.mark.employers\(n\)"):
        target.new_employer()
    assert len(target.employers_in_use()) == 2
    target.give_lease()
    # The next test leases them again.
    target.take_lease("tests/t.py::test_b", 1)
    assert target.new_employer().name in ("Employer 0", "Employer 1")
    target.give_lease()


def test_a_lease_larger_than_the_file_is_skipped_for_want_of_an_employer(write) -> None:
    path = write(employer_entry(0) + employer_entry(1))
    target = loaded(path)
    with pytest.raises(WantOfEmployer) as skipped:
        target.take_lease("tests/t.py::test_a", 3)
    assert str(skipped.value) == (
        "want of an employer: this test needs 3 employers at once; the target file names 2: add 1 more "
        "[[employers]] entry"
    )


def test_shared_screens_keep_employers_only_while_two_stay_free_for_the_tests(write) -> None:
    two = loaded(write(employer_entry(0) + employer_entry(1)))
    keys = [("employer", True), ("registered", False), ("axe-walk:fr", False), ("axe-walk:nl", False)]
    two.hold_screens(company="Employer 0", keys=keys)
    assert two.held == {}  # built per test: a test that needs two must still run

    five = loaded(write("".join(employer_entry(i) for i in range(5))))
    five.hold_screens(company="Employer 0", keys=keys)
    assert list(five.held) == ["employer", "registered", "axe-walk:fr"]
    assert five.held["employer"].name == "Employer 0"  # named like the catalogue's company
    with pytest.raises(WantOfEmployer, match="3 of them kept by this worker's shared screens"):
        five.take_lease("tests/t.py::test_a", 3)
    five.take_lease("tests/t.py::test_a", 2)
    assert not {e.name for e in five.employers_in_use()} & {e.name for e in five.held.values()}


def test_an_employer_by_name_and_a_missing_role_skip_with_what_to_add(write) -> None:
    path = write(employer_entry(0))
    target = loaded(path)
    with pytest.raises(WantOfEmployer, match="want of an employer: .*an employer named 'Other SA'"):
        target.take_lease("tests/t.py::test_a", 0, ["Other SA"])
    target.take_lease("tests/t.py::test_a", 0, [" employer 0 "])
    employer = target.new_employer(name="Employer 0")
    with pytest.raises(WantOfEmployer, match=r"add \[employers.accounts.user\]"):
        employer.account("user")


def test_staging_keys_are_read_and_checked(write, tmp_path: Path) -> None:
    from certs.catalogue import generate

    ca = generate(tmp_path / "ca", company="Company CA", seed=1)
    (tmp_path / "company-ca.pem").write_bytes(ca.fixture_ca_path.read_bytes())
    path = write(
        'wait_timeout = 15\nfail_on_skip = true\n[services]\ntoken_url = "https://services.example/REST/oauth/v5/token"\n'
        '[browser]\nproxy = "http://proxy.example:3128"\nignore_https_errors = true\nca_bundle = "company-ca.pem"\n'
        '[[known_failures]]\nrule = "HOME-2"\nreason = "no notice"\nticket = "QA-1"\n'
        '[[known_failures]]\ntest = "tests/conformance/test_home.py::test_x"\nreason = "banner"\n' + employer_entry(0)
    )
    target = loaded(path, "https://portal.example")
    file = target.file
    assert (file.wait_timeout, file.fail_on_skip, file.ignore_https_errors) == (15.0, True, True)
    assert target.token_url == "https://services.example/REST/oauth/v5/token"
    assert target.services_url == "https://portal.example"  # the screens' host unless the file says
    assert target.https_context() is not None and file.proxy == "http://proxy.example:3128"
    by_rule, by_test = file.known_failures
    assert by_rule.label == "known failure (QA-1)" and by_rule.matches("t.py::a[x]", ("HOME-2",))
    assert by_test.label == "known failure" and by_test.matches("tests/conformance/test_home.py::test_x[chromium]", ())
    assert not by_test.matches("tests/conformance/test_home.py::test_xy[chromium]", ())


@pytest.mark.parametrize(
    "text, message",
    [
        ("wait_timeout = 0\n", "wait_timeout: expected a number of seconds above 0"),
        ('[services]\ntoken_url = "ftp://x"\n', "services.token_url: expected an http:// or https:// URL"),
        ('[[known_failures]]\nreason = "r"\n', "give exactly one of test (a test id) or rule"),
        ('[[known_failures]]\nrule = "HOME-9"\nreason = "r"\n', "is not a rule id or family"),
        ("[browser]\nproxy_server = 1\n", "unknown key(s) ['proxy_server']"),
    ],
)
def test_staging_keys_refuse_what_is_wrong(write, text: str, message: str) -> None:
    with pytest.raises(TargetFileError, match=re.escape(message)):
        read_target_file(write(text + employer_entry(0)))


def test_an_employer_taken_by_name_is_kept_for_the_call_that_names_it(write) -> None:
    target = loaded(write(employer_entry(0) + employer_entry(1)))
    target.take_lease("tests/t.py::test_a", 1, ["Employer 1"])
    assert target.new_employer().name == "Employer 0"  # the test's own employer, asked first
    assert target.new_employer(name="Employer 1").name == "Employer 1"  # the shared steps' company

"""The target file: what it accepts, what it refuses and how, and how workers share employers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.target import ForeignTarget, load_target
from harness.target_file import TargetFileError, read_target_file

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
    read_target_file.cache_clear()
    counter = iter(range(1000))

    def _write(text: str) -> Path:
        path = tmp_path / f"target-{next(counter)}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    yield _write
    read_target_file.cache_clear()


def test_the_example_file_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PASSWORDS.items():
        monkeypatch.setenv(name, value)
    read_target_file.cache_clear()
    target = load_target(ROOT / "targets" / "example.toml", "https://staging.example/", worker=(0, 1, "main"))
    assert isinstance(target, ForeignTarget)
    assert (target.kind, target.has_test_api, target.language) == ("foreign", False, "fr")
    assert target.base_url == "https://staging.example"
    employer = target.file.employers[0]
    assert employer.name == "Boulangerie Démo SRL"
    assert employer.creation_date == "15/03/2004"
    assert employer.account("gl").password == "gl-pass-1"
    assert target.file.skip_mock_only is True
    # Passwords stay out of reprs (and so out of tracebacks and reports).
    assert "gl-pass-1" not in repr(employer) and "gl-pass-1" not in repr(target)
    read_target_file.cache_clear()


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


def test_workers_take_every_nth_employer(write) -> None:
    path = write("".join(employer_entry(i) for i in range(5)))
    shares = [[e.name for e in load_target(path, "http://x", worker=(i, 2, f"gw{i}")).employers] for i in range(2)]
    assert shares == [["Employer 0", "Employer 2", "Employer 4"], ["Employer 1", "Employer 3"]]


def test_a_test_gets_distinct_employers_and_is_skipped_with_what_to_add(write, monkeypatch) -> None:
    path = write(employer_entry(0) + employer_entry(1))
    target = load_target(path, "http://x", worker=(0, 1, "main"))
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/t.py::test_a (setup)")
    assert target.new_employer().name == "Employer 0"
    assert target.new_employer().name == "Employer 1"
    with pytest.raises(pytest.skip.Exception) as skipped:
        target.new_employer()
    assert str(skipped.value) == (
        "this test needs 3 employers; the target file names 2: add 1 more [[employers]] entry"
    )
    assert [e.name for e in target.employers_in_use()] == ["Employer 0", "Employer 1"]
    # The next test starts again from the first employer.
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/t.py::test_b (call)")
    assert target.new_employer().name == "Employer 0"


def test_the_skip_reason_names_the_worker_share(write, monkeypatch) -> None:
    path = write(employer_entry(0) + employer_entry(1) + employer_entry(2))
    target = load_target(path, "http://x", worker=(1, 2, "gw1"))
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/t.py::test_a (setup)")
    target.new_employer()
    with pytest.raises(pytest.skip.Exception) as skipped:
        target.new_employer()
    assert "needs 2 employers; the target file names 3, of which worker gw1 (2 of 2) gets 1" in str(skipped.value)
    assert "add 1 more [[employers]] entry or run with fewer workers" in str(skipped.value)


def test_an_employer_by_name_and_a_missing_role_skip_with_what_to_add(write, monkeypatch) -> None:
    path = write(employer_entry(0))
    target = load_target(path, "http://x", worker=(0, 1, "main"))
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/t.py::test_a (setup)")
    with pytest.raises(pytest.skip.Exception, match="an employer named 'Other SA'"):
        target.new_employer(name="Other SA")
    employer = target.new_employer(name=" employer 0 ")
    with pytest.raises(pytest.skip.Exception, match=r"add \[employers.accounts.user\]"):
        employer.account("user")

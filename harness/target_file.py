"""The target file: a portal other than the bundled mock, as a QA team describes it.

``pytest --base-url URL --target FILE`` runs the suite against any portal that follows the
contract. The file (TOML, see ``targets/example.toml`` and ``docs/targets.md``) names the
employers the suite may use, their accounts per role (a user name with the password in an
environment variable, or a Playwright storage-state file for eID/itsme portals), the interface
language, which rules the portal is held to, and the key of the fixture CA it trusts.

This module only reads and checks the file: :class:`TargetFileError` says what is wrong and
where. ``harness/target.py`` runs a portal from it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from contract.rules import RULES
from contract.words import LANGUAGES
from harness.accounts import ROLES, Account, Employer

TOP_KEYS = {"language", "rules", "certificates", "employers"}
CERTIFICATES_KEYS = {"ca_key"}
RULES_KEYS = {"skip_mock_only", "exclude"}
EMPLOYER_KEYS = {"name", "enterprise_number", "onss_number", "creation_date", "accounts"}
ACCOUNT_KEYS = {"username", "password_env", "storage_state"}


class TargetFileError(ValueError):
    """What is wrong with a target file, and where."""


def _bad(path: Path, message: str) -> TargetFileError:
    return TargetFileError(f"target file {path}: {message}")


@dataclass(frozen=True)
class TargetFile:
    path: Path
    language: str
    skip_mock_only: bool
    exclude: tuple[str, ...]
    employers: tuple[Employer, ...]
    ca_key: Path | None = None  # the private key of the fixture CA the portal trusts
    secrets: tuple[str, ...] = field(default=(), repr=False)  # passwords, storage-state cookies

    def share(self, worker_index: int, worker_count: int) -> tuple[Employer, ...]:
        """This worker's employers: i, i+n, i+2n, … (worker i of n)."""
        return self.employers[worker_index::worker_count]


def _check_keys(path: Path, where: str, table: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _bad(path, f"{where}: unknown key(s) {unknown}; expected some of {sorted(allowed)}")


def _optional_text(path: Path, where: str, table: dict[str, Any], key: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, dt.date):  # an unquoted TOML date: written as the portal shows it
        return value.strftime("%d/%m/%Y")
    if not isinstance(value, str) or not value.strip():
        raise _bad(path, f"{where}.{key}: expected a non-empty string, got {value!r}")
    return value.strip()


def _text(path: Path, where: str, table: dict[str, Any], key: str) -> str:
    value = _optional_text(path, where, table, key)
    if value is None:
        raise _bad(path, f"{where}: missing key {key!r}")
    return value


def _account(path: Path, where: str, role: str, table: Any, secrets: list[str]) -> Account:
    if role not in ROLES:
        raise _bad(path, f"{where}: unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if not isinstance(table, dict):
        raise _bad(path, f"{where}.{role}: expected a table with username and password_env, or storage_state")
    _check_keys(path, f"{where}.{role}", table, ACCOUNT_KEYS)
    password_env = _optional_text(path, f"{where}.{role}", table, "password_env")
    storage_state = _optional_text(path, f"{where}.{role}", table, "storage_state")
    if bool(password_env) == bool(storage_state):
        raise _bad(path, f"{where}.{role}: give exactly one of password_env (with username) or storage_state")
    if storage_state:
        state_path = (path.parent / storage_state).resolve()
        try:
            state = json.loads(state_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise _bad(path, f"{where}.{role}.storage_state: no file {state_path}") from None
        except ValueError as error:
            raise _bad(path, f"{where}.{role}.storage_state: {state_path} is not JSON ({error})") from None
        if not isinstance(state, dict) or not isinstance(state.get("cookies"), list):
            raise _bad(
                path,
                f'{where}.{role}.storage_state: {state_path} is not a Playwright storage state (no "cookies" list)',
            )
        secrets.extend(str(cookie.get("value", "")) for cookie in state["cookies"])
        username = _optional_text(path, f"{where}.{role}", table, "username") or f"{role} (storage state)"
        return Account(username=username, role=role, storage_state=str(state_path))
    username = _text(path, f"{where}.{role}", table, "username")
    password = os.environ.get(password_env or "")
    if not password:
        raise _bad(
            path,
            f"{where}.{role}: environment variable {password_env} is not set (it holds the password of {username!r})",
        )
    secrets.append(password)
    return Account(username=username, role=role, password=password)


@lru_cache(maxsize=8)
def read_target_file(path: Path) -> TargetFile:
    """The target file, checked; TargetFileError says what is wrong and where."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TargetFileError(f"target file {path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise _bad(path, f"not valid TOML: {error}") from None
    _check_keys(path, "top level", data, TOP_KEYS)

    language = data.get("language", "fr")
    if language not in LANGUAGES:
        raise _bad(path, f"language: {language!r} is not one of {', '.join(LANGUAGES)}")

    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise _bad(path, "rules: expected a table ([rules])")
    _check_keys(path, "[rules]", rules, RULES_KEYS)
    skip_mock_only = rules.get("skip_mock_only", False)
    if not isinstance(skip_mock_only, bool):
        raise _bad(path, f"rules.skip_mock_only: expected true or false, got {skip_mock_only!r}")
    exclude = rules.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(i, str) for i in exclude):
        raise _bad(path, f"rules.exclude: expected a list of rule ids, got {exclude!r}")
    unknown = [i for i in exclude if i not in RULES]
    if unknown:
        raise _bad(path, f"rules.exclude: unknown rule id(s) {unknown} (see docs/contract.md)")

    certificates = data.get("certificates", {})
    if not isinstance(certificates, dict):
        raise _bad(path, "certificates: expected a table ([certificates])")
    _check_keys(path, "[certificates]", certificates, CERTIFICATES_KEYS)
    ca_key = None
    if "ca_key" in certificates:
        ca_key = (path.parent / _text(path, "certificates", certificates, "ca_key")).resolve()
        if not ca_key.is_file():
            raise _bad(path, f"certificates.ca_key: no file {ca_key}")

    raw_employers = data.get("employers")
    if not isinstance(raw_employers, list) or not raw_employers:
        raise _bad(
            path,
            "name at least one employer: an [[employers]] entry with name, enterprise_number, "
            "onss_number and [employers.accounts.gl]",
        )
    employers = []
    secrets: list[str] = []
    for index, raw in enumerate(raw_employers):
        where = f"employers[{index}]"
        _check_keys(path, where, raw, EMPLOYER_KEYS)
        accounts_table = raw.get("accounts")
        if not isinstance(accounts_table, dict) or not accounts_table:
            raise _bad(path, f"{where}: missing its accounts ([employers.accounts.gl] at least)")
        accounts = {
            role: _account(path, f"{where}.accounts", role, table, secrets) for role, table in accounts_table.items()
        }
        if "gl" not in accounts:
            raise _bad(
                path,
                f"{where}: missing [employers.accounts.gl] (the gestionnaire local checks and removes configurations)",
            )
        employers.append(
            Employer(
                name=_text(path, where, raw, "name"),
                enterprise_number=_text(path, where, raw, "enterprise_number"),
                onss_number=_text(path, where, raw, "onss_number"),
                creation_date=_optional_text(path, where, raw, "creation_date"),
                accounts=accounts,
            )
        )
    numbers = [e.enterprise_number for e in employers]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise _bad(path, f"employers: enterprise number(s) {duplicates} named twice")
    return TargetFile(path, language, skip_mock_only, tuple(exclude), tuple(employers), ca_key, tuple(secrets))

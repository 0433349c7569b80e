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
from pathlib import Path
from typing import Any

import pytest

from contract.rules import RULES
from contract.words import LANGUAGES
from harness.accounts import ROLES, Account, Employer
from harness.progress import test_id

TOP_KEYS = {
    "language",
    "wait_timeout",
    "fail_on_skip",
    "rules",
    "certificates",
    "services",
    "browser",
    "known_failures",
    "employers",
}
CERTIFICATES_KEYS = {"ca_key"}
RULES_KEYS = {"skip_mock_only", "exclude"}
SERVICES_KEYS = {"token_url", "base_url"}
BROWSER_KEYS = {"proxy", "proxy_bypass", "ignore_https_errors", "ca_bundle"}
KNOWN_FAILURE_KEYS = {"test", "rule", "reason", "ticket"}
EMPLOYER_KEYS = {"name", "enterprise_number", "onss_number", "creation_date", "accounts"}
ACCOUNT_KEYS = {"username", "password_env", "storage_state"}


class TargetFileError(ValueError):
    """What is wrong with a target file, and where."""


def _bad(path: Path, message: str) -> TargetFileError:
    return TargetFileError(f"target file {path}: {message}")


@dataclass(frozen=True)
class KnownFailure:
    """A deviation of the portal its team knows and has ticketed: the tests it names (a test id,
    with or without its parameters, or every test naming a rule id) still run, and a failure of
    theirs is reported as a *known failure*; a pass fails the run (fixed? remove the entry)."""

    reason: str
    test: str | None = None
    rule: str | None = None
    ticket: str | None = None

    def matches(self, nodeid: str, rule_ids: tuple[str, ...]) -> bool:
        if self.rule is not None:
            return self.rule in rule_ids or self.rule in {r.rsplit("-", 1)[0] for r in rule_ids}
        assert self.test is not None
        nodeid = test_id(nodeid)
        return nodeid == self.test or nodeid.split("[")[0] == self.test or nodeid.startswith(self.test + "[")

    @property
    def label(self) -> str:
        """ "known failure (TICKET)", or "known failure" without a ticket."""
        return f"known failure ({self.ticket})" if self.ticket else "known failure"


@dataclass(frozen=True)
class TargetFile:
    path: Path
    language: str
    skip_mock_only: bool
    exclude: tuple[str, ...]
    employers: tuple[Employer, ...]
    ca_key: Path | None = None  # the private key of the fixture CA the portal trusts
    secrets: tuple[str, ...] = field(default=(), repr=False)  # passwords, storage-state cookies
    wait_timeout: float | None = None  # seconds; --wait-timeout's default for this portal
    fail_on_skip: bool = False
    token_url: str | None = None  # the OAuth token endpoint, when not on the screens' host
    services_url: str | None = None  # the REST services' base URL, likewise
    proxy: str | None = None  # the browser's proxy server (a corporate proxy)
    proxy_bypass: str | None = None
    ignore_https_errors: bool = False  # a portal whose certificate a company CA issued
    ca_bundle: Path | None = None  # that company CA, for the suite's own HTTP calls (OAuth)
    known_failures: tuple[KnownFailure, ...] = ()


# The run's target file, read once when pytest starts (None for the bundled mock).
TARGET_FILE_KEY = pytest.StashKey["TargetFile | None"]()


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

    wait_timeout = data.get("wait_timeout")
    if wait_timeout is not None and (
        isinstance(wait_timeout, bool) or not isinstance(wait_timeout, int | float) or wait_timeout <= 0
    ):
        raise _bad(path, f"wait_timeout: expected a number of seconds above 0, got {wait_timeout!r}")
    fail_on_skip = data.get("fail_on_skip", False)
    if not isinstance(fail_on_skip, bool):
        raise _bad(path, f"fail_on_skip: expected true or false, got {fail_on_skip!r}")

    services = _table(path, data, "services", SERVICES_KEYS)
    token_url = _url(path, "services.token_url", services.get("token_url"))
    services_url = _url(path, "services.base_url", services.get("base_url"))

    browser = _table(path, data, "browser", BROWSER_KEYS)
    proxy = _url(path, "browser.proxy", browser.get("proxy"))
    proxy_bypass = _optional_text(path, "browser", browser, "proxy_bypass")
    ignore_https_errors = browser.get("ignore_https_errors", False)
    if not isinstance(ignore_https_errors, bool):
        raise _bad(path, f"browser.ignore_https_errors: expected true or false, got {ignore_https_errors!r}")
    ca_bundle = None
    if "ca_bundle" in browser:
        ca_bundle = (path.parent / _text(path, "browser", browser, "ca_bundle")).resolve()
        if not ca_bundle.is_file():
            raise _bad(path, f"browser.ca_bundle: no file {ca_bundle}")

    known_failures = _known_failures(path, data.get("known_failures", []))

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
    return TargetFile(
        path,
        language,
        skip_mock_only,
        tuple(exclude),
        tuple(employers),
        ca_key,
        tuple(secrets),
        float(wait_timeout) if wait_timeout is not None else None,
        fail_on_skip,
        token_url,
        services_url,
        proxy,
        proxy_bypass,
        ignore_https_errors,
        ca_bundle,
        known_failures,
    )


def _table(path: Path, data: dict[str, Any], key: str, allowed: set[str]) -> dict[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise _bad(path, f"{key}: expected a table ([{key}])")
    _check_keys(path, f"[{key}]", table, allowed)
    return table


def _url(path: Path, where: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise _bad(path, f"{where}: expected an http:// or https:// URL, got {value!r}")
    return value.rstrip("/")


def _known_failures(path: Path, raw: Any) -> tuple[KnownFailure, ...]:
    if not isinstance(raw, list):
        raise _bad(path, "known_failures: expected [[known_failures]] entries")
    found = []
    for index, entry in enumerate(raw):
        where = f"known_failures[{index}]"
        if not isinstance(entry, dict):
            raise _bad(path, f"{where}: expected a table")
        _check_keys(path, where, entry, KNOWN_FAILURE_KEYS)
        test, rule = _optional_text(path, where, entry, "test"), _optional_text(path, where, entry, "rule")
        if bool(test) == bool(rule):
            raise _bad(path, f"{where}: give exactly one of test (a test id) or rule (a rule id or family)")
        families = {rule_id.rsplit("-", 1)[0] for rule_id in RULES}
        if rule is not None and rule not in RULES and rule not in families:
            raise _bad(path, f"{where}.rule: {rule!r} is not a rule id or family of docs/contract.md")
        found.append(
            KnownFailure(
                reason=_text(path, where, entry, "reason"),
                test=test,
                rule=rule,
                ticket=_optional_text(path, where, entry, "ticket"),
            )
        )
    return tuple(found)

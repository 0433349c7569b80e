"""The portal under test: who it is, how to get an employer on it, and how to sign in.

A target is either the bundled mock (started by the suite, with its test-provisioning API) or a
foreign portal named by a target file (see ``harness/target_file.py``). Tests see only this
interface, so the same scenario runs unchanged against both.
"""
from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field
from typing import Protocol

from playwright.sync_api import BrowserContext

ROLES = ("gl", "cogl", "user")  # gestionnaire local, co-gestionnaire local, plain user


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    password: str | None = field(default=None, repr=False)  # never printed
    storage_state: str | None = None  # a Playwright storage-state file, for eID/itsme portals


@dataclass(frozen=True)
class Employer:
    name: str
    enterprise_number: str
    onss_number: str
    creation_date: str | None
    accounts: dict[str, Account]

    def account(self, role: str) -> Account:
        try:
            return self.accounts[role]
        except KeyError:
            raise LookupError(f"employer {self.name!r} has no {role!r} account") from None


class Target(Protocol):
    kind: str  # "mock" or "foreign"
    base_url: str
    language: str
    has_test_api: bool

    def new_employer(self, name: str | None = None) -> Employer: ...

    def hold_employer(self, name: str | None = None) -> Employer:
        """An employer for a worker's shared screens, given to no test afterwards."""
        ...

    def sign_in(self, context: BrowserContext, account: Account) -> None: ...

    def close(self) -> None: ...


class MockTarget:
    """The bundled mock portal, started in this process on a free port."""

    kind = "mock"
    has_test_api = True

    def __init__(self, *, trust_paths=(), defects=(), language: str = "fr", state_path=None):
        import mockportal  # only the harness starts the mock; the suite never imports it

        self._portal = mockportal.start(
            port=0, trust_paths=tuple(trust_paths), defects=tuple(defects), state_path=state_path
        )
        self.base_url = self._portal.url
        self.language = language

    def _post(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(
            self.base_url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def new_employer(self, name: str | None = None) -> Employer:
        body = {"language": self.language}
        if name:
            body["name"] = name
        data = self._post("/__test__/employers", body)
        e = data["employer"]
        accounts = {
            role: Account(username=u["username"], password=u["password"], role=role)
            for role, u in data["users"].items()
        }
        return Employer(e["name"], e["enterprise_number"], e["onss_number"], e["creation_date"], accounts)

    hold_employer = new_employer  # every employer of the mock is new: none to keep from tests

    def sign_in(self, context: BrowserContext, account: Account) -> None:
        """A session made through the provisioning API: no login form typed (contract allows it)."""
        cookie = self._post("/__test__/sessions", {"username": account.username, "language": self.language})["cookie"]
        context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": self.base_url}])

    def stored_configuration(self, employer: Employer) -> dict | None:
        """What the mock stores for ``employer`` (mock-only checks: 'nothing stored')."""
        url = f"{self.base_url}/__test__/employers/{employer.enterprise_number}/configuration"
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)

    def set_defects(self, names: list[str]) -> None:
        """Start the mock again, empty, with these named defects on (the kill matrix)."""
        self._post("/__test__/defects", {"names": list(names)})

    def close(self) -> None:
        self._portal.stop()

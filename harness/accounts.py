"""Who signs in: an account per role, and the employer (the quality) it acts for."""

from __future__ import annotations

from dataclasses import dataclass, field

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

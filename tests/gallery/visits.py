"""What the gallery's tests share: the screens it photographs, a run's settings, one screen's
visit (``pages.tour.Start``) and the values on a screen that change from run to run (masked in
compared shots)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page

from contract.fields import TECHNICAL_USER_SUMMARY
from fixtures import BelgianData, ContactPerson, derive_seed
from harness.accounts import Employer
from harness.gallery import Shot
from pages import Screen
from pages.regions import keyed, read_pairs
from pages.tour import CONFIGURED, TourScreen, screens_except

# The tour's screens (pages/tour.py) the gallery does not photograph, and why; it photographs
# every other one, in the tour's order.
LEFT_OUT = {
    "login-refused": "a state of the sign-in page the gallery already shows (A11Y-1 scans it)",
    **dict.fromkeys(
        ("home-with-sender", "channels", "channel-to-add-refused", "channel-confirmation"),
        "the mock's own accessibility checks go there (tests/http/test_a11y.py); no page object does",
    ),
}
PHOTOGRAPHED = screens_except(LEFT_OUT, consumer="the gallery (tests/gallery/visits.py)")

BRUSSELS = ZoneInfo("Europe/Brussels")
# Values that change from run to run, by the word key of their label.
VOLATILE_KEYS = frozenset(
    {
        *TECHNICAL_USER_SUMMARY,
        "oauth_client",
        "cert_expiry",
        "cert_expiry_overview",
        "serial_decimal",
        "serial_hex",
        "enterprise_number",
        "onss_number",
        "creation_date",
    }
)


@dataclass(frozen=True)
class Gallery:
    """A run's folder, its target's baselines and what ``--visual`` / ``--update-baselines`` ask."""

    folder: Path
    baselines: Path
    visual: bool
    update: bool
    max_diff_pixels: int

    @property
    def compares(self) -> bool:
        return self.visual or self.update

    def shot(self, screen: str, language: str) -> Shot:
        return Shot(self.folder, screen, language)


def employer_values(employer: Employer) -> set[str]:
    """What a screen may show of an employer that another run's employer shows differently."""
    return {
        employer.name,
        employer.enterprise_number,
        employer.onss_number,
        employer.creation_date or "",
        *(account.username for account in employer.accounts.values()),
    }


def shown_values(screen: Screen) -> set[str]:
    """The values of ``VOLATILE_KEYS`` in the screen's summaries (sender number, dates, serials)."""
    pairs = keyed(read_pairs(screen.main), screen.words, VOLATILE_KEYS)
    return {value for key, value in pairs.items() if key in VOLATILE_KEYS and isinstance(value, str)}


def today() -> set[str]:
    return {dt.datetime.now(BRUSSELS).strftime("%d/%m/%Y")}


def gallery_person(faker_seed: int, language: str) -> ContactPerson:
    """The contact person typed in ``language``: the same in every run with the same seed."""
    seed = derive_seed(faker_seed, "gallery-person", language)
    return BelgianData(language=language, seed=seed).contact_person(email_count=2)


@dataclass(frozen=True)
class Registration:
    """The Web Service configuration the configured screens show (one per worker)."""

    employer: Employer
    values: frozenset[str]  # what changes from run to run on its screens


@dataclass
class Visit:
    """What one screen's visit starts from (``pages.tour.Start``), and the values it met that
    change from run to run. Fixtures are asked for when the tour needs them: a login page
    starts no portal employer, a fresh screen no registration."""

    screen: TourScreen
    request: pytest.FixtureRequest
    person: ContactPerson
    volatile: set[str] = field(default_factory=today)
    _employer: Employer | None = None

    @property
    def base_url(self) -> str:
        return str(self.request.getfixturevalue("base_url"))

    def _page(self) -> Page:
        return self.request.getfixturevalue("new_context")().new_page()

    def signed_out(self) -> Page:
        return self._page()

    def signed_in(self, role: str = "gl") -> Page:
        target = self.request.getfixturevalue("target")
        if self._employer is None:
            if self.screen.starts == CONFIGURED:
                registration: Registration = self.request.getfixturevalue("registration")
                self._employer = registration.employer
                self.volatile |= registration.values
            else:
                self._employer = target.new_employer(name=self.request.getfixturevalue("employer_name"))
            self.volatile |= employer_values(self._employer)
        page = self._page()
        target.sign_in(page.context, self._employer.account(role))
        return page

    def reopen(self, page: Page, address: str) -> None:
        page.goto(address)

    def certificate(self):  # a catalogue entry (pages.flows.Certificate)
        entry = self.request.getfixturevalue("catalogue").fresh("valid-der")
        self.volatile |= {entry.values.serial_decimal, entry.values.serial_hex, entry.values.expiry}
        return entry

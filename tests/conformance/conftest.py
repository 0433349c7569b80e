"""Conformance fixtures: where a scenario starts, built on the harness plugin.

The harness gives ``target``, ``words``, ``employer``, ``sign_in``, ``catalogue``, ``belgian`` and
``shared_screens``; these fixtures turn them into page objects so that a check starts where it
matters, at the lowest cost in page loads (docs/performance.md):

- ``contact_form``, ``channel_form``, ``certificate_form``: a wizard step *shared* by a
  module's tests on one worker (``harness/shared.py``). Only for tests that re-enter what they
  rely on and leave the step as they found it (data the portal refuses; accepted data followed
  by "Précédent"). ``channel_form`` never holds a loaded certificate; ``certificate_form`` may.
- ``contact_form_in``, ``channel_form_in``: the same two steps in the interface language of the
  test's ``language`` parameter, shared by every module's tests of that language on one worker
  (a rule that depends on the language is checked in FR, NL and DE at one walk per language).
- ``shared_registration``: one Web Service configuration registered through the screens per
  worker, for checks that only read it (overview, contact page, channel page, OAuth client).
- ``fresh_registration``: a Web Service configuration of this test's own employer, arranged
  without the wizard (``target.register``), its overview open: for checks that change it.
- ``home``, ``wizard_at_contact``, ``wizard_at_channel``, ``wizard_at_confirmation``: a fresh
  employer's own screens, for tests that change something (Annuler, Confirmer, a language
  switch, a draft's first state).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page

from contract.words import Words
from fixtures import BelgianData, derive_seed
from harness.accounts import Employer
from harness.shared import PER_LANGUAGE, PER_MODULE, PER_WORKER, holds_employer, shared_step, step_key
from pages import (
    ChannelStep,
    ConfirmationStep,
    ContactLike,
    ContactStep,
    HomePage,
    OverviewPage,
    PortalScreen,
    WizardStep,
)
from pages.flows import Certificate, upload_of

# --- fresh screens -------------------------------------------------------------------------


@pytest.fixture
def home(sign_in, employer, words) -> HomePage:
    """Home of a fresh employer's gestionnaire local."""
    return HomePage(sign_in(employer, "gl"), words).loaded()


class HomeFor(Protocol):
    def __call__(self, role: str = "gl", *, of: Employer | None = None) -> HomePage: ...


class ToConfirmation(Protocol):
    def __call__(self, certificate: Certificate) -> ConfirmationStep: ...


@pytest.fixture
def home_for(sign_in, employer, words, new_context) -> HomeFor:
    """``home_for(role="gl", *, of=employer) -> HomePage``: another user, in a browser context
    of their own (sessions must not share cookies)."""

    def _home_for(role: str = "gl", *, of: Employer | None = None) -> HomePage:
        return HomePage(sign_in(of or employer, role, context=new_context()), words).loaded()

    return _home_for


@pytest.fixture
def person(target, pytestconfig, request) -> ContactLike:
    """A valid contact person in the target's language (title and language as word keys), the
    same for a module's tests in a run: on a shared step, a test then types only the fields it
    is about (``ContactStep.fill`` leaves a field that already shows its value)."""
    seed = derive_seed(pytestconfig.getoption("--faker-seed"), "person", request.node.path.name)
    return BelgianData(language=target.language, seed=seed).contact_person()


@pytest.fixture
def certificate(catalogue):
    """A fresh valid DER certificate from the fixture CA, registered by nobody else (CERT-7
    refuses a certificate another sender still uses, and the portal lives for the whole run)."""
    return catalogue.fresh("valid-der")


@pytest.fixture
def fresh_registration(target, browser, employer, person, certificate, sign_in, words) -> OverviewPage:
    """A fresh employer with a Web Service configuration (``person``, ``certificate``) arranged
    without the wizard's five page loads (``target.register``: the test API on the mock, the
    portal's own wizard elsewhere), its gestionnaire local on the overview. For tests whose
    subject comes after a registration."""
    target.register(browser, employer, person, certificate.path)
    return HomePage(sign_in(employer), words).loaded().open_overview()


class ExpectNothingStored(Protocol):
    def __call__(self, employer: Employer) -> None: ...


@pytest.fixture
def expect_nothing_stored(target, browser) -> ExpectNothingStored:
    """``expect_nothing_stored(employer)``: the portal holds no configuration for ``employer``
    (``Target.has_configuration``: the mock's store; a foreign portal's own Home)."""

    def _expect_nothing_stored(employer: Employer) -> None:
        assert not target.has_configuration(browser, employer), f"{employer.name}: a configuration is stored"

    return _expect_nothing_stored


@pytest.fixture
def wizard_at_contact(home: HomePage) -> ContactStep:
    """The wizard's "Personne de contact" step, reached from Home."""
    return home.start_registration().next()


@pytest.fixture
def wizard_at_channel(wizard_at_contact: ContactStep, person) -> ChannelStep:
    """The "Données du canal" step, with ``person`` entered as the contact."""
    return wizard_at_contact.fill(person).next()


@pytest.fixture
def wizard_at_confirmation(wizard_at_channel: ChannelStep) -> ToConfirmation:
    """``wizard_at_confirmation(certificate) -> ConfirmationStep``: Web Service chosen, the
    certificate (a catalogue entry, a path or a payload) uploaded."""

    def _at_confirmation(certificate: Certificate) -> ConfirmationStep:
        return wizard_at_channel.choose_web_service().upload_certificate(upload_of(certificate)).next()

    return _at_confirmation


# --- shared wizard steps ----------------------------------------------------------------------


@pytest.fixture
@holds_employer("employer", by_company=True)
def shared_employer(shared_screens, target, catalogue) -> Employer:
    """The employer of this worker's shared wizard steps, named like the catalogue's company (a
    certificate self-signed in the company's name is accepted for it, CERT-6). Its wizards are
    never confirmed: it stays without configuration."""
    held = shared_screens.keep("employer", lambda: target.hold_employer("employer", name=catalogue.company))
    # A target that keeps no employer for the worker's steps: the test's own (its steps are built
    # per test, ``shares_steps``).
    return held if held is not None else target.new_employer(name=catalogue.company)


def shares_steps(target) -> bool:
    """Whether the worker's wizard steps are shared: the target keeps their employer for them."""
    return target.keeps("employer")


@pytest.fixture(scope="session")
def shared_person(target, pytestconfig) -> ContactLike:
    """The contact the shared channel steps were reached with."""
    seed = derive_seed(pytestconfig.getoption("--faker-seed"), "shared-person")
    return BelgianData(language=target.language, seed=seed).contact_person()


def _walk_to_contact(page: Page, target, employer: Employer, base_url: str, words: Words) -> ContactStep:
    target.sign_in(page.context, employer.account("gl"))
    return HomePage.visit(page, base_url, words).start_registration().next()


def _walk_to_channel(
    page: Page, target, employer: Employer, base_url: str, words: Words, person: ContactLike
) -> ChannelStep:
    return _walk_to_contact(page, target, employer, base_url, words).fill(person).next()


def on_its_step(step: WizardStep, words: Words) -> str | None:
    """Why ``step`` is not ready for the next test (None when it is): another screen or language."""
    language = step.header.language()
    if language != words.language:
        return f"the page is in {language!r}, not {words.language!r}"
    current, expected = step.steps.current(), words[step.STEP] if step.STEP else None
    if current != expected:
        return f"it shows {current or 'no wizard step'!r} instead of {expected!r}"
    return None


def without_certificate(step: ChannelStep, words: Words, owners: frozenset[str]) -> str | None:
    """``on_its_step``, and no certificate loaded in the draft (the step names none of the
    catalogue's owners): the next test may check what happens without one."""
    problem = on_its_step(step, words)
    if problem is not None:
        return problem
    text = step.main.inner_text()
    loaded = sorted(owner for owner in owners if owner in text)
    return f"a certificate is loaded in the draft ({loaded[0]})" if loaded else None


def cancel_quietly(step: WizardStep) -> None:
    """Annuler on a discarded shared step, so the portal drops its draft (best effort)."""
    try:
        step.cancel_button.click(timeout=2000)
    except Exception:  # noqa: BLE001 - the page may be gone already; its context closes next
        pass


# One shared step per module (groups stay small, so loadgroup can balance them across workers),
# or per language for the steps in a language; one shared registration per worker.


@pytest.fixture
@shared_step(PER_MODULE)
def contact_form(shared_screens, request, target, shared_employer, base_url, words) -> ContactStep:
    """ "Personne de contact", shared by this module's tests on this worker. Fill every field
    (``fill(person)``); after data the portal accepts, come back with ``previous()``."""
    return shared_screens.use(
        request,
        step_key(request),
        build=functools.partial(
            _walk_to_contact, target=target, employer=shared_employer, base_url=base_url, words=words
        ),
        clean=functools.partial(on_its_step, words=words),
        on_close=cancel_quietly,
        shared=shares_steps(target),
    )


@pytest.fixture
def to_channel(target, shared_employer, shared_person, base_url, words) -> Callable[[Page], ChannelStep]:
    """How a shared "Données du canal" is reached on a new page: the contact step filled with
    this module's person."""
    return functools.partial(
        _walk_to_channel, target=target, employer=shared_employer, base_url=base_url, words=words, person=shared_person
    )


@pytest.fixture
@shared_step(PER_MODULE)
def channel_form(shared_screens, request, to_channel, words, catalogue, target) -> ChannelStep:
    """ "Données du canal" with no certificate loaded, shared by this module's tests on this
    worker: for uploads and choices the portal refuses. Choose the channel, the applications
    and the key each time; never leave a valid certificate loaded (use ``certificate_form``)."""
    owners = frozenset(entry.values.owner for entry in catalogue if entry.values is not None)
    return shared_screens.use(
        request,
        step_key(request),
        build=to_channel,
        clean=functools.partial(without_certificate, words=words, owners=owners),
        on_close=cancel_quietly,
        shared=shares_steps(target),
    )


@pytest.fixture
@shared_step(PER_MODULE)
def certificate_form(shared_screens, request, to_channel, words, target) -> ChannelStep:
    """ "Données du canal", shared by this module's tests on this worker, for uploads the portal
    accepts (its employer is named like the catalogue's company): upload, "Suivant", read the
    confirmation, "Précédent". A certificate may be loaded from an earlier test: upload one."""
    return shared_screens.use(
        request,
        step_key(request),
        build=to_channel,
        clean=functools.partial(on_its_step, words=words),
        on_close=cancel_quietly,
        shared=shares_steps(target),
    )


@pytest.fixture
@shared_step(PER_LANGUAGE)
def contact_form_in(shared_screens, request, language, target, shared_employer, base_url, words) -> ContactStep:
    """ "Personne de contact" in the interface language ``language`` (the test's parameter),
    shared by the tests of that language on this worker, whatever their module. Used like
    ``contact_form``."""
    walk = functools.partial(_walk_to_contact, target=target, employer=shared_employer, base_url=base_url, words=words)
    return shared_screens.use(
        request,
        step_key(request),
        build=lambda page: walk(page).switch_language(language),
        clean=functools.partial(on_its_step, words=Words(language)),
        on_close=cancel_quietly,
        shared=shares_steps(target),
    )


@pytest.fixture
@shared_step(PER_LANGUAGE)
def channel_form_in(shared_screens, request, language, to_channel, catalogue, target) -> ChannelStep:
    """ "Données du canal" in the interface language ``language``, with no certificate loaded,
    shared by the tests of that language on this worker: for uploads and choices the portal
    refuses, used like ``channel_form``."""
    owners = frozenset(entry.values.owner for entry in catalogue if entry.values is not None)
    return shared_screens.use(
        request,
        step_key(request),
        build=lambda page: to_channel(page).switch_language(language),
        clean=functools.partial(without_certificate, words=Words(language), owners=owners),
        on_close=cancel_quietly,
        shared=shares_steps(target),
    )


# --- one registered configuration per worker --------------------------------------------------

BRUSSELS = ZoneInfo("Europe/Brussels")


def today_in_brussels() -> str:
    return dt.datetime.now(BRUSSELS).strftime("%d/%m/%Y")


@dataclass
class Registration:
    """A Web Service channel registered once for a worker's read-only checks, and what the
    portal showed on the way (the confirmation and the message after "Confirmer" are seen once)."""

    employer: Employer
    person: ContactLike
    certificate: object  # the catalogue entry uploaded
    no_active_sender_before: bool  # Home said so before the registration (HOME-2)
    confirmation: dict[str, dict[str, str]]  # contact, channel, certificate as confirmed
    status: str  # the success message after "Confirmer" (RESULT-1)
    dates: frozenset[str]  # today in Brussels when "Confirmer" was pressed (midnight aside)
    sender: str  # as the overview showed them after "Confirmer"
    client_id: str
    screen: PortalScreen  # the signed-in page; tests open the screen they read from it

    def overview(self) -> OverviewPage:
        return self.screen.open_overview()


def _register(
    page: Page, target, employer: Employer, base_url: str, words: Words, person: ContactLike, certificate
) -> Registration:
    target.sign_in(page.context, employer.account("gl"))
    home = HomePage.visit(page, base_url, words)
    before = home.has_no_active_sender()
    contact = home.start_registration().next()
    confirmation = contact.fill(person).next().choose_web_service().upload_certificate(upload_of(certificate)).next()
    shown = {
        "contact": confirmation.contact(),
        "channel": confirmation.channel(),
        "certificate": confirmation.certificate(),
    }
    first_day = today_in_brussels()
    overview = confirmation.confirm()
    status, days = overview.status_message(), frozenset({first_day, today_in_brussels()})
    sender = overview.technical_user().get("sender_number", "")
    client_id = overview.web_service().get("oauth_client", "")
    return Registration(employer, person, certificate, before, shown, status, days, sender, client_id, overview)


def still_registered(registration: Registration, words: Words) -> str | None:
    """Why the shared registration is not usable by the next test (None when it is)."""
    screen = registration.screen
    if screen.header.language() != words.language:
        return f"the page is in {screen.header.language()!r}, not {words.language!r}"
    if screen.navigation.link("overview").count() != 1:
        return "the side navigation no longer offers the configuration's overview (deleted?)"
    return None


@pytest.fixture
@shared_step(PER_WORKER)
@holds_employer("registered")
def shared_registration(shared_screens, request, target, base_url, words, catalogue, pytestconfig) -> Registration:
    """A Web Service configuration registered once per worker, with a person of two e-mail
    addresses. Tests only read it: they open the screen they check from ``registered.screen``.
    On a foreign portal it is removed through the deletion screen when the run ends."""
    seed = derive_seed(pytestconfig.getoption("--faker-seed"), "registered")
    person = BelgianData(language=target.language, seed=seed).contact_person(email_count=2)

    shared = target.keeps("registered")  # else a registration of the test's own, on its own employer

    def build(page: Page) -> Registration:
        employer = target.hold_employer("registered") if shared else target.new_employer()
        return _register(page, target, employer, base_url, words, person, catalogue.fresh("valid-der"))

    def remove(registration: Registration) -> None:
        browser = registration.screen.page.context.browser
        if not target.is_disposable and browser is not None:
            target.remove_configuration(browser, registration.employer)

    return shared_screens.use(
        request,
        step_key(request),
        build=build,
        clean=functools.partial(still_registered, words=words),
        on_close=remove,
        shared=shared,
    )


__all__ = ["Registration"]

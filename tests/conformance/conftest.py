"""Conformance fixtures: signed-in screens and the happy path, built on the harness plugin.

The harness gives ``target``, ``words``, ``employer``, ``sign_in``, ``catalogue`` and
``belgian``; these fixtures turn them into page objects so a scenario starts where it matters.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol

import pytest

from pages import ChannelStep, ConfirmationStep, ContactLike, ContactStep, HomePage, OverviewPage


class HasPath(Protocol):
    path: Path


Certificate = HasPath | Path | str  # a catalogue entry, or a file path


def _path(certificate: Certificate) -> Path:
    return Path(certificate) if isinstance(certificate, (str, Path)) else Path(certificate.path)


@pytest.fixture
def home(sign_in, employer, words) -> HomePage:
    """Home of a fresh employer's gestionnaire local."""
    return HomePage(sign_in(employer, "gl"), words).loaded()


@pytest.fixture
def home_for(sign_in, employer, words, new_context) -> Callable[..., HomePage]:
    """``home_for(role="gl", *, of=employer) -> HomePage``: another user, in a browser context
    of their own (sessions must not share cookies)."""

    def _home_for(role: str = "gl", *, of=None) -> HomePage:
        return HomePage(sign_in(of or employer, role, context=new_context()), words).loaded()

    return _home_for


@pytest.fixture
def person(belgian) -> ContactLike:
    """A valid contact person in the target's language (title and language as word keys)."""
    return belgian.contact_person()


@pytest.fixture
def certificate(catalogue):
    """A fresh valid DER certificate from the fixture CA, registered by nobody else (CERT-7
    refuses a certificate another sender still uses, and the portal lives for the whole run)."""
    return catalogue.fresh("valid-der")


@pytest.fixture
def wizard_at_contact(home: HomePage) -> ContactStep:
    """The wizard's "Personne de contact" step, reached from Home."""
    return home.start_registration().next()


@pytest.fixture
def wizard_at_channel(wizard_at_contact: ContactStep, person) -> ChannelStep:
    """The "Données du canal" step, with ``person`` entered as the contact."""
    return wizard_at_contact.fill(person).next()


@pytest.fixture
def wizard_at_confirmation(wizard_at_channel: ChannelStep) -> Callable[[Certificate], ConfirmationStep]:
    """``wizard_at_confirmation(certificate) -> ConfirmationStep``: Web Service chosen, the
    certificate (a catalogue entry or a path) uploaded."""

    def _at_confirmation(certificate: Certificate) -> ConfirmationStep:
        return wizard_at_channel.choose_web_service().upload_certificate(_path(certificate)).next()

    return _at_confirmation


@pytest.fixture
def register_web_service() -> Callable[[HomePage, ContactLike, Certificate], OverviewPage]:
    """``register_web_service(home, person, certificate) -> OverviewPage``: the whole happy path."""

    def _register(home: HomePage, person: ContactLike, certificate: Certificate) -> OverviewPage:
        contact = home.start_registration().next()
        channel = contact.fill(person).next()
        confirmation = channel.choose_web_service().upload_certificate(_path(certificate)).next()
        return confirmation.confirm()

    return _register

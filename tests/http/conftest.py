"""Fixtures of the mock portal's HTTP tests: a portal per module, a fresh employer, its signed-in
gestionnaire local. A module that needs another portal (a skin, a trusted CA) defines its own
``portal``; ``employer`` and ``gl`` then use that one. The helpers are in ``mockkit``."""

from __future__ import annotations

import io

import pytest

import mockportal
from tests.http.mockkit import Client


@pytest.fixture(scope="module")
def portal():
    """A mock portal on a free port for the module, its log captured in ``portal.log_text()``."""
    stream = io.StringIO()
    with mockportal.start(port=0, log=stream) as running:
        running.log_text = stream.getvalue
        yield running


@pytest.fixture
def employer(portal) -> dict:
    """A fresh employer with its three accounts."""
    return Client(portal.url).new_employer()


@pytest.fixture
def gl(portal, employer) -> Client:
    """Its gestionnaire local, signed in (French)."""
    client = Client(portal.url)
    client.sign_in(employer["users"]["gl"]["username"], "fr")
    client.employer = employer
    return client

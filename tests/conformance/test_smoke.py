"""Smoke: the seed's walkthrough in the browser, Home to the overview, with a DER certificate."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from contract.fields import STEPS
from pages import ConfirmationStep, HomePage, OverviewPage

pytestmark = [pytest.mark.browser, pytest.mark.mutating, pytest.mark.scenario]


@pytest.mark.rules("HOME-2", "WIZ-1", "CONFIRM-1", "CONFIRM-2", "RESULT-1", "RESULT-2", "RESULT-3")
def test_register_a_web_service_channel(home: HomePage, person, certificate, words) -> None:
    # Home: no sender yet, the registration link offered.
    expect(home.no_active_sender).to_be_visible()
    expect(home.navigation.link("register_configuration")).to_be_visible()

    # Information: the wizard's title and its four steps, in order, the first one current.
    info = home.start_registration()
    expect(info.title).to_be_visible()
    step_words = [words[key] for key in STEPS]
    assert info.steps.names() == step_words
    assert info.steps.current() == words["step_information"]

    # Personne de contact -> Données du canal.
    contact = info.next()
    assert contact.steps.current() == words["step_contact"]
    channel = contact.fill(person).next()
    assert channel.steps.current() == words["step_channel"]

    # Web Service with the certificate -> Confirmation.
    confirmation: ConfirmationStep = channel.choose_web_service().upload_certificate(certificate.path).next()
    assert confirmation.steps.current() == words["step_confirmation"]
    shown = confirmation.contact()
    assert shown["last_name"] == person.last_name
    assert shown["first_name"] == person.first_name
    assert shown["title"] == words[person.title]
    assert shown["language_regime"] == words[person.language_regime]
    assert shown["emails"] == tuple(person.emails)
    assert confirmation.channel() == {
        "channel": words["channel_value_ws"],
        "connection_type": words["connection_internet"],
    }
    assert confirmation.certificate() == certificate.values.by_word_key()

    # Confirmer -> "Le canal a bien été ajouté." and the overview.
    overview: OverviewPage = confirmation.confirm()
    expect(overview.status).to_have_text(words["channel_added"])
    expect(overview.title).to_be_visible()
    technical = overview.technical_user()
    assert re.fullmatch(r"\d{1,6}", technical["sender_number"]), technical
    assert technical["registration_date"] == dt.datetime.now(ZoneInfo("Europe/Brussels")).strftime("%d/%m/%Y")
    assert technical["technical_username"], technical
    # The Web service section repeats the certificate's values; the overview labels the date
    # "Date d'expiration du certificat" (cert_expiry_overview).
    expected = certificate.values.by_word_key()
    expected["cert_expiry_overview"] = expected.pop("cert_expiry")
    expected |= {
        "connection_type": words["connection_internet"],
        "oauth_client": f"self_service_expeditor_{technical['sender_number']}",
    }
    assert overview.web_service() == expected

"""After "Confirmer": the message, the overview, the side navigation and Home (RESULT-1..4)."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from pages import HomePage

pytestmark = [pytest.mark.browser, pytest.mark.mutating]

SENDER = re.compile(r"[1-9][0-9]{0,5}")


def shown_contact(person, words) -> dict[str, str]:
    return {
        "last_name": person.last_name, "first_name": person.first_name, "title": words[person.title],
        "function": person.function, "language_regime": words[person.language_regime],
        "phone": person.phone, "fax": person.fax, "mobile": person.mobile,
        "emails": ", ".join(person.emails),
    }


def today_in_brussels() -> str:
    return dt.datetime.now(ZoneInfo("Europe/Brussels")).strftime("%d/%m/%Y")


@pytest.mark.rules("RESULT-1", "RESULT-2")
def test_confirm_shows_the_message_and_the_technical_user(wizard_at_confirmation, certificate, words) -> None:
    before = today_in_brussels()
    overview = wizard_at_confirmation(certificate).confirm()
    after = today_in_brussels()

    expect(overview.status).to_have_text(words.channel_added)
    expect(overview.title).to_be_visible()
    technical = overview.technical_user()
    assert SENDER.fullmatch(technical["sender_number"]), technical
    assert technical["registration_date"] in {before, after}, technical
    assert technical["technical_username"].strip(), technical


@pytest.mark.rules("RESULT-3", "CHANNEL-5")
def test_web_service_section(wizard_at_confirmation, certificate, words) -> None:
    overview = wizard_at_confirmation(certificate).confirm()

    sender = overview.technical_user()["sender_number"]
    expected = certificate.values.by_word_key()
    expected["cert_expiry_overview"] = expected.pop("cert_expiry")
    assert overview.web_service() == {"connection_type": words.connection_internet, **expected,
                                      "oauth_client": f"self_service_expeditor_{sender}"}


@pytest.mark.rules("RESULT-1", "RESULT-3", "CONFIRM-1", "CONFIRM-2")
def test_overview_agrees_with_the_confirmation(wizard_at_confirmation, certificate, person, words) -> None:
    confirmation = wizard_at_confirmation(certificate)
    contact, channel, cert = confirmation.contact(), confirmation.channel(), confirmation.certificate()

    overview = confirmation.confirm()

    assert contact == shown_contact(person, words)
    assert overview.contact() == contact
    web_service = overview.web_service()
    assert web_service["connection_type"] == channel["connection_type"]
    cert["cert_expiry_overview"] = cert.pop("cert_expiry")
    assert {key: web_service.get(key) for key in cert} == cert


@pytest.mark.rules("RESULT-4", "HOME-2")
def test_navigation_and_home_after_registration(home, person, certificate, words, register_web_service) -> None:
    expect(home.no_active_sender).to_be_visible()
    overview = register_web_service(home, person, certificate)

    navigation = overview.navigation
    for key in ("overview", "section_contact", "channels", "channel_sftp", "channel_ws", "channel_ftp",
                "delete_configuration"):
        expect(navigation.link(key)).to_be_visible()
    expect(navigation.link("register_configuration")).to_have_count(0)
    links = navigation.links()[words.structured_messages]
    channel_links = [words.channel_sftp, words.channel_ws, words.channel_ftp]
    assert set(channel_links) <= set(links), links
    assert sorted(channel_links, key=links.index) == channel_links, links  # the seed's order

    home_again = overview.go_home()
    expect(home_again.no_active_sender).to_have_count(0)
    expect(home_again.navigation.link("overview")).to_be_visible()


@pytest.mark.rules("RESULT-4", "CONFIRM-1")
def test_contact_person_page_shows_the_contact(home, belgian, certificate, words, register_web_service) -> None:
    person = belgian.contact_person(email_count=2)
    overview = register_web_service(home, person, certificate)

    contact_page = overview.open_contact_person()

    assert contact_page.contact() == shown_contact(person, words)


@pytest.mark.rules("RESULT-2")
def test_two_employers_get_different_user_names(home, person, certificate, catalogue, target, sign_in, words,
                                                new_context, register_web_service) -> None:
    first = register_web_service(home, person, certificate).technical_user()
    other = HomePage(sign_in(target.new_employer(), context=new_context()), words).loaded()
    second = register_web_service(other, person, catalogue.fresh("valid-der")).technical_user()

    assert first["technical_username"] and second["technical_username"]
    assert first["technical_username"] != second["technical_username"]

"""After "Confirmer": the message, the overview, the side navigation and Home (RESULT-1..4).

Most checks read the worker's one registered configuration (``shared_registration``): what the portal
showed while it was registered, and the screens it offers since. The overview writes a
certificate's names as the confirmation does (CONFIRM-3)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from cryptography import x509
from playwright.sync_api import expect

from pages import HomePage
from pages.flows import register_web_service

pytestmark = [pytest.mark.browser, pytest.mark.mutating, pytest.mark.focused]

SENDER = re.compile(r"[1-9][0-9]{0,5}")
BRUSSELS = ZoneInfo("Europe/Brussels")


def not_after(entry) -> dt.datetime:
    """The certificate's notAfter, read from the file itself."""
    data = entry.path.read_bytes()
    loaded = x509.load_der_x509_certificate(data) if data[:1] == b"\x30" else x509.load_pem_x509_certificate(data)
    return loaded.not_valid_after_utc


@pytest.mark.rules("RESULT-1", "RESULT-2")
def test_confirm_shows_the_message_and_the_technical_user(shared_registration, words) -> None:
    overview = shared_registration.overview()

    assert shared_registration.status == words["channel_added"]
    expect(overview.title).to_be_visible()
    technical = overview.technical_user()
    assert SENDER.fullmatch(technical["sender_number"]), technical
    assert technical["registration_date"] in shared_registration.dates, technical
    assert technical["technical_username"].strip(), technical


@pytest.mark.rules("RESULT-3", "CHANNEL-5")
def test_web_service_section(shared_registration, words) -> None:
    overview = shared_registration.overview()

    sender = overview.technical_user()["sender_number"]
    expected = shared_registration.certificate.values.by_word_key()
    expected["cert_expiry_overview"] = expected.pop("cert_expiry")
    assert overview.web_service() == {
        "connection_type": words["connection_internet"],
        **expected,
        "oauth_client": f"self_service_expeditor_{sender}",
    }


@pytest.mark.rules("RESULT-1")
def test_the_message_shows_again_after_a_deletion(home: HomePage, person, catalogue, words) -> None:
    """Registered through the wizard, deleted, registered again: "Confirmer" says so each time."""
    first = register_web_service(home, person, catalogue.fresh("valid-der"))
    expect(first.status).to_have_text(words["channel_added"])
    home_again = first.open_deletion().confirm()
    expect(home_again.no_active_sender).to_be_visible()

    again = register_web_service(home_again, person, catalogue.fresh("valid-der"))

    expect(again.status).to_have_text(words["channel_added"])
    expect(again.title).to_be_visible()


@pytest.mark.rules("RESULT-3")
@pytest.mark.parametrize("name", ["expiry-brussels-summer", "expiry-brussels-winter"])
def test_the_overview_shows_the_expiry_day_in_brussels(
    name, target, browser, employer, person, catalogue, sign_in, words
) -> None:
    """notAfter at 22:30 UTC: the next day in Brussels in summer, the same day in winter, as
    on the confirmation (CONFIRM-2), computed here from the certificate itself."""
    entry = catalogue.fresh(name)
    expiry = not_after(entry)
    target.register(browser, employer, person, entry.path)

    web_service = HomePage(sign_in(employer), words).loaded().open_overview().web_service()

    assert web_service.get("cert_expiry_overview") == expiry.astimezone(BRUSSELS).strftime("%d/%m/%Y"), expiry


@pytest.mark.rules("RESULT-1", "RESULT-3", "CONFIRM-1", "CONFIRM-2")
def test_overview_agrees_with_the_confirmation(shared_registration, words) -> None:
    confirmed = shared_registration.confirmation

    overview = shared_registration.overview()

    assert confirmed["contact"] == shared_registration.person.as_summary(words)
    assert overview.contact() == confirmed["contact"]
    web_service = overview.web_service()
    assert web_service["connection_type"] == confirmed["channel"]["connection_type"]
    certificate = dict(confirmed["certificate"])
    certificate["cert_expiry_overview"] = certificate.pop("cert_expiry")
    assert {key: web_service.get(key) for key in certificate} == certificate


@pytest.mark.rules("RESULT-4", "HOME-2")
def test_navigation_and_home_after_registration(shared_registration, words) -> None:
    assert shared_registration.no_active_sender_before, "Home said there was an active sender before the registration"
    overview = shared_registration.overview()

    navigation = overview.navigation
    for key in (
        "overview",
        "section_contact",
        "channels",
        "channel_sftp",
        "channel_ws",
        "channel_ftp",
        "delete_configuration",
    ):
        expect(navigation.link(key)).to_be_visible()
    expect(navigation.link("register_configuration")).to_have_count(0)
    links = navigation.links()[words["structured_messages"]]
    channel_links = [words["channel_sftp"], words["channel_ws"], words["channel_ftp"]]
    assert set(channel_links) <= set(links), links
    assert sorted(channel_links, key=links.index) == channel_links, links  # the seed's order

    home_again = overview.go_home()
    expect(home_again.no_active_sender).to_have_count(0)
    expect(home_again.navigation.link("overview")).to_be_visible()


@pytest.mark.rules("RESULT-4", "CONFIRM-1")
def test_contact_person_page_shows_the_contact(shared_registration, words) -> None:
    contact_page = shared_registration.screen.open_contact_person()

    assert contact_page.contact() == shared_registration.person.as_summary(words)


@pytest.mark.rules("RESULT-2")
def test_two_employers_get_different_user_names(shared_registration, fresh_registration) -> None:
    first = shared_registration.overview().technical_user()
    second = fresh_registration.technical_user()

    assert first["technical_username"] and second["technical_username"]
    assert first["technical_username"] != second["technical_username"]


@pytest.mark.rules("CONFIRM-3")
def test_the_overview_shows_unseen_characters_as_hex_escapes(
    target, browser, employer, person, catalogue, sign_in, words
) -> None:
    """The overview shows the registered certificate's names as the confirmation did: a
    right-to-left override as the hex escapes of its bytes (defect: overview-names-unescaped)."""
    entry = catalogue.fresh("bidi-owner", company=employer.name)  # self-signed in this employer's name
    target.register(browser, employer, person, entry.path)

    web_service = HomePage(sign_in(employer), words).loaded().open_overview().web_service()

    owner = web_service.get("cert_owner", "")
    assert "\u202e" not in owner and "\\E2\\80\\AE" in owner, owner
    expected = entry.values.by_word_key()
    names = ("cert_owner", "cert_company", "cert_issuer")
    assert {key: web_service.get(key) for key in names} == {key: expected[key] for key in names}

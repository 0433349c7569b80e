"""Home and the wizard's frame: the header, the quality banner, the greeting, the side
navigation (HOME-1, HOME-2), the wizard's title and steps (WIZ-1) and its Information step (WIZ-2)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from contract.fields import ROLE_WORDS, STEPS
from contract.words import LANGUAGES, WordKey
from pages import HomePage, WizardStep
from pages.locate import mentioning

pytestmark = [pytest.mark.browser, pytest.mark.focused]

HEADER_LINKS = ("lang_nl", "lang_fr", "lang_de", "header_home", "header_responsibles", "header_help", "header_quit")
DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def enterprise_number_is_valid(number: str) -> bool:
    """``0xxx.xxx.xxx`` whose last two digits are 97 minus the first eight modulo 97."""
    if not re.fullmatch(r"0\d{3}\.\d{3}\.\d{3}", number):
        return False
    digits = number.replace(".", "")
    return 97 - int(digits[:8]) % 97 == int(digits[8:])


def expect_header_and_navigation(screen, words) -> None:
    expect(screen.header.title()).to_be_visible()
    for key in HEADER_LINKS:
        expect(screen.header.link(key)).to_be_visible()
    expect(screen.navigation.root).to_be_visible()  # the navigation named [functionalities]
    assert screen.navigation.sections() == [
        words["quality_management"],
        words["structured_messages"],
        words["personal_data"],
    ]


@pytest.mark.rules("HOME-1")
def test_home_shows_the_quality_of_the_employer(home: HomePage, employer, words) -> None:
    banner = home.banner.values()
    assert banner["denomination"] == employer.name
    assert banner["enterprise_number"] == employer.enterprise_number
    assert banner["quality"] == words["quality_employer"]
    assert banner["onss_number"] == employer.onss_number

    shown = home.quality()
    assert shown["denomination"] == employer.name
    assert shown["enterprise_number"] == employer.enterprise_number
    assert enterprise_number_is_valid(shown["enterprise_number"]), shown["enterprise_number"]
    assert shown["quality"] == words["quality_employer"]
    assert shown["onss_number"] == employer.onss_number
    assert DATE.fullmatch(shown["creation_date"]), shown["creation_date"]
    if employer.creation_date:
        assert shown["creation_date"] == employer.creation_date


@pytest.mark.rules("HOME-1")
def test_header_and_side_navigation(home: HomePage, words) -> None:
    expect_header_and_navigation(home, words)
    info = home.start_registration()
    expect_header_and_navigation(info, words)
    expect(info.go_home_from_header().no_active_sender).to_be_visible()  # the header's Home leads Home


@pytest.mark.rules("HOME-1")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role,other", [("gl", "cogl"), ("cogl", "gl")])
def test_greeting_names_the_role(sign_in, employer, words, role, other, language) -> None:
    home = HomePage(sign_in(employer, role), words).loaded().switch_language(language)

    expect(home.greeting(role)).to_be_visible()
    expect(home.main.get_by_text(mentioning(home.words[ROLE_WORDS[other]]))).to_have_count(0)
    assert home.banner.values()["denomination"] == employer.name


@pytest.mark.rules("HOME-1")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_enterprise_number_has_valid_check_digits(home: HomePage, employer, language) -> None:
    shown = home.switch_language(language).quality()["enterprise_number"]

    assert enterprise_number_is_valid(str(shown)), shown
    assert shown == employer.enterprise_number


@pytest.mark.rules("HOME-2")
@pytest.mark.parametrize("role", ["gl", "cogl"])  # ACCESS-1: both managers, the same Home
def test_no_sender_yet(sign_in, employer, words, role) -> None:
    home = HomePage(sign_in(employer, role), words).loaded()

    expect(home.no_active_sender).to_be_visible()
    expect(home.no_active_sender).to_have_text(words["no_active_sender"])
    expect(home.navigation.section("structured_messages")).to_be_visible()
    expect(home.navigation.link("register_configuration")).to_be_visible()
    info = home.start_registration()
    expect(info.title).to_be_visible()


def expect_steps(step: WizardStep, words, current: WordKey) -> None:
    expect(step.title).to_be_visible()
    assert step.steps.names() == [words[key] for key in STEPS]
    expect(step.steps.item(current)).to_have_attribute("aria-current", "step")
    for key in STEPS:
        if key != current:
            expect(step.steps.item(key)).not_to_have_attribute("aria-current", "step")
    assert step.steps.current() == words[current]


@pytest.mark.rules("WIZ-1")
def test_wizard_title_and_its_four_steps(home: HomePage, person, certificate, words) -> None:
    info = home.start_registration()
    expect_steps(info, words, "step_information")
    contact = info.next()
    expect_steps(contact, words, "step_contact")
    channel = contact.fill(person).next()
    expect_steps(channel, words, "step_channel")
    confirmation = channel.choose_web_service().upload_certificate(certificate.path).next()
    expect_steps(confirmation, words, "step_confirmation")


@pytest.mark.rules("WIZ-2")
def test_information_step_explains_and_offers_cancel_and_next(home: HomePage, words) -> None:
    info = home.start_registration()

    for channel in ("SFTP", "FTP", "MQLink"):  # the seed's batch channels, named alike in every language
        expect(info.main.get_by_text(mentioning(channel)).first).to_be_visible()
    expect(info.button("cancel")).to_be_visible()
    expect(info.button("next")).to_be_visible()
    expect(info.button("previous")).to_have_count(0)
    expect(info.button("confirm")).to_have_count(0)

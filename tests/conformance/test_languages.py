"""NL | FR | DE (I18N-1): the whole happy path in Dutch and in German, and a switch in the middle
of the wizard that keeps what was typed but not yet sent."""

from __future__ import annotations

import dataclasses
import re

import pytest
from playwright.sync_api import expect

from contract.fields import LANGUAGE_REGIMES, STEPS, TITLES
from contract.words import Words, word_key
from pages import ContactStep, HomePage, LoginPage
from pages.locate import exact_label

pytestmark = [pytest.mark.browser, pytest.mark.focused]

OTHER_LANGUAGES = ["nl", "de"]


def expect_no_button_in(screen, other: Words, keys) -> None:
    """None of the buttons ``keys`` is still named in the ``other`` language (where the words differ)."""
    for key in keys:
        if other[key] != screen.words[key]:
            expect(screen.main.get_by_role("button", name=exact_label(other[key]))).to_have_count(0)


@pytest.mark.scenario
@pytest.mark.mutating
# Every rule whose words it reads in the other language, not I18N-1 alone.
@pytest.mark.rules(
    "I18N-1",
    "HOME-1",
    "HOME-2",
    "WIZ-1",
    "CONTACT-3",
    "CONTACT-4",
    "CHANNEL-5",
    "CONFIRM-1",
    "CONFIRM-2",
    "RESULT-1",
    "RESULT-3",
)
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_happy_path_in_another_language(home: HomePage, person, certificate, language, target) -> None:
    before = Words(target.language)
    w = Words(language)
    if language == target.language:
        pytest.skip(f"the target's interface is already in {language}")

    home = home.switch_language(language)
    assert home.header.language() == language
    expect(home.greeting("gl")).to_be_visible()
    expect(home.no_active_sender).to_be_visible()
    assert home.navigation.sections() == [w["quality_management"], w["structured_messages"], w["personal_data"]]

    info = home.start_registration()
    assert info.steps.names() == [w[key] for key in STEPS]
    expect_no_button_in(info, before, ("cancel", "next"))

    contact = info.next()
    assert contact.steps.current() == w["step_contact"]
    assert contact.options_of("title") == [w[key] for key in TITLES]
    assert contact.options_of("language_regime") == [w[key] for key in LANGUAGE_REGIMES]
    assert contact.selected_option("language_regime") == w[word_key(f"language_{language}")]
    expect_no_button_in(contact, before, ("cancel", "previous", "next"))

    channel = contact.fill(person).next()
    confirmation = channel.choose_web_service().upload_certificate(certificate.path).next()
    shown = confirmation.contact()
    assert shown["title"] == w[word_key(person.title)]
    assert shown["language_regime"] == w[word_key(person.language_regime)]
    assert shown["last_name"] == person.last_name
    assert confirmation.channel() == {"channel": w["channel_value_ws"], "connection_type": w["connection_internet"]}
    assert confirmation.certificate() == certificate.values.by_word_key()
    expect_no_button_in(confirmation, before, ("cancel", "previous", "confirm"))

    overview = confirmation.confirm()
    expect(overview.status).to_have_text(w["channel_added"])
    technical = overview.technical_user()
    assert re.fullmatch(r"\d{1,6}", technical["sender_number"]), technical
    assert overview.web_service()["oauth_client"] == f"self_service_expeditor_{technical['sender_number']}"


@pytest.mark.rules("I18N-1")
@pytest.mark.parametrize(
    "language,regime",
    [("nl", "interface"), ("de", "another")],
    ids=["nl-regime-chosen-as-preselected", "de-regime-another-language"],
)
def test_switching_language_keeps_what_was_typed(
    wizard_at_contact: ContactStep, person, language, regime, target
) -> None:
    """The user chose the Régime linguistique too: the interface's own language (the option
    preselected, chosen explicitly) or another one; either way it is an entry and stays."""
    before = Words(target.language)
    w = Words(language)
    if language == target.language:
        pytest.skip(f"the target's interface is already in {language}")
    chosen = (
        target.language
        if regime == "interface"
        else next(code for code in ("fr", "nl", "de") if code not in (target.language, language))
    )
    person = dataclasses.replace(person, language_regime=f"language_{chosen}")
    contact = wizard_at_contact.fill(person)  # typed, not sent

    switched = contact.switch_language(language)

    assert switched.header.language() == language
    assert switched.values() == person.as_fields(w)
    for key in ("last_name", "first_name", "phone", "mobile"):
        if before[key] != w[key]:
            expect(switched.main.get_by_label(exact_label(before[key]))).to_have_count(0)
    assert switched.steps.names() == [w[key] for key in STEPS]

    # The same on the channel step, back to the first language: the chosen channel stays.
    channel = switched.next().choose_web_service()
    back = channel.switch_language(target.language)
    assert back.chosen_channel() == "ws"
    assert back.previous().value_of("last_name") == person.last_name


@pytest.mark.rules("I18N-1")
@pytest.mark.parametrize("locale", ["nl-BE", "de-BE"])
def test_french_is_the_default_whatever_the_browser_prefers(new_context, base_url, words, target, locale) -> None:
    """A first visit from a browser that asks for Dutch or German (Accept-Language) still opens
    in French: the language is the user's choice of a link, not the browser's."""
    if target.language != "fr":
        pytest.skip(f"not verifiable on this target: its screens are in {target.language!r}, not the default French")
    page = new_context(locale=locale).new_page()  # its Accept-Language names that locale

    page.goto(base_url.rstrip("/") + "/")

    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^fr(-[A-Za-z]+)?$"))  # contract §3
    LoginPage(page, words).loaded()  # and its words are French

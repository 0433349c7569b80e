"""Personne de contact: the six required fields, the optional ones, the two lists of options
(CONTACT-1..4), and what an error looks like (CONTACT-8)."""

from __future__ import annotations

import dataclasses

import pytest
from playwright.sync_api import expect

from contract.fields import CONTACT_FIELDS, CONTACT_SELECTS, LANGUAGE_REGIMES, REQUIRED_CONTACT_FIELDS, TITLES
from contract.words import LANGUAGES, word_key
from pages import ContactStep

pytestmark = [pytest.mark.browser, pytest.mark.focused]

REQUIRED = REQUIRED_CONTACT_FIELDS
TEXT_REQUIRED = tuple(key for key in REQUIRED if key not in CONTACT_SELECTS)
OTHER_KEYS = tuple(key for key in CONTACT_FIELDS if key not in REQUIRED)


def assert_kept(contact: ContactStep, expected: dict[str, str], keys) -> None:
    shown = contact.values()
    for key in keys:
        assert shown.get(key) == expected[key], f"{key} not kept as typed"


@pytest.mark.rules("CONTACT-1", "CONTACT-8")
@pytest.mark.parametrize("missing", REQUIRED)
def test_each_required_field_alone_missing_is_refused(contact_form: ContactStep, person, words, missing) -> None:
    contact = contact_form.fill(person)
    contact.leave_empty(missing)

    refused = contact.next_expecting_errors()

    assert refused.invalid_fields() == [missing]
    assert len(refused.errors.messages()) == 1, refused.errors.messages()
    expect(refused.errors.message_naming(words[missing])).to_have_count(1)
    expected = person.as_fields(words)
    assert_kept(refused, expected, [k for k in CONTACT_FIELDS if k != missing])


@pytest.mark.rules("CONTACT-1", "CONTACT-8")
@pytest.mark.parametrize("field", TEXT_REQUIRED)
def test_blank_required_field_is_refused(contact_form: ContactStep, person, words, field) -> None:
    contact = contact_form.fill(person).fill_field(field, "    ")

    refused = contact.next_expecting_errors()

    assert refused.invalid_fields() == [field]
    expect(refused.errors.message_naming(words[field])).to_have_count(1)
    assert len(refused.errors.messages()) == 1, refused.errors.messages()


@pytest.mark.rules("CONTACT-1", "CONTACT-8")
def test_all_required_fields_missing_lists_six_problems(contact_form: ContactStep, person, words) -> None:
    contact = contact_form.fill(person)
    for key in REQUIRED:
        contact.leave_empty(key)

    refused = contact.next_expecting_errors()

    assert sorted(refused.invalid_fields()) == sorted(REQUIRED)
    messages = refused.errors.messages()
    assert len(messages) == len(REQUIRED), messages
    for key in REQUIRED:
        expect(refused.errors.message_naming(words[key])).to_have_count(1)
    assert_kept(refused, person.as_fields(words), OTHER_KEYS)


@pytest.mark.rules("CONTACT-2")
def test_fax_and_mobile_are_optional(contact_form: ContactStep, person) -> None:
    without = dataclasses.replace(person, fax="", mobile="")

    channel = contact_form.fill(without).next()

    expect(channel.channels["ws"]).to_be_visible()
    contact = channel.previous()
    assert contact.value_of("fax") == ""
    assert contact.value_of("mobile") == ""
    assert contact.value_of("last_name") == person.last_name


@pytest.mark.rules("CONTACT-3")
def test_title_offers_exactly_mr_mrs_miss(contact_form: ContactStep, words) -> None:
    assert contact_form.options_of("title") == [words[key] for key in TITLES]


@pytest.mark.rules("CONTACT-4")
@pytest.mark.parametrize("language", LANGUAGES)
def test_language_regime_offers_three_languages_preselected_to_interface(home, language) -> None:
    # A wizard nobody has sent yet: once sent, the regime shown is an entry (CONTACT-4).
    contact = home.switch_language(language).start_registration().next()

    words = contact.words
    assert contact.options_of("language_regime") == [words[key] for key in LANGUAGE_REGIMES]
    assert contact.selected_option("language_regime") == words[word_key(f"language_{language}")]

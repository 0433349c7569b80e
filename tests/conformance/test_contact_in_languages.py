"""Personne de contact in FR, NL and DE: which fields are required and which optional, how the
phones and the e-mail addresses are checked, and that each message names its field by the label
of the interface's language (CONTACT-1..8), on both sides of every limit.

A portal may check a rule in one language and forget it in another, so each language gets the
same submissions. One submission puts one value on each field, so a field marked invalid (or
not) tells which value the portal got wrong. Refused values turn round the fields in three
submissions, so that each field meets each of them in each language. Accepted values (a
submission that goes on costs two page loads) turn with the language instead: each field meets
each of them in some language, and each language meets each of them on some field
(docs/test-design.md, CONTACT).
"""

from __future__ import annotations

import dataclasses

import pytest
from playwright.sync_api import expect

from contract.fields import CONTACT_FIELDS, CONTACT_SELECTS, EMAIL_FIELDS, REQUIRED_CONTACT_FIELDS, STEPS, TITLES
from contract.words import Words, word_key
from fixtures.edge import of_length
from fixtures.samples import EMAIL_254, EMAIL_255
from pages import ContactStep
from pages.locate import exact_label, mentioning

pytestmark = [pytest.mark.browser, pytest.mark.focused]

LANGUAGES = ("fr", "nl", "de")
OTHER_LANGUAGES = ("nl", "de")  # French has its own tables (test_contact_*.py)
TEXT_REQUIRED = tuple(key for key in REQUIRED_CONTACT_FIELDS if key not in CONTACT_SELECTS)
PHONES = ("phone", "fax", "mobile")
NAMES = ("last_name", "first_name", "function")

# Letters of two and three bytes in UTF-8 (Đặng Thị Ngọc Ánh; 王小明): a limit counted in
# bytes, or in anything but characters, shows on one of them.
TWO_BYTES = "Éloïse-Thérèse "
THREE_BYTES = "\u0110\u1eb7ng Th\u1ecb Ng\u1ecdc \u00c1nh "
CJK = "王小明"


def digits(number: str) -> int:
    return sum(character.isdigit() for character in number)


def widened(number: str, length: int) -> str:
    """``number`` made ``length`` characters long with spaces after its country code: still
    only allowed characters and the same digits (CONTACT-6), now at CONTACT-7's limit."""
    return number[:3] + " " * (length - len(number)) + number[3:]


# CONTACT-6's limits, each written with the characters it allows.
EIGHT_DIGITS = "02/123.45.6"
NINE_DIGITS = "+32 (2) 123-456"
FIFTEEN_DIGITS = "+32 (470) 12.34/567-890"
SIXTEEN_DIGITS = "+32 (470) 12.34/567-8901"
assert [digits(n) for n in (EIGHT_DIGITS, NINE_DIGITS, FIFTEEN_DIGITS, SIXTEEN_DIGITS)] == [8, 9, 15, 16]
NINE_DIGITS_SIXTY = widened(NINE_DIGITS, 60)  # both inner sides at once: 9 digits, 60 characters
TWELVE_DIGITS_SIXTY_ONE = widened("+32 (470) 12.34/567", 61)  # valid digits, one character too many
assert (len(NINE_DIGITS_SIXTY), len(TWELVE_DIGITS_SIXTY_ONE), digits(TWELVE_DIGITS_SIXTY_ONE)) == (60, 61, 12)


def rotated(values: tuple, shift: int) -> tuple:
    return values[shift:] + values[:shift]


# Enough digits, one character CONTACT-6 does not allow: #, _, letters.
FORBIDDEN_CHARACTER = ("02 123 45 67#", "02_123_45_67", "+32 470 12 34 56 ext")
TURNS = range(4)  # each phone field meets 8 digits, 16 digits, 61 characters and a character not allowed


def outer_values(turn: int, first_address: str) -> dict[str, str]:
    """One value just outside a limit (or a rule) for each field but the first e-mail address."""
    names = rotated((of_length(61, THREE_BYTES), of_length(61, TWO_BYTES), of_length(61, CJK)), turn % 3)
    phones = rotated((EIGHT_DIGITS, SIXTEEN_DIGITS, TWELVE_DIGITS_SIXTY_ONE), turn) if turn < 3 else FORBIDDEN_CHARACTER
    # Too long, no dot in the domain, a space, two @.
    second = (EMAIL_255, "jean.dupont@localhost", "jean dupont@example.be", "jean@dupont@example.be")[turn]
    return {
        **dict(zip(NAMES, names, strict=True)),
        **dict(zip(PHONES, phones, strict=True)),
        "email_1": first_address,
        "email_2": second,
        "email_3": first_address.swapcase(),  # the same address, ignoring case
    }


# Téléphone is required: the empty value goes to Fax or Mobile.
INNER_PHONES = {
    "fr": (NINE_DIGITS_SIXTY, FIFTEEN_DIGITS, ""),
    "nl": (FIFTEEN_DIGITS, "", NINE_DIGITS_SIXTY),
    "de": (FIFTEEN_DIGITS, NINE_DIGITS_SIXTY, ""),
}
INNER_EMAILS = {"fr": ("", "", EMAIL_254), "nl": ("", EMAIL_254, ""), "de": ("", EMAIL_254, "")}


def inner_values(language: str) -> dict[str, str]:
    """One value just inside a limit for each field: 60 characters of every width (one of them
    with spaces around, which are trimmed), 9 and 15 digits, an empty optional phone, one
    address of 254 characters in a later field only."""
    names = rotated(
        (of_length(60, THREE_BYTES), of_length(60, TWO_BYTES), f"  {of_length(60, CJK)} "), LANGUAGES.index(language)
    )
    return {
        **dict(zip(NAMES, names, strict=True)),
        **dict(zip(PHONES, INNER_PHONES[language], strict=True)),
        **dict(zip(EMAIL_FIELDS, INNER_EMAILS[language], strict=True)),
    }


def enter(contact: ContactStep, person, values: dict[str, str]) -> ContactStep:
    """``person`` with ``values`` in its text fields, entered (only the fields that show
    something else are typed into: one round trip to read, one per field that changes)."""
    texts = {key: values[key] for key in (*NAMES, *PHONES)}
    emails = tuple(values[key] for key in EMAIL_FIELDS)
    return contact.fill(dataclasses.replace(person, **texts, emails=emails))


def unnamed(refused: ContactStep, keys) -> list[str]:
    """The fields among ``keys`` that not exactly one message names by the label of the step's
    language (the messages read at once: the step is loaded)."""
    messages = refused.errors.messages()
    return [key for key in keys if sum(bool(mentioning(refused.words[key]).search(text)) for text in messages) != 1]


# --- CONTACT-1, CONTACT-5: what is required ---------------------------------------------------


@pytest.mark.rules("CONTACT-1", "CONTACT-5", "CONTACT-8")
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_required_fields_left_empty_are_each_refused(contact_form_in: ContactStep, person, language) -> None:
    contact = contact_form_in.fill(dataclasses.replace(person, emails=()))
    for key in REQUIRED_CONTACT_FIELDS:
        contact.leave_empty(key)

    refused = contact.next_expecting_errors()

    invalid = refused.invalid_fields()
    required = set(REQUIRED_CONTACT_FIELDS)
    assert required | {"email_1"} <= set(invalid) <= required | set(EMAIL_FIELDS), invalid
    assert len(refused.errors.messages()) == len(required) + 1, refused.errors.messages()  # + "no address"
    assert unnamed(refused, REQUIRED_CONTACT_FIELDS) == []
    shown = refused.values()
    assert (shown["fax"], shown["mobile"]) == (person.fax, person.mobile)


@pytest.mark.rules("CONTACT-1", "CONTACT-8")
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_required_fields_left_blank_are_each_refused(contact_form_in: ContactStep, person, language) -> None:
    contact = contact_form_in.fill(person)
    for key in TEXT_REQUIRED:
        contact.fill_field(key, "   ")

    refused = contact.next_expecting_errors()

    assert refused.invalid_fields() == list(TEXT_REQUIRED)
    assert len(refused.errors.messages()) == len(TEXT_REQUIRED), refused.errors.messages()
    assert unnamed(refused, TEXT_REQUIRED) == []


@pytest.mark.rules("CONTACT-3")
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_title_offers_its_three_options(contact_form_in: ContactStep, language) -> None:
    assert contact_form_in.options_of("title") == [Words(language)[key] for key in TITLES]


@pytest.mark.rules("WIZ-1")
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_steps_are_named_in_its_language(contact_form_in: ContactStep, language) -> None:
    words = Words(language)
    assert contact_form_in.steps.names() == [words[key] for key in STEPS]
    expect(contact_form_in.title).to_have_text(exact_label(words["wizard_title"]))
    expect(contact_form_in.steps.item("step_contact")).to_have_attribute("aria-current", "step")


# --- CONTACT-2, 5, 6, 7: both sides of every limit --------------------------------------------------


@pytest.mark.rules("CONTACT-5", "CONTACT-6", "CONTACT-7", "CONTACT-8")
@pytest.mark.parametrize("turn", TURNS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_value_just_outside_each_limit_is_refused(contact_form_in: ContactStep, person, language, turn) -> None:
    values = outer_values(turn, person.emails[0])
    contact = enter(contact_form_in, person, values)

    refused = contact.next_expecting_errors()

    invalid = refused.invalid_fields()
    duplicates = set(invalid) & {"email_1", "email_3"}
    assert duplicates, f"the same address twice (other case) is not marked: {invalid}"
    assert invalid == [key for key in CONTACT_FIELDS if key in {*NAMES, *PHONES, "email_2", *duplicates}]
    assert len(refused.errors.messages()) == len(invalid), refused.errors.messages()
    assert unnamed(refused, (*NAMES, *PHONES, "email_2")) == []
    shown = refused.values()
    for key in (*NAMES, *PHONES):  # shown back whole, never cut
        assert shown[key] == values[key], key


@pytest.mark.rules("CONTACT-2", "CONTACT-5", "CONTACT-6", "CONTACT-7")
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_value_just_inside_each_limit_is_accepted(contact_form_in: ContactStep, person, language) -> None:
    values = inner_values(language)
    contact = enter(contact_form_in, person, values)

    back = contact.next().previous()

    shown = back.values()
    for key, value in values.items():
        assert shown[key].strip() == value.strip(), key  # whole, at most trimmed


# --- CONTACT-4: the regime once sent ----------------------------------------------------------


@pytest.mark.mock_only  # the regime as an entry once sent is [mock]
@pytest.mark.rules("CONTACT-4", "I18N-1")
@pytest.mark.parametrize("language", ["nl"])
def test_a_regime_sent_stays_when_the_language_changes(contact_form_in: ContactStep, person, language) -> None:
    """The regime preselected to the interface's language, sent as it is, then Précédent, then
    another language: the regime stays the one sent, not the new interface's."""
    own = word_key(f"language_{language}")
    contact = contact_form_in.fill(dataclasses.replace(person, language_regime=own))
    sent = contact.next().previous()

    switched = sent.switch_language("de")

    assert switched.selected_option("language_regime") == Words("de")[own]
    back = switched.switch_language(language)
    assert back.selected_option("language_regime") == Words(language)[own]

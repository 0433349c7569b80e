"""Personne de contact: phone numbers (CONTACT-6), text lengths and trimming (CONTACT-7)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fixtures.edge import SIXTY, SIXTY_ACCENTED, SIXTY_ONE, SIXTY_ONE_ACCENTED, SIXTY_PADDED
from fixtures.samples import PHONE_INVALID, PHONE_VALID
from pages import ContactStep

pytestmark = [pytest.mark.browser, pytest.mark.focused]


# Valid numbers in threes, one per phone field (Téléphone, Fax, Mobile follow one rule), to
# keep the suite fast; a refusal names the field, hence the sample.
PHONE_FIELDS = ("phone", "fax", "mobile")
_GROUPS = (len(PHONE_VALID) + 2) // 3
VALID_TRIPLES = [tuple(PHONE_VALID[i::_GROUPS]) for i in range(_GROUPS)]


@pytest.mark.rules("CONTACT-6")
@pytest.mark.parametrize("samples", VALID_TRIPLES, ids=lambda samples: " + ".join(s.reason for s in samples))
def test_valid_phone_numbers_are_accepted(contact_form: ContactStep, person, samples) -> None:
    contact = contact_form.fill(person)
    for field, sample in zip(PHONE_FIELDS, samples, strict=False):  # the last triple may be short
        contact.fill_field(field, sample.value)

    channel = contact.next()

    expect(channel.channels["ws"]).to_be_visible()
    channel.previous()


# Invalid numbers in threes too: each field marked (or a message naming it) tells which sample
# the portal got wrong.
_INVALID_GROUPS = (len(PHONE_INVALID) + 2) // 3
INVALID_TRIPLES = [tuple(PHONE_INVALID[i::_INVALID_GROUPS]) for i in range(_INVALID_GROUPS)]


@pytest.mark.rules("CONTACT-6", "CONTACT-8")
@pytest.mark.parametrize("samples", INVALID_TRIPLES, ids=lambda samples: " + ".join(s.reason for s in samples))
def test_invalid_phone_numbers_are_refused(contact_form: ContactStep, person, words, samples) -> None:
    fields = PHONE_FIELDS[: len(samples)]
    contact = contact_form.fill(person)
    for field, sample in zip(fields, samples, strict=True):
        contact.fill_field(field, sample.value)

    refused = contact.next_expecting_errors()

    assert refused.invalid_fields() == list(fields)
    assert len(refused.errors.messages()) == len(fields), refused.errors.messages()
    for field in fields:
        expect(refused.errors.message_naming(words[field])).to_have_count(1)


# A phone field is a text field too (CONTACT-7): 60 characters of allowed ones, 11 digits.
PHONE_SIXTY = "+32" + " " * 46 + "2 123 45 67"
assert len(PHONE_SIXTY) == 60


@pytest.mark.rules("CONTACT-7")
def test_sixty_characters_are_accepted_whole(contact_form: ContactStep, person) -> None:
    contact = (
        contact_form.fill(person)
        .fill_field("last_name", SIXTY)
        .fill_field("first_name", SIXTY_ACCENTED)
        .fill_field("function", SIXTY)
        .fill_field("mobile", PHONE_SIXTY)
    )

    back = contact.next().previous()

    assert back.value_of("last_name") == SIXTY
    assert back.value_of("first_name") == SIXTY_ACCENTED
    assert back.value_of("function") == SIXTY
    assert back.value_of("mobile") == PHONE_SIXTY


@pytest.mark.rules("CONTACT-7", "CONTACT-8")
@pytest.mark.parametrize(
    "field,value",
    [("last_name", SIXTY_ONE), ("first_name", SIXTY_ONE_ACCENTED), ("function", SIXTY_ONE)],
    ids=["last_name", "first_name-accented", "function"],
)
def test_sixty_one_characters_are_refused_never_cut(contact_form: ContactStep, person, words, field, value) -> None:
    refused = contact_form.fill(person).fill_field(field, value).next_expecting_errors()

    assert refused.invalid_fields() == [field]
    expect(refused.errors.message_naming(words[field])).to_have_count(1)
    assert refused.value_of(field) == value  # shown back whole, not cut to 60


@pytest.mark.rules("CONTACT-7", "CONFIRM-1", "CONTACT-1")
def test_leading_and_trailing_spaces_are_trimmed(contact_form: ContactStep, person, catalogue) -> None:
    """Trimmed before counting (60 characters with spaces around fit), and shown trimmed; one
    character with spaces around is a value (the inner side of CONTACT-1's "blank")."""
    padded = {
        "last_name": SIXTY_PADDED,
        "first_name": f"   {person.first_name} ",
        "function": "  X ",
        "phone": f"  {person.phone}  ",
    }
    contact = contact_form.fill(person)
    for key, value in padded.items():
        contact.fill_field(key, value)

    confirmation = contact.next().choose_web_service().upload_certificate(catalogue["valid-der"].path).next()

    shown = confirmation.contact()
    confirmation.previous().previous()
    for key, value in padded.items():
        assert shown[key] == value.strip(), key

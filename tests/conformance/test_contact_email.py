"""Personne de contact: the e-mail rule (CONTACT-5) and how its errors show (CONTACT-8)."""

from __future__ import annotations

import dataclasses

import pytest
from playwright.sync_api import expect

from fixtures.samples import EMAIL_DUPLICATES, EMAIL_INVALID, EMAIL_VALID
from pages import ContactStep

pytestmark = [pytest.mark.browser, pytest.mark.focused]

EMAIL_KEYS = ("email_1", "email_2", "email_3")


def with_emails(person, *fields: str):
    """``person`` with the three e-mail fields set to ``fields`` (missing ones left empty);
    the empty fields in between stay empty (ContactStep.fill fills 1, 2, 3 in order)."""
    return dataclasses.replace(person, emails=tuple(fields))


@pytest.mark.rules("CONTACT-5", "CONTACT-8")
def test_no_email_at_all_is_refused(contact_form: ContactStep, person) -> None:
    refused = contact_form.fill(with_emails(person)).next_expecting_errors()

    invalid = refused.invalid_fields()
    assert "email_1" in invalid, invalid
    assert set(invalid) <= set(EMAIL_KEYS), invalid
    assert len(refused.errors.messages()) == 1, refused.errors.messages()
    assert refused.value_of("last_name") == person.last_name
    assert refused.value_of("phone") == person.phone


@pytest.mark.rules("CONTACT-5")
@pytest.mark.parametrize("position", [2, 3], ids=["second-field-only", "third-field-only"])
def test_one_address_in_a_later_field_is_enough(contact_form: ContactStep, person, position) -> None:
    address = person.emails[0]
    fields = ["", "", ""]
    fields[position - 1] = address

    channel = contact_form.fill(with_emails(person, *fields)).next()

    contact = channel.previous()
    values = contact.values()
    assert [values[key] for key in EMAIL_KEYS] == fields


# Tables in small groups, one sample per e-mail field, to keep the suite fast: a field marked
# (or a message naming it) tells which sample the portal got wrong.
_HALF = (len(EMAIL_INVALID) + 1) // 2
INVALID_PAIRS = [tuple(EMAIL_INVALID[i::_HALF]) for i in range(_HALF)]
_GROUPS = (len(EMAIL_VALID) + 2) // 3
VALID_TRIPLES = [tuple(EMAIL_VALID[i::_GROUPS]) for i in range(_GROUPS)]  # never two alike ignoring case


def group_id(samples) -> str:
    return " + ".join(sample.reason for sample in samples)


@pytest.mark.rules("CONTACT-5", "CONTACT-8")
@pytest.mark.parametrize("samples", INVALID_PAIRS, ids=group_id)
def test_invalid_addresses_are_refused(contact_form: ContactStep, person, words, samples) -> None:
    """A valid address in field 1, an invalid sample in each of fields 2 and 3: every filled
    field is checked, and each faulty one is marked."""
    fields = [person.emails[0], *(sample.value for sample in samples)]
    refused = contact_form.fill(with_emails(person, *fields)).next_expecting_errors()

    marked = [f"email_{n}" for n in range(2, 2 + len(samples))]
    assert refused.invalid_fields() == marked
    assert len(refused.errors.messages()) == len(marked), refused.errors.messages()
    for key in marked:
        expect(refused.errors.message_naming(words[key])).to_have_count(1)
    assert refused.value_of("email_1") == person.emails[0]
    assert refused.value_of("last_name") == person.last_name


@pytest.mark.rules("CONTACT-5", "CONTACT-8")
def test_an_invalid_first_address_alone_is_refused(contact_form: ContactStep, person) -> None:
    refused = contact_form.fill(with_emails(person, EMAIL_INVALID[0].value)).next_expecting_errors()

    assert refused.invalid_fields() == ["email_1"]
    assert len(refused.errors.messages()) == 1, refused.errors.messages()


@pytest.mark.rules("CONTACT-5")
@pytest.mark.parametrize("samples", VALID_TRIPLES, ids=group_id)
def test_valid_addresses_are_accepted(contact_form: ContactStep, person, samples) -> None:
    channel = contact_form.fill(with_emails(person, *(sample.value for sample in samples))).next()

    expect(channel.channels["ws"]).to_be_visible()
    channel.previous()


DUPLICATE_CASES = [
    ((1, 2), EMAIL_DUPLICATES[0]),
    ((1, 3), EMAIL_DUPLICATES[1]),
    ((2, 3), EMAIL_DUPLICATES[2]),
]


@pytest.mark.rules("CONTACT-5", "CONTACT-8")
@pytest.mark.parametrize(
    "positions,pair", DUPLICATE_CASES, ids=["same-case-fields-1-2", "other-case-fields-1-3", "mixed-case-fields-2-3"]
)
def test_same_address_twice_is_refused(contact_form: ContactStep, person, positions, pair) -> None:
    fields = ["", "", ""]
    for position, address in zip(positions, pair, strict=True):
        fields[position - 1] = address

    refused = contact_form.fill(with_emails(person, *fields)).next_expecting_errors()

    invalid = refused.invalid_fields()
    involved = {f"email_{p}" for p in positions}
    assert invalid and set(invalid) <= involved, invalid
    assert len(refused.errors.messages()) == len(invalid), refused.errors.messages()  # one per field
    values = refused.values()
    assert [values[key] for key in EMAIL_KEYS] == fields

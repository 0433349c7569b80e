"""The high-level API: records, languages, seeding and the Faker registration."""

import dataclasses
import re

import pytest
from faker import Faker

import fixtures
from contract.words import WORDS
from fixtures import BelgianData, Company, ContactPerson, belgian_faker, run_seed
from fixtures.companies import LEGAL_FORMS

LANGUAGES = ("fr", "nl", "de")


def _names(locale):
    provider = Faker(locale).factories[0].provider("faker.providers.person")
    return (set(provider.first_names_male), set(provider.first_names_female), set(provider.last_names))


@pytest.mark.parametrize("language", LANGUAGES)
def test_contact_person_is_complete_and_valid(language):
    data = BelgianData(language, seed=31)
    for _ in range(1000):
        p = data.contact_person()
        assert isinstance(p, ContactPerson)
        for value in (p.last_name, p.first_name, p.function, p.phone):
            assert value.strip() == value and 0 < len(value) <= 60  # CONTACT-1, CONTACT-7
        assert p.title in ("title_mr", "title_mrs", "title_miss") and p.title in WORDS
        assert p.language_regime == f"language_{language}" and p.language_regime in WORDS
        assert p.fax and p.mobile and len(p.emails) == 1


def test_titles_and_functions_follow_sex():
    data = BelgianData("de", seed=32)
    male_first, female_first, _ = _names("de_DE")
    for _ in range(300):
        man, woman = data.contact_person(sex="M"), data.contact_person(sex="F")
        assert man.title == "title_mr" and man.first_name in male_first
        assert woman.title in ("title_mrs", "title_miss") and woman.first_name in female_first
    titles = {data.contact_person(sex="F").title for _ in range(200)}
    assert titles == {"title_mrs", "title_miss"}


@pytest.mark.parametrize("language, locale", [("fr", "fr_BE"), ("nl", "nl_BE"), ("de", "de_DE")])
def test_names_come_from_the_languages_locale(language, locale):
    male, female, last = _names(locale)
    data = BelgianData(language, seed=33)
    people = [data.contact_person() for _ in range(500)]
    assert all(p.first_name in male | female for p in people)
    assert all(p.last_name in last for p in people)


def test_german_uses_german_names():
    belgian_last = _names("fr_BE")[2] | _names("nl_BE")[2]
    data = BelgianData("de", seed=34)
    last_names = [data.last_name() for _ in range(500)]
    # de_DE names, not Belgian ones: most are unknown to both Belgian locales
    assert sum(name not in belgian_last for name in last_names) > 400


def test_optional_fields_and_email_count():
    data = BelgianData("nl", seed=35)
    p = data.contact_person(email_count=0, optional=False)
    assert p.fax == "" and p.mobile == "" and p.emails == ()
    assert p.email_fields == ("", "", "")
    p = data.contact_person(email_count=2)
    assert p.email_fields[:2] == p.emails and p.email_fields[2] == ""
    with pytest.raises(ValueError):
        data.contact_person(email_count=4)


def test_records_are_frozen_and_replace_friendly():
    p = BelgianData("fr", seed=36).contact_person()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.phone = "1"
    q = dataclasses.replace(p, phone="12", emails=("a@example.be",))
    assert q.phone == "12" and q.last_name == p.last_name and p.phone != "12"


@pytest.mark.parametrize("language", LANGUAGES)
def test_companies_have_local_legal_forms(language):
    data = BelgianData(language, seed=37)
    forms = set()
    for _ in range(1000):
        c = data.company()
        assert isinstance(c, Company) and len(c.name) <= 60 and c.name == c.name.strip()
        form = c.name.rsplit(" ", 1)[1]
        assert form in LEGAL_FORMS[language], c.name
        forms.add(form)
    private, public = {"fr": ("SRL", "SA"), "nl": ("BV", "NV"), "de": ("GmbH", "AG")}[language]
    assert {private, public} <= forms and len(forms) >= 3


def test_same_seed_same_data_per_language():
    for language in LANGUAGES:
        a, b = BelgianData(language, seed=99), BelgianData(language, seed=99)
        assert [a.contact_person(email_count=3) for _ in range(50)] == [
            b.contact_person(email_count=3) for _ in range(50)
        ]
        assert [a.company() for _ in range(50)] == [b.company() for _ in range(50)]
        assert a.national_number() == b.national_number()


def test_other_seed_or_language_gives_other_data():
    base = [BelgianData("fr", seed=1).company() for _ in range(3)]
    assert [BelgianData("fr", seed=2).company() for _ in range(3)] != base
    fr, nl = BelgianData("fr", seed=1), BelgianData("nl", seed=1)
    assert [fr.enterprise_number() for _ in range(5)] != [nl.enterprise_number() for _ in range(5)]


def test_derive_is_stable_and_independent_of_order():
    run = BelgianData("fr", seed=40)
    first = run.derive("tests/test_a.py::test_x").contact_person()
    run.company()  # drawing from the parent changes nothing for derived generators
    assert BelgianData("fr", seed=40).derive("tests/test_a.py::test_x").contact_person() == first
    assert run.derive("tests/test_a.py::test_y").contact_person() != first
    assert run.derive("k", language="de").language == "de"


def test_run_seed():
    assert run_seed(1234) == 1234 and run_seed("42") == 42
    assert isinstance(run_seed(None), int) and isinstance(run_seed(""), int)
    with pytest.raises(ValueError):
        run_seed("abc")
    assert BelgianData("nl").seed >= 0  # a random seed is always known, for the report


def test_belgian_faker_registers_the_provider():
    fake = belgian_faker("nl", seed=5)
    assert re.fullmatch(r"0\d{3}\.\d{3}\.\d{3}", fake.enterprise_number())
    assert re.fullmatch(r"BE0\d{9}", fake.be_vat())
    assert re.fullmatch(r"[01]\d{8}", fake.onss_number())
    assert re.fullmatch(r"\d{11}", fake.national_number())
    assert fake.be_phone_number() and fake.be_mobile_number() and fake.be_fax_number()
    assert fake.be_company_name() and "@" in fake.be_email()
    assert isinstance(fake.contact_person(), ContactPerson) and isinstance(fake.company(), Company)
    assert fake.be_language() == "nl"
    # seeded: ours and Faker's own methods replay
    a, b = belgian_faker("nl", seed=5), belgian_faker("nl", seed=5)
    assert [a.enterprise_number(), a.name(), a.be_mobile_number()] == [
        b.enterprise_number(),
        b.name(),
        b.be_mobile_number(),
    ]


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        BelgianData("en")
    with pytest.raises(ValueError):
        belgian_faker("de_BE")
    assert fixtures.LANGUAGES == LANGUAGES

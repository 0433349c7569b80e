"""Identification numbers: every generated one checked with python-stdnum, in all languages."""

import datetime
import random
import re

import pytest
from stdnum.be import nn, vat

from fixtures import BelgianData, belgian_faker, numbers

LANGUAGES = ("fr", "nl", "de")
N = 3000


@pytest.mark.parametrize("language", LANGUAGES)
def test_enterprise_numbers_and_vat_are_valid(language):
    data = BelgianData(language, seed=11)
    for _ in range(N):
        company = data.company()
        assert re.fullmatch(r"0\d{3}\.\d{3}\.\d{3}", company.enterprise_number), company
        assert vat.is_valid(company.enterprise_number), company
        assert re.fullmatch(r"BE0\d{9}", company.vat), company
        assert vat.is_valid(company.vat), company
        assert company.vat == "BE" + company.enterprise_number_compact
        # the rule as the contract states it: last two = 97 - (first 8 mod 97)
        digits = company.enterprise_number_compact
        assert int(digits[8:]) == 97 - int(digits[:8]) % 97


def test_enterprise_check_digit_edge_97():
    # first 8 digits divisible by 97: check digits are 97, not 00
    first8 = f"{97 * 100_000:08d}"  # "09700000"
    assert numbers.enterprise_check_digits(first8) == 97
    assert vat.is_valid(first8 + "97")


def test_own_validator_agrees_with_stdnum():
    rng = random.Random(5)
    for _ in range(N):
        good = numbers.enterprise_number_compact(rng)
        bad = good[:8] + f"{(int(good[8:]) % 97) + 1:02d}"
        assert numbers.is_valid_enterprise_number(good) and vat.is_valid(good)
        assert numbers.is_valid_enterprise_number(bad) == vat.is_valid(bad) == False  # noqa: E712


@pytest.mark.parametrize("language", LANGUAGES)
def test_national_numbers_are_valid(language):
    fake = belgian_faker(language, seed=12)
    for _ in range(N):
        assert nn.is_valid(fake.national_number())
        assert nn.is_valid(fake.national_number(formatted=True))


def test_national_number_birth_date_and_sex_are_consistent():
    rng = random.Random(13)
    born_2000s = 0
    for _ in range(N):
        born = numbers.birth_date(rng)
        sex = rng.choice("MF")
        number = numbers.national_number(rng, born, sex)
        assert nn.is_valid(number), (number, born)
        assert nn.get_birth_date(number) == born
        assert nn.get_gender(number) == sex
        born_2000s += born.year >= 2000
    assert born_2000s > 50  # the "2" + digits rule is really exercised


@pytest.mark.parametrize(
    "born, serial, expected",
    [
        (datetime.date(1985, 7, 30), 33, "85073003328"),  # stdnum's own examples
        (datetime.date(2017, 7, 30), 33, "17073003384"),
    ],
)
def test_national_number_known_values(born, serial, expected):
    assert numbers.national_number_for(born, serial) == expected
    assert numbers.format_national_number(expected) == nn.format(expected)


def test_birth_dates_do_not_depend_on_today():
    a = [numbers.birth_date(random.Random(1)) for _ in range(5)]
    assert a == [numbers.birth_date(random.Random(1)) for _ in range(5)]
    assert all(numbers.EARLIEST_BIRTH <= d <= numbers.LATEST_BIRTH for d in a)


# --- ONSS: our convention, pinned to the DmfA glossary's published bounds --------------------


@pytest.mark.parametrize(
    "number",
    [
        "000100006",
        "199999934",  # zone 00011 definitive range [100006; 199999934]
        "5000000120",
        "5999999989",  # zone 00948 provisional range (10 digits, same rule)
    ],
)
def test_onss_convention_reproduces_published_bounds(number):
    base, check = number[:-2], int(number[-2:])
    assert numbers.onss_check_digits(base) == check
    assert int(number) % 97 == 96


@pytest.mark.parametrize("language", LANGUAGES)
def test_onss_numbers_follow_the_convention(language):
    data = BelgianData(language, seed=14)
    for _ in range(N):
        number = data.onss_number()
        assert re.fullmatch(r"[01]\d{8}", number)
        assert 100006 <= int(number) <= 199999934
        assert numbers.is_valid_onss_number(number)
        assert numbers.is_valid_onss_number(data.onss_number(formatted=True))


def test_onss_check_zero_becomes_97():
    base = next(b for b in range(1000, 2_000_000) if 96 - b * 100 % 97 == 0)
    assert numbers.onss_check_digits(base) == 97
    assert not numbers.is_valid_onss_number(f"{base:07d}00")

"""E-mails and phones, generated and hand-written, against CONTACT-5 and CONTACT-6 as written
here from the contract's words (never from any portal's code).

Two readings of each rule: *lenient* (trim, Unicode digits, only ASCII space is a space) and
*strict* (RFC 5322 local-part characters, ASCII digits, no whitespace at all). Valid samples
must pass the strict one, invalid samples fail the lenient one, undecided ones sit in between.
"""

import re
import string

import pytest

from fixtures import BelgianData, samples

LANGUAGES = ("fr", "nl", "de")

# --- CONTACT-5 ----------------------------------------------------------------------------------
_ATEXT = set(string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def email_ok_lenient(value: str) -> bool:
    """CONTACT-5 to the letter: one @, a dotted domain, no spaces, at most 254 characters."""
    value = value.strip()
    if value.count("@") != 1 or " " in value or len(value) > 254:
        return False
    return "." in value.split("@")[1]


def email_ok_strict(value: str) -> bool:
    """CONTACT-5 plus RFC shape: dot-atoms of atext (or non-ASCII), LDH labels, no whitespace."""
    if not email_ok_lenient(value) or value != value.strip():
        return False
    if any(ch.isspace() for ch in value):
        return False
    local, domain = value.split("@")
    atoms_ok = all(atom and all(ch in _ATEXT or not ch.isascii() for ch in atom) for atom in local.split("."))
    labels = domain.split(".")
    return 0 < len(local) <= 64 and atoms_ok and len(labels) >= 2 and all(_LABEL.fullmatch(label) for label in labels)


# --- CONTACT-6 ----------------------------------------------------------------------------------
PHONE_RE = re.compile(r"[0-9 +./()-]+")


def phone_ok_strict(value: str) -> bool:
    """CONTACT-6: only ASCII digits, spaces and + . / - ( ); 9 to 15 digits."""
    return bool(PHONE_RE.fullmatch(value)) and 9 <= sum(ch.isdigit() for ch in value) <= 15


def phone_ok_lenient(value: str) -> bool:
    """CONTACT-6 with Unicode digits and any whitespace taken as a space, after trimming."""
    value = value.strip()
    allowed = all(ch.isdecimal() or ch.isspace() or ch in "+./()-" for ch in value)
    return allowed and 9 <= sum(ch.isdecimal() for ch in value) <= 15


# --- generated data -------------------------------------------------------------------------------
NATIONAL_LANDLINE = re.compile(r"0[2349] \d{3} \d{2} \d{2}|0[1-9]\d \d{2} \d{2} \d{2}")
INTL_LANDLINE = re.compile(r"\+32 [2349] \d{3} \d{2} \d{2}|\+32 [1-9]\d \d{2} \d{2} \d{2}")
NATIONAL_MOBILE = re.compile(r"04[5-9]\d \d{2} \d{2} \d{2}")
INTL_MOBILE = re.compile(r"\+32 4[5-9]\d \d{2} \d{2} \d{2}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_generated_phones_pass_contact_6(language):
    data = BelgianData(language, seed=21)
    forms = set()
    for _ in range(3000):
        for value, patterns in (
            (data.phone(), (NATIONAL_LANDLINE, INTL_LANDLINE)),
            (data.fax(), (NATIONAL_LANDLINE, INTL_LANDLINE)),
            (data.mobile(), (NATIONAL_MOBILE, INTL_MOBILE)),
        ):
            assert phone_ok_strict(value), value
            matched = [p for p in patterns if p.fullmatch(value)]
            assert matched, value
            forms.add(patterns.index(matched[0]))
    assert forms == {0, 1}  # both the national and the +32 forms occur


def test_phone_forms_can_be_chosen():
    data = BelgianData("fr", seed=22)
    assert all(data.phone(international=False).startswith("0") for _ in range(200))
    assert all(data.mobile(international=True).startswith("+32 4") for _ in range(200))


def test_german_speakers_get_east_belgian_zones_mostly():
    data = BelgianData("de", seed=23)
    zones = [data.phone(international=False).split()[0] for _ in range(1000)]
    assert sum(z in ("087", "080") for z in zones) > 700


@pytest.mark.parametrize("language", LANGUAGES)
def test_generated_emails_pass_contact_5(language):
    data = BelgianData(language, seed=24)
    for _ in range(1000):
        person = data.contact_person(email_count=3)
        assert len(person.emails) == 3
        assert len({e.casefold() for e in person.emails}) == 3  # no duplicates ignoring case
        for address in person.emails:
            assert email_ok_strict(address), address
            local, domain = address.split("@")
            assert local.isascii() and local == local.lower(), address
            assert domain in ("example.be", "example.com", "example.org", "example.net")


@pytest.mark.parametrize(
    "first, last, expected",
    [
        ("Hélène", "D'Hondt", "helene.dhondt"),
        ("Jürgen", "Straßer", "jurgen.strasser"),
        ("Marie-Thérèse", "Van den Bossche", "marie-therese.vandenbossche"),
        ("Małgorzata", "Łukasiewicz", "malgorzata.lukasiewicz"),
        ("Γιώργος", "王", "contact"),
    ],
)
def test_email_local_part_from_name(first, last, expected):
    address = BelgianData("fr", seed=1).email(first, last)
    assert address.split("@")[0] == expected
    assert email_ok_strict(address)


# --- hand-written samples -------------------------------------------------------------------------
def test_sample_tables_are_big_enough():
    assert len(samples.EMAIL_VALID) >= 8 and len(samples.EMAIL_INVALID) >= 12
    for table in (samples.PHONE_VALID, samples.PHONE_INVALID):
        assert {s.form for s in table} == {"national", "international"}
    every = [
        s.value
        for t in (
            samples.EMAIL_VALID,
            samples.EMAIL_INVALID,
            samples.EMAIL_UNDECIDED,
            samples.PHONE_VALID,
            samples.PHONE_INVALID,
            samples.PHONE_UNDECIDED,
        )
        for s in t
    ]
    assert len(every) == len(set(every))
    assert all(s.reason for t in (samples.EMAIL_VALID, samples.PHONE_INVALID) for s in t)


def test_email_boundaries():
    assert len(samples.EMAIL_254) == 254 and len(samples.EMAIL_255) == 255


@pytest.mark.parametrize("sample", samples.EMAIL_VALID, ids=str)
def test_valid_email_samples(sample):
    assert email_ok_strict(sample.value)


@pytest.mark.parametrize("sample", samples.EMAIL_INVALID, ids=str)
def test_invalid_email_samples(sample):
    assert not email_ok_lenient(sample.value)


@pytest.mark.parametrize("sample", samples.EMAIL_UNDECIDED, ids=str)
def test_undecided_email_samples(sample):
    assert email_ok_lenient(sample.value) and not email_ok_strict(sample.value)


@pytest.mark.parametrize("pair", samples.EMAIL_DUPLICATES)
def test_duplicate_pairs(pair):
    a, b = pair
    assert email_ok_strict(a) and email_ok_strict(b) and a.casefold() == b.casefold()


@pytest.mark.parametrize("sample", samples.PHONE_VALID, ids=str)
def test_valid_phone_samples(sample):
    assert phone_ok_strict(sample.value)


@pytest.mark.parametrize("sample", samples.PHONE_INVALID, ids=str)
def test_invalid_phone_samples(sample):
    assert not phone_ok_lenient(sample.value)


@pytest.mark.parametrize("sample", samples.PHONE_UNDECIDED, ids=str)
def test_undecided_phone_samples(sample):
    assert phone_ok_lenient(sample.value) and not phone_ok_strict(sample.value)

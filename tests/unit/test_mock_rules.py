"""The mock portal's rules (mockportal/rules.py), one contract id at a time, without a server."""

from __future__ import annotations

import pytest

from contract.words import APPLICATIONS
from mockportal import rules
from tests.http.mockkit import ssh_public_key

GOOD = {
    "last_name": "Peeters",
    "first_name": "Jan",
    "title": "mr",
    "function": "Responsable IT",
    "language_regime": "nl",
    "phone": "02 123 45 67",
    "fax": "",
    "mobile": "",
    "email_1": "jan@example.be",
    "email_2": "",
    "email_3": "",
}


def fields_of(errors) -> list[str]:
    return [error.field for error in errors]


def contact(**changes) -> dict:
    return {**GOOD, **changes}


# -- access and Home ------------------------------------------------------------------------------
@pytest.mark.rules("ACCESS-1")
def test_only_managers_may_register():
    assert rules.access_1_may_manage("gl")
    assert rules.access_1_may_manage("cogl")
    assert not rules.access_1_may_manage("user")
    assert not rules.access_1_may_manage("")


@pytest.mark.rules("ACCESS-3")
def test_the_employer_is_the_sessions_whatever_the_request_says():
    assert rules.access_3_employer_id(7, {"employer_id": "8", "employer": "9"}) == 7


@pytest.mark.rules("HOME-1")
def test_home_greets_the_role():
    assert rules.home_1_role_word("gl") == "role_gl"
    assert rules.home_1_role_word("cogl") == "role_cogl"
    assert rules.home_1_role_word("user") is None


@pytest.mark.rules("HOME-2", "RESULT-4")
def test_no_active_sender_exactly_without_configuration():
    assert rules.home_2_no_active_sender(False)
    assert not rules.home_2_no_active_sender(True)


# -- wizard ----------------------------------------------------------------------------------------------
@pytest.mark.rules("WIZ-1")
def test_the_four_steps_in_order():
    assert rules.wiz_1_steps() == ("information", "contact", "channel", "confirmation")


@pytest.mark.rules("WIZ-5")
@pytest.mark.parametrize(
    "complete, wanted, shown",
    [
        ({}, "confirmation", "information"),
        ({"information": True}, "channel", "contact"),
        ({"information": True, "contact": True}, "confirmation", "channel"),
        ({"information": True, "contact": True, "channel": True}, "confirmation", "confirmation"),
        ({}, "information", "information"),
        ({"information": True, "contact": False, "channel": True}, "contact", "contact"),
    ],
)
def test_steps_cannot_be_skipped(complete, wanted, shown):
    assert rules.wiz_5_first_incomplete(complete, wanted) == shown


# -- contact person --------------------------------------------------------------------------------------------
@pytest.mark.rules("CONTACT-1")
def test_a_complete_contact_has_no_error():
    form, errors = rules.check_contact(GOOD)
    assert errors == []


@pytest.mark.rules("CONTACT-1")
@pytest.mark.parametrize("name", rules.CONTACT_1_REQUIRED)
@pytest.mark.parametrize("value", ["", "   "])
def test_each_required_field_empty_or_blank(name, value):
    _, errors = rules.check_contact(contact(**{name: value}))
    assert fields_of(errors) == [name]
    assert errors[0].message == "required"


@pytest.mark.rules("CONTACT-2")
def test_fax_and_mobile_are_optional():
    _, errors = rules.check_contact(contact(fax="", mobile=""))
    assert errors == []
    assert rules.contact_2_optional(contact(fax="", mobile="")) == []


@pytest.mark.rules("CONTACT-3")
def test_title_offers_three_values():
    assert rules.CONTACT_3_TITLES == ("mr", "mrs", "miss")
    for title in rules.CONTACT_3_TITLES:
        assert rules.contact_3_title(contact(title=title)) == []
    assert fields_of(rules.contact_3_title(contact(title="dr"))) == ["title"]


@pytest.mark.rules("CONTACT-4")
def test_language_regime_three_values_preselected_to_interface():
    for regime in ("fr", "nl", "de"):
        assert rules.contact_4_regime(contact(language_regime=regime)) == []
    assert fields_of(rules.contact_4_regime(contact(language_regime="en"))) == ["language_regime"]
    assert [rules.contact_4_default_regime(x) for x in ("fr", "nl", "de")] == ["fr", "nl", "de"]


@pytest.mark.rules("CONTACT-5")
@pytest.mark.parametrize(
    "address",
    [
        "a@b.be",
        "jan.peeters+ws@mail.example.be",
        "x@sub.domain.co.uk",
        "a" * 64 + "@example.be",
    ],
)
def test_valid_addresses(address):
    assert rules.contact_5_valid_address(address)
    assert rules.contact_5_emails(contact(email_1=address)) == []


@pytest.mark.rules("CONTACT-5")
@pytest.mark.parametrize(
    "address",
    [
        "plainaddress",
        "@example.be",
        "jan@",
        "jan@example",
        "jan@@example.be",
        "jan@ex@ample.be",
        "jan peeters@example.be",
        "jan@example..be",
        "jan@.example.be",
        "jan@example.be.",
        "jan@exa mple.be",
        "jan@example.be\t",
    ],
)
def test_invalid_addresses(address):
    errors = rules.contact_5_emails(contact(email_1=address))
    assert fields_of(errors) == ["email_1"]


@pytest.mark.rules("CONTACT-5")
def test_at_least_one_address_marks_the_first_field_and_names_the_group():
    errors = rules.contact_5_emails(contact(email_1="", email_2="", email_3=""))
    assert fields_of(errors) == ["email_1"]
    assert errors[0].label_key == "emails"


@pytest.mark.rules("CONTACT-5")
def test_any_one_of_the_three_fields_is_enough():
    assert rules.contact_5_emails(contact(email_1="", email_3="x@y.be")) == []


@pytest.mark.rules("CONTACT-5")
def test_each_filled_address_is_checked():
    errors = rules.contact_5_emails(contact(email_1="ok@x.be", email_2="bad", email_3="also bad@x.be"))
    assert fields_of(errors) == ["email_2", "email_3"]


@pytest.mark.rules("CONTACT-5")
def test_254_characters_at_most():
    at_limit = "a" * (254 - len("@example.be")) + "@example.be"
    assert len(at_limit) == 254
    assert rules.contact_5_emails(contact(email_1=at_limit)) == []
    too_long = "a" + at_limit
    errors = rules.contact_5_emails(contact(email_1=too_long))
    assert fields_of(errors) == ["email_1"] and errors[0].message == "email_too_long"


@pytest.mark.rules("CONTACT-5")
def test_the_same_address_twice_ignoring_case_is_an_error_on_the_later_field():
    errors = rules.contact_5_emails(contact(email_1="Jan@Example.be", email_2="x@y.be", email_3="jan@example.BE"))
    assert fields_of(errors) == ["email_3"]
    assert errors[0].message == "email_duplicate"


@pytest.mark.rules("CONTACT-6")
@pytest.mark.parametrize(
    "number", ["021234567", "+32 2 123 45 67", "(02) 123.45.67", "0032/2-123-45-67", "123456789012345"]
)
def test_phone_numbers_accepted(number):
    for name in ("phone", "fax", "mobile"):
        assert rules.contact_6_phones(contact(**{name: number})) == []


@pytest.mark.rules("CONTACT-6")
@pytest.mark.parametrize(
    "number, message",
    [
        ("12345678", "phone_digits"),  # 8 digits
        ("1234567890123456", "phone_digits"),  # 16 digits
        ("02 123 45 67 ext", "phone_characters"),
        ("02_123_45_67", "phone_characters"),
        ("+32 2 123 45 67#", "phone_characters"),
        ("٠٢١٢٣٤٥٦٧٨", "phone_characters"),  # Arabic-Indic digits are not "digits" here
    ],
)
def test_phone_numbers_refused(number, message):
    for name in ("phone", "fax", "mobile"):
        errors = rules.contact_6_phones(contact(**{name: number}))
        assert fields_of(errors) == [name] and errors[0].message == message


@pytest.mark.rules("CONTACT-7")
@pytest.mark.parametrize("name", rules.TEXT_FIELDS)
def test_sixty_characters_at_most_never_cut(name):
    value_60 = ("1" * 60) if name in rules.PHONE_FIELDS else "x" * 60
    value_61 = ("1" * 61) if name in rules.PHONE_FIELDS else "x" * 61
    assert rules.contact_7_lengths(contact(**{name: value_60})) == []
    errors = rules.contact_7_lengths(contact(**{name: value_61}))
    assert fields_of(errors) == [name] and errors[0].message == "too_long"
    form, _ = rules.check_contact(contact(**{name: value_61}))
    assert form[name] == value_61  # never silently cut


@pytest.mark.rules("CONTACT-7")
def test_leading_and_trailing_spaces_are_trimmed_before_counting():
    form, errors = rules.check_contact(contact(last_name="  " + "x" * 60 + "  ", email_1=" a@b.be "))
    assert errors == []
    assert form["last_name"] == "x" * 60
    assert form["email_1"] == "a@b.be"


@pytest.mark.rules("CONTACT-8")
def test_one_message_per_field_in_form_order():
    raw = contact(last_name="", first_name="x" * 61, phone="abc", email_1="", email_2="")
    _, errors = rules.check_contact(raw)
    assert fields_of(errors) == ["last_name", "first_name", "phone", "email_1"]
    assert len(set(fields_of(errors))) == len(errors)


@pytest.mark.rules("CONTACT-8")
def test_every_error_names_a_label_of_the_word_table():
    from contract.words import WORDS

    _, errors = rules.check_contact({})
    assert errors
    assert all(error.label_key in WORDS for error in errors)


# -- channel data ----------------------------------------------------------------------------------------------
def channel(**values) -> dict:
    base = {"channel": "ws", "has_certificate": True, "applications": [], "ssh_key": ""}
    return {**base, **values}


@pytest.mark.rules("CHANNEL-1")
@pytest.mark.parametrize("choice", ["", None, "mqlink", "WS"])
def test_a_channel_must_be_chosen(choice):
    assert fields_of(rules.check_channel(channel(channel=choice))) == ["channel"]


@pytest.mark.rules("CHANNEL-1")
def test_the_three_channels():
    assert rules.CHANNELS == ("ftp", "sftp", "ws")


@pytest.mark.rules("CHANNEL-2")
@pytest.mark.parametrize("kind", ["ftp", "sftp", "ws"])
def test_every_channel_needs_a_certificate(kind):
    errors = rules.check_channel(
        channel(channel=kind, has_certificate=False, applications=[APPLICATIONS[0]], ssh_key=ssh_public_key())
    )
    assert fields_of(errors) == ["certificate"]


@pytest.mark.rules("CHANNEL-3")
@pytest.mark.parametrize("kind", ["ftp", "sftp"])
def test_ftp_and_sftp_need_an_application(kind):
    errors = rules.channel_3_applications(channel(channel=kind, applications=[]))
    assert fields_of(errors) == ["applications"]
    assert rules.channel_3_applications(channel(channel=kind, applications=[APPLICATIONS[-1]])) == []
    assert fields_of(rules.channel_3_applications(channel(channel=kind, applications=["Other"]))) == ["applications"]


@pytest.mark.rules("CHANNEL-3")
def test_the_eight_applications():
    assert len(APPLICATIONS) == 8 and APPLICATIONS[0] == "Publiato"


@pytest.mark.rules("CHANNEL-4")
@pytest.mark.parametrize(
    "key",
    [
        lambda: ssh_public_key("ed25519"),
        lambda: ssh_public_key("rsa", 2048),
        lambda: ssh_public_key("rsa", 2048).rsplit(" ", 1)[0],
    ],
)
def test_sftp_accepts_ed25519_and_rsa_2048(key):
    assert rules.channel_4_ssh_key(channel(channel="sftp", ssh_key=key())) == []


@pytest.mark.rules("CHANNEL-4")
@pytest.mark.parametrize(
    "key, message",
    [
        (lambda: "", "ssh_required"),
        (lambda: "   ", "ssh_required"),
        (lambda: ssh_public_key("rsa", 1024), "ssh_weak"),
        (lambda: ssh_public_key("ecdsa"), "ssh_weak"),
        (lambda: "ssh-rsa AAAAnotbase64!!", "ssh_invalid"),
        (lambda: "ssh-ed25519", "ssh_invalid"),
        (lambda: "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", "ssh_invalid"),
        (lambda: ssh_public_key("ed25519").replace(" ", "\n", 1), "ssh_invalid"),
        (lambda: "ssh-rsa " + ssh_public_key("ed25519").split()[1], "ssh_invalid"),  # type does not match
    ],
)
def test_sftp_refuses_bad_keys(key, message):
    errors = rules.channel_4_ssh_key(channel(channel="sftp", ssh_key=key()))
    assert [(e.field, e.message) for e in errors] == [("ssh_key", message)]


@pytest.mark.rules("CHANNEL-4", "CHANNEL-5")
def test_only_sftp_needs_a_key():
    assert rules.channel_4_ssh_key(channel(channel="ftp", ssh_key="")) == []
    assert rules.channel_4_ssh_key(channel(channel="ws", ssh_key="garbage")) == []


@pytest.mark.rules("CHANNEL-5")
def test_web_service_needs_only_the_certificate_and_is_internet():
    assert rules.check_channel(channel(channel="ws", applications=[], ssh_key="")) == []
    stored = rules.channel_5_stored(channel(channel="ws", applications=[APPLICATIONS[0]], ssh_key="x"))
    assert stored == {"applications": (), "ssh_key": None, "connection_type": "internet"}
    assert rules.channel_5_stored(channel(channel="ftp", applications=[APPLICATIONS[0]]))["connection_type"] is None


@pytest.mark.rules("CHANNEL-6")
def test_a_channel_page_adds_only_a_missing_channel():
    assert rules.channel_6_can_add(["ws"], "ftp")
    assert not rules.channel_6_can_add(["ws"], "ws")
    assert not rules.channel_6_can_add([], "mqlink")


@pytest.mark.rules("I18N-1")
def test_language_switch_accepts_only_the_three_languages():
    assert rules.i18n_1_language("nl", "fr") == "nl"
    assert rules.i18n_1_language("de", "fr") == "de"
    assert rules.i18n_1_language("en", "nl") == "nl"
    assert rules.i18n_1_language(None, "de") == "de"


@pytest.mark.rules("CONTACT-7")
def test_a_rules_instance_can_be_changed_alone():
    one, other = rules.Rules(), rules.Rules()
    one.contact_7_lengths = lambda form: []
    assert one.check_contact(contact(last_name="x" * 61))[1] == []
    assert fields_of(other.check_contact(contact(last_name="x" * 61))[1]) == ["last_name"]

"""The defect registry: each defect names a contract rule and changes one portal instance only."""
from __future__ import annotations

import pytest

from contract.rules import RULES
from mockportal.defects import DEFECTS, UnknownDefect, apply_defects, defect
from mockportal.portal import Portal
from mockportal.store import Store
from tests.http.mockkit import der, self_signed


@pytest.fixture
def portals():
    made = [Portal(store=Store()), Portal(store=Store())]
    yield made
    for portal in made:
        portal.store.close()


def test_every_defect_names_a_rule_and_says_what_it_breaks():
    assert DEFECTS
    for name, item in DEFECTS.items():
        assert item.name == name and item.rule_id in RULES and item.description and callable(item.apply)


def test_unknown_names_are_refused(portals):
    with pytest.raises(UnknownDefect, match="no-such"):
        apply_defects(portals[0], ["no-such"])


def test_registering_a_bad_rule_id_or_twice_is_refused():
    with pytest.raises(ValueError):
        defect("x", "NOPE-1", "x")
    with pytest.raises(ValueError):
        defect("name-61-accepted", "CONTACT-7", "again")(lambda portal: None)


@pytest.mark.rules("CONTACT-7")
def test_name_61_accepted_on_one_instance(portals):
    broken, clean = portals
    apply_defects(broken, ["name-61-accepted"])
    raw = {"last_name": "x" * 61}
    assert "last_name" not in [e.field for e in broken.rules.check_contact(raw)[1]]
    assert "last_name" in [e.field for e in clean.rules.check_contact(raw)[1]]
    assert "last_name" in [e.field for e in broken.rules.check_contact({"last_name": "x" * 62})[1]]
    assert broken.defects == ("name-61-accepted",)


@pytest.mark.rules("CONFIRM-2")
def test_hex_serial_unpadded_on_one_instance(portals):
    broken, clean = portals
    apply_defects(broken, ["hex-serial-unpadded"])
    data = der(self_signed("X", serial=499))
    assert broken.certificates.view(data).serial_hex == "1F3"
    assert clean.certificates.view(data).serial_hex == "01F3"


@pytest.mark.rules("I18N-1")
def test_dutch_label_wrong_on_one_instance(portals):
    from contract.words import WORDS

    broken, clean = portals
    apply_defects(broken, ["dutch-label-wrong"])
    assert broken.words["next"]["nl"] != "Volgende"
    assert clean.words["next"]["nl"] == WORDS["next"]["nl"] == "Volgende"

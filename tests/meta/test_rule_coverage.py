"""Every rule of the contract is checked by a focused conformance test and broken by a defect.

The registry (contract/rules.py) is the list of ids; the suite's own markers and the mock's
defect registry must each cover all of it. Each conformance test declares how it checks its
rules, ``@pytest.mark.focused`` (the rule's distinctive promise, on its own, reached the
shortest way) or ``@pytest.mark.scenario`` (a long walk): no rule may be seen only in
scenarios, which a team deselects first when they fail for another reason.
"""

import pytest

from contract.rules import RULE_IDS


def test_every_conformance_test_names_its_rules_and_how_it_checks_them(collected):
    unnamed = [nodeid for nodeid, test in collected.items() if not test["rules"]]
    assert not unnamed, f"conformance tests without @pytest.mark.rules: {unnamed}"
    undeclared = [nodeid for nodeid, test in collected.items() if test["kind"] is None]
    assert not undeclared, f"conformance tests marked neither focused nor scenario: {undeclared}"


def focused_tests(collected: dict[str, dict], rule_id: str) -> list[str]:
    return [nodeid for nodeid, test in collected.items() if test["kind"] == "focused" and rule_id in test["rules"]]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_has_a_focused_test(collected, rule_id):
    scenarios = [
        nodeid for nodeid, test in collected.items() if test["kind"] == "scenario" and rule_id in test["rules"]
    ]
    assert focused_tests(collected, rule_id), (
        f"no focused conformance test checks {rule_id} (scenarios naming it: {scenarios or 'none'})"
    )


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_has_a_defect(rule_id):
    from mockportal.defects import DEFECTS

    assert any(d.rule_id == rule_id for d in DEFECTS.values()), f"no mock defect breaks {rule_id}"


def test_at_least_forty_defects():
    from mockportal.defects import DEFECTS

    assert len(DEFECTS) >= 40

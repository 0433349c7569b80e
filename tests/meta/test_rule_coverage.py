"""Every rule of the contract is checked by a conformance test and broken by a defect.

The registry (contract/rules.py) is the list of ids; the suite's own markers and the mock's
defect registry must each cover all of it.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from contract.rules import RULE_IDS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> dict[str, list[str]]:
    out = tmp_path_factory.mktemp("rules") / "rules.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/conformance", "--collect-only", "-q",
         "-p", "no:cacheprovider", f"--collect-rules={out}"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return json.loads(out.read_text())


def test_every_conformance_test_names_its_rules(collected):
    unnamed = [nodeid for nodeid, ids in collected.items() if not ids]
    assert not unnamed, f"conformance tests without @pytest.mark.rules: {unnamed}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_has_a_conformance_test(collected, rule_id):
    assert any(rule_id in ids for ids in collected.values()), f"no conformance test names {rule_id}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_has_a_defect(rule_id):
    from mockportal.defects import DEFECTS

    assert any(d.rule_id == rule_id for d in DEFECTS.values()), f"no mock defect breaks {rule_id}"


def test_at_least_forty_defects():
    from mockportal.defects import DEFECTS

    assert len(DEFECTS) >= 40

"""docs/test-design.md stays true to the rules and to the suite.

The page holds one table per family of rules; each row is a case of one rule (a limit and its
values, a language, a role, a pass) and names the tests that cover it as
`file::function[parameters]`, or says why none is needed (**none**) or why one is missing
(**gap**). A row covered through a test of another rule says "via RULE-ID:". Checked here:
every rule id of contract/rules.py has rows in its family's table; every test named exists
among the collected conformance tests; a test named as covering a row names the row's rule
(or the "via" rule) in its markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract.rules import RULE_IDS

ROOT = Path(__file__).resolve().parents[2]
DESIGN = ROOT / "docs" / "test-design.md"

_SECTION = re.compile(r"^## (?P<family>[A-Z][A-Z0-9]*) — ")
_ROW = re.compile(r"^\|(?P<cells>.+)\|\s*$")
_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*-\d+$")
_REF = re.compile(r"`(?P<file>test_\w+\.py)::(?P<function>test_\w+)(?P<params>\[[^\]`]+\])?`")
_VIA = re.compile(r"^via (?P<rule>[A-Z][A-Z0-9]*-\d+):")
_BROWSER_PARAM = re.compile(r"\[(?:chromium|firefox|webkit)-?")
REASON_AT_LEAST = 20  # characters: a reason, not a bare word


@dataclass(frozen=True)
class Row:
    line: int
    family: str | None
    rule: str
    cells: tuple[str, ...]

    @property
    def covered_by(self) -> str:
        return self.cells[-1]

    @property
    def kind(self) -> str:
        """ "none", "gap", "via" or "covered"."""
        cell = self.covered_by
        if cell.startswith("**none**"):
            return "none"
        if cell.startswith("**gap**"):
            return "gap"
        return "via" if _VIA.match(cell) else "covered"

    def refs(self) -> list[str]:
        """The tests the row names, as `file::function` or `file::function[parameters]`."""
        return [f"{m['file']}::{m['function']}{m['params'] or ''}" for m in _REF.finditer(self.covered_by)]

    def __str__(self) -> str:
        return f"docs/test-design.md:{self.line} ({self.rule}, {' / '.join(self.cells[1:-1])})"


def read_rows(text: str) -> list[Row]:
    """Every body row of every table, with the family of the section it stands in."""
    rows, family = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        section = _SECTION.match(line)
        if section:
            family = section["family"]
            continue
        if line.startswith("## "):
            family = None
        row = _ROW.match(line)
        if not row:
            continue
        cells = tuple(cell.strip() for cell in row["cells"].split("|"))
        if _RULE_ID.match(cells[0]):
            rows.append(Row(number, family, cells[0], cells))
    return rows


def design_id(nodeid: str) -> str:
    """A collected test's id as the page writes it: the file's name, the browser left out."""
    path, _, rest = nodeid.partition("::")
    return f"{Path(path).name}::{_BROWSER_PARAM.sub('[', rest).replace('[]', '')}"


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    found = read_rows(DESIGN.read_text(encoding="utf-8"))
    assert len(found) >= len(RULE_IDS), f"only {len(found)} rows found in {DESIGN.name}: has the format changed?"
    return found


@pytest.fixture(scope="module")
def tests(collected: dict[str, dict]) -> dict[str, set[str]]:
    """Collected conformance test -> the rule ids it names, by its id on the page."""
    return {design_id(nodeid): set(test["rules"]) for nodeid, test in collected.items()}


def named(ref: str, tests: dict[str, set[str]]) -> list[str]:
    """The collected tests a reference means: itself, or every case of a function."""
    if ref.endswith("]"):
        return [ref] if ref in tests else []
    return [test for test in tests if test == ref or test.startswith(ref + "[")]


def test_every_rule_has_rows_in_its_familys_table(rows: list[Row]) -> None:
    covered = {row.rule for row in rows}
    missing = [rule for rule in RULE_IDS if rule not in covered]
    assert not missing, f"rules of contract/rules.py without a row in docs/test-design.md: {missing}"


def test_every_row_is_a_known_rule_in_its_familys_table(rows: list[Row]) -> None:
    unknown = [str(row) for row in rows if row.rule not in RULE_IDS]
    assert not unknown, f"rows naming a rule contract/rules.py does not have: {unknown}"
    misplaced = [str(row) for row in rows if row.family != row.rule.rsplit("-", 1)[0]]
    assert not misplaced, f"rows outside their family's section ('## FAMILY — ...'): {misplaced}"
    widths = {len(row.cells) for row in rows}
    assert widths == {4}, f"rows of other than 4 cells: {[str(r) for r in rows if len(r.cells) != 4]}"


def test_every_row_names_a_test_or_says_why_not(rows: list[Row]) -> None:
    bare = [str(row) for row in rows if row.kind in ("covered", "via") and not row.refs()]
    assert not bare, f"rows naming no test and saying neither **none** nor **gap**: {bare}"
    unexplained = [
        str(row) for row in rows if row.kind in ("none", "gap") and len(row.covered_by) < REASON_AT_LEAST + 8
    ]
    assert not unexplained, f"**none** or **gap** without a reason: {unexplained}"


def test_every_test_named_exists(rows: list[Row], tests: dict[str, set[str]]) -> None:
    missing = sorted({f"{ref} ({row})" for row in rows for ref in row.refs() if not named(ref, tests)})
    assert not missing, f"docs/test-design.md names tests that are not collected: {missing}"


def test_a_test_named_as_covering_a_row_names_its_rule(rows: list[Row], tests: dict[str, set[str]]) -> None:
    wrong = []
    for row in rows:
        if row.kind not in ("covered", "via"):
            continue
        via = _VIA.match(row.covered_by)
        rule = via["rule"] if via else row.rule
        for ref in row.refs():
            cases = named(ref, tests)
            if cases and not any(rule in tests[case] for case in cases):
                wrong.append(f"{ref} does not name {rule} ({row})")
    assert not wrong, f"tests named as covering a rule they do not name in @pytest.mark.rules: {wrong}"


def test_the_page_is_read_as_written() -> None:
    """The reader itself, on a made-up page."""
    page = "\n".join(
        [
            "## WIZ — the wizard",
            "| rule | dimension | case | covered by |",
            "|---|---|---|---|",
            "| WIZ-4 | pass | Annuler | `test_navigation.py::test_cancel_discards_the_wizard[contact]` |",
            "| WIZ-4 | language | FR | **none**: reads no word of the interface at all |",
            "| WIZ-3 | pass | again | via CONTACT-1: `test_navigation.py::test_a_step_sent_again_is_checked_again` |",
        ]
    )
    first, second, third = read_rows(page)
    assert (first.family, first.rule, first.kind) == ("WIZ", "WIZ-4", "covered")
    assert first.refs() == ["test_navigation.py::test_cancel_discards_the_wizard[contact]"]
    assert (second.kind, second.refs()) == ("none", [])
    assert (third.kind, third.refs()) == ("via", ["test_navigation.py::test_a_step_sent_again_is_checked_again"])
    assert design_id("tests/conformance/test_x.py::test_y[chromium-nl-0]") == "test_x.py::test_y[nl-0]"
    assert design_id("tests/conformance/test_x.py::test_y[chromium]") == "test_x.py::test_y"

"""docs/contract.md keeps in step with the code: rule ids and tags, and words.

The page is the contract a clone carries; ``contract/`` is what the code shares. A rule, a tag or
a word present on one side only means one of them is out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contract.rules import RULES
from contract.words import WORDS

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_DOC = ROOT / "docs" / "contract.md"

# A rule's entry: "- **CERT-3** [mock] ..." at the start of a line.
_RULE_ENTRY = re.compile(r"^- \*\*(?P<id>[A-Z][A-Z0-9]*-\d+)\*\* \[(?P<tag>seed|public|mock)\]", re.M)
_TABLE_ROW = re.compile(r"^\|(.+)\|\s*$", re.M)
_MODULE_LINK = re.compile(r"\[(?P<name>test_\w+\.py)\]\(\.\./tests/conformance/(?P=name)\)")


def _section(text: str, heading_start: str) -> str:
    """The body of the level-2 section whose heading starts with ``heading_start``."""
    match = re.search(rf"^## {re.escape(heading_start)}.*?$(?P<body>.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/contract.md has no section '## {heading_start}…'"
    return match.group("body")


def _table_rows(section: str) -> list[list[str]]:
    """The cells of a Markdown table's body rows (header and separator left out)."""
    rows = [[cell.strip() for cell in m.group(1).split("|")] for m in _TABLE_ROW.finditer(section)]
    return [row for row in rows[1:] if not set("".join(row)) <= set("-: ")]


@pytest.fixture(scope="module")
def doc() -> str:
    return CONTRACT_DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def documented(doc: str) -> dict[str, str]:
    """Rule id -> tag, from the rules' entries."""
    return {m.group("id"): m.group("tag") for m in _RULE_ENTRY.finditer(doc)}


def test_each_rule_is_described_once(doc: str):
    ids = [m.group("id") for m in _RULE_ENTRY.finditer(doc)]
    assert len(ids) >= len(RULES), f"only {len(ids)} rule entries found: has their format changed?"
    assert len(ids) == len(set(ids)), f"rules described twice: {sorted({i for i in ids if ids.count(i) > 1})}"


def test_documented_rule_ids_are_the_registered_ones(documented: dict[str, str]):
    registered = set(RULES)
    only_registered = registered - set(documented)
    assert not only_registered, f"in contract/rules.py but not in docs/contract.md: {sorted(only_registered)}"
    only_documented = set(documented) - registered
    assert not only_documented, f"in docs/contract.md but not in contract/rules.py: {sorted(only_documented)}"


def test_documented_tags_are_the_registered_ones(documented: dict[str, str]):
    differing = {
        rule_id: (tag, RULES[rule_id].source)
        for rule_id, tag in documented.items()
        if rule_id in RULES and RULES[rule_id].source != tag
    }
    assert not differing, f"tags (docs/contract.md, contract/rules.py) differ: {differing}"


def test_word_table_rows_are_entries_of_contract_words(doc: str):
    rows = _table_rows(_section(doc, "§4"))
    assert len(rows) >= 20, f"only {len(rows)} rows found in §4's table"
    entries = {tuple(values[language] for language in ("fr", "nl", "de")) for values in WORDS.values()}
    missing = []
    for row in rows:
        assert len(row) == 3, f"§4 row without three languages: {row}"
        columns = [[word.strip() for word in cell.split(" / ")] for cell in row]
        assert len({len(c) for c in columns}) == 1, f"§4 row with a different number of words per language: {row}"
        missing += [triple for triple in zip(*columns, strict=True) if triple not in entries]
    assert not missing, f"(FR, NL, DE) of docs/contract.md §4 that no entry of contract/words.py has: {missing}"

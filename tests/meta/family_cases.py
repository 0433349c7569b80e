"""A plugin for the runs that prove a point on a subset (``-p tests.meta.family_cases``): of
every rule family, the first case of its first test function, and the first case of the first
test function of each way of taking two employers at once (``two_employer_kind``: the
``employers(2)`` marker; an employer of its own beside the shared registration's; beside the
shared steps' employer). Every family of the contract is checked, and every way a test waits
for two employers, at a fraction of a whole run's cost.

``FAMILY_CASES_TWO_EMPLOYER_TESTS=all`` keeps every test function that takes two employers.
"""

from __future__ import annotations

import os

import pytest

from contract.rules import RULES, rule_ids
from tests.meta.standin_cases import keep_only

PER_FAMILY = int(os.environ.get("FAMILY_CASES_PER_FAMILY", "1"))  # test functions kept per rule family
# The rule families to take test functions from (default: every one); the two-employer tests are
# kept whatever their family.
FAMILIES = [name for name in os.environ.get("FAMILY_CASES_FAMILIES", "").split(",") if name]
ALL_TWO_EMPLOYER_TESTS = os.environ.get("FAMILY_CASES_TWO_EMPLOYER_TESTS") == "all"


def two_employer_kind(item: pytest.Item) -> str | None:
    """How ``item`` takes two employers at once (on a target whose workers keep no employer of
    their own), or None when it takes one."""
    marker = item.get_closest_marker("employers")
    if marker is not None and marker.args and int(marker.args[0]) >= 2:
        return "marker"
    fixtures = set(getattr(item, "fixturenames", ()))
    if "employer" in fixtures:
        for shared in ("shared_registration", "shared_employer"):
            if shared in fixtures:
                return shared
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    families = set(FAMILIES) or {rule_id.rsplit("-", 1)[0] for rule_id in RULES}
    chosen: dict[str, list[str]] = {family: [] for family in families}
    functions: set[str] = set()
    kinds: dict[str, str] = {}  # way of taking two employers -> the first function taking it

    def wanted(item: pytest.Item) -> bool:
        function = item.nodeid.split("[")[0]
        ids = rule_ids(item)
        kept = chosen.get(ids[0].rsplit("-", 1)[0] if ids else "")  # None: not a family taken from
        first_case = function not in functions
        functions.add(function)
        in_family = kept is not None and (function in kept or len(kept) < PER_FAMILY)
        kind = two_employer_kind(item)
        if kind is not None:
            kinds.setdefault(kind, function)
        two = kind is not None and (ALL_TWO_EMPLOYER_TESTS or kinds[kind] == function)
        if not first_case or not (in_family or two):
            return False
        if kept is not None and in_family and function not in kept:
            kept.append(function)
        return True

    keep_only(config, items, wanted)

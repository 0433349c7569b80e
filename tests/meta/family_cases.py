"""A plugin for the runs that prove a point on a subset (``-p tests.meta.family_cases``): of
every rule family, the first case of its first test function, and the first case of every
test function that takes two employers at once (on a target whose workers keep no employer of
their own, the shared registration's or steps' employer and the test's own). Every family of
the contract is checked, at a fraction of a whole run's cost.
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


def takes_two(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("employers")
    if marker is not None and marker.args and int(marker.args[0]) >= 2:
        return True
    fixtures = set(getattr(item, "fixturenames", ()))
    return "employer" in fixtures and bool(fixtures & {"shared_registration", "shared_employer"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    families = set(FAMILIES) or {rule_id.rsplit("-", 1)[0] for rule_id in RULES}
    chosen: dict[str, list[str]] = {family: [] for family in families}
    functions: set[str] = set()

    def wanted(item: pytest.Item) -> bool:
        function = item.nodeid.split("[")[0]
        ids = rule_ids(item)
        kept = chosen.get(ids[0].rsplit("-", 1)[0] if ids else "")  # None: not a family taken from
        first_case = function not in functions
        functions.add(function)
        in_family = kept is not None and (function in kept or len(kept) < PER_FAMILY)
        if not first_case or not (in_family or takes_two(item)):
            return False
        if kept is not None and in_family and function not in kept:
            kept.append(function)
        return True

    keep_only(config, items, wanted)

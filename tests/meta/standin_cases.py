"""A plugin for the stand-in staging run (``-p tests.meta.standin_cases``): every conformance
test function, on fewer of its cases.

The stand-in proves that the page objects rely on the contract only: each test function must
pass on the variant skin's markup. The cases of a sample table (e-mail addresses, phones,
certificates, hostile strings) walk the same screens through the same page objects with other
data, and `make test` already runs every case against the default skin. So this run keeps, of
each function, its first case and, for a function parametrized by language, every case in the
first language (the A11Y-1 walk reads every screen). ``STANDIN_ALL_CASES=1`` keeps them all.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable

import pytest


def _language(item: pytest.Item) -> object:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("language") if callspec is not None else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("STANDIN_ALL_CASES") == "1":
        return
    seen: Counter[str] = Counter()
    first_language: dict[str, object] = {}

    def wanted(item: pytest.Item) -> bool:
        function = item.nodeid.split("[")[0]
        seen[function] += 1
        language = first_language.setdefault(function, _language(item))
        return seen[function] == 1 or (language is not None and _language(item) == language)

    keep_only(config, items, wanted)


def keep_only(config: pytest.Config, items: list[pytest.Item], wanted: Callable[[pytest.Item], bool]) -> None:
    """Deselect the items ``wanted`` refuses, asked in collection order (the same in every xdist
    worker, so that every worker keeps the same tests)."""
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        (kept if wanted(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept

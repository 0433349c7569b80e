"""A plugin for the stand-in staging run (``-p tests.meta.standin_cases``): which conformance
tests it runs, by ``STANDIN_CASES``.

The stand-in proves that the suite relies on the contract only: its page objects, harness and
fixtures must work on the variant skin's markup, through the foreign portal's own login form and
wizard. The cases of a sample table (e-mail addresses, phones, certificates, hostile strings)
walk the same screens through the same code with other data, and `make test` already runs every
case against the default skin.

- ``cover`` (the default): the tests of ``tests/meta/standin-cover.json``, which together reach
  every part of the suite's code that ``first`` reaches (``standin_cover.py``); the run stops
  at once when the file names a test that does not exist;
- ``first``: of each function, its first case and, for a function parametrized by language,
  every case in the first language (the A11Y-1 walk reads every screen);
- ``all``: every case.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable

import pytest

from harness.progress import test_id
from tests.meta.standin_cover import COVER_FILE


def _language(item: pytest.Item) -> object:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("language") if callspec is not None else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mode = os.environ.get("STANDIN_CASES", "cover")
    if mode == "all":
        return
    if mode == "cover":
        cover = set(json.loads(COVER_FILE.read_text(encoding="utf-8"))["tests"])
        missing = cover - {test_id(item.nodeid) for item in items}
        if missing:
            raise pytest.UsageError(
                f"{COVER_FILE.name} names {len(missing)} test(s) that do not exist, such as {sorted(missing)[0]}: "
                "record it anew with python -m tests.meta.standin_cover --write"
            )
        keep_only(config, items, lambda item: test_id(item.nodeid) in cover)
        return
    if mode != "first":
        raise pytest.UsageError(f"STANDIN_CASES={mode}: cover, first or all")
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

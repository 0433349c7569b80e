"""The stand-in staging run's cover (``standin-cover.json``, ``standin_cover.py``) is kept up to
date with the page objects, and is a cover.

Recording it takes a stand-in run (about two minutes); these checks read the file only."""

from __future__ import annotations

import json

from tests.meta.standin_cover import COVER_FILE, cheapest_cover, page_functions

COVER = json.loads(COVER_FILE.read_text(encoding="utf-8"))


def test_every_page_object_function_is_known_to_the_cover():
    """A function added to ``pages/`` since the cover was recorded may be reached by no test the
    stand-in run keeps."""
    known = set(COVER["reached"]) | set(COVER["pages_not_reached"])
    unknown = sorted(page_functions() - known)
    assert not unknown, f"record the cover anew (python -m tests.meta.standin_cover --write): {unknown}"


def test_the_cover_keeps_fewer_tests_and_reaches_what_every_test_reaches():
    rows = {
        "a": {"reaches": ["pages/x.py:A.one", "fixture:page"], "seconds": 1.0},
        "b": {"reaches": ["pages/x.py:A.one", "pages/x.py:A.two", "fixture:page"], "seconds": 1.5},
        "c": {"reaches": ["fixture:page"], "seconds": 0.1},
        "d": {"reaches": ["locates:tests/conformance/test_x.py:test_d"], "seconds": 9.0},
    }
    assert cheapest_cover(rows) == ["b", "d"]
    assert 0 < len(COVER["tests"]) < COVER["recorded_tests"]
    assert COVER["cover_seconds"] < COVER["recorded_seconds"]

"""Run only by tests/meta/test_flaky_reruns.py (the file name keeps pytest from collecting it):
one test that fails on its first attempt and passes when run again, one that always fails."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page


def test_fails_once_then_passes(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    marker = Path(os.environ["FLAKY_MARKER"])
    if not marker.exists():
        marker.write_text("the first attempt failed")
        raise AssertionError("fails on purpose, on its first attempt only")


def test_always_fails(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    raise AssertionError("fails on purpose, every time")

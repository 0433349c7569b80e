"""Hypothesis settings for the mock's fuzz tests (``test_http_fuzz.py``), and the checks they share.

``MOCK_FUZZ_PROFILE`` chooses one: ``quick`` (the default: about a minute for all the fuzz tests
together, part of ``make unit`` and ``make test``) or ``nightly`` (25 times the examples, for a
nightly job: ``MOCK_FUZZ_PROFILE=nightly .venv/bin/python -m pytest tests/http/test_http_fuzz.py``).
No deadline per example (the machine is shared); failing examples are kept in Hypothesis's
database, under ``.pytest_cache/hypothesis`` (ignored by git), and tried first next time.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

FUZZ_PROFILES = {"quick": 1, "nightly": 25}  # name -> how many times the quick number of examples
DATABASE = DirectoryBasedExampleDatabase(Path(__file__).resolve().parents[2] / ".pytest_cache" / "hypothesis")
FUZZ_PROFILE = os.environ.get("MOCK_FUZZ_PROFILE", "quick")
if FUZZ_PROFILE not in FUZZ_PROFILES:
    raise ValueError(f"MOCK_FUZZ_PROFILE={FUZZ_PROFILE!r}: one of {', '.join(FUZZ_PROFILES)}")


def fuzz_settings(examples: int) -> settings:
    """``examples`` in the quick profile, scaled by the chosen one."""
    return settings(
        max_examples=examples * FUZZ_PROFILES[FUZZ_PROFILE],
        deadline=None,
        database=DATABASE,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    )

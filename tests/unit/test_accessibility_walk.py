"""The A11Y-1 walk (tests/conformance/test_accessibility.py) goes only as far as its tests ask,
and a screen it never reached fails naming why the walk stopped."""

from __future__ import annotations

import pytest

from tests.conformance.test_accessibility import Walk


def through(done: Walk, screens: list[str], stop_at: str | None = None):
    """A stand-in for the walk: "scans" each screen by name, pausing after each."""
    for screen in screens:
        if screen == stop_at:
            done.stopped = f"TimeoutError on {screen}"
            return
        done.scans[screen] = screen  # type: ignore[assignment]  # the name stands for its scan
        yield


def test_a_screen_walks_only_as_far_as_it_needs():
    done = Walk("fr")
    done.steps = through(done, ["login", "home", "contact"])

    assert done.of("home") == "home"
    assert list(done.scans) == ["login", "home"]
    assert done.of("login") == "login"  # already scanned: the walk stays where it is
    assert list(done.scans) == ["login", "home"]
    assert done.of("contact") == "contact"


def test_a_screen_the_walk_never_reached_fails_naming_why():
    done = Walk("nl")
    done.steps = through(done, ["login", "home", "contact"], stop_at="home")

    assert done.of("login") == "login"
    with pytest.raises(pytest.fail.Exception, match="the walk in 'nl' never reached 'contact': TimeoutError on home"):
        done.of("contact")

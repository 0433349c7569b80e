"""A walk through the tour (``pages.tour.Walk``, the A11Y-1 test's) goes only as far as its
readers ask, and a screen it never reached fails naming why the walk stopped; the tour's
consumers that go to screens with page objects take every screen but those they leave out,
saying why."""

from __future__ import annotations

import pytest

from pages.tour import SCREENS, NotReached, Walk, screens_except


def through(done: Walk[str], screens: list[str], stop_at: str | None = None):
    """A stand-in for the walk: "finds" each screen's name on it, pausing after each."""
    for screen in screens:
        if screen == stop_at:
            done.stopped = f"TimeoutError on {screen}"
            return
        done.found[screen] = screen
        yield


def test_a_screen_walks_only_as_far_as_it_needs():
    done: Walk[str] = Walk("fr")
    done.steps = through(done, ["login", "home", "contact"])

    assert done.of("home") == "home"
    assert list(done.found) == ["login", "home"]
    assert done.of("login") == "login"  # already found: the walk stays where it is
    assert list(done.found) == ["login", "home"]
    assert done.of("contact") == "contact"


def test_a_screen_the_walk_never_reached_fails_naming_why():
    done: Walk[str] = Walk("nl")
    done.steps = through(done, ["login", "home", "contact"], stop_at="home")

    assert done.of("login") == "login"
    with pytest.raises(NotReached, match="the walk in 'nl' never reached 'contact': TimeoutError on home"):
        done.of("contact")


def test_a_consumer_takes_every_screen_it_does_not_leave_out_in_the_tours_order():
    stepless = {screen.name: "no page object goes there" for screen in SCREENS if screen.step is None}

    taken = screens_except(stepless, consumer="a test")

    assert [screen.name for screen in taken] == [screen.name for screen in SCREENS if screen.name not in stepless]


def test_a_screen_no_page_object_reaches_stops_a_consumer_that_does_not_leave_it_out():
    stepless = [screen.name for screen in SCREENS if screen.step is None]
    left_out = dict.fromkeys(stepless[1:], "no page object goes there")

    with pytest.raises(ValueError, match=rf"no page object reaches \['{stepless[0]}'\].*leave it out in a test"):
        screens_except(left_out, consumer="a test")


def test_a_consumer_cannot_leave_out_a_screen_the_tour_does_not_have():
    with pytest.raises(ValueError, match=r"leaves out \['no-such-screen'\]"):
        screens_except({"no-such-screen": "gone"}, consumer="a test")

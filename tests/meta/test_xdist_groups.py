"""xdist's groups work in this environment: a run with ``--dist loadgroup`` names each grouped
test ``<id>@<group>``, and the scheduler keeps a group on one worker. pytest 9.2 names a test by
a structured id that xdist 3.8's suffix does not reach: the groups were then silently ignored,
and tests sharing a screen or a stand-in spread over the workers, each building its own
(pyproject.toml pins pytest below 9.2 for it)."""

from collections import OrderedDict

import pytest

pytestmark = pytest.mark.xdist_group("groups-work")


def test_a_grouped_test_carries_its_group(request: pytest.FixtureRequest) -> None:
    if not getattr(request.config.option, "loadgroup", False):  # what xdist sets on its workers
        pytest.skip("only a run with -n and --dist loadgroup groups tests")
    assert request.node.nodeid.endswith("@groups-work"), request.node.nodeid


def test_a_slow_test_starts_in_a_slow_group() -> None:
    from harness.schedule import SLOW_GROUP, name_slow_groups

    class Item:  # what name_slow_groups reads of a pytest item
        nodeid = "tests/meta/test_x.py::test_y"

        def __init__(self, marks: list[pytest.MarkDecorator]) -> None:
            self.marks = [mark.mark for mark in marks]

        def get_closest_marker(self, name: str) -> pytest.Mark | None:
            return next((mark for mark in reversed(self.marks) if mark.name == name), None)

        def add_marker(self, mark: pytest.MarkDecorator) -> None:
            self.marks.append(mark.mark)

    slow, grouped_slow, plain = (
        Item([pytest.mark.slow]),
        Item([pytest.mark.slow, pytest.mark.xdist_group("standin")]),
        Item([]),
    )
    name_slow_groups([slow, grouped_slow, plain])  # type: ignore[list-item]
    assert slow.get_closest_marker("xdist_group").args == (SLOW_GROUP + slow.nodeid,)  # type: ignore[union-attr]
    assert grouped_slow.get_closest_marker("xdist_group").args == (SLOW_GROUP + "standin",)  # type: ignore[union-attr]
    assert plain.get_closest_marker("xdist_group") is None


def test_the_slow_groups_are_handed_out_first() -> None:
    from harness.schedule import SlowFirstScheduling

    class Node:
        def __init__(self) -> None:
            self.sent: list[list[int]] = []

        def send_runtest_some(self, indexes: list[int]) -> None:
            self.sent.append(indexes)

    ids = ["t.py::a@big", "t.py::b@big", "t.py::c", "s.py::d@standin_slow:standin"]
    scheduler = SlowFirstScheduling.__new__(SlowFirstScheduling)  # its queue only, no workers
    scheduler.workqueue = OrderedDict(
        (scope, {i: False for i in ids if i.endswith(scope)}) for scope in ("big", "t.py::c", "standin_slow:standin")
    )
    node = Node()
    scheduler.assigned_work = {}
    scheduler.registered_collections = {node: ids}
    scheduler._assign_work_unit(node)
    scheduler._assign_work_unit(node)
    assert node.sent == [[3], [0, 1]]


def test_a_test_keeps_one_name_whichever_way_it_was_run() -> None:
    from harness.progress import test_id
    from harness.target_file import KnownFailure

    assert test_id("tests/c/test_a.py::test_b@shared-contact") == "tests/c/test_a.py::test_b"
    assert (
        test_id("tests/c/test_a.py::test_b[chromium-fr]@slow:standin_standin")
        == "tests/c/test_a.py::test_b[chromium-fr]"
    )
    assert test_id("tests/c/test_a.py::test_b[chromium-no @ here]") == "tests/c/test_a.py::test_b[chromium-no @ here]"
    known = KnownFailure(reason="ticket pending", test="tests/c/test_a.py::test_b")
    assert known.matches("tests/c/test_a.py::test_b@shared-contact", ())

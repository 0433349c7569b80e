"""Under ``--dist loadgroup``, the tests marked ``slow`` start first.

pytest-xdist hands out its work units (an xdist group, or one test) largest group first. The
few tests marked ``slow`` are each a whole pytest run of their own, minutes long and partly
spent waiting on it (a slow portal, employers taken in turn); handed out late, they made the
last minutes of ``make test`` with one worker busy, half the CPUs idle and the other worker done
(docs/performance.md). So each slow test's group is named ``slow:<group>`` on the workers, and
the controller's scheduler hands those groups out before any other: their waits overlap the
rest of the run instead of ending it.
"""

from __future__ import annotations

from typing import Any

import pytest
from xdist.scheduler import LoadGroupScheduling

SLOW_GROUP = "slow:"


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    name_slow_groups(items)


def name_slow_groups(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") is None:
            continue
        group = item.get_closest_marker("xdist_group")
        name = (group.args[0] if group.args else group.kwargs.get("name", "default")) if group else item.nodeid
        item.add_marker(pytest.mark.xdist_group(SLOW_GROUP + str(name)))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> LoadGroupScheduling | None:
    return SlowFirstScheduling(config, log) if config.getoption("dist") == "loadgroup" else None


class SlowFirstScheduling(LoadGroupScheduling):  # type: ignore[misc]  # xdist ships no type information
    """xdist's ``loadgroup``, but the ``slow:`` groups go to the front of the queue before the
    first unit is handed out (in their own order: largest first)."""

    _slow_first = False

    def _assign_work_unit(self, node: Any) -> None:
        if not self._slow_first:
            # xdist names a test's scope by all its groups, sorted and joined: "few-employers_slow:…"
            slow = [scope for scope in self.workqueue if SLOW_GROUP in scope]
            for scope in reversed(slow):
                self.workqueue.move_to_end(scope, last=False)
            self._slow_first = True
        super()._assign_work_unit(node)

"""Employer leases shared by a run's workers (``harness/leases.py``): a test that needs two
waits until two are free, never holding one meanwhile; holds never wait and always leave two
for the tests; a worker that goes away gives back what it had."""

from __future__ import annotations

import threading

import pytest

from harness.leases import LeaseError, Leases, LeaseServer, Pool


def taking(leases: Leases, owner: str, count: int) -> tuple[threading.Thread, list[list[int]]]:
    """A thread that takes ``count`` employers for ``owner``; what it got lands in the list."""
    got: list[list[int]] = []
    thread = threading.Thread(target=lambda: got.append(leases.take(owner, count)), daemon=True)
    thread.start()
    return thread, got


def test_a_test_that_needs_two_waits_until_two_are_free_and_holds_none_meanwhile():
    pool = Pool(2)
    assert pool.take("gw0:a", 1) == [0]
    thread, got = taking(Leases(pool=pool), "gw1:b", 2)
    thread.join(timeout=0.2)
    assert thread.is_alive() and not got
    assert 1 not in pool.owners  # b holds nothing while it waits: a one-employer test still runs
    assert pool.take("gw0:c", 1) == [1]
    pool.give("gw0:a")
    pool.give("gw0:c")
    thread.join(timeout=5)
    assert got == [[0, 1]]


def test_a_named_employer_is_waited_for_and_more_than_the_pool_is_an_error():
    pool = Pool(3)
    pool.take("gw0:a", 0, named=[2])
    with pytest.raises(LeaseError, match="needs 4 employer"):
        pool.take("gw0:b", 4)
    got: list[list[int]] = []
    thread = threading.Thread(target=lambda: got.append(pool.take("gw1:b", 1, named=[2])), daemon=True)
    thread.start()
    thread.join(timeout=0.2)
    assert not got
    pool.give("gw0:a")
    thread.join(timeout=5)
    assert got and got[0][0] == 2 and len(got[0]) == 2


def test_holds_never_wait_and_leave_two_employers_for_the_tests():
    pool = Pool(4)
    assert pool.hold("gw0:held") == 3
    assert pool.hold("gw0:held") == 2
    assert pool.hold("gw1:held") is None  # two must stay free of holds
    taken = pool.take("gw1:t", 2)
    assert sorted(taken) == [0, 1]
    pool.give("gw0:held", [2])
    assert pool.hold("gw1:held", named=0) is None  # taken by a test: a hold does not wait


def test_over_the_socket_and_a_worker_that_goes_away_gives_back_what_it_had():
    pool = Pool(2)
    server = LeaseServer(pool)
    try:
        gone = Leases(address=server.address, worker="gw0")
        assert gone.take("gw0:test_a", 2) == [0, 1]
        other = Leases(address=server.address, worker="gw1")
        thread, got = taking(other, "gw1:test_b", 1)
        thread.join(timeout=0.2)
        assert not got
        gone.close()  # the worker crashed: its lease is free again
        thread.join(timeout=5)
        assert got and len(got[0]) == 1
        other.close()
    finally:
        server.close()

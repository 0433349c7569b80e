"""Who uses which of a target file's employers, across all the workers of a run.

A staging portal has the test employers its team registered, often two. Two tests must never
use one employer at the same time, whichever worker runs them, so employers are *leased*, as
pytest-xdist's documentation suggests for a resource the workers share: the controller keeps a
:class:`Pool` of the file's employers (by their index in the file) and, under xdist, serves it
to the workers over a loopback socket (:class:`LeaseServer`, :class:`LeaseClient`); a run
without xdist uses the pool directly.

Two kinds of lease, and why neither can wait for the other for ever:

- a **test's lease** (``take``) asks for everything the test needs at once — ``count``
  employers, plus any it needs by name — and waits until all of them are free. A test that needs
  two employers therefore waits until two are free, and never holds one while it waits for a
  second;
- a **hold** (``hold``) keeps one employer for a worker's shared screens until the run ends
  (or the worker's screens are reset). It never waits: it is granted only when an employer is
  free now and enough stay unheld for the tests (:data:`FOR_TESTS`); otherwise the shared screen
  is built per test, on the test's own lease.

An owner whose connection closes (a worker that crashed) gives back everything it had.

The module is also the plugin that sets this up: the pool on the controller, its address in
each worker's ``workerinput`` (xdist's ``pytest_configure_node``).
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import pytest

from harness.target_file import TARGET_FILE_KEY

# How many employers must stay free of holds, so that a test that needs two still runs.
FOR_TESTS = 2


class LeaseError(RuntimeError):
    """A lease that can never be granted (more employers than the pool has)."""


@dataclass
class Pool:
    """The employers ``0 .. size-1`` and who has each; thread-safe."""

    size: int
    owners: dict[int, str] = field(default_factory=dict)  # index -> owner
    held: set[int] = field(default_factory=set)  # indices held for shared screens
    _changed: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def take(self, owner: str, count: int, named: Sequence[int] = ()) -> list[int]:
        """``named`` and ``count`` more employers for ``owner``, all at once, waiting until they
        are free. Never gives a held employer (but a named one that ``owner`` holds itself)."""
        named = list(dict.fromkeys(named))
        if len(named) + count > self.size - len(self.held - set(named)):
            raise LeaseError(
                f"{owner} needs {len(named) + count} employer(s) at once; the pool has {self.size}, "
                f"{len(self.held)} of them kept for shared screens"
            )
        with self._changed:
            while True:
                if all(self.owners.get(index) in (None, owner) for index in named):
                    others = [i for i in range(self.size) if i not in self.owners and i not in named]
                    if len(others) >= count:
                        taken = named + others[:count]
                        for index in taken:
                            self.owners[index] = owner
                        return taken
                self._changed.wait()

    def hold(self, owner: str, named: int | None = None) -> int | None:
        """An employer kept for ``owner``'s shared screens, if one is free now (``named``: that
        one) and :data:`FOR_TESTS` stay unheld afterwards; None otherwise (never waits)."""
        with self._changed:
            if self.size - len(self.held) - 1 < FOR_TESTS:
                return None
            free = [i for i in range(self.size) if i not in self.owners]
            if named is not None:
                free = [i for i in free if i == named]
            if not free:
                return None
            index = free[-1] if named is None else named  # the file's last ones: its first are named
            self.owners[index] = owner
            self.held.add(index)
            return index

    def give(self, owner: str, indices: Iterable[int] | None = None) -> None:
        """Give back ``indices`` (all of ``owner``'s, when None)."""
        with self._changed:
            for index in list(self.owners if indices is None else indices):
                if self.owners.get(index) == owner:
                    del self.owners[index]
                    self.held.discard(index)
            self._changed.notify_all()

    def give_all_of(self, prefix: str) -> None:
        """Give back everything of the owners named ``prefix…`` (a worker's tests and holds)."""
        with self._changed:
            for index, owner in list(self.owners.items()):
                if owner.startswith(prefix):
                    del self.owners[index]
                    self.held.discard(index)
            self._changed.notify_all()


class Leases:
    """What a worker asks of the pool: the pool itself, or the controller's over a socket."""

    def __init__(self, pool: Pool | None = None, address: tuple[str, int] | None = None, worker: str = "main"):
        self.worker = worker
        self._pool = pool
        self._socket: socket.socket | None = None
        self._lines: BinaryIO | None = None
        self._lock = threading.Lock()
        if address is not None:
            self._socket = socket.create_connection(address)
            self._lines = self._socket.makefile("rb")
            self._ask({"op": "hello", "worker": worker})

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self._socket is not None
        with self._lock:
            self._socket.sendall(json.dumps(request).encode() + b"\n")
            assert self._lines is not None
            answer: dict[str, Any] = json.loads(self._lines.readline())
        if "error" in answer:
            raise LeaseError(answer["error"])
        return answer

    def take(self, owner: str, count: int, named: Sequence[int] = ()) -> list[int]:
        if self._pool is not None:
            return self._pool.take(owner, count, named)
        return list(self._ask({"op": "take", "owner": owner, "count": count, "named": list(named)})["taken"])

    def hold(self, owner: str, named: int | None = None) -> int | None:
        if self._pool is not None:
            return self._pool.hold(owner, named)
        index = self._ask({"op": "hold", "owner": owner, "named": named})["held"]
        return None if index is None else int(index)

    def give(self, owner: str, indices: Iterable[int] | None = None) -> None:
        if self._pool is not None:
            self._pool.give(owner, indices)
            return
        self._ask({"op": "give", "owner": owner, "indices": None if indices is None else list(indices)})

    def close(self) -> None:
        if self._socket is not None:
            self._socket.shutdown(socket.SHUT_RDWR)  # the server sees the worker go at once
            if self._lines is not None:
                self._lines.close()
            self._socket.close()
            self._socket, self._lines = None, None


class _Handler(socketserver.StreamRequestHandler):
    server: LeaseServer

    def handle(self) -> None:
        worker = ""
        try:
            for line in self.rfile:
                request = json.loads(line)
                try:
                    answer = self.server.answer(request)
                except LeaseError as error:
                    answer = {"error": str(error)}
                if request.get("op") == "hello":
                    worker = str(request["worker"])
                self.wfile.write(json.dumps(answer).encode() + b"\n")
        finally:
            if worker:  # the worker is gone: what it had is free again
                self.server.pool.give_all_of(worker + ":")


class LeaseServer(socketserver.ThreadingTCPServer):
    """The controller's pool, served on a loopback port to the run's workers."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, pool: Pool):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pool = pool
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.server_address[:2]
        return str(host), int(port)

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "hello":
            return {}
        if op == "take":
            return {"taken": self.pool.take(request["owner"], int(request["count"]), request.get("named") or ())}
        if op == "hold":
            return {"held": self.pool.hold(request["owner"], request.get("named"))}
        if op == "give":
            self.pool.give(request["owner"], request.get("indices"))
            return {}
        raise LeaseError(f"unknown lease request {op!r}")

    def close(self) -> None:
        self.shutdown()
        self.server_close()


# --- the plugin: the controller's pool and server, each worker's way to them -----------------------

POOL_KEY = pytest.StashKey[Pool]()  # the controller's: the target file's employers, leased
LEASE_SERVER_KEY = pytest.StashKey[LeaseServer]()
LEASES_INPUT = "harness_leases"  # the lease server's address, in each xdist worker's workerinput


@pytest.hookimpl(trylast=True)  # after the target file is read (harness/plugin.py)
def pytest_configure(config: pytest.Config) -> None:
    target_file = config.stash.get(TARGET_FILE_KEY, None)
    if target_file is not None and not hasattr(config, "workerinput"):
        pool = config.stash[POOL_KEY] = Pool(len(target_file.employers))
        if config.getoption("numprocesses", default=None) and not config.getoption("collectonly"):
            config.stash[LEASE_SERVER_KEY] = LeaseServer(pool)


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(LEASE_SERVER_KEY, None)
    if server is not None:
        server.close()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist's hook on the controller: each worker learns where the employers are leased."""
    server = node.config.stash.get(LEASE_SERVER_KEY, None)
    if server is not None:
        node.workerinput[LEASES_INPUT] = list(server.address)


def leases_of(config: pytest.Config, worker: str) -> Leases:
    """This process's way to the run's employer leases: the controller's pool over its socket
    (an xdist worker), or the pool itself."""
    address = getattr(config, "workerinput", {}).get(LEASES_INPUT)
    if address is not None:
        return Leases(address=(address[0], int(address[1])), worker=worker)
    return Leases(pool=config.stash[POOL_KEY], worker=worker)

"""Which conformance tests the stand-in staging run keeps: those that together reach every part
of the suite that a run against a foreign portal goes through.

The stand-in run (``test_standin_staging.py``) proves that the suite works on a portal it does
not control, whose markup takes every freedom contract §3 allows. What that depends on is the
suite's own code, not the sample data: the page objects (``pages/``), the harness (sign-in
through the login form, registrations through the wizard, leases, shared screens), the fixtures,
and every place where a test locates markup itself. ``tests/meta/standin-cover.json`` names a
set of tests (``tests``) that reaches all of what the stand-in run of every test function
reaches (``reached``), chosen for what each adds per second.

``python -m tests.meta.standin_cover --write`` records it anew: a stand-in run of every test
function (``STANDIN_CASES=first``) with this module as a plugin, which notes, per test, what it
calls (``sys.setprofile``, on the test's own thread) and how long it takes; then a greedy cover
by what each test adds per second. Run it after a change to the page objects, the harness's
target code or the fixtures: ``tests/meta/test_standin_cover.py`` fails when ``pages/`` has a
function the file does not know, and the stand-in run fails when the file names a test that no
longer exists.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from harness.progress import test_id

ROOT = Path(__file__).resolve().parents[2]
COVER_FILE = ROOT / "tests" / "meta" / "standin-cover.json"
OWN = tuple(
    str(ROOT / part) for part in ("pages" + os.sep, "harness" + os.sep, "conftest.py", "tests/conformance/conftest.py")
)
TESTS = str(ROOT / "tests" / "conformance") + os.sep
PLAYWRIGHT = os.sep + "playwright" + os.sep
# Playwright calls by which a test finds markup without a page object.
LOCATING = {"get_by_role", "get_by_label", "get_by_text", "get_by_placeholder", "get_by_title", "locator"}

CALLS: dict[str, set[str]] = {}
SECONDS: dict[str, float] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--cover-out", metavar="DIR", help="write what each test reaches here, one file per process")


def reached(frame: FrameType) -> str | None:
    """What a call reaches: ``path:qualified name`` of the suite's own code (``OWN``), or
    ``locates:path:function`` for a test locating markup itself; else None."""
    code = frame.f_code
    if code.co_name.startswith("<"):
        return None
    if code.co_filename.startswith(OWN):
        return f"{Path(code.co_filename).relative_to(ROOT)}:{code.co_qualname}"
    caller = frame.f_back
    if (
        code.co_name in LOCATING
        and PLAYWRIGHT in code.co_filename
        and caller is not None
        and caller.f_code.co_filename.startswith(TESTS)
    ):
        return f"locates:{Path(caller.f_code.co_filename).relative_to(ROOT)}:{caller.f_code.co_qualname}"
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    test = test_id(item.nodeid)
    seen = CALLS.setdefault(test, set())
    seen.update(f"fixture:{name}" for name in getattr(item, "fixturenames", ()))

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and (name := reached(frame)):
            seen.add(name)

    started = time.monotonic()
    sys.setprofile(profile)
    try:
        yield
    finally:
        sys.setprofile(None)
        SECONDS[test] = time.monotonic() - started


def pytest_sessionfinish(session: pytest.Session) -> None:
    out = session.config.getoption("--cover-out")
    if out and CALLS:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        rows = {
            test: {"reaches": sorted(calls), "seconds": round(SECONDS.get(test, 0.0), 2)}
            for test, calls in CALLS.items()
        }
        (Path(out) / f"{worker}.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


def cheapest_cover(rows: dict[str, dict]) -> list[str]:
    """Tests that together reach everything any of them reaches: picked greedily by what each
    adds per second, then the dearest first dropped where the others reach all it reaches (ties
    by name: the same rows give the same cover)."""
    reaches = {test: set(row["reaches"]) for test, row in rows.items()}
    everything = set().union(*reaches.values())
    left = set(everything)
    chosen: list[str] = []
    while left:
        best = max(sorted(reaches), key=lambda test: len(reaches[test] & left) / (rows[test]["seconds"] + 0.3))
        chosen.append(best)
        left -= reaches[best]
    for test in sorted(chosen, key=lambda test: (-rows[test]["seconds"], test)):
        others = [reaches[other] for other in chosen if other != test]
        if set().union(*others) >= everything:
            chosen.remove(test)
    return sorted(chosen)


def page_functions() -> set[str]:
    """Every function and method defined in ``pages/``, named as ``reached`` names them."""
    found: set[str] = set()

    def walk(node: ast.AST, path: str, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef):
                found.add(f"{path}:{prefix}{child.name}")
                walk(child, path, f"{prefix}{child.name}.<locals>.")
            elif isinstance(child, ast.ClassDef):
                walk(child, path, f"{prefix}{child.name}.")

    for source in sorted((ROOT / "pages").glob("*.py")):
        walk(ast.parse(source.read_text(encoding="utf-8")), str(source.relative_to(ROOT)), "")
    return found


def record() -> dict[str, Any]:
    """A stand-in run of every test function, what each test reached, and the cover."""
    from tests.meta.standin import counts, run_suite, standin, standin_ca

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "cover").mkdir()
        fixture_ca = standin_ca(directory / "ca", seed=7)
        with standin(fixture_ca, 10, directory / "standin.toml") as base_url:
            result = run_suite(
                directory / "standin.toml",
                base_url,
                "--allow-mutations",
                "-n",
                "2",
                "--dist",
                "loadgroup",
                "-p",
                "tests.meta.standin_cases",
                "-p",
                "tests.meta.standin_cover",
                f"--cover-out={directory / 'cover'}",
                env={"STANDIN_CASES": "first"},
            )
        if result.returncode != 0:
            raise SystemExit(f"the stand-in run failed, no cover written: {counts(result)}\n{result.stdout[-3000:]}")
        rows: dict[str, dict] = {}
        for part in sorted((directory / "cover").glob("*.json")):
            rows.update(json.loads(part.read_text(encoding="utf-8")))
    everything = set().union(*(set(row["reaches"]) for row in rows.values()))
    tests = cheapest_cover(rows)
    return {
        "about": "written by python -m tests.meta.standin_cover --write (see its docstring)",
        "recorded_tests": len(rows),
        "recorded_seconds": round(sum(row["seconds"] for row in rows.values()), 1),
        "cover_seconds": round(sum(rows[test]["seconds"] for test in tests), 1),
        "tests": tests,
        "reached": sorted(everything),
        "pages_not_reached": sorted(page_functions() - everything),
    }


def main(argv: list[str]) -> int:
    if argv != ["--write"]:
        print("usage: python -m tests.meta.standin_cover --write", file=sys.stderr)
        return 2
    cover = record()
    COVER_FILE.write_text(json.dumps(cover, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"{COVER_FILE.relative_to(ROOT)}: {len(cover['tests'])} of {cover['recorded_tests']} tests, "
        f"{cover['cover_seconds']} s of {cover['recorded_seconds']} s, reaching {len(cover['reached'])} things"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

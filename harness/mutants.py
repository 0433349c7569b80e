"""The kill matrix: proof that the conformance suite catches every named portal defect.

    python -m harness.mutants [--jobs N] [--defect NAME ...] [--out reports] [--clean-junit FILE]

1. Runs the conformance suite against the clean mock (or reads a run made just before, with
   ``--clean-junit``): everything must pass.
2. Splits the defects over ``--jobs`` long-lived pytest sessions (``harness/killmatrix.py``).
   Each session starts its browser and mock once, then for each of its defects switches the
   mock to it and runs the tests naming the defect's rule until one fails for the portal's
   fault: a defect counts as caught only by a test of the rule it breaks. A crash is not a
   catch: a test that breaks (a TypeError in the suite's own code, a portal that cannot start
   with the defect) leaves the defect uncaught, and the matrix says so ("the suite crashed
   instead").
3. Writes ``reports/kill-matrix.json`` and ``reports/kill-matrix.html`` and fails when a defect
   survives, unless ``tests/expected-survivors.toml`` lists it with a reason; an entry there
   that is in fact caught fails the command too, so the file never goes stale.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from jinja2 import Environment, FileSystemLoader, select_autoescape

ROOT = Path(__file__).resolve().parent.parent
SUITE = "tests/conformance"
SURVIVORS_FILE = ROOT / "tests" / "expected-survivors.toml"
HINTS_FILE = ROOT / "tests" / "kill-hints.json"  # each defect's catching test in the last full run


# A catch must be a test failing for the portal's fault, so the matrix waits less than a normal
# run before it calls a screen missing (the mock answers in milliseconds), and never re-runs.
KILL_WAIT_TIMEOUT_S = 2.5


@dataclass
class Row:
    defect: str
    rule: str
    description: str
    caught: bool = False
    catching_tests: list[str] = field(default_factory=list)
    seconds: float = 0.0
    expected_survivor: str | None = None  # the reason, when listed
    problem: str | None = None  # a run that broke rather than failed a test
    phase: str = ""  # where the catching test failed: setup, call or teardown
    message: str = ""  # the first line of its failure
    tests_run: int = 0


def pytest_command(extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", SUITE, "-q", "-p", "no:cacheprovider", *extra]


def failed_tests(junit: Path) -> list[str]:
    """Test ids with a failure or an error in a JUnit file (empty when none or no file)."""
    if not junit.exists():
        return []
    failed = []
    for case in ET.parse(junit).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(f"{case.get('classname')}::{case.get('name')}")
    return failed


def clean_result_from(junit: Path) -> tuple[bool, str]:
    """Whether a JUnit file shows the whole conformance suite run and passed."""
    if not junit.exists():
        return False, f"{junit} does not exist"
    cases = [
        case
        for case in ET.parse(junit).iter("testcase")
        if (case.get("classname") or "").startswith("tests.conformance")
    ]
    failed = failed_tests(junit)
    failed = [name for name in failed if name.startswith("tests.conformance")]
    if not cases:
        return False, f"{junit} holds no conformance test"
    return not failed, "failed against the clean portal: " + ", ".join(failed)


class NamedDefect(Protocol):
    """What the kill matrix needs of a defect of ``mockportal.defects``."""

    @property
    def name(self) -> str: ...
    @property
    def rule_id(self) -> str: ...
    @property
    def description(self) -> str: ...


D = TypeVar("D")


def split(defects: list[D], jobs: int) -> list[list[D]]:
    """``defects`` dealt out to ``jobs`` sessions in turn (neighbours share a rule, so each
    session gets a mix of rules and of costs)."""
    return [part for part in (defects[index::jobs] for index in range(jobs)) if part]


def run_session(
    defects: list[NamedDefect],
    workdir: Path,
    index: int,
    seed: int,
    relay: Callable[[str], None],
    hints: Path = HINTS_FILE,
) -> list[Row]:
    """One long-lived pytest session over ``defects``; its rows (a broken session's missing
    defects get a ``problem``)."""
    report = workdir / f"session-{index}.json"
    report.unlink(missing_ok=True)
    command = pytest_command(
        [
            f"--faker-seed={seed}",
            f"--output={workdir / f'session-{index}'}",
            f"--wait-timeout={KILL_WAIT_TIMEOUT_S}",
            "--reruns=0",
            "-p",
            "harness.killmatrix",  # the kill matrix's own plugin, for this run only
            f"--kill-report={report}",
            f"--kill-hints={hints}",
            *(f"--kill-defect={defect.name}" for defect in defects),
        ]
    )
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tail: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(("  caught", "  SURVIVED", "  CRASHED")):
            relay(line.rstrip("\n"))
        tail = (tail + [line])[-40:]
    returncode = process.wait()
    found = {entry["defect"]: entry for entry in (json.loads(report.read_text()) if report.exists() else [])}
    rows = []
    for defect in defects:
        row = Row(defect.name, defect.rule_id, defect.description)
        entry = found.get(defect.name)
        if entry is None:
            row.problem = f"the session ended (pytest exited {returncode}) before this defect: " + "".join(tail)[-800:]
        else:
            for key in ("caught", "catching_tests", "seconds", "phase", "message", "tests_run"):
                setattr(row, key, entry[key])
            if entry.get("crashes") and not row.caught:  # a crash is not a catch
                row.problem = "no test failed for the portal's fault; the suite crashed instead: " + "; ".join(
                    entry["crashes"][:3]
                )
        rows.append(row)
    return rows


def load_survivors(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text())
    survivors = {}
    for entry in data.get("survivor", []):
        if not entry.get("reason"):
            raise SystemExit(f"{path}: survivor {entry.get('defect')!r} needs a reason")
        survivors[entry["defect"]] = entry["reason"]
    return survivors


def find_problems(
    rows: list[Row],
    clean_ok: bool,
    survivors: dict[str, str],
    known: set[str],
    survivors_name: str = "expected-survivors.toml",
) -> list[str]:
    """Why the command fails: a failing clean run, a broken run, a survivor, a stale entry."""
    problems = []
    if not clean_ok:
        problems.append("the clean portal does not pass the suite")
    for row in rows:
        if row.problem:
            problems.append(f"{row.defect}: the run broke: {row.problem}")
        elif not row.caught and not row.expected_survivor:
            problems.append(f"{row.defect} ({row.rule}) survived")
        elif row.caught and row.expected_survivor:
            problems.append(
                f"{row.defect} is listed as an expected survivor but is caught: remove it from {survivors_name}"
            )
    problems += [f"{name} in {survivors_name} is not a defect" for name in sorted(set(survivors) - known)]
    return problems


def write_reports(out: Path, rows: list[Row], clean_ok: bool, seconds: float, jobs: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    summary = {
        "clean_portal_passed": clean_ok,
        "defects": len(rows),
        "caught": sum(r.caught for r in rows),
        "wall_seconds": round(seconds, 1),
        "jobs": jobs,
    }
    (out / "kill-matrix.json").write_text(
        json.dumps({"summary": summary, "rows": [asdict(r) for r in rows]}, indent=2, ensure_ascii=False)
    )
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
    )
    (out / "kill-matrix.html").write_text(env.get_template("kill-matrix.html").render(summary=summary, rows=rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.mutants", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--jobs",
        type=int,
        # A session spends part of each catch waiting (a screen that never comes, for up to the
        # kill wait): one more session than cores keeps the CPUs busy (docs/performance.md).
        default=(os.cpu_count() or 2) + 1,
        help="pytest sessions at once, each running its share of the defects (default: cores + 1)",
    )
    parser.add_argument("--defect", action="append", default=[], help="only this defect (repeatable)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    parser.add_argument("--survivors", type=Path, default=SURVIVORS_FILE)
    parser.add_argument("--faker-seed", type=int, default=20261128)
    parser.add_argument(
        "--write-hints",
        action="store_true",
        help=f"write each caught defect's first catching test to {HINTS_FILE.relative_to(ROOT)} "
        "(tried first next time)",
    )
    parser.add_argument(
        "--clean-junit",
        type=Path,
        default=None,
        help="JUnit file of a run of the whole suite against the clean portal made just "
        "before (make test's): read instead of running the clean suite again",
    )
    args = parser.parse_args(argv)

    from mockportal.defects import DEFECTS  # the registry: names, rule ids, descriptions

    unknown = [name for name in args.defect if name not in DEFECTS]
    if unknown:
        parser.error(f"unknown defects: {', '.join(unknown)} (see python -m mockportal --list-defects)")
    defects = [DEFECTS[name] for name in (args.defect or DEFECTS)]
    survivors = load_survivors(args.survivors)
    workdir = args.out / "mutants"
    workdir.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    print(
        f"kill matrix: clean portal, then {len(defects)} defects in {min(args.jobs, len(defects))} sessions", flush=True
    )
    if args.clean_junit:
        clean_ok, clean_output = clean_result_from(args.clean_junit)
    else:
        clean_junit = workdir / "clean.xml"
        clean = subprocess.run(
            pytest_command(
                [
                    f"--junitxml={clean_junit}",
                    f"-n{args.jobs}",
                    "--dist=loadgroup",
                    f"--faker-seed={args.faker_seed}",
                    f"--output={workdir / 'clean'}",
                ]
            ),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        clean_ok, clean_output = clean.returncode == 0, clean.stdout + clean.stderr
    print(f"  clean portal: {'passed' if clean_ok else 'FAILED'}", flush=True)
    if not clean_ok:
        print(clean_output[-3000:])

    lock = threading.Lock()

    def relay(line: str) -> None:
        with lock:
            print(line, flush=True)

    parts = split(defects, args.jobs)
    results: list[list[Row]] = [[] for _ in parts]
    threads = [
        threading.Thread(
            target=lambda i=i, part=part: results.__setitem__(i, run_session(part, workdir, i, args.faker_seed, relay))
        )
        for i, part in enumerate(parts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    by_name = {row.defect: row for part in results for row in part}
    rows = [by_name[defect.name] for defect in defects]
    for row in rows:
        row.expected_survivor = survivors.get(row.defect)
    seconds = time.monotonic() - started
    write_reports(args.out, rows, clean_ok, seconds, args.jobs)

    problems = find_problems(rows, clean_ok, survivors, known=set(DEFECTS), survivors_name=args.survivors.name)
    if args.write_hints:
        catchers = {row.defect: row.catching_tests[0] for row in rows if row.caught and row.catching_tests}
        if args.defect:  # a partial run updates its defects' hints and keeps the others'
            kept = json.loads(HINTS_FILE.read_text(encoding="utf-8")) if HINTS_FILE.exists() else {}
            catchers = {**{name: test for name, test in kept.items() if name in DEFECTS}, **catchers}
        HINTS_FILE.write_text(json.dumps(dict(sorted(catchers.items())), indent=1) + "\n", encoding="utf-8")

    caught = sum(r.caught for r in rows)
    print(
        f"kill matrix: {caught}/{len(rows)} defects caught, wall time {seconds:.1f} s "
        f"({args.jobs} jobs); report: {args.out / 'kill-matrix.html'}"
    )
    for problem in problems:
        print(f"  problem: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""The kill matrix: proof that the conformance suite catches every named portal defect.

    python -m harness.mutants [--jobs N] [--defect NAME ...] [--out reports]

1. Runs the conformance suite against the clean mock: everything must pass.
2. Runs it against the mock with each defect switched on, several defects at a time (one
   pytest process each), each run stopping at its first failure. The tests naming the
   defect's rule run first, so a catch usually comes within seconds.
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
import time
import tomllib
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

ROOT = Path(__file__).resolve().parent.parent
SUITE = "tests/conformance"
SURVIVORS_FILE = ROOT / "tests" / "expected-survivors.toml"


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


def pytest_command(junit: Path, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", SUITE, "-q", "-p", "no:cacheprovider",
            "-p", "no:randomly", f"--junitxml={junit}", *extra]


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
    cases = [case for case in ET.parse(junit).iter("testcase")
             if (case.get("classname") or "").startswith("tests.conformance")]
    failed = failed_tests(junit)
    failed = [name for name in failed if name.startswith("tests.conformance")]
    if not cases:
        return False, f"{junit} holds no conformance test"
    return not failed, "failed against the clean portal: " + ", ".join(failed)


def run_defect(defect, workdir: Path, seed: int) -> Row:
    row = Row(defect.name, defect.rule_id, defect.description)
    junit = workdir / f"{defect.name}.xml"
    started = time.monotonic()
    proc = subprocess.run(
        pytest_command(junit, ["-x", f"--mock-defect={defect.name}", f"--rules-first={defect.rule_id}",
                               f"--faker-seed={seed}", f"--output={workdir / defect.name}"]),
        cwd=ROOT, capture_output=True, text=True,
    )
    row.seconds = round(time.monotonic() - started, 1)
    row.catching_tests = failed_tests(junit)
    # pytest: 0 all passed, 1 some failed; anything else means the run itself broke.
    if proc.returncode == 1 and row.catching_tests:
        row.caught = True
    elif proc.returncode not in (0, 1):
        row.problem = f"pytest exited {proc.returncode}: " + (proc.stdout + proc.stderr).strip()[-800:]
    return row


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


def find_problems(rows: list[Row], clean_ok: bool, survivors: dict[str, str], known: set[str],
                  survivors_name: str = "expected-survivors.toml") -> list[str]:
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
            problems.append(f"{row.defect} is listed as an expected survivor but is caught: "
                            f"remove it from {survivors_name}")
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
        json.dumps({"summary": summary, "rows": [asdict(r) for r in rows]}, indent=2, ensure_ascii=False))
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html"]))
    (out / "kill-matrix.html").write_text(
        env.get_template("kill-matrix.html").render(summary=summary, rows=rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.mutants", description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="defect runs at once (default: cores)")
    parser.add_argument("--defect", action="append", default=[], help="only this defect (repeatable)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    parser.add_argument("--survivors", type=Path, default=SURVIVORS_FILE)
    parser.add_argument("--faker-seed", type=int, default=20261128)
    parser.add_argument("--clean-junit", type=Path, default=None,
                        help="JUnit file of a run of the whole suite against the clean portal made just "
                             "before (make test's): read instead of running the clean suite again")
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
    print(f"kill matrix: clean portal, then {len(defects)} defects, {args.jobs} at a time", flush=True)
    if args.clean_junit:
        clean_ok, clean_output = clean_result_from(args.clean_junit)
    else:
        clean_junit = workdir / "clean.xml"
        clean = subprocess.run(pytest_command(clean_junit, [f"-n{args.jobs}", f"--faker-seed={args.faker_seed}",
                                                            f"--output={workdir / 'clean'}"]),
                               cwd=ROOT, capture_output=True, text=True)
        clean_ok, clean_output = clean.returncode == 0, clean.stdout + clean.stderr
    print(f"  clean portal: {'passed' if clean_ok else 'FAILED'}", flush=True)
    if not clean_ok:
        print(clean_output[-3000:])

    def one(defect):
        row = run_defect(defect, workdir, args.faker_seed)
        row.expected_survivor = survivors.get(defect.name)
        verdict = "caught" if row.caught else ("BROKEN RUN" if row.problem else "SURVIVED")
        first = row.catching_tests[0] if row.catching_tests else ""
        print(f"  {verdict:10} {row.defect:40} {row.rule:10} {row.seconds:5.1f}s {first}", flush=True)
        return row

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(one, defects))
    seconds = time.monotonic() - started
    write_reports(args.out, rows, clean_ok, seconds, args.jobs)

    problems = find_problems(rows, clean_ok, survivors, known=set(DEFECTS), survivors_name=args.survivors.name)

    caught = sum(r.caught for r in rows)
    print(f"kill matrix: {caught}/{len(rows)} defects caught, wall time {seconds:.1f} s "
          f"({args.jobs} jobs); report: {args.out / 'kill-matrix.html'}")
    for problem in problems:
        print(f"  problem: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

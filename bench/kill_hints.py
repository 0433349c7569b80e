"""Look for a cheaper kill hint: a test of the same rule that catches the defect in less time.

    .venv/bin/python bench/kill_hints.py [--jobs 3] [--defect NAME ...] [--tries 6] [--write]

The kill matrix tries each defect's hint first (``tests/kill-hints.json``); ``harness.mutants
--write-hints`` writes the first test of the rule that caught it, which need not be the
cheapest. This measures, in two rounds of ``--jobs`` pytest sessions at once:

1. every test of the defects' rules alone on a portal started empty, as the kill matrix runs it;
2. for each defect, its hint, then up to ``--tries`` tests of its rule that cost less than the
   hint, cheapest first, each on the portal switched to the defect, until one catches it.

It prints each defect whose cheaper catcher saves more than ``--margin`` seconds, and with
``--write`` puts those catchers in ``tests/kill-hints.json``. Then ``make mutants`` shows each
still caught (docs/performance.md has the last round's figures).

The pytest side is this module's plugin (``-p bench.kill_hints``), which times the tests
through the kill matrix's own ``KillRun``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
HINTS = ROOT / "tests" / "kill-hints.json"


# -- the pytest side ---------------------------------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kill hint search (bench/kill_hints.py)")
    group.addoption("--hint-out", help="write what this session measured here (JSON)")
    group.addoption(
        "--hint-costs", help='JSON {"rules": [...], "shard": [i, n]}: time the rules\' tests alone on an empty portal'
    )
    group.addoption("--hint-plan", help="JSON {defect: [test ids]}: run them against the defect until one catches")


def pytest_runtestloop(session: pytest.Session) -> bool | None:
    config = session.config
    out = config.getoption("--hint-out")
    if not out:
        return None
    from contract.rules import rule_ids
    from harness.killmatrix import Catch, KillRun, switcher
    from mockportal.defects import DEFECTS

    switch = switcher(config)
    run = KillRun(session.items, [], switch, None, lambda line: None)
    config.pluginmanager.register(run, "bench-kill-hints-run")
    by_id = {item.nodeid: item for item in session.items}

    def one(test: str, defects: list[str], rule: str) -> list[Any]:
        switch(defects)
        started, row = time.monotonic(), Catch(",".join(defects), rule)
        caught = run.run_test(by_id[test], row)
        return [test, round(time.monotonic() - started, 2), caught and not row.crashes]

    found: dict[str, Any] = {}
    if config.getoption("--hint-costs"):
        given = json.loads(Path(config.getoption("--hint-costs")).read_text(encoding="utf-8"))
        index, count = given["shard"]
        for item in [item for item in session.items if set(rule_ids(item)) & set(given["rules"])][index::count]:
            seconds = one(item.nodeid, [], "")[1]
            found[item.nodeid] = [seconds, sorted(rule_ids(item))]
    else:
        for name, tests in json.loads(Path(config.getoption("--hint-plan")).read_text(encoding="utf-8")).items():
            tried: list[list[Any]] = []
            for test in tests:
                tried.append(one(test, [name], DEFECTS[name].rule_id))
                if tried[-1][2] and len(tried) > 1:
                    break
            found[name] = tried
    Path(out).write_text(json.dumps(found, indent=0), encoding="utf-8")
    return True


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> tuple[str, str, str] | None:
    return ("", "", "") if config.getoption("--hint-out") else None


# -- the driver --------------------------------------------------------------------------------------------
def sessions(work: Path, option: str, parts: list[Any]) -> dict[str, Any]:
    """One pytest session per part, at once; what they measured, merged."""
    from harness.mutants import KILL_WAIT_TIMEOUT_S  # the kill matrix's wait: its catches, its costs

    def session(index: int, part: Any) -> dict[str, Any]:
        given, out = work / f"{option}-{index}.json", work / f"{option}-{index}.out.json"
        given.write_text(json.dumps(part), encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "tests/conformance", "-q", "-p", "no:cacheprovider"]
        command += ["-p", "bench.kill_hints", "--reruns=0", f"--output={work / str(index)}"]
        command += [f"--wait-timeout={KILL_WAIT_TIMEOUT_S}", f"--{option}={given}", f"--hint-out={out}"]
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        return json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}

    with ThreadPoolExecutor(len(parts)) as pool:
        results = list(pool.map(session, range(len(parts)), parts))
    return {key: value for result in results for key, value in result.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=3, help="pytest sessions at once (the kill matrix's default)")
    parser.add_argument("--defect", action="append", default=[], help="only this defect (repeatable)")
    parser.add_argument("--tries", type=int, default=6, help="cheaper tests tried per defect at most")
    parser.add_argument("--margin", type=float, default=0.3, help="seconds a new hint must save")
    parser.add_argument("--write", action="store_true", help=f"write the cheaper hints to {HINTS.relative_to(ROOT)}")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from mockportal.defects import DEFECTS

    hints: dict[str, str] = json.loads(HINTS.read_text(encoding="utf-8"))
    names = [name for name in (args.defect or sorted(hints)) if name in hints]
    rules = sorted({DEFECTS[name].rule_id for name in names})

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        started = time.monotonic()
        shards = [{"rules": rules, "shard": [index, args.jobs]} for index in range(args.jobs)]
        costs = sessions(work, "hint-costs", shards)
        print(f"round 1: {len(costs)} tests timed alone in {time.monotonic() - started:.0f} s", flush=True)
        plan = {}
        for name in names:
            hint = hints[name]
            if hint not in costs:
                continue  # a stale hint: make mutants --write-hints first
            cheaper = [
                test
                for test, (seconds, its_rules) in costs.items()
                if DEFECTS[name].rule_id in its_rules and test != hint and seconds < costs[hint][0] - args.margin
            ]
            if cheaper:
                plan[name] = [hint, *sorted(cheaper, key=lambda test: costs[test][0])[: args.tries]]
        started = time.monotonic()
        parts = [dict(list(plan.items())[index :: args.jobs]) for index in range(args.jobs)]
        tried = sessions(work, "hint-plan", [part for part in parts if part]) if plan else {}
        print(f"round 2: {len(tried)} defects with cheaper tests, in {time.monotonic() - started:.0f} s")

    better = {}
    for name, runs in sorted(tried.items()):
        hint, catchers = runs[0], [run for run in runs[1:] if run[2]]
        best = min(catchers, key=lambda run: run[1], default=None)
        if best is not None and best[1] < hint[1] - args.margin:
            better[name] = best[0]
            print(f"  {name:45} {hint[1]:5.2f} s -> {best[1]:5.2f} s  {best[0]}")
    saved = sum(
        tried[name][0][1] - next(run[1] for run in tried[name] if run[0] == test) for name, test in better.items()
    )
    print(f"{len(better)} cheaper hints, {saved:.1f} session-seconds less")
    if args.write and better:
        HINTS.write_text(json.dumps(dict(sorted({**hints, **better}.items())), indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

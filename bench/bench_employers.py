"""A staging run with the employers a team has: how many tests run, how many are not run (and
why), and how long the run takes, for 1, 2, 3, 5 and 10 employers at one and two workers.

    .venv/bin/python bench/bench_employers.py [--employers 1 2 3 5 10] [--workers 1 2] [--subset families|standin]

The portal is the mock's variant skin without its test API, started as another process with
ten demo employers and the target file it prints (``tests/meta/standin.py``); each run's target
file names the first N of them. ``--subset families`` (the default) runs the first case of two
test functions per rule family and of every test that takes two employers at once
(``tests/meta/family_cases.py``); ``standin`` every test function's first case
(``tests/meta/standin_cases.py``). Prints a Markdown table, the one in docs/targets.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from certs.catalogue import generate  # noqa: E402 - after the path
from tests.meta.standin import counts, first_employers, run_suite, standin  # noqa: E402

PLUGINS = {"families": "tests.meta.family_cases", "standin": "tests.meta.standin_cases"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employers", type=int, nargs="+", default=[1, 2, 3, 5, 10])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--subset", choices=sorted(PLUGINS), default="families")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        ca = generate(work / "ca", company="Stand-in CA holder", seed=7)
        printed = work / "all.toml"
        rows = [
            "| employers | workers | passed | failed | not run (want of an employer) | other not run | wall time |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        print("\n".join(rows), flush=True)
        with standin(ca, max(args.employers), printed) as base_url:
            for employers in args.employers:
                for workers in args.workers:
                    target = first_employers(printed, employers, work / f"{employers}.toml")
                    options = ["-p", PLUGINS[args.subset], "--allow-mutations", "--dist", "loadgroup"]
                    options += ["-n", str(workers) if workers > 1 else "0"]
                    started = time.monotonic()
                    result = run_suite(target, base_url, *options)
                    seconds = time.monotonic() - started
                    found = counts(result)
                    for word in ("deselected", "warning", "warnings"):  # outside the subset, or no test
                        found.pop(word, None)
                    wanting = found.pop("not run (want of an employer)", 0)
                    passed, failed = found.pop("passed", 0), found.pop("failed", 0) + found.pop("errors", 0)
                    other = sum(found.values())
                    row = f"| {employers} | {workers} | {passed} | {failed} | {wanting} | {other} | {seconds:.0f} s |"
                    rows.append(row)
                    print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

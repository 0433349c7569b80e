"""How fast the suite is, side by side, in one run on this machine.

    .venv/bin/python bench/bench_suite.py [--repeat 10] [--skip-serial] [--skip-make-test]

Prints, as each figure comes:
- the floor: the bare happy path with no framework (``bench/floor_happy_path.py``), and the
  mock's answer time on a kept-alive connection;
- the conformance run as ``make conformance`` runs it, with 2 workers and with 1: wall time,
  its ratio to the floor, the median test (JUnit: set-up + call + tear-down);
- the happy path: the smoke test repeated in one process, against the floor;
- ``make test``'s parts: ruff, its two pytest runs side by side (the browser tests on 2 workers,
  the others on one, mypy beside them) and the kill matrix;
- one worker's start-up costs.

Targets (docs/performance.md): the 2-worker conformance run within 45 floors, the
median test at most 0.5 s, ``make test`` under 12 minutes. A missed target says by how much.
Writes the figures to reports/bench-suite.json too. Run it on an idle machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SMOKE = "tests/conformance/test_smoke.py"
# What `make conformance` and `make test` pass to pytest (the Makefile's RUN_OPTIONS).
RUN_OPTIONS = ["--dist", "loadgroup", "--reruns", "1", "--trace-reruns", "--screenshot=only-on-failure"]

# What `make test` runs: ruff first, then mypy (at the lowest priority) and the tests that drive no
# browser (on one worker) beside the tests that do.
RUFF_COMMANDS = [[PY, "-m", "ruff", "check", "."], [PY, "-m", "ruff", "format", "--check", "."]]
MYPY_COMMAND = ["nice", "-n", "19", PY, "-m", "mypy"]
NO_BROWSER_TESTS = ["-m", "not browser and not slow", "-n", "1", "--dist", "loadgroup", "--reruns", "1"]
BROWSER_TESTS = ["-m", "browser or slow", "-n", "2", *RUN_OPTIONS]

MAX_FLOORS = 45.0  # the 2-worker conformance run, in bare happy paths
MAX_MEDIAN_TEST_S = 0.5
MAX_MAKE_TEST_S = 720.0
HAPPY_PATH_MAX_RATIO = 1.3

# A plugin that runs each collected test --bench-repeat times (like pytest-repeat, which the
# project does not depend on).
REPEAT_PLUGIN = """
import pytest

def pytest_addoption(parser):
    parser.addoption("--bench-repeat", type=int, default=1)

def pytest_generate_tests(metafunc):
    count = metafunc.config.getoption("--bench-repeat")
    if count > 1:
        metafunc.fixturenames.append("bench_repetition")
        metafunc.parametrize("bench_repetition", range(count))

@pytest.fixture
def bench_repetition(request):
    return request.param
"""


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


def timed(command: list[str], extra_env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, exit code and the last line of output of a command run from the root."""
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env={**environment(), **(extra_env or {})}
    )
    elapsed = time.perf_counter() - started
    lines = [line for line in (result.stdout + result.stderr).strip().splitlines() if line.strip()]
    return elapsed, result.returncode, lines[-1] if lines else ""


def run_pytest(args: list[str], junit: Path, extra_env: dict[str, str] | None = None) -> tuple[float, int, str]:
    return timed([PY, "-m", "pytest", *args, "-p", "no:cacheprovider", "-q", f"--junitxml={junit}"], extra_env)


def junit_times(junit: Path) -> list[float]:
    """Seconds per test case, in the order they ran."""
    if not junit.exists():
        return []
    return [float(case.get("time", 0)) for case in ET.parse(junit).getroot().iter("testcase")]


def keep_alive_ms(requests: int = 50) -> float:
    """The mock's median answer time for a static file on one kept-alive connection."""
    sys.path.insert(0, str(ROOT))
    import mockportal

    portal = mockportal.start(port=0)
    try:
        url = urllib.parse.urlsplit(portal.url)
        connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            connection.request("GET", "/static/portal.css")
            connection.getresponse().read()
            times.append(time.perf_counter() - started)
        connection.close()
    finally:
        portal.stop()
    return statistics.median(times[1:]) * 1000


def startup_costs() -> dict[str, float]:
    """What one worker pays before its first test: catalogue, mock, browser."""
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from certs.catalogue import generate
    from harness import browser as browser_choice

    costs = {}
    started = time.perf_counter()
    catalogue = generate(tempfile.mkdtemp(prefix="bench-catalogue-"), company="Bench SRL", seed=1)
    costs["catalogue_s"] = time.perf_counter() - started
    import mockportal

    started = time.perf_counter()
    portal = mockportal.start(port=0, trust_paths=(str(catalogue.fixture_ca_path),))
    costs["mock_start_s"] = time.perf_counter() - started
    portal.stop()
    executable = browser_choice.find_chromium(install=False)
    with sync_playwright() as playwright:
        started = time.perf_counter()
        browser = playwright.chromium.launch(**browser_choice.launch_args(executable))
        costs["browser_launch_s"] = time.perf_counter() - started
        started = time.perf_counter()
        context = browser.new_context()
        context.new_page()
        context.close()
        costs["context_and_page_s"] = time.perf_counter() - started
        browser.close()
    return costs


def verdict(ok: bool, miss: str) -> str:
    return "ok" if ok else f"MISSED: {miss}"


def say(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="happy-path repetitions (default 10)")
    parser.add_argument("--skip-serial", action="store_true", help="leave out the 1-worker conformance run")
    parser.add_argument("--skip-make-test", action="store_true", help="leave out make test's parts (minutes)")
    args = parser.parse_args(argv)
    repeat = max(args.repeat, 2)
    work = Path(tempfile.mkdtemp(prefix="bench-suite-"))
    (work / "bench_repeat.py").write_text(REPEAT_PLUGIN)
    figures: dict = {"cpus": os.cpu_count(), "load_average_before": os.getloadavg()[0]}

    # 1. the floor
    floor = json.loads(
        subprocess.run(
            [PY, "bench/floor_happy_path.py", "--repeat", str(repeat), "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env=environment(),
        ).stdout
    )
    floor_s = floor["median_s"]
    figures.update(floor_median_s=floor_s, floor_first_s=floor["first_s"], keep_alive_ms=keep_alive_ms())
    say(
        f"floor: bare happy path      {floor_s * 1000:7.0f} ms   median of {repeat - 1} (first "
        f"{floor['first_s'] * 1000:.0f} ms)"
    )
    say(
        f"mock, kept-alive request    {figures['keep_alive_ms']:7.2f} ms   median (target <= 2 ms: "
        + verdict(figures["keep_alive_ms"] <= 2, f"{figures['keep_alive_ms'] - 2:.1f} ms over")
        + ")"
    )

    # 2. the conformance run as make conformance runs it
    runs = [("2 workers", "2")] + ([] if args.skip_serial else [("1 worker", "0")])
    for label, workers in runs:
        junit = work / f"conformance-{workers}.xml"
        wall, code, summary = run_pytest(
            ["tests/conformance", "-n", workers, *RUN_OPTIONS, f"--output={work / 'artifacts'}"], junit
        )
        per_test = junit_times(junit)
        median = statistics.median(per_test) if per_test else float("nan")
        figures[f"conformance_{workers}_s"] = wall
        figures[f"conformance_{workers}_median_test_s"] = median
        say(
            f"conformance run, {label:9} {wall:7.1f} s   = {wall / floor_s:5.1f} floors; median test "
            f"{median * 1000:4.0f} ms over {len(per_test)} tests ({summary}; exit {code})"
        )
    two = figures["conformance_2_s"]
    ratio = two / floor_s
    figures.update(ratio_to_floor=ratio, median_test_s=figures["conformance_2_median_test_s"])
    say(
        f"  2 workers within {MAX_FLOORS:.0f} floors  {ratio:6.1f}    "
        + verdict(ratio <= MAX_FLOORS, f"{two - MAX_FLOORS * floor_s:.1f} s over")
    )
    say(
        f"  median test <= {MAX_MEDIAN_TEST_S} s     {figures['median_test_s']:6.2f} s  "
        + verdict(
            figures["median_test_s"] <= MAX_MEDIAN_TEST_S, f"{figures['median_test_s'] - MAX_MEDIAN_TEST_S:.2f} s over"
        )
    )
    if "conformance_0_s" in figures:
        figures["speedup"] = figures["conformance_0_s"] / two
        say(f"  2 workers vs 1            {figures['speedup']:6.2f} x")

    # 3. the happy path: the smoke test against the floor
    extra = {"PYTHONPATH": f"{work}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    _, _, smoke_summary = run_pytest(
        [SMOKE, "-n", "0", "-p", "bench_repeat", f"--bench-repeat={repeat}"], work / "smoke.xml", extra
    )
    smoke = junit_times(work / "smoke.xml")
    smoke_median = statistics.median(smoke[1:]) if len(smoke) > 1 else float("nan")
    figures.update(smoke_median_s=smoke_median, happy_path_ratio=smoke_median / floor_s)
    say(
        f"happy path, smoke test      {smoke_median * 1000:7.0f} ms   = {smoke_median / floor_s:.2f} floors "
        f"(target <= {HAPPY_PATH_MAX_RATIO}: "
        + verdict(smoke_median / floor_s <= HAPPY_PATH_MAX_RATIO, "over")
        + f"; {smoke_summary})"
    )

    # 4. make test's parts
    if not args.skip_make_test:
        started = time.monotonic()
        ruff_codes = [timed(command)[1] for command in RUFF_COMMANDS]
        figures["make_test_ruff_s"] = time.monotonic() - started
        say(f"make test: ruff              {figures['make_test_ruff_s']:6.1f} s   (exit {max(ruff_codes)})")
        junit = work / "all.xml"
        beside = [
            subprocess.Popen(command, cwd=ROOT, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            for command in (
                MYPY_COMMAND,
                [PY, "-m", "pytest", *NO_BROWSER_TESTS, "-p", "no:cacheprovider", "-q", "--fail-on-flaky"],
            )
        ]
        started = time.monotonic()
        browser_run = [*BROWSER_TESTS, "--fail-on-flaky", f"--output={work / 'all-artifacts'}"]
        wall, code, summary = run_pytest(browser_run, junit)
        codes = [process.wait() for process in beside]
        figures["make_test_pytest_s"] = time.monotonic() - started
        say(
            f"make test: pytest, 2 runs    {figures['make_test_pytest_s']:6.1f} s   (mypy beside them; "
            f"browser run {wall:.1f} s: {summary}; exits {code}, no-browser run {codes[1]}, mypy {codes[0]})"
        )
        wall, code, summary = timed(
            [PY, "-m", "harness.mutants", f"--clean-junit={junit}", f"--out={work / 'mutants'}"]
        )
        figures["make_test_kill_matrix_s"] = wall
        say(f"make test: kill matrix       {wall:6.1f} s   ({summary}; exit {code})")
        total = figures["make_test_ruff_s"] + figures["make_test_pytest_s"] + figures["make_test_kill_matrix_s"]
        figures["make_test_s"] = total
        say(
            f"  make test, its three parts {total:6.1f} s   (target < {MAX_MAKE_TEST_S:.0f} s: "
            + verdict(total < MAX_MAKE_TEST_S, f"{total - MAX_MAKE_TEST_S:.0f} s over")
            + ")"
        )

    # 5. one worker's start-up
    costs = startup_costs()
    figures.update(costs)
    say(
        "worker start-up             "
        + ", ".join(f"{k[:-2].replace('_', ' ')} {v * 1000:.0f} ms" for k, v in costs.items())
    )
    figures["load_average_after"] = os.getloadavg()[0]
    say(
        f"machine: {figures['cpus']} CPUs, load average {figures['load_average_before']:.1f} before, "
        f"{figures['load_average_after']:.1f} after"
    )

    out = ROOT / "reports" / "bench-suite.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast the suite is, side by side, in one run on this machine.

    .venv/bin/python bench/bench_suite.py [--repeat 10] [--skip-full]

Prints:
- the whole conformance run's wall time serially (1 worker) and with 2 workers (``-n 2``), and
  the speed-up;
- the median time per test, from the serial run's JUnit XML (set-up + call + tear-down);
- the happy path: the smoke test (tests/conformance/test_smoke.py) run ``--repeat`` times in
  one pytest process, against ``bench/floor_happy_path.py`` (the same clicks with no framework),
  as a ratio of medians (the first repetition of each, which pays for start-up, left out);
- the smoke test again with ``make conformance``'s ``--tracing=retain-on-failure`` (every test
  records a trace, only failures keep it): what the traces cost;
- one worker's start-up costs: catalogue generation, mock start, browser launch.

Targets (docs/performance.md): happy path within 1.3x the floor; 2 workers at least 1.6x faster
than 1; the whole conformance run under 60 s with 2 workers. A missed target says by how much.
Writes the figures to reports/bench-suite.json too.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SMOKE = "tests/conformance/test_smoke.py"

HAPPY_PATH_MAX_RATIO = 1.3
MIN_SPEEDUP = 1.6
MAX_RUN_2_WORKERS_S = 60.0

# A plugin that runs each collected test --bench-repeat times (like pytest-repeat, which the
# project does not depend on).
REPEAT_PLUGIN = '''
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
'''


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


def run_pytest(args: list[str], junit: Path, extra_env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, exit code and the summary line of a pytest run in a subprocess."""
    command = [PY, "-m", "pytest", *args, "-p", "no:cacheprovider", "-q", f"--junitxml={junit}"]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**environment(), **(extra_env or {})})
    elapsed = time.perf_counter() - started
    lines = [line for line in result.stdout.strip().splitlines() if line.strip()]
    return elapsed, result.returncode, lines[-1] if lines else result.stderr[-300:]


def junit_times(junit: Path) -> list[tuple[str, float]]:
    """(test name, seconds) per test case, in the order they ran."""
    root = ET.parse(junit).getroot()
    return [(case.get("name", ""), float(case.get("time", 0))) for case in root.iter("testcase")]


def startup_costs() -> dict[str, float]:
    """What one worker pays before its first test: catalogue, mock, browser."""
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from harness import browser as browser_choice

    costs = {}
    started = time.perf_counter()
    from certs.catalogue import generate

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


class _Lines(list):
    """A list of output lines that prints each line as it is added."""

    def append(self, line: str) -> None:
        print(line, flush=True)
        super().append(line)

    def __iadd__(self, lines):
        for line in lines:
            self.append(line)
        return self


def verdict(ok: bool, miss: str) -> str:
    return "ok" if ok else f"MISSED: {miss}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="happy-path repetitions (default 10)")
    parser.add_argument("--skip-full", action="store_true", help="leave out the two whole-suite runs")
    args = parser.parse_args(argv)
    repeat = max(args.repeat, 2)
    work = Path(tempfile.mkdtemp(prefix="bench-suite-"))
    (work / "bench_repeat.py").write_text(REPEAT_PLUGIN)
    figures: dict = {"cpus": os.cpu_count(), "load_average_before": os.getloadavg()[0]}
    lines = _Lines()  # printed as they come: a whole run takes minutes

    # 1. the whole conformance run, serially and with 2 workers
    if not args.skip_full:
        serial_s, serial_rc, serial_summary = run_pytest(["tests/conformance", "-n", "0"], work / "serial.xml")
        parallel_s, parallel_rc, parallel_summary = run_pytest(["tests/conformance", "-n", "2"], work / "two.xml")
        per_test = [t for _, t in junit_times(work / "serial.xml")]
        speedup = serial_s / parallel_s
        figures.update(serial_s=serial_s, two_workers_s=parallel_s, speedup=speedup, tests=len(per_test),
                       median_test_s=statistics.median(per_test) if per_test else None,
                       serial_summary=serial_summary, two_workers_summary=parallel_summary)
        lines += [
            f"conformance run, 1 worker   {serial_s:7.1f} s   ({serial_summary})",
            f"conformance run, 2 workers  {parallel_s:7.1f} s   ({parallel_summary})",
            f"  speed-up                  {speedup:7.2f} x   target >= {MIN_SPEEDUP} x: "
            + verdict(speedup >= MIN_SPEEDUP, f"{MIN_SPEEDUP / speedup:.2f}x short (2 workers would need "
                                              f"{parallel_s - serial_s / MIN_SPEEDUP:.1f} s less)"),
            f"  2 workers under {MAX_RUN_2_WORKERS_S:.0f} s      "
            + verdict(parallel_s < MAX_RUN_2_WORKERS_S, f"{parallel_s - MAX_RUN_2_WORKERS_S:.1f} s over"),
            f"median per test (JUnit)     {figures['median_test_s'] * 1000:7.0f} ms over {len(per_test)} tests"
            if per_test else "median per test (JUnit)     (no JUnit results)",
        ]
        if serial_rc not in (0, 1) or parallel_rc not in (0, 1):
            lines.append(f"  (exit codes {serial_rc} and {parallel_rc}: see the summaries)")

    # 2. the happy path: smoke test vs floor
    smoke_s, smoke_rc, smoke_summary = run_pytest(
        [SMOKE, "-n", "0", "-p", "bench_repeat", f"--bench-repeat={repeat}"], work / "smoke.xml",
        extra_env={"PYTHONPATH": f"{work}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"})
    smoke_times = [t for _, t in junit_times(work / "smoke.xml")]
    # The same with make conformance's artifact flags: every test records a trace.
    _, _, traced_summary = run_pytest(
        [SMOKE, "-n", "0", "-p", "bench_repeat", f"--bench-repeat={repeat}", "--tracing=retain-on-failure",
         "--screenshot=only-on-failure", f"--output={work / 'artifacts'}"], work / "traced.xml",
        extra_env={"PYTHONPATH": f"{work}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"})
    traced_times = [t for _, t in junit_times(work / "traced.xml")]
    floor = json.loads(subprocess.run([PY, "bench/floor_happy_path.py", "--repeat", str(repeat), "--json"],
                                      cwd=ROOT, capture_output=True, text=True, check=True,
                                      env=environment()).stdout)
    smoke_median = statistics.median(smoke_times[1:]) if len(smoke_times) > 1 else float("nan")
    ratio = smoke_median / floor["median_s"]
    traced_median = statistics.median(traced_times[1:]) if len(traced_times) > 1 else float("nan")
    figures.update(smoke_traced_median_s=traced_median, tracing_cost=traced_median / smoke_median)
    figures.update(smoke_median_s=smoke_median, smoke_first_s=smoke_times[0] if smoke_times else None,
                   smoke_summary=smoke_summary, floor_median_s=floor["median_s"], floor_first_s=floor["first_s"],
                   happy_path_ratio=ratio)
    lines += [
        f"happy path, smoke test      {smoke_median * 1000:7.0f} ms   median of {len(smoke_times) - 1} "
        f"(first {figures['smoke_first_s'] * 1000:.0f} ms; {smoke_summary})",
        f"happy path, bare Playwright {floor['median_s'] * 1000:7.0f} ms   median of {repeat - 1} "
        f"(first {floor['first_s'] * 1000:.0f} ms)",
        f"  ratio                     {ratio:7.2f} x   target <= {HAPPY_PATH_MAX_RATIO} x: "
        + verdict(ratio <= HAPPY_PATH_MAX_RATIO,
                  f"{ratio / HAPPY_PATH_MAX_RATIO:.2f}x over ({(smoke_median - HAPPY_PATH_MAX_RATIO * floor['median_s']) * 1000:+.0f} ms per test)"),
        f"  with traces recorded      {traced_median * 1000:7.0f} ms   ({traced_median / smoke_median:.2f}x: "
        f"--tracing=retain-on-failure records every test, keeps failures)",
    ]

    # 3. one worker's start-up
    costs = startup_costs()
    figures.update(costs)
    lines.append("worker start-up             " + ", ".join(f"{k[:-2].replace('_', ' ')} {v * 1000:.0f} ms"
                                                           for k, v in costs.items()))
    figures["load_average_after"] = os.getloadavg()[0]
    lines.append(f"machine: {figures['cpus']} CPUs, load average {figures['load_average_before']:.1f} before, "
                 f"{figures['load_average_after']:.1f} after")

    out = ROOT / "reports" / "bench-suite.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

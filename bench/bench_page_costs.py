"""What one browser check costs at the least: the prices every conformance test pays.

Starts the mock in this process, signs one employer in with the test API's cookie, and times,
each as the median of ``--repeat`` tries on one page:

- a page load (``goto`` Home, kept-alive connection, static files cached);
- the first locator call after a page load, then a second one: Playwright sets up its injected
  script in every new document, so the first call on a page costs more than the next;
- a new context with its page and a page load, as a test that changes the portal starts;
- an axe-core scan (A11Y-1): injecting axe-playwright-python's bundled script, then running it.

    .venv/bin/python bench/bench_page_costs.py [--repeat 20] [--json]

docs/performance.md reads these against the floor (``floor_happy_path.py``) to bound how few
floors a run of the suite's size can take.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from floor_happy_path import session_cookie, signed_in_context  # noqa: E402
from playwright.sync_api import BrowserContext, Page, sync_playwright  # noqa: E402

AXE_RUN = (
    "axe.run({runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},"
    " resultTypes: ['violations']}).then(r => r.violations.length)"
)


def median_ms(repeat: int, before: Callable[[], object], timed: Callable[[], object]) -> float:
    """Median milliseconds of ``timed``, each try after an untimed ``before``."""
    times = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        timed()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(repeat: int) -> dict[str, float]:
    import mockportal
    from harness import browser as browser_choice
    from harness.axe import _AXE

    portal = mockportal.start(port=0)
    try:
        cookie = session_cookie(portal.url)
        home = portal.url + "/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                **browser_choice.launch_args(browser_choice.find_chromium(install=False))
            )

            def signed_in() -> BrowserContext:
                context: BrowserContext = signed_in_context(browser, portal.url, cookie)
                return context

            page: Page = signed_in().new_page()
            page.goto(home)

            def load() -> None:
                page.goto(home)

            def locate() -> None:
                page.get_by_role("link", name="Home").count()

            def load_and_locate() -> None:
                load()
                locate()

            def load_and_inject() -> None:
                load()
                page.evaluate(_AXE.axe_script)

            def new_context_and_load() -> None:
                context = signed_in()
                context.new_page().goto(home)
                context.close()

            figures = {
                "page_load_ms": median_ms(repeat, lambda: None, load),
                "first_locator_ms": median_ms(repeat, load, locate),
                "second_locator_ms": median_ms(repeat, load_and_locate, locate),
                "new_context_and_load_ms": median_ms(repeat, lambda: None, new_context_and_load),
                "axe_inject_ms": median_ms(repeat, load, lambda: page.evaluate(_AXE.axe_script)),
                "axe_run_ms": median_ms(repeat, load_and_inject, lambda: page.evaluate(AXE_RUN)),
            }
            browser.close()
    finally:
        portal.stop()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="tries of each (default 20)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    figures = measure(max(args.repeat, 3))
    if args.json:
        print(json.dumps(figures))
        return 0
    labels = {
        "page_load_ms": "page load (goto Home)",
        "first_locator_ms": "first locator call on a new page",
        "second_locator_ms": "a further locator call",
        "new_context_and_load_ms": "new context, page and page load",
        "axe_inject_ms": "axe-core: inject the script",
        "axe_run_ms": "axe-core: run WCAG 2.1 A/AA",
    }
    for key, label in labels.items():
        print(f"{label:36} {figures[key]:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A failure a person reads in seconds: what broke, in the contract's words, with the evidence
of the moment it broke.

When a test fails (in its set-up or its call), before any clean-up runs:

- every page the test was using is photographed and its HTML saved beside it,
  ``--output/<test>/failure-<n>.png`` and ``.html``: the screen the portal showed at that moment
  (a shared screen is cancelled afterwards, and pytest-playwright's own screenshot, taken when
  the test's contexts close, is renamed ``after-cleanup-<n>.png``: the clean-up's evidence);
- the failure's first lines say the rule ids and each rule's sentence, the certificate uploaded
  (its catalogue entry, what the contract expects of it and why), what was expected and what the
  portal did, where the picture and the trace are, and a one-line command that runs the test
  again against the same portal (``--base-url``/``--target``, the mock's skin and defects, the
  same Faker seed). The traceback follows, short in ``make conformance`` (``--tb=short``).

The hooks that call this are in ``harness/plugin.py``.
"""

from __future__ import annotations

import hashlib
import os
import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Error
from slugify import slugify

from contract.rules import RULES, rule_ids
from harness.progress import test_id
from harness.shared import SCREENS_KEY

MOMENT = "failure"  # the moment-of-failure pictures: failure-1.png, failure-1.html
AFTER_CLEANUP = "after-cleanup"  # pytest-playwright's screenshot, taken when the contexts close


def test_folder(config: pytest.Config, nodeid: str, attempt: int = 1) -> Path:
    """Where pytest-playwright keeps the artifacts of a test's ``attempt`` (its folder naming:
    the test id's slug, ``-retryN`` for a re-run, long names cut around a hash)."""
    name = slugify(nodeid) + (f"-retry{attempt - 1}" if attempt > 1 else "")
    if len(name) >= 256:
        name = f"{name[:100]}-{hashlib.sha256(name.encode()).hexdigest()[:7]}-{name[-100:]}"
    return Path(config.getoption("--output", default="test-results"), name)


def capture(contexts: Iterable[BrowserContext], folder: Path) -> list[Path]:
    """A full-page picture and the HTML of every open page of ``contexts``, now; the pictures."""
    pictures: list[Path] = []
    for context in contexts:
        for page in list(context.pages):
            if page.is_closed():
                continue
            number = len(pictures) + 1
            picture = folder / f"{MOMENT}-{number}.png"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=picture, full_page=True, timeout=5000)
                (folder / f"{MOMENT}-{number}.html").write_text(page.content(), encoding="utf-8")
            except Error:  # a page that is going away has no evidence to give
                continue
            pictures.append(picture)
    return pictures


def catalogue_entries(item: pytest.Item) -> list[Any]:
    """The catalogue entries the test's parameters name (``test_…[rsa-1024]``)."""
    catalogue = (getattr(item, "funcargs", None) or {}).get("catalogue")
    callspec = getattr(item, "callspec", None)
    if catalogue is None or callspec is None:
        return []
    found = []
    for value in callspec.params.values():
        if isinstance(value, str):
            try:
                found.append(catalogue[value])
            except (KeyError, LookupError):
                continue
    return found


def rerun_command(item: pytest.Item) -> str:
    """One line that runs this test again against the same portal, with the same data."""
    config = item.config
    words = [".venv/bin/python", "-m", "pytest", test_id(item.nodeid)]
    if config.getoption("--target", default=None):
        words += ["--base-url", str(config.getoption("--base-url")), "--target", str(config.getoption("--target"))]
        if config.getoption("--allow-mutations", default=False):
            words.append("--allow-mutations")
    else:
        if config.getoption("--mock-skin", default="default") != "default":
            words += ["--mock-skin", str(config.getoption("--mock-skin"))]
        for defect in config.getoption("--mock-defect", default=[]):
            words += ["--mock-defect", defect]
        if config.getoption("--language", default=None):
            words += ["--language", str(config.getoption("--language"))]
    words += ["--faker-seed", str(config.getoption("--faker-seed")), "--tracing", "retain-on-failure"]
    return shlex.join(words)


def trace_hint(item: pytest.Item) -> str:
    """Where this test's trace is (or will be) kept."""
    config = item.config
    attempt = getattr(item, "execution_count", 1)
    if config.getoption("--trace-reruns", default=False) and config.getoption("reruns", default=0):
        if attempt == 1:
            return f"{test_folder(config, item.nodeid, 2)}/trace.zip (its re-run's)"
        return f"{test_folder(config, item.nodeid, attempt)}/trace.zip"
    folder = test_folder(config, item.nodeid, attempt)
    if config.getoption("--tracing", default="off") in ("on", "retain-on-failure"):
        return f"{folder}/trace.zip"
    return "none kept (rerun with --tracing retain-on-failure, as the command below does)"


def header(item: pytest.Item, report: pytest.TestReport, pictures: list[Path]) -> str:
    """The failure's first lines: the rules and their sentences, the certificate, what broke,
    the evidence and the rerun command."""
    lines = []
    ids = rule_ids(item)
    if ids:
        lines.append(
            "Rules: " + "; ".join(f"{rule_id} {RULES[rule_id].summary}" for rule_id in ids if rule_id in RULES)
        )
    for entry in catalogue_entries(item):
        expected = "accept it" if entry.accepted else f"refuse it under {entry.refused_by}"
        lines.append(
            f"Certificate: catalogue entry {entry.name!r}; the contract says to {expected}"
            + (f": {entry.reason}" if entry.reason else "")
        )
    crash = getattr(report.longrepr, "reprcrash", None)
    what = str(getattr(crash, "message", "") or "").strip()
    if what:
        lines.append("What happened: " + what.splitlines()[0].removeprefix("pages.screens.").strip())
    cwd = item.config.invocation_params.dir
    if pictures:
        lines.append("Screen at the failure: " + ", ".join(os.path.relpath(p, cwd) for p in pictures) + " (and .html)")
    lines.append(f"Trace: {trace_hint(item)}")
    lines.append(f"Rerun: {rerun_command(item)}")
    return "\n".join(lines)


def explain_failure(item: pytest.Item, report: pytest.TestReport, funcargs: dict[str, Any]) -> None:
    """The moment of failure's pictures, taken before any clean-up, and the failure's first
    lines: the rules, the certificate, what happened, the evidence, a rerun command."""
    pictures: list[Path] = []
    browser = funcargs.get("browser")
    if browser is not None:
        screens = item.config.stash.get(SCREENS_KEY, None)
        others = screens.contexts_of_others(item.nodeid, walks="walked" in funcargs) if screens else set()
        contexts = [context for context in browser.contexts if context not in others]
        folder = test_folder(item.config, item.nodeid, getattr(item, "execution_count", 1))
        pictures = capture(contexts, folder)
    # A plain text (xdist sends it to the controller as it is); pytest prints it as the failure.
    report.longrepr = header(item, report, pictures) + "\n\n" + str(report.longrepr)
    cwd = item.config.invocation_params.dir
    for picture in pictures:
        report.user_properties.append(("failure_screenshot", os.path.relpath(picture, cwd)))
    _embed(item, report, [(f"At the failure ({picture.name})", picture) for picture in pictures])


def _embed(item: pytest.Item, report: pytest.TestReport, pictures: list[tuple[str, Path]]) -> None:
    """The pictures in pytest-html's report of this test (embedded in a self-contained one)."""
    pytest_html = item.config.pluginmanager.getplugin("html")
    if pytest_html is None or not pictures or not item.config.getoption("htmlpath", default=None):
        return
    import base64

    extras = vars(report).setdefault("extras", [])
    for name, picture in pictures:
        extras.append(pytest_html.extras.png(base64.b64encode(picture.read_bytes()).decode(), name=name))


def name_cleanup_screenshots(report: pytest.TestReport) -> None:
    """pytest-playwright photographs a failed test's pages when its contexts close, after the
    clean-up: its pictures are renamed as such (the moment of failure has its own)."""
    renamed = []
    for index, (name, value) in enumerate(report.user_properties):
        if name == "playwright_screenshot" and Path(str(value)).name.startswith("test-failed-"):
            old = Path(str(value))
            new = old.with_name(old.name.replace("test-failed-", f"{AFTER_CLEANUP}-"))
            if old.exists():
                old.rename(new)
            report.user_properties[index] = (name, str(new))
            renamed.append(new)
    for extra in vars(report).get("extras", []):
        if extra.get("name") == "Screenshot" and renamed:
            extra["name"] = "After the clean-up"

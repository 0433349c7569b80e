"""Allure results, for QA teams who read Allure reports: ``pip install -e '.[allure]'``, then
``pytest tests/conformance --alluredir allure-results`` and ``allure serve allure-results``.

Each test carries its contract rules (a ``rule`` label and a tag per id, the family as Allure's
*feature*, the rule with its sentence as *story*) and a link to each rule in docs/contract.md;
a failing test carries the screen at the failure (``failure-N.png`` and its HTML), and the trace
and after-clean-up screenshot pytest-playwright kept. ``categories.json`` sorts the target file's
known failures and the tests that passed only when run again (Allure marks a result flaky when an
earlier attempt of it failed) apart from real failures.

The root conftest registers this module only when allure-pytest is installed, and it does
nothing without ``--alluredir``. Only allure-pytest's public API is used: ``allure.dynamic``,
``allure.attach.file`` and its command-line options.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Generator
from pathlib import Path
from typing import Any

import allure
import pytest
from allure_commons.types import AttachmentType

from contract.rules import RULES, rule_ids
from harness.progress import FLAKY_PROPERTY, KNOWN_PROPERTY

CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "contract.md"
CATEGORIES: list[dict[str, Any]] = [
    {
        "name": "Known failures (the target file's known_failures)",
        "matchedStatuses": ["skipped"],
        # allure-pytest's message for an xfail: "XFAIL <reason>", the harness's reason starts
        # "known failure (TICKET)". [\s\S] rather than a flag: the report's Java and JS regexes agree.
        "messageRegex": r"XFAIL known failure[\s\S]*",
    },
    {"name": "Flaky: passed only when run again", "matchedStatuses": ["passed"], "flaky": True},
]
# What each of a report's artifacts is, by its user property: its title and kind in Allure.
ARTIFACTS = {
    "failure_screenshot": ("The screen at the failure", AttachmentType.PNG),
    "playwright_screenshot": ("After the clean-up", AttachmentType.PNG),
    "playwright_trace": ("Trace: open with `playwright show-trace` or trace.playwright.dev", AttachmentType.ZIP),
    "playwright_video": ("Video", AttachmentType.WEBM),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("reporting").addoption(
        "--allure-contract-url",
        metavar="URL",
        help="where the Allure links to docs/contract.md lead (default: the file at this commit on GitHub "
        "or GitLab in CI, else the local file)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--alluredir", default=None):
        config.pluginmanager.register(AllureResults(config), "harness-allure-results")


def contract_url(config: pytest.Config) -> str:
    """docs/contract.md: as given, or on the CI's own forge at the commit that ran, or the local
    file (a relative link would resolve against wherever the Allure report is served)."""
    given = config.getoption("--allure-contract-url", default=None)
    if given:
        return str(given)
    env = os.environ
    if env.get("GITHUB_SERVER_URL") and env.get("GITHUB_REPOSITORY") and env.get("GITHUB_SHA"):
        return f"{env['GITHUB_SERVER_URL']}/{env['GITHUB_REPOSITORY']}/blob/{env['GITHUB_SHA']}/docs/contract.md"
    if env.get("CI_PROJECT_URL") and env.get("CI_COMMIT_SHA"):
        return f"{env['CI_PROJECT_URL']}/-/blob/{env['CI_COMMIT_SHA']}/docs/contract.md"
    return CONTRACT.as_uri()


def rule_link(contract: str, rule_id: str) -> str:
    """The contract's address, scrolled to the rule: a text fragment on "CERT-5 [public]", the
    words only the rule's own paragraph has (``-`` is a fragment's syntax, hence escaped)."""
    rule = RULES.get(rule_id)
    words = f"{rule_id} [{rule.source}]" if rule else rule_id
    return f"{contract}#:~:text=" + urllib.parse.quote(words, safe="").replace("-", "%2D")


class AllureResults:
    """Registered when ``--alluredir`` is given; its hooks run where the tests run (xdist's
    workers), where allure-pytest's current test is the one they describe."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.contract = contract_url(config)
        self.cwd = config.invocation_params.dir

    @pytest.hookimpl(tryfirst=True)  # before the fixtures: a test whose set-up fails is labelled too
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        ids = rule_ids(item)
        if ids:
            allure.dynamic.label("rule", *ids)
            allure.dynamic.tag(*ids)
            allure.dynamic.feature(*dict.fromkeys(rule_id.rsplit("-", 1)[0] for rule_id in ids))
            allure.dynamic.story(*(f"{i} {RULES[i].summary}" if i in RULES else i for i in ids))
            for rule_id in ids:
                allure.dynamic.link(rule_link(self.contract, rule_id), name=f"{rule_id} in the contract")
        known = next((str(value) for name, value in item.user_properties if name == KNOWN_PROPERTY), None)
        if known:
            allure.dynamic.tag(known)
            ticket = known.removeprefix("known failure").strip(" ()")
            if ticket:  # a key becomes a link with --allure-link-pattern issue:https://tracker/{}
                allure.dynamic.issue(ticket, name=ticket)

    # tryfirst: the outermost wrapper, so the harness's and pytest-playwright's have named the
    # artifacts in the report's user properties when this one reads them.
    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        for name, value in report.user_properties:
            if name == FLAKY_PROPERTY and report.when == "call":  # the tear-down's report has it too
                allure.dynamic.tag(f"flaky: {value}")
            if name not in ARTIFACTS:
                continue
            path = Path(self.cwd, str(value))
            title, kind = ARTIFACTS[name]
            if path.is_file():
                allure.attach.file(str(path), name=f"{title} ({path.name})", attachment_type=kind)
            page = path.with_suffix(".html")  # the failure's HTML, beside its picture
            if name == "failure_screenshot" and page.is_file():
                allure.attach.file(str(page), name=f"Its HTML ({page.name})", attachment_type=AttachmentType.HTML)
        return report

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """``categories.json``, once (by the controller under xdist), kept beside any categories
        a team already put there."""
        if hasattr(self.config, "workerinput"):
            return
        path = Path(self.cwd, str(self.config.getoption("--alluredir")), "categories.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            existing = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
        except ValueError:
            existing = []
        if not isinstance(existing, list):
            existing = []
        names = {category.get("name") for category in existing if isinstance(category, dict)}
        merged = [*existing, *(category for category in CATEGORIES if category["name"] not in names)]
        path.write_text(json.dumps(merged, indent=1), encoding="utf-8")

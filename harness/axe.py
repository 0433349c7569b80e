"""Accessibility scans with axe-core (A11Y-1): what a page violates of WCAG 2.1 A and AA.

The scan goes through the maintained package ``axe-playwright-python``, which bundles axe-core
(no network needed) and injects it into the page. Its answer is axe's results object (JSON);
:class:`AxeResult` keeps what a test and a report need of it: each violation's rule id, impact,
help text and link, and the offending nodes (selectors and HTML snippets).

A test fails on :meth:`AxeResult.failing` (serious or critical impact); :meth:`AxeResult.report_text`
lists every violation, the lesser ones too, for the test's report::

    result = scan(page)
    request.node.add_report_section("call", "axe-core", result.report_text())
    assert not result.failing(), result.report_text()
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, cast

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

Impact = Literal["minor", "moderate", "serious", "critical"]
IMPACTS: tuple[Impact, ...] = ("minor", "moderate", "serious", "critical")  # least to most severe
FAILING_IMPACTS: frozenset[Impact] = frozenset({"serious", "critical"})
# WCAG 2.1 levels A and AA (EN 301 549): axe's tags for the 2.0 and the 2.1 success criteria.
WCAG21_AA_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_AXE = Axe()  # holds the bundled script, read once


@dataclass(frozen=True)
class Node:
    """One offending element: axe's selector path to it, its HTML, and what to fix."""

    target: tuple[str, ...]  # one selector per frame (or shadow root) on the way to the element
    html: str
    failure_summary: str = ""

    @property
    def selector(self) -> str:
        return " >>> ".join(self.target)


@dataclass(frozen=True)
class Violation:
    """One axe rule the page breaks, on one or more nodes."""

    rule: str
    impact: Impact
    help: str
    help_url: str
    nodes: tuple[Node, ...]
    description: str = ""

    @property
    def failing(self) -> bool:
        return self.impact in FAILING_IMPACTS


@dataclass(frozen=True)
class AxeResult:
    """What axe found on one page, the most severe violations first."""

    violations: tuple[Violation, ...]
    url: str = ""
    engine: str = "axe-core"  # name and version of the engine that scanned

    @classmethod
    def from_axe(cls, response: Mapping[str, Any]) -> AxeResult:
        """Read axe's results object (``axe.run``'s answer, or its JSON)."""
        violations = [_violation(raw) for raw in response.get("violations", ())]
        violations.sort(key=lambda v: (-IMPACTS.index(v.impact), v.rule))
        engine = response.get("testEngine") or {}
        name = f"{engine.get('name', 'axe-core')} {engine.get('version', '')}".strip()
        return cls(tuple(violations), str(response.get("url", "")), name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AxeResult:
        """Read back what :meth:`as_dict` wrote (the gallery keeps it beside each picture)."""
        violations = tuple(
            Violation(
                **{
                    **v,
                    "impact": _impact(v["impact"]),
                    "nodes": tuple(Node(**{**n, "target": tuple(n["target"])}) for n in v["nodes"]),
                }
            )
            for v in data["violations"]
        )
        return cls(violations, data.get("url", ""), data.get("engine", "axe-core"))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def failing(self) -> list[Violation]:
        """The violations a test fails on: serious or critical impact."""
        return [v for v in self.violations if v.failing]

    def counts(self) -> dict[Impact, int]:
        """How many violated rules of each impact, every impact present, least severe first."""
        counts = dict.fromkeys(IMPACTS, 0)
        for violation in self.violations:
            counts[violation.impact] += 1
        return counts

    def summary(self) -> str:
        """One line: "2 violations: 1 serious, 1 minor" or "no violations"."""
        if not self.violations:
            return "no violations"
        parts = [f"{n} {impact}" for impact, n in reversed(self.counts().items()) if n]
        plural = "s" if len(self.violations) > 1 else ""
        return f"{len(self.violations)} violation{plural}: {', '.join(parts)}"

    def report_text(self) -> str:
        """Every violation for a test report: rule, impact, help and link, each node's selector,
        HTML and what to fix. Serious and critical ones are marked FAIL, the others "note"."""
        where = f" on {self.url}" if self.url else ""
        lines = [f"{self.engine}, WCAG 2.1 A and AA{where}: {self.summary()}"]
        for violation in self.violations:
            verdict = "FAIL" if violation.failing else "note"
            lines.append(f"{verdict} {violation.rule} ({violation.impact}): {violation.help}")
            lines.append(f"  {violation.help_url}")
            for node in violation.nodes:
                lines.append(f"  - {node.selector}")
                lines.append(f"    {_one_line(node.html)}")
                for fix in node.failure_summary.splitlines():
                    if fix.strip():
                        lines.append(f"    {fix.strip()}")
        return "\n".join(lines)


def scan(page: Page, *, tags: Sequence[str] = WCAG21_AA_TAGS, include: str | None = None) -> AxeResult:
    """Run axe-core on the page as it is now, with only the rules of ``tags`` (default WCAG 2.1
    A and AA); ``include``: a CSS selector, to scan that part of the page only (axe's context)."""
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    response = _AXE.run(page, context=include, options=options).response
    return AxeResult.from_axe(cast(Mapping[str, Any], response))


def _violation(raw: Mapping[str, Any]) -> Violation:
    return Violation(
        rule=str(raw["id"]),
        impact=_impact(raw.get("impact")),
        help=str(raw.get("help", "")),
        help_url=str(raw.get("helpUrl", "")),
        description=str(raw.get("description", "")),
        nodes=tuple(_node(node) for node in raw.get("nodes", ())),
    )


def _node(raw: Mapping[str, Any]) -> Node:
    return Node(
        target=tuple(_selector(part) for part in raw.get("target", ())),
        html=str(raw.get("html", "")),
        failure_summary=str(raw.get("failureSummary") or ""),
    )


def _selector(part: str | Iterable[str]) -> str:
    # A plain selector, or (inside shadow DOM) the selectors of each shadow host on the way.
    return part if isinstance(part, str) else " >>> ".join(part)


def _impact(value: object) -> Impact:
    # axe gives every violation an impact; a missing one (null) is read as the least severe.
    if value is None:
        return "minor"
    if value not in IMPACTS:
        raise ValueError(f"unknown axe impact {value!r}: expected one of {', '.join(IMPACTS)}")
    return value  # narrowed by the membership test above


def _one_line(html: str) -> str:
    return " ".join(html.split())

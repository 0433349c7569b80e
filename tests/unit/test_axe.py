"""harness/axe.py reads axe-core's results object: no browser, a results object of axe's JSON
shape written here by hand (as axe 4 answers ``axe.run`` with ``resultTypes: ["violations"]``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.axe import AxeResult, Node

CONTRAST_URL = "https://dequeuniversity.com/rules/axe/4.12/color-contrast?application=axeAPI"
RESULTS: dict[str, Any] = {
    "testEngine": {"name": "axe-core", "version": "4.12.1"},
    "url": "http://127.0.0.1:8000/wizard/contact",
    "timestamp": "2026-12-01T09:00:00.000Z",
    "toolOptions": {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}},
    "passes": [],
    "incomplete": [],
    "inapplicable": [],
    "violations": [
        {
            "id": "region",
            "impact": "moderate",
            "tags": ["cat.keyboard", "best-practice"],
            "description": "Ensure all page content is contained by landmarks",
            "help": "All page content should be contained by landmarks",
            "helpUrl": "https://dequeuniversity.com/rules/axe/4.12/region?application=axeAPI",
            "nodes": [
                {
                    "any": [],
                    "all": [],
                    "none": [],
                    "impact": "moderate",
                    "html": '<p class="hint">\n  Vérifiez\n</p>',
                    "target": [".hint"],
                    "failureSummary": "Fix any of the following:\n  Some page content is not contained by landmarks",
                }
            ],
        },
        {
            "id": "color-contrast",
            "impact": "serious",
            "tags": ["cat.color", "wcag2aa", "wcag143"],
            "description": "Ensure the contrast between foreground and background colors meets WCAG 2 AA",
            "help": "Elements must meet minimum color contrast ratio thresholds",
            "helpUrl": CONTRAST_URL,
            "nodes": [
                {
                    "html": '<a href="/more/help">Help</a>',
                    "target": ["nav > ul > li:nth-child(3) > a"],
                    "impact": "serious",
                    "failureSummary": "Fix any of the following:\n  Element has insufficient color contrast of 3.1",
                },
                {"html": "<span>x</span>", "target": [["#host", "span.inner"]], "impact": "serious"},
            ],
        },
        {
            "id": "image-alt",
            "impact": "critical",
            "tags": ["wcag2a", "wcag111"],
            "description": "Ensure <img> elements have alternative text",
            "help": "Images must have alternative text",
            "helpUrl": "https://dequeuniversity.com/rules/axe/4.12/image-alt?application=axeAPI",
            "nodes": [{"html": '<img src="logo.png">', "target": ["iframe#frame", "img"], "impact": "critical"}],
        },
        {
            "id": "empty-table-header",
            "impact": "minor",
            "tags": ["wcag131"],
            "description": "Ensure table headers have discernible text",
            "help": "Table header text should not be empty",
            "helpUrl": "https://dequeuniversity.com/rules/axe/4.12/empty-table-header?application=axeAPI",
            "nodes": [{"html": "<th></th>", "target": ["th"], "impact": "minor"}],
        },
    ],
}


def test_reads_each_violation_most_severe_first() -> None:
    result = AxeResult.from_axe(RESULTS)

    assert [(v.rule, v.impact) for v in result.violations] == [
        ("image-alt", "critical"),
        ("color-contrast", "serious"),
        ("region", "moderate"),
        ("empty-table-header", "minor"),
    ]
    contrast = result.violations[1]
    assert contrast.help == "Elements must meet minimum color contrast ratio thresholds"
    assert contrast.help_url == CONTRAST_URL
    assert contrast.nodes[0] == Node(
        ("nav > ul > li:nth-child(3) > a",),
        '<a href="/more/help">Help</a>',
        "Fix any of the following:\n  Element has insufficient color contrast of 3.1",
    )
    assert result.url == "http://127.0.0.1:8000/wizard/contact"
    assert result.engine == "axe-core 4.12.1"


def test_selectors_through_frames_and_shadow_roots_are_joined() -> None:
    result = AxeResult.from_axe(RESULTS)
    by_rule = {v.rule: v for v in result.violations}

    assert by_rule["color-contrast"].nodes[1].selector == "#host >>> span.inner"
    assert by_rule["color-contrast"].nodes[1].failure_summary == ""  # axe left it out
    assert by_rule["image-alt"].nodes[0].selector == "iframe#frame >>> img"


def test_serious_and_critical_fail_lesser_ones_do_not() -> None:
    result = AxeResult.from_axe(RESULTS)

    assert [v.rule for v in result.failing()] == ["image-alt", "color-contrast"]
    assert result.counts() == {"minor": 1, "moderate": 1, "serious": 1, "critical": 1}
    assert result.summary() == "4 violations: 1 critical, 1 serious, 1 moderate, 1 minor"

    lesser = AxeResult.from_axe({**RESULTS, "violations": [RESULTS["violations"][0], RESULTS["violations"][3]]})
    assert lesser.failing() == []
    assert lesser.summary() == "2 violations: 1 moderate, 1 minor"


def test_the_report_lists_every_violation_with_its_nodes_and_link() -> None:
    text = AxeResult.from_axe(RESULTS).report_text()
    lines = text.splitlines()

    assert lines[0] == (
        "axe-core 4.12.1, WCAG 2.1 A and AA on http://127.0.0.1:8000/wizard/contact: "
        "4 violations: 1 critical, 1 serious, 1 moderate, 1 minor"
    )
    assert "FAIL color-contrast (serious): Elements must meet minimum color contrast ratio thresholds" in lines
    assert "FAIL image-alt (critical): Images must have alternative text" in lines
    assert "note region (moderate): All page content should be contained by landmarks" in lines
    assert "note empty-table-header (minor): Table header text should not be empty" in lines
    assert f"  {CONTRAST_URL}" in lines
    assert "  - nav > ul > li:nth-child(3) > a" in lines
    assert '    <p class="hint"> Vérifiez </p>' in lines  # a snippet on one line
    assert "    Element has insufficient color contrast of 3.1" in lines


def test_a_clean_page() -> None:
    result = AxeResult.from_axe({**RESULTS, "violations": []})

    assert result.failing() == []
    assert result.counts() == {"minor": 0, "moderate": 0, "serious": 0, "critical": 0}
    assert result.report_text().endswith(": no violations")


def test_kept_as_json_and_read_back() -> None:
    result = AxeResult.from_axe(RESULTS)

    assert AxeResult.from_dict(json.loads(json.dumps(result.as_dict()))) == result


def test_an_impact_axe_does_not_have_is_refused() -> None:
    broken = {"violations": [{**RESULTS["violations"][0], "impact": "blocker"}]}

    with pytest.raises(ValueError, match="unknown axe impact 'blocker'"):
        AxeResult.from_axe(broken)


def test_a_missing_impact_counts_as_minor() -> None:
    result = AxeResult.from_axe({"violations": [{**RESULTS["violations"][1], "impact": None}]})

    assert result.violations[0].impact == "minor"
    assert result.failing() == []

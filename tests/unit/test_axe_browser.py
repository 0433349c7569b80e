"""harness/axe.py scans a real page: a tiny page with known violations, in the suite's Chromium
(the bundled axe-core, offline; no portal needed)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from harness.axe import scan

pytestmark = pytest.mark.browser

# An image without alternative text (image-alt, critical), grey on white text (color-contrast,
# serious, 2.8:1) and a page without a language (html-has-lang, serious). The landmark rule
# "region" would flag the loose paragraph too, but it is a best practice, not WCAG: left out.
PAGE = """<!doctype html><html><head><title>Known violations</title></head><body>
<main><h1>Known violations</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">
<p style="color:#999999;background:#ffffff">Texte trop pâle</p></main>
<p>Hors des repères</p>
</body></html>"""
CLEAN = """<!doctype html><html lang="fr"><head><title>Propre</title></head><body>
<main><h1>Propre</h1><p>Rien à redire.</p></main></body></html>"""


@pytest.fixture
def blank(browser: Browser):
    page = browser.new_page()  # no portal: the suite's target is not started for this
    yield page
    page.close()


def test_scan_finds_the_known_violations(blank) -> None:
    blank.set_content(PAGE)

    result = scan(blank)

    impacts = {v.rule: v.impact for v in result.violations}
    assert impacts == {"image-alt": "critical", "color-contrast": "serious", "html-has-lang": "serious"}
    assert [v.rule for v in result.failing()] == ["image-alt", "color-contrast", "html-has-lang"]
    contrast = next(v for v in result.violations if v.rule == "color-contrast")
    assert [node.html for node in contrast.nodes] == ['<p style="color:#999999;background:#ffffff">Texte trop pâle</p>']
    assert contrast.help_url.startswith("https://dequeuniversity.com/rules/axe/")
    assert result.engine.startswith("axe-core 4.")
    assert "FAIL image-alt (critical)" in result.report_text()


def test_scan_of_a_clean_page(blank) -> None:
    blank.set_content(CLEAN)

    result = scan(blank)

    assert result.violations == ()
    assert result.failing() == []


def test_scan_of_part_of_the_page(blank) -> None:
    blank.set_content(PAGE)

    result = scan(blank, include="p")

    # Inside the paragraphs: the pale text; the image and <html> are outside.
    assert [v.rule for v in result.violations] == ["color-contrast"]

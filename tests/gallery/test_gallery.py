"""The screen gallery: the screens of the tour (``pages/tour.py``; those it leaves out are named in
``visits.py``) in FR, NL and DE, a full-page picture and its axe-core result each; with
``--visual``, each compared with its baseline.

Run by ``make gallery`` (once per skin of the bundled mock), or against a portal:
``pytest tests/gallery --base-url URL --target FILE [--allow-mutations]``. See docs/gallery.md.
A picture is a record, not a verdict: axe's findings are written beside it (A11Y-1's own tests
fail on them); only ``--visual`` fails, on a difference from the baseline.
"""

from __future__ import annotations

import pytest
import pytest_html

from contract.words import LANGUAGES
from harness.axe import scan
from harness.gallery import check_against_baseline, mask_values, png_base64, update_baseline
from pages.tour import TourScreen
from tests.gallery.visits import PHOTOGRAPHED, Gallery, shown_values

# On a foreign target each screen's visit leases one employer of the file (docs/targets.md).
pytestmark = [pytest.mark.browser, pytest.mark.employers(1)]


def _marks(screen: TourScreen) -> list[pytest.MarkDecorator]:
    # Registering a configuration changes a foreign portal: --allow-mutations, then removed.
    return [pytest.mark.mutating] if screen.changes_the_portal else []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", [pytest.param(s, id=s.name, marks=_marks(s)) for s in PHOTOGRAPHED])
def test_screen(screen: TourScreen, language: str, visit, gallery: Gallery, extras: list) -> None:
    start = visit(screen, language)
    shown = screen.visit(start, language)
    page = shown.page
    shot = gallery.shot(screen.name, language)

    shot.take(page)
    shot.write_axe(scan(page))
    if gallery.compares:  # last: masking writes over the page's values
        shot.take_compared(page, mask_values(page, start.volatile | shown_values(shown)))

    if gallery.update:
        update_baseline(shot, gallery.baselines).write(shot)
    elif gallery.visual:
        verdict = check_against_baseline(shot, gallery.baselines, gallery.max_diff_pixels)
        verdict.write(shot)
        if verdict.failed:
            for name, path in (("baseline", shot.baseline_copy), ("new shot", shot.compared), ("diff", shot.diff)):
                if path.exists():
                    extras.append(pytest_html.extras.png(png_base64(path), name))
            pytest.fail(
                f"{screen.name} in {language.upper()}: {verdict.status}: {verdict.detail}\n"
                f"  baseline: {verdict.baseline}\n  new shot: {shot.compared}\n"
                + (f"  diff:     {shot.diff}\n" if shot.diff.exists() else "")
                + "An intended change? Rewrite the baselines with --update-baselines (docs/gallery.md).",
                pytrace=False,
            )

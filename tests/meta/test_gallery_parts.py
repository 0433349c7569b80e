"""The gallery's parts without a portal: the pixel comparison and its verdicts, the masks, the
index, the link from the conformance report, what collects the gallery, and the tour's list,
which the gallery, A11Y-1 and the mock's own accessibility checks all take theirs from.

Images are drawn here with Pillow, so every expected count and box is known beforehand.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from PIL import Image
from playwright.sync_api import Browser

from harness.axe import AxeResult
from harness.gallery import (
    CHANNEL_TOLERANCE,
    PLACEHOLDER,
    Shot,
    check_against_baseline,
    compare_images,
    mask_values,
    report_link,
    update_baseline,
    write_index,
)
from pages import tour
from pages.tour import CONFIGURED, FRESH, SCREENS, SIGNED_OUT, TourScreen

ROOT = Path(__file__).resolve().parents[2]
GREY = (200, 200, 200)


def picture(
    path: Path, size: tuple[int, int] = (60, 40), pixels: dict[tuple[int, int], tuple[int, int, int]] | None = None
) -> Path:
    image = Image.new("RGB", size, GREY)
    for xy, colour in (pixels or {}).items():
        image.putpixel(xy, colour)
    image.save(path)
    return path


# --- comparison ------------------------------------------------------------------------------


def test_the_same_picture_is_the_same(tmp_path: Path) -> None:
    comparison = compare_images(picture(tmp_path / "a.png"), picture(tmp_path / "b.png"), tmp_path / "diff.png")

    assert comparison.same()
    assert (comparison.differing, comparison.total, comparison.box) == (0, 2400, None)
    assert not (tmp_path / "diff.png").exists()


def test_one_changed_pixel_differs_and_is_drawn_red(tmp_path: Path) -> None:
    baseline = picture(tmp_path / "a.png")
    new = picture(tmp_path / "b.png", pixels={(30, 20): (0, 0, 255)})

    comparison = compare_images(baseline, new, tmp_path / "diff.png")

    assert not comparison.same()
    assert comparison.same(max_diff_pixels=1)  # --visual-max-diff 1 lets it pass
    assert (comparison.differing, comparison.box) == (1, (30, 20, 31, 21))
    assert comparison.describe() == "1 of 2400 pixels differ within (30, 20, 31, 21)"
    with Image.open(tmp_path / "diff.png") as diff:
        assert diff.convert("RGB").getpixel((30, 20)) == (230, 0, 0)
        assert diff.convert("RGB").getpixel((30, 10)) != (230, 0, 0)


def test_a_change_within_the_tolerance_is_no_difference(tmp_path: Path) -> None:
    grey, step = GREY[0], CHANNEL_TOLERANCE
    slight, beyond = (grey + step,) * 3, (grey + step + 1,) * 3

    assert compare_images(picture(tmp_path / "a.png"), picture(tmp_path / "b.png", pixels={(1, 1): slight})).same()
    assert not compare_images(picture(tmp_path / "a.png"), picture(tmp_path / "c.png", pixels={(1, 1): beyond})).same()


def test_another_size_differs_even_when_the_overlap_is_the_same(tmp_path: Path) -> None:
    comparison = compare_images(
        picture(tmp_path / "a.png"), picture(tmp_path / "b.png", size=(60, 50)), tmp_path / "diff.png"
    )

    assert not comparison.same(max_diff_pixels=10_000)
    assert comparison.describe().startswith("size 60×50 instead of the baseline's 60×40")
    assert (tmp_path / "diff.png").exists()


def test_verdicts_no_baseline_then_updated_same_and_differs(tmp_path: Path) -> None:
    shot = Shot(tmp_path / "gallery", "home", "fr")
    shot.folder.mkdir()
    baselines = tmp_path / "baselines"
    picture(shot.compared)

    assert check_against_baseline(shot, baselines, 0).status == "no baseline"
    assert update_baseline(shot, baselines).status == "updated"
    assert check_against_baseline(shot, baselines, 0).status == "same"

    picture(shot.compared, pixels={(5, 5): (0, 0, 0)})
    verdict = check_against_baseline(shot, baselines, 0)
    assert (verdict.status, verdict.failed, verdict.diff) == ("differs", True, "home.fr.diff.png")
    assert shot.diff.exists() and shot.baseline_copy.exists()
    assert check_against_baseline(shot, baselines, 1).status == "same"  # within --visual-max-diff
    assert not shot.diff.exists() and not shot.baseline_copy.exists()  # no stale diff left beside it


# --- masks ------------------------------------------------------------------------------------


@pytest.mark.browser
def test_masks_replace_values_by_text_short_ones_only_whole(browser: Browser) -> None:
    page = browser.new_page()
    page.set_content(
        "<dl><dt>N° expéditeur</dt><dd>7</dd><dt>Étape</dt><dd>17</dd>"
        "<dt>Client</dt><dd>self_service_expeditor_7</dd></dl>"
        "<p>Employeur ONSS; Matricule ONSS: 1234567-89</p>"
    )
    try:
        (masks,) = mask_values(page, ["7", "1234567-89", "self_service_expeditor_7", "", "  "])

        assert page.locator("dd").all_inner_texts() == [PLACEHOLDER, "17", PLACEHOLDER]  # "17" is not "7"
        assert page.locator("p").inner_text() == f"Employeur ONSS; Matricule ONSS: {PLACEHOLDER}"
        assert masks.count() == 3
        assert masks.evaluate_all("els => els.map(e => e.localName)") == ["dd", "dd", "p"]
    finally:
        page.close()


# --- the index and the report's link ---------------------------------------------------------

AXE = {
    "url": "http://127.0.0.1/",
    "engine": "axe-core 4.12.1",
    "violations": [
        {
            "rule": "color-contrast",
            "impact": "serious",
            "help": "Elements must meet minimum color contrast ratio thresholds",
            "help_url": "https://dequeuniversity.com/rules/axe/4.12/color-contrast",
            "description": "",
            "nodes": [{"target": [".hint"], "html": "<p class=hint>x</p>", "failure_summary": ""}],
        }
    ],
}


def test_the_index_is_a_grid_of_screen_by_language_a_column_group_per_folder(tmp_path: Path) -> None:
    for folder in ("mock-default", "mock-variant"):
        (tmp_path / folder).mkdir()
        for language in ("fr", "nl"):
            shot = Shot(tmp_path / folder, "home", language)
            picture(shot.picture)
            shot.write_axe(AxeResult.from_dict(AXE) if folder == "mock-variant" else AxeResult(()))
    picture(tmp_path / "mock-default" / "home.fr.compared.png")  # not a gallery picture: left out
    (tmp_path / "mock-default" / "home.fr.visual.json").write_text(
        json.dumps(
            {"status": "differs", "detail": "1 of 2400 pixels differ", "baseline": "b.png", "diff": "home.fr.diff.png"}
        )
    )

    index = write_index(tmp_path, [("login", "Login"), ("home", "Home, no sender yet")], ("fr", "nl", "de")).read_text()

    assert "Login" not in index  # no picture of it
    assert index.count("Home, no sender yet<br><code>home</code></th>") == 1
    assert '<th class="group" colspan="3">mock-default</th><th class="group" colspan="3">mock-variant</th>' in index
    assert index.count('<img src="mock-variant/home.nl.png"') == 1
    assert '<a href="mock-default/home.fr.png">' in index
    assert "compared" not in index
    assert index.count("no violations") == 2  # mock-default, FR and NL
    assert index.count('<span class="serious">1 serious</span>') == 2
    assert 'href="https://dequeuniversity.com/rules/axe/4.12/color-contrast"><code>color-contrast</code>' in index
    assert '<a href="mock-default/home.fr.diff.png">diff</a>' in index
    assert index.count("not taken") == 2  # DE of each folder


def test_the_conformance_report_links_to_the_gallery_when_it_exists(tmp_path: Path) -> None:
    gallery = tmp_path / "reports" / "gallery"
    report = tmp_path / "reports" / "conformance.html"

    assert report_link(report, gallery) == []
    gallery.mkdir(parents=True)
    (gallery / "index.html").write_text("<html></html>")
    assert report_link(None, gallery) == []
    (link,) = report_link(report, gallery)
    assert '<a href="gallery/index.html">' in link


# --- collection and the tour -----------------------------------------------------------------


def _gallery_conftest():
    spec = importlib.util.spec_from_file_location("gallery_conftest_under_test", ROOT / "tests/gallery/conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "args, collected",
    [
        (["tests"], False),
        ([], False),
        (["tests/unit", "tests/meta"], False),
        (["tests/gallery"], True),
        (["tests/gallery/test_gallery.py::test_screen[home-fr]"], True),
    ],
)
def test_the_gallery_is_collected_only_when_named(args: list[str], collected: bool) -> None:
    conftest = _gallery_conftest()
    config = SimpleNamespace(args=args, invocation_params=SimpleNamespace(dir=ROOT))

    ignored = conftest.pytest_ignore_collect(ROOT / "tests/gallery/test_gallery.py", config)

    assert ignored is (None if collected else True)


def test_the_tour_names_every_screen_once_in_the_order_a_person_meets_them() -> None:
    names = [screen.name for screen in SCREENS]

    assert len(names) == len(set(names))
    assert names == [
        "login",
        "login-refused",
        "home",
        "information",
        "contact",
        "contact-refused",
        "channel",
        "channel-refused",
        "confirmation",
        "access-refused",
        "result",
        "home-with-sender",
        "contact-person",
        "channels",
        "channel-configured",
        "channel-to-add",
        "channel-to-add-refused",
        "channel-confirmation",
        "deletion",
    ]
    starts = {screen.name: screen.starts for screen in SCREENS}
    assert {starts["login"], starts["login-refused"]} == {SIGNED_OUT}
    assert {starts[n] for n in ("contact-person", "channel-configured", "channel-to-add", "deletion")} == {CONFIGURED}
    assert starts["result"] == FRESH and [s.name for s in SCREENS if s.registers] == ["result"]
    assert [s.name for s in SCREENS if s.refused] == [
        "login-refused",
        "contact-refused",
        "channel-refused",
        "channel-to-add-refused",
    ]


def test_the_gallery_photographs_the_fourteen_screens_docs_gallery_md_lists() -> None:
    from tests.gallery.visits import PHOTOGRAPHED

    assert [screen.name for screen in PHOTOGRAPHED] == [
        "login",
        "home",
        "information",
        "contact",
        "contact-refused",
        "channel",
        "channel-refused",
        "confirmation",
        "access-refused",
        "result",
        "contact-person",
        "channel-configured",
        "channel-to-add",
        "deletion",
    ]


def _load(relative: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The module at ``relative`` run anew, as a module of its own (its import-time checks run)."""
    spec = importlib.util.spec_from_file_location("consumer_under_test", ROOT / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # where its dataclasses look themselves up
    spec.loader.exec_module(module)
    return module


# The consumers that go to the tour's screens with page objects, and the name of their list.
WITH_PAGE_OBJECTS = {"tests/gallery/visits.py": "PHOTOGRAPHED", "tests/conformance/test_accessibility.py": "SCANNED"}
OWN_WAY = "tests/http/a11ytour.py"  # the mock's own tour, a method per screen


@pytest.mark.parametrize("stepped", [False, True], ids=["without-a-step", "with-a-step"])
def test_a_screen_added_to_the_tour_stops_each_consumer_until_it_handles_it(monkeypatch, stepped: bool) -> None:
    """Without a step, every consumer refuses to load; with one, those that go with page objects
    take it (the gallery then fails for want of its baselines), the mock's own tour refuses."""
    step = tour.SCREENS_BY_NAME["information"].step if stepped else None
    added = TourScreen("added", "A screen added", FRESH, "home", step)
    monkeypatch.setattr(tour, "SCREENS", (*tour.SCREENS, added))
    monkeypatch.setattr(tour, "SCREENS_BY_NAME", {**tour.SCREENS_BY_NAME, added.name: added})

    for consumer, screens in WITH_PAGE_OBJECTS.items():
        if stepped:
            assert "added" in [screen.name for screen in getattr(_load(consumer, monkeypatch), screens)]
        else:
            with pytest.raises(ValueError, match=r"no page object reaches \['added'\]"):
                _load(consumer, monkeypatch)
    with pytest.raises(NotImplementedError, match=r"no method for the tour's screens \['added'\]"):
        _load(OWN_WAY, monkeypatch)


def test_the_tour_imports_only_page_objects_and_the_contract() -> None:
    tree = ast.parse((ROOT / "pages" / "tour.py").read_text(encoding="utf-8"))
    imported = {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    imported |= {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }

    assert imported <= {"__future__", "collections", "dataclasses", "typing", "playwright", "pages", "contract"}

"""The screen gallery: its options, where its pictures go, how a shot is compared with its
baseline, which values are masked, and the index page.

``make gallery`` runs ``tests/gallery`` once per skin of the bundled mock (or once against a
``--target``); each run writes one folder, ``reports/gallery/<key>/`` (``mock-default``,
``mock-variant``, or the target file's name), with per screen and language:

- ``<screen>.<lang>.png``: the full page, as a reviewer should see it (nothing masked);
- ``<screen>.<lang>.axe.json``: what axe-core found there (``harness/axe.py``);
- with ``--visual`` or ``--update-baselines``: ``<screen>.<lang>.compared.png``, the same page
  with the values that change from run to run masked, which is what a baseline holds; with
  ``--visual``, ``<screen>.<lang>.visual.json`` (the verdict) and, on a difference,
  ``.baseline.png`` (a copy) and ``.diff.png`` (the differing pixels in red over a faded
  baseline, their bounding box outlined).

Then ``reports/gallery/index.html`` is written again from every folder present: a grid of screen
by language, a column group per folder.

Masks: the values that change from run to run (dates, sender numbers, user names, client ids,
enterprise and ONSS numbers, generated names, a certificate's serials and expiry) are written
over with a fixed placeholder, then the elements holding it, found by their text, are painted
over by Playwright's ``screenshot(mask=...)`` (:func:`mask_values`): never by coordinates.

Comparison: Pillow's ``ImageChops.difference``. A pixel differs when one of its channels differs
by more than :data:`CHANNEL_TOLERANCE`; a shot differs when more than ``--visual-max-diff``
pixels do (default 0), or when its size differs. The same machine renders the same page to the
same pixels (fixed viewport, scale, fonts; animations and the caret off), so the defaults are
strict: a one-pixel-region change fails.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from PIL import Image, ImageChops, ImageDraw
from playwright.sync_api import Locator, Page

from harness.axe import IMPACTS, AxeResult

GALLERY_DIR = Path("reports/gallery")
BASELINES_DIR = Path("tests/gallery/baselines")
INDEX = "index.html"


def pytest_addoption(parser: pytest.Parser) -> None:
    """The gallery's options (``make gallery``, ``tests/gallery``, docs/gallery.md)."""
    gallery = parser.getgroup("channel-conformance gallery")
    gallery.addoption(
        "--gallery-dir",
        metavar="DIR",
        default=str(GALLERY_DIR),
        help=f"where the gallery writes its folders and index.html (default {GALLERY_DIR}); "
        "the conformance HTML report links to its index when there is one",
    )
    gallery.addoption(
        "--visual",
        action="store_true",
        default=False,
        help="compare each gallery shot (values that change masked) with its baseline; "
        "a difference fails, with the baseline, the shot and a diff image",
    )
    gallery.addoption(
        "--update-baselines",
        action="store_true",
        default=False,
        help="write each gallery shot as its baseline instead of comparing",
    )
    gallery.addoption(
        "--baselines",
        metavar="DIR",
        default=str(BASELINES_DIR),
        help=f"the baselines, a folder per target inside (default {BASELINES_DIR})",
    )
    gallery.addoption(
        "--visual-max-diff",
        metavar="PIXELS",
        type=int,
        default=0,
        help="how many pixels may differ from the baseline before --visual fails (default 0)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--visual") and config.getoption("--update-baselines"):
        raise pytest.UsageError(
            "--visual compares with the baselines, --update-baselines rewrites them: give one of them"
        )


# What every shot is taken with: one rendering from run to run on one machine.
VIEWPORT = {"width": 1280, "height": 800}
CONTEXT_OPTIONS: dict[str, Any] = {
    "viewport": VIEWPORT,
    "device_scale_factor": 1,
    "reduced_motion": "reduce",
    "color_scheme": "light",
    "forced_colors": "none",
}
SCREENSHOT_OPTIONS: dict[str, Any] = {"full_page": True, "animations": "disabled", "caret": "hide", "scale": "css"}
MASK_COLOR = "#FF00FF"
PLACEHOLDER = "[masked]"  # what a masked value reads in a compared shot, under its mask
# A channel difference up to this is not a difference (0-255): colour rounding, never a glyph.
CHANNEL_TOLERANCE = 16
# Shorter values are masked only where an element holds exactly them ("7" is in many texts).
SHORTEST_SUBSTRING = 6


def gallery_key(target_file: Path | str | None, skin: str) -> str:
    """The folder of a run: ``mock-<skin>`` for the bundled mock, else the target file's name."""
    return Path(target_file).stem if target_file else f"mock-{skin}"


# --- one shot -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shot:
    """The files of one screen in one language, in one gallery folder."""

    folder: Path
    screen: str
    language: str

    def _file(self, suffix: str) -> Path:
        return self.folder / f"{self.screen}.{self.language}{suffix}"

    @property
    def picture(self) -> Path:
        return self._file(".png")

    @property
    def axe(self) -> Path:
        return self._file(".axe.json")

    @property
    def compared(self) -> Path:
        return self._file(".compared.png")

    @property
    def visual(self) -> Path:
        return self._file(".visual.json")

    @property
    def baseline_copy(self) -> Path:
        return self._file(".baseline.png")

    @property
    def diff(self) -> Path:
        return self._file(".diff.png")

    def baseline_in(self, baselines: Path) -> Path:
        return baselines / f"{self.screen}.{self.language}.png"

    def take(self, page: Page) -> None:
        """The full page, as a reviewer sees it (``picture``)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        page.mouse.move(0, 0)  # no pointer left hovering what the last click pressed
        page.screenshot(path=self.picture, **SCREENSHOT_OPTIONS)

    def take_compared(self, page: Page, masks: Sequence[Locator]) -> None:
        """The full page with ``masks`` painted over (``compared``): what a baseline holds
        (``masks`` from :func:`mask_values`)."""
        page.mouse.move(0, 0)
        page.screenshot(path=self.compared, mask=list(masks), mask_color=MASK_COLOR, **SCREENSHOT_OPTIONS)

    def write_axe(self, result: AxeResult) -> None:
        self.axe.write_text(json.dumps(result.as_dict(), indent=1, ensure_ascii=False), encoding="utf-8")


# Writes the placeholder over each value in the page's text: a value of another length (a sender
# number of two digits instead of one) then never moves what follows it, whatever the markup
# (a table's columns are as wide as their longest text). Longest values first, so that a value
# holding another (a client id holding its sender number) goes whole.
_PLACEHOLDERS = """([values, shortest, placeholder]) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  let replaced = 0;
  for (const text of texts) {
    for (const value of values) {
      if (value.length < shortest ? text.data.trim() === value : text.data.includes(value)) {
        text.data = value.length < shortest ? placeholder : text.data.split(value).join(placeholder);
        replaced++;
      }
    }
  }
  return replaced;
}"""


def mask_values(page: Page, values: Iterable[str]) -> list[Locator]:
    """Hide the values that change from run to run (dates, numbers, generated names): each is
    replaced in the page's text by :data:`PLACEHOLDER`, and the elements holding it, found by
    their text as a person finds them, are returned for ``screenshot(mask=...)``, which paints
    their boxes. A value shorter than :data:`SHORTEST_SUBSTRING` counts only as a whole text
    ("7" is in many texts). Changes the page: call it after the picture and the axe scan."""
    wanted = sorted({v.strip() for v in values if v and v.strip()}, key=lambda v: (-len(v), v))
    page.evaluate(_PLACEHOLDERS, [wanted, SHORTEST_SUBSTRING, PLACEHOLDER])
    return [page.get_by_text(PLACEHOLDER, exact=False)]


# --- comparison ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """How a new shot compares with its baseline."""

    differing: int  # pixels beyond the tolerance
    total: int
    baseline_size: tuple[int, int]
    new_size: tuple[int, int]
    box: tuple[int, int, int, int] | None  # left, top, right, bottom of the differing pixels

    def same(self, max_diff_pixels: int = 0) -> bool:
        return self.baseline_size == self.new_size and self.differing <= max_diff_pixels

    def describe(self) -> str:
        if self.baseline_size != self.new_size:
            return (
                f"size {self.new_size[0]}×{self.new_size[1]} instead of the baseline's "
                f"{self.baseline_size[0]}×{self.baseline_size[1]}; {self.differing} pixels differ"
            )
        where = f" within {self.box}" if self.box else ""
        return f"{self.differing} of {self.total} pixels differ{where}"


def compare_images(
    baseline: Path, new: Path, diff: Path | None = None, tolerance: int = CHANNEL_TOLERANCE
) -> Comparison:
    """Compare two pictures pixel by pixel; write the diff image to ``diff`` when they differ."""
    with Image.open(baseline) as b, Image.open(new) as n:
        old_image, new_image = b.convert("RGB"), n.convert("RGB")
    size = (max(old_image.width, new_image.width), max(old_image.height, new_image.height))
    old_padded, new_padded = _padded(old_image, size), _padded(new_image, size)
    channels = ImageChops.difference(old_padded, new_padded).split()
    largest = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    mask = largest.point(lambda v: 255 if v > tolerance else 0)
    differing = mask.histogram()[255]
    comparison = Comparison(differing, size[0] * size[1], old_image.size, new_image.size, mask.getbbox())
    if diff is not None and not comparison.same():
        _diff_image(old_padded, mask, comparison.box).save(diff)
    return comparison


def _padded(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    canvas = Image.new("RGB", size, (255, 255, 255))
    canvas.paste(image, (0, 0))
    return canvas


def _diff_image(baseline: Image.Image, mask: Image.Image, box: tuple[int, int, int, int] | None) -> Image.Image:
    """The baseline faded to grey, the differing pixels red, their bounding box outlined (so a
    few pixels are found at a glance in a tall page)."""
    faded = Image.blend(baseline.convert("L").convert("RGB"), Image.new("RGB", baseline.size, "white"), 0.7)
    image = Image.composite(Image.new("RGB", baseline.size, (230, 0, 0)), faded, mask)
    if box is not None:
        left, top, right, bottom = box
        ImageDraw.Draw(image).rectangle((left - 6, top - 6, right + 5, bottom + 5), outline=(230, 0, 0), width=2)
    return image


@dataclass(frozen=True)
class Verdict:
    """What ``--visual`` or ``--update-baselines`` made of one shot (kept as ``.visual.json``)."""

    status: str  # "same", "differs", "no baseline", "updated"
    detail: str = ""
    baseline: str = ""  # the baseline's path, as given
    diff: str = ""  # the diff image's file name, beside the shot

    def write(self, shot: Shot) -> None:
        shot.visual.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @property
    def failed(self) -> bool:
        return self.status in ("differs", "no baseline")


def update_baseline(shot: Shot, baselines: Path) -> Verdict:
    """Make the masked shot the baseline (written smaller: the same pixels, compressed harder)."""
    target = shot.baseline_in(baselines)
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(shot.compared) as image:
        image.save(target, optimize=True)
    return Verdict("updated", baseline=str(target))


def check_against_baseline(shot: Shot, baselines: Path, max_diff_pixels: int) -> Verdict:
    """Compare the masked shot with its baseline; on a difference, put a copy of the baseline and
    the diff image beside the shot."""
    baseline = shot.baseline_in(baselines)
    for stale in (shot.diff, shot.baseline_copy):
        stale.unlink(missing_ok=True)
    if not baseline.exists():
        return Verdict(
            "no baseline", f"no baseline {baseline}: run with --update-baselines to make it", baseline=str(baseline)
        )
    comparison = compare_images(baseline, shot.compared, shot.diff)
    if comparison.same(max_diff_pixels):
        shot.diff.unlink(missing_ok=True)  # within --visual-max-diff: no diff to look at
        return Verdict("same", comparison.describe(), baseline=str(baseline))
    shutil.copyfile(baseline, shot.baseline_copy)
    return Verdict("differs", comparison.describe(), baseline=str(baseline), diff=shot.diff.name)


def png_base64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")


# --- the index -----------------------------------------------------------------------------

_SHOT_NAME = re.compile(r"^(?P<screen>[\w-]+)\.(?P<language>[a-z]{2})\.png$")


@dataclass
class Cell:
    picture: str  # relative to the index
    axe: AxeResult | None
    counts: list[tuple[str, int]]
    visual: Verdict | None


def write_index(root: Path, screens: Sequence[tuple[str, str]], languages: Sequence[str]) -> Path:
    """``root/index.html`` from every gallery folder under ``root``: a row per screen (``screens``:
    name and label, in the tour's order; other names found follow), a column group per folder,
    a column per language."""
    folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    cells: dict[tuple[str, str, str], Cell] = {}
    names: list[str] = []
    for folder in folders:
        for picture in sorted(folder.glob("*.png")):
            found = _SHOT_NAME.match(picture.name)
            if not found:
                continue
            screen, language = found["screen"], found["language"]
            shot = Shot(folder, screen, language)
            axe = AxeResult.from_dict(json.loads(shot.axe.read_text(encoding="utf-8"))) if shot.axe.exists() else None
            visual = Verdict(**json.loads(shot.visual.read_text(encoding="utf-8"))) if shot.visual.exists() else None
            counts: list[tuple[str, int]] = [(i, axe.counts()[i]) for i in reversed(IMPACTS)] if axe else []
            cells[(folder.name, screen, language)] = Cell(f"{folder.name}/{picture.name}", axe, counts, visual)
            if screen not in names:
                names.append(screen)
    labels = dict(screens)
    rows = [(name, labels[name]) for name in labels if name in names] + [(n, n) for n in names if n not in labels]
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
    )
    page = env.get_template("gallery.html").render(
        folders=[f.name for f in folders],
        languages=list(languages),
        rows=rows,
        cells=cells,
        written=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    )
    index = root / INDEX
    root.mkdir(parents=True, exist_ok=True)
    index.write_text(page, encoding="utf-8")
    return index


def report_link(html_report: str | os.PathLike[str] | None, gallery: Path) -> list[str]:
    """For pytest-html's summary: a link to the gallery's index when it exists, relative to the
    report (an empty list otherwise)."""
    index = gallery / INDEX
    if not html_report or not index.exists():
        return []
    href = html.escape(os.path.relpath(index.resolve(), Path(html_report).resolve().parent))
    written = dt.datetime.fromtimestamp(index.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    return [
        f"<p>Screen gallery (every screen in FR, NL and DE, with its axe-core result): "
        f'<a href="{href}">{href}</a>, written {written}.</p>'
    ]

"""``--visual`` catches a one-pixel change, and shows it: the gallery run on one screen, in a
subprocess, against baselines in a temporary folder.

1. ``--update-baselines`` writes the screen's baseline;
2. ``--visual`` right after finds no difference (the rendering is stable);
3. one pixel of the baseline changed, ``--visual`` fails: its message names the pixel, the diff
   image is written beside the shot with that pixel red, and the HTML report holds the
   baseline, the new shot and the diff.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
from PIL import Image

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREEN, LANGUAGE = "login", "nl"
PIXEL = (400, 120)  # in the login form's card, below the page title


def run_gallery(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/gallery/test_gallery.py",
        "-k",
        f"{SCREEN}-{LANGUAGE}",
        "-p",
        "no:cacheprovider",
        "--gallery-dir",
        str(tmp / "gallery"),
        "--baselines",
        str(tmp / "baselines"),
        "--html",
        str(tmp / "report.html"),
        "--self-contained-html",
        f"--output={tmp / 'artifacts'}",
        *args,
    ]  # not the project's test-results/: wiped per run
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)


def test_a_one_pixel_change_fails_visual_and_shows_the_diff(tmp_path: Path) -> None:
    shots = tmp_path / "gallery" / "mock-default"
    baseline = tmp_path / "baselines" / "mock-default" / f"{SCREEN}.{LANGUAGE}.png"

    made = run_gallery(tmp_path, "--update-baselines")
    assert made.returncode == 0, made.stdout + made.stderr
    assert baseline.exists()

    same = run_gallery(tmp_path, "--visual")
    assert same.returncode == 0, same.stdout + same.stderr
    assert json.loads((shots / f"{SCREEN}.{LANGUAGE}.visual.json").read_text())["status"] == "same"
    assert not (shots / f"{SCREEN}.{LANGUAGE}.diff.png").exists()

    with Image.open(baseline) as image:
        changed = image.convert("RGB")
    red, green, blue = cast(tuple[int, int, int], changed.getpixel(PIXEL))
    changed.putpixel(PIXEL, (255 - red, 255 - green, 255 - blue))
    changed.save(baseline)

    failed = run_gallery(tmp_path, "--visual")

    assert failed.returncode == 1, failed.stdout + failed.stderr
    x, y = PIXEL
    assert re.search(
        rf"{SCREEN} in {LANGUAGE.upper()}: differs: 1 of \d+ pixels differ within "
        rf"\({x}, {y}, {x + 1}, {y + 1}\)",
        failed.stdout,
    ), failed.stdout
    diff = shots / f"{SCREEN}.{LANGUAGE}.diff.png"
    assert f"diff:     {diff.relative_to(ROOT) if diff.is_relative_to(ROOT) else diff}" in failed.stdout
    with Image.open(diff) as image:
        assert image.convert("RGB").getpixel(PIXEL) == (230, 0, 0)  # the changed pixel, red
        assert image.convert("RGB").getpixel((x - 40, y)) != (230, 0, 0)  # outside its box: faded page
    assert (shots / f"{SCREEN}.{LANGUAGE}.baseline.png").exists()
    assert json.loads((shots / f"{SCREEN}.{LANGUAGE}.visual.json").read_text())["status"] == "differs"
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert report.count("data:image/png;base64,") >= 3  # baseline, new shot, diff
    index = (tmp_path / "gallery" / "index.html").read_text(encoding="utf-8")
    assert f'href="mock-default/{SCREEN}.{LANGUAGE}.diff.png"' in index

"""A failure read in seconds: a portal with a certificate defect (an RSA key of 1024 bits is
accepted), run as a staging portal would be (the stand-in of ``standin.py`` with that defect),
and the evidence of the one test that must catch it:

- the failure's first lines name the rule and its sentence, the catalogue entry and why the
  contract refuses it, what was expected and which screen the portal showed instead;
- the picture and the HTML saved at the moment of failure show that screen (Confirmation), not
  what the clean-up left (the shared channel step is cancelled afterwards), and the HTML report
  embeds the picture;
- the rerun command works as printed: it runs the test again against the same portal, which
  fails it again.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.meta.standin import DEMO_PASSWORD, PASSWORD_ENV, ROOT, run_suite, standin, standin_ca

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("failure-evidence")]

TEST = "tests/conformance/test_certificates.py::test_refused_file_keeps_the_channel_step[chromium-rsa-1024]"


@pytest.fixture(scope="module")
def defective(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    ca = standin_ca(tmp_path_factory.mktemp("evidence-ca"), seed=9)
    target = tmp_path_factory.mktemp("evidence") / "target.toml"
    with standin(ca, 1, target, defects=("rsa-1024-accepted",)) as base_url:
        yield base_url, target


@pytest.fixture(scope="module")
def failed(defective):
    base_url, target = defective
    report = target.parent / "report.html"
    result = run_suite(target, base_url, "--tb=short", "--html", str(report), "--self-contained-html", paths=(TEST,))
    return result, target.parent / "artifacts", report


def test_the_first_lines_say_what_broke_in_the_contracts_words(failed) -> None:
    result, _, _ = failed
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("_") and "[chromium-rsa-1024]" in line)
    first, failure = lines[title + 1 : title + 7], "\n".join(lines[title + 1 :])
    assert first[0].startswith("Rules: CERT-5 "), first
    assert first[1] == (
        "Certificate: catalogue entry 'rsa-1024'; the contract says to refuse it under CERT-5: the RSA key has "
        "1024 bits, fewer than 2048"
    ), first
    assert "expected the portal to refuse and show 'Données du canal' again" in first[2], first
    assert "showed 'Confirmation' instead" in first[2], first
    assert first[3].startswith("Screen at the failure: ") and first[5].startswith("Rerun: "), first
    assert "target = ForeignTarget(" not in failure  # no fixture reprs in a short traceback


def test_the_picture_is_of_the_moment_of_failure_and_the_report_embeds_it(failed) -> None:
    result, artifacts, report = failed
    folder = next(artifacts.glob("*rsa-1024*"))
    html = (folder / "failure-1.html").read_text(encoding="utf-8")
    current = re.search(r'<li[^>]*aria-current="step"[^>]*>(.*?)</li>', html, re.S)
    assert current is not None and "Confirmation" in current.group(1), current
    assert (folder / "failure-1.png").stat().st_size > 1000
    assert not list(folder.glob("test-failed-*.png"))  # a clean-up picture, if any, is named so
    page = report.read_text(encoding="utf-8")
    assert "At the failure (failure-1.png)" in page and "data:image/png;base64," in page


def test_the_rerun_command_works_as_printed(failed) -> None:
    result, _, _ = failed
    line = next(line for line in result.stdout.splitlines() if line.startswith("Rerun: "))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")} | {PASSWORD_ENV: DEMO_PASSWORD}

    again = subprocess.run(
        shlex.split(line.removeprefix("Rerun: ")) + ["-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert again.returncode == 1, again.stdout + again.stderr
    assert "1 failed" in again.stdout.strip().splitlines()[-1]
    assert "the RSA key has 1024 bits, fewer than 2048" in again.stdout

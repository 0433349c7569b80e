"""Every document links inside the repository, and every link resolves.

A clone is all a QA engineer has: a relative link in a Markdown file must reach an existing file
of the repository (and, with an anchor, a heading of that file), and no file may point at the
shared folder outside the repository. The contract's one copy in the repository is
docs/contract.md: only it names the shared original.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Made on the fly, so that this file does not name what it looks for.
SHARED_FOLDER = "../" + "shared/"
SHARED_CONTRACT = "portal-" + "contract.md"
CONTRACT_DOC = Path("docs/contract.md")
# Not the project's files: environments, caches, run outputs.
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "reports",
    "test-results",
    "build",
    "dist",
}

_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"(`+).*?\1")
_INLINE_LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s+.*)?$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.*?)\s*#*\s*$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _project_files() -> Iterator[Path]:
    stack = [ROOT]
    while stack:
        folder = stack.pop()
        for path in sorted(folder.iterdir()):
            if path.is_dir():
                if path.name not in SKIPPED_DIRS and not path.name.endswith(".egg-info"):
                    stack.append(path)
            elif path.is_file():
                yield path


MARKDOWN = sorted(p for p in _project_files() if p.suffix == ".md")


def _outside_fences(text: str) -> Iterator[str]:
    """The lines outside fenced code blocks."""
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            yield line


def _links(text: str) -> list[str]:
    found = []
    for line in (_INLINE_CODE.sub("", line) for line in _outside_fences(text)):
        found += [m.group("target") for m in _INLINE_LINK.finditer(line)]
        reference = _REFERENCE.match(line)
        if reference:
            found.append(reference.group("target"))
    return found


def _anchors(text: str) -> set[str]:
    """The heading anchors GitHub makes: lower case, punctuation dropped, spaces as hyphens,
    ``-1``, ``-2``... for repeated headings."""
    seen: dict[str, int] = {}
    anchors = set()
    for line in _outside_fences(text):
        heading = _HEADING.match(line)
        if not heading:
            continue
        words = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group("text"))
        slug = re.sub(r"[^\w\- ]", "", words.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def test_markdown_files_are_found():
    names = {p.relative_to(ROOT).as_posix() for p in MARKDOWN}
    assert {"README.md", "docs/contract.md", "mockportal/README.md"} <= names


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve(path: Path):
    broken = []
    for target in _links(path.read_text(encoding="utf-8")):
        if _SCHEME.match(target):
            continue  # a web address: not checked here
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / urllib.parse.unquote(file_part)).resolve() if file_part else path
        if not resolved.is_relative_to(ROOT):
            broken.append(f"{target}: outside the repository")
        elif not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved.read_text(encoding="utf-8")):
            broken.append(f"{target}: no heading with anchor #{anchor}")
    assert not broken, f"{path.relative_to(ROOT)}: {broken}"


def test_anchor_rule_follows_github():
    # The slug rule itself can be wrong: pin it on headings whose GitHub anchors are known.
    text = "# The portal contract\n## §3 What page objects may rely on\n## `make test`: all\n## Step\n## Step\n"
    assert _anchors(text) == {
        "the-portal-contract",
        "3-what-page-objects-may-rely-on",
        "make-test-all",
        "step",
        "step-1",
    }


def test_no_file_points_outside_the_repository():
    offenders = []
    for path in _project_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary: certificates in DER, archives
        relative = path.relative_to(ROOT)
        if SHARED_FOLDER in text:
            offenders.append(f"{relative}: mentions {SHARED_FOLDER}")
        if SHARED_CONTRACT in text and relative != CONTRACT_DOC:
            offenders.append(f"{relative}: names {SHARED_CONTRACT}; point at {CONTRACT_DOC} instead")
    assert not offenders, offenders

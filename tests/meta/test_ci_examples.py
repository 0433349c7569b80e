"""The CI examples (docs/ci/*.yml) parse, call only the Makefile's targets, and install the
versions constraints.txt pins.

An example that no longer matches the Makefile fails the first time someone copies it; one that
names a Playwright version of its own drifts from the lock file. Both are caught here.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
CI_DOCS = ROOT / "docs" / "ci"
GITHUB = CI_DOCS / "github-actions.yml"
GITLAB = CI_DOCS / "gitlab-ci.yml"
EXAMPLES = [GITHUB, GITLAB]
CONSTRAINTS = ROOT / "constraints.txt"

# GitLab's top-level keywords: everything else at the top is a job (or a hidden template).
_GITLAB_KEYWORDS = {
    "default",
    "include",
    "stages",
    "variables",
    "workflow",
    "cache",
    "image",
    "services",
    "before_script",
    "after_script",
    "pages",
}
_MAKE_CALL = re.compile(r"(?:^|[;&|(]|\s)make\s+(?P<args>[^;&|)#\n]*)")
# A rule line: "name:" or "a b:" but not a ":=" assignment.
_MAKE_RULE = re.compile(r"^(?P<targets>[A-Za-z0-9_.-]+(?:[ \t]+[A-Za-z0-9_.-]+)*)[ \t]*:(?!=)", re.M)
# A Playwright version written out (playwright==1.x, playwright@1.x, playwright:v1.x) instead of
# read from constraints.txt.
_PINNED_PLAYWRIGHT = re.compile(r"playwright(?:==|@|:v?)\d", re.I)


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a YAML mapping"
    return data


def _github_commands(data: dict) -> Iterator[str]:
    jobs = data["jobs"]
    assert isinstance(jobs, dict) and jobs, "github-actions.yml: no jobs"
    for name, job in jobs.items():
        steps = job.get("steps")
        assert isinstance(steps, list) and steps, f"github-actions.yml: job {name} has no steps"
        for step in steps:
            assert "run" in step or "uses" in step, f"github-actions.yml: job {name}: a step without run or uses"
            if "run" in step:
                yield str(step["run"])


def _gitlab_commands(data: dict) -> Iterator[str]:
    jobs = {name: job for name, job in data.items() if name not in _GITLAB_KEYWORDS}
    assert any(not name.startswith(".") for name in jobs), "gitlab-ci.yml: no jobs"
    templates = set(jobs)
    for name, job in jobs.items():
        assert isinstance(job, dict), f"gitlab-ci.yml: {name} is not a job"
        extends = job.get("extends", [])
        for parent in [extends] if isinstance(extends, str) else extends:
            assert parent in templates, f"gitlab-ci.yml: {name} extends unknown {parent}"
        if not name.startswith("."):
            assert "script" in job, f"gitlab-ci.yml: job {name} has no script"
        for key in ("before_script", "script", "after_script"):
            lines = job.get(key, [])
            yield from [lines] if isinstance(lines, str) else map(str, lines)


def _commands(path: Path) -> list[str]:
    data = _load(path)
    return list(_github_commands(data) if path == GITHUB else _gitlab_commands(data))


def _make_targets_called(commands: list[str]) -> list[str]:
    targets = []
    for command in commands:
        for call in _MAKE_CALL.finditer(command):
            words = shlex.split(call.group("args"))
            targets += [w for w in words if not w.startswith("-") and "=" not in w]
    return targets


def _makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {
        target for m in _MAKE_RULE.finditer(text) for target in m.group("targets").split() if not target.startswith(".")
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_calls_only_makefile_targets(path: Path):
    called = _make_targets_called(_commands(path))
    assert "setup" in called and "conformance" in called, f"{path.name} calls make {called}"
    unknown = sorted(set(called) - _makefile_targets())
    assert not unknown, f"{path.name} calls make targets the Makefile does not have: {unknown}"


def test_make_calls_are_read_as_targets():
    # The parsing itself: options and variable assignments are not targets.
    commands = ["make setup", "make -s conformance WORKERS=2 # group", "cd x && make unit; echo make"]
    assert _make_targets_called(commands) == ["setup", "conformance", "unit"]
    assert {"setup", "conformance", "unit", "lock"} <= _makefile_targets()


@pytest.mark.parametrize("path", [*EXAMPLES, ROOT / "docs" / "ci.md"], ids=lambda p: p.name)
def test_playwright_version_comes_from_constraints(path: Path):
    pinned = _PINNED_PLAYWRIGHT.findall(path.read_text(encoding="utf-8"))
    assert not pinned, f"{path.name} writes a Playwright version out; read it from constraints.txt instead"


def _pins() -> dict[str, str]:
    pins = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep and version, f"constraints.txt: {line!r} is not name==version"
            pins[str(canonicalize_name(name))] = version
    return pins


def test_constraints_pin_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    requirements += [Requirement(r) for extra in project.get("optional-dependencies", {}).values() for r in extra]
    pins = _pins()
    assert canonicalize_name(project["name"]) not in pins, "constraints.txt must not pin the project itself"
    unpinned = [str(r) for r in requirements if canonicalize_name(r.name) not in pins]
    assert not unpinned, f"not in constraints.txt (run `make lock`): {unpinned}"
    outside = [
        f"{r.name}=={pins[canonicalize_name(r.name)]} (wants {r.specifier})"
        for r in requirements
        if not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)
    ]
    assert not outside, f"constraints.txt pins versions pyproject.toml refuses (run `make lock`): {outside}"
    assert "playwright" in pins, "the CI examples read Playwright's version from constraints.txt"

"""The CI examples (docs/ci/*.yml) are valid for their CI, call only the Makefile's targets,
install the versions constraints.txt pins, and have what docs/ci.md promises of each job.

An example that no longer matches the Makefile, or that GitHub or GitLab would refuse, fails the
first time someone copies it; one that names a Playwright version of its own drifts from the lock
file. Each job has a time limit and each test one (pytest-timeout); only jobs that drive a browser
install one; the .venv and the browser are cached by the pins; JUnit results reach the CI's test
view; the results by rule reach GitHub's job summary once; the staging job runs alone and is
compared with the run before it. All of it is caught here.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

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


# --- valid for their CI, and what each job must have ------------------------------------------

SCHEMAS = {GITHUB: "vendor.github-workflows", GITLAB: "vendor.gitlab-ci"}
# Any request for a schema would go through this proxy and fail: the check must be offline.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def _validate(path: Path, schema: str) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with a schema it ships (GitHub's and GitLab's own, vendored)."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)]
    return subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **OFFLINE}, timeout=120, check=False
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_is_valid_for_its_ci(path: Path):
    result = _validate(path, SCHEMAS[path])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_schema_refuses_a_mistake(path: Path, tmp_path: Path):
    # A job key misspelt as people do (GitHub's timeout-minutes, GitLab's timeout): refused.
    data = _load(path)
    job = data["jobs"]["unit"] if path == GITHUB else data["unit"]
    job["timeout_minutes" if path == GITHUB else "time_out"] = 20
    broken = tmp_path / path.name
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = _validate(broken, SCHEMAS[path])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "time" in result.stdout, result.stdout


class Job(NamedTuple):
    name: str
    body: dict[str, Any]
    commands: str  # what it runs, line after line
    addopts: str  # its PYTEST_ADDOPTS, as set in its steps or script


def _github_jobs() -> list[Job]:
    jobs = []
    for name, body in _load(GITHUB)["jobs"].items():
        steps = body["steps"]
        addopts = " ".join(str(step.get("env", {}).get("PYTEST_ADDOPTS", "")) for step in steps)
        jobs.append(Job(name, body, "\n".join(str(step.get("run", "")) for step in steps), addopts))
    return jobs


def _gitlab_jobs() -> list[Job]:
    data = _load(GITLAB)
    jobs = []
    for name, body in data.items():
        if name in _GITLAB_KEYWORDS or name.startswith("."):
            continue
        merged = {**data.get(body.get("extends", ""), {}), **body}
        lines = [str(line) for key in ("before_script", "script", "after_script") for line in merged.get(key, [])]
        addopts = " ".join(line for line in lines if "PYTEST_ADDOPTS" in line)
        jobs.append(Job(name, merged, "\n".join(lines), addopts))
    return jobs


def _is_browser_free(job: Job) -> bool:
    return "not browser" in job.addopts


@pytest.mark.parametrize("jobs", [_github_jobs, _gitlab_jobs], ids=["github", "gitlab"])
def test_every_job_and_every_test_has_a_time_limit(jobs):
    for job in jobs():
        assert job.body.get("timeout-minutes") or job.body.get("timeout"), f"{job.name}: no time limit"
        assert re.search(r"--timeout=\d+", job.addopts), f"{job.name}: no per-test limit (pytest-timeout)"


@pytest.mark.parametrize("jobs", [_github_jobs, _gitlab_jobs], ids=["github", "gitlab"])
def test_only_jobs_that_drive_a_browser_install_one(jobs):
    for job in jobs():
        installs = "playwright install" in job.commands
        assert installs != _is_browser_free(job), f"{job.name}: installs a browser: {installs}"
    assert any(_is_browser_free(job) for job in jobs())


def test_github_caches_the_venv_and_the_browser_keyed_on_the_pins():
    for job in _github_jobs():
        caches = {
            str(s["with"]["path"]): str(s["with"]["key"])
            for s in job.body["steps"]
            if "actions/cache@" in s.get("uses", "")
        }
        assert "constraints.txt" in caches.get(".venv", ""), f"{job.name}: .venv not cached by constraints.txt"
        if not _is_browser_free(job):
            assert "constraints.txt" in caches.get("~/.cache/ms-playwright", ""), f"{job.name}: browser not cached"


def test_gitlab_caches_the_venv_and_the_browser_keyed_on_the_pins():
    data = _load(GITLAB)
    cache = data["default"]["cache"]
    assert "constraints.txt" in cache["key"]["files"]
    assert {".venv", ".cache/ms-playwright"} <= set(cache["paths"])
    assert data["variables"]["PLAYWRIGHT_BROWSERS_PATH"] == "$CI_PROJECT_DIR/.cache/ms-playwright"
    for job in _gitlab_jobs():
        own = job.body.get("cache", cache)
        caches = own if isinstance(own, list) else [own]
        assert any(".venv" in c["paths"] and "constraints.txt" in c["key"]["files"] for c in caches), job.name
        if _is_browser_free(job):  # it must not replace the cache with one that lacks the browser
            assert all(c.get("policy") == "pull" for c in caches), job.name


def _junit_files(job: Job) -> set[str]:
    written = set(re.findall(r"--junitxml=([^\s\"']+)", job.addopts))
    return written or {"reports/conformance.junit.xml"}  # make conformance's own


def test_junit_results_reach_each_ci_test_view():
    for job in _github_jobs():
        reported = {
            str(s["with"]["report_paths"])
            for s in job.body["steps"]
            if "action-junit-report@" in s.get("uses", "") and s.get("if") == "always()"
        }
        assert reported == _junit_files(job), job.name
    for job in _gitlab_jobs():
        artifacts = job.body.get("artifacts", {})
        assert artifacts.get("when") == "always", job.name
        assert {artifacts["reports"]["junit"]} == _junit_files(job), job.name


def test_the_results_by_rule_reach_the_github_job_summary_once():
    # The harness appends reports/summary.md to $GITHUB_STEP_SUMMARY itself (--summary, set by
    # make conformance); a step doing it again shows everything twice.
    assert "GITHUB_STEP_SUMMARY" not in GITHUB.read_text(encoding="utf-8")
    for job in _github_jobs():
        uploads = [s for s in job.body["steps"] if "upload-artifact@" in s.get("uses", "")]
        for upload in uploads:  # the name the harness's links give is the artifact's
            assert upload["with"]["name"] == "${{ env.REPORTS_ARTIFACT }}" and job.body["env"]["REPORTS_ARTIFACT"]


def test_staging_runs_alone_and_compares_with_the_last_run():
    github = next(job for job in _github_jobs() if job.name == "staging")
    assert github.body["concurrency"] == {"group": "staging-portal", "cancel-in-progress": False}
    gitlab = next(job for job in _gitlab_jobs() if job.name == "staging")
    assert gitlab.body["resource_group"] == "staging-portal"
    for job in (github, gitlab):
        assert "--history .staging-history/history.json" in job.addopts, job.name
        # --baseline only once there is one: the first run has none, and a missing file is an error.
        assert "if [ -f .staging-history/summary.json ]" in job.commands, job.name
        assert '--baseline .staging-history/summary.json"' in job.commands, job.name
        assert "cp reports/summary.json .staging-history/" in job.commands, job.name
        assert "make conformance WORKERS=2" in job.commands, job.name
    steps = {s.get("uses", "").split("@")[0]: s for s in github.body["steps"]}
    restore, save = steps["actions/cache/restore"], steps["actions/cache/save"]
    assert restore["with"]["path"] == save["with"]["path"] == ".staging-history"
    assert restore["with"]["restore-keys"] and save["if"] == "always()"
    [history] = [c for c in gitlab.body["cache"] if c["key"] == "staging-history"]
    assert history["paths"] == [".staging-history/"] and history["when"] == "always"

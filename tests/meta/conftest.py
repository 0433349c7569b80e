"""Fixtures of the suite's own checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def collected(tmp_path_factory) -> dict[str, dict]:
    """Test id -> {"rules": [...], "kind": "focused" | "scenario" | None}."""
    out = tmp_path_factory.mktemp("rules") / "rules.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/conformance",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--collect-rules={out}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return json.loads(out.read_text())

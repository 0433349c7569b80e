"""What changed since an earlier run, and the trend of the last runs.

A regression run against staging is read against the one before it: ``--baseline FILE`` takes
that run's ``summary.json`` (``harness/progress.py``'s ``summary_data``) and says which tests and
rules newly fail, which are fixed, which still fail, and which tests were added or removed.
``--history FILE`` keeps the last runs' counts (a small JSON file a CI cache can carry), and
``summary.md`` shows them as a trend.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HISTORY_LENGTH = 20  # runs kept in --history


class BaselineError(ValueError):
    """A --baseline file that is not a summary.json of this suite."""


def read_summary(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"--baseline {path}: no such file") from None
    except ValueError as error:
        raise BaselineError(f"--baseline {path}: not JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("tests"), dict):
        raise BaselineError(
            f"--baseline {path}: not a summary.json with each test's outcome (written by --summary DIR of this suite)"
        )
    return data


def _failing_rules(data: dict[str, Any]) -> set[str]:
    return {rule for rule, counts in data.get("by_rule", {}).items() if counts.get("failed")}


@dataclass
class Changes:
    """Since the baseline: tests (and rules) that newly fail, are fixed, still fail; tests added
    and removed."""

    newly_failing: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    still_failing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    newly_failing_rules: list[str] = field(default_factory=list)
    fixed_rules: list[str] = field(default_factory=list)

    def counts(self) -> str:
        return (
            f"{len(self.newly_failing)} newly failing, {len(self.fixed)} fixed, {len(self.still_failing)} still "
            f"failing, {len(self.added)} added, {len(self.removed)} removed"
        )


def compare(baseline: dict[str, Any], current: dict[str, Any]) -> Changes:
    before, now = baseline["tests"], current["tests"]
    changes = Changes()
    for nodeid, outcome in sorted(now.items()):
        if nodeid not in before:
            changes.added.append(nodeid)
        if outcome != "failed":
            if before.get(nodeid) == "failed" and outcome in ("passed", "known"):
                changes.fixed.append(nodeid)
            continue
        (changes.still_failing if before.get(nodeid) == "failed" else changes.newly_failing).append(nodeid)
    changes.removed = sorted(set(before) - set(now))
    rules_before, rules_now = _failing_rules(baseline), _failing_rules(current)
    ran = set(current.get("by_rule", {}))
    changes.newly_failing_rules = sorted(rules_now - rules_before)
    changes.fixed_rules = sorted((rules_before - rules_now) & ran)
    return changes


def change_lines(changes: Changes, baseline: Path) -> list[str]:
    """For the terminal: one line of counts, then the tests and rules that changed."""
    lines = [f"since {baseline}: {changes.counts()}"]
    if changes.newly_failing_rules:
        lines.append(f"NEWLY FAILING RULES {' '.join(changes.newly_failing_rules)}")
    if changes.fixed_rules:
        lines.append(f"FIXED RULES {' '.join(changes.fixed_rules)}")
    lines += [f"NEWLY FAILING {nodeid}" for nodeid in changes.newly_failing]
    lines += [f"FIXED {nodeid}" for nodeid in changes.fixed]
    lines += [f"STILL FAILING {nodeid}" for nodeid in changes.still_failing]
    lines += [f"ADDED {nodeid}" for nodeid in changes.added[:20]]
    lines += [f"REMOVED {nodeid}" for nodeid in changes.removed[:20]]
    return lines


def change_markdown(changes: Changes, baseline: str) -> list[str]:
    lines = ["", f"### Since the baseline (`{baseline}`)", "", changes.counts() + "."]
    for title, items in (
        ("Newly failing rules", changes.newly_failing_rules),
        ("Fixed rules", changes.fixed_rules),
        ("Newly failing tests", changes.newly_failing),
        ("Fixed tests", changes.fixed),
        ("Still failing tests", changes.still_failing),
        ("Tests added", changes.added),
        ("Tests removed", changes.removed),
    ):
        if items:
            lines += ["", f"**{title}**", ""] + [f"- `{item}`" for item in items]
    return lines


def record(path: Path, entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Add this run's ``entry`` to the history at ``path`` (kept to its last
    :data:`HISTORY_LENGTH` runs) and return the history. A missing or unreadable file starts a
    new one."""
    try:
        history = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(history, list):
            history = []
    except (OSError, ValueError):
        history = []
    history = [*history, entry][-HISTORY_LENGTH:]
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(history, indent=1), encoding="utf-8")
    return history


def history_entry(data: dict[str, Any], facts: dict[str, str]) -> dict[str, Any]:
    """One run in the history: when, against what, and its counts (in total and by rule)."""
    totals: dict[str, int] = {}
    for outcome in data["tests"].values():
        totals[outcome] = totals.get(outcome, 0) + 1
    return {
        "date": facts.get("Date", ""),
        "target": facts.get("Target", ""),
        "totals": totals,
        "failed_by_rule": {rule: c["failed"] for rule, c in data.get("by_rule", {}).items() if c.get("failed")},
    }


def trend_markdown(history: list[dict[str, Any]]) -> list[str]:
    """The last runs, oldest first: their counts, and the rules each failed."""
    lines = [
        "",
        f"### Trend (last {len(history)} run{'s' if len(history) != 1 else ''})",
        "",
        "| run | date | passed | failed | known failures | not run | failing rules |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for number, run in enumerate(history, 1):
        totals = run.get("totals", {})
        not_run = totals.get("skipped", 0) + totals.get("excluded", 0)
        failing = " ".join(sorted(run.get("failed_by_rule", {}))) or "—"
        lines.append(
            f"| {number} | {run.get('date', '')} | {totals.get('passed', 0)} | {totals.get('failed', 0)} | "
            f"{totals.get('known', 0)} | {not_run} | {failing} |"
        )
    return lines

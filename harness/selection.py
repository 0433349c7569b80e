"""Which tests a run takes, and what each says about itself: a plugin of the harness.

- Every test's rule ids go on its reports (``user_properties``, which JUnit shows and xdist
  carries to the controller) and among the words ``-k`` matches; a test naming an unknown id
  stops the run.
- ``--rule CERT-5`` (or a family, ``CERT``; any case) keeps the tests naming it.
- A target file leaves tests out (``rules.exclude``, ``skip_mock_only``, mutations without
  ``--allow-mutations``) and marks its known failures (a strict xfail: a pass fails the run).
- ``--collect-rules FILE`` writes the collected tests with their rule ids, for other tools.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from contract.rules import RULES, needed_rule_ids, rule_ids
from harness.progress import EXCLUDED_PROPERTY, KIND_PROPERTY, KNOWN_PROPERTY, RULES_PROPERTY, kind_of
from harness.target_file import TARGET_FILE_KEY, TargetFile

FAMILIES = frozenset(rule_id.rsplit("-", 1)[0] for rule_id in RULES)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("channel-conformance")
    group.addoption(
        "--rule",
        action="append",
        default=[],
        metavar="ID",
        help="run only the tests that name this rule id (CERT-5) or a rule of this family "
        "(CERT); repeatable. Rule ids also work in -k",
    )
    group.addoption(
        "--collect-rules", metavar="FILE", help="write the collected tests and the rule ids each names, as JSON"
    )


def pytest_configure(config: pytest.Config) -> None:
    # Rule ids in any case ("cert-5" is CERT-5); a name that is none gets the nearest ones.
    config.option.rule = [r.strip().upper() for r in config.getoption("--rule")]
    unknown = [r for r in config.getoption("--rule") if r not in RULES and r not in FAMILIES]
    if unknown:
        near = difflib.get_close_matches(unknown[0], [*RULES, *FAMILIES], n=3, cutoff=0.5)
        raise pytest.UsageError(
            f"--rule {unknown[0]}: not a rule id or family of docs/contract.md"
            + (f"; did you mean {' or '.join(near)}?" if near else "")
            + f" (families: {', '.join(sorted(FAMILIES))})"
        )


def pytest_itemcollected(item: pytest.Item) -> None:
    """Put the test's rule ids on all its reports (workers collect too), and among the words
    ``-k`` matches."""
    ids = rule_ids(item)
    if ids:
        item.user_properties.append((RULES_PROPERTY, " ".join(ids)))
        item.extra_keyword_matches.update(ids)
    kind = kind_of(item)
    if kind:
        item.user_properties.append((KIND_PROPERTY, kind))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        ids = rule_ids(item)
        unknown = [i for i in (*ids, *needed_rule_ids(item)) if i not in RULES]
        if unknown:
            raise pytest.UsageError(f"{item.nodeid} names unknown rule ids {unknown}")
        # A check resting only on [mock] rules can be left out of staging runs.
        if ids and all(RULES[i].mock_only for i in ids):
            item.add_marker(pytest.mark.mock_only)
    wanted = config.getoption("--rule")
    if wanted:
        keep = [
            item
            for item in items
            if any(rule_id in wanted or rule_id.rsplit("-", 1)[0] in wanted for rule_id in rule_ids(item))
        ]
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep
    target_file = config.stash.get(TARGET_FILE_KEY, None)
    if target_file is not None:
        _apply_target_file(config, target_file, items)


def _apply_target_file(config: pytest.Config, target_file: TargetFile, items: list[pytest.Item]) -> None:
    """What the target file leaves out is skipped, with why; its known failures are expected."""
    allow_mutations = config.getoption("--allow-mutations")
    excluded = set(target_file.exclude)
    for item in items:
        ids, needed = rule_ids(item), needed_rule_ids(item)
        left_out = sorted(excluded.intersection((*ids, *needed)))
        mock_needed = [i for i in needed if RULES[i].mock_only]
        reason = None
        if item.get_closest_marker("mutating") and not allow_mutations:
            item.add_marker(
                pytest.mark.skip(
                    reason="creates or deletes a configuration on the target portal: pass --allow-mutations to run it"
                )
            )
        elif target_file.skip_mock_only and ids and all(RULES[i].mock_only for i in ids):
            reason = f"rests only on [mock] rules ({', '.join(ids)}) and the target file sets rules.skip_mock_only"
        elif target_file.skip_mock_only and mock_needed:
            reason = (
                f"reaches its check through the screens of [mock] rule(s) {', '.join(mock_needed)} and the "
                "target file sets rules.skip_mock_only"
            )
        elif left_out:
            reason = f"checks or needs {', '.join(left_out)}, which the target file's rules.exclude leaves out"
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))
            item.user_properties.append((EXCLUDED_PROPERTY, reason))
            continue
        known = next((k for k in target_file.known_failures if k.matches(item.nodeid, ids)), None)
        if known is not None:  # it still runs: a failure is expected, a pass fails the run
            item.add_marker(pytest.mark.xfail(reason=f"{known.label}: {known.reason}", strict=True))
            item.user_properties.append((KNOWN_PROPERTY, known.label))


def pytest_collection_finish(session: pytest.Session) -> None:
    path = session.config.getoption("--collect-rules")
    if path:
        Path(path).write_text(
            json.dumps(
                {item.nodeid: {"rules": list(rule_ids(item)), "kind": kind_of(item)} for item in session.items},
                indent=1,
            )
        )

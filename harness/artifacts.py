"""What a run leaves on disk: Playwright artifacts that parallel workers never clobber, and
no secret in any of them.

pytest-playwright (0.10) already keeps traces and screenshots of tests that fail in set-up,
call or tear-down, in ``--output/<test-slug>/``; folders are per test, so workers do not write
over each other. What it gets wrong under xdist is the start: every worker wipes ``--output``
when its first test starts, which can delete what a faster worker already kept. Here only the
controller (or the single process) wipes it, once, before any worker starts.

Secrets: a trace records cookies (request and response headers, ``add_cookies`` calls), the
values typed into password fields (DOM snapshots, form bodies) and the login POST. Every kept
trace is rewritten with those values masked, and report texts (failure text, captured output)
are scrubbed of every secret the harness knows (passwords, cookie values it added).

The hooks that apply this are in ``harness/plugin.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.parse
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from contract.words import WORDS

MASK = "********"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words all over a trace
SENSITIVE_HEADERS = {"cookie", "set-cookie", "authorization", "proxy-authorization"}
# A fill into a field named like this types a password (the login form's label in any language).
_PASSWORD_WORDS = ("password", *(w.lower() for w in WORDS["login_password"].values()))
# Text in captured output that carries a secret whatever its value.
_TEXT_PATTERNS = [
    re.compile(r"(?im)^(\s*(?:set-)?cookie\s*:\s*).+$"),
    re.compile(r"(?im)^(\s*(?:proxy-)?authorization\s*:\s*).+$"),
    re.compile(r"(?i)(\bpassword=)[^&\s'\";),]+"),
]


class SecretRegistry:
    """Values that must never appear in an artifact (this process only): the run's passwords
    and storage-state cookies. A test's own session cookies are kept with the test instead."""

    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, value: str | None) -> None:
        if value and len(value) >= MIN_SECRET_LENGTH:
            self._values.add(value)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._values, key=len, reverse=True))  # longest first: no partial masks

    def __contains__(self, value: str) -> bool:
        return value in self._values


SECRETS = SecretRegistry()


def register_secret(value: str | None) -> None:
    """Mask ``value`` in every report and kept trace of this process from now on."""
    SECRETS.add(value)


def _variants(secret: str) -> set[str]:
    """How a value may be written in a trace: raw, URL-encoded, JSON-escaped."""
    return {
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
    }


def _mask_values(text: str, values: Iterable[str]) -> str:
    """``text`` with every variant of ``values`` masked where it stands as a value of its own —
    not inside a longer word: the password ``demo`` is masked in ``password=demo`` or ``"demo"``,
    never in the user name ``user-demo``. Longest first, and a fast substring test before each
    search: traces are megabytes and most values are not in a given member."""
    variants = sorted({v for value in values for v in _variants(value) if v}, key=len, reverse=True)
    for variant in variants:
        if variant in text:
            text = re.sub(rf"(?<![\w-]){re.escape(variant)}(?![\w-])", MASK, text)
    return text


SAFE_SECRET_LENGTH = 8  # shorter: masked, but also likely to be a word the pages show


def short_secret_warning(owner: str, secret: str) -> str | None:
    """A warning for a password too short to mask safely, or None."""
    if len(secret) < MIN_SECRET_LENGTH:
        return (
            f"the password of {owner} has {len(secret)} characters: too short to mask, it may appear in "
            "traces and reports; give that account a longer one"
        )
    if len(secret) < SAFE_SECRET_LENGTH:
        return (
            f"the password of {owner} has only {len(secret)} characters: it is masked where it stands alone "
            "(never inside a longer word such as a user name), but a word the pages show may be masked with it"
        )
    return None


def scrub_text(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with known secrets and header-like secrets masked."""
    text = _mask_values(text, [*SECRETS, *secrets])
    for pattern in _TEXT_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


# --- traces ---------------------------------------------------------------------------------


def _cookie_values(header_name: str, value: str) -> list[str]:
    if header_name == "cookie":
        return [part.split("=", 1)[1] for part in value.split(";") if "=" in part]
    if header_name == "set-cookie":
        first = value.split(";", 1)[0]
        return [first.split("=", 1)[1]] if "=" in first else []
    return [value.split(" ", 1)[-1], value]  # Authorization: "<scheme> <credentials>"


def _mask_http_message(message: dict[str, Any], found: set[str]) -> None:
    """Mask cookies and credential headers of one HAR request or response, in place."""
    for cookie in message.get("cookies") or []:
        if cookie.get("value"):
            found.add(cookie["value"])
            cookie["value"] = MASK
    for header in message.get("headers") or []:
        name = str(header.get("name", "")).lower()
        if name in SENSITIVE_HEADERS and header.get("value"):
            found.update(_cookie_values(name, header["value"]))
            header["value"] = MASK


def _walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _secrets_in_event(event: dict[str, Any], found: set[str]) -> None:
    """Cookie values a test added and values typed into password fields, from a trace event."""
    if event.get("method") == "addCookies":
        for cookie in (event.get("params") or {}).get("cookies") or []:
            found.add(str(cookie.get("value", "")))
    for node in _walk(event):
        # DOM snapshots write an element's attributes as a dict; inputs carry their value.
        if isinstance(node, dict) and str(node.get("type", "")).lower() == "password":
            found.add(str(node.get("__playwright_value_", "")))
        if isinstance(node, dict) and node.get("method") == "fill":
            selector = str((node.get("params") or {}).get("selector", "")).lower()
            if any(word in selector for word in _PASSWORD_WORDS):
                found.add(str(node["params"].get("value", "")))


def scrub_trace(trace: str | os.PathLike[str], secrets: Iterable[str] = ()) -> None:
    """Rewrite the trace archive at ``trace`` with cookies, credentials and passwords masked."""
    path = Path(trace)
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]

    found: set[str] = set(secrets) | set(SECRETS)
    texts: dict[str, str] = {}
    for info, data in members:
        try:
            texts[info.filename] = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # images: nothing to mask, and a byte-level replace could corrupt them

    for name, text in list(texts.items()):
        if not (name.endswith(".network") or name.endswith(".trace")):
            continue
        lines = []
        for line in text.splitlines(keepends=True):
            try:
                event = json.loads(line)
            except ValueError:
                lines.append(line)
                continue
            if name.endswith(".network"):
                snapshot = event.get("snapshot") or {}
                for part in ("request", "response"):
                    if isinstance(snapshot.get(part), dict):
                        _mask_http_message(snapshot[part], found)
                lines.append(json.dumps(event, ensure_ascii=False) + ("\n" if line.endswith("\n") else ""))
            else:
                _secrets_in_event(event, found)
                lines.append(line)
        texts[name] = "".join(lines)

    values = sorted({v for v in found if v and len(v) >= MIN_SECRET_LENGTH}, key=len, reverse=True)
    tmp = path.with_suffix(".scrubbing")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename in texts:
                data = _mask_values(texts[info.filename], values).encode("utf-8")
            out.writestr(info, data)
    os.replace(tmp, path)


# --- what a test's own artifacts must not show -----------------------------------------------


def secrets_of(values: Iterable[Any]) -> set[str]:
    """The passwords among a test's fixture values (employers and accounts, or lists of them)."""
    from harness.accounts import Account, Employer

    found: set[str] = set()
    for value in values:
        for candidate in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(candidate, Employer):
                found.update(a.password for a in candidate.accounts.values() if a.password)
            elif isinstance(candidate, Account) and candidate.password:
                found.add(candidate.password)
    return found


def wipe_output(output: str | None) -> None:
    """The one wipe of ``--output`` (see the module's docstring)."""
    if output and os.path.isdir(output):
        shutil.rmtree(output, ignore_errors=True)


# The secrets a test has met (its accounts, its context's cookies), kept on its item.
TEST_SECRETS = pytest.StashKey[set[str]]()


def scrub_report(item: pytest.Item, report: pytest.TestReport, funcargs: dict[str, Any]) -> None:
    """Mask the test's secrets (its accounts' passwords, its context's cookies) in its kept
    traces and its report's texts. They stay with this test: a run-wide list would grow with
    every session cookie and make each scrub slower."""
    secrets = item.stash.setdefault(TEST_SECRETS, set())
    secrets.update(secrets_of(funcargs.values()))
    context = funcargs.get("context")
    if context is not None and report.when != "teardown":  # still open: its session cookies
        try:
            secrets.update(c["value"] for c in context.cookies() if len(c["value"]) >= MIN_SECRET_LENGTH)
        except Exception:  # noqa: BLE001 - a closed or broken context has nothing left to leak
            pass
    for name, value in report.user_properties:
        if name == "playwright_trace":
            trace = Path(item.config.invocation_params.dir, str(value))
            if trace.exists():
                scrub_trace(trace, secrets)
    if report.failed and report.longrepr is not None:
        text = str(report.longrepr)
        scrubbed = scrub_text(text, secrets)
        if scrubbed != text:  # only then lose the structured traceback
            report.longrepr = scrubbed
    report.sections = [(title, scrub_text(content, secrets)) for title, content in report.sections]

"""Sessions and wizard drafts, in memory only (never in sqlite), expired and capped.

A session starts anonymous (a visitor on the login page, for the login form's CSRF token) and
becomes signed in at login, under a new id (no session fixation). The wizard's draft lives in
the session; a certificate in a draft is kept as DER only, after it passed every check.

Memory stays bounded whatever clients do: sessions expire after an idle time, each kind is
capped in number (the least recently used one goes first), a draft keeps each entry cut to its
field's length (``capped``), and what the drafts hold is capped in bytes per session and for all
sessions together. A session that passes a drafts cap loses its own drafts: a cap is never
charged to another session.
"""

from __future__ import annotations

import collections
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import TypeVar

COOKIE_NAME = "mockportal_session"
LANGUAGE_COOKIE = "mockportal_lang"  # the language of a signed-out visitor (I18N-1)
ANONYMOUS_LIFETIME = 3600  # idle seconds a visitor's session is kept without signing in
SIGNED_IN_LIFETIME = 12 * 3600  # idle seconds a signed-in session is kept
MAX_ANONYMOUS = 5_000  # visitors' sessions (a login page each); the oldest one goes first
MAX_SIGNED_IN = 10_000  # signed-in sessions; the least recently used one goes first
MAX_DRAFT_BYTES = 64 * 1024 * 1024  # what all drafts hold together (entries, certificates)
# What one session's drafts hold: the wizard's and three channel pages', each at most a 64 KiB
# certificate, an SSH key line and a few hundred characters of entries, fit well within.
MAX_SESSION_DRAFT_BYTES = 512 * 1024
MAX_SSH_KEY = 8192  # one OpenSSH public key line (an RSA key of 16,384 bits takes about 2,800)
MAX_CONSUMED_DRAFTS = 64  # WIZ-6: confirmed wizards a session remembers


def capped(value: str, limit: int) -> str:
    """What a draft keeps of an entry whose field holds at most ``limit`` characters: the entry
    as typed while it is at most twice that (room for spaces around it, which CONTACT-7 trims);
    a longer one trimmed, and cut to ``limit + 1`` characters if still too long. Under a length
    rule (CONTACT-5, CONTACT-7) one character too many is refused just as a megabyte is, so an
    entry cut here is never accepted cut; an SSH key line longer than any key keeps its start."""
    if len(value) <= 2 * limit:
        return value
    trimmed = value.strip()
    return trimmed if len(trimmed) <= limit else trimmed[: limit + 1]


def capped_choices(chosen: list[str], offered: tuple[str, ...]) -> list[str]:
    """What a draft keeps of the boxes ticked among ``offered``: each value once, in order, at
    most one more than are offered, each ``capped`` at the longest offered one. Whatever is
    dropped is not on offer, and something kept is not either: the choice stays refused."""
    longest = max(map(len, offered), default=0)
    return list(dict.fromkeys(capped(value, longest) for value in chosen))[: len(offered) + 1]


@dataclass
class Draft:
    """The wizard's entries (WIZ-3: all kept, the certificate included)."""

    id: str = field(default_factory=lambda: secrets.token_urlsafe(8))
    information_done: bool = False
    contact: dict[str, str] = field(default_factory=dict)  # as typed
    regime_chosen: bool = False  # CONTACT-4: until chosen, the regime follows the interface
    channel: str = ""
    applications: list[str] = field(default_factory=list)
    ssh_key: str = ""
    certificate_der: bytes | None = None


@dataclass
class ChannelDraft:
    """Entries of a channel page's add form, kept across a language switch (I18N-1)."""

    applications: list[str] = field(default_factory=list)
    ssh_key: str = ""
    certificate_der: bytes | None = None


@dataclass
class Session:
    """A visitor's session (the login page's CSRF token, the language); ``SignedInSession`` once
    signed in."""

    id: str
    csrf: str
    language: str
    draft: Draft | None = None
    channel_drafts: dict[str, ChannelDraft] = field(default_factory=dict)
    consumed_drafts: set[str] = field(default_factory=set)  # WIZ-6: confirmed wizards
    flash: tuple[str, str] | None = None  # (kind, key) shown once: ("word"|"message", key)
    touched: float = field(default_factory=time.monotonic)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def signed_in(self) -> bool:
        return False

    def pop_flash(self) -> tuple[str, str] | None:
        flash, self.flash = self.flash, None
        return flash

    def drop_drafts(self) -> None:
        """Forget the wizard's and the channel pages' entries (a drafts cap was passed)."""
        self.draft = None
        self.channel_drafts.clear()

    def draft_bytes(self) -> int:
        """Roughly what the drafts hold: typed text and certificates (for ``MAX_DRAFT_BYTES``)."""
        total = 0
        drafts: list[Draft | ChannelDraft] = list(self.channel_drafts.values())
        if self.draft is not None:
            drafts.append(self.draft)
            total += sum(len(key) + len(value) for key, value in self.draft.contact.items())
            total += len(self.draft.channel)
        for draft in drafts:
            total += len(draft.ssh_key) + sum(len(name) for name in draft.applications)
            total += len(draft.certificate_der or b"")
        return total


@dataclass(kw_only=True)
class SignedInSession(Session):
    """A signed-in user's session: who they are is set at sign-in and never changes."""

    user_id: int
    employer_id: int
    role: str

    @property
    def signed_in(self) -> bool:
        return True


_S = TypeVar("_S", bound=Session)


class SessionStore:
    """Sessions by id, random ids (``secrets.token_urlsafe``): expired ones pruned lazily, each
    kind capped in number (least recently used first out), drafts capped in bytes."""

    def __init__(self) -> None:
        # Visitors and signed-in users apart, each in least-recently-used order.
        self._anonymous: collections.OrderedDict[str, Session] = collections.OrderedDict()
        self._signed_in: collections.OrderedDict[str, Session] = collections.OrderedDict()
        self._draft_bytes: dict[str, int] = {}
        self._draft_total = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._anonymous) + len(self._signed_in)

    def counts(self) -> tuple[int, int]:
        """(visitors' sessions, signed-in sessions)."""
        with self._lock:
            return len(self._anonymous), len(self._signed_in)

    @property
    def draft_total(self) -> int:
        """Bytes the drafts of all sessions hold, as last accounted."""
        return self._draft_total

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            table = self._signed_in if session_id in self._signed_in else self._anonymous
            session = table.get(session_id)
            if session is None:
                return None
            now = time.monotonic()
            if now - session.touched > _lifetime(session):
                self._drop(session_id)
                return None
            session.touched = now
            table.move_to_end(session_id)
            return session

    def new(self, language: str) -> Session:
        return self._add(Session(id=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32), language=language))

    def sign_in(
        self, old: Session | None, *, user_id: int, employer_id: int, role: str, language: str
    ) -> SignedInSession:
        """A fresh signed-in session (new id and CSRF token); the visitor's one is dropped."""
        if old is not None:
            self.end(old.id)
        session = SignedInSession(
            id=secrets.token_urlsafe(32),
            csrf=secrets.token_urlsafe(32),
            language=language,
            user_id=user_id,
            employer_id=employer_id,
            role=role,
        )
        return self._add(session)

    def end(self, session_id: str) -> None:
        """ACCESS-2: Quit ends the session."""
        with self._lock:
            self._drop(session_id)

    def account(self, session: Session) -> None:
        """Record what the session's drafts hold now (after each of its requests, under its
        lock). Over ``MAX_SESSION_DRAFT_BYTES``, or taking all drafts together over
        ``MAX_DRAFT_BYTES``, the session loses its own drafts; no other session pays for it."""
        size = session.draft_bytes()
        with self._lock:
            if session.id not in self._signed_in and session.id not in self._anonymous:
                return  # ended meanwhile (Quit, sign-in)
            before = self._draft_bytes.get(session.id, 0)
            if size > before and (
                size > MAX_SESSION_DRAFT_BYTES or self._draft_total - before + size > MAX_DRAFT_BYTES
            ):
                session.drop_drafts()
                size = session.draft_bytes()
            self._draft_total += size - before
            self._draft_bytes[session.id] = size
            if session.consumed_drafts and len(session.consumed_drafts) > MAX_CONSUMED_DRAFTS:
                for draft_id in list(session.consumed_drafts)[: len(session.consumed_drafts) - MAX_CONSUMED_DRAFTS]:
                    session.consumed_drafts.discard(draft_id)

    def _add(self, session: _S) -> _S:
        table, cap = (self._signed_in, MAX_SIGNED_IN) if session.signed_in else (self._anonymous, MAX_ANONYMOUS)
        with self._lock:
            self._prune(table)
            while len(table) >= cap:
                self._drop(next(iter(table)))
            table[session.id] = session
        return session

    def _prune(self, table: collections.OrderedDict[str, Session]) -> None:
        """Expired sessions are the least recently used: they sit at the front."""
        now = time.monotonic()
        while table:
            oldest = next(iter(table.values()))
            if now - oldest.touched <= _lifetime(oldest):
                break
            self._drop(oldest.id)

    def _drop(self, session_id: str) -> None:
        self._anonymous.pop(session_id, None)
        self._signed_in.pop(session_id, None)
        self._draft_total -= self._draft_bytes.pop(session_id, 0)


def _lifetime(session: Session) -> float:
    return SIGNED_IN_LIFETIME if session.signed_in else ANONYMOUS_LIFETIME


def language_cookie(language: str) -> str:
    """I18N-1: the visitor's language outlives the session (the login page after Quit keeps it)."""
    return f"{LANGUAGE_COOKIE}={language}; SameSite=Lax; Path=/"


def session_cookie(session_id: str, *, expire: bool = False) -> str:
    """HttpOnly, SameSite=Lax, Path=/ (not Secure: the mock serves plain HTTP on localhost)."""
    cookie = f"{COOKIE_NAME}={session_id}; HttpOnly; SameSite=Lax; Path=/"
    return cookie + "; Max-Age=0" if expire else cookie

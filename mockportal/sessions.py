"""Sessions and wizard drafts, in memory only (never in sqlite).

A session starts anonymous (a visitor on the login page, for the login form's CSRF token) and
becomes signed in at login, under a new id (no session fixation). The wizard's draft lives in
the session; a certificate in a draft is kept as DER only, after it passed every check.
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

COOKIE_NAME = "mockportal_session"
LANGUAGE_COOKIE = "mockportal_lang"  # the language of a signed-out visitor (I18N-1)
ANONYMOUS_LIFETIME = 2 * 3600  # seconds a visitor's session is kept without signing in
SIGNED_IN_LIFETIME = 12 * 3600


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
    id: str
    csrf: str
    language: str
    user_id: int | None = None
    employer_id: int | None = None
    role: str | None = None
    draft: Draft | None = None
    channel_drafts: dict[str, ChannelDraft] = field(default_factory=dict)
    consumed_drafts: set[str] = field(default_factory=set)  # WIZ-6: confirmed wizards
    flash: tuple[str, str] | None = None  # (kind, key) shown once: ("word"|"message", key)
    touched: float = field(default_factory=time.monotonic)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    def pop_flash(self) -> tuple[str, str] | None:
        flash, self.flash = self.flash, None
        return flash


class SessionStore:
    """Sessions by id, random ids (``secrets.token_urlsafe``), expired ones pruned lazily."""

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            lifetime = SIGNED_IN_LIFETIME if session.signed_in else ANONYMOUS_LIFETIME
            if time.monotonic() - session.touched > lifetime:
                del self._sessions[session_id]
                return None
            session.touched = time.monotonic()
            return session

    def new(self, language: str) -> Session:
        session = Session(id=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32), language=language)
        with self._lock:
            self._prune()
            self._sessions[session.id] = session
        return session

    def sign_in(self, old: Session | None, *, user_id: int, employer_id: int, role: str, language: str) -> Session:
        """A fresh signed-in session (new id and CSRF token); the visitor's one is dropped."""
        if old is not None:
            self.end(old.id)
        session = self.new(language)
        session.user_id, session.employer_id, session.role = user_id, employer_id, role
        return session

    def end(self, session_id: str) -> None:
        """ACCESS-2: Quit ends the session."""
        with self._lock:
            self._sessions.pop(session_id, None)

    def _prune(self) -> None:
        now = time.monotonic()
        expired = [sid for sid, s in self._sessions.items()
                   if now - s.touched > (SIGNED_IN_LIFETIME if s.signed_in else ANONYMOUS_LIFETIME)]
        for sid in expired:
            del self._sessions[sid]


def language_cookie(language: str) -> str:
    """I18N-1: the visitor's language outlives the session (the login page after Quit keeps it)."""
    return f"{LANGUAGE_COOKIE}={language}; SameSite=Lax; Path=/"


def session_cookie(session_id: str, *, expire: bool = False) -> str:
    """HttpOnly, SameSite=Lax, Path=/ (not Secure: the mock serves plain HTTP on localhost)."""
    cookie = f"{COOKIE_NAME}={session_id}; HttpOnly; SameSite=Lax; Path=/"
    return cookie + "; Max-Age=0" if expire else cookie

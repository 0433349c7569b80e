"""The mock's session store: sessions expire, each kind is capped in number with the
least recently used one going first, drafts are capped in bytes."""

from __future__ import annotations

from mockportal import sessions
from mockportal.sessions import ChannelDraft, Draft, SessionStore


def signed_in(store: SessionStore, user: int = 1):
    return store.sign_in(None, user_id=user, employer_id=user, role="gl", language="fr")


def test_idle_sessions_expire():
    store = SessionStore()
    visitor, user = store.new("fr"), signed_in(store)
    visitor.touched -= sessions.ANONYMOUS_LIFETIME + 1
    assert store.get(visitor.id) is None and store.get(user.id) is user
    user.touched -= sessions.ANONYMOUS_LIFETIME + 1  # a signed-in session lives longer
    assert store.get(user.id) is user
    user.touched -= sessions.SIGNED_IN_LIFETIME + 1
    assert store.get(user.id) is None
    assert store.counts() == (0, 0)


def test_expired_visitors_are_pruned_when_a_new_one_comes():
    store = SessionStore()
    old = [store.new("fr") for _ in range(3)]
    for session in old:
        session.touched -= sessions.ANONYMOUS_LIFETIME + 1
    store.new("nl")
    assert store.counts() == (1, 0)


def test_each_kind_is_capped_least_recently_used_first(monkeypatch):
    monkeypatch.setattr(sessions, "MAX_SIGNED_IN", 3)
    monkeypatch.setattr(sessions, "MAX_ANONYMOUS", 2)
    store = SessionStore()
    first, second, third = (signed_in(store, n) for n in (1, 2, 3))
    assert store.get(first.id) is first  # used again: now the most recent
    fourth = signed_in(store, 4)
    assert store.get(second.id) is None
    assert all(store.get(s.id) is s for s in (first, third, fourth))
    for _ in range(5):
        store.new("fr")
    assert store.counts() == (2, 3)  # visitors never push signed-in users out


def test_drafts_past_the_cap_for_all_sessions_cost_only_the_session_that_passes_it(monkeypatch):
    monkeypatch.setattr(sessions, "MAX_DRAFT_BYTES", 10_000)
    store = SessionStore()
    users = [signed_in(store, n) for n in range(4)]
    for user in users:
        user.draft = Draft(certificate_der=b"\x30" * 4_000)
        store.account(user)
    assert all(store.get(user.id) is user for user in users)  # nobody signed out
    assert [user.draft is not None for user in users] == [True, True, False, False]
    assert store.draft_total == 8_000
    store.end(users[0].id)
    users[3].draft = Draft(certificate_der=b"\x30" * 4_000)  # room again
    store.account(users[3])
    assert users[3].draft is not None and store.draft_total == 8_000


def test_one_sessions_drafts_are_capped_at_its_own_cost(monkeypatch):
    monkeypatch.setattr(sessions, "MAX_SESSION_DRAFT_BYTES", 10_000, raising=False)
    store = SessionStore()
    other, user = signed_in(store, 1), signed_in(store, 2)
    other.draft = Draft(contact={"last_name": "Peeters"})
    store.account(other)
    user.draft = Draft(certificate_der=b"\x30" * 4_000)
    user.channel_drafts = {kind: ChannelDraft(certificate_der=b"\x30" * 4_000) for kind in ("ftp", "sftp")}
    store.account(user)
    assert user.draft is None and not user.channel_drafts  # 12,000 bytes: over its cap
    assert store.get(user.id) is user and store.get(other.id) is other
    assert other.draft.contact == {"last_name": "Peeters"}
    assert store.draft_total == len("last_name") + len("Peeters")


def test_a_session_remembers_a_bounded_number_of_confirmed_wizards():
    store = SessionStore()
    user = signed_in(store)
    user.consumed_drafts.update(f"draft-{n}" for n in range(500))
    store.account(user)
    assert len(user.consumed_drafts) == sessions.MAX_CONSUMED_DRAFTS

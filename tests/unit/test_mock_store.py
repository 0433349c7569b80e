"""The mock portal's sqlite store: sender numbers, one configuration per employer, deletion."""

from __future__ import annotations

import datetime as dt
import re
import threading
from zoneinfo import ZoneInfo

import pytest

from mockportal import store as store_module
from mockportal.certificate import sha256_hex
from mockportal.store import DEMO_EMPLOYER, Channel, Store, enterprise_number
from tests.http.mockkit import der, self_signed

CONTACT = {"last_name": "Peeters", "emails": ["jan@example.be"]}


@pytest.fixture
def store():
    s = Store()
    yield s
    s.close()


def ws_channel(company: str = "Acme SRL", cn: str = "Jan") -> Channel:
    data = der(self_signed(company, cn=cn))
    return Channel("ws", data, sha256_hex(data), connection_type="internet")


def employer(store: Store) -> int:
    return store.create_employer(name=None, language="fr")[0].id


def mod97_ok(number: str) -> bool:
    digits = number.replace(".", "")
    return re.fullmatch(r"0\d{3}\.\d{3}\.\d{3}", number) is not None and int(digits[8:]) == 97 - int(digits[:8]) % 97


@pytest.mark.rules("HOME-1")
def test_enterprise_numbers_are_valid_mod_97(store):
    assert mod97_ok(DEMO_EMPLOYER["enterprise_number"])
    assert enterprise_number(1234567) == "0123.456.749"
    for _ in range(20):
        created, users = store.create_employer(name=None, language="nl")
        assert mod97_ok(created.enterprise_number)
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", created.creation_date)
        assert set(users) == {"gl", "cogl", "user"}


@pytest.mark.rules("HOME-1")
def test_generated_employers_are_unique_even_from_threads(store):
    made = []

    def make():
        for _ in range(10):
            made.append(store.create_employer(name=None, language="fr"))

    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = [e.enterprise_number for e, _ in made]
    names = [e.name for e, _ in made]
    usernames = [u["username"] for _, users in made for u in users.values()]
    assert len(set(numbers)) == len(set(names)) == 40
    assert len(set(usernames)) == 120
    assert all(re.search(r" (SRL|SA|SC|SNC|ASBL|BV|NV|CV|VZW)$", n) for n in names)


@pytest.mark.rules("ACCESS-2")
def test_demo_accounts_and_passwords(store):
    for username, role in (("gl-demo", "gl"), ("cogl-demo", "cogl"), ("user-demo", "user")):
        user = store.authenticate(username, "demo")
        assert user is not None and user.role == role
        assert store.authenticate(username, "wrong") is None
    assert store.authenticate("nobody", "demo") is None


@pytest.mark.rules("SENDER-1", "RESULT-2", "RESULT-3")
def test_first_configuration_gets_a_sender_and_a_technical_user(store):
    eid = employer(store)
    assert store.create_configuration(eid, CONTACT, ws_channel()) == "created"
    configuration = store.configuration(eid)
    assert 0 < configuration.sender <= 999999
    assert configuration.registration_date == dt.datetime.now(ZoneInfo("Europe/Brussels")).strftime("%d/%m/%Y")
    assert configuration.technical_username
    assert configuration.client_id == f"self_service_expeditor_{configuration.sender}"


@pytest.mark.rules("SENDER-1", "RESULT-2")
def test_senders_and_technical_users_differ_per_employer(store):
    configurations = []
    for i in range(5):
        eid = employer(store)
        store.create_configuration(eid, CONTACT, ws_channel(cn=f"Jan {i}"))
        configurations.append(store.configuration(eid))
    assert len({c.sender for c in configurations}) == 5
    assert len({c.technical_username for c in configurations}) == 5


@pytest.mark.rules("WIZ-6")
def test_a_second_configuration_for_the_same_employer_is_impossible(store):
    eid = employer(store)
    assert store.create_configuration(eid, CONTACT, ws_channel()) == "created"
    assert store.create_configuration(eid, CONTACT, ws_channel(cn="Other")) == "exists"
    results = []
    other = employer(store)
    threads = [
        threading.Thread(
            target=lambda i=i: results.append(store.create_configuration(other, CONTACT, ws_channel(cn=f"T{i}")))
        )
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["created"] + ["exists"] * 7


@pytest.mark.rules("SENDER-1", "CHANNEL-6")
def test_adding_a_channel_keeps_the_sender(store):
    eid = employer(store)
    store.create_configuration(eid, CONTACT, ws_channel())
    sender = store.configuration(eid).sender
    data = der(self_signed("Acme SRL", cn="FTP user"))
    ftp = Channel("ftp", data, sha256_hex(data), applications=("Publiato",))
    assert store.add_channel(eid, ftp) == "created"
    assert store.add_channel(eid, ftp) == "exists"
    configuration = store.configuration(eid)
    assert configuration.sender == sender and set(configuration.channels) == {"ws", "ftp"}
    assert store.add_channel(employer(store), ftp) == "missing"


@pytest.mark.rules("SENDER-1", "DELETE-1")
def test_a_deleted_senders_number_is_never_handed_out_again(store):
    eid = employer(store)
    store.create_configuration(eid, CONTACT, ws_channel())
    first = store.configuration(eid).sender
    assert store.delete_configuration(eid)
    assert store.configuration(eid) is None
    assert not store.delete_configuration(eid)
    store.create_configuration(eid, CONTACT, ws_channel())
    assert store.configuration(eid).sender > first


@pytest.mark.rules("SENDER-1")
def test_sender_numbers_stay_retired_across_restarts(tmp_path):
    path = str(tmp_path / "state.sqlite")
    store = Store(path)
    eid = employer(store)
    store.create_configuration(eid, CONTACT, ws_channel())
    first = store.configuration(eid).sender
    store.delete_configuration(eid)
    store.close()
    store = Store(path)
    try:
        assert store.user_by_username("gl-demo") is not None  # the demo is not made twice
        other = employer(store)
        store.create_configuration(other, CONTACT, ws_channel())
        assert store.configuration(other).sender > first
    finally:
        store.close()


@pytest.mark.rules("CERT-7", "DELETE-1")
def test_certificate_holder_and_release(store):
    eid, other = employer(store), employer(store)
    channel = ws_channel()
    store.create_configuration(eid, CONTACT, channel)
    assert store.certificate_holder(channel.certificate_sha256) == eid
    assert store.create_configuration(other, CONTACT, channel) == "certificate_in_use"
    assert store.configuration(other) is None
    store.delete_configuration(eid)
    assert store.certificate_holder(channel.certificate_sha256) is None
    assert store.create_configuration(other, CONTACT, channel) == "created"


@pytest.mark.rules("RESULT-3", "DELETE-1")
def test_active_client_certificate(store):
    eid = employer(store)
    channel = ws_channel()
    store.create_configuration(eid, CONTACT, channel)
    client = store.configuration(eid).client_id
    assert store.active_client_certificate(client) == channel.certificate_der
    for unknown in (
        "self_service_expeditor_1",
        "self_service_expeditor_",
        "other_client",
        client + "0",
        client.replace("expeditor_", "expeditor_0"),
    ):
        assert store.active_client_certificate(unknown) is None
    store.delete_configuration(eid)
    assert store.active_client_certificate(client) is None


@pytest.mark.rules("ACCESS-3")
def test_employers_by_number_with_or_without_dots(store):
    created, _ = store.create_employer(name="Dots SA", language="de")
    digits = created.enterprise_number.replace(".", "")
    assert store.employer_by_number(digits).id == created.id
    assert store.employer_by_number(created.enterprise_number).name == "Dots SA"
    assert store.employer_by_number("0000.000.000") is None
    assert store.employer_by_number("12") is None


def test_used_jti_values_are_capped_per_client(store, monkeypatch):
    """One client that sends the cap's worth of assertions is refused more (None) until they
    expire; every other client goes on."""
    monkeypatch.setattr(store_module, "MAX_SEEN_ASSERTIONS", 3)
    now = 1_000_000.0
    assert [store.first_use_of_jti("noisy", f"j{n}", now + 60, now) for n in range(3)] == [True] * 3
    assert store.first_use_of_jti("noisy", "j3", now + 60, now) is None
    assert store.first_use_of_jti("noisy", "j0", now + 60, now) is False  # a replay is still a replay
    assert [store.first_use_of_jti("quiet", f"j{n}", now + 60, now) for n in range(3)] == [True] * 3
    assert store.first_use_of_jti("noisy", "j3", now + 120, now + 61) is True  # the first three expired

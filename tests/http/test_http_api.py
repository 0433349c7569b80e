"""The test-provisioning API (/__test__/...) and --no-test-api."""

from __future__ import annotations

import base64
import http.client
import re
import threading

import pytest

import mockportal
from tests.http.mockkit import Client, company_certificate, der, run_wizard, self_signed, stored

CONTACT = {
    "last_name": "Peeters",
    "first_name": "Marie",
    "title": "title_mrs",
    "function": "Comptable",
    "language_regime": "language_nl",
    "phone": "+32 2 123 45 67",
    "emails": ["marie@example.be"],
}


def mod97_ok(number: str) -> bool:
    digits = number.replace(".", "")
    return int(digits[8:]) == 97 - int(digits[:8]) % 97


@pytest.mark.rules("HOME-1")
def test_new_employer(portal):
    reply = Client(portal.url).api("POST", "/__test__/employers", {})
    assert reply.status == 201 and reply.headers["Content-Type"].startswith("application/json")
    data = reply.json()
    employer = data["employer"]
    number = employer["enterprise_number"]
    assert re.fullmatch(r"0\d{3}\.\d{3}\.\d{3}", number) and mod97_ok(number)
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", employer["creation_date"])
    assert employer["name"] and employer["onss_number"]
    assert set(data["users"]) == {"gl", "cogl", "user"}
    for role, user in data["users"].items():
        assert user["role"] == role and user["username"] and user["password"]


@pytest.mark.rules("HOME-1")
def test_new_employers_are_unique_and_named_as_asked(portal):
    client = Client(portal.url)
    made = [client.new_employer() for _ in range(10)]
    assert len({m["employer"]["enterprise_number"] for m in made}) == 10
    assert len({m["employer"]["onss_number"] for m in made}) == 10
    named = client.new_employer(name="  Brasserie Test SC  ", language="nl")
    assert named["employer"]["name"] == "Brasserie Test SC" and named["employer"]["language"] == "nl"


@pytest.mark.parametrize(
    "body, headers, status",
    [
        (b'{"name": 5}', {"Content-Type": "application/json"}, 400),
        (b'{"language": "en"}', {"Content-Type": "application/json"}, 400),
        (b"[1, 2]", {"Content-Type": "application/json"}, 400),
        (b"{not json", {"Content-Type": "application/json"}, 400),
        (b"{}", {"Content-Type": "text/plain"}, 415),
        (b"name=x", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
        (b"{}", {}, 415),
    ],
)
def test_bad_employer_requests(portal, body, headers, status):
    reply = Client(portal.url).request("POST", "/__test__/employers", body, headers)
    assert reply.status == status and "error" in reply.json()


@pytest.mark.rules("ACCESS-2", "I18N-1")
def test_sessions_sign_in_as_if_by_login(portal):
    client = Client(portal.url)
    made = client.new_employer(language="de")
    reply = client.api("POST", "/__test__/sessions", {"username": made["users"]["cogl"]["username"]})
    assert reply.status == 201
    cookie = reply.json()["cookie"]
    assert cookie["name"] == "mockportal_session" and len(cookie["value"]) >= 32
    browser = Client(portal.url, cookies={cookie["name"]: cookie["value"]})
    home = browser.get("/")
    assert home.status == 200 and '<html lang="de">' in home.text and "Lokaler Mitverwalter" in home.text
    nl = client.api("POST", "/__test__/sessions", {"username": "gl-demo", "language": "nl"}).json()["cookie"]
    assert '<html lang="nl">' in Client(portal.url, cookies={nl["name"]: nl["value"]}).get("/").text


@pytest.mark.parametrize(
    "body, status", [({"username": "nobody"}, 404), ({}, 400), ({"username": "gl-demo", "language": "xx"}, 400)]
)
def test_bad_session_requests(portal, body, status):
    assert Client(portal.url).api("POST", "/__test__/sessions", body).status == status


# -- who may call it ------------------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "10.0.0.1", ""])
def test_the_test_api_answers_only_a_loopback_host(portal, host):
    """A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own
    name as Host: the test API, which signs anyone in, refuses it."""
    reply = Client(portal.url).request(
        "POST", "/__test__/sessions", b'{"username": "gl-demo"}', {"Content-Type": "application/json", "Host": host}
    )
    assert reply.status == 403 and "Host" in reply.json()["error"]
    assert Client(portal.url).request("GET", "/login", headers={"Host": host}).status == 200  # pages are open


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:80", "127.0.0.1", "127.1.2.3:8000", "[::1]:8000"])
def test_the_test_api_answers_a_loopback_host(portal, host):
    reply = Client(portal.url).request(
        "POST", "/__test__/sessions", b'{"username": "gl-demo"}', {"Content-Type": "application/json", "Host": host}
    )
    assert reply.status == 201


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.0.2.1", "portal.example"])
def test_the_test_api_beyond_loopback_needs_a_token(host):
    with pytest.raises(ValueError, match="token"):
        mockportal.start(host=host, port=0)


def test_with_a_token_every_test_api_call_carries_it_whatever_the_host():
    with mockportal.start(host="0.0.0.0", port=0, test_api_token="s3cret-token") as running:
        url = "http://127.0.0.1:" + running.url.rsplit(":", 1)[1]
        for token in (None, "", "wrong", "s3cret-token2"):
            refused = Client(url, test_api_token=token).api("POST", "/__test__/employers", {})
            assert refused.status == 403 and "X-Test-Api-Token" in refused.json()["error"], token
        client = Client(url, test_api_token="s3cret-token")
        assert client.api("POST", "/__test__/employers", {}).status == 201
        reply = client.request(
            "POST",
            "/__test__/sessions",
            b'{"username": "gl-demo"}',
            {"Content-Type": "application/json", "Host": "mock.ci.example", "X-Test-Api-Token": "s3cret-token"},
        )
        assert reply.status == 201
    with mockportal.start(host="0.0.0.0", port=0, test_api=False) as running:  # no test API: no token needed
        assert Client(running.url.replace("0.0.0.0", "127.0.0.1")).get("/ready").status == 200


# -- wrong types ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "change, field",
    [
        ({"contact": {**CONTACT, "emails": 5}}, "contact.emails"),
        ({"contact": {**CONTACT, "emails": [5]}}, "contact.emails"),
        ({"contact": {**CONTACT, "emails": {"a": 1}}}, "contact.emails"),
        ({"contact": {**CONTACT, "last_name": ["Peeters"]}}, "contact.last_name"),
        ({"contact": {**CONTACT, "phone": None}}, "contact.phone"),
        ({"contact": [1]}, "contact"),
        ({"channel": 5}, "channel"),
        ({"channel": ["ws"]}, "channel"),
        ({"certificate": 5}, "certificate"),
        ({"applications": "Publiato"}, "applications"),
        ({"applications": [1, 2]}, "applications"),
        ({"ssh_key": 5}, "ssh_key"),
        ({"ssh_key": {"k": 1}}, "ssh_key"),
    ],
)
def test_a_wrong_json_type_is_a_400_naming_its_field(portal, change, field):
    client = Client(portal.url)
    made = client.new_employer()
    number = made["employer"]["enterprise_number"]
    certificate = base64.b64encode(der(self_signed(made["employer"]["name"]))).decode()
    body = {"contact": CONTACT, "certificate": certificate, **change}
    reply = client.api("POST", f"/__test__/employers/{number}/configuration", body)
    assert reply.status == 400 and reply.headers["Content-Type"].startswith("application/json"), reply.text[:300]
    assert reply.json()["field"] == field and field in reply.json()["error"]
    assert client.get(f"/__test__/employers/{number}/configuration").json() is None


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/__test__/sessions", {"username": 5}, "username"),
        ("/__test__/sessions", {"username": ["gl-demo"]}, "username"),
        ("/__test__/sessions", {"username": "gl-demo", "language": 5}, "language"),
        ("/__test__/sessions", {"username": "gl-demo", "language": ["nl"]}, "language"),
        ("/__test__/employers", {"name": 5}, "name"),
        ("/__test__/employers", {"language": {"fr": 1}}, "language"),
        ("/__test__/defects", {"names": "fax-required"}, "names"),
        ("/__test__/defects", {"names": [5]}, "names"),
    ],
)
def test_other_wrong_json_types_are_a_400_naming_their_field(portal, path, body, field):
    reply = Client(portal.url).api("POST", path, body)
    assert reply.status == 400 and reply.json()["field"] == field and field in reply.json()["error"]


@pytest.mark.rules("CERT-3", "DELETE-1")
def test_stored_configuration(portal):
    client = Client(portal.url)
    made = client.new_employer()
    number = made["employer"]["enterprise_number"]
    assert client.get(f"/__test__/employers/{number}/configuration").json() is None
    assert client.get(f"/__test__/employers/{number.replace('.', '')}/configuration").json() is None
    assert client.get("/__test__/employers/0000.000.000/configuration").status == 404
    client.sign_in(made["users"]["gl"]["username"])
    client.employer = made
    run_wizard(client, company_certificate(client, serial=499))
    reply = client.get(f"/__test__/employers/{number}/configuration")
    data = reply.json()
    assert data["client_id"] == f"self_service_expeditor_{data['sender']}"
    assert data["contact"]["emails"] == ["jan.peeters@example.be"]
    certificate = data["channels"]["ws"]["certificate"]
    assert certificate["serial_hex"] == "01F3" and len(certificate["sha256"]) == 64
    assert data["channels"]["ws"]["connection_type"] == "internet"
    assert "BEGIN" not in reply.text and "MII" not in reply.text  # no key or certificate material


def test_without_test_api_those_paths_are_404():
    with mockportal.start(test_api=False) as running:
        client = Client(running.url)
        assert client.api("POST", "/__test__/employers", {}).status == 404
        assert client.api("POST", "/__test__/sessions", {"username": "gl-demo"}).status == 404
        assert client.get("/__test__/employers/0123.456.749/configuration").status == 404
        assert client.login("gl-demo", "demo").location == "/"  # the demo accounts are there


def test_a_configuration_is_arranged_with_the_wizards_checks(portal):
    client = Client(portal.url)
    made = client.new_employer()
    number = made["employer"]["enterprise_number"]
    certificate = base64.b64encode(der(self_signed(made["employer"]["name"]))).decode()
    path = f"/__test__/employers/{number}/configuration"

    refused = client.api("POST", path, {"contact": {**CONTACT, "phone": "12"}, "certificate": certificate})
    assert refused.status == 400 and "phone" in refused.json()["error"]
    assert client.get(path).json() is None  # nothing stored

    created = client.api("POST", path, {"contact": CONTACT, "certificate": certificate})
    assert created.status == 201, created.text
    answer = created.json()
    assert answer["client_id"] == f"self_service_expeditor_{answer['sender']}"
    stored = client.get(path).json()
    assert stored["sender"] == answer["sender"] and list(stored["channels"]) == ["ws"]
    assert stored["contact"]["title"] == "mrs" and stored["contact"]["emails"] == ["marie@example.be"]

    again = client.api("POST", path, {"contact": CONTACT, "certificate": certificate})
    assert again.status == 409
    unknown = client.api(
        "POST", "/__test__/employers/0000.000.097/configuration", {"contact": CONTACT, "certificate": certificate}
    )
    assert unknown.status == 404
    assert client.api("POST", path, {"contact": CONTACT, "certificate": "%%%"}).status == 400


# -- switching defects -------------------------------------------------------------------------------------
def test_a_defect_switch_is_one_step_for_requests_in_flight():
    """Requests that arrive while the portal starts again are answered by the old portal or by
    the new one, whole: never a 500, never a dropped connection."""
    with mockportal.start() as running:
        host, port = running.url.rsplit("/", 1)[1].split(":")
        stop = threading.Event()
        seen: list[object] = []

        def read_login_pages() -> None:
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            try:
                while not stop.is_set():
                    connection.request("GET", "/login")
                    response = connection.getresponse()
                    response.read()
                    seen.append(response.status)
            except (OSError, http.client.HTTPException) as error:
                seen.append(repr(error))
            finally:
                connection.close()

        readers = [threading.Thread(target=read_login_pages) for _ in range(3)]
        for reader in readers:
            reader.start()
        client = Client(running.url)
        try:
            for names in (["fax-required"], [], ["fax-required"], []) * 5:
                assert client.api("POST", "/__test__/defects", {"names": names}).status == 200
        finally:
            stop.set()
            for reader in readers:
                reader.join(timeout=20)
        assert seen and set(seen) == {200}, [outcome for outcome in seen if outcome != 200][:5]
        assert running.portal.defects == () and running.portal.store.user_by_username("gl-demo")


# -- restarting on the persisted state -----------------------------------------------------------------
FAX = {"fax": "+32 2 123 45 68"}  # "fax-required" is on in some of these portals


def _registered_then_deleted(client: Client) -> int:
    """A configuration of the client's employer registered, then deleted: its sender number."""
    run_wizard(client, company_certificate(client, cn="Before the restart"), contact=FAX)
    sender = stored(client)["sender"]
    assert client.post("/configuration/delete", {"action": "confirm"}, encoding="urlencoded").status == 303
    assert stored(client) is None
    return sender


@pytest.mark.rules("SENDER-1")
@pytest.mark.parametrize("on_file", [False, True], ids=["in memory", "state file"])
def test_a_restart_keeps_the_persisted_state_the_defects_and_the_sessions(tmp_path, on_file):
    state = str(tmp_path / "state.db") if on_file else None
    with mockportal.start(state_path=state, defects=["fax-required"]) as running:
        client = Client(running.url)
        client.employer = client.new_employer()
        client.sign_in(client.employer["users"]["gl"]["username"], "fr")
        retired = _registered_then_deleted(client)
        before = running.portal

        reply = client.api("POST", "/__test__/restart", {})

        assert reply.status == 200, reply.text
        assert reply.json() == {"defects": ["fax-required"], "state": "file" if on_file else "memory"}
        assert running.portal is not before and running.portal.defects == ("fax-required",)
        assert client.get("/").status == 200  # still signed in
        run_wizard(client, company_certificate(client, cn="After the restart"), contact=FAX)
        assert stored(client)["sender"] > retired  # the counter is persisted, not recounted
        assert Client(running.url).login("gl-demo", "demo").location == "/"  # one demo employer, as before


def test_a_restart_forgets_what_the_process_alone_held():
    with mockportal.start() as running:
        client = Client(running.url)
        client.employer = client.new_employer()
        client.sign_in(client.employer["users"]["gl"]["username"], "fr")
        run_wizard(client, company_certificate(client))
        client_id = stored(client)["client_id"]
        running.portal.oauth.tokens.issue(client_id, "scope:demo:consult", 0.0, 3600)
        assert len(running.portal.oauth.tokens) == 1

        assert client.api("POST", "/__test__/restart", {}).status == 200

        assert len(running.portal.oauth.tokens) == 0  # access tokens lived in the process
        assert stored(client)["client_id"] == client_id

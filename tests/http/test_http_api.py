"""The test-provisioning API (/__test__/...) and --no-test-api."""

from __future__ import annotations

import base64
import re

import pytest

import mockportal
from tests.http.mockkit import Client, company_certificate, der, run_wizard, self_signed


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
    "body, status", [({"username": "nobody"}, 404), ({}, 404), ({"username": "gl-demo", "language": "xx"}, 400)]
)
def test_bad_session_requests(portal, body, status):
    assert Client(portal.url).api("POST", "/__test__/sessions", body).status == status


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


CONTACT = {
    "last_name": "Peeters",
    "first_name": "Marie",
    "title": "title_mrs",
    "function": "Comptable",
    "language_regime": "language_nl",
    "phone": "+32 2 123 45 67",
    "emails": ["marie@example.be"],
}


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

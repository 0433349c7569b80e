"""The variant skin's own behaviour over HTTP: a channel page that adds its channel through
"Suivant" and a confirmation page (CHANNEL-6's second form), and buttons that carry their action
in their name (``<input type=submit name="action.next" value="Suivant">``)."""

from __future__ import annotations

import io

import pytest

import mockportal
from contract.words import WORDS, WordKey
from tests.http.mockkit import Client, company_certificate, run_wizard, stored
from tests.http.skinkit import Page, button_name, buttons, fetch, pairs, parse, press


@pytest.fixture(scope="module")
def portal():
    stream = io.StringIO()
    with mockportal.start(skin="variant", log=stream) as running:
        running.log_text = stream.getvalue
        yield running


@pytest.fixture
def manager(portal) -> Client:
    """A gestionnaire local with a Web Service configuration, signed in in Dutch."""
    client = Client(portal.url)
    client.employer = client.new_employer()
    client.sign_in(client.employer["users"]["gl"]["username"], "nl")
    run_wizard(client, company_certificate(client, cn="Web Owner"))
    return client


def w(key: WordKey, language: str = "nl") -> str:
    return WORDS[key][language]


def at_confirmation(client: Client) -> Page:
    """The FTP channel page's entries sent with Volgende: its confirmation page."""
    page = fetch(client, "/channels/ftp")
    reply = press(
        client,
        page,
        w("next"),
        {"applications": ["Publiato", "Chômage temporaire"]},
        {"certificate": ("ftp.cer", company_certificate(client, cn="Ftp Owner"))},
    )
    assert (reply.status, reply.location) == (303, "/channels/ftp/confirmation"), reply.text[:300]
    return fetch(client, "/channels/ftp/confirmation")


@pytest.mark.rules("CHANNEL-6", "CHANNEL-3", "SENDER-1")
def test_next_then_confirm_adds_the_channel_once(manager):
    sender = stored(manager)["sender"]
    confirmation = at_confirmation(manager)
    shown = dict(pairs(confirmation.main))
    assert shown[w("channel")] == w("channel_value_ftp") and shown[w("cert_owner")] == "Ftp Owner"
    assert shown[w("applications_summary")] == ("Publiato", "Chômage temporaire")
    assert "ftp" not in stored(manager)["channels"]  # nothing added before Bevestigen
    token = confirmation.reply.csrf()
    first = manager.post("/channels/ftp/confirmation", {"action.confirm": w("confirm")}, csrf=token)
    again = manager.post("/channels/ftp/confirmation", {"action.confirm": w("confirm")}, csrf=token)
    assert first.location == "/configuration" and again.location == "/channels/ftp"
    configuration = stored(manager)
    assert set(configuration["channels"]) == {"ws", "ftp"} and configuration["sender"] == sender
    overview = fetch(manager, "/configuration")
    assert [s.text for s in overview.root.find_all(role="status")] == [w("channel_added")]


@pytest.mark.rules("CHANNEL-6", "I18N-1", "WIZ-3")
def test_the_confirmation_page_keeps_the_entries_across_languages_and_previous(manager):
    confirmation = at_confirmation(manager)
    # lang.js: a click on "DE" sends the page's form with action=language
    reply = manager.post(
        "/channels/ftp/confirmation", {"action": "language", "lang": "de"}, csrf=confirmation.reply.csrf()
    )
    assert reply.location == "/channels/ftp/confirmation"
    german = fetch(manager, "/channels/ftp/confirmation")
    assert german.html.get("lang") == "de"
    assert dict(pairs(german.main))[w("cert_owner", "de")] == "Ftp Owner"
    assert sorted(button_name(b) for b in buttons(german.main)) == sorted(
        w(k, "de") for k in ("confirm", "previous", "cancel")
    )
    # without JavaScript: the plain link
    assert manager.get("/channels/ftp/confirmation?lang=fr").location == "/channels/ftp/confirmation"
    french = fetch(manager, "/channels/ftp/confirmation")
    assert dict(pairs(french.main))[w("applications_summary", "fr")] == ("Publiato", "Chômage temporaire")

    back = press(manager, french, w("previous", "fr"))
    assert back.location == "/channels/ftp"
    page = fetch(manager, "/channels/ftp")
    assert "Ftp Owner" in page.main.text  # the loaded certificate is named (WIZ-3's promise)
    checked = [box.get("value") for box in page.root.find_all("input", type="checkbox", checked=True)]
    assert checked == ["Publiato", "Chômage temporaire"]
    # on without uploading again
    assert press(manager, page, w("next", "fr")).location == "/channels/ftp/confirmation"


@pytest.mark.rules("CHANNEL-6", "WIZ-4")
def test_cancel_on_the_confirmation_page_adds_nothing_and_forgets_the_entries(manager):
    confirmation = at_confirmation(manager)
    assert press(manager, confirmation, w("cancel")).location == "/configuration"
    assert set(stored(manager)["channels"]) == {"ws"}
    assert manager.get("/channels/ftp/confirmation").location == "/channels/ftp"
    page = fetch(manager, "/channels/ftp")
    assert not page.root.find_all("input", type="checkbox", checked=True) and "Ftp Owner" not in page.main.text


@pytest.mark.rules("CHANNEL-6", "WIZ-5")
def test_the_confirmation_page_needs_complete_entries(manager, portal):
    assert manager.get("/channels/ftp/confirmation").location == "/channels/ftp"
    page = fetch(manager, "/channels/ftp")
    reply = press(manager, page, w("next"), {"applications": ["Publiato"]})  # no certificate
    assert reply.status == 422 and parse(reply).root.find_all(role="alert")
    assert manager.get("/channels/ftp/confirmation").location == "/channels/ftp"
    reply = manager.post("/channels/ftp/confirmation", {"action": "confirm"})
    assert reply.location == "/channels/ftp" and set(stored(manager)["channels"]) == {"ws"}
    assert manager.get("/channels/ws/confirmation").location == "/channels/ws"  # configured already
    with mockportal.start() as default:  # the default skin has no such page
        client = Client(default.url)
        client.login("gl-demo", "demo")
        assert client.get("/channels/ftp/confirmation").status == 404


@pytest.mark.rules("ACCESS-1", "ACCESS-2")
def test_the_confirmation_page_is_for_managers_only(portal, manager):
    user = Client(portal.url)
    user.sign_in(manager.employer["users"]["user"]["username"])
    assert user.get("/channels/ftp/confirmation").status == 403
    assert user.post("/channels/ftp/confirmation", {"action": "confirm"}, csrf="x").status == 403
    assert Client(portal.url).get("/channels/ftp/confirmation").location == "/login"


@pytest.mark.rules("CHANNEL-6")
def test_the_channel_page_goes_on_with_next_not_confirm(manager):
    token = fetch(manager, "/channels/ftp").reply.csrf()
    assert manager.post("/channels/ftp", {"action.confirm": "Bevestigen"}, csrf=token).status == 400
    assert manager.post("/channels/ftp", {"action": "confirm"}, csrf=token).status == 400
    assert "ftp" not in stored(manager)["channels"]


@pytest.mark.rules("WIZ-2", "WIZ-4")
def test_named_buttons_are_read_as_actions(portal):
    client = Client(portal.url)
    client.login("cogl-demo", "demo")
    token = client.get("/wizard/information").csrf()
    assert client.post("/wizard/information", {"action.explode": "X"}, csrf=token).status == 400
    assert client.post("/wizard/information", {"action.": "X"}, csrf=token).status == 400  # a name, no action
    # an explicit action (lang.js's language switch) wins over a button's name
    reply = client.post(
        "/wizard/information", {"action": "language", "lang": "de", "action.next": "Weiter"}, csrf=token
    )
    assert reply.location == "/wizard/information"
    reply = client.post("/wizard/information", {"action.next": "whatever the label"}, csrf=token)
    assert reply.location == "/wizard/contact"
    assert client.post("/wizard/contact", {"action.cancel": "Abbrechen"}, csrf=token).location == "/"
    assert client.get("/wizard").location == "/wizard/information"  # the wizard was discarded


@pytest.mark.rules("ACCESS-1", "ACCESS-2", "CHANNEL-6")
def test_no_500_on_the_confirmation_pages(portal, manager):
    """Odd requests to the variant's own addresses: each answered, none with a 500."""
    paths = [
        "/channels/ws/confirmation",
        "/channels/ftp/confirmation",
        "/channels/sftp/confirmation",
        "/channels/mq/confirmation",
        "/channels/ftp/confirmation?lang=xx",
        "/channels//confirmation",
    ]
    bodies = [b"x=1", b"action=previous", b"action=language&lang=zz", b"action.=1", b"action.confirm=1&action=cancel"]
    for client in (Client(portal.url), manager):
        for path in paths:
            for method in ("GET", "POST", "PUT"):
                for body in bodies:
                    reply = client.request(method, path, body, {"Content-Type": "application/x-www-form-urlencoded"})
                    assert reply.status < 500, (method, path, body, reply.status)
    assert set(stored(manager)["channels"]) == {"ws"}  # no CSRF token: nothing added
    assert "internal error" not in portal.log_text() and "Traceback" not in portal.log_text()

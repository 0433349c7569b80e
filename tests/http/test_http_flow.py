"""The whole flow over HTTP, without a browser: login, wizard, overview, channel pages, deletion."""

from __future__ import annotations

import base64
import re
import threading

import pytest

import mockportal
from tests.http.mockkit import (
    GOOD_CONTACT,
    Client,
    company_certificate,
    dd_values,
    der,
    run_wizard,
    self_signed,
    ssh_public_key,
    stored,
    text_of,
)


def sender_of(client: Client) -> int:
    return int(dd_values(client.get("/configuration").text)["N° expéditeur"])


@pytest.mark.rules(
    "ACCESS-2",
    "HOME-1",
    "HOME-2",
    "WIZ-1",
    "CONFIRM-1",
    "CONFIRM-2",
    "RESULT-1",
    "RESULT-2",
    "RESULT-3",
    "RESULT-4",
    "DELETE-1",
)
def test_happy_path_from_the_login_form(portal):
    client = Client(portal.url)
    assert client.get("/").location == "/login"
    reply = client.login("gl-demo", "demo")
    assert (reply.status, reply.location) == (303, "/")
    home = client.get("/")
    assert "Gestionnaire Local" in home.text and "Il n&#39;y a pas d&#39;expéditeur actif." in home.text
    assert dd_values(home.text)["Date de création"] == "15/03/2004"
    assert 'href="/wizard"' in home.text

    cert = self_signed("Boulangerie Démo SRL", cn="Jan Peeters", serial=499)
    run_wizard(client, der(cert), confirm=False)
    confirmation = client.get("/wizard/confirmation")
    assert 'aria-current="step">Confirmation<' in confirmation.text
    values = dd_values(confirmation.text)
    assert values["Canal"] == "Web Service" and values["Type de connexion"] == "Internet"
    assert values["Propriétaire du certificat"] == "Jan Peeters"
    assert values["Fournisseur du certificat"] == "CN=Jan Peeters, O=Boulangerie Démo SRL, C=BE"
    assert values["Numéro de série (format hexadécimal)"] == "01F3"

    reply = client.post("/wizard/confirmation", {"action": "confirm"})
    assert (reply.status, reply.location) == (303, "/configuration")
    overview = client.get("/configuration")
    assert re.search(r'role="status"[^>]*>Le canal a bien été ajouté.<', overview.text)
    values = dd_values(overview.text)
    sender = values["N° expéditeur"]
    assert re.fullmatch(r"[1-9]\d{0,5}", sender)
    assert values["Client OAUTH"] == f"self_service_expeditor_{sender}"
    assert values["Date d'expiration du certificat"] and values["Nom d'utilisateur"]
    assert "Le canal a bien été ajouté." not in client.get("/configuration").text  # shown once

    home = client.get("/")
    assert "pas d&#39;expéditeur actif" not in home.text and sender in home.text
    for link in (
        "/configuration",
        "/configuration/contact",
        "/channels/sftp",
        "/channels/ws",
        "/channels/ftp",
        "/configuration/delete",
    ):
        assert f'href="{link}"' in home.text
    assert dd_values(client.get("/configuration/contact").text)["Nom"] == "Peeters"

    reply = client.post("/configuration/delete", {"action": "cancel"}, encoding="urlencoded")
    assert reply.location == "/configuration" and client.get("/configuration").status == 200
    reply = client.post("/configuration/delete", {"action": "confirm"}, encoding="urlencoded")
    assert reply.location == "/"
    home = client.get("/")
    assert 'role="status"' in home.text and "Il n&#39;y a pas d&#39;expéditeur actif." in home.text
    assert client.get("/configuration").location == "/"
    assert portal.portal.store.active_client_certificate(f"self_service_expeditor_{sender}") is None

    assert client.quit().location == "/login"
    assert client.get("/").location == "/login"


@pytest.mark.rules("CHANNEL-6", "SENDER-1", "CHANNEL-3", "CHANNEL-4")
def test_channel_pages_add_channels_and_keep_the_sender(gl):
    run_wizard(gl, company_certificate(gl, cn="WS"))
    sender = sender_of(gl)
    ws = gl.get("/channels/ws")
    assert "<h1>Canal Web Service</h1>" in ws.text and dd_values(ws.text)["Client OAUTH"].endswith(str(sender))
    page = gl.get("/channels/sftp")
    assert "<h1>Canal SFTP</h1>" in page.text and 'type="file"' in page.text and "ssh_key" in page.text
    reply = gl.post(
        "/channels/sftp", {"action": "confirm"}, files={"certificate": ("sftp.cer", company_certificate(gl, cn="SFTP"))}
    )
    assert reply.status == 422
    assert 'aria-invalid="true"' in reply.text and "Liste des applications" in text_of(reply)
    # the certificate uploaded with the faulty form is kept: no need to upload it again
    reply = gl.post(
        "/channels/sftp",
        {"action": "confirm", "applications": ["Publiato", "Chômage temporaire"], "ssh_key": ssh_public_key()},
    )
    assert (reply.status, reply.location) == (303, "/configuration"), text_of(reply)
    assert sender_of(gl) == sender
    configuration = stored(gl)
    assert set(configuration["channels"]) == {"ws", "sftp"}
    assert configuration["channels"]["sftp"]["applications"] == ["Publiato", "Chômage temporaire"]
    assert configuration["channels"]["sftp"]["ssh_key"].startswith("ssh-ed25519 SHA256:")
    assert "<h2" in gl.get("/channels/sftp").text and 'type="file"' not in gl.get("/channels/sftp").text
    assert gl.post("/channels/ftp", {"action": "cancel"}).location == "/configuration"


@pytest.mark.rules("CHANNEL-6")
def test_channel_pages_without_configuration_go_home(gl):
    for kind in ("ftp", "sftp", "ws"):
        assert gl.get(f"/channels/{kind}").location == "/"
    assert gl.get("/configuration/delete").location == "/"


@pytest.mark.rules("WIZ-6", "SENDER-1")
def test_confirm_sent_twice_creates_one_configuration(gl):
    run_wizard(gl, company_certificate(gl), confirm=False)
    token = gl.get("/wizard/confirmation").csrf()
    wizard_id = re.search(r'name="wizard" value="([^"]+)"', gl.get("/wizard/confirmation").text).group(1)
    first = gl.post("/wizard/confirmation", {"action": "confirm", "wizard": wizard_id}, csrf=token)
    again = gl.post("/wizard/confirmation", {"action": "confirm", "wizard": wizard_id}, csrf=token)
    assert first.location == again.location == "/configuration"
    assert stored(gl)["sender"] == sender_of(gl)


@pytest.mark.rules("WIZ-6", "SENDER-1")
def test_confirm_from_two_tabs_at_once_creates_one_configuration(portal, employer):
    """The gestionnaire and the co-gestionnaire of one employer, each confirming three times."""
    tabs = []
    for _ in range(2):
        tab = Client(portal.url)
        tab.sign_in(employer["users"]["gl" if not tabs else "cogl"]["username"])
        tab.employer = employer
        run_wizard(tab, company_certificate(tab), confirm=False)
        tabs.append(tab)
    replies = []
    barrier = threading.Barrier(len(tabs) * 3)

    def send(tab):
        barrier.wait()  # all at once: as close to a double click in two tabs as it gets
        replies.append(tab.post("/wizard/confirmation", {"action": "confirm"}, csrf=tab.token))

    for tab in tabs:
        tab.token = tab.get("/wizard/confirmation").csrf()
    threads = [threading.Thread(target=send, args=(tab,)) for tab in tabs for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.location for r in replies] == ["/configuration"] * 6
    assert isinstance(stored(tabs[0])["sender"], int)
    senders = {sender_of(tab) for tab in tabs}
    assert len(senders) == 1


@pytest.mark.rules("WIZ-6")
def test_back_then_resend_after_deletion_creates_nothing(gl):
    run_wizard(gl, company_certificate(gl), confirm=False)
    page = gl.get("/wizard/confirmation")
    token, wizard_id = page.csrf(), re.search(r'name="wizard" value="([^"]+)"', page.text).group(1)
    gl.post("/wizard/confirmation", {"action": "confirm", "wizard": wizard_id}, csrf=token)
    gl.post("/configuration/delete", {"action": "confirm"}, encoding="urlencoded")
    assert stored(gl) is None
    reply = gl.post("/wizard/confirmation", {"action": "confirm", "wizard": wizard_id}, csrf=token)
    assert reply.location == "/configuration"
    assert stored(gl) is None


@pytest.mark.rules("WIZ-3")
def test_previous_keeps_everything_including_the_certificate(gl):
    cert = company_certificate(gl, cn="Marie Dubois")
    run_wizard(gl, cert, confirm=False, contact={"fax": "02 987 65 43", "email_2": "b@example.be"})
    assert gl.post("/wizard/confirmation", {"action": "previous"}).location == "/wizard/channel"
    channel_page = gl.get("/wizard/channel")
    assert "Marie Dubois" in text_of(channel_page)
    assert re.search(r'value="ws" checked', channel_page.text)
    assert gl.post("/wizard/channel", {"action": "previous", "channel": "ws"}).location == "/wizard/contact"
    contact = gl.get("/wizard/contact").text
    assert 'value="02 987 65 43"' in contact and 'value="b@example.be"' in contact
    # on without uploading again
    assert gl.post("/wizard/contact", {**GOOD_CONTACT, "action": "next"}).location == "/wizard/channel"
    assert gl.post("/wizard/channel", {"action": "next", "channel": "ws"}).location == "/wizard/confirmation"
    # and replacing it
    gl.post("/wizard/confirmation", {"action": "previous"})
    other = company_certificate(gl, cn="Replacement")
    gl.post("/wizard/channel", {"action": "next", "channel": "ws"}, files={"certificate": ("new.pem", other)})
    assert dd_values(gl.get("/wizard/confirmation").text)["Propriétaire du certificat"] == "Replacement"


@pytest.mark.rules("WIZ-3")
def test_previous_saves_entries_without_validation(gl):
    gl.post("/wizard/information", {"action": "next"})
    reply = gl.post("/wizard/contact", {"last_name": "Only a name", "email_1": "not-an-address", "action": "previous"})
    assert reply.location == "/wizard/information"
    page = gl.get("/wizard/contact")
    assert 'value="Only a name"' in page.text and 'role="alert"' not in page.text


@pytest.mark.rules("WIZ-4")
@pytest.mark.parametrize("step", ["information", "contact", "channel", "confirmation"])
def test_cancel_at_any_step_discards_the_wizard(gl, step):
    run_wizard(gl, company_certificate(gl), confirm=False)
    reply = gl.post(f"/wizard/{step}", {"action": "cancel"})
    assert reply.location == "/"
    assert stored(gl) is None
    assert gl.get("/wizard/confirmation").location == "/wizard/information"
    assert 'value="Peeters"' not in gl.get("/wizard/contact").text


@pytest.mark.rules("WIZ-5")
def test_steps_cannot_be_skipped(gl):
    assert gl.get("/wizard").location == "/wizard/information"
    for step in ("contact", "channel", "confirmation"):
        assert gl.get(f"/wizard/{step}").location == "/wizard/information"
    gl.post("/wizard/information", {"action": "next"})
    assert gl.get("/wizard/confirmation").location == "/wizard/contact"
    reply = gl.post(
        "/wizard/channel",
        {"action": "next", "channel": "ws"},
        files={"certificate": ("c.cer", company_certificate(gl))},
    )
    assert reply.location == "/wizard/contact"
    reply = gl.post("/wizard/confirmation", {"action": "confirm"})
    assert reply.location == "/wizard/contact" and stored(gl) is None


@pytest.mark.rules("CONTACT-8", "CONTACT-1", "CONTACT-5")
def test_errors_are_listed_marked_and_entries_kept(gl):
    gl.post("/wizard/information", {"action": "next"})
    typed = {
        **GOOD_CONTACT,
        "last_name": "",
        "first_name": "  Jan  ",
        "phone": "abc",
        "email_1": "",
        "email_2": "",
        "fax": "<b>02</b>",
    }
    reply = gl.post("/wizard/contact", {**typed, "action": "next"})
    assert reply.status == 422
    alert = re.search(r'<div role="alert".*?</div>', reply.text, re.S).group(0)
    items = re.findall(r"<li[^>]*>(.*?)</li>", alert, re.S)
    assert len(items) == 4
    for label in ("« Nom »", "« Téléphone »", "« Fax »", "« Adresses e-mail »"):
        assert label in alert
    for field in ("last_name", "phone", "fax", "email_1"):
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', reply.text), field
    assert not re.search(r'id="first_name"[^>]*aria-invalid', reply.text)
    assert 'value="  Jan  "' in reply.text  # kept as typed
    assert 'value="&lt;b&gt;02&lt;/b&gt;"' in reply.text  # and escaped


@pytest.mark.rules("CONTACT-4", "I18N-1")
@pytest.mark.parametrize("language, option", [("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch")])
def test_language_regime_preselected_to_the_interface(portal, employer, language, option):
    client = Client(portal.url)
    client.sign_in(employer["users"]["gl"]["username"], language)
    client.post("/wizard/information", {"action": "next"})
    page = client.get("/wizard/contact").text
    assert re.search(rf'<option value="{language}" selected>{option}</option>', page)
    assert f'<html lang="{language}">' in page


@pytest.mark.rules("I18N-1")
def test_language_link_switches_the_page_in_place(gl):
    gl.post("/wizard/information", {"action": "next"})
    gl.post("/wizard/contact", {**GOOD_CONTACT, "action": "next"})
    reply = gl.get("/wizard/channel?lang=nl")
    assert reply.location == "/wizard/channel"
    page = gl.get("/wizard/channel").text
    assert '<html lang="nl">' in page and "Kanaalgegevens" in page and ">Volgende<" in page
    assert gl.post("/wizard/channel", {"action": "previous"}).location == "/wizard/contact"
    assert 'value="Peeters"' in gl.get("/wizard/contact").text  # sent entries kept
    assert '<html lang="de">' in gl.follow(gl.get("/wizard/contact?lang=de")).text


@pytest.mark.rules("I18N-1")
def test_language_action_keeps_unsent_entries(gl):
    gl.post("/wizard/information", {"action": "next"})
    typed = {**GOOD_CONTACT, "last_name": "Not yet sent", "email_1": "bad address", "language_regime": "fr"}
    reply = gl.post("/wizard/contact", {**typed, "action": "language", "lang": "de"})
    assert reply.location == "/wizard/contact"
    page = gl.get("/wizard/contact").text
    assert '<html lang="de">' in page and 'value="Not yet sent"' in page and 'value="bad address"' in page
    assert 'role="alert"' not in page  # no validation on a language switch
    # the regime shown when the switch was made is an entry too: kept, not re-preselected
    assert '<option value="fr" selected>' in page
    gl.post("/wizard/contact", {**typed, "language_regime": "nl", "action": "language", "lang": "fr"})
    assert '<option value="nl" selected>' in gl.get("/wizard/contact").text


@pytest.mark.rules("I18N-1", "WIZ-3")
def test_language_action_on_the_channel_step_keeps_the_chosen_file(gl):
    gl.post("/wizard/information", {"action": "next"})
    gl.post("/wizard/contact", {**GOOD_CONTACT, "action": "next"})
    reply = gl.post(
        "/wizard/channel",
        {"channel": "ftp", "applications": ["Publiato"], "action": "language", "lang": "nl"},
        files={"certificate": ("c.cer", company_certificate(gl, cn="Kept Owner"))},
    )
    assert reply.location == "/wizard/channel"
    page = gl.get("/wizard/channel").text
    assert "Kept Owner" in page and 'value="ftp" checked' in page and 'value="Publiato" checked' in page


@pytest.mark.rules("I18N-1")
def test_visitors_language_lives_in_a_cookie(portal):
    client = Client(portal.url)
    assert client.get("/login?lang=nl").location == "/login"
    assert '<html lang="nl">' in client.get("/login").text
    client.post("/login", {"username": "gl-demo", "password": "demo"}, encoding="urlencoded")
    assert '<html lang="nl">' in client.get("/").text  # kept at login
    client.get("/?lang=de")
    client.quit()
    assert '<html lang="de">' in client.get("/login").text  # and after Quit


@pytest.mark.rules("CERT-7", "DELETE-1")
def test_a_certificate_of_another_configured_sender(portal):
    shared_name = "Shared Name SA"
    first, second = Client(portal.url), Client(portal.url)
    for client in (first, second):
        client.employer = client.new_employer(name=shared_name)
        client.sign_in(client.employer["users"]["gl"]["username"])
    cert = der(self_signed(shared_name, cn="Shared"))
    run_wizard(first, cert)
    second.post("/wizard/information", {"action": "next"})
    second.post("/wizard/contact", {**GOOD_CONTACT, "action": "next"})
    reply = second.post("/wizard/channel", {"action": "next", "channel": "ws"}, files={"certificate": ("c.cer", cert)})
    assert reply.status == 422 and "autre expéditeur" in text_of(reply)
    first.post("/configuration/delete", {"action": "confirm"}, encoding="urlencoded")
    reply = second.post("/wizard/channel", {"action": "next", "channel": "ws"}, files={"certificate": ("c.cer", cert)})
    assert reply.location == "/wizard/confirmation"


@pytest.mark.rules("SENDER-1")
def test_sender_numbers_are_never_reused_after_deletion(gl):
    seen = set()
    for i in range(3):
        run_wizard(gl, company_certificate(gl, cn=f"Round {i}"))
        seen.add(sender_of(gl))
        gl.post("/configuration/delete", {"action": "confirm"}, encoding="urlencoded")
    assert len(seen) == 3


@pytest.mark.rules("SENDER-1")
def test_sender_numbers_stay_retired_across_a_restart(tmp_path):
    state = str(tmp_path / "portal.sqlite")
    with mockportal.start(state_path=state) as running:
        client = Client(running.url)
        client.employer = client.new_employer()
        client.sign_in(client.employer["users"]["gl"]["username"])
        run_wizard(client, company_certificate(client))
        first = sender_of(client)
        client.post("/configuration/delete", {"action": "confirm"}, encoding="urlencoded")
    with mockportal.start(state_path=state) as running:
        client = Client(running.url)
        assert client.login("gl-demo", "demo").location == "/"
        run_wizard(client, der(self_signed("Boulangerie Démo SRL")))
        assert sender_of(client) > first


@pytest.mark.rules("WIZ-2", "WIZ-1")
@pytest.mark.parametrize(
    "language, phrase, cancel, next_",
    [
        ("fr", "SFTP, FTP et MQLink", "Annuler", "Suivant"),
        ("nl", "SFTP, FTP en MQLink", "Annuleren", "Volgende"),
        ("de", "SFTP, FTP und MQLink", "Abbrechen", "Weiter"),
    ],
)
def test_information_step(portal, employer, language, phrase, cancel, next_):
    client = Client(portal.url)
    client.sign_in(employer["users"]["gl"]["username"], language)
    page = client.get("/wizard/information").text
    assert phrase in page
    assert len(re.findall(r"<p>", page)) >= 3
    buttons = re.findall(r'<button type="submit" name="action" value="(\w+)"[^>]*>([^<]*)</button>', page)
    assert [(v, t) for v, t in buttons if t] == [("cancel", cancel), ("next", next_)]
    steps = re.search(r"<ol[^>]*>(.*?)</ol>", page, re.S).group(1)
    assert re.findall(r"<li[^>]*>(.*?)</li>", steps)[0] in ("Information", "Informatie")
    assert 'aria-current="step">' in steps.split("</li>")[0]


@pytest.mark.rules("CERT-6")
def test_trusted_authorities_come_from_trust_files(tmp_path):
    from tests.http.mockkit import authority, name

    ca = authority("Portal Test CA")
    (tmp_path / "ca.pem").write_bytes(ca.pem())
    leaf = der(ca.issue(name(cn="Issued Person", o="Any Other Company NV", c="BE")))
    for trust, expected in (([str(tmp_path / "ca.pem")], 303), ([], 422)):
        with mockportal.start(trust_paths=trust) as running:
            client = Client(running.url)
            client.login("gl-demo", "demo")
            client.post("/wizard/information", {"action": "next"})
            client.post("/wizard/contact", {**GOOD_CONTACT, "action": "next"})
            reply = client.post(
                "/wizard/channel", {"action": "next", "channel": "ws"}, files={"certificate": ("issued.crt", leaf)}
            )
            assert reply.status == expected, text_of(reply)


@pytest.mark.rules("CHANNEL-3", "CHANNEL-5")
def test_an_application_ticked_twice_is_kept_once(gl):
    twice = ["Publiato", "Chômage temporaire", "Publiato"]
    run_wizard(gl, company_certificate(gl, cn="FTP"), channel="ftp", confirm=False, extra={"applications": twice})
    page = gl.get("/wizard/confirmation")
    assert page.text.count("Publiato") == 1, text_of(page)
    assert gl.post("/wizard/confirmation", {"action": "confirm"}).location == "/configuration"
    assert stored(gl)["channels"]["ftp"]["applications"] == ["Publiato", "Chômage temporaire"]


def test_an_application_given_twice_to_the_test_api_is_stored_once(portal):
    client = Client(portal.url)
    made = client.new_employer()
    number = made["employer"]["enterprise_number"]
    certificate = base64.b64encode(der(self_signed(made["employer"]["name"]))).decode()
    contact = {**{k: v for k, v in GOOD_CONTACT.items() if not k.startswith("email")}, "emails": ["a@example.be"]}
    body = {"contact": contact, "channel": "ftp", "certificate": certificate, "applications": ["Publiato"] * 3}
    assert client.api("POST", f"/__test__/employers/{number}/configuration", body).status == 201
    configuration = client.get(f"/__test__/employers/{number}/configuration").json()
    assert configuration["channels"]["ftp"]["applications"] == ["Publiato"]

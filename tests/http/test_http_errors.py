"""Bad input over HTTP: every one answered with a clear 4xx page in the user's language, never a 500."""

from __future__ import annotations

import re
import socket
import urllib.parse

import pytest
from cryptography.hazmat.primitives import serialization

import mockportal
from tests.http.mockkit import (
    GOOD_CONTACT,
    Client,
    multipart,
    pem,
    pkcs12,
    private_key_pem,
    rsa_key,
    self_signed,
    stored,
    text_of,
)


def h1(reply) -> str:
    found = re.search(r"<h1>(.*?)</h1>", reply.text, re.S)
    assert found is not None, "no <h1> on the page"
    return found.group(1)


def at_channel_step(client: Client) -> str:
    client.post("/wizard/information", {"action": "next"})
    client.post("/wizard/contact", {**GOOD_CONTACT, "action": "next"})
    return client.get("/wizard/channel").csrf()


@pytest.mark.rules("ACCESS-2")
def test_unknown_path_404_in_the_users_language(portal, employer):
    client = Client(portal.url)
    reply = client.get("/no/such/page")
    assert reply.status == 404 and h1(reply) == "Page introuvable" and "text/html" in reply.headers["Content-Type"]
    assert ">Quit<" not in reply.text  # signed out: no Home/Quit part
    client.sign_in(employer["users"]["gl"]["username"], "nl")
    reply = client.get("/no/such/page")
    assert reply.status == 404 and h1(reply) == "Pagina niet gevonden" and ">Quit<" in reply.text
    assert client.get("/more/nothing").status == 404
    assert client.get("/static/nothing.js").status == 404
    assert client.get("/static/..").status == 404


@pytest.mark.rules("ACCESS-2")
@pytest.mark.parametrize(
    "method, path, allow",
    [
        ("POST", "/", "GET, HEAD"),
        ("PUT", "/wizard/contact", "GET, POST, HEAD"),
        ("DELETE", "/configuration", "GET, HEAD"),
        ("PUT", "/quit", "GET, POST, HEAD"),
        ("GET", "/__test__/employers", "POST"),
        ("PATCH", "/login", "GET, POST, HEAD"),
    ],
)
def test_wrong_method_405_with_allow(gl, method, path, allow):
    reply = gl.request(method, path, b"", {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 405
    assert reply.headers["Allow"] == allow
    assert h1(reply) == "Méthode non autorisée"


@pytest.mark.rules("WIZ-4")
def test_head_is_get_without_a_body(gl):
    reply = gl.request("HEAD", "/")
    assert reply.status == 200 and reply.body == b"" and int(reply.headers["Content-Length"]) > 0


@pytest.mark.rules("ACCESS-3")
@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_missing_or_wrong_csrf_403(gl, token):
    gl.get("/wizard/information")
    reply = gl.post("/wizard/information", {"action": "next"}, csrf=token or False)
    assert reply.status == 403 and h1(reply) == "Formulaire expiré"
    assert gl.get("/wizard/contact").location == "/wizard/information"  # nothing happened


@pytest.mark.rules("ACCESS-3")
def test_another_sessions_token_is_wrong(portal, gl):
    other = Client(portal.url)
    other.login("gl-demo", "demo")
    foreign = other.get("/wizard/information").csrf()
    assert gl.post("/wizard/information", {"action": "next"}, csrf=foreign).status == 403


@pytest.mark.rules("ACCESS-2")
def test_login_needs_the_csrf_token_of_the_visitor_session(portal):
    client = Client(portal.url)
    reply = client.post("/login", {"username": "gl-demo", "password": "demo"}, csrf=False, encoding="urlencoded")
    assert reply.status == 403
    client.get("/login")
    reply = client.post("/login", {"username": "gl-demo", "password": "demo"}, csrf="nope", encoding="urlencoded")
    assert reply.status == 403


@pytest.mark.rules("ACCESS-2")
def test_wrong_credentials_give_an_error_summary_without_a_hint(portal):
    client = Client(portal.url)
    for username, password in (("gl-demo", "wrong"), ("nobody", "demo")):
        client.get("/login")
        reply = client.post("/login", {"username": username, "password": password}, encoding="urlencoded")
        assert reply.status == 422 and 'role="alert"' in reply.text
        assert "Nom d&#39;utilisateur ou mot de passe incorrect." in reply.text


@pytest.mark.rules("CERT-2")
def test_body_over_two_mib_413(gl):
    token = at_channel_step(gl)
    body, content_type = multipart(
        {"csrf_token": token, "action": "next", "channel": "ws"},
        {"certificate": ("big.cer", b"\x00" * (2 * 1024 * 1024 + 1))},
    )
    reply = gl.request("POST", "/wizard/channel", body, {"Content-Type": content_type})
    assert reply.status == 413 and h1(reply) == "Envoi trop volumineux"


@pytest.mark.rules("CERT-2")
def test_a_65_kib_certificate_reaches_cert_2(gl):
    at_channel_step(gl)
    data = pem(self_signed(gl.employer["employer"]["name"]))
    data += b"\n" * (65 * 1024 - len(data))
    reply = gl.post("/wizard/channel", {"action": "next", "channel": "ws"}, files={"certificate": ("big.cer", data)})
    assert reply.status == 422 and "dépasse 64 Ko" in reply.text
    assert re.search(r'id="certificate"[^>]*aria-invalid="true"', reply.text)


@pytest.mark.rules("CERT-2")
@pytest.mark.parametrize(
    "content_type, body",
    [
        ("multipart/form-data", b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'),
        ("multipart/form-data; boundary=x", b"no boundary here at all"),
        ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'),
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: attachment\r\n\r\n1\r\n--x--\r\n"),
        ("multipart/form-data; boundary=x", b"--x\r\n\r\nno headers\r\n--x--\r\n"),
    ],
)
def test_malformed_multipart_400(gl, content_type, body):
    gl.get("/wizard/information")
    reply = gl.request("POST", "/wizard/information", body, {"Content-Type": content_type})
    assert reply.status == 400 and h1(reply) == "Requête incorrecte"


@pytest.mark.rules("CONTACT-8")
def test_non_utf8_forms_400(gl):
    token = gl.get("/wizard/information").csrf()
    raw = b"csrf_token=" + token.encode() + b"&action=next&x=\xff\xfe"
    reply = gl.request("POST", "/wizard/information", raw, {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 400
    encoded = f"csrf_token={token}&action=next&x=%FF%FE".encode()
    reply = gl.request("POST", "/wizard/information", encoded, {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 400
    body, content_type = multipart({"csrf_token": token, "action": "next"})
    body = body.replace(b'name="action"\r\n\r\nnext', b'name="action"\r\n\r\nn\xe9xt')
    reply = gl.request("POST", "/wizard/information", body, {"Content-Type": content_type})
    assert reply.status == 400


@pytest.mark.rules("CONTACT-8")
def test_other_content_types_415_and_unknown_actions_400(gl):
    token = gl.get("/wizard/information").csrf()
    reply = gl.request("POST", "/wizard/information", b'{"action": "next"}', {"Content-Type": "application/json"})
    assert reply.status == 415
    assert gl.post("/wizard/information", {"action": "explode"}).status == 400
    assert gl.post("/wizard/information", {}).status == 400
    assert gl.post("/configuration/delete", {"action": "confirm"}, csrf=token).location == "/"  # nothing there


@pytest.mark.rules("CERT-3")
@pytest.mark.parametrize(
    "upload",
    [
        lambda: private_key_pem("pkcs8"),
        lambda: private_key_pem("encrypted"),
        lambda: private_key_pem("openssh"),
        lambda: pkcs12(self_signed("X")),
    ],
)
def test_private_key_upload_refused_not_stored_not_logged(portal, gl, upload):
    data = upload()
    at_channel_step(gl)
    reply = gl.post("/wizard/channel", {"action": "next", "channel": "ws"}, files={"certificate": ("id.p12", data)})
    assert reply.status == 422
    assert "Ne chargez jamais une clé privée" in reply.text
    assert gl.get("/wizard/confirmation").location == "/wizard/channel"
    assert stored(gl) is None
    log = portal.log_text()
    for chunk in (data[:40], data[-40:], data[100:140]):
        assert chunk.decode("latin-1") not in log
    assert "PRIVATE KEY" not in log and gl.cookies["mockportal_session"] not in log


# CERT-3: contract §4 gives the words the message contains, compared with case aside.
PRIVATE_KEY_WORDS = {"fr": "clé privée", "nl": "private sleutel", "de": "privaten schlüssel"}
KEY_FILES = {
    "PEM key": lambda: private_key_pem("pkcs8"),
    "PEM traditional RSA key": lambda: private_key_pem("rsa"),
    "certificate + key": lambda: pem(self_signed("X")) + private_key_pem("pkcs8"),
    "PKCS#12": lambda: pkcs12(self_signed("X")),
    "PKCS#12 without password": lambda: pkcs12(self_signed("X"), password=None),
    "DER key": lambda: rsa_key().private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ),
}


def error_summary(reply) -> str:
    """The text of the page's error summary (``role="alert"``), lower case."""
    found = re.search(r'<div role="alert"[^>]*>(.*?)</div>', reply.text, re.S)
    assert found, "no error summary"
    return text_of(type(reply)(reply.status, reply.headers, found.group(1).encode())).lower()


@pytest.mark.rules("CERT-3")
@pytest.mark.parametrize("language", sorted(PRIVATE_KEY_WORDS))
def test_private_key_refusal_says_private_key_in_each_language(portal, employer, language):
    client = Client(portal.url)
    client.employer = employer
    client.sign_in(employer["users"]["gl"]["username"], language)
    at_channel_step(client)
    for kind, make in KEY_FILES.items():
        reply = client.post(
            "/wizard/channel", {"action": "next", "channel": "ws"}, files={"certificate": ("upload.cer", make())}
        )
        assert reply.status == 422, kind
        assert PRIVATE_KEY_WORDS[language] in error_summary(reply), (kind, error_summary(reply))
    assert stored(client) is None and client.get("/wizard/confirmation").location == "/wizard/channel"


@pytest.mark.rules("CERT-3")
def test_pkcs12_generic_message_defect_hides_the_words_for_pfx_only():
    with mockportal.start(defects=["pkcs12-generic-message"]) as running:
        client = Client(running.url)
        client.employer = client.new_employer()
        client.sign_in(client.employer["users"]["gl"]["username"], "fr")
        at_channel_step(client)
        for kind, make in KEY_FILES.items():
            reply = client.post(
                "/wizard/channel", {"action": "next", "channel": "ws"}, files={"certificate": ("upload.pfx", make())}
            )
            assert reply.status == 422, kind  # still refused
            said = PRIVATE_KEY_WORDS["fr"] in error_summary(reply)
            assert said is not kind.startswith("PKCS#12"), (kind, error_summary(reply))
        assert stored(client) is None


def test_bad_request_line_gives_a_page_not_a_traceback(portal):
    url = urllib.parse.urlsplit(portal.url)
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(b"GARBAGE\r\n\r\n")  # an HTTP/0.9-style line: still an HTTP/1.1 answer
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 400 ") and b"Traceback" not in answer
    assert "<h1>Requête incorrecte</h1>".encode() in answer
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n")
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 431") and b"Traceback" not in answer
    assert b"X-Frame-Options: DENY" in answer


def test_chunked_bodies_411_and_bad_lengths_400(portal):
    url = urllib.parse.urlsplit(portal.url)
    for request, status in (
        (b"POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", b"411"),
        (b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", b"400"),
        (b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n", b"400"),
    ):
        with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
            sock.sendall(request)
            answer = sock.recv(65536)
        assert answer.split(b" ", 2)[1] == status, answer[:200]


@pytest.mark.rules("ACCESS-1", "ACCESS-2", "ACCESS-3")
def test_no_500_anywhere(portal, gl):
    """A sweep of odd requests: each answered, none with a 500."""
    odd_paths = [
        "/",
        "/login",
        "/quit",
        "/wizard",
        "/wizard/information",
        "/wizard/unknown",
        "/configuration",
        "/configuration/contact",
        "/configuration/delete",
        "/channels",
        "/channels/ws",
        "/channels/mq",
        "/static/portal.css",
        "/static/lang.js",
        "/more/help",
        "/%00",
        "/%ff%fe",
        "/..%2f..%2fetc/passwd",
        "/wizard/contact?lang=xx",
        "/?lang=",
        "/?lang=nl&lang=de",
        "/__test__/employers/%00/configuration",
        "/__test__/employers/0000.000.000/configuration",
        "//",
        "/login?next=http://evil",
    ]
    visitor = Client(portal.url)
    for client in (visitor, gl):
        for path in odd_paths:
            for method in ("GET", "POST", "PUT", "OPTIONS"):
                reply = client.request(method, path, b"x=1", {"Content-Type": "application/x-www-form-urlencoded"})
                assert reply.status < 500, (method, path, reply.status)
    assert "Traceback" not in portal.log_text()
    cookie_only = Client(portal.url, cookies={"mockportal_session": "forged", "mockportal_lang": "<script>"})
    assert cookie_only.get("/login").status == 200

"""Hostile clients: the token endpoint, bursts of connections, slow, stalled and vanishing
clients, short bodies, Content-Length, many parts, control characters, malformed request lines
and headers, session caps. Each is answered with a clear 4xx, never a 500, never a traceback,
never "first one wins". Requests are written by hand on raw sockets (``rawhttp``)."""

from __future__ import annotations

import base64
import json
import logging
import re
import socket
import threading
import urllib.parse

import pytest

import mockportal
import mockportal.server as server
import mockportal.sessions as sessions
import mockportal.web as web
from tests.http.mockkit import GOOD_CONTACT, Client, stored, text_of
from tests.http.rawhttp import address, exchange, read_answers, reset

TOKEN_PATH = "/REST/oauth/v5/token"
SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")


class LogWatch(logging.Handler):
    """Set once the portal logs a line matching ``pattern`` (the server logs from its own thread)."""

    def __init__(self, pattern: str):
        super().__init__()
        self.pattern, self.seen = re.compile(pattern), threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.pattern.search(record.getMessage()):
            self.seen.set()


def visitor(portal) -> tuple[str, str]:
    """A visitor's session cookie and the login form's CSRF token."""
    client = Client(portal.url)
    token = client.get("/login").csrf()
    return client.cookies["mockportal_session"], token


# -- 1. the token endpoint ---------------------------------------------------------------------------
def _unsigned(header: dict, claims: dict) -> str:
    part = lambda data: base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part(header)}.{part(claims)}.c2ln"


@pytest.mark.rules("OAUTH-4")
@pytest.mark.parametrize("digits", [20, 5000])
def test_a_client_id_with_a_huge_number_is_an_unknown_client(portal, digits):
    client_id = "self_service_expeditor_" + "7" * digits
    body = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": _unsigned({"alg": "RS256"}, {"sub": client_id, "iss": client_id}),
        }
    ).encode()
    reply = Client(portal.url).request("POST", TOKEN_PATH, body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 401 and reply.json()["error"] == "invalid_client"
    assert "Traceback" not in portal.log_text()


# -- 2. a burst of connections -------------------------------------------------------------------
def test_a_burst_of_64_connections_is_served_without_a_reset(portal):
    host, port = address(portal.url)
    count = 64
    barrier = threading.Barrier(count)
    outcomes: list[object] = []

    def one() -> None:
        barrier.wait()
        try:
            with socket.create_connection((host, port), timeout=20) as sock:
                sock.sendall(b"GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                outcomes.append([answer.status for answer in read_answers(sock)])
        except OSError as error:
            outcomes.append(repr(error))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [[200]] * count


def test_with_every_connection_slot_taken_the_oldest_idle_connection_makes_room(monkeypatch):
    """Idle connections (kept alive, or opened and silent) cannot lock a new client out until
    they time out: the oldest idle one is closed for it, as production servers do."""
    monkeypatch.setattr(server, "MAX_CONNECTIONS", 4)
    # A connection counts as idle once its thread waits for the next request, a moment after the
    # client has its answer: on a busy machine that moment can come after the next connection's.
    # Each step waits for it, so "oldest" means the same to the test and to the server.
    waiting, idle_now = threading.Condition(), server.PortalServer.idle

    def idle_seen(self, connection, is_waiting):
        idle_now(self, connection, is_waiting)
        with waiting:
            waiting.notify_all()

    monkeypatch.setattr(server.PortalServer, "idle", idle_seen)
    with mockportal.start() as running:
        host, port = address(running.url)

        def wait_idle(count: int) -> None:
            with waiting:
                assert waiting.wait_for(lambda: len(running.server._idle) == count, timeout=10), count

        idle = []
        for count in range(1, 4):  # kept alive after one request each, oldest first
            sock = socket.create_connection((host, port), timeout=10)
            sock.sendall(b"GET /ready HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
            idle.append(sock)
            wait_idle(count)
        idle.append(socket.create_connection((host, port), timeout=10))  # opened, silent
        wait_idle(4)
        try:
            with socket.create_connection((host, port), timeout=3) as newcomer:
                newcomer.sendall(b"GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                assert [answer.status for answer in read_answers(newcomer)] == [200]
            assert idle[0].recv(100) == b""  # the oldest went
            idle[2].sendall(b"GET /ready HTTP/1.1\r\nHost: x\r\n\r\n")  # a newer one still works
            assert idle[2].recv(65536).startswith(b"HTTP/1.1 200 ")
        finally:
            for sock in idle:
                sock.close()


# -- 3. slow, stalled and vanishing clients ----------------------------------------------------------------
@pytest.fixture
def short_deadline(monkeypatch):
    monkeypatch.setattr(server.PortalRequestHandler, "request_timeout", 1.0)


def test_a_stalled_body_gets_408_and_no_traceback(portal, short_deadline):
    with socket.create_connection(address(portal.url), timeout=10) as sock:
        sock.sendall(
            b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 100\r\n\r\nusername=gl-demo"
        )  # ... and nothing more
        answers = read_answers(sock)
    assert [answer.status for answer in answers] == [408]
    assert answers[0].header("Connection") == "close"
    assert "Traceback" not in portal.log_text() and " 500" not in portal.log_text()


def test_the_deadline_covers_the_whole_request_not_each_read(portal, short_deadline):
    """One header line every 0.25 s: each read is quick, the request never ends. The server
    answers 408 and closes while the client is still trickling."""
    with socket.create_connection(address(portal.url), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        closed_while_sending = False
        for number in range(40):  # 10 s of trickling if nobody stops it
            # The pause between two header lines is a wait for the server's answer: an answer
            # (or a close) ends the trickle, a quiet quarter second sends the next line.
            sock.settimeout(0.25)
            try:
                early = sock.recv(65536, socket.MSG_PEEK)
            except TimeoutError:
                early = None
            sock.settimeout(10)
            if early is not None:
                closed_while_sending = True
                break
            try:
                sock.sendall(b"X-Trickle-%d: 1\r\n" % number)
            except OSError:
                closed_while_sending = True
                break
        answers = read_answers(sock)
    assert closed_while_sending
    assert [answer.status for answer in answers] == [408]


def test_a_client_that_resets_mid_upload_is_no_server_error(portal):
    watch = LogWatch(r"POST /wizard/channel: the client went away")
    portal.portal.log.addHandler(watch)
    try:
        sock = socket.create_connection(address(portal.url), timeout=10)
        sock.sendall(
            b"POST /wizard/channel HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: 900000\r\n\r\n--b\r\n" + b"x" * 20000
        )
        reset(sock)
        assert watch.seen.wait(timeout=5), portal.log_text()
    finally:
        portal.portal.log.removeHandler(watch)
    log = portal.log_text()
    assert "Traceback" not in log and "internal error" not in log and "POST /wizard/channel 500" not in log


# -- 4. a body shorter than its length ------------------------------------------------------------------------
def test_a_short_body_then_a_half_close_is_never_processed(portal):
    cookie, token = visitor(portal)
    form = urllib.parse.urlencode({"csrf_token": token, "username": "gl-demo", "password": "demo"}).encode()
    raw = (
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Cookie: mockportal_session=" + cookie.encode() + b"\r\n"
        b"Content-Length: %d\r\n\r\n" % (len(form) + 415)
    ) + form
    answers = exchange(portal.url, raw, half_close=True)
    assert [answer.status for answer in answers] == [400]
    assert answers[0].header("Set-Cookie") is None  # nobody signed in
    assert Client(portal.url, cookies={"mockportal_session": cookie}).get("/").location == "/login"


# -- 5. Content-Length ---------------------------------------------------------------------------------------------
def test_two_content_lengths_are_400_and_the_rest_is_never_a_second_request(portal):
    smuggled = b"GET /__test__/log HTTP/1.1\r\nHost: x\r\n\r\n"
    raw = (
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 0\r\nContent-Length: %d\r\n\r\n" % len(smuggled)
    ) + smuggled
    answers = exchange(portal.url, raw)
    assert [answer.status for answer in answers] == [400]
    assert answers[0].header("Connection") == "close"


@pytest.mark.parametrize("value", [b"+5", b"1_0", b"-0", b"1 0", b"0x10", b"5,5", b"\xd9\xa1", b"", b"1e3"])
def test_a_length_that_is_not_ascii_digits_is_400(portal, value):
    raw = b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: " + value + b"\r\n\r\nusername=a"
    assert [answer.status for answer in exchange(portal.url, raw)] == [400]


def test_spaces_around_a_length_are_the_fields_own_and_not_part_of_it(portal):
    """RFC 9110 §5.5: optional whitespace around a field value is not part of it."""
    raw = b"POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: \t 3 \r\nConnection: close\r\n\r\nabc"
    assert [answer.status for answer in exchange(portal.url, raw)] == [404]


@pytest.mark.parametrize(
    "headers, status",
    [
        (b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400),
        (b"Content-Length: 5\r\nTransfer-Encoding: gzip\r\n", 400),
        (b"Transfer-Encoding: gzip, chunked\r\n", 411),
    ],
)
def test_a_transfer_encoding_is_refused(portal, headers, status):
    raw = b"POST /login HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n0\r\n\r\n"
    assert [answer.status for answer in exchange(portal.url, raw)] == [status]


# -- 6. many parts -------------------------------------------------------------------------------------------------
def test_a_body_of_19500_parts_is_refused_before_any_part_is_read(portal, gl, monkeypatch):
    token = gl.get("/wizard/information").csrf()
    parts = b"".join(b'--b\r\nContent-Disposition: form-data; name="f%d"\r\n\r\n1\r\n' % i for i in range(19500))
    body = (
        b'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        + token.encode()
        + b"\r\n"
        + parts
        + b"--b--\r\n"
    )
    assert len(body) < 2 * 1024 * 1024
    seen: list[bytes] = []
    original = web._add_part
    monkeypatch.setattr(web, "_add_part", lambda form, part: (seen.append(part), original(form, part)))
    reply = gl.request("POST", "/wizard/information", body, {"Content-Type": "multipart/form-data; boundary=b"})
    assert reply.status == 400 and "Requête incorrecte" in reply.text
    assert seen == []
    # a form of ordinary size still goes through, part by part
    reply = gl.post("/wizard/information", {"action": "next"})
    assert reply.status == 303 and seen


# -- 7. control characters -------------------------------------------------------------------------------------------
FIELDS_WITH_CONTROLS = {
    "last_name": "Pee\x00ters",
    "first_name": "J\x1b[31man",
    "function": "Chef \u202eTI",
    "email_1": "jan\x00x@example.be",
}


@pytest.mark.rules("CONTACT-8")
def test_control_and_bidi_characters_are_refused_and_never_raw_in_the_page(gl):
    gl.post("/wizard/information", {"action": "next"})
    reply = gl.post("/wizard/contact", {**GOOD_CONTACT, **FIELDS_WITH_CONTROLS, "action": "next"})
    assert reply.status == 422
    for field in FIELDS_WITH_CONTROLS:
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', reply.text), field
    assert text_of(reply).count("caractère non permis") == len(FIELDS_WITH_CONTROLS)
    assert "\x00" not in reply.text and "\x1b" not in reply.text
    assert "&#27;[31man" in reply.text  # the entry is shown back, its control character visible
    assert gl.get("/wizard/channel").location == "/wizard/contact"  # nothing went further
    assert stored(gl) is None


@pytest.mark.rules("CONTACT-7")
def test_ordinary_unicode_is_still_welcome(gl):
    gl.post("/wizard/information", {"action": "next"})
    reply = gl.post(
        "/wizard/contact",
        {**GOOD_CONTACT, "last_name": "Dupont\u200dÉlodie 日本 👩‍💻", "first_name": "Zoë", "action": "next"},
    )
    assert reply.status == 303 and reply.location == "/wizard/channel"


# -- 8. malformed request lines ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        b"GARBAGE",
        b"GET / HTTP/2.0",
        b"GET / HTTP/0.9",
        b"GET /",
        b"GET  / HTTP/1.1",
        b"GET / HTTP/1.1 extra",
        b"GET /\x00 HTTP/1.1",
        b"GET relative HTTP/1.1",
        b"G\xc3\x89T / HTTP/1.1",
        b"GET /caf\xc3\xa9 HTTP/1.1",
        b"\x16\x03\x01\x02\x00",
    ],
)
def test_a_malformed_request_line_gets_an_http11_400_with_the_security_headers(portal, line):
    answers = exchange(portal.url, line + b"\r\nHost: x\r\n\r\n")
    assert [answer.status for answer in answers] == [400]
    for name in SECURITY_HEADERS:
        assert answers[0].header(name), name
    assert answers[0].header("Connection") == "close"
    assert "<h1>Requête incorrecte</h1>".encode() in answers[0].body


@pytest.mark.parametrize(
    "headers",
    [
        b"Content-Length : 0\r\n",
        b"X-A: 1\r\n folded\r\n",
        b"X-A: a\x00b\r\n",
        b"Host: y\r\n",
        b"NoColon\r\n",
        b"X A: 1\r\n",
    ],
)
def test_a_malformed_header_block_is_400(portal, headers):
    answers = exchange(portal.url, b"GET /login HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    assert [answer.status for answer in answers] == [400]


def test_an_http11_request_needs_a_host_and_an_http10_one_may_keep_its_connection(portal):
    assert [a.status for a in exchange(portal.url, b"GET /login HTTP/1.1\r\n\r\n")] == [400]
    answers = exchange(portal.url, b"GET /ready HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /ready HTTP/1.0\r\n\r\n")
    assert [answer.status for answer in answers] == [200, 200]
    # HTTP/1.0 closes by default: a connection kept open says so (RFC 9112 §9.3), the last one closes.
    assert [answer.header("Connection") for answer in answers] == ["keep-alive", "close"]


@pytest.mark.parametrize("host", [b"a b", b"a\tb", b"a/b", b"a@b", b"a:b:c", b"[::1", b"x:80x"])
def test_a_host_that_is_no_host_is_400(portal, host):
    """RFC 9112 §3.2: a Host field with an invalid value is 400."""
    answers = exchange(portal.url, b"GET /login HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")
    assert [answer.status for answer in answers] == [400]


@pytest.mark.parametrize(
    "host", [b"", b"localhost:8000", b"[::1]:8000", b"127.0.0.1", b"portal.test", b"xn--caf-dma.be"]
)
def test_a_host_is_a_name_or_an_address_with_a_port(portal, host):
    answers = exchange(portal.url, b"GET /ready HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
    assert [answer.status for answer in answers] == [200]


def test_an_unknown_method_is_405_not_501(portal):
    answers = exchange(portal.url, b"BREW /login HTTP/1.1\r\nHost: x\r\n\r\n", half_close=True)
    assert [answer.status for answer in answers] == [405]
    assert answers[0].header("Allow") == "GET, POST, HEAD"


def test_expect_100_continue_is_honoured(portal):
    with socket.create_connection(address(portal.url), timeout=10) as sock:
        sock.sendall(b"POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(b"abc")
        sock.shutdown(socket.SHUT_WR)
        assert [answer.status for answer in read_answers(sock)] == [404]


# -- 9. sessions -------------------------------------------------------------------------------------------------------
def test_visitors_sessions_are_capped(portal, monkeypatch):
    monkeypatch.setattr(sessions, "MAX_ANONYMOUS", 50)
    for _ in range(400):
        assert Client(portal.url).get("/login").status == 200
    assert portal.portal.sessions.counts()[0] == 50


def test_a_visitor_evicted_by_the_cap_gets_a_clear_403_not_an_error(portal, monkeypatch):
    monkeypatch.setattr(sessions, "MAX_ANONYMOUS", 5)
    early = Client(portal.url)
    token = early.get("/login").csrf()
    for _ in range(10):
        Client(portal.url).get("/login")
    reply = early.post("/login", {"username": "gl-demo", "password": "demo"}, csrf=token, encoding="urlencoded")
    assert reply.status == 403 and "Formulaire expiré" in reply.text

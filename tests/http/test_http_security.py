"""Access rules, sessions, headers and escaping over HTTP."""

from __future__ import annotations

import html
import re

import pytest

import mockportal
from tests.http.mockkit import GOOD_CONTACT, Client, company_certificate, dd_values, run_wizard, stored

MANAGER_PAGES = [
    "/wizard",
    "/wizard/information",
    "/wizard/contact",
    "/wizard/channel",
    "/wizard/confirmation",
    "/configuration",
    "/configuration/contact",
    "/configuration/delete",
    "/channels",
    "/channels/ftp",
    "/channels/sftp",
    "/channels/ws",
]
MANAGER_FORMS = [
    "/wizard/information",
    "/wizard/contact",
    "/wizard/channel",
    "/wizard/confirmation",
    "/configuration/delete",
    "/channels/ftp",
    "/channels/sftp",
    "/channels/ws",
]


@pytest.mark.rules("ACCESS-1")
def test_a_plain_user_sees_no_structured_messages_and_is_refused(portal, employer):
    user = Client(portal.url)
    user.sign_in(employer["users"]["user"]["username"])
    home = user.get("/")
    assert home.status == 200 and "Messages structurés" not in home.text
    assert "Gestionnaire Local" not in home.text and "pas d&#39;expéditeur actif" not in home.text
    for path in MANAGER_PAGES:
        reply = user.get(path)
        assert reply.status == 403, path
        assert "<h1>Accès refusé</h1>" in reply.text and 'href="/"' in reply.text
    for path in MANAGER_FORMS:  # the role is checked before anything in the form
        reply = user.post(path, {"action": "confirm", "channel": "ws"}, csrf="irrelevant")
        assert reply.status == 403 and "<h1>Accès refusé</h1>" in reply.text, path
    user.employer = employer
    assert stored(user) is None


@pytest.mark.rules("ACCESS-1", "HOME-1")
def test_the_co_gestionnaire_may_register(portal, employer):
    cogl = Client(portal.url)
    cogl.sign_in(employer["users"]["cogl"]["username"])
    cogl.employer = employer
    assert "Co-gestionnaire Local" in cogl.get("/").text
    run_wizard(cogl, company_certificate(cogl))
    assert stored(cogl)["sender"]


@pytest.mark.rules("ACCESS-2")
@pytest.mark.parametrize("path", ["/", "/more/help", *MANAGER_PAGES])
def test_every_page_but_login_needs_a_session(portal, path):
    reply = Client(portal.url).get(path)
    assert (reply.status, reply.location) == (303, "/login")
    reply = Client(portal.url).request(
        "POST", path, b"action=next", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert reply.status in (303, 405)


@pytest.mark.rules("ACCESS-2")
def test_static_files_and_login_need_no_session(portal):
    client = Client(portal.url)
    assert client.get("/login").status == 200
    css = client.get("/static/portal.css")
    assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
    js = client.get("/static/lang.js")
    assert js.status == 200 and "javascript" in js.headers["Content-Type"]


@pytest.mark.rules("ACCESS-2")
def test_quit_ends_the_session(portal, gl):
    old_cookie = gl.cookies["mockportal_session"]
    reply = gl.quit()
    assert reply.location == "/login" and "Max-Age=0" in reply.headers["Set-Cookie"]
    replay = Client(portal.url, cookies={"mockportal_session": old_cookie})
    assert replay.get("/").location == "/login"


@pytest.mark.rules("ACCESS-2")
@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("query", ["", "?csrf=forged"])
def test_quit_without_the_sessions_token_asks_first(gl, method, query):
    """A cross-site link or image cannot sign anyone out: without the session's token, Quit
    shows a page whose form (with the token) does it."""
    reply = gl.request(method, "/quit" + query)
    assert reply.status == 200 and "Set-Cookie" not in reply.headers
    assert gl.get("/").status == 200  # still signed in
    if method == "GET":
        form = re.search(r'<form method="post" action="/quit"', reply.text)
        assert form and 'name="csrf_token"' in reply.text
        done = gl.post("/quit", {}, csrf=reply.csrf(), encoding="urlencoded")
        assert done.location == "/login" and gl.get("/").location == "/login"


@pytest.mark.parametrize("token", ["forged", "é"])
def test_a_forged_quit_form_is_refused(gl, token):
    assert gl.post("/quit", {}, csrf=token, encoding="urlencoded").status == 403
    assert gl.request("GET", "/quit?csrf=%C3%A9").status == 200
    assert gl.get("/").status == 200


def test_a_csrf_token_that_is_not_ascii_is_a_403_not_a_500(portal):
    client = Client(portal.url)
    client.get("/login")
    reply = client.post("/login", {"username": "gl-demo", "password": "demo"}, csrf="é", encoding="urlencoded")
    assert reply.status == 403


def test_head_makes_no_session_and_switches_no_language(portal, gl):
    visitor = Client(portal.url)
    before = portal.portal.sessions.counts()
    reply = visitor.request("HEAD", "/login")
    assert reply.status == 200 and "Set-Cookie" not in reply.headers
    assert portal.portal.sessions.counts() == before
    assert gl.request("HEAD", "/?lang=nl").status == 303
    assert '<html lang="fr">' in gl.get("/").text  # still French


@pytest.mark.rules("ACCESS-2")
def test_login_gives_a_new_session_id(portal):
    client = Client(portal.url)
    client.get("/login")
    visitor_id = client.cookies["mockportal_session"]
    client.post("/login", {"username": "cogl-demo", "password": "demo"}, encoding="urlencoded")
    assert client.cookies["mockportal_session"] != visitor_id
    assert Client(portal.url, cookies={"mockportal_session": visitor_id}).get("/").location == "/login"


@pytest.mark.rules("ACCESS-3")
def test_two_employers_never_see_each_others_data(portal):
    first, second = Client(portal.url), Client(portal.url)
    for client, person in ((first, "Alpha"), (second, "Bravo")):
        client.employer = client.new_employer()
        client.sign_in(client.employer["users"]["gl"]["username"])
        run_wizard(client, company_certificate(client, cn=f"{person} Owner"), contact={"last_name": person})
    for me, them, mine, theirs in ((first, second, "Alpha", "Bravo"), (second, first, "Bravo", "Alpha")):
        for path in ("/", "/configuration", "/configuration/contact", "/channels/ws"):
            page = me.get(path).text
            assert them.employer["employer"]["name"] not in page
            assert them.employer["employer"]["enterprise_number"] not in page
            assert theirs not in page
        assert dd_values(me.get("/configuration").text)["Nom"] == mine
    # identifiers in the address or the form are ignored: a deletion acts on one's own employer only
    second_number = second.employer["employer"]["enterprise_number"]
    token = first.get("/configuration/delete").csrf()
    first.post(
        f"/configuration/delete?employer={second_number}",
        {"action": "confirm", "employer": second_number, "employer_id": "1"},
        csrf=token,
    )
    assert stored(first) is None and stored(second) is not None


@pytest.mark.rules("ACCESS-3")
def test_sessions_and_tokens_are_random_and_per_session(portal):
    ids, tokens = set(), set()
    for _ in range(5):
        client = Client(portal.url)
        client.login("gl-demo", "demo")
        ids.add(client.cookies["mockportal_session"])
        tokens.add(client.get("/wizard/information").csrf())
    assert len(ids) == len(tokens) == 5
    assert all(len(value) >= 32 for value in ids | tokens)


@pytest.mark.rules("ACCESS-2")
def test_cookie_flags(portal):
    reply = Client(portal.url).get("/login")
    cookie = reply.headers["Set-Cookie"]
    assert cookie.startswith("mockportal_session=")
    for flag in ("HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie


@pytest.mark.rules("ACCESS-2")
@pytest.mark.parametrize(
    "path", ["/login", "/static/portal.css", "/no-such-page", "/", "/__test__/employers/1/configuration"]
)
def test_security_headers_everywhere(portal, path):
    reply = Client(portal.url).get(path)
    csp = reply.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "same-origin"
    if reply.headers["Content-Type"].startswith("text/html"):
        assert reply.headers["Cache-Control"] == "no-store"


@pytest.mark.rules("CONFIRM-1", "CONTACT-8")
def test_user_text_is_escaped(gl):
    evil = '<script>alert("x")</script>'
    run_wizard(gl, company_certificate(gl, cn=evil), contact={"last_name": evil, "function": "a&b"}, confirm=False)
    for page in (gl.get("/wizard/confirmation").text, gl.get("/wizard/channel").text):
        assert evil not in page
    assert "&lt;script&gt;" in gl.get("/wizard/confirmation").text
    assert '<script src="/static/lang.js" defer></script>' in gl.get("/wizard/confirmation").text


def test_the_log_has_one_line_per_request_without_bodies_or_cookies(portal, gl):
    secret = "Very-Secret-Name-1234"
    gl.post("/wizard/information", {"action": "next"})
    gl.post("/wizard/contact", {**GOOD_CONTACT, "last_name": secret, "action": "next"})
    gl.get("/wizard/contact?lang=nl")
    log = portal.log_text()
    assert secret not in log
    assert gl.cookies["mockportal_session"] not in log
    assert re.search(r"POST /wizard/contact 303", log)
    assert "lang=nl" not in log  # no query strings either


@pytest.mark.rules("I18N-1")
@pytest.mark.parametrize(
    "path, location",
    [
        ("//evil.example/x?lang=nl", "/evil.example/x"),
        ("/\\evil.example?lang=nl", "/%5Cevil.example"),
        ("/login?lang=nl&a=1", "/login?a=1"),
    ],
)
def test_language_redirects_stay_on_the_site(portal, path, location):
    assert Client(portal.url).get(path).location == location


@pytest.mark.parametrize("skin", ["default", "variant"])
@pytest.mark.parametrize("path", ["/%2F%2Fevil.example/x", "/%2F/evil.example/x", "//%2Fevil.example"])
def test_language_links_stay_on_the_site(portal, skin, path):
    """A 404 page's language links name the same page: never a "//host" that leaves the site."""
    if skin == "default":
        page = Client(portal.url).get(path)
    else:
        with mockportal.start(skin="variant") as variant:
            page = Client(variant.url).get(path)
    assert page.status == 404
    links = re.findall(r'href="([^"]*lang=[a-z]{2}[^"]*)"', page.text)
    assert len(links) == 3, links
    for link in map(html.unescape, links):
        # A browser reads "//host", "///host" and "/\\host" alike: as another host.
        assert re.match(r"/[^/\\]", link), link

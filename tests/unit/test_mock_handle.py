"""The mock's application without its transport: ``Portal.handle(request) -> Response`` decides
routing, ACCESS-1/2, the CSRF check and the language switch (I18N-1) for a ``Request`` made by
hand, with no server and no socket. The transport is the standard library's ``http.server``."""

from __future__ import annotations

import http.client
import http.server
import urllib.parse

import pytest

from mockportal.server import PortalRequestHandler, PortalServer, build_portal
from mockportal.sessions import COOKIE_NAME, LANGUAGE_COOKIE
from mockportal.web import Headers, Request


@pytest.fixture
def portal():
    portal = build_portal()
    yield portal
    portal.store.close()


def request(
    method: str, target: str, *, cookies: dict[str, str] | None = None, form: dict[str, str] | None = None
) -> Request:
    url = urllib.parse.urlsplit(target)
    fields = [("Host", "portal.test")]
    if cookies:
        fields.append(("Cookie", "; ".join(f"{name}={value}" for name, value in cookies.items())))
    body = b""
    if form is not None:
        body = urllib.parse.urlencode(form).encode()
        fields.append(("Content-Type", "application/x-www-form-urlencoded"))
    return Request(
        method=method,
        path=url.path,
        query=urllib.parse.parse_qs(url.query, keep_blank_values=True),
        headers=Headers(fields),
        body=body,
    )


def signed_in(portal, username: str) -> dict[str, str]:
    user = portal.store.user_by_username(username)
    session = portal.sessions.sign_in(
        None, user_id=user.id, employer_id=user.employer_id, role=user.role, language="fr"
    )
    return {COOKIE_NAME: session.id}


def test_the_transport_is_the_standard_librarys():
    assert issubclass(PortalRequestHandler, http.server.BaseHTTPRequestHandler)
    assert issubclass(PortalServer, http.server.ThreadingHTTPServer)
    assert isinstance(Headers(), http.client.HTTPMessage)


@pytest.mark.rules("ACCESS-2")
def test_without_a_session_a_page_redirects_to_the_login_page(portal):
    answer = portal.handle(request("GET", "/wizard"))
    assert answer.status == 303 and dict(answer.headers)["Location"] == "/login"


@pytest.mark.rules("ACCESS-1")
def test_a_plain_user_is_refused_the_wizard_with_403(portal):
    answer = portal.handle(request("GET", "/wizard/information", cookies=signed_in(portal, "user-demo")))
    assert answer.status == 403
    assert portal.handle(request("GET", "/wizard/information", cookies=signed_in(portal, "gl-demo"))).status == 200


def test_a_form_without_its_csrf_token_is_403_and_with_it_goes_through(portal):
    cookies = signed_in(portal, "gl-demo")
    refused = portal.handle(request("POST", "/wizard/information", cookies=cookies, form={"action": "next"}))
    assert refused.status == 403
    session = portal.sessions.get(cookies[COOKIE_NAME])
    form = {"action": "next", "csrf_token": session.csrf}
    answer = portal.handle(request("POST", "/wizard/information", cookies=cookies, form=form))
    assert answer.status == 303 and dict(answer.headers)["Location"] == "/wizard/contact"


@pytest.mark.rules("I18N-1")
def test_lang_switches_and_redirects_to_the_same_page(portal):
    answer = portal.handle(request("GET", "/login?lang=nl&a=1"))
    headers = dict(answer.headers)
    assert answer.status == 303 and headers["Location"] == "/login?a=1"
    assert headers["Set-Cookie"].startswith(f"{LANGUAGE_COOKIE}=nl")
    page = portal.handle(request("GET", "/login", cookies={LANGUAGE_COOKIE: "nl"}))
    assert page.status == 200 and '<html lang="nl"' in page.body.decode()


def test_routing_answers_404_and_405_with_allow(portal):
    assert portal.handle(request("GET", "/nowhere")).status == 404
    answer = portal.handle(request("BREW", "/login"))
    assert answer.status == 405 and dict(answer.headers)["Allow"] == "GET, POST, HEAD"
    assert portal.handle(request("GET", "/REST/oauth/v5/nothing")).content_type.startswith("application/")


def test_a_refused_request_gets_a_page_in_the_users_language(portal):
    answer = portal.refuse(request("POST", "/login", cookies={LANGUAGE_COOKIE: "de"}), 413)
    assert answer.status == 413 and '<html lang="de"' in answer.body.decode()

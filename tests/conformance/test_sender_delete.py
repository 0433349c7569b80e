"""The sender number (SENDER-1) and deleting the configuration (DELETE-1)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from certs.token import request_token
from contract.words import APPLICATIONS, LANGUAGES
from harness.target import CanRestart
from pages import HomePage
from pages.flows import register_web_service

pytestmark = [pytest.mark.browser, pytest.mark.mutating, pytest.mark.focused]

SENDER = re.compile(r"[1-9][0-9]{0,5}")


@pytest.mark.needs("CHANNEL-6")  # the second channel is added on its page
@pytest.mark.rules("SENDER-1")
def test_a_second_channel_keeps_the_sender_number(fresh_registration, catalogue, words) -> None:
    overview = fresh_registration
    sender = overview.technical_user()["sender_number"]
    assert SENDER.fullmatch(sender), sender

    added = (
        overview.open_channel("ftp")
        .upload_certificate(catalogue.fresh("valid-der").path)
        .select_applications(APPLICATIONS[:1])
        .confirm()
    )

    expect(added.status).to_have_text(words["channel_added"])
    assert added.technical_user()["sender_number"] == sender
    assert added.web_service()["oauth_client"] == f"self_service_expeditor_{sender}"


@pytest.mark.rules("SENDER-1")
def test_two_employers_get_different_sender_numbers(shared_registration, fresh_registration) -> None:
    first = shared_registration.overview().technical_user()["sender_number"]
    second = fresh_registration.technical_user()["sender_number"]

    assert SENDER.fullmatch(first) and SENDER.fullmatch(second), (first, second)
    assert first != second


@pytest.fixture
def portal_restart(target) -> CanRestart:
    """The target, when the suite can restart its portal (before anything is registered)."""
    if not isinstance(target, CanRestart):
        pytest.skip("not verifiable on this target: the suite restarts only a portal it started")
    return target


@pytest.mark.employers(2)
@pytest.mark.rules("SENDER-1")
def test_a_deleted_number_stays_retired_after_a_restart(
    portal_restart: CanRestart, target, browser, employer, belgian, catalogue, sign_in, new_context, words
) -> None:
    """With persisted state, a deleted sender's number is not handed out again after a restart
    either. Two numbers in a row, the first kept, the second deleted: a counter recounted from
    the configurations left would hand the deleted one out next."""
    kept, deleted = employer, target.new_employer()
    target.register(browser, kept, belgian.contact_person(), catalogue.fresh("valid-der").path)
    target.register(browser, deleted, belgian.contact_person(), catalogue.fresh("valid-der").path)
    overview = HomePage(sign_in(deleted), words).loaded().open_overview()
    retired = overview.technical_user()["sender_number"]
    home = overview.open_deletion().confirm()
    expect(home.no_active_sender).to_be_visible()

    portal_restart.restart()

    again = register_web_service(home.go_home(), belgian.contact_person(), catalogue.fresh("valid-der"))
    sender = again.technical_user()["sender_number"]
    assert SENDER.fullmatch(sender), sender
    assert sender != retired
    theirs = HomePage(sign_in(kept, context=new_context()), words).loaded().open_overview()
    assert theirs.technical_user()["sender_number"] not in (retired, sender)


@pytest.mark.rules("DELETE-1")
@pytest.mark.parametrize("language", LANGUAGES)
def test_cancelling_the_deletion_keeps_everything(shared_registration, target, browser, language) -> None:
    shown_in = shared_registration.screen.words.language
    overview = shared_registration.overview().switch_language(language)
    technical, web_service = overview.technical_user(), overview.web_service()

    deletion = overview.open_deletion()
    expect(deletion.confirm_button).to_be_visible()
    expect(deletion.cancel_button).to_be_visible()
    back = deletion.cancel()

    assert back.technical_user() == technical
    assert back.web_service() == web_service
    home = back.go_home()
    expect(home.no_active_sender).to_have_count(0)
    assert target.has_configuration(browser, shared_registration.employer)
    home.switch_language(shown_in)  # the shared registration's screen back in its language


@pytest.mark.rules("DELETE-1", "SENDER-1", "HOME-2", "CERT-7", "RESULT-3", "OAUTH-4")
def test_deletion_removes_the_configuration_and_a_new_one_gets_a_new_number(
    fresh_registration, certificate, belgian, words, target, employer, expect_nothing_stored
) -> None:
    overview = fresh_registration
    old_sender = overview.technical_user()["sender_number"]
    old_client = overview.web_service()["oauth_client"]

    home_after = overview.open_deletion().confirm()

    expect(home_after.no_active_sender).to_be_visible()
    expect(home_after.navigation.link("register_configuration")).to_be_visible()
    expect(home_after.navigation.link("overview")).to_have_count(0)
    expect_nothing_stored(employer)

    # The second pass: another person, the very certificate of the deleted configuration
    # (CERT-7: it may be registered again).
    person = belgian.contact_person()
    again = home_after.start_registration().next().fill(person).next()
    new = again.choose_web_service().upload_certificate(certificate.path).next().confirm()
    new_sender = new.technical_user()["sender_number"]
    assert SENDER.fullmatch(new_sender), new_sender
    assert new_sender != old_sender
    assert new.contact() == person.as_summary(words)
    new_client = new.web_service()["oauth_client"]
    assert new_client == f"self_service_expeditor_{new_sender}"
    # The certificate is registered again, for the new client only.
    token_url = target.token_url  # on the real portal, another host than the screens'
    status, answer = request_token(token_url, old_client, certificate.private_key())
    assert (status, answer.get("error")) == (401, "invalid_client"), answer
    assert request_token(token_url, new_client, certificate.private_key())[0] == 200


@pytest.mark.rules("DELETE-1", "OAUTH-4")
def test_a_deleted_client_gets_no_token(fresh_registration, certificate, target) -> None:
    overview = fresh_registration
    client = overview.web_service()["oauth_client"]
    token_url = target.token_url  # on the real portal, another host than the screens'
    status, answer = request_token(token_url, client, certificate.private_key())
    assert status == 200, f"the client works while the configuration exists: {status} {answer.get('error')}"

    overview.open_deletion().confirm()

    status, answer = request_token(token_url, client, certificate.private_key())
    assert (status, answer.get("error")) == (401, "invalid_client"), answer

"""Who may do what: the managers register, a plain user is refused (ACCESS-1), every page needs
a session and Quit ends it (ACCESS-2), and an employer never reaches another's configuration
(ACCESS-3).

Addresses are never typed in: a manager of the same employer walks to a screen and the test
records ``page.url``, as a staging run would."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from contract.fields import ROLE_WORDS
from contract.words import LANGUAGES
from pages import AccessRefusedPage, HomePage, LoginPage, PortalScreen
from pages.flows import register_web_service
from pages.locate import mentioning

pytestmark = [pytest.mark.browser, pytest.mark.focused]


def wizard_addresses(home: HomePage, person, certificate) -> dict[str, str]:
    """The four steps' addresses, recorded while ``home``'s user walks the wizard (nothing
    is confirmed). Leaves the user on the confirmation step."""
    info = home.start_registration()
    urls = {"information": info.page.url}
    contact = info.next()
    urls["contact"] = contact.page.url
    channel = contact.fill(person).next()
    urls["channel"] = channel.page.url
    confirmation = channel.choose_web_service().upload_certificate(certificate.path).next()
    urls["confirmation"] = confirmation.page.url
    return urls


@pytest.mark.rules("ACCESS-1")
@pytest.mark.parametrize("language", LANGUAGES)
def test_plain_user_has_no_structured_messages_section(sign_in, employer, words, language) -> None:
    home = HomePage(sign_in(employer, "user"), words).loaded().switch_language(language)

    expect(home.navigation.section("quality_management")).to_be_visible()
    expect(home.navigation.section("structured_messages")).to_have_count(0)
    expect(home.navigation.link("register_configuration")).to_have_count(0)
    for role in ("gl", "cogl"):
        expect(home.main.get_by_text(mentioning(home.words[ROLE_WORDS[role]]))).to_have_count(0)


@pytest.mark.rules("ACCESS-1")
def test_plain_user_is_refused_on_wizard_addresses(
    sign_in, home_for, employer, person, certificate, words, expect_nothing_stored
) -> None:
    manager = home_for("gl")
    urls = wizard_addresses(manager, person, certificate)
    page = sign_in(employer, "user")

    for step, url in urls.items():
        response = page.goto(url)
        assert response is not None and response.status == 403, f"{step}: {response and response.status}"
        AccessRefusedPage(page, words).loaded()

    expect(manager.go_home().no_active_sender).to_be_visible()
    expect_nothing_stored(employer)


@pytest.mark.mutating
@pytest.mark.rules("ACCESS-1")
def test_plain_user_is_refused_on_channel_pages(shared_registration, sign_in, words) -> None:
    manager = shared_registration.screen
    sender = shared_registration.sender
    urls = {"ws": manager.open_channel("ws").page.url}
    urls["ftp"] = manager.open_channel("ftp").page.url  # not configured: the page to add it
    page = sign_in(shared_registration.employer, "user")

    for kind, url in urls.items():
        response = page.goto(url)
        assert response is not None and response.status == 403, f"{kind}: {response and response.status}"
        AccessRefusedPage(page, words).loaded()

    after = manager.open_overview()
    assert after.technical_user()["sender_number"] == sender
    expect(after.section_heading("section_ftp")).to_have_count(0)


@pytest.mark.mutating
@pytest.mark.rules("ACCESS-1")
def test_co_manager_registers_a_web_service_channel(sign_in, home_for, employer, person, certificate, words) -> None:
    home = HomePage(sign_in(employer, "cogl"), words).loaded()
    expect(home.navigation.link("register_configuration")).to_be_visible()

    overview = register_web_service(home, person, certificate)

    expect(overview.status).to_have_text(words["channel_added"])
    assert re.fullmatch(r"\d{1,6}", overview.technical_user()["sender_number"])
    assert overview.web_service()["cert_owner"] == certificate.values.owner
    # The configuration is the quality's: its gestionnaire local sees it too.
    expect(home_for("gl").no_active_sender).to_have_count(0)


@pytest.mark.rules("ACCESS-2")
def test_without_a_session_every_page_leads_to_login(
    home_for, new_context, person, certificate, base_url, words
) -> None:
    urls = wizard_addresses(home_for("gl"), person, certificate)
    page = new_context().new_page()

    for url in [*urls.values(), base_url.rstrip("/") + "/"]:
        page.goto(url)
        LoginPage(page, words).loaded()


@pytest.mark.rules("ACCESS-2")
def test_quit_ends_the_session(home: HomePage, new_context, words, base_url) -> None:
    contact = home.start_registration().next()
    url = contact.page.url
    cookies = contact.page.context.cookies()

    contact.quit()

    home.page.goto(url)
    LoginPage(home.page, words).loaded()
    # The session is over on the portal's side, not only forgotten by this browser.
    other = new_context()
    other.add_cookies(cookies)
    page = other.new_page()
    page.goto(url)
    LoginPage(page, words).loaded()
    LoginPage.visit(page, base_url, words)


@pytest.mark.rules("ACCESS-2")
def test_login_with_a_wrong_password_is_refused(page, employer, base_url, words) -> None:
    account = employer.account("gl")
    login = LoginPage.visit(page, base_url, words)

    refused = login.sign_in_expecting_error(account.username, "wrong-" + secrets.token_hex(4))

    expect(refused.errors.root).to_be_visible()
    expect(refused.title).to_be_visible()
    LoginPage.visit(page, base_url, words)  # still no session


@pytest.mark.rules("ACCESS-2")
def test_login_with_the_right_password_reaches_home(page, employer, base_url, words) -> None:
    account = employer.account("gl")
    if not account.password:
        pytest.skip("this target signs its accounts in with a storage state, not a password")
    login = LoginPage.visit(page, base_url, words)

    home = login.sign_in(account.username, account.password)

    expect(home.greeting("gl")).to_be_visible()
    assert home.banner.values()["denomination"] == employer.name


@pytest.mark.mutating
@pytest.mark.rules("ACCESS-3")
def test_one_employer_cannot_reach_another_employers_configuration(
    shared_registration, home: HomePage, employer, words, base_url
) -> None:
    overview = shared_registration.overview()
    theirs = overview.technical_user()
    client, person, certificate = (
        shared_registration.client_id,
        shared_registration.person,
        shared_registration.certificate,
    )
    urls = [overview.page.url, overview.open_contact_person().page.url, overview.open_channel("ws").page.url]

    other = employer
    intruder = home
    page = intruder.page
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status < 500, url
        screen = PortalScreen(page, words)
        assert screen.banner.values()["denomination"] == other.name, url
        for secret in (client, theirs["technical_username"], certificate.values.owner, person.last_name, person.phone):
            expect(page.get_by_text(secret)).to_have_count(0)

    expect(HomePage.visit(page, base_url, words).no_active_sender).to_be_visible()


# Fields an attacker adds to a form, naming another employer the ways a portal might know it.
def naming(employer, sender: str, client_id: str) -> dict[str, str]:
    number = employer.enterprise_number
    return {
        "enterprise_number": number,
        "enterprise": number.replace(".", ""),
        "employer": number,
        "employer_id": number,
        "quality": number,
        "onss_number": employer.onss_number,
        "sender": sender,
        "client_id": client_id,
    }


ADD_HIDDEN_FIELDS = """(button, fields) => {
    for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        button.form.appendChild(input);
    }
}"""


@pytest.mark.mutating
@pytest.mark.rules("ACCESS-3")
def test_the_deletion_form_deletes_no_other_employers_configuration(shared_registration, fresh_registration) -> None:
    """The manager of another employer confirms their own deletion with fields added to the form
    the page gives, naming this employer: this employer's configuration stays, as its own
    screens show. Whether the portal deletes the sender's own or refuses the form is its choice."""
    victim = shared_registration
    deletion = fresh_registration.open_deletion()
    deletion.confirm_button.evaluate(ADD_HIDDEN_FIELDS, naming(victim.employer, victim.sender, victim.client_id))
    page = deletion.page

    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        deletion.confirm_button.click()
    assert sent.value.status < 500, sent.value.status
    page.wait_for_load_state()

    home = victim.screen.go_home()
    expect(home.no_active_sender).to_have_count(0)
    overview = home.open_overview()
    assert overview.technical_user()["sender_number"] == victim.sender
    assert overview.web_service()["oauth_client"] == victim.client_id


@pytest.mark.mutating
@pytest.mark.rules("ACCESS-1")
def test_co_manager_manages_the_configuration_of_the_quality(shared_registration, home_for, words) -> None:
    """What a gestionnaire local registered, the co-gestionnaire local sees and may change: the
    overview, a channel page offering to add a channel, the deletion's confirmation (cancelled)."""
    home = home_for("cogl", of=shared_registration.employer)
    expect(home.no_active_sender).to_have_count(0)

    overview = home.open_overview()
    assert overview.technical_user()["sender_number"] == shared_registration.sender
    assert overview.web_service()["oauth_client"] == shared_registration.client_id
    assert overview.open_channel("ftp").offers_to_add()
    deletion = overview.open_deletion()
    expect(deletion.confirm_button).to_be_visible()
    deletion.cancel()

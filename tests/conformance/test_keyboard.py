"""The keyboard alone (A11Y-2) and the error summary's focus (A11Y-3).

A keyboard user moves with Tab and Shift+Tab, acts with Enter and Space and types; every stop
must be visible with a focus indicator, and the stops of a screen must follow its visual order
(``pages/keyboard.py``). After a refused step the focus is on the error summary, and each of
its links takes the focus to its field.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from playwright.sync_api import expect

from contract.fields import CHANNEL_KINDS, CHANNEL_WORDS
from contract.words import WordKey
from pages import ChannelStep, ConfirmationStep, ContactStep, HomePage, LoginPage, OverviewPage, WizardStep
from pages.keyboard import Focus, Keyboard, reading_order_breaks

pytestmark = [pytest.mark.browser, pytest.mark.focused]


def assert_usable_by_keyboard(screen) -> list[Focus]:
    """Tab once round the screen: no trap, every stop visible with a focus indicator, the stops
    of each part (header, navigation, main) in their visual order. The stops, for more checks."""
    stops = Keyboard(screen.page).tab_through_page()
    assert stops, "Tab reaches nothing on the screen"
    hidden = [stop.name for stop in stops if not stop.visible]
    assert not hidden, f"focused but not visible: {hidden}"
    unmarked = [stop.name for stop in stops if not stop.indicator]
    assert not unmarked, f"focused without a visible focus indicator: {unmarked}"
    breaks = reading_order_breaks(stops)
    assert not breaks, "the focus goes against the visual order: " + "; ".join(
        f"{before.name!r} then {after.name!r}" for before, after in breaks
    )
    return stops


@pytest.mark.rules("A11Y-2")
def test_the_login_page_by_keyboard(page, base_url, words) -> None:
    login = LoginPage.visit(page, base_url, words)

    stops = assert_usable_by_keyboard(login)

    assert any(stop.named(words["login_submit"]) for stop in stops)


@pytest.mark.rules("A11Y-2")
def test_home_and_the_information_step_by_keyboard(home: HomePage, words) -> None:
    assert_usable_by_keyboard(home)
    info = home.start_registration()

    stops = assert_usable_by_keyboard(info)

    assert [stop.name for stop in stops if stop.named(words["next"]) or stop.named(words["cancel"])]


@pytest.mark.rules("A11Y-2")
def test_the_contact_step_by_keyboard(contact_form: ContactStep, words) -> None:
    stops = assert_usable_by_keyboard(contact_form)

    for key in ("last_name", "first_name", "title", "phone", "email_1", "next"):
        assert any(stop.named(words[key]) for stop in stops), f"Tab never reaches {words[key]!r}"


@pytest.mark.rules("A11Y-2")
def test_the_channel_step_by_keyboard(channel_form: ChannelStep, words) -> None:
    stops = assert_usable_by_keyboard(channel_form)

    # Tab enters a group of radios once; the arrow keys move within it.
    assert any(stop.named(words[CHANNEL_WORDS[kind]]) for kind in CHANNEL_KINDS for stop in stops)
    assert any(stop.named(words["certificate_upload"]) for stop in stops)


@pytest.mark.rules("A11Y-2")
def test_the_confirmation_step_by_keyboard(certificate_form: ChannelStep, words, catalogue) -> None:
    confirmation = certificate_form.choose_web_service().upload_certificate(catalogue["valid-der"].path).next()

    stops = assert_usable_by_keyboard(confirmation)

    confirmation.previous()
    assert any(stop.named(words["confirm"]) for stop in stops)


@pytest.mark.scenario
@pytest.mark.mutating
@pytest.mark.rules("A11Y-2")
def test_the_whole_flow_with_the_keyboard_alone(page, base_url, employer, words, person, certificate) -> None:
    """Sign-in to result with Tab, Shift+Tab, Enter, Space and typing: no click."""
    account = employer.account("gl")
    if not account.password:
        pytest.skip("this target signs its accounts in with a storage state, not a password")
    keys = Keyboard(page)
    # The file dialog a key opens, answered with the certificate. Listening from the start turns
    # Playwright's interception of the dialog on before any key can open it.
    page.on("filechooser", lambda chooser: chooser.set_files(certificate.path))
    LoginPage.visit(page, base_url, words)
    keys.tab_to(lambda f: f.named(words["login_username"]))
    keys.type(account.username)
    keys.tab_to(lambda f: f.named(words["login_password"]))
    keys.type(account.password)
    keys.press("Enter")
    home = HomePage(page, words).loaded()

    keys.tab_to(lambda f: f.named(words["register_configuration"]))
    keys.press("Enter")
    info = WizardStep(page, words)
    expect(info.title).to_be_visible()
    keys.tab_to(lambda f: f.named(words["next"]))
    keys.press("Enter")
    contact = ContactStep(page, words).loaded()

    typed = dataclasses.replace(person, fax="", mobile="", emails=person.emails[:1])
    typed_fields: tuple[WordKey, ...] = ("last_name", "first_name", "function", "phone", "email_1")
    for key in typed_fields:
        label = words[key]
        keys.tab_to(lambda f: f.named(label))  # noqa: B023 - called before the loop moves on
        keys.type(getattr(typed, key) if key != "email_1" else typed.emails[0])
    keys.tab_to(lambda f: f.named(words["title"]), backwards=True)
    keys.type(words[typed.title])  # a select takes the typed option's first letters
    keys.tab_to(lambda f: f.named(words["next"]))
    keys.press("Enter")
    channel = ChannelStep(page, words).loaded()
    expect(contact.fields["last_name"]).to_have_count(0)

    # Tab enters the group of channels once; the arrow keys move within it (and choose).
    keys.tab_to(lambda f: any(f.named(words[CHANNEL_WORDS[kind]]) for kind in CHANNEL_KINDS))
    focus = keys.focused()
    for _ in CHANNEL_KINDS:
        if focus is not None and focus.named(words["channel_ws"]):
            break
        keys.press("ArrowDown")
        focus = keys.focused()
    keys.press("Space")
    expect(channel.channels["ws"]).to_be_checked()
    keys.tab_to(lambda f: f.named(words["certificate_upload"]))
    keys.press("Space")  # the file input opens the dialog, as Enter or Space does for a person
    expect(channel.form.certificate).to_have_value(re.compile(re.escape(certificate.path.name) + "$"))
    keys.tab_to(lambda f: f.named(words["next"]))
    keys.press("Enter")
    ConfirmationStep(page, words).loaded()

    keys.tab_to(lambda f: f.named(words["confirm"]))
    keys.press("Enter")
    overview = OverviewPage(page, words).loaded()
    expect(overview.status).to_have_text(words["channel_added"])
    assert home.page is page


# --- A11Y-3: the error summary ---------------------------------------------------------------


@pytest.mark.rules("A11Y-3")
def test_a_refused_contact_step_focuses_the_summary_whose_links_reach_their_fields(
    contact_form: ContactStep, person, words
) -> None:
    wrong = dataclasses.replace(person, phone="12", emails=("not-an-address",))
    refused = contact_form.fill(wrong).next_expecting_errors()

    expect(refused.errors.focus_within()).to_have_count(1)  # the focus is on the summary
    for key in ("phone", "email_1"):
        refused.errors.link_naming(words[key]).click()
        expect(refused.fields[key]).to_be_focused()


@pytest.mark.rules("A11Y-3")
def test_a_refused_channel_step_focuses_the_summary_whose_link_reaches_the_upload(
    channel_form: ChannelStep, words
) -> None:
    refused = channel_form.choose_web_service().next_expecting_errors()  # no certificate

    expect(refused.errors.focus_within()).to_have_count(1)
    refused.errors.link_naming(words["certificate_upload"]).click()
    expect(refused.form.certificate).to_be_focused()

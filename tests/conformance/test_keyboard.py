"""The keyboard alone (A11Y-2) and the error summary's focus (A11Y-3).

A keyboard user moves with Tab and Shift+Tab, acts with Enter and Space and types; every stop
must be visible and look different focused than unfocused, and the stops of a screen must follow
its visual order (``pages/keyboard.py``). After a refused step the focus is on the error summary,
and activating each of its entries takes the focus to its field (a group's fault: to the group's
first control).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

import pytest
from playwright.sync_api import Locator, expect

from contract.fields import CHANNEL_KINDS, CHANNEL_WORDS, CONTACT_FIELDS
from contract.words import WordKey
from pages import ChannelStep, ConfirmationStep, ContactStep, HomePage, LoginPage, OverviewPage, WizardStep
from pages.keyboard import Focus, Keyboard, reading_order_breaks
from pages.locate import mentioning

pytestmark = [pytest.mark.browser, pytest.mark.focused]


def assert_usable_by_keyboard(screen) -> list[Focus]:
    """Tab once round the screen: no trap, every stop visible and looking different focused than
    unfocused (an outline there either way shows nothing), the stops
    of each part (header, navigation, main) in their visual order. The stops, for more checks."""
    stops = Keyboard(screen.page).tab_through_page()
    assert stops, "Tab reaches nothing on the screen"
    hidden = [stop.name for stop in stops if not stop.visible]
    assert not hidden, f"focused but not visible: {hidden}"
    unmarked = [stop.name for stop in stops if not stop.indicator]
    assert not unmarked, f"these look the same focused and unfocused (no visible focus): {unmarked}"
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
#
# Every entry of the summary is a link, and activating it moves the focus to the control of the
# field it names; a fault of a whole group (no e-mail address at all, no channel chosen, no
# application) to the group's first control. A link to the group itself (a fieldset, which
# cannot take the focus) leaves the focus nowhere: a violation.


def assert_every_entry_leads_to_its_control(refused, controls: dict[str, Locator], expected: Iterable[str]) -> None:
    """A11Y-3 on a refused step: the focus is on its error summary; each entry is a link that,
    clicked, moves the focus to the control of the field it names (``controls``: a field's label
    or a group's legend, to the control that must get the focus; an entry naming several takes
    the first it names). ``expected``: the labels this refusal must name, at the least."""
    expect(refused.errors.focus_within()).to_have_count(1)
    entries = refused.errors.entries()
    texts = [" ".join(text.split()) for text in entries.all_inner_texts()]
    assert texts, "the error summary lists no problem"
    named = []
    for index, text in enumerate(texts):
        mentions = sorted(
            (found.start(), label) for label in controls if (found := mentioning(label).search(text)) is not None
        )
        assert mentions, f"the entry {text!r} names none of the step's fields: {sorted(controls)}"
        label = mentions[0][1]
        link = entries.nth(index).get_by_role("link")
        expect(link, f"the entry {text!r} is not a link").to_have_count(1)
        link.click()
        expect(controls[label], f"activating {text!r} does not move the focus to {label!r}").to_be_focused()
        named.append(label)
    missing = [label for label in expected if label not in named]
    assert not missing, f"the summary has no entry for {missing}: {texts}"


def contact_controls(step: ContactStep, words) -> dict[str, Locator]:
    controls = {words[key]: step.fields[key] for key in CONTACT_FIELDS}
    controls[words["emails"]] = step.email_group.get_by_role("textbox").first
    return controls


def channel_controls(step: ChannelStep, words) -> dict[str, Locator]:
    return {
        words["channels"]: step.channel_group.get_by_role("radio").first,
        words["certificate_upload"]: step.form.certificate,
        words["applications"]: step.form.applications.get_by_role("checkbox").first,
        words["ssh_key"]: step.form.ssh_key,
    }


@pytest.mark.rules("A11Y-3")
@pytest.mark.parametrize("entered", ["nothing", "wrong-values"])
def test_every_entry_of_a_refused_contact_step_leads_to_its_field(
    entered: str, contact_form: ContactStep, person, words
) -> None:
    if entered == "nothing":  # the required fields, and the e-mail group's own fault
        typed = dataclasses.replace(person, last_name="", first_name="", function="", phone="", fax="", mobile="")
        typed = dataclasses.replace(typed, emails=())
        expected: tuple[WordKey, ...] = ("last_name", "first_name", "function", "phone", "emails")
    else:  # faults of single fields, the second e-mail field's among them
        typed = dataclasses.replace(person, phone="12", emails=(person.emails[0], "not-an-address"))
        expected = ("phone", "email_2")

    refused = contact_form.fill(typed).next_expecting_errors()

    assert_every_entry_leads_to_its_control(refused, contact_controls(refused, words), [words[k] for k in expected])


@pytest.mark.rules("A11Y-3")
@pytest.mark.parametrize("case", ["ws-no-certificate", "ftp-nothing", "sftp-nothing", "refused-certificate"])
def test_every_entry_of_a_refused_channel_step_leads_to_its_field(
    case: str, channel_form: ChannelStep, words, catalogue
) -> None:
    expected: tuple[WordKey, ...] = ("certificate_upload",)
    if case == "ws-no-certificate":
        channel = channel_form.choose_web_service()
    elif case == "refused-certificate":
        channel = channel_form.choose_web_service().upload_certificate(catalogue["expired"].path)
    else:  # a batch channel with nothing: the applications group's own fault, and more
        kind = case.split("-")[0]
        channel = channel_form.choose(kind).select_applications([])
        expected = ("certificate_upload", "applications")
        if kind == "sftp":
            channel.fill_ssh_key("")
            expected += ("ssh_key",)

    refused = channel.next_expecting_errors()

    assert_every_entry_leads_to_its_control(refused, channel_controls(refused, words), [words[k] for k in expected])


@pytest.mark.rules("A11Y-3")
def test_no_channel_chosen_leads_to_the_first_channel(wizard_at_channel: ChannelStep, words, catalogue) -> None:
    # A draft nobody has sent yet: once a channel is chosen, it stays chosen.
    refused = wizard_at_channel.upload_certificate(catalogue["valid-der"].path).next_expecting_errors()

    assert_every_entry_leads_to_its_control(refused, channel_controls(refused, words), [words["channels"]])

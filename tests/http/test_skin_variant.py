"""The variant skin over HTTP, every screen in FR, NL and DE: it still follows contract §3, and
it differs from the default skin on each freedom the variant takes (mockportal/README.md,
"Skins"), while showing the same words and the same data.

Both skins are walked through the same flow by pressing buttons by their visible names
(``skinkit.press``), so the variant's own buttons are what drives it.
"""

from __future__ import annotations

import re

import pytest

import mockportal
from contract.words import WORDS, WordKey
from pages.tour import SCREENS
from tests.http.mockkit import Client, der, self_signed
from tests.http.skinkit import (
    Element,
    Page,
    button_name,
    buttons,
    fetch,
    fields,
    form_of,
    headings,
    items,
    label_of,
    legend_of,
    line_pairs,
    pairs,
    parse,
    press,
    unmarked,
    unpacked_pairs,
)

LANGUAGES = ("fr", "nl", "de")
SKINS = ("default", "variant")
COMPANY = "Boulangerie L'Épi & Fils SRL"
APPS = ["Publiato", "Chômage temporaire"]
CONTACT = {
    "last_name": "Peeters",
    "first_name": "Jan",
    "title": "miss",
    "function": "Responsable IT",
    "phone": "+32 2 123 45 67",
    "email_1": "jan.peeters@example.be",
    "email_2": "info@example.be",
}
# CONTACT-1: required; CONTACT-2 and the e-mail group (CONTACT-5): not marked "*" of their own.
REQUIRED = ("last_name", "first_name", "title", "function", "language_regime", "phone")
OPTIONAL = ("fax", "mobile", "email_1", "email_2", "email_3")
WIZARD_STEPS = ("step_information", "step_contact", "step_channel", "step_confirmation")
FLASH_SCREENS = ("overview", "overview_added")
ERROR_SCREENS = ("login_errors", "contact_errors", "channel_errors", "channel_form_errors")


def words(language: str):
    return lambda key: WORDS[key][language]


def colon(language: str) -> str:
    """How the variant ends a label: French with a no-break space before the colon."""
    return "\u00a0:" if language == "fr" else ":"


# -- walking both skins ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def portals():
    with mockportal.start(skin="default") as default, mockportal.start(skin="variant") as variant:
        yield {"default": default, "variant": variant}


class Walk(dict):
    """The screens of one walk by name, and the employer (test API answer) it was made for."""

    employer: dict


@pytest.fixture(scope="module")
def visit(portals):
    """``visit(skin, language)``: every screen of the flow, walked once per module."""
    walked: dict[tuple[str, str], Walk] = {}

    def get(skin: str, language: str) -> Walk:
        if (skin, language) not in walked:
            walked[skin, language] = walk(portals[skin].url, skin, language)
        return walked[skin, language]

    return get


def after(client: Client, reply, path: str) -> Page:
    """The page a POST shows: itself, or where it redirects to."""
    if reply.status in (301, 302, 303, 307):
        return fetch(client, reply.location)
    return parse(reply, path)


def walk(url: str, skin: str, language: str) -> Walk:
    w = words(language)
    pages = Walk()
    visitor = Client(url, cookies={"mockportal_lang": language})
    pages["login"] = fetch(visitor, "/login")
    pages["login_errors"] = after(
        visitor,
        press(visitor, pages["login"], w("login_submit"), {"username": "nobody", "password": "wrong"}),
        "/login",
    )

    gl = Client(url)
    employer = pages.employer = gl.new_employer(name=COMPANY)
    gl.sign_in(employer["users"]["gl"]["username"], language)
    pages["home"] = fetch(gl, "/")
    pages["information"] = fetch(gl, "/wizard")
    pages["contact"] = after(gl, press(gl, pages["information"], w("next")), "/wizard/information")
    pages["contact_errors"] = after(gl, press(gl, pages["contact"], w("next")), "/wizard/contact")
    pages["channel"] = after(gl, press(gl, pages["contact_errors"], w("next"), CONTACT), "/wizard/contact")
    pages["channel_errors"] = after(gl, press(gl, pages["channel"], w("next")), "/wizard/channel")
    ftp = der(self_signed(COMPANY, cn="Marie Ftp"))
    pages["confirmation"] = after(
        gl,
        press(
            gl,
            pages["channel_errors"],
            w("next"),
            {"channel": "ftp", "applications": APPS},
            {"certificate": ("ftp.cer", ftp)},
        ),
        "/wizard/channel",
    )
    pages["overview"] = after(gl, press(gl, pages["confirmation"], w("confirm")), "/wizard/confirmation")
    pages["home_sender"] = fetch(gl, "/")
    pages["contact_page"] = fetch(gl, "/configuration/contact")
    pages["channels"] = fetch(gl, "/channels")
    pages["channel_configured"] = fetch(gl, "/channels/ftp")
    pages["channel_form"] = fetch(gl, "/channels/ws")
    go_on = w("next") if skin == "variant" else w("confirm")  # CHANNEL-6's two forms
    pages["channel_form_errors"] = after(gl, press(gl, pages["channel_form"], go_on), "/channels/ws")
    ws = der(self_signed(COMPANY, cn="Marc Ws"))
    reply = press(gl, pages["channel_form_errors"], go_on, files={"certificate": ("ws.pem", ws)})
    if skin == "variant":
        pages["channel_confirmation"] = after(gl, reply, "/channels/ws")
        reply = press(gl, pages["channel_confirmation"], w("confirm"))
    pages["overview_added"] = after(gl, reply, "/channels/ws")
    pages["delete"] = fetch(gl, "/configuration/delete")
    pages["more"] = fetch(gl, "/more/help")
    pages["not_found"] = fetch(gl, "/no/such/page")

    user = Client(url)
    user.sign_in(employer["users"]["user"]["username"], language)
    pages["refused"] = fetch(user, "/wizard")
    return pages


# The walk's page of each screen of the one walk (pages/tour.py), by its name there: a screen added
# to the tour fails the test below until this walk visits it too.
TOUR_SCREENS = {
    "login": "login",
    "login-refused": "login_errors",
    "home": "home",
    "information": "information",
    "contact": "contact",
    "contact-refused": "contact_errors",
    "channel": "channel",
    "channel-refused": "channel_errors",
    "confirmation": "confirmation",
    "access-refused": "refused",
    "result": "overview",
    "home-with-sender": "home_sender",
    "contact-person": "contact_page",
    "channels": "channels",
    "channel-configured": "channel_configured",
    "channel-to-add": "channel_form",
    "channel-to-add-refused": "channel_form_errors",
    "channel-confirmation": "channel_confirmation",  # the variant's: the default skin confirms on the page
    "deletion": "delete",
}


def test_the_walk_visits_every_screen_of_the_tour(visit):
    assert list(TOUR_SCREENS) == [screen.name for screen in SCREENS], "pages/tour.py's screens, in its order"
    for skin in SKINS:
        pages = visit(skin, "fr")
        missing = [name for name, key in TOUR_SCREENS.items() if key not in pages]
        assert missing == ([] if skin == "variant" else ["channel-confirmation"]), (skin, missing)


def test_the_walk_reached_every_screen(visit):
    expected_status = {
        "login_errors": 422,
        "contact_errors": 422,
        "channel_errors": 422,
        "channel_form_errors": 422,
        "not_found": 404,
        "refused": 403,
    }
    for skin in SKINS:
        pages = visit(skin, "fr")
        assert ("channel_confirmation" in pages) is (skin == "variant")
        for name, page in pages.items():
            assert page.status == expected_status.get(name, 200), (skin, name, page.path)
        assert [p.path for n, p in pages.items() if n in ("contact", "channel", "confirmation", "overview")] == [
            "/wizard/contact",
            "/wizard/channel",
            "/wizard/confirmation",
            "/configuration",
        ]


# -- (2) the variant, like the default skin, follows §3 -----------------------------------------------------
def section_3_problems(name: str, page: Page, language: str) -> list[str]:
    """What on ``page`` breaks contract §3 (an empty list: nothing)."""
    w = words(language)
    problems = []
    root = page.root
    if page.html.get("lang") != language:
        problems.append(f"<html lang> is {page.html.get('lang')!r}")
    header = root.find("header")
    links = [a.name_text for a in header.find_all("a")] if header else []
    if not {"NL", "FR", "DE"} <= set(links):
        problems.append(f"language links: {links}")
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    if len(ids) != len(set(ids)):
        problems.append("duplicate ids")
    if page.duplicate_attributes:
        problems.append(f"duplicate attributes {page.duplicate_attributes}")
    for control in fields(root):
        label = label_of(page, control)
        if not label or not unmarked(label):
            problems.append(f"unlabelled {control.tag} {control.get('name')}")
        if control.get("type") in ("radio", "checkbox"):
            group = next((a for a in control.ancestors() if a.tag == "fieldset"), None)
            if group is None or not legend_of(group):
                problems.append(f"{control.get('name')} outside a fieldset with a legend")
        if control.tag == "select":
            options = control.find_all("option")
            choices = options[1:] if options and options[0].get("value") == "" else options
            if any(o.get("value") == "" for o in choices):
                problems.append(f"{control.get('name')}: a placeholder among the choices")
    for button in buttons(root):
        if "hidden" not in button.attrs and not button_name(button).strip():
            problems.append(f"a button without a name in {form_of(button).get('action')}")
    alerts = root.find_all(role="alert")
    if name in ERROR_SCREENS:
        if len(alerts) != 1 or not alerts[0].find_all("a"):
            problems.append("no error summary with links")
        for link in alerts[0].find_all("a") if alerts else ():
            if page.by_id((link.get("href") or "").removeprefix("#")) is None:
                problems.append(f"error link to nothing: {link.get('href')}")
        if name != "login_errors" and not root.find_all(aria_invalid="true"):
            problems.append("no input marked invalid")
    elif alerts:
        problems.append("an alert on a page without errors")
    for element in root.find_all(aria_describedby=True):
        if any(page.by_id(i) is None for i in (element.get("aria-describedby") or "").split()):
            problems.append(f"aria-describedby to nothing on {element.get('name')}")
    if name in FLASH_SCREENS and w("channel_added") not in [s.text for s in root.find_all(role="status")]:
        problems.append("no status message")
    if page.path.startswith("/wizard/"):
        steps = [
            item
            for item in root.iter()
            if item.tag in ("ol", "ul") and [li.name_text for li in item.find_all("li")] == [w(k) for k in WIZARD_STEPS]
        ]
        if len(steps) != 1 or len(steps[0].find_all("li", aria_current="step")) != 1:
            problems.append("no step list with one current step")
    for row_header in root.find_all("th"):
        if row_header.get("scope") != "row":
            problems.append("a table header that is not a row header")
    return problems


@pytest.mark.rules("CONTACT-8", "WIZ-1", "I18N-1", "RESULT-1")
@pytest.mark.parametrize("skin", SKINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_follows_section_3(visit, skin, language):
    for name, page in visit(skin, language).items():
        assert section_3_problems(name, page, language) == [], (skin, name)


def test_the_section_3_checker_finds_problems():
    """The checker above is not vacuous: a page that breaks §3 in each way is reported."""
    from tests.http.mockkit import Reply

    bad = (
        '<html lang="nl"><body><main><input type="text" name="x"><select name="s"><option value="">—'
        '</option><option value="">Kies</option></select><input type="radio" name="r" id="r">'
        '<label for="r">R</label><form action="/a"><button type="submit"></button></form>'
        '<table><tr><th>L</th><td>V</td></tr></table><p id="d" id="d"></p><p id="d"></p></main></body></html>'
    )
    page = parse(Reply(200, None, bad.encode()), "/wizard/contact")
    problems = " | ".join(section_3_problems("contact_errors", page, "fr"))
    for expected in (
        "<html lang>",
        "language links",
        "duplicate ids",
        "duplicate attributes",
        "unlabelled input",
        "outside a fieldset",
        "placeholder among the choices",
        "without a name",
        "no error summary",
        "no input marked invalid",
        "no step list",
        "not a row header",
    ):
        assert expected in problems, expected


# -- (1) the variant differs from the default skin on each freedom ------------------------------------------------
def both(visit, language: str, screen: str) -> tuple[Page, Page]:
    return visit("default", language)[screen], visit("variant", language)[screen]


def normalized(found: list) -> list[tuple[str, tuple[str, ...]]]:
    return [(label, items(value)) for label, value in found]


PER_PORTAL: tuple[WordKey, ...] = (
    "sender_number",
    "technical_username",
    "oauth_client",
    "serial_decimal",
    "serial_hex",
)


def same_data(found: list, walked: Walk, language: str) -> list[tuple[str, tuple[str, ...]]]:
    """Pairs with what differs between two walks masked: the employer's own numbers and dates
    (each portal makes its employer), the sender's and the certificates' (random serials)."""
    employer = walked.employer["employer"]
    masks = {employer[key]: f"<{key}>" for key in ("enterprise_number", "onss_number", "creation_date")}
    per_portal = {WORDS[key][language] for key in PER_PORTAL}

    def masked(text: str) -> str:
        for value, mask in masks.items():
            text = text.replace(value, mask)
        return text

    return [
        (label, ("<per portal>",) if label in per_portal else tuple(masked(v) for v in values))
        for label, values in normalized(found)
    ]


SUMMARY_SCREENS = ("confirmation", "overview", "overview_added", "contact_page", "channel_configured", "home_sender")


@pytest.mark.rules("CONFIRM-1", "RESULT-2", "RESULT-3", "HOME-1")
@pytest.mark.parametrize("language", LANGUAGES)
def test_summaries_are_tables_with_the_same_pairs(visit, language):
    for screen in SUMMARY_SCREENS:
        default, variant = both(visit, language, screen)
        assert default.main.find("dl") and not default.main.find("table"), screen
        assert variant.main.find("table") and not variant.main.find("dl"), screen
        assert not variant.root.find("caption"), screen
        for row in variant.main.find_all("tr"):
            cells = [c.tag for c in row.children if isinstance(c, Element)]
            assert cells == ["th", "td"], (screen, cells)
        assert pairs(default.main), screen
        # the same words and the same data
        assert same_data(pairs(variant.main), visit("variant", language), language) == same_data(
            pairs(default.main), visit("default", language), language
        ), screen


@pytest.mark.rules("HOME-1")
@pytest.mark.parametrize("language", LANGUAGES)
def test_homes_quality_data_has_no_heading_of_its_own(visit, language):
    w = words(language)
    default, variant = both(visit, language, "home")
    assert headings(default.main) == [(1, w("home")), (2, w("quality"))]
    assert headings(variant.main) == [(2, w("home"))]
    labels = [label for label, _ in pairs(variant.main)]
    assert labels == [w(k) for k in ("denomination", "enterprise_number", "quality", "onss_number", "creation_date")]


@pytest.mark.rules("CONTACT-1", "CONTACT-2", "CONTACT-5", "CHANNEL-1", "CHANNEL-2", "CHANNEL-3")
@pytest.mark.parametrize("language", LANGUAGES)
def test_labels_and_legends_end_with_a_marker_and_a_colon(visit, language):
    w, end = words(language), colon(language)
    default, variant = both(visit, language, "contact")
    for key in REQUIRED + OPTIONAL:
        control = variant.root.find(name=key)
        marker = " *" if key in REQUIRED else ""
        assert label_of(variant, control) == f"{w(key)}{marker}{end}", key
        assert label_of(default, default.root.find(name=key)) == f"{w(key)}{marker}", key
    assert [legend_of(f) for f in variant.root.find_all("fieldset")][-1] == f"{w('emails')} **{end}"
    assert [legend_of(f) for f in default.root.find_all("fieldset")][-1] == f"{w('emails')} **"
    default, variant = both(visit, language, "channel")
    assert legend_of(variant.root.find(id=_group_id(variant, "channel"))) == f"{w('channels')} *{end}"
    assert legend_of(variant.root.find(id=_group_id(variant, "applications"))) == f"{w('applications')} *{end}"
    assert label_of(variant, variant.root.find(name="certificate")) == f"{w('certificate_upload')} *{end}"
    assert label_of(default, default.root.find(name="certificate")) == w("certificate_upload")
    login = visit("variant", language)["login"]
    assert label_of(login, login.root.find(name="username")) == f"{w('login_username')}{end}"
    if language == "fr":
        assert "\u00a0:" in label_of(login, login.root.find(name="password"))
    else:
        assert label_of(login, login.root.find(name="password")).endswith(f"{w('login_password')}:")


def _group_id(page: Page, name: str) -> str:
    """The id of the fieldset holding the inputs named ``name``."""
    group = next(a for a in page.root.one(name=name).ancestors() if a.tag == "fieldset")
    return group.get("id") or ""


# The seed's order of each form's buttons (the default skin's, in the document and on screen; its
# channel page has Confirmer where the variant's has Suivant).
SEED_ORDER = {
    "information": ("cancel", "next"),
    "contact": ("cancel", "previous", "next"),
    "channel": ("cancel", "previous", "next"),
    "confirmation": ("cancel", "previous", "confirm"),
    "channel_confirmation": ("cancel", "previous", "confirm"),
    "channel_form": ("cancel", "next"),
    "delete": ("confirm", "cancel"),
}


@pytest.mark.rules("WIZ-2", "CONFIRM-1", "DELETE-1")
@pytest.mark.parametrize("language", LANGUAGES)
def test_buttons_are_inputs_in_the_reverse_of_the_seeds_order_on_screen_too(visit, portals, language):
    """The variant puts the step's own action first; its style sheet shows the buttons in the
    document's order (no reversed flex direction, no ``order``), so that the keyboard meets them
    in the order the eye does (A11Y-2)."""
    w = words(language)
    css = Client(portals["variant"].url).get("/static/variant.css").text
    for screen, seed_order in SEED_ORDER.items():
        variant = visit("variant", language)[screen]
        assert not variant.root.find("button"), screen
        shown = [b for b in buttons(variant.main)]
        assert {b.tag for b in shown} == {"input"}, screen
        names = [button_name(b) for b in shown]
        assert names == [w(k) for k in reversed(seed_order)], screen
        container = shown[0].parent
        assert all(b.parent is container for b in shown)
        rule = re.search(rf"\.{re.escape(container.get('class') or '-')}\s*{{([^}}]*)}}", css)
        assert rule and "display: flex" in rule.group(1), screen
        assert "reverse" not in rule.group(1) and not re.search(r"(^|[;\s])order\s*:", css), screen
        if screen != "channel_confirmation":
            default = visit("default", language)[screen]
            visible = [button_name(b) for b in buttons(default.main) if "hidden" not in b.attrs]
            own = ("cancel", "confirm") if screen == "channel_form" else seed_order
            assert visible == [w(k) for k in own] and default.main.find("button"), screen


@pytest.mark.rules("WIZ-2", "CONTACT-8")
@pytest.mark.parametrize("language", LANGUAGES)
def test_enter_in_a_field_sends_the_steps_own_action(visit, language):
    """A form's default button (what Enter in one of its fields presses) is its first submit
    button in the document: the step's own action, never Annuler."""
    w = words(language)
    for screen, action in (
        ("contact", "next"),
        ("channel", "next"),
        ("channel_form", "next"),
        ("confirmation", "confirm"),
        ("channel_confirmation", "confirm"),
        ("login", "login_submit"),
    ):
        page = visit("variant", language)[screen]
        (form,) = {id(f): f for f in map(form_of, buttons(page.main))}.values()
        assert button_name(buttons(form)[0]) == w(action), screen
        assert all(form_of(field) is form for field in fields(page.main)), screen


@pytest.mark.rules("CONTACT-3", "CONTACT-4")
@pytest.mark.parametrize("language", LANGUAGES)
def test_selects_start_with_a_placeholder_and_the_regime_is_still_preselected(visit, language):
    w = words(language)
    for screen in ("contact", "contact_errors"):
        default, variant = both(visit, language, screen)
        title = [(o.get("value"), o.text) for o in variant.root.find(name="title").find_all("option")]
        assert title == [("", "—"), ("mr", w("title_mr")), ("mrs", w("title_mrs")), ("miss", w("title_miss"))]
        assert [(o.get("value"), o.text) for o in default.root.find(name="title").find_all("option")][0] == ("", "")
        regime = variant.root.find(name="language_regime").find_all("option")
        placeholder, *choices = regime
        assert placeholder.get("value") == "" and placeholder.text, screen
        assert placeholder.text not in {w(f"language_{code}") for code in LANGUAGES}
        assert [o.text for o in choices] == [w("language_fr"), w("language_nl"), w("language_de")]
        assert [o.get("value") for o in regime if "selected" in o.attrs] == [language], screen  # CONTACT-4
        default_regime = default.root.find(name="language_regime").find_all("option")
        assert default_regime[0].get("value") == "fr" and len(default_regime) == 3


@pytest.mark.rules("CONFIRM-1", "RESULT-3", "CHANNEL-3", "CONTACT-5")
@pytest.mark.parametrize("language", LANGUAGES)
def test_multi_item_values_one_per_line(visit, language):
    w = words(language)
    emails = (CONTACT["email_1"], CONTACT["email_2"])
    for screen, label, expected in (
        ("confirmation", w("emails"), emails),
        ("confirmation", w("applications_summary"), tuple(APPS)),
        ("overview", w("emails"), emails),
        ("overview", w("applications_summary"), tuple(APPS)),
        ("contact_page", w("emails"), emails),
        ("channel_configured", w("applications_summary"), tuple(APPS)),
    ):
        default, variant = both(visit, language, screen)
        assert dict(pairs(variant.main))[label] == expected, screen  # one item per line
        assert dict(pairs(default.main))[label] == ", ".join(expected), screen  # one line


@pytest.mark.rules("CONTACT-8", "CHANNEL-1")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_error_summary_is_a_div_holding_an_ordered_list_of_links(visit, language):
    for screen in ERROR_SCREENS:
        default, variant = both(visit, language, screen)
        (alert,) = variant.root.find_all(role="alert")
        assert alert.tag == "div" and headings(alert) == [] and alert.find("p"), screen
        assert alert.find("ol") and not alert.find("ul"), screen
        (default_alert,) = default.root.find_all(role="alert")
        assert headings(default_alert) and default_alert.find("ul") and not default_alert.find("ol"), screen
        links = alert.find_all("a")
        assert [a.text for a in links] == [a.text for a in default_alert.find_all("a")], screen  # same messages
        targets = [variant.by_id((a.get("href") or "#").removeprefix("#")) for a in links]
        assert all(t is not None for t in targets), screen
        if screen != "login_errors":
            invalid = {e.get("name") for e in variant.root.find_all(aria_invalid="true")}
            assert invalid == {e.get("name") for e in default.root.find_all(aria_invalid="true")}, screen
            assert invalid


@pytest.mark.rules("CHANNEL-6", "RESULT-1")
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_channel_page_adds_through_next_and_a_confirmation_page(visit, language):
    w = words(language)
    default, variant = both(visit, language, "channel_form")
    assert [button_name(b) for b in buttons(variant.main)] == [w("next"), w("cancel")]
    assert w("confirm") in [button_name(b) for b in buttons(default.main)]
    confirmation = visit("variant", language)["channel_confirmation"]
    assert sorted(button_name(b) for b in buttons(confirmation.main)) == sorted(
        [w("confirm"), w("previous"), w("cancel")]
    )
    shown = dict(pairs(confirmation.main))
    assert shown[w("channel")] == w("channel_value_ws") and shown[w("connection_type")] == w("connection_internet")
    assert shown[w("cert_owner")] == "Marc Ws"
    for skin in SKINS:
        added = visit(skin, language)["overview_added"]
        assert [s.text for s in added.root.find_all(role="status")] == [w("channel_added")]
        assert dict(pairs(added.main))[w("oauth_client")].startswith("self_service_expeditor_")


@pytest.mark.rules("HOME-1", "RESULT-4", "HOME-2")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_quality_banner_and_the_side_navigation_are_other_elements(visit, language):
    w = words(language)
    for screen in ("home", "home_sender", "confirmation", "overview"):
        default, variant = both(visit, language, screen)
        banner = [e for e in default.root.find_all(aria_label=w("quality"))]
        assert [e.tag for e in banner] == ["section"] and banner[0].find("dl"), screen
        region = variant.root.find_all(aria_label=w("quality"))
        # The variant writes the banner as the seed does, lines of text "Label: value".
        assert [(e.tag, e.get("role")) for e in region] == [("div", "region")], screen
        assert not region[0].find("table") and not region[0].find("dl"), screen
        default_pairs = unpacked_pairs([(label, str(value)) for label, value in pairs(banner[0])])
        assert same_data(line_pairs(region[0]), visit("variant", language), language) == same_data(
            default_pairs, visit("default", language), language
        ), screen

        nav = default.root.find("nav", aria_labelledby=True)
        assert default.by_id(nav.get("aria-labelledby")).text == w("functionalities")
        assert nav.find("ul") and nav.find("h3"), screen
        (side,) = variant.root.find_all(role="navigation")
        assert side.tag == "div" and not variant.root.find("nav"), screen
        assert variant.by_id(side.get("aria-labelledby")).text == w("functionalities")
        assert not side.find("ul") and not side.find("li"), screen
        assert {e.tag for e in side.iter() if e.get("role") == "heading"} == {"div"}
        own = w("functionalities")
        assert navigation(side, own) == navigation(nav, own), screen  # the same sections and links, in order
        assert [a.text for a in side.find_all("a", aria_current="page")] == [
            a.text for a in nav.find_all("a", aria_current="page")
        ], screen


def navigation(root: Element, own: str) -> list[tuple[str, list[str]]]:
    """(section heading, its link texts) in document order; the navigation's own title ``own`` aside."""
    sections: list[tuple[str, list[str]]] = []
    for element in root.iter():
        if element is not root and (element.get("role") == "heading" or re.fullmatch(r"h[1-6]", element.tag)):
            sections.append((element.text, []))
        elif element.tag == "a" and sections:
            sections[-1][1].append(element.text)
    return [section for section in sections if section[0] != own]


@pytest.mark.rules("WIZ-1", "RESULT-1")
@pytest.mark.parametrize("language", LANGUAGES)
def test_headings_of_other_levels(visit, language):
    w = words(language)
    for screen, title in (
        ("home", "home"),
        ("information", "wizard_title"),
        ("overview", "overview"),
        ("contact_page", "section_contact"),
        ("login", "login_title"),
        ("delete", "delete_configuration"),
    ):
        default, variant = both(visit, language, screen)
        assert headings(default.main)[0] == (1, w(title)), screen
        assert not [h for h in headings(default.root) if h[0] == 1 and h[1] != w(title)], screen
        assert headings(variant.main)[0] == (2, w(title)), screen
        assert [h for h in headings(variant.root) if h[0] == 1] == [(1, w("app_title"))], screen
    default, variant = both(visit, language, "overview")
    assert {level for level, _ in headings(default.main)[1:]} == {2}
    assert {level for level, _ in headings(variant.main)[1:]} == {3}
    default, variant = both(visit, language, "confirmation")
    assert {
        level for level, text in headings(default.main) if text in (w("section_contact"), w("section_channel"))
    } == {3}
    assert {
        level for level, text in headings(variant.main) if text in (w("section_contact"), w("section_channel"))
    } == {4}


@pytest.mark.rules("WIZ-1")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_step_list_is_other_markup(visit, language):
    w = words(language)
    for screen, current in (("information", 0), ("contact", 1), ("channel_errors", 2), ("confirmation", 3)):
        default, variant = both(visit, language, screen)
        (steps,) = [e for e in variant.main.iter() if e.tag in ("ul", "ol") and e.find("li", aria_current="step")]
        assert steps.tag == "ul" and default.main.find("ol").find("li", aria_current="step"), screen
        entries = steps.find_all("li")
        assert [li.name_text for li in entries] == [w(k) for k in WIZARD_STEPS]
        assert [li.text for li in entries][:-1] == [f"{w(k)} >" for k in WIZARD_STEPS[:-1]]  # drawn as text
        assert ["aria-current" in li.attrs for li in entries] == [i == current for i in range(4)], screen

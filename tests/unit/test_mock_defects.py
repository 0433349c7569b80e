"""The defect registry: each defect names a contract rule, applies cleanly, and changes one portal
instance only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import mockportal
from contract.rules import RULE_IDS, RULES
from contract.words import WORDS
from mockportal.certificate import CERTIFICATE_FUNCTIONS
from mockportal.defects import DEFECTS, UnknownDefect, apply_defects, defect
from mockportal.defects.patching import drop_errors, patch_skin, patch_template, wrap
from mockportal.messages import MESSAGES
from mockportal.portal import Portal
from mockportal.rules import RULE_FUNCTIONS
from mockportal.server import build_portal
from mockportal.skins import SKINS, UnknownSkin
from mockportal.store import Store
from tests.http.mockkit import der, self_signed

ROOT = Path(__file__).resolve().parents[2]
OWN_RULES = [rule for rule in RULE_IDS if not rule.startswith("OAUTH-")]  # OAuth: defects/oauth.py


@pytest.fixture
def portals():
    made = [Portal(store=Store()), Portal(store=Store())]
    yield made
    for portal in made:
        portal.store.close()


def test_every_defect_names_a_rule_and_says_what_it_breaks():
    assert DEFECTS
    for name, item in DEFECTS.items():
        assert item.name == name and item.rule_id in RULES and callable(item.apply)
        assert item.description.strip() and "\n" not in item.description, name


@pytest.mark.parametrize("rule_id", OWN_RULES)
def test_every_rule_of_sections_1_and_2_has_a_defect(rule_id):
    assert any(d.rule_id == rule_id for d in DEFECTS.values()), f"no defect breaks {rule_id}"


def test_at_least_forty_five_defects():
    assert len([d for d in DEFECTS.values() if not d.rule_id.startswith("OAUTH-")]) >= 45


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_defect_applies_cleanly_on_a_fresh_portal(name):
    running = mockportal.start(defects=[name])
    try:
        assert running.portal.defects == (name,)
    finally:
        running.stop()


@pytest.mark.parametrize("skin", sorted(SKINS))
@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_defect_applies_on_each_skin(name, skin):
    """Every defect finds what it changes in each skin's templates and routes, and the templates
    it patches still compile."""
    portal = build_portal(defects=[name], skin=skin)
    try:
        assert portal.defects == (name,) and portal.skin.name == skin
        for template in getattr(portal.templates.loader, "patches", {}):
            portal.templates.get_template(template)
    finally:
        portal.store.close()


@pytest.mark.parametrize("skin", sorted(SKINS))
def test_a_template_patch_that_does_not_match_exactly_once_fails_loudly(skin):
    portal = build_portal(skin=skin)
    try:
        with pytest.raises(LookupError, match=f"{skin} skin.*found it 0 times"):
            patch_template(portal, "_wizard.html", "text that is in no template", "")
        with pytest.raises(LookupError, match="found it [2-9]"):
            patch_template(portal, "wizard_contact.html", "<option value=", "")
        with pytest.raises(LookupError, match=f"no template patch for the {skin} skin"):
            patch_skin(portal, {"another": []})
    finally:
        portal.store.close()


def test_template_patching_defects_patch_the_variants_own_templates():
    """A defect whose text differs between the skins patches each skin's own file."""
    default, variant = (
        build_portal(defects=["confirmation-without-previous"]),
        build_portal(defects=["confirmation-without-previous"], skin="variant"),
    )
    try:
        for portal, path in (
            (default, "templates/wizard_confirmation.html"),
            (variant, "templates/variant/wizard_confirmation.html"),
        ):
            source, filename, _ = portal.templates.loader.get_source(portal.templates, "wizard_confirmation.html")
            assert Path(filename).as_posix().endswith(path)
            assert "previous" not in source.split('name="wizard"')[1]
    finally:
        default.store.close()
        variant.store.close()


def test_unknown_skins_are_refused():
    with pytest.raises(UnknownSkin, match="nope.*default, variant"):
        build_portal(skin="nope")
    refused = subprocess.run(
        [sys.executable, "-m", "mockportal", "--skin", "nope"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2 and "--skin" in refused.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "mockportal", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert "--skin {default,variant}" in helped.stdout


def test_several_defects_at_once():
    names = [
        "name-61-accepted",
        "hex-serial-unpadded",
        "error-field-not-marked",
        "last-name-not-escaped",
        "empty-upload-ignored",
        "language-switch-loses-entries",
    ]
    running = mockportal.start(defects=names)
    try:
        assert running.portal.defects == tuple(names)
    finally:
        running.stop()


def test_unknown_names_are_refused(portals):
    with pytest.raises(UnknownDefect, match="no-such"):
        apply_defects(portals[0], ["no-such"])
    with pytest.raises(UnknownDefect, match="no-such"):
        mockportal.start(defects=["hex-serial-unpadded", "no-such"])


def test_registering_a_bad_rule_id_or_twice_is_refused():
    with pytest.raises(ValueError):
        defect("x", "NOPE-1", "x")
    with pytest.raises(ValueError):
        defect("name-61-accepted", "CONTACT-7", "again")(lambda portal: None)


def test_command_line_lists_every_defect_and_refuses_unknown_ones():
    listed = subprocess.run(
        [sys.executable, "-m", "mockportal", "--list-defects"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    rows = {line.split()[0]: line.split()[1] for line in listed if line.strip()}
    assert rows == {name: d.rule_id for name, d in DEFECTS.items()}
    for line in listed:
        name = line.split()[0]
        assert DEFECTS[name].description in line

    refused = subprocess.run(
        [sys.executable, "-m", "mockportal", "--port", "0", "--defect", "no-such"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "no-such" in refused.stderr


def _fingerprint(portal: Portal) -> dict:
    """What a defect may change on an instance, as plain values."""
    templates = portal.templates
    return {
        "words": portal.words,
        "messages": portal.messages,
        "applications": portal.applications,
        "rules": {name: getattr(portal.rules, name) for name in vars(portal.rules)},
        "certificates": {name: getattr(portal.certificates, name) for name in vars(portal.certificates)},
        "store": sorted(vars(portal.store)),
        "sessions": sorted(vars(portal.sessions)),
        "portal": sorted(vars(portal)),
        "render": portal.render,
        "word": portal.word,
        "routes": [(r.method, r.pattern.pattern, r.handler, r.session, r.manager) for r in portal.router.routes],
        "loader": type(templates.loader),
    }


def test_defects_change_their_own_instance_only(portals):
    broken, clean = portals
    before = _fingerprint(clean)
    apply_defects(broken, sorted(DEFECTS))

    after = _fingerprint(clean)
    assert after == before
    assert clean.words == WORDS and clean.messages == MESSAGES
    assert {name: getattr(clean.rules, name) for name in RULE_FUNCTIONS} == RULE_FUNCTIONS
    assert {name: getattr(clean.certificates, name) for name in CERTIFICATE_FUNCTIONS} == CERTIFICATE_FUNCTIONS
    assert clean.render.__func__ is Portal.render and clean.word.__func__ is Portal.word
    assert not vars(clean.store).keys() & {
        "employer",
        "configuration",
        "add_channel",
        "next_sender",
        "certificate_holder_in",
    }
    # and a portal made afterwards starts clean too
    later = Portal(store=Store())
    try:
        assert _fingerprint(later)["words"] == WORDS
        assert later.rules.wiz_1_steps() == ("information", "contact", "channel", "confirmation")
    finally:
        later.store.close()


def test_wrap_changes_one_instance_and_keeps_the_original_at_hand(portals):
    broken, clean = portals
    wrap(broken.rules, "wiz_1_steps", lambda original: lambda: tuple(reversed(original())))
    assert broken.rules.wiz_1_steps() == ("confirmation", "channel", "contact", "information")
    assert clean.rules.wiz_1_steps() == ("information", "contact", "channel", "confirmation")
    drop_errors(broken.rules, "contact_1_required", lambda error, form: error.field == "phone")
    assert "phone" not in [e.field for e in broken.rules.contact_1_required({})]
    assert "phone" in [e.field for e in clean.rules.contact_1_required({})]


def test_defects_use_no_private_name_of_another_module():
    """A defect goes through public names (a function, a method, an attribute of a collaborator):
    no ``module._helper``, no ``store._db``, no ``from x import _y``. Its own module's helpers
    (``_issuer``) are its business."""
    package = ROOT / "mockportal" / "defects"
    found = []
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
            elif isinstance(node, ast.ImportFrom):
                found += [f"{path.name}:{node.lineno} import {a.name}" for a in node.names if a.name.startswith("_")]
    assert len(list(package.glob("*.py"))) >= 12
    assert not found, found


@pytest.mark.rules("CONTACT-7")
def test_name_61_accepted_on_one_instance(portals):
    broken, clean = portals
    apply_defects(broken, ["name-61-accepted"])
    raw = {"last_name": "x" * 61}
    assert "last_name" not in [e.field for e in broken.rules.check_contact(raw)[1]]
    assert "last_name" in [e.field for e in clean.rules.check_contact(raw)[1]]
    assert "last_name" in [e.field for e in broken.rules.check_contact({"last_name": "x" * 62})[1]]
    assert broken.defects == ("name-61-accepted",)


@pytest.mark.rules("CONTACT-1")
def test_blank_name_accepted_on_one_instance(portals):
    broken, clean = portals
    apply_defects(broken, ["blank-name-accepted"])
    assert "last_name" not in [e.field for e in broken.rules.check_contact({"last_name": "   "})[1]]
    assert "last_name" in [e.field for e in broken.rules.check_contact({"last_name": ""})[1]]
    assert "last_name" in [e.field for e in clean.rules.check_contact({"last_name": "   "})[1]]


@pytest.mark.rules("CONTACT-5")
def test_email_only_first_counted_on_one_instance(portals):
    broken, clean = portals
    apply_defects(broken, ["email-only-first-counted"])
    form = {"email_2": "jean@example.be"}
    assert "email_1" in [e.field for e in broken.rules.check_contact(form)[1]]
    assert "email_1" not in [e.field for e in clean.rules.check_contact(form)[1]]


@pytest.mark.rules("CONFIRM-2")
def test_hex_serial_unpadded_on_one_instance(portals):
    broken, clean = portals
    apply_defects(broken, ["hex-serial-unpadded"])
    data = der(self_signed("X", serial=499))
    assert broken.certificates.view(data).serial_hex == "1F3"
    assert clean.certificates.view(data).serial_hex == "01F3"


@pytest.mark.rules("CONFIRM-2")
def test_hex_serial_sign_byte_on_one_instance(portals):
    broken, clean = portals
    apply_defects(broken, ["hex-serial-sign-byte"])
    data = der(self_signed("X", serial=128))
    assert broken.certificates.view(data).serial_hex == "0080"
    assert clean.certificates.view(data).serial_hex == "80"


@pytest.mark.rules("I18N-1")
def test_dutch_label_wrong_on_one_instance(portals):
    broken, clean = portals
    apply_defects(broken, ["dutch-label-wrong"])
    assert broken.words["next"]["nl"] != "Volgende"
    assert clean.words["next"]["nl"] == WORDS["next"]["nl"] == "Volgende"


@pytest.mark.rules("CONFIRM-1")
def test_template_patch_on_one_instance(portals):
    broken, clean = portals
    apply_defects(broken, ["last-name-not-escaped"])
    source = lambda portal: portal.templates.loader.get_source(portal.templates, "_macros.html")[0]  # noqa: E731
    assert "value|safe" in source(broken)
    assert "value|safe" not in source(clean)


@pytest.mark.rules("ACCESS-1")
def test_route_change_on_one_instance(portals):
    broken, clean = portals
    apply_defects(broken, ["plain-user-opens-wizard"])

    def manager(portal):
        return {r.pattern.pattern: r.manager for r in portal.router.routes if r.pattern.pattern.startswith("/wizard")}

    assert not any(manager(broken).values())
    assert all(manager(clean).values())

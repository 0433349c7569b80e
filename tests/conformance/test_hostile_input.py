"""Hostile text in the contact step: shown back exactly as typed, never interpreted
(CONTACT-7, CONFIRM-1); what a browser cannot type verbatim never breaks the portal."""

from __future__ import annotations

import dataclasses

import pytest
from playwright.sync_api import Page, expect

from fixtures.edge import HOSTILE, ROUND_TRIPPING
from pages import ChannelStep, ContactStep

pytestmark = [pytest.mark.browser, pytest.mark.focused]

TEXT_FIELDS = ("last_name", "first_name", "function")
NOT_ROUND_TRIPPING = tuple(h for h in HOSTILE if not h.round_trips)
# What an accepted value must never silently become (cut at the NUL, CONTACT-7 "never cut").
NEVER_BECOMES = {"nul": "Dupont"}


def record_dialogs(page: Page) -> list[str]:
    """Every alert/confirm/prompt the page opens from now on (each dismissed)."""
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


@pytest.mark.rules("CONTACT-7", "CONFIRM-1")
@pytest.mark.parametrize("hostile", ROUND_TRIPPING, ids=lambda h: h.name)
def test_hostile_text_comes_back_exactly_as_typed(contact_form: ContactStep, person, catalogue, hostile) -> None:
    dialogs = record_dialogs(contact_form.page)
    entered = dataclasses.replace(person, **{key: hostile.value for key in TEXT_FIELDS})

    channel = contact_form.fill(entered).next()
    confirmation = channel.choose_web_service().upload_certificate(catalogue["valid-der"].path).next()

    shown = confirmation.contact()  # the text as read on screen: markup would have changed it
    confirmation.previous().previous()
    for key in TEXT_FIELDS:
        assert shown[key] == hostile.value.strip(), key
    assert dialogs == []


@pytest.mark.rules("CONTACT-7", "CONTACT-8")
@pytest.mark.parametrize("hostile", NOT_ROUND_TRIPPING, ids=lambda h: h.name)
def test_untypable_text_never_breaks_the_portal(contact_form: ContactStep, person, words, hostile) -> None:
    page = contact_form.page
    dialogs = record_dialogs(page)
    contact = contact_form.fill(person).fill_field("last_name", hostile.value).fill_field("function", hostile.value)

    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        contact.next_button.click()

    assert sent.value.status < 500, sent.value.status
    channel = ChannelStep(page, words)
    expect(channel.marker.or_(contact.errors.root).first).to_be_visible()
    if channel.marker.count():  # accepted: what is kept is not a cut-down value
        kept = channel.loaded().previous().value_of("last_name")
        assert kept.strip(), "accepted, yet kept as blank"
        assert kept != NEVER_BECOMES.get(hostile.name), kept
    else:
        assert contact.loaded().value_of("phone") == person.phone  # the other entries are kept
    assert dialogs == []

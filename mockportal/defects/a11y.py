"""Defects of accessibility (A11Y-1..3), each on both skins and each visible to one kind of check
only: axe-core's scan (A11Y-1), a keyboard walk through the page (A11Y-2), the focus after a
refused step (A11Y-3). None changes what a page object finds by role and label, so no other
rule's test can catch them in its place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .patching import add_asset, patch_skin, patch_template
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal


# -- A11Y-1: what axe-core sees --------------------------------------------------------------------
@defect(
    "phone-label-detached",
    "A11Y-1",
    "Téléphone's label is cut off from assistive technology (aria-hidden): it still shows, "
    "but the field has no accessible name",
)
def _phone_label_detached(portal: Portal) -> None:
    # Not the label's ``for`` removed: page objects find fields by label as a screen reader
    # does, so every contact test would catch that for another rule's reason. A label hidden
    # from the accessibility tree still names the field for a script, not for a person.
    hidden = '{% if name == "phone" %} aria-hidden="true"{% endif %}>'
    patch_skin(
        portal,
        {
            "default": [("wizard_contact.html", '<label for="{{ name }}">', '<label for="{{ name }}"' + hidden)],
            "variant": [("wizard_contact.html", '<label for="f-{{ name }}">', '<label for="f-{{ name }}"' + hidden)],
        },
    )


@defect(
    "contact-notes-low-contrast",
    "A11Y-1",
    "the contact step's notes ('* Champs obligatoires', '** Au moins une adresse e-mail') are light grey "
    "on white: contrast 3.0:1, under WCAG's 4.5:1",
)
def _contact_notes_low_contrast(portal: Portal) -> None:
    add_asset(portal, "defect-contact-notes-low-contrast.css", ".note { color: #949494; }\n")


@defect(
    "login-refused-faint",
    "A11Y-1",
    "a refused sign-in's message is light grey on white (contrast about 2.1:1, under WCAG's 4.5:1); the sign-in "
    "page itself and every other screen stay as they were",
)
def _login_refused_faint(portal: Portal) -> None:
    # Only the refused sign-in: a regression a walk that scans the wizard's error states but not
    # the sign-in's would miss.
    faint = ("{{ error_summary(errors) }}", '<div class="defect-faint">{{ error_summary(errors) }}</div>')
    patch_skin(portal, {"default": [("login.html", *faint)], "variant": [("login.html", *faint)]})
    add_asset(
        portal, "defect-login-refused-faint.css", ".defect-faint, .defect-faint * { color: #aaaaaa !important; }\n"
    )


# -- A11Y-2: what a keyboard user meets ------------------------------------------------------------
@defect("phone-focus-trap", "A11Y-2", "Tab and Shift+Tab cannot leave Téléphone: the keyboard is trapped there")
def _phone_focus_trap(portal: Portal) -> None:
    add_asset(
        portal,
        "defect-phone-focus-trap.js",
        (
            'document.addEventListener("keydown", function (event) {\n'
            '  if (event.key === "Tab" && event.target && event.target.name === "phone") { event.preventDefault(); }\n'
            "});\n"
        ),
    )


@defect(
    "focus-outline-removed",
    "A11Y-2",
    "the focus ring is removed (outline: none) on every element: the focus cannot be seen",
)
def _focus_outline_removed(portal: Portal) -> None:
    add_asset(
        portal,
        "defect-focus-outline-removed.css",
        ":focus, :focus-visible { outline: none !important; box-shadow: none !important; }\n",
    )


@defect(
    "focus-ring-always-on",
    "A11Y-2",
    "every control always wears the focus ring, focused or not: there is a ring everywhere, and none "
    "shows where the focus is",
)
def _focus_ring_always_on(portal: Portal) -> None:
    # The ring of each skin's own :focus-visible, put on every control in every state.
    ring = (
        "outline: 3px solid #fdda24 !important; outline-offset: 0 !important; box-shadow: 0 0 0 6px #0b2a4a !important;"
    )
    add_asset(
        portal,
        "defect-focus-ring-always-on.css",
        f"a, button, input, select, textarea, [tabindex], :focus, :focus-visible {{ {ring} }}\n",
    )


# -- A11Y-3: the focus after a refused step ---------------------------------------------------------
@defect(
    "error-summary-not-focused",
    "A11Y-3",
    "after a refused step the focus stays at the top of the page, not on the error summary",
)
def _error_summary_not_focused(portal: Portal) -> None:
    patch_template(portal, "_macros.html", ' tabindex="-1" autofocus>', ">")


@defect(
    "error-links-point-at-messages",
    "A11Y-3",
    "each link of the error summary points at its own message, not at its field: following it leaves the "
    "focus nowhere near the field",
)
def _error_links_point_at_messages(portal: Portal) -> None:
    patch_skin(
        portal,
        {
            "default": [
                ("_macros.html", '<a href="#{{ anchor(error.field) }}">', '<a href="#error-{{ error.field }}">')
            ],
            "variant": [
                ("_macros.html", '<a href="#{{ anchor(error.field) }}">', '<a href="#problem-{{ error.field }}">')
            ],
        },
    )


@defect(
    "group-error-links-to-fieldset",
    "A11Y-3",
    "the error summary's entry for a fault of a whole group (no channel chosen, no application) links to "
    "the group's fieldset, which cannot take the focus, instead of its first control",
)
def _group_error_links_to_fieldset(portal: Portal) -> None:
    patch_skin(
        portal,
        {
            "default": [
                (
                    "_macros.html",
                    '{"channel": "channel-ftp", "applications": "app-1"}',
                    '{"channel": "channel", "applications": "applications"}',
                )
            ],
            "variant": [
                (
                    "_macros.html",
                    '{"channel": "channel-ftp", "applications": "application-1"}',
                    '{"channel": "channel", "applications": "applications"}',
                )
            ],
        },
    )

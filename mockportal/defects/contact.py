"""Defects of the step "Personne de contact" (CONTACT-1..8): required and optional fields, the
titles and regimes offered, e-mail addresses, phone numbers, lengths, the error summary."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..rules import EMAIL_FIELDS, FieldError
from ..web import Handler
from ..wizard import render_step
from .patching import drop_errors, on_wizard_post, patch_skin, patch_template, wrap
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal
    from ..web import Request, Response

Form = Mapping[str, Any]
Check = Callable[[Form], list[FieldError]]


def _digits(value: object) -> int:
    return sum(c.isdigit() for c in str(value or ""))


@defect("blank-name-accepted", "CONTACT-1", "a Nom of spaces only is accepted (only an empty one is refused)")
def _blank_name_accepted(portal: Portal) -> None:
    def blank_accepted(original: Callable[[Form], tuple[dict, list[FieldError]]]) -> Callable[..., Any]:
        def check_contact(raw: Form) -> tuple[dict, list[FieldError]]:
            form, errors = original(raw)
            value = str(raw.get("last_name") or "")
            if value and not value.strip():
                errors = [e for e in errors if e.field != "last_name"]
            return form, errors

        return check_contact

    wrap(portal.rules, "check_contact", blank_accepted)


@defect("function-optional", "CONTACT-1", "Fonction may be left empty")
def _function_optional(portal: Portal) -> None:
    drop_errors(portal.rules, "contact_1_required", lambda e, form: e.field == "function")


@defect("fax-required", "CONTACT-2", "Fax is required")
def _fax_required(portal: Portal) -> None:
    portal.rules.contact_2_optional = lambda form: [] if form.get("fax") else [FieldError("fax", "required")]


@defect("title-without-mlle", "CONTACT-3", "Titre offers M. and Mme only")
def _title_without_mlle(portal: Portal) -> None:
    patch_template(
        portal, "wizard_contact.html", '{% for code in ("mr", "mrs", "miss") %}', '{% for code in ("mr", "mrs") %}'
    )


@defect(
    "regime-always-french",
    "CONTACT-4",
    "Régime linguistique is preselected to Français whatever the interface's language",
)
def _regime_always_french(portal: Portal) -> None:
    portal.rules.contact_4_default_regime = lambda interface_language: "fr"


@defect(
    "regime-not-preselected",
    "CONTACT-4",
    "Régime linguistique starts on a blank option instead of the interface's language",
)
def _regime_not_preselected(portal: Portal) -> None:
    portal.rules.contact_4_default_regime = lambda interface_language: ""
    select = 'name="language_regime"{{ invalid(marks, "language_regime") }}>'
    patch_skin(
        portal,
        {
            "default": [("wizard_contact.html", select, select + '\n        <option value=""></option>')],
            "variant": [],  # its select starts with a placeholder already: that one now shows
        },
    )


@defect("regime-without-german", "CONTACT-4", "Régime linguistique offers Français and Néerlandais only")
def _regime_without_german(portal: Portal) -> None:
    patch_template(
        portal, "wizard_contact.html", '{% for code in ("fr", "nl", "de") %}', '{% for code in ("fr", "nl") %}'
    )


@defect("email-duplicates-accepted", "CONTACT-5", "the same e-mail address twice is accepted")
def _email_duplicates_accepted(portal: Portal) -> None:
    drop_errors(portal.rules, "contact_5_emails", lambda e, form: e.message == "email_duplicate")


@defect(
    "email-duplicate-case-sensitive",
    "CONTACT-5",
    "the same address twice counts as a duplicate only when typed in the same case",
)
def _email_duplicate_case_sensitive(portal: Portal) -> None:
    def differs_in_case_only(error: FieldError, form: Form) -> bool:
        earlier = [form.get(name, "") for name in EMAIL_FIELDS[: EMAIL_FIELDS.index(error.field)]]
        return error.message == "email_duplicate" and form.get(error.field) not in earlier

    drop_errors(portal.rules, "contact_5_emails", differs_in_case_only)


@defect("email-only-first-counted", "CONTACT-5", "only Adresse e-mail 1 counts for the at-least-one-address rule")
def _email_only_first_counted(portal: Portal) -> None:
    def only_first(original: Check) -> Check:
        def emails(form: Form) -> list[FieldError]:
            errors = original(form)
            if not form.get("email_1") and not any(e.message == "email_none" for e in errors):
                errors = [FieldError("email_1", "email_none", label="emails"), *errors]
            return errors

        return emails

    wrap(portal.rules, "contact_5_emails", only_first)


@defect("email-255-accepted", "CONTACT-5", "an e-mail address of 255 characters is accepted (the limit is 254)")
def _email_255_accepted(portal: Portal) -> None:
    drop_errors(
        portal.rules,
        "contact_5_emails",
        lambda e, form: e.message == "email_too_long" and len(form.get(e.field, "")) <= 255,
    )


@defect("email-dotless-domain-accepted", "CONTACT-5", "an address whose domain has no dot (jean@localhost) is accepted")
def _email_dotless_domain_accepted(portal: Portal) -> None:
    def dotless(address: str) -> bool:
        parts = address.split("@")
        return len(parts) == 2 and all(parts) and "." not in parts[1] and not any(c.isspace() for c in address)

    drop_errors(
        portal.rules,
        "contact_5_emails",
        lambda e, form: e.message == "email_invalid" and dotless(form.get(e.field, "")),
    )


@defect("phone-16-digits-accepted", "CONTACT-6", "a phone number of 16 digits is accepted (the limit is 15)")
def _phone_16_digits_accepted(portal: Portal) -> None:
    drop_errors(
        portal.rules, "contact_6_phones", lambda e, form: e.message == "phone_digits" and _digits(form[e.field]) == 16
    )


@defect("phone-letters-accepted", "CONTACT-6", "letters are accepted in phone numbers (only the digits are counted)")
def _phone_letters_accepted(portal: Portal) -> None:
    def letters_accepted(original: Check) -> Check:
        def phones(form: Form) -> list[FieldError]:
            errors = []
            for error in original(form):
                value = form.get(error.field, "")
                if error.message == "phone_characters" and re.fullmatch(r"[0-9A-Za-z +./()\-]*", value):
                    if 9 <= _digits(value) <= 15:
                        continue
                    error = FieldError(error.field, "phone_digits", params={"min": 9, "max": 15})
                errors.append(error)
            return errors

        return phones

    wrap(portal.rules, "contact_6_phones", letters_accepted)


@defect("fax-unchecked", "CONTACT-6", "Fax is not checked: any text is accepted there")
def _fax_unchecked(portal: Portal) -> None:
    drop_errors(portal.rules, "contact_6_phones", lambda e, form: e.field == "fax")


@defect("name-61-accepted", "CONTACT-7", "Nom accepts 61 characters (the limit is 60)")
def _name_61_accepted(portal: Portal) -> None:
    drop_errors(
        portal.rules,
        "contact_7_lengths",
        lambda e, form: e.field == "last_name" and len(form.get("last_name", "")) == 61,
    )


@defect("function-cut-at-60", "CONTACT-7", "a Fonction over 60 characters is silently cut to 60 instead of refused")
def _function_cut_at_60(portal: Portal) -> None:
    def cut(original: Callable[[Form], dict]) -> Callable[[Form], dict]:
        def trim(raw: Form) -> dict:
            form = original(raw)
            form["function"] = form["function"][:60]
            return form

        return trim

    wrap(portal.rules, "contact_7_trim", cut)


@defect("trailing-spaces-kept", "CONTACT-7", "only leading spaces are trimmed: trailing ones are kept and counted")
def _trailing_spaces_kept(portal: Portal) -> None:
    wrap(
        portal.rules,
        "contact_7_trim",
        lambda original: lambda raw: {name: str(raw.get(name) or "").lstrip() for name in original(raw)},
    )


@defect("error-field-not-marked", "CONTACT-8", "an error on Nom is listed but the field is not marked invalid")
def _error_field_not_marked(portal: Portal) -> None:
    patch_template(
        portal, "_macros.html", "{% if field in marks %}", '{% if field in marks and field != "last_name" %}'
    )


@defect(
    "entries-lost-on-error",
    "CONTACT-8",
    "when the contact step comes back with errors, Fonction and Téléphone are empty (unless faulty)",
)
def _entries_lost_on_error(portal: Portal) -> None:
    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        response = handler(portal_, request)
        draft = request.signed_session.draft
        if response.status != 422 or draft is None:
            return response
        _, errors = portal_.rules.check_contact(draft.contact)
        faulty = {error.field for error in errors}
        for name in ("function", "phone"):
            if name not in faulty:
                draft.contact[name] = ""
        return render_step(portal_, request, draft, "contact", errors=errors, status=422)

    on_wizard_post(portal, "contact", "next", change)


@defect("summary-lists-first-problem-only", "CONTACT-8", "the error summary lists (and marks) only the first problem")
def _summary_lists_first_problem_only(portal: Portal) -> None:
    wrap(portal.rules, "contact_8_summary", lambda original: lambda errors, *order: original(errors, *order)[:1])


@defect(
    "required-message-unnamed", "CONTACT-8", "'required' messages do not name the field ('Ce champ est obligatoire.')"
)
def _required_message_unnamed(portal: Portal) -> None:
    portal.messages["required"] = {
        "fr": "Ce champ est obligatoire.",
        "nl": "Dit veld is verplicht.",
        "de": "Dieses Feld ist ein Pflichtfeld.",
    }

"""Named portal defects: each breaks exactly one contract rule on one server instance.

A defect is a small function that replaces one collaborator of a ``Portal`` — a rule
(``portal.rules.<rule>``), a certificate check or display (``portal.certificates.<name>``), a
word or message (``portal.words``, ``portal.messages``), a store method (``portal.store.<method>``,
set on that store instance), a template (``_patch_template``), a route's handler or options
(``_route``) — so the correct code never knows about defects. Every defect breaks its rule on
every skin (``skins.py``): a template patch whose text differs between the skins' templates
gives each skin its own text (``_patch_skin``). The conformance suite is run
against each defect in turn (``python -m harness.mutants``) to show it catches it. Add one with::

    @defect("name-61-accepted", "CONTACT-7", "Nom accepts 61 characters")
    def _(portal):
        ...

``python -m mockportal --list-defects`` prints them all. The OAuth defects (OAUTH-1..5) are in
``defects_oauth.py``, registered at the end of this module.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

import jinja2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from contract.rules import RULES

from .certificate import BRUSSELS, RFC4514_NAMES, rfc4514_escape
from .rules import EMAIL_FIELDS, FieldError
from .sessions import language_cookie
from .store import DEMO_USERS, Configuration, client_id
from .web import redirect

if TYPE_CHECKING:
    from .portal import Portal
    from .web import Request, Response


@dataclass(frozen=True)
class Defect:
    name: str
    rule_id: str  # the contract rule it breaks
    description: str
    apply: Callable[["Portal"], None]


DEFECTS: dict[str, Defect] = {}


def defect(name: str, rule_id: str, description: str) -> Callable[[Callable[["Portal"], None]], Callable]:
    """Register ``apply(portal)`` as the defect ``name`` breaking ``rule_id``."""
    if rule_id not in RULES:
        raise ValueError(f"defect {name!r}: unknown contract rule id {rule_id!r}")

    def register(apply: Callable[["Portal"], None]) -> Callable[["Portal"], None]:
        if name in DEFECTS:
            raise ValueError(f"defect {name!r} is registered twice")
        DEFECTS[name] = Defect(name, rule_id, description, apply)
        return apply

    return register


class UnknownDefect(ValueError):
    """A defect name that is not in the registry."""


def apply_defects(portal: "Portal", names: Iterable[str]) -> None:
    """Switch the named defects on for this portal instance only."""
    names = tuple(names)
    unknown = [name for name in names if name not in DEFECTS]
    if unknown:
        raise UnknownDefect(f"unknown defect(s): {', '.join(unknown)}; known: {', '.join(sorted(DEFECTS))}")
    for name in names:
        DEFECTS[name].apply(portal)
    portal.defects = tuple(dict.fromkeys((*portal.defects, *names)))


# -- helpers: replace one collaborator of one instance ---------------------------------------------
WIZARD = r"/wizard"
WIZARD_STEP = r"/wizard/(?P<step>information|contact|channel|confirmation)"
CHANNEL_PAGE = r"/channels/(?P<kind>ftp|sftp|ws)"
CHANNEL_CONFIRMATION = CHANNEL_PAGE + "/confirmation"  # skins that add a channel in two steps
OVERVIEW = r"/configuration"
DELETION = r"/configuration/delete"

Handler = Callable[["Portal", "Request"], "Response"]


def _route(portal: "Portal", method: str, pattern: str, *, wrap: Callable[[Handler], Handler] | None = None,
           **options: object) -> None:
    """Replace the handler (``wrap(handler)``) or the options (``manager=False``, ...) of one
    route of this portal's routing table."""
    for index, route in enumerate(portal.router.routes):
        if route.method == method and route.pattern.pattern == pattern:
            handler = wrap(route.handler) if wrap else route.handler
            portal.router.routes[index] = dataclasses.replace(route, handler=handler, **options)
            return
    raise LookupError(f"no route {method} {pattern}")


def _on_wizard_post(portal: "Portal", step: str, action: str | None,
                    change: Callable[["Portal", "Request", Handler], "Response"]) -> None:
    """Let ``change(portal, request, handler)`` answer a wizard POST of ``step`` (and ``action``,
    unless None); any other POST goes to the correct handler."""

    def wrap(handler: Handler) -> Handler:
        def submit(portal_: "Portal", request: "Request") -> "Response":
            if request.params.get("step") == step and (action is None or request.form.get("action") == action):
                return change(portal_, request, handler)
            return handler(portal_, request)

        return submit

    _route(portal, "POST", WIZARD_STEP, wrap=wrap)


class _PatchedTemplates(jinja2.BaseLoader):
    """The portal's template loader with text replacements on some templates."""

    def __init__(self, base: jinja2.BaseLoader):
        self.base = base
        self.patches: dict[str, list[tuple[str, str]]] = {}

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = self.base.get_source(environment, template)
        for old, new in self.patches.get(template, ()):
            source = source.replace(old, new)
        return source, filename, uptodate


def _patch_template(portal: "Portal", name: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in one template of this portal, as its skin resolves the name.
    ``old`` must be there exactly once: a patch that would change nothing is an error."""
    templates = portal.templates
    if not isinstance(templates.loader, _PatchedTemplates):
        templates.loader = _PatchedTemplates(templates.loader)
    loader = templates.loader
    source = loader.get_source(templates, name)[0]
    if source.count(old) != 1:
        raise LookupError(f"{name} ({portal.skin.name} skin): expected {old!r} once, "
                          f"found it {source.count(old)} times")
    loader.patches.setdefault(name, []).append((old, new))
    if templates.cache is not None:
        templates.cache.clear()


def _patch_skin(portal: "Portal", patches: Mapping[str, Sequence[tuple[str, str, str]]]) -> None:
    """``_patch_template`` with each skin's own (template, old, new) texts; a skin missing from
    ``patches`` is an error, so that a new skin cannot silently leave a defect out."""
    if portal.skin.name not in patches:
        raise LookupError(f"no template patch for the {portal.skin.name} skin")
    for name, old, new in patches[portal.skin.name]:
        _patch_template(portal, name, old, new)


def _wrap_render(portal: "Portal", configuration: Callable[["Request"], object]) -> None:
    """Render every page with ``configuration(request)`` as the side navigation's configuration."""
    original = portal.render

    def render(request, template, **options):
        if request.signed_in:
            options["configuration"] = configuration(request)
        return original(request, template, **options)

    portal.render = render  # type: ignore[method-assign]


def _issuer(name: x509.Name, *, reverse: bool = True, escape: bool = True, names=RFC4514_NAMES) -> str:
    """A DN written like CONFIRM-2's issuer, with one of its rules changed."""
    rdns = reversed(name.rdns) if reverse else name.rdns
    return ", ".join(
        "+".join(f"{names.get(a.oid, a.oid.dotted_string)}={rfc4514_escape(a.value) if escape else a.value}"
                 for a in rdn)
        for rdn in rdns)


def _filter(errors: list[FieldError], drop: Callable[[FieldError], bool]) -> list[FieldError]:
    return [error for error in errors if not drop(error)]


# == ACCESS ==========================================================================================
@defect("plain-user-opens-wizard", "ACCESS-1",
        "a plain user who types a wizard address gets the wizard (only the navigation link is hidden)")
def _plain_user_opens_wizard(portal: "Portal") -> None:
    for method, pattern in (("GET", WIZARD), ("GET", WIZARD_STEP), ("POST", WIZARD_STEP)):
        _route(portal, method, pattern, manager=False)


@defect("plain-user-opens-channel-pages", "ACCESS-1",
        "a plain user who types a channel page's address sees the channel and may add one")
def _plain_user_opens_channel_pages(portal: "Portal") -> None:
    patterns = (CHANNEL_PAGE, CHANNEL_CONFIRMATION) if portal.skin.channel_confirmation else (CHANNEL_PAGE,)
    for pattern in patterns:
        for method in ("GET", "POST"):
            _route(portal, method, pattern, manager=False)


@defect("co-manager-refused", "ACCESS-1", "the co-gestionnaire local is treated as a plain user")
def _co_manager_refused(portal: "Portal") -> None:
    portal.rules.access_1_may_manage = lambda role: role == "gl"


@defect("quit-keeps-session", "ACCESS-2", "Quit clears the browser's cookie but the session stays valid on the server")
def _quit_keeps_session(portal: "Portal") -> None:
    portal.sessions.end = lambda session_id: None  # type: ignore[method-assign]


@defect("no-session-acts-as-demo", "ACCESS-2",
        "without a session the wizard opens as the demo gestionnaire local (a development shortcut left on)")
def _no_session_acts_as_demo(portal: "Portal") -> None:
    def wrap(handler: Handler) -> Handler:
        def as_demo(portal_: "Portal", request: "Request") -> "Response":
            if not request.signed_in:
                user = portal_.store.user_by_username(DEMO_USERS["gl"])
                request.session = portal_.sessions.sign_in(None, user_id=user.id, employer_id=user.employer_id,
                                                           role=user.role, language=request.language)
            elif not portal_.rules.access_1_may_manage(request.session.role):
                return portal_.access_refused(request)
            return handler(portal_, request)

        return as_demo

    for pattern in (WIZARD, WIZARD_STEP):
        _route(portal, "GET", pattern, wrap=wrap, session=False, manager=False)


@defect("overview-employer-from-query", "ACCESS-3",
        "the overview's address names the employer (?employer=<enterprise number>) and is honoured for anyone")
def _overview_employer_from_query(portal: "Portal") -> None:
    def employer_id(session_employer_id, values):
        number = values.get("employer")
        employer = portal.store.employer_by_number(str(number)) if number else None
        return employer.id if employer is not None else session_employer_id

    portal.rules.access_3_employer_id = employer_id

    def wrap(handler: Handler) -> Handler:
        def overview(portal_: "Portal", request: "Request") -> "Response":
            if "employer" not in request.query:
                own = portal_.store.employer(request.session.employer_id)
                return redirect(f"/configuration?employer={own.enterprise_number.replace('.', '')}")
            return handler(portal_, request)

        return overview

    _route(portal, "GET", OVERVIEW, wrap=wrap)


# == HOME ============================================================================================
@defect("enterprise-number-without-dots", "HOME-1", "the enterprise number is shown as ten bare digits (0123456749)")
def _enterprise_number_without_dots(portal: "Portal") -> None:
    original = portal.store.employer

    def employer(employer_id):
        found = original(employer_id)
        return dataclasses.replace(found, enterprise_number=found.enterprise_number.replace(".", "")) if found else None

    portal.store.employer = employer  # type: ignore[method-assign]


@defect("co-manager-greeted-as-manager", "HOME-1", "Home greets the co-gestionnaire local as Gestionnaire Local")
def _co_manager_greeted_as_manager(portal: "Portal") -> None:
    portal.rules.home_1_role_word = lambda role: "role_gl" if role in ("gl", "cogl") else None


@defect("no-active-sender-without-period", "HOME-2",
        "Home says 'Il n'y a pas d'expéditeur actif' without its full stop")
def _no_active_sender_without_period(portal: "Portal") -> None:
    for language, text in portal.words["no_active_sender"].items():
        portal.words["no_active_sender"][language] = text.rstrip(".")


@defect("registration-link-missing", "HOME-2",
        "with no sender the side navigation offers the configuration's pages, not 'Enregistrement des données "
        "de configuration'")
def _registration_link_missing(portal: "Portal") -> None:
    _wrap_render(portal, lambda request: portal.store.configuration(request.session.employer_id) or True)


# == WIZ =============================================================================================
@defect("steps-in-wrong-order", "WIZ-1", "the step list shows Données du canal before Personne de contact")
def _steps_in_wrong_order(portal: "Portal") -> None:
    portal.rules.wiz_1_steps = lambda: ("information", "channel", "contact", "confirmation")


@defect("current-step-not-marked", "WIZ-1", "the step list does not mark the current step (no aria-current)")
def _current_step_not_marked(portal: "Portal") -> None:
    _patch_template(portal, "_wizard.html", '{% if name == step %} aria-current="step"{% endif %}', "")


@defect("information-without-mqlink", "WIZ-2", "the Information text leaves MQLink out of the batch channels")
def _information_without_mqlink(portal: "Portal") -> None:
    for language, (old, new) in {"fr": (", FTP et MQLink", " et FTP"), "nl": (", FTP en MQLink", " en FTP"),
                                 "de": (", FTP und MQLink", " und FTP")}.items():
        text = portal.messages["info_2"][language]
        if old not in text:
            raise LookupError(f"info_2 ({language}) does not say {old!r}")
        portal.messages["info_2"][language] = text.replace(old, new)


@defect("information-next-says-continuer", "WIZ-2", "the Information step's Suivant button reads 'Continuer'")
def _information_next_says_continuer(portal: "Portal") -> None:
    _patch_skin(portal, {
        "default": [("wizard_information.html", 'class="primary">{{ w.next }}</button>',
                     'class="primary">Continuer</button>')],
        "variant": [("wizard_information.html", 'name="action.next" value="{{ w.next }}"',
                     'name="action.next" value="Continuer"')],
    })


@defect("previous-forgets-certificate", "WIZ-3", "Précédent from the confirmation drops the uploaded certificate")
def _previous_forgets_certificate(portal: "Portal") -> None:
    def change(portal_, request, handler):
        response = handler(portal_, request)
        if request.session.draft is not None:
            request.session.draft.certificate_der = None
        return response

    _on_wizard_post(portal, "confirmation", "previous", change)


@defect("previous-forgets-channel", "WIZ-3", "Précédent from Données du canal forgets the channel chosen")
def _previous_forgets_channel(portal: "Portal") -> None:
    def change(portal_, request, handler):
        response = handler(portal_, request)
        if request.session.draft is not None:
            request.session.draft.channel = ""
        return response

    _on_wizard_post(portal, "channel", "previous", change)


@defect("replacement-certificate-ignored", "WIZ-3",
        "once a certificate is loaded, uploading another one on the channel step keeps the first")
def _replacement_certificate_ignored(portal: "Portal") -> None:
    def change(portal_, request, handler):
        draft = request.session.draft
        before = draft.certificate_der if draft is not None else None
        response = handler(portal_, request)
        if before is not None and request.session.draft is draft:
            draft.certificate_der = before
        return response

    _on_wizard_post(portal, "channel", None, change)


@defect("cancel-still-creates", "WIZ-4", "Annuler on the confirmation creates the configuration anyway, then goes Home")
def _cancel_still_creates(portal: "Portal") -> None:
    def change(portal_, request, handler):
        request.form.fields["action"] = ["confirm"]
        handler(portal_, request)
        request.session.draft = None
        request.session.flash = None
        return redirect("/")

    _on_wizard_post(portal, "confirmation", "cancel", change)


@defect("cancel-keeps-entries", "WIZ-4", "Annuler goes Home but keeps the draft: the next wizard starts filled in")
def _cancel_keeps_entries(portal: "Portal") -> None:
    for step in ("information", "contact", "channel", "confirmation"):
        _on_wizard_post(portal, step, "cancel", lambda portal_, request, handler: redirect("/"))


@defect("step-skipping-allowed", "WIZ-5",
        "once past Information, any step's address shows that step, whatever is still missing")
def _step_skipping_allowed(portal: "Portal") -> None:
    original = portal.rules.wiz_5_first_incomplete
    portal.rules.wiz_5_first_incomplete = (
        lambda complete, wanted: wanted if complete.get("information") else original(complete, wanted))


@defect("contact-step-skippable", "WIZ-5",
        "the contact step counts as done once Information is: Données du canal opens with no contact entered")
def _contact_step_skippable(portal: "Portal") -> None:
    original = portal.rules.wiz_5_first_incomplete
    portal.rules.wiz_5_first_incomplete = (
        lambda complete, wanted: original({**complete, "contact": complete.get("contact") or
                                           bool(complete.get("information"))}, wanted))


@defect("double-submit-two-senders", "WIZ-6",
        "the same confirmation sent again replaces the configuration with a new one under a new sender number")
def _double_submit_two_senders(portal: "Portal") -> None:
    def change(portal_, request, handler):
        session = request.session
        existing = portal_.store.configuration(session.employer_id)
        if existing is None or request.form.get("wizard") not in session.consumed_drafts:
            return handler(portal_, request)
        portal_.store.delete_configuration(session.employer_id)
        portal_.store.create_configuration(session.employer_id, existing.contact, next(iter(existing.channels.values())))
        session.flash = ("word", "channel_added")
        return redirect("/configuration")

    _on_wizard_post(portal, "confirmation", "confirm", change)


# == CONTACT =========================================================================================
@defect("blank-name-accepted", "CONTACT-1", "a Nom of spaces only is accepted (only an empty one is refused)")
def _blank_name_accepted(portal: "Portal") -> None:
    original = portal.rules.check_contact

    def check_contact(raw):
        form, errors = original(raw)
        value = str(raw.get("last_name") or "")
        if value and not value.strip():
            errors = _filter(errors, lambda e: e.field == "last_name")
        return form, errors

    portal.rules.check_contact = check_contact


@defect("function-optional", "CONTACT-1", "Fonction may be left empty")
def _function_optional(portal: "Portal") -> None:
    original = portal.rules.contact_1_required
    portal.rules.contact_1_required = lambda form: _filter(original(form), lambda e: e.field == "function")


@defect("fax-required", "CONTACT-2", "Fax is required")
def _fax_required(portal: "Portal") -> None:
    portal.rules.contact_2_optional = lambda form: [] if form.get("fax") else [FieldError("fax", "required")]


@defect("title-without-mlle", "CONTACT-3", "Titre offers M. and Mme only")
def _title_without_mlle(portal: "Portal") -> None:
    _patch_template(portal, "wizard_contact.html", '{% for code in ("mr", "mrs", "miss") %}',
                    '{% for code in ("mr", "mrs") %}')


@defect("regime-always-french", "CONTACT-4",
        "Régime linguistique is preselected to Français whatever the interface's language")
def _regime_always_french(portal: "Portal") -> None:
    portal.rules.contact_4_default_regime = lambda interface_language: "fr"


@defect("regime-not-preselected", "CONTACT-4",
        "Régime linguistique starts on a blank option instead of the interface's language")
def _regime_not_preselected(portal: "Portal") -> None:
    portal.rules.contact_4_default_regime = lambda interface_language: ""
    select = 'name="language_regime"{{ invalid(marks, "language_regime") }}>'
    _patch_skin(portal, {
        "default": [("wizard_contact.html", select, select + '\n        <option value=""></option>')],
        "variant": [],  # its select starts with a placeholder already: that one now shows
    })


@defect("regime-without-german", "CONTACT-4", "Régime linguistique offers Français and Néerlandais only")
def _regime_without_german(portal: "Portal") -> None:
    _patch_template(portal, "wizard_contact.html", '{% for code in ("fr", "nl", "de") %}',
                    '{% for code in ("fr", "nl") %}')


@defect("email-duplicates-accepted", "CONTACT-5", "the same e-mail address twice is accepted")
def _email_duplicates_accepted(portal: "Portal") -> None:
    original = portal.rules.contact_5_emails
    portal.rules.contact_5_emails = lambda form: _filter(original(form), lambda e: e.message == "email_duplicate")


@defect("email-duplicate-case-sensitive", "CONTACT-5",
        "the same address twice counts as a duplicate only when typed in the same case")
def _email_duplicate_case_sensitive(portal: "Portal") -> None:
    original = portal.rules.contact_5_emails

    def emails(form):
        def differs_in_case_only(error):
            earlier = [form.get(name, "") for name in EMAIL_FIELDS[:EMAIL_FIELDS.index(error.field)]]
            return error.message == "email_duplicate" and form.get(error.field) not in earlier

        return _filter(original(form), differs_in_case_only)

    portal.rules.contact_5_emails = emails


@defect("email-only-first-counted", "CONTACT-5",
        "only Adresse e-mail 1 counts for the at-least-one-address rule")
def _email_only_first_counted(portal: "Portal") -> None:
    original = portal.rules.contact_5_emails

    def emails(form):
        errors = original(form)
        if not form.get("email_1") and not any(e.message == "email_none" for e in errors):
            errors = [FieldError("email_1", "email_none", label="emails"), *errors]
        return errors

    portal.rules.contact_5_emails = emails


@defect("email-255-accepted", "CONTACT-5", "an e-mail address of 255 characters is accepted (the limit is 254)")
def _email_255_accepted(portal: "Portal") -> None:
    original = portal.rules.contact_5_emails
    portal.rules.contact_5_emails = lambda form: _filter(
        original(form), lambda e: e.message == "email_too_long" and len(form.get(e.field, "")) <= 255)


@defect("email-dotless-domain-accepted", "CONTACT-5", "an address whose domain has no dot (jean@localhost) is accepted")
def _email_dotless_domain_accepted(portal: "Portal") -> None:
    original = portal.rules.contact_5_emails

    def dotless(address: str) -> bool:
        parts = address.split("@")
        return len(parts) == 2 and all(parts) and "." not in parts[1] and not any(c.isspace() for c in address)

    portal.rules.contact_5_emails = lambda form: _filter(
        original(form), lambda e: e.message == "email_invalid" and dotless(form.get(e.field, "")))


@defect("phone-16-digits-accepted", "CONTACT-6", "a phone number of 16 digits is accepted (the limit is 15)")
def _phone_16_digits_accepted(portal: "Portal") -> None:
    original = portal.rules.contact_6_phones
    portal.rules.contact_6_phones = lambda form: _filter(
        original(form), lambda e: e.message == "phone_digits" and sum(c.isdigit() for c in form[e.field]) == 16)


@defect("phone-letters-accepted", "CONTACT-6", "letters are accepted in phone numbers (only the digits are counted)")
def _phone_letters_accepted(portal: "Portal") -> None:
    original = portal.rules.contact_6_phones

    def phones(form):
        errors = []
        for error in original(form):
            value = form.get(error.field, "")
            if error.message == "phone_characters" and re.fullmatch(r"[0-9A-Za-z +./()\-]*", value):
                if 9 <= sum(c.isdigit() for c in value) <= 15:
                    continue
                error = FieldError(error.field, "phone_digits", params={"min": 9, "max": 15})
            errors.append(error)
        return errors

    portal.rules.contact_6_phones = phones


@defect("fax-unchecked", "CONTACT-6", "Fax is not checked: any text is accepted there")
def _fax_unchecked(portal: "Portal") -> None:
    original = portal.rules.contact_6_phones
    portal.rules.contact_6_phones = lambda form: _filter(original(form), lambda e: e.field == "fax")


@defect("name-61-accepted", "CONTACT-7", "Nom accepts 61 characters (the limit is 60)")
def _name_61_accepted(portal: "Portal") -> None:
    original = portal.rules.contact_7_lengths

    def lengths(form):
        return [e for e in original(form) if not (e.field == "last_name" and len(form.get("last_name", "")) == 61)]

    portal.rules.contact_7_lengths = lengths


@defect("function-cut-at-60", "CONTACT-7", "a Fonction over 60 characters is silently cut to 60 instead of refused")
def _function_cut_at_60(portal: "Portal") -> None:
    original = portal.rules.contact_7_trim

    def trim(raw):
        form = original(raw)
        form["function"] = form["function"][:60]
        return form

    portal.rules.contact_7_trim = trim


@defect("trailing-spaces-kept", "CONTACT-7", "only leading spaces are trimmed: trailing ones are kept and counted")
def _trailing_spaces_kept(portal: "Portal") -> None:
    original = portal.rules.contact_7_trim

    def trim(raw):
        trimmed = original(raw)
        return {name: str(raw.get(name) or "").lstrip() for name in trimmed}

    portal.rules.contact_7_trim = trim


@defect("error-field-not-marked", "CONTACT-8", "an error on Nom is listed but the field is not marked invalid")
def _error_field_not_marked(portal: "Portal") -> None:
    _patch_template(portal, "_macros.html", "{% if field in marks %}", '{% if field in marks and field != "last_name" %}')


@defect("entries-lost-on-error", "CONTACT-8",
        "when the contact step comes back with errors, Fonction and Téléphone are empty (unless faulty)")
def _entries_lost_on_error(portal: "Portal") -> None:
    from . import wizard

    def change(portal_, request, handler):
        response = handler(portal_, request)
        draft = request.session.draft
        if response.status != 422 or draft is None:
            return response
        _, errors = portal_.rules.check_contact(draft.contact)
        faulty = {error.field for error in errors}
        for name in ("function", "phone"):
            if name not in faulty:
                draft.contact[name] = ""
        return wizard._render(portal_, request, draft, "contact", errors=errors, status=422)

    _on_wizard_post(portal, "contact", "next", change)


@defect("summary-lists-first-problem-only", "CONTACT-8", "the error summary lists (and marks) only the first problem")
def _summary_lists_first_problem_only(portal: "Portal") -> None:
    original = portal.rules.contact_8_summary
    portal.rules.contact_8_summary = lambda errors, *order: original(errors, *order)[:1]


@defect("required-message-unnamed", "CONTACT-8", "'required' messages do not name the field ('Ce champ est obligatoire.')")
def _required_message_unnamed(portal: "Portal") -> None:
    portal.messages["required"] = {"fr": "Ce champ est obligatoire.", "nl": "Dit veld is verplicht.",
                                   "de": "Dieses Feld ist ein Pflichtfeld."}


# == CHANNEL =========================================================================================
@defect("no-channel-means-web-service", "CHANNEL-1", "no channel chosen is taken as Web Service instead of an error")
def _no_channel_means_web_service(portal: "Portal") -> None:
    def change(portal_, request, handler):
        if not request.form.get("channel"):
            request.form.fields["channel"] = ["ws"]
        return handler(portal_, request)

    _on_wizard_post(portal, "channel", "next", change)


@defect("sftp-not-offered", "CHANNEL-1", "the channel choice offers Canal FTP and Canal Web Service only")
def _sftp_not_offered(portal: "Portal") -> None:
    _patch_template(portal, "wizard_channel.html", '{% for code in ("ftp", "sftp", "ws") %}',
                    '{% for code in ("ftp", "ws") %}')


@defect("batch-certificate-optional", "CHANNEL-2", "FTP and SFTP go on without a certificate (only Web Service asks for one)")
def _batch_certificate_optional(portal: "Portal") -> None:
    original = portal.rules.channel_2_certificate
    portal.rules.channel_2_certificate = lambda values: [] if values.get("channel") in ("ftp", "sftp") else original(values)


@defect("ftp-without-application", "CHANNEL-3", "FTP goes on without an application (only SFTP asks for one)")
def _ftp_without_application(portal: "Portal") -> None:
    original = portal.rules.channel_3_applications
    portal.rules.channel_3_applications = lambda values: [] if values.get("channel") == "ftp" else original(values)


@defect("application-missing-from-list", "CHANNEL-3",
        "Liste des applications leaves out 'Déclaration électronique au Cadastre des Pensions (layout plat)'")
def _application_missing_from_list(portal: "Portal") -> None:
    portal.applications = portal.applications[:-1]


def _ssh_rsa_bits(text: object) -> int:
    parts = str(text or "").split()
    try:
        key = serialization.load_ssh_public_key(f"{parts[0]} {parts[1]}".encode("ascii"))
    except Exception:  # noqa: BLE001
        return 0
    return key.key_size if isinstance(key, rsa.RSAPublicKey) else 0


@defect("ssh-rsa-1024-accepted", "CHANNEL-4", "an RSA SSH key of 1024 bits is accepted (the minimum is 2048)")
def _ssh_rsa_1024_accepted(portal: "Portal") -> None:
    original = portal.rules.channel_4_ssh_key
    portal.rules.channel_4_ssh_key = lambda values: _filter(
        original(values), lambda e: e.message == "ssh_weak" and _ssh_rsa_bits(values.get("ssh_key")) >= 1024)


@defect("ssh-key-optional", "CHANNEL-4", "SFTP goes on without an SSH public key")
def _ssh_key_optional(portal: "Portal") -> None:
    original = portal.rules.channel_4_ssh_key
    portal.rules.channel_4_ssh_key = lambda values: _filter(original(values), lambda e: e.message == "ssh_required")


@defect("ws-connection-extranet", "CHANNEL-5", "the Web Service's connection type is Extranet instead of Internet")
def _ws_connection_extranet(portal: "Portal") -> None:
    portal.words["connection_extranet"] = {"fr": "Extranet", "nl": "Extranet", "de": "Extranet"}
    original = portal.rules.channel_5_stored

    def stored(values):
        kept = original(values)
        return {**kept, "connection_type": "extranet"} if kept["connection_type"] == "internet" else kept

    portal.rules.channel_5_stored = stored


@defect("ws-needs-application", "CHANNEL-5", "Web Service also asks for an application of the list")
def _ws_needs_application(portal: "Portal") -> None:
    original = portal.rules.channel_3_applications
    portal.rules.channel_3_applications = (
        lambda values: original({**values, "channel": "ftp"}) if values.get("channel") == "ws" else original(values))


@defect("channel-page-not-adding", "CHANNEL-6", "the page of a channel not configured yet offers nothing to add it")
def _channel_page_not_adding(portal: "Portal") -> None:
    portal.rules.channel_6_can_add = lambda configured, kind: False


@defect("channel-page-add-ignored", "CHANNEL-6", "Confirmer on a channel page says the channel was added but adds nothing")
def _channel_page_add_ignored(portal: "Portal") -> None:
    portal.store.add_channel = lambda employer_id, channel: "created"  # type: ignore[method-assign]


# == CERT ============================================================================================
@defect("pem-refused", "CERT-1", "only DER is read: a PEM (Base64) certificate is refused as not a certificate")
def _pem_refused(portal: "Portal") -> None:
    original = portal.certificates.cert_1_load
    portal.certificates.cert_1_load = (
        lambda data: (None, "cert_not_certificate") if b"-----BEGIN" in data else original(data))


@defect("several-certificates-first-used", "CERT-2", "a file with several certificates is accepted, the first one used")
def _several_certificates_first_used(portal: "Portal") -> None:
    original = portal.certificates.cert_1_load

    def load(data):
        certificate, error = original(data)
        if error == "cert_several" and b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)[0], None
        return certificate, error

    portal.certificates.cert_1_load = load


@defect("empty-upload-ignored", "CERT-2",
        "an empty file is taken as no file chosen: no error of its own, and a certificate loaded before stays")
def _empty_upload_ignored(portal: "Portal") -> None:
    def drop_empty(request) -> None:
        upload = request.form.files.get("certificate")
        if upload is not None and not upload.data:
            del request.form.files["certificate"]

    def change(portal_, request, handler):
        drop_empty(request)
        return handler(portal_, request)

    _on_wizard_post(portal, "channel", None, change)

    def wrap(handler: Handler) -> Handler:
        def add(portal_: "Portal", request: "Request") -> "Response":
            drop_empty(request)
            return handler(portal_, request)

        return add

    _route(portal, "POST", CHANNEL_PAGE, wrap=wrap)


@defect("oversized-file-accepted", "CERT-2",
        "a file over 64 KiB is accepted when the certificate in it is small (no limit on the file itself)")
def _oversized_file_accepted(portal: "Portal") -> None:
    portal.certificates.cert_2_file = lambda data: None if data else "cert_empty"


@defect("certificate-with-key-accepted", "CERT-3",
        "a PEM file holding the certificate and its private key is accepted (the key is ignored)")
def _certificate_with_key_accepted(portal: "Portal") -> None:
    original = portal.certificates.cert_3_private_key
    portal.certificates.cert_3_private_key = (
        lambda data: None if b"-----BEGIN CERTIFICATE-----" in data else original(data))


@defect("private-key-logged", "CERT-3", "a refused private key is quoted in a warning of the server log")
def _private_key_logged(portal: "Portal") -> None:
    original = portal.certificates.cert_3_private_key

    def check(data):
        error = original(data)
        if error:
            portal.log.warning("refused upload (%s, %d bytes): %s", error, len(data),
                               data[:8192].decode("ascii", "backslashreplace"))
        return error

    portal.certificates.cert_3_private_key = check


@defect("expired-yesterday-accepted", "CERT-4",
        "expiry is compared by day with a day's grace: a certificate that expired yesterday is accepted")
def _expired_yesterday_accepted(portal: "Portal") -> None:
    def validity(certificate, now=None):
        now = now or datetime.datetime.now(datetime.timezone.utc)
        if certificate.not_valid_after_utc.date() < (now - datetime.timedelta(days=1)).date():
            return "cert_expired"
        if certificate.not_valid_before_utc > now:
            return "cert_not_yet_valid"
        return None

    portal.certificates.cert_4_validity = validity


@defect("not-yet-valid-accepted", "CERT-4", "notBefore is not checked: a certificate not valid yet is accepted")
def _not_yet_valid_accepted(portal: "Portal") -> None:
    original = portal.certificates.cert_4_validity

    def validity(certificate, now=None):
        error = original(certificate, now)
        return None if error == "cert_not_yet_valid" else error

    portal.certificates.cert_4_validity = validity


def _strength_except(portal: "Portal", allowed: Callable[[x509.Certificate, str], bool]) -> None:
    original = portal.certificates.cert_5_strength

    def strength(certificate):
        error = original(certificate)
        return None if error and allowed(certificate, error) else error

    portal.certificates.cert_5_strength = strength


def _signed_with_sha1_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer`` signed ``certificate`` with RSA and SHA-1 (checked by hand: the library's
    own issuer check refuses SHA-1 outright)."""
    try:
        issuer.public_key().verify(certificate.signature, certificate.tbs_certificate_bytes, padding.PKCS1v15(),
                                   hashes.SHA1())
    except Exception:  # noqa: BLE001 - another key type, another hash or a bad signature
        return False
    return certificate.issuer == issuer.subject


@defect("sha1-signature-accepted", "CERT-5",
        "only MD5 signatures are refused: a SHA-1 signature from a trusted CA is accepted")
def _sha1_signature_accepted(portal: "Portal") -> None:
    def sha1(certificate: x509.Certificate) -> bool:
        try:
            return isinstance(certificate.signature_hash_algorithm, hashes.SHA1)
        except Exception:  # noqa: BLE001 - an unknown hash is not SHA-1
            return False

    _strength_except(portal, lambda c, error: error == "cert_weak_signature" and sha1(c))
    # CERT-6 itself stays right: the issuer must still be trusted (or the company) and its
    # signature valid, only now a SHA-1 signature can be checked at all.
    original = portal.certificates.cert_6_issuer
    certificates = portal.certificates

    def issuer(c, trusted, company):
        if not sha1(c):
            return original(c, trusted, company)
        if any(_signed_with_sha1_by(c, authority) for authority in trusted):
            return None
        organisation = certificates.confirm_2_company(c).strip()
        own = organisation and organisation.casefold() == company.strip().casefold()
        return None if own and _signed_with_sha1_by(c, c) else "cert_untrusted"

    certificates.cert_6_issuer = issuer


@defect("rsa-1024-accepted", "CERT-5", "an RSA key of 1024 bits is accepted (the minimum is 2048)")
def _rsa_1024_accepted(portal: "Portal") -> None:
    _strength_except(portal, lambda c, error: error == "cert_key_size" and c.public_key().key_size >= 1024)


@defect("rsa-size-in-bytes", "CERT-5", "the key size is checked in whole bytes (256): a 2047-bit RSA key passes")
def _rsa_size_in_bytes(portal: "Portal") -> None:
    _strength_except(portal, lambda c, error: error == "cert_key_size" and (c.public_key().key_size + 7) // 8 >= 256)


@defect("self-signed-any-name-accepted", "CERT-6", "a self-signed certificate is accepted whatever company it names")
def _self_signed_any_name_accepted(portal: "Portal") -> None:
    original = portal.certificates.cert_6_issuer
    portal.certificates.cert_6_issuer = (
        lambda c, trusted, company: None if c.issuer == c.subject else original(c, trusted, company))


@defect("issuer-name-trusted", "CERT-6",
        "a certificate is trusted when its issuer's name is a trusted CA's, the CA's signature unchecked")
def _issuer_name_trusted(portal: "Portal") -> None:
    original = portal.certificates.cert_6_issuer
    portal.certificates.cert_6_issuer = (
        lambda c, trusted, company: None if any(c.issuer == a.subject for a in trusted) else original(c, trusted, company))


@defect("untrusted-ca-accepted", "CERT-6", "a certificate from any CA is accepted, trusted or not")
def _untrusted_ca_accepted(portal: "Portal") -> None:
    original = portal.certificates.cert_6_issuer
    portal.certificates.cert_6_issuer = (
        lambda c, trusted, company: None if c.issuer != c.subject else original(c, trusted, company))


@defect("company-name-case-sensitive", "CERT-6",
        "a self-signed certificate's O must equal the company's name letter for letter (case and spaces count)")
def _company_name_case_sensitive(portal: "Portal") -> None:
    original = portal.certificates.cert_6_issuer

    def issuer(c, trusted, company):
        error = original(c, trusted, company)
        if error is None and c.issuer == c.subject and portal.certificates.confirm_2_company(c) != company:
            return "cert_untrusted"
        return error

    portal.certificates.cert_6_issuer = issuer


@defect("certificate-shared-between-senders", "CERT-7", "a certificate another sender still uses is accepted")
def _certificate_shared_between_senders(portal: "Portal") -> None:
    portal.store._certificate_holder = lambda db, sha256: None  # type: ignore[method-assign]


@defect("certificate-kept-after-delete", "CERT-7",
        "a deleted configuration's certificates stay taken: nobody may register them again")
def _certificate_kept_after_delete(portal: "Portal") -> None:
    store = portal.store
    original_delete, original_holder = store.delete_configuration, store._certificate_holder
    retired: set[str] = set()

    def delete_configuration(employer_id):
        configuration = store.configuration(employer_id)
        deleted = original_delete(employer_id)
        if deleted and configuration is not None:
            retired.update(channel.certificate_sha256 for channel in configuration.channels.values())
        return deleted

    def holder(db, sha256):
        found = original_holder(db, sha256)
        return 0 if found is None and sha256 in retired else found  # 0: no employer has that id

    store.delete_configuration = delete_configuration  # type: ignore[method-assign]
    store._certificate_holder = holder  # type: ignore[method-assign]


# == CONFIRM =========================================================================================
@defect("miss-shown-as-mrs", "CONFIRM-1", "the summaries (confirmation, overview) show the title Mlle as Mme")
def _miss_shown_as_mrs(portal: "Portal") -> None:
    original = portal.word
    portal.word = lambda key, language: original("title_mrs" if key == "title_miss" else key, language)  # type: ignore[method-assign]


@defect("confirmation-without-previous", "CONFIRM-1", "the confirmation offers Annuler and Confirmer but no Précédent")
def _confirmation_without_previous(portal: "Portal") -> None:
    _patch_skin(portal, {
        "default": [("wizard_confirmation.html",
                     '<button type="submit" name="action" value="previous">{{ w.previous }}</button>', "")],
        "variant": [("wizard_confirmation.html",
                     '<input type="submit" name="action.previous" value="{{ w.previous }}">', "")],
    })


@defect("last-name-not-escaped", "CONFIRM-1",
        "the summaries print Nom unescaped (|safe): markup typed there is interpreted, not shown")
def _last_name_not_escaped(portal: "Portal") -> None:
    _patch_skin(portal, {
        "default": [("_macros.html", "<dd>{{ value }}</dd>",
                     "<dd>{% if label == w.last_name %}{{ value|safe }}{% else %}{{ value }}{% endif %}</dd>")],
        "variant": [("_macros.html", "<td>{{ cell(value) }}</td>",
                     "<td>{% if label == w.last_name %}{{ value|safe }}{% else %}{{ cell(value) }}{% endif %}</td>")],
    })


@defect("hex-serial-unpadded", "CONFIRM-2", "the hexadecimal serial is not padded to whole bytes (499 → 1F3)")
def _hex_serial_unpadded(portal: "Portal") -> None:
    portal.certificates.confirm_2_serial_hex = lambda certificate: f"{certificate.serial_number:X}"


@defect("hex-serial-sign-byte", "CONFIRM-2",
        "the hexadecimal serial is the DER integer with its sign byte (128 → 0080)")
def _hex_serial_sign_byte(portal: "Portal") -> None:
    portal.certificates.confirm_2_serial_hex = (
        lambda c: c.serial_number.to_bytes(c.serial_number.bit_length() // 8 + 1, "big").hex().upper())


@defect("expiry-in-utc", "CONFIRM-2", "the expiry date is the day of notAfter in UTC, not in Brussels")
def _expiry_in_utc(portal: "Portal") -> None:
    portal.certificates.confirm_2_expiry = lambda c: c.not_valid_after_utc.strftime("%d/%m/%Y")


@defect("expiry-fixed-offset", "CONFIRM-2", "Brussels is taken as UTC+1 all year (summer time ignored)")
def _expiry_fixed_offset(portal: "Portal") -> None:
    portal.certificates.confirm_2_expiry = (
        lambda c: (c.not_valid_after_utc + datetime.timedelta(hours=1)).strftime("%d/%m/%Y"))


@defect("issuer-encoded-order", "CONFIRM-2", "the issuer is written in the encoded order (C=BE, O=…, CN=…), not RFC 4514's")
def _issuer_encoded_order(portal: "Portal") -> None:
    portal.certificates.confirm_2_issuer = lambda c: _issuer(c.issuer, reverse=False)


@defect("issuer-unescaped", "CONFIRM-2", "the issuer's values are not escaped as RFC 4514 says")
def _issuer_unescaped(portal: "Portal") -> None:
    portal.certificates.confirm_2_issuer = lambda c: _issuer(c.issuer, escape=False)


@defect("issuer-email-named-e", "CONFIRM-2", "emailAddress is written 'E=' instead of its dotted OID")
def _issuer_email_named_e(portal: "Portal") -> None:
    names = {**RFC4514_NAMES, x509.NameOID.EMAIL_ADDRESS: "E"}
    portal.certificates.confirm_2_issuer = lambda c: _issuer(c.issuer, names=names)


# == RESULT ==========================================================================================
@defect("success-message-not-status", "RESULT-1", "'Le canal a bien été ajouté.' is shown, but not as a status message")
def _success_message_not_status(portal: "Portal") -> None:
    _patch_skin(portal, {
        "default": [("overview.html", '<p role="status" class="status">', '<p class="status">')],
        "variant": [("overview.html", '<div role="status" class="done">', '<div class="done">')],
    })


@defect("success-message-wrong-text", "RESULT-1", "after Confirmer the overview says 'Le canal a été ajouté.'")
def _success_message_wrong_text(portal: "Portal") -> None:
    portal.words["channel_added"] = {"fr": "Le canal a été ajouté.", "nl": "Het kanaal is toegevoegd.",
                                     "de": "Der Kanal ist hinzugefügt."}


@defect("registration-date-two-digit-year", "RESULT-2", "Date d'inscription is written dd/mm/yy")
def _registration_date_two_digit_year(portal: "Portal") -> None:
    store = portal.store
    original = store.create_configuration

    def create_configuration(employer_id, contact, channel):
        outcome = original(employer_id, contact, channel)
        if outcome == "created":
            with store._transaction() as db:
                db.execute("UPDATE configurations SET registration_date = ? WHERE employer_id = ?",
                           (datetime.datetime.now(BRUSSELS).strftime("%d/%m/%y"), employer_id))
        return outcome

    store.create_configuration = create_configuration  # type: ignore[method-assign]


@dataclass(frozen=True)
class _ClientIdOfEmployer(Configuration):
    @property
    def client_id(self) -> str:  # type: ignore[override]
        return client_id(self.employer_id)


@defect("client-id-not-sender", "RESULT-3", "the OAuth client id is made of the internal employer id, not the sender number")
def _client_id_not_sender(portal: "Portal") -> None:
    original = portal.store.configuration

    def configuration(employer_id):
        found = original(employer_id)
        return _ClientIdOfEmployer(**{f.name: getattr(found, f.name) for f in dataclasses.fields(found)}) if found else None

    portal.store.configuration = configuration  # type: ignore[method-assign]


@defect("oauth-client-label-wrong", "RESULT-3", "the overview labels the client id 'Client OAuth' (the seed: 'Client OAUTH')")
def _oauth_client_label_wrong(portal: "Portal") -> None:
    portal.words["oauth_client"]["fr"] = "Client OAuth"


@defect("home-still-no-active-sender", "RESULT-4", "Home still says 'Il n'y a pas d'expéditeur actif.' after registration")
def _home_still_no_active_sender(portal: "Portal") -> None:
    portal.rules.home_2_no_active_sender = lambda has_configuration: True


@defect("side-navigation-unchanged", "RESULT-4", "after registration the side navigation still offers only the registration")
def _side_navigation_unchanged(portal: "Portal") -> None:
    _wrap_render(portal, lambda request: None)


@defect("channel-links-reordered", "RESULT-4", "the side navigation lists Canal SFTP last, after Canal FTP")
def _channel_links_reordered(portal: "Portal") -> None:
    items = {"default": ("<li>", "</li>"), "variant": ('<p class="sub">', "</p>")}
    patches = {}
    for skin, (start, end) in items.items():
        sftp = start + '{{ link("/channels/sftp", "channel_sftp", w.channel_sftp) }}' + end
        ftp = start + '{{ link("/channels/ftp", "channel_ftp", w.channel_ftp) }}' + end
        patches[skin] = [("_sidenav.html", sftp, ""), ("_sidenav.html", ftp, ftp + sftp)]
    _patch_skin(portal, patches)


# == SENDER, DELETE ==================================================================================
@defect("sender-reused-after-delete", "SENDER-1",
        "the next sender number is the highest in use plus one: a deleted last number is handed out again")
def _sender_reused_after_delete(portal: "Portal") -> None:
    portal.store._next_sender = lambda db: (  # type: ignore[method-assign]
        db.execute("SELECT COALESCE(MAX(sender), 100000) FROM configurations").fetchone()[0] + 1)


@defect("second-channel-changes-sender", "SENDER-1", "adding a channel gives the configuration a new sender number")
def _second_channel_changes_sender(portal: "Portal") -> None:
    store = portal.store
    original = store.add_channel

    def add_channel(employer_id, channel):
        outcome = original(employer_id, channel)
        if outcome == "created":
            with store._transaction() as db:
                db.execute("UPDATE configurations SET sender = ? WHERE employer_id = ?",
                           (store._next_sender(db), employer_id))
        return outcome

    store.add_channel = add_channel  # type: ignore[method-assign]


@defect("sender-seven-digits", "SENDER-1", "sender numbers have seven digits (the counter starts at 1000001)")
def _sender_seven_digits(portal: "Portal") -> None:
    original = portal.store._next_sender
    portal.store._next_sender = lambda db: original(db) + 900_000  # type: ignore[method-assign]


@defect("delete-without-confirmation", "DELETE-1", "the deletion link deletes at once, without asking")
def _delete_without_confirmation(portal: "Portal") -> None:
    def wrap(handler: Handler) -> Handler:
        def delete_at_once(portal_: "Portal", request: "Request") -> "Response":
            if portal_.store.delete_configuration(request.session.employer_id):
                request.session.flash = ("message", "deleted")
            return redirect("/")

        return delete_at_once

    _route(portal, "GET", DELETION, wrap=wrap)


@defect("delete-cancel-deletes", "DELETE-1", "Annuler on the deletion page deletes as well")
def _delete_cancel_deletes(portal: "Portal") -> None:
    def wrap(handler: Handler) -> Handler:
        def delete(portal_: "Portal", request: "Request") -> "Response":
            if request.form.get("action") == "cancel":
                request.form.fields["action"] = ["confirm"]
            return handler(portal_, request)

        return delete

    _route(portal, "POST", DELETION, wrap=wrap)


@defect("delete-leaves-configuration", "DELETE-1", "the deletion is confirmed but the configuration stays")
def _delete_leaves_configuration(portal: "Portal") -> None:
    portal.store.delete_configuration = lambda employer_id: True  # type: ignore[method-assign]


# == I18N ============================================================================================
@defect("dutch-label-wrong", "I18N-1", "the Dutch interface says 'Verder' instead of 'Volgende'")
def _dutch_label_wrong(portal: "Portal") -> None:
    portal.words["next"]["nl"] = "Verder"


@defect("language-switch-loses-entries", "I18N-1",
        "switching the language on a wizard step shows it again without what was typed there")
def _language_switch_loses_entries(portal: "Portal") -> None:
    def wrap(handler: Handler) -> Handler:
        def submit(portal_: "Portal", request: "Request") -> "Response":
            if request.form.get("action") != "language":
                return handler(portal_, request)
            session = request.session
            session.language = portal_.rules.i18n_1_language(request.form.get("lang"), session.language)
            return redirect(f"/wizard/{request.params['step']}").header("Set-Cookie", language_cookie(session.language))

        return submit

    _route(portal, "POST", WIZARD_STEP, wrap=wrap)


# -- the OAuth defects (OAUTH-1..5) live in their own module --------------------------------------------
try:
    from mockportal import defects_oauth  # noqa: E402,F401  (registers the OAuth defects)
except ModuleNotFoundError as error:  # not written yet: only the defects above
    if error.name != "mockportal.defects_oauth":
        raise

"""Defects written blind, round 1 (``docs/blind-defects.md``): each breaks one rule the way a
real portal's regression would, subtly (a limit off by one, one language, a second pass, a
near-miss accepted, one error state), on both skins."""

from __future__ import annotations

import datetime
import json
import re
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from contract.words import LANGUAGES

from ..certificate import BRUSSELS
from ..oauth import DEMO_PATH, SCOPE, TOKEN_PATH, Grant, OAuthError
from ..rules import MAX_TEXT, TEXT_FIELDS, FieldError
from ..sessions import LANGUAGE_COOKIE, Draft
from ..store import FIRST_SENDER, Configuration
from ..web import Handler, Response, redirect
from .patching import (
    CHANNEL_CONFIRMATION,
    CHANNEL_PAGE,
    DELETION,
    OVERVIEW,
    add_asset,
    drop_errors,
    on_wizard_post,
    patch_skin,
    route,
    wrap,
    wrap_render,
)
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal
    from ..web import Request

Form = Mapping[str, Any]
SKINS = ("default", "variant")


class Flag(threading.local):
    """Set while one request of a given kind is handled (rules and checks do not see the route)."""

    on = False


def while_flagged(flag: Flag) -> Callable[[Handler], Handler]:
    def change(handler: Handler) -> Handler:
        def handle(portal: Portal, request: Request) -> Response:
            flag.on = True
            try:
                return handler(portal, request)
            finally:
                flag.on = False

        return handle

    return change


def same_patch(template: str, old: str, new: str) -> dict[str, list[tuple[str, str, str]]]:
    """A template patch whose text is the same in every skin's own template."""
    return {skin: [(template, old, new)] for skin in SKINS}


# -- ACCESS -------------------------------------------------------------------------------------
@defect(
    "blind-german-plain-user-sees-messages-section",
    "ACCESS-1",
    "in the German interface a plain user's side navigation shows 'Strukturierte Nachrichten' with its "
    "registration link",
)
def _german_plain_user_sees_messages_section(portal: Portal) -> None:
    patch_skin(portal, same_patch("_sidenav.html", "{% if manager %}", '{% if manager or lang == "de" %}'))


@defect(
    "blind-quit-keeps-session-with-draft",
    "ACCESS-2",
    "Quit in the middle of the wizard leaves the session valid on the server: the old cookie still opens every page",
)
def _quit_keeps_session_with_draft(portal: Portal) -> None:
    sessions = portal.sessions

    def keeping_drafts(original: Callable[[str], None]) -> Callable[[str], None]:
        def end(session_id: str) -> None:
            # Kept so that the wizard could be resumed: the regression.
            session = sessions.get(session_id)
            if session is not None and session.draft is not None:
                return
            original(session_id)

        return end

    wrap(sessions, "end", keeping_drafts)


@defect(
    "blind-deletion-honours-enterprise-number",
    "ACCESS-3",
    "the deletion form deletes the configuration of the employer named by an enterprise_number field sent "
    "with it, whoever that employer is",
)
def _deletion_honours_enterprise_number(portal: Portal) -> None:
    def naming_the_employer(handler: Handler) -> Handler:
        def delete(portal_: Portal, request: Request) -> Response:
            number = request.form.get("enterprise_number")
            other = portal_.store.employer_by_number(number) if number else None
            if other is None or request.form.get("action") != "confirm":
                return handler(portal_, request)
            if portal_.store.delete_configuration(other.id):
                request.signed_session.flash = ("message", "deleted")
            return redirect("/")

        return delete

    route(portal, "POST", DELETION, change=naming_the_employer)


# -- HOME ----------------------------------------------------------------------------------------
@defect(
    "blind-dutch-co-manager-greeted-as-manager",
    "HOME-1",
    "in Dutch, Home greets the co-gestionnaire local with the gestionnaire local's title",
)
def _dutch_co_manager_greeted_as_manager(portal: Portal) -> None:
    portal.words["role_cogl"]["nl"] = portal.words["role_gl"]["nl"]


@defect(
    "blind-no-sender-notice-for-manager-only",
    "HOME-2",
    "the co-gestionnaire local's Home does not say 'Il n'y a pas d'expéditeur actif.' (the gestionnaire local's does)",
)
def _no_sender_notice_for_manager_only(portal: Portal) -> None:
    patch_skin(
        portal,
        same_patch(
            "home.html", "{% if show_senders %}", '{% if show_senders and (role != "cogl" or not no_active_sender) %}'
        ),
    )


# -- WIZ -----------------------------------------------------------------------------------------
@defect(
    "blind-confirmation-marks-channel-step",
    "WIZ-1",
    "on the Confirmation step the step list marks 'Données du canal' as the current step",
)
def _confirmation_marks_channel_step(portal: Portal) -> None:
    # Off by one on the last step only; the step's own heading stays right.
    patch_skin(
        portal,
        same_patch(
            "_wizard.html",
            "{% for name in steps %}",
            '{% for name in steps %}{% set step = "channel" if step == "confirmation" else step %}',
        ),
    )


@defect(
    "blind-previous-unticks-applications",
    "WIZ-3",
    "Précédent from the confirmation comes back to Données du canal with the applications unticked",
)
def _previous_unticks_applications(portal: Portal) -> None:
    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        response = handler(portal_, request)
        draft = request.signed_session.draft
        if draft is not None:
            draft.applications = []
        return response

    on_wizard_post(portal, "confirmation", "previous", change)


@defect(
    "blind-cancel-keeps-certificate",
    "WIZ-4",
    "after Annuler, the next wizard's channel step already has the certificate of the cancelled one loaded",
)
def _cancel_keeps_certificate(portal: Portal) -> None:
    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        session = request.signed_session
        der = session.draft.certificate_der if session.draft is not None else None
        response = handler(portal_, request)
        if der is not None and session.draft is None:
            session.draft = Draft(certificate_der=der)
        return response

    for step in ("information", "contact", "channel", "confirmation"):
        on_wizard_post(portal, step, "cancel", change)


# -- CONTACT -------------------------------------------------------------------------------------
@defect(
    "blind-email-duplicate-first-and-third-accepted",
    "CONTACT-5",
    "the same address in Adresse e-mail 1 and Adresse e-mail 3 is accepted (in 1 and 2, or 2 and 3, it is refused)",
)
def _email_duplicate_first_and_third_accepted(portal: Portal) -> None:
    def only_first_repeated(error: FieldError, form: Form) -> bool:
        third = str(form.get("email_3", "")).casefold()
        return (
            error.message == "email_duplicate"
            and error.field == "email_3"
            and third != str(form.get("email_2", "")).casefold()
        )

    drop_errors(portal.rules, "contact_5_emails", only_first_repeated)


@defect(
    "blind-mobile-8-digits-accepted",
    "CONTACT-6",
    "Mobile accepts a number of 8 digits (Téléphone and Fax still need 9)",
)
def _mobile_8_digits_accepted(portal: Portal) -> None:
    drop_errors(
        portal.rules,
        "contact_6_phones",
        lambda e, form: (
            e.field == "mobile" and e.message == "phone_digits" and sum(c.isdigit() for c in form["mobile"]) == 8
        ),
    )


@defect(
    "blind-length-counted-in-bytes",
    "CONTACT-7",
    "a text field with accented letters is refused as longer than 60 characters although it holds fewer",
)
def _length_counted_in_bytes(portal: Portal) -> None:
    def in_bytes(original: Callable[[Form], list[FieldError]]) -> Callable[[Form], list[FieldError]]:
        def lengths(form: Form) -> list[FieldError]:
            errors = original(form)
            faulty = {error.field for error in errors}
            return errors + [
                FieldError(name, "too_long", params={"max": MAX_TEXT})
                for name in TEXT_FIELDS
                if name not in faulty and len(str(form.get(name, "")).encode("utf-8")) > MAX_TEXT
            ]

        return lengths

    wrap(portal.rules, "contact_7_lengths", in_bytes)


@defect(
    "blind-german-phone-digits-message-unnamed",
    "CONTACT-8",
    "in German, the message for a phone number with too few or too many digits names no field",
)
def _german_phone_digits_message_unnamed(portal: Portal) -> None:
    portal.messages["phone_digits"]["de"] = "Die Nummer muss {min} bis {max} Ziffern enthalten."


# -- CHANNEL -------------------------------------------------------------------------------------
@defect(
    "blind-added-channel-without-application",
    "CHANNEL-3",
    "an FTP or SFTP channel added later on its channel page needs no application (the wizard still asks for one)",
)
def _added_channel_without_application(portal: Portal) -> None:
    on_channel_page = Flag()
    wrap(
        portal.rules,
        "channel_3_applications",
        lambda original: lambda values: [] if on_channel_page.on else original(values),
    )
    route(portal, "POST", CHANNEL_PAGE, change=while_flagged(on_channel_page))
    if portal.skin.channel_confirmation:  # its confirmation page checks the entries again
        for method in ("GET", "POST"):
            route(portal, method, CHANNEL_CONFIRMATION, change=while_flagged(on_channel_page))


def _ecdsa_key(text: object) -> bool:
    parts = str(text or "").split()
    if len(parts) < 2 or not parts[0].startswith("ecdsa-sha2-"):
        return False
    try:
        key = serialization.load_ssh_public_key(f"{parts[0]} {parts[1]}".encode("ascii"))
    except Exception:  # noqa: BLE001 - unreadable: not a key at all
        return False
    return isinstance(key, ec.EllipticCurvePublicKey)


@defect(
    "blind-ssh-ecdsa-accepted",
    "CHANNEL-4",
    "an ECDSA SSH public key (ecdsa-sha2-nistp256) is accepted for SFTP",
)
def _ssh_ecdsa_accepted(portal: Portal) -> None:
    drop_errors(
        portal.rules,
        "channel_4_ssh_key",
        lambda e, values: e.message == "ssh_weak" and _ecdsa_key(values.get("ssh_key")),
    )


@defect(
    "blind-german-ftp-link-opens-sftp",
    "CHANNEL-6",
    "in German, the side navigation's 'Kanal FTP' link opens the SFTP channel's page",
)
def _german_ftp_link_opens_sftp(portal: Portal) -> None:
    link = '{% macro link(href, name, text) %}<a href="{{ href }}"'
    patch_skin(
        portal,
        same_patch(
            "_sidenav.html",
            link,
            link.replace("{{ href }}", '{{ "/channels/sftp" if href == "/channels/ftp" and lang == "de" else href }}'),
        ),
    )


# -- CERT ----------------------------------------------------------------------------------------
@defect(
    "blind-pem-crlf-refused",
    "CERT-1",
    "a PEM certificate saved with Windows line endings (CRLF) is refused as not a certificate",
)
def _pem_crlf_refused(portal: Portal) -> None:
    wrap(
        portal.certificates,
        "cert_1_load",
        lambda original: (
            lambda data: (None, "cert_not_certificate") if b"-----BEGIN" in data and b"\r\n" in data else original(data)
        ),
    )


@defect(
    "blind-openssh-private-key-generic-message",
    "CERT-3",
    "an OpenSSH private key file is refused as 'not a certificate', with no word of the private key in it",
)
def _openssh_private_key_generic_message(portal: Portal) -> None:
    # Still refused and dropped (CERT-1 finds no certificate): only the message is wrong.
    wrap(
        portal.certificates,
        "cert_3_private_key",
        lambda original: lambda data: None if b"-----BEGIN OPENSSH PRIVATE KEY-----" in data else original(data),
    )


@defect(
    "blind-not-before-local-time",
    "CERT-4",
    "a certificate that becomes valid only within the next hour is accepted already",
)
def _not_before_local_time(portal: Portal) -> None:
    def local(original: Callable[..., str | None]) -> Callable[..., str | None]:
        def validity(certificate: x509.Certificate, now: datetime.datetime | None = None) -> str | None:
            error = original(certificate, now)
            if error != "cert_not_yet_valid":
                return error
            moment = now or datetime.datetime.now(datetime.UTC)
            offset = moment.astimezone(BRUSSELS).utcoffset() or datetime.timedelta(0)
            return None if certificate.not_valid_before_utc <= moment + offset else error

        return validity

    wrap(portal.certificates, "cert_4_validity", local)


@defect(
    "blind-certificate-reuse-checked-for-web-service-only",
    "CERT-7",
    "a certificate still registered for another sender's FTP or SFTP channel is accepted (one still registered "
    "for its Web Service is refused)",
)
def _certificate_reuse_checked_for_web_service_only(portal: Portal) -> None:
    store = portal.store

    def web_service_only(original: Callable[[object, str], int | None]) -> Callable[[object, str], int | None]:
        def holder(db: object, sha256: str) -> int | None:
            found = original(db, sha256)
            if found is None:
                return None
            configuration = store.configuration(found)
            ws = configuration.channels.get("ws") if configuration is not None else None
            return found if ws is not None and ws.certificate_sha256 == sha256 else None

        return holder

    wrap(store, "certificate_holder_in", web_service_only)


# -- CONFIRM -------------------------------------------------------------------------------------
@defect(
    "blind-confirmation-shows-interface-regime",
    "CONFIRM-1",
    "the summaries show the interface's language as Régime linguistique, not the regime chosen",
)
def _confirmation_shows_interface_regime(portal: Portal) -> None:
    regimes = {f"language_{code}" for code in LANGUAGES}
    wrap(
        portal,
        "word",
        lambda original: lambda key, language: original(f"language_{language}" if key in regimes else key, language),
    )


class IssuedBy:
    """A certificate seen with another issuer name, for the display only."""

    def __init__(self, certificate: x509.Certificate, issuer: x509.Name):
        self.certificate = certificate
        self.issuer = issuer

    def __getattr__(self, name: str) -> Any:
        return getattr(self.certificate, name)


@defect(
    "blind-issuer-multivalued-rdn-split",
    "CONFIRM-2",
    "an issuer with a multi-valued RDN (CN=…+serialNumber=…) is shown as separate attributes joined by ', '",
)
def _issuer_multivalued_rdn_split(portal: Portal) -> None:
    def split(original: Callable[[Any], str]) -> Callable[[x509.Certificate], str]:
        def issuer(certificate: x509.Certificate) -> str:
            rdns = certificate.issuer.rdns
            if all(len(rdn) == 1 for rdn in rdns):
                return original(certificate)
            flat = x509.Name([x509.RelativeDistinguishedName([attribute]) for rdn in rdns for attribute in rdn])
            return original(IssuedBy(certificate, flat))

        return issuer

    wrap(portal.certificates, "confirm_2_issuer", split)


@defect(
    "blind-expiry-midnight-previous-day",
    "CONFIRM-2",
    "a certificate expiring at midnight Brussels time shows the day before as its Date d'expiration",
)
def _expiry_midnight_previous_day(portal: Portal) -> None:
    def last_whole_day(original: Callable[[x509.Certificate], str]) -> Callable[[x509.Certificate], str]:
        def expiry(certificate: x509.Certificate) -> str:
            try:
                local = certificate.not_valid_after_utc.astimezone(BRUSSELS)
            except (OverflowError, ValueError):
                return original(certificate)
            if (local.hour, local.minute, local.second) == (0, 0, 0):
                return (local - datetime.timedelta(seconds=1)).strftime("%d/%m/%Y")
            return original(certificate)

        return expiry

    wrap(portal.certificates, "confirm_2_expiry", last_whole_day)


# -- RESULT --------------------------------------------------------------------------------------
@defect(
    "blind-success-message-first-registration-only",
    "RESULT-1",
    "after a deletion, registering again ends on the overview without 'Le canal a bien été ajouté.'",
)
def _success_message_first_registration_only(portal: Portal) -> None:
    welcomed: set[int] = set()

    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        response = handler(portal_, request)
        session = request.signed_session
        if session.flash == ("word", "channel_added"):
            if session.employer_id in welcomed:
                session.flash = None
            welcomed.add(session.employer_id)
        return response

    on_wizard_post(portal, "confirmation", "confirm", change)


@defect(
    "blind-overview-expiry-in-utc",
    "RESULT-3",
    "the overview's Date d'expiration du certificat is the day of notAfter in UTC (the confirmation's is right)",
)
def _overview_expiry_in_utc(portal: Portal) -> None:
    on_overview = Flag()
    wrap(
        portal.certificates,
        "confirm_2_expiry",
        lambda original: (
            lambda certificate: (
                certificate.not_valid_after_utc.strftime("%d/%m/%Y") if on_overview.on else original(certificate)
            )
        ),
    )
    route(portal, "GET", OVERVIEW, change=while_flagged(on_overview))


@defect(
    "blind-home-side-navigation-stale",
    "RESULT-4",
    "after registration Home's side navigation still offers only 'Enregistrement des données de configuration' "
    "(every other page's is right)",
)
def _home_side_navigation_stale(portal: Portal) -> None:
    def configuration(request: Request) -> Configuration | None:
        if request.path == "/":
            return None
        return portal.store.configuration(request.signed_session.employer_id)

    wrap_render(portal, configuration)


# -- SENDER --------------------------------------------------------------------------------------
@defect(
    "blind-sender-counter-not-persisted",
    "SENDER-1",
    "after a restart with a state file, the next sender number follows the highest one still configured: a "
    "number deleted before the restart is handed out again",
)
def _sender_counter_not_persisted(portal: Portal) -> None:
    # The counter lives in memory, started from what is configured at start-up.
    with portal.store.transaction() as db:
        highest = db.execute("SELECT COALESCE(MAX(sender), 0) FROM configurations").fetchone()[0]
    counter = {"last": max(int(highest), FIRST_SENDER - 1)}

    def next_sender(db: object) -> int:
        counter["last"] += 1
        return counter["last"]

    portal.store.next_sender = next_sender  # type: ignore[method-assign]


# -- DELETE --------------------------------------------------------------------------------------
@defect(
    "blind-deleted-client-tokens-still-valid",
    "DELETE-1",
    "after the deletion, access tokens issued before it still open the demo service (new ones are refused)",
)
def _deleted_client_tokens_still_valid(portal: Portal) -> None:
    oauth = portal.oauth

    def unrevoked(original: Callable[[str], Grant | str]) -> Callable[[str], Grant | str]:
        def check_token(token: str) -> Grant | str:
            grant = oauth.tokens.get(token)
            if grant is not None and grant.expires_at > oauth.clock() and SCOPE in grant.scope.split():
                return grant
            return original(token)

        return check_token

    wrap(oauth, "check_token", unrevoked)


@defect(
    "blind-german-delete-cancel-deletes",
    "DELETE-1",
    "in German, 'Abbrechen' on the deletion page deletes the configuration",
)
def _german_delete_cancel_deletes(portal: Portal) -> None:
    def cancel_deletes(handler: Handler) -> Handler:
        def delete(portal_: Portal, request: Request) -> Response:
            if request.language == "de" and request.form.get("action") == "cancel":
                request.form.fields["action"] = ["confirm"]
            return handler(portal_, request)

        return delete

    route(portal, "POST", DELETION, change=cancel_deletes)


# -- I18N ----------------------------------------------------------------------------------------
@defect(
    "blind-language-switch-drops-fax-and-mobile",
    "I18N-1",
    "switching the language on the contact step keeps what was typed, but for Fax and Mobile",
)
def _language_switch_drops_fax_and_mobile(portal: Portal) -> None:
    def change(portal_: Portal, request: Request, handler: Handler) -> Response:
        for name in ("fax", "mobile"):
            request.form.fields[name] = [""]
        return handler(portal_, request)

    on_wizard_post(portal, "contact", "language", change)


def _preferred_language(header: str) -> str | None:
    """The browser's preferred language among the portal's (Accept-Language, q values)."""
    best, best_q = None, 0.0
    for item in header.split(","):
        tag, *parameters = item.strip().split(";")
        q = 1.0
        for parameter in parameters:
            key, _, value = parameter.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in LANGUAGES and q > best_q:
            best, best_q = language, q
    return best


@defect(
    "blind-accept-language-overrides-french",
    "I18N-1",
    "a first visit from a browser that prefers Dutch or German opens in that language, not in French",
)
def _accept_language_overrides_french(portal: Portal) -> None:
    def browser_language(handler: Handler) -> Handler:
        def login_form(portal_: Portal, request: Request) -> Response:
            cookies = request.headers.get("Cookie") or ""
            if request.session is None and f"{LANGUAGE_COOKIE}=" not in cookies:
                request.language = _preferred_language(request.headers.get("Accept-Language") or "") or request.language
            return handler(portal_, request)

        return login_form

    route(portal, "GET", r"/login", change=browser_language)


# -- OAUTH ---------------------------------------------------------------------------------------
@defect(
    "blind-empty-scope-refused",
    "OAUTH-1",
    "a token request with an empty scope parameter (scope=) is refused invalid_scope instead of granted the "
    "default scope",
)
def _empty_scope_refused(portal: Portal) -> None:
    def blank_refused(original: Callable[[str | None], str]) -> Callable[[str | None], str]:
        def grant_scope(requested: str | None) -> str:
            if requested is not None and not requested.strip():
                raise OAuthError("invalid_scope", "the scope is empty")
            return original(requested)

        return grant_scope

    wrap(portal.oauth, "grant_scope", blank_refused)


@defect(
    "blind-aud-base-url-accepted",
    "OAUTH-2",
    "an assertion whose aud is the portal's base URL (without /REST/oauth/v5/token) is accepted",
)
def _aud_base_url_accepted(portal: Portal) -> None:
    def base_url_too(original: Callable[..., dict]) -> Callable[..., dict]:
        def decode(assertion: str, key: Any, header: dict, token_url: str, client_id: str) -> dict:
            try:
                return original(assertion, key, header, token_url, client_id)
            except OAuthError as refused:
                base = token_url.removesuffix(TOKEN_PATH)
                if not base or base == token_url:
                    raise
                for audience in (base, base + "/"):
                    try:
                        return original(assertion, key, header, audience, client_id)
                    except OAuthError:
                        pass
                raise refused from None

        return decode

    wrap(portal.oauth, "decode", base_url_too)


@defect(
    "blind-replayed-jti-invalid-grant",
    "OAUTH-4",
    "a replayed assertion (a jti used before) is refused with HTTP 400 invalid_grant instead of 401 invalid_client",
)
def _replayed_jti_invalid_grant(portal: Portal) -> None:
    def invalid_grant(original: Callable[[str, dict], None]) -> Callable[[str, dict], None]:
        def check_replay(client_id: str, claims: dict) -> None:
            try:
                original(client_id, claims)
            except OAuthError as refused:
                jti = claims.get("jti")
                if refused.error != "invalid_client" or not isinstance(jti, str) or not jti:
                    raise
                raise OAuthError("invalid_grant", refused.description) from None

        return check_replay

    wrap(portal.oauth, "check_replay", invalid_grant)


_BEARER = re.compile(r"Bearer +(\S+) *", re.IGNORECASE)


@defect(
    "blind-expired-token-plain-json",
    "OAUTH-5",
    "the demo service answers an expired token with 401 as plain application/json, not application/problem+json",
)
def _expired_token_plain_json(portal: Portal) -> None:
    oauth = portal.oauth

    def expired_apart(handler: Handler) -> Handler:
        def hello(portal_: Portal, request: Request) -> Response:
            found = _BEARER.fullmatch(request.headers.get("Authorization") or "")
            grant = oauth.tokens.get(found.group(1)) if found else None
            if grant is None or grant.expires_at > oauth.clock():
                return handler(portal_, request)
            body = json.dumps({"error": "invalid_token", "message": "the token has expired"}).encode()
            response = Response(401, body, "application/json")
            return response.header("WWW-Authenticate", 'Bearer realm="demo", error="invalid_token"')

        return hello

    route(portal, "GET", re.escape(DEMO_PATH), change=expired_apart)


# -- A11Y ----------------------------------------------------------------------------------------
@defect(
    "blind-german-hints-low-contrast",
    "A11Y-1",
    "in German, the hints (Home's reminder, the SSH key's help) are light grey on white: contrast 2.6:1",
)
def _german_hints_low_contrast(portal: Portal) -> None:
    add_asset(portal, "defect-blind-german-hints-low-contrast.css", "html:lang(de) .hint { color: #a0a0a0; }\n")


@defect(
    "blind-certificate-input-focus-invisible",
    "A11Y-2",
    "the certificate's file field shows no focus ring when reached with the keyboard",
)
def _certificate_input_focus_invisible(portal: Portal) -> None:
    add_asset(
        portal,
        "defect-blind-certificate-input-focus-invisible.css",
        'input[type="file"]:focus, input[type="file"]:focus-visible { outline: none !important; '
        "box-shadow: none !important; }\n",
    )


@defect(
    "blind-channel-step-summary-not-focused",
    "A11Y-3",
    "after a refused Données du canal step the focus stays at the top of the page (the contact step's summary "
    "still takes it)",
)
def _channel_step_summary_not_focused(portal: Portal) -> None:
    patch_skin(
        portal,
        same_patch(
            "wizard_channel.html",
            "{{ error_summary(errors) }}",
            '{{ error_summary(errors).replace(" autofocus", "") }}',
        ),
    )

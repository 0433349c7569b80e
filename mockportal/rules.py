"""The contract's rules (docs/contract.md §1–2) as plain functions, apart from HTTP handling.

Each function is named after its contract id (``contact_5_emails`` is CONTACT-5). Checks return
structured errors (``FieldError``: the form field to mark invalid and a message key from
``messages.py``) that the templates render. Certificate checks live in ``certificate.py``.

The portal calls every rule through its own ``Rules`` instance (``portal.rules``), never the
module functions directly, so that a named defect (``defects/``) can replace one rule on one
server instance.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from contract import fields
from contract.words import APPLICATIONS, LANGUAGES


@dataclass(frozen=True)
class FieldError:
    """One problem with one field. ``label`` names another word than the field's own (the
    e-mail group's legend for "no address at all"); ``params`` fill the message."""

    field: str
    message: str
    label: str | None = None
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)  # ``field`` names the attribute above

    @property
    def label_key(self) -> str:
        return self.label or FIELD_LABELS[self.field]


# Form field -> its label's key in the word table.
FIELD_LABELS = {
    "last_name": "last_name",
    "first_name": "first_name",
    "title": "title",
    "function": "function",
    "language_regime": "language_regime",
    "phone": "phone",
    "fax": "fax",
    "mobile": "mobile",
    "email_1": "email_1",
    "email_2": "email_2",
    "email_3": "email_3",
    "channel": "channels",
    "certificate": "certificate_upload",
    "applications": "applications",
    "ssh_key": "ssh_key",
}

# -- roles and access ----------------------------------------------------------------------
MANAGER_ROLES = ("gl", "cogl")


def access_1_may_manage(role: str) -> bool:
    """ACCESS-1: only the gestionnaire local and the co-gestionnaire local register."""
    return role in MANAGER_ROLES


def access_3_employer_id(session_employer_id: int, request_values: Mapping[str, object]) -> int:
    """ACCESS-3: the employer a request acts on is the session's, whatever the request says.

    ``request_values`` (query and form) are deliberately ignored: no address or field may
    name another employer.
    """
    return session_employer_id


# -- Home ------------------------------------------------------------------------------------
def home_1_role_word(role: str) -> str | None:
    """HOME-1: the role word Home greets the user with (none for a plain user)."""
    return {"gl": "role_gl", "cogl": "role_cogl"}.get(role)


def home_2_no_active_sender(has_configuration: bool) -> bool:
    """HOME-2 / RESULT-4: Home says "no active sender" exactly when nothing is configured."""
    return not has_configuration


# -- wizard ------------------------------------------------------------------------------------
WIZARD_STEPS = ("information", "contact", "channel", "confirmation")


def wiz_1_steps() -> tuple[str, ...]:
    """WIZ-1: the four steps in order (word keys ``step_<name>``)."""
    return WIZARD_STEPS


def wiz_5_first_incomplete(complete: Mapping[str, bool], wanted: str) -> str:
    """WIZ-5: the step to show for ``wanted``: itself, or the first earlier incomplete one."""
    for step in WIZARD_STEPS:
        if step == wanted or not complete.get(step, False):
            return step
    return wanted


# -- contact person ----------------------------------------------------------------------------
# The form's field names are the contract's vocabulary (contract/fields.py); which of them each
# rule requires or limits is the mock's own reading of the rules, kept apart from the suite's.
CONTACT_FIELDS: tuple[str, ...] = fields.CONTACT_FIELDS  # the form's names, as plain strings
EMAIL_FIELDS: tuple[str, ...] = fields.EMAIL_FIELDS
CONTACT_1_REQUIRED = ("last_name", "first_name", "title", "function", "language_regime", "phone")
CONTACT_2_OPTIONAL = ("fax", "mobile")
CONTACT_3_TITLES = ("mr", "mrs", "miss")  # word keys title_mr, title_mrs, title_miss
CONTACT_4_REGIMES = LANGUAGES  # word keys language_fr, language_nl, language_de
PHONE_FIELDS = ("phone", "fax", "mobile")
TEXT_FIELDS = ("last_name", "first_name", "function", "phone", "fax", "mobile")
MAX_TEXT = 60
MAX_EMAIL = 254
# [mock] Characters no contact entry may hold (the contract is silent): control characters
# (C0, DEL, C1: NUL, ESC, TAB inside a value...), the invisible bidirectional controls that can
# make a name read differently than it is stored (U+061C, U+200E/F, U+202A-E, U+2066-9), line
# and paragraph separators, the byte-order mark, surrogates and the two noncharacters U+FFFE/F.
_FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff\ufffe\uffff]"
)
PHONE_DIGITS = (9, 15)
_PHONE_CHARACTERS = re.compile(r"[0-9 +./()\-]*")


def contact_7_trim(raw: Mapping[str, str]) -> dict[str, str]:
    """CONTACT-7: leading and trailing spaces are trimmed (e-mails too); nothing is ever cut."""
    return {name: str(raw.get(name) or "").strip() for name in CONTACT_FIELDS}


def contact_1_required(form: Mapping[str, str]) -> list[FieldError]:
    """CONTACT-1: Nom, Prénom, Titre, Fonction, Régime linguistique, Téléphone are required;
    blank (spaces only) counts as empty."""
    return [FieldError(name, "required") for name in CONTACT_1_REQUIRED if not form.get(name, "").strip()]


def contact_2_optional(form: Mapping[str, str]) -> list[FieldError]:
    """CONTACT-2: Fax and Mobile are optional: leaving them empty is never an error (when
    filled, CONTACT-6 and CONTACT-7 apply)."""
    return []


def contact_3_title(form: Mapping[str, str]) -> list[FieldError]:
    """CONTACT-3: Titre is one of M., Mme, Mlle."""
    value = form.get("title", "")
    return [FieldError("title", "invalid_choice")] if value and value not in CONTACT_3_TITLES else []


def contact_4_regime(form: Mapping[str, str]) -> list[FieldError]:
    """CONTACT-4: Régime linguistique is one of Français, Néerlandais, Allemand."""
    value = form.get("language_regime", "")
    return [FieldError("language_regime", "invalid_choice")] if value and value not in CONTACT_4_REGIMES else []


def contact_4_default_regime(interface_language: str) -> str:
    """CONTACT-4: the regime preselected is the interface's language."""
    return interface_language if interface_language in CONTACT_4_REGIMES else CONTACT_4_REGIMES[0]


def contact_5_valid_address(address: str) -> bool:
    """CONTACT-5 [mock]: one ``@``, a non-empty local part, a dotted domain without empty
    labels, no whitespace."""
    if not address or any(ch.isspace() for ch in address) or address.count("@") != 1:
        return False
    local, domain = address.split("@")
    labels = domain.split(".")
    return bool(local) and len(labels) >= 2 and all(labels)


def contact_5_emails(form: Mapping[str, str]) -> list[FieldError]:
    """CONTACT-5: at least one address among the three fields; each filled one valid and at
    most 254 characters; the same address twice (ignoring case) is an error on the later field."""
    filled = [(name, form.get(name, "")) for name in EMAIL_FIELDS if form.get(name, "")]
    if not filled:
        # The group's own fault: mark its first field, name the group (CONTACT-8).
        return [FieldError(EMAIL_FIELDS[0], "email_none", label="emails")]
    errors, seen = [], set()
    for name, address in filled:
        if len(address) > MAX_EMAIL:
            errors.append(FieldError(name, "email_too_long", params={"max": MAX_EMAIL}))
        elif not contact_5_valid_address(address):
            errors.append(FieldError(name, "email_invalid"))
        elif address.casefold() in seen:
            errors.append(FieldError(name, "email_duplicate"))
        seen.add(address.casefold())
    return errors


def contact_6_phones(form: Mapping[str, str]) -> list[FieldError]:
    """CONTACT-6: Téléphone, Fax, Mobile: digits, spaces and ``+ . / - ( )`` only, 9 to 15 digits."""
    errors = []
    for name in PHONE_FIELDS:
        value = form.get(name, "")
        if not value:
            continue
        if not _PHONE_CHARACTERS.fullmatch(value):
            errors.append(FieldError(name, "phone_characters"))
        elif not PHONE_DIGITS[0] <= sum(ch.isdigit() for ch in value) <= PHONE_DIGITS[1]:
            errors.append(FieldError(name, "phone_digits", params={"min": PHONE_DIGITS[0], "max": PHONE_DIGITS[1]}))
    return errors


def contact_7_characters(form: Mapping[str, str]) -> list[FieldError]:
    """[mock] No entry may hold a control or an invisible bidirectional character (after
    trimming); refused, never silently removed (as CONTACT-7 treats a text that is too long)."""
    return [
        FieldError(name, "characters_forbidden")
        for name in CONTACT_FIELDS
        if _FORBIDDEN_CHARACTERS.search(form.get(name, ""))
    ]


def contact_7_lengths(form: Mapping[str, str]) -> list[FieldError]:
    """CONTACT-7: text fields other than the e-mails hold at most 60 characters (after trimming)."""
    return [
        FieldError(name, "too_long", params={"max": MAX_TEXT})
        for name in TEXT_FIELDS
        if len(form.get(name, "")) > MAX_TEXT
    ]


def contact_8_summary(errors: Iterable[FieldError], order: tuple[str, ...] = CONTACT_FIELDS) -> list[FieldError]:
    """CONTACT-8: one message per field (the first found), in the form's order."""
    first: dict[str, FieldError] = {}
    for error in errors:
        first.setdefault(error.field, error)
    rank = {name: i for i, name in enumerate(order)}
    return sorted(first.values(), key=lambda e: rank.get(e.field, len(rank)))


def contact_cleaned(form: Mapping[str, str]) -> dict[str, str | list[str]]:
    """The contact as stored: trimmed values, the e-mails given, in order."""
    cleaned: dict[str, str | list[str]] = {name: form[name] for name in CONTACT_FIELDS if name not in EMAIL_FIELDS}
    cleaned["emails"] = [form[name] for name in EMAIL_FIELDS if form[name]]
    return cleaned


# -- channel data ------------------------------------------------------------------------------
CHANNELS = ("ftp", "sftp", "ws")  # word keys channel_ftp, channel_sftp, channel_ws
CHANNEL_FIELDS = ("channel", "certificate", "applications", "ssh_key")


class ChannelValues(TypedDict, total=False):
    """What CHANNEL-1..5 read: the channel chosen, whether there is a certificate (uploaded now
    or kept from before), the applications ticked and the SSH key typed. Each rule reads only
    its own keys (the summary rows ask ``channel_5_stored`` without ``has_certificate``)."""

    channel: str
    has_certificate: bool
    applications: Sequence[str]
    ssh_key: str | None


class StoredChannel(TypedDict):
    """CHANNEL-5: what a channel keeps besides its certificate."""

    applications: tuple[str, ...]
    ssh_key: str | None
    connection_type: str | None


def channel_1_choice(values: ChannelValues) -> list[FieldError]:
    """CHANNEL-1: one channel among FTP, SFTP and Web Service; no choice is an error."""
    return [] if values.get("channel") in CHANNELS else [FieldError("channel", "channel_required")]


def channel_2_certificate(values: ChannelValues) -> list[FieldError]:
    """CHANNEL-2: every channel needs a certificate (uploaded now or kept from before)."""
    return [] if values.get("has_certificate") else [FieldError("certificate", "certificate_required")]


def channel_3_applications(values: ChannelValues) -> list[FieldError]:
    """CHANNEL-3: FTP and SFTP need at least one application of the list."""
    if values.get("channel") not in ("ftp", "sftp"):
        return []
    chosen = list(values.get("applications") or ())
    if not chosen:
        return [FieldError("applications", "applications_required")]
    if any(name not in APPLICATIONS for name in chosen):
        return [FieldError("applications", "invalid_choice")]
    return []


def channel_4_ssh_key(values: ChannelValues) -> list[FieldError]:
    """CHANNEL-4: SFTP needs an OpenSSH one-line public key, RSA >= 2048 bits or Ed25519."""
    if values.get("channel") != "sftp":
        return []
    text = str(values.get("ssh_key") or "").strip()
    if not text:
        return [FieldError("ssh_key", "ssh_required")]
    problem = ssh_key_problem(text)
    return [FieldError("ssh_key", problem)] if problem else []


def channel_5_stored(values: ChannelValues) -> StoredChannel:
    """CHANNEL-5: what a channel keeps. Web Service needs only the certificate and its
    connection type is Internet; FTP keeps its applications; SFTP also its SSH key."""
    channel = values.get("channel")
    return {
        # each application once, however often it was given
        "applications": tuple(dict.fromkeys(values.get("applications") or ())) if channel in ("ftp", "sftp") else (),
        "ssh_key": str(values.get("ssh_key") or "").strip() if channel == "sftp" else None,
        "connection_type": "internet" if channel == "ws" else None,
    }


def channel_6_can_add(configured: Iterable[str], kind: str) -> bool:
    """CHANNEL-6: a channel page offers to add its channel when it is not configured yet."""
    return kind in CHANNELS and kind not in set(configured)


# -- SSH keys (CHANNEL-4) ------------------------------------------------------------------------
_SSH_TYPES = ("ssh-rsa", "ssh-ed25519")
_OTHER_SSH_TYPES = (
    "ssh-dss",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)


def ssh_key_problem(text: str) -> str | None:
    """The message key of what is wrong with an OpenSSH public key line, or None."""
    if "\n" in text or "\r" in text:
        return "ssh_invalid"
    parts = text.split()
    if len(parts) < 2:
        return "ssh_invalid"
    if parts[0] in _OTHER_SSH_TYPES:
        return "ssh_weak"
    if parts[0] not in _SSH_TYPES:
        return "ssh_invalid"
    try:
        key = serialization.load_ssh_public_key(f"{parts[0]} {parts[1]}".encode("ascii"))
    except (ValueError, UnicodeError, TypeError):
        return "ssh_invalid"
    except Exception:  # noqa: BLE001 - e.g. UnsupportedAlgorithm: any unreadable key is invalid
        return "ssh_invalid"
    if isinstance(key, rsa.RSAPublicKey):
        return None if key.key_size >= 2048 else "ssh_weak"
    return None if isinstance(key, ed25519.Ed25519PublicKey) else "ssh_weak"


def ssh_key_summary(text: str) -> str:
    """What the confirmation shows of an SSH key: its type and SHA256 fingerprint."""
    parts = text.split()
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (IndexError, ValueError):
        return ""
    fingerprint = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return f"{parts[0]} SHA256:{fingerprint}"


# -- languages -------------------------------------------------------------------------------------
def i18n_1_language(requested: object, current: str) -> str:
    """I18N-1: the language to switch to: one of NL, FR, DE, else the current one."""
    return requested if requested in LANGUAGES else current


# -- the per-portal namespace ------------------------------------------------------------------------
RULE_FUNCTIONS: dict[str, Callable] = {
    name: value
    for name, value in globals().items()
    if callable(value) and re.match(r"(access|home|wiz|contact|channel|i18n)_\d", name)
}


class Rules:
    """The rule functions of one portal instance, plus the checks that combine them.

    The combined checks call each rule through ``self``, so replacing one attribute (a named
    defect) changes the behaviour of this instance only.
    """

    def __init__(self) -> None:
        # Spelled out rather than set in a loop over RULE_FUNCTIONS, so that each keeps its type
        # (a unit test checks that every function of RULE_FUNCTIONS is here).
        self.access_1_may_manage = access_1_may_manage
        self.access_3_employer_id = access_3_employer_id
        self.home_1_role_word = home_1_role_word
        self.home_2_no_active_sender = home_2_no_active_sender
        self.wiz_1_steps = wiz_1_steps
        self.wiz_5_first_incomplete = wiz_5_first_incomplete
        self.contact_7_trim = contact_7_trim
        self.contact_1_required = contact_1_required
        self.contact_2_optional = contact_2_optional
        self.contact_3_title = contact_3_title
        self.contact_4_regime = contact_4_regime
        self.contact_4_default_regime = contact_4_default_regime
        self.contact_5_valid_address = contact_5_valid_address
        self.contact_5_emails = contact_5_emails
        self.contact_6_phones = contact_6_phones
        self.contact_7_characters = contact_7_characters
        self.contact_7_lengths = contact_7_lengths
        self.contact_8_summary = contact_8_summary
        self.channel_1_choice = channel_1_choice
        self.channel_2_certificate = channel_2_certificate
        self.channel_3_applications = channel_3_applications
        self.channel_4_ssh_key = channel_4_ssh_key
        self.channel_5_stored = channel_5_stored
        self.channel_6_can_add = channel_6_can_add
        self.i18n_1_language = i18n_1_language

    def check_contact(self, raw: Mapping[str, str]) -> tuple[dict, list[FieldError]]:
        """CONTACT-1..8: the trimmed form and its errors (one per field, in form order)."""
        form = self.contact_7_trim(raw)
        errors = [
            *self.contact_1_required(form),
            *self.contact_2_optional(form),
            *self.contact_3_title(form),
            *self.contact_4_regime(form),
            *self.contact_7_characters(form),
            *self.contact_7_lengths(form),
            *self.contact_6_phones(form),
            *self.contact_5_emails(form),
        ]
        return form, self.contact_8_summary(errors)

    def check_channel(self, values: ChannelValues) -> list[FieldError]:
        """CHANNEL-1..5 on ``{"channel", "has_certificate", "applications", "ssh_key"}``."""
        errors = [
            *self.channel_1_choice(values),
            *self.channel_2_certificate(values),
            *self.channel_3_applications(values),
            *self.channel_4_ssh_key(values),
        ]
        return self.contact_8_summary(errors, CHANNEL_FIELDS)


_DEFAULT = Rules()


def check_contact(raw: Mapping[str, str]) -> tuple[dict, list[FieldError]]:
    """``Rules().check_contact`` with the module's own rules (for tests and tools)."""
    return _DEFAULT.check_contact(raw)


def check_channel(values: ChannelValues) -> list[FieldError]:
    """``Rules().check_channel`` with the module's own rules."""
    return _DEFAULT.check_channel(values)

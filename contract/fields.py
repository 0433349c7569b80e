"""The screens' fields and steps as groups of word keys (``contract/words.py``): one
vocabulary for the mock, the page objects and the tests.

Each key is also the field's name in this project's own code (the mock's form field names
happen to be the same, but page objects never rely on that: they find a field by its label).
"""

from __future__ import annotations

from typing import Final

from contract.words import WordKey

Keys = tuple[WordKey, ...]

# WIZ-1: the four steps, in order.
STEPS: Final[Keys] = ("step_information", "step_contact", "step_channel", "step_confirmation")

# "Personne de contact" (CONTACT-1..8): the form's fields, in the form's order.
CONTACT_TEXT_FIELDS: Final[Keys] = ("last_name", "first_name", "function", "phone", "fax", "mobile")
CONTACT_SELECTS: Final[Keys] = ("title", "language_regime")
EMAIL_FIELDS: Final[Keys] = ("email_1", "email_2", "email_3")
PHONE_FIELDS: Final[Keys] = ("phone", "fax", "mobile")
CONTACT_FIELDS: Final[Keys] = (
    "last_name",
    "first_name",
    "title",
    "function",
    "language_regime",
    "phone",
    "fax",
    "mobile",
    *EMAIL_FIELDS,
)
REQUIRED_CONTACT_FIELDS: Final[Keys] = ("last_name", "first_name", "title", "function", "language_regime", "phone")
TITLES: Final[Keys] = ("title_mr", "title_mrs", "title_miss")  # CONTACT-3, in the seed's order
LANGUAGE_REGIMES: Final[Keys] = ("language_fr", "language_nl", "language_de")  # CONTACT-4

# The contact as the confirmation, the overview and the contact person page show it.
CONTACT_SUMMARY: Final[Keys] = (
    "last_name",
    "first_name",
    "title",
    "function",
    "language_regime",
    "phone",
    "fax",
    "mobile",
    "emails",
)

# "Données du canal" (CHANNEL-1..5) and the channel pages (CHANNEL-6).
CHANNEL_KINDS: Final = ("ftp", "sftp", "ws")
# Each kind's word: its radio, its page's heading and its link.
CHANNEL_WORDS: Final[dict[str, WordKey]] = {"ftp": "channel_ftp", "sftp": "channel_sftp", "ws": "channel_ws"}
# The greeting of each role Home greets (HOME-1).
ROLE_WORDS: Final[dict[str, WordKey]] = {"gl": "role_gl", "cogl": "role_cogl"}
CHANNEL_FIELDS: Final[Keys] = ("channels", "certificate_upload", "applications", "ssh_key")
CHANNEL_SUMMARY: Final[Keys] = ("channel", "connection_type", "applications_summary", "ssh_key")
CERTIFICATE_SUMMARY: Final[Keys] = (
    "cert_owner",
    "cert_company",
    "cert_issuer",
    "cert_expiry",
    "cert_expiry_overview",
    "serial_decimal",
    "serial_hex",
)  # CONFIRM-2, RESULT-3

# The overview (RESULT-2, RESULT-3).
TECHNICAL_USER_SUMMARY: Final[Keys] = ("sender_number", "registration_date", "technical_username")
WEB_SERVICE_SUMMARY: Final[Keys] = ("connection_type", *CERTIFICATE_SUMMARY, "oauth_client")
CHANNEL_PAGE_SUMMARY: Final[Keys] = (*CHANNEL_SUMMARY, *CERTIFICATE_SUMMARY, "oauth_client")

# Home and the quality banner (HOME-1).
QUALITY_SUMMARY: Final[Keys] = ("denomination", "enterprise_number", "quality", "onss_number", "creation_date")
# The quality banner's pairs; the seed packs the last two on one line ("Qualité: Employeur ONSS;
# Matricule ONSS: …").
BANNER_SUMMARY: Final[Keys] = ("denomination", "enterprise_number", "quality", "onss_number")

# Values made of several items: one line with separators or one line per item (contract §3).
MULTI_ITEM: Final[Keys] = ("emails", "applications_summary")

"""Registry of the contract's rule ids (docs/contract.md), with their source tags.

A rule whose only source is [mock] is our own convention: staging runs may leave out the
checks that rest on it alone. Tests name the ids they check with ``@pytest.mark.rules(...)``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Rule:
    id: str
    source: str  # "seed", "public" or "mock"
    summary: str

    @property
    def mock_only(self) -> bool:
        return self.source == "mock"


_RULES = [
    Rule("ACCESS-1", "seed", "only the (co-)gestionnaire local registers; a plain user is refused (403)"),
    Rule("ACCESS-2", "mock", "every page but login needs a session; Quit ends it"),
    Rule("ACCESS-3", "mock", "a user acts only on their own quality"),
    Rule("HOME-1", "seed", "Home greets the role and shows the quality's data"),
    Rule("HOME-2", "seed", "no sender: 'Il n'y a pas d'expéditeur actif.' and the registration link"),
    Rule("WIZ-1", "seed", "wizard title and its four steps in order, current one marked"),
    Rule("WIZ-2", "seed", "Information step: explanatory text, Annuler and Suivant"),
    Rule("WIZ-3", "mock", "Précédent keeps everything, the certificate included"),
    Rule("WIZ-4", "mock", "Annuler discards the wizard, nothing created"),
    Rule("WIZ-5", "mock", "steps cannot be skipped"),
    Rule("WIZ-6", "mock", "Confirmer creates exactly one configuration"),
    Rule("CONTACT-1", "seed", "six required fields; blank is empty"),
    Rule("CONTACT-2", "seed", "Fax and Mobile optional"),
    Rule("CONTACT-3", "seed", "Titre offers M., Mme, Mlle"),
    Rule("CONTACT-4", "seed", "Régime linguistique offers three languages, preselected to the interface's"),
    Rule("CONTACT-5", "seed", "at least one valid e-mail address, no duplicates"),
    Rule("CONTACT-6", "mock", "phone numbers: allowed characters, 9 to 15 digits"),
    Rule("CONTACT-7", "mock", "text fields at most 60 characters, trimmed"),
    Rule("CONTACT-8", "mock", "error summary, invalid fields marked, entries kept"),
    Rule("CHANNEL-1", "seed", "one channel among FTP, SFTP, Web Service"),
    Rule("CHANNEL-2", "seed", "every channel needs a certificate"),
    Rule("CHANNEL-3", "seed", "FTP and SFTP need at least one application"),
    Rule("CHANNEL-4", "public", "SFTP needs a valid SSH public key"),
    Rule("CHANNEL-5", "seed", "Web Service needs the certificate only; connection type Internet"),
    Rule("CHANNEL-6", "mock", "channel pages show a channel or add one"),
    Rule("CERT-1", "public", "one X.509 certificate, DER or PEM, any extension"),
    Rule("CERT-2", "mock", "empty, not a certificate, over 64 KiB, several certificates (in any form): refused"),
    Rule("CERT-3", "mock", "private keys and PKCS#12 (DER or BER) refused, never stored nor logged"),
    Rule("CERT-4", "public", "expired or not yet valid: refused"),
    Rule("CERT-5", "public", "RSA >= 2048 bits, no MD5 or SHA-1 signature"),
    Rule("CERT-6", "public", "trusted CA, or self-signed in the company's name (compared in NFC)"),
    Rule("CERT-7", "mock", "a certificate of another configured sender is refused"),
    Rule("CONFIRM-1", "seed", "confirmation shows the contact, channel and connection type"),
    Rule("CONFIRM-2", "seed", "confirmation shows the certificate's values"),
    Rule("CONFIRM-3", "mock", "controls and invisible or reordering characters in names shown as hex escapes"),
    Rule("RESULT-1", "seed", "'Le canal a bien été ajouté.' and the overview"),
    Rule("RESULT-2", "seed", "technical user: sender number, registration date, user name"),
    Rule("RESULT-3", "seed", "Web service section with certificate values and OAuth client id"),
    Rule("RESULT-4", "seed", "side navigation after registration; Home has an active sender"),
    Rule("SENDER-1", "public", "sender number: <= 6 digits, kept, unique, never reused"),
    Rule("DELETE-1", "seed", "deletion after confirmation removes the configuration and client"),
    Rule("I18N-1", "seed", "NL | FR | DE switch language in place, keeping entries"),
    Rule("OAUTH-1", "public", "token endpoint: client-credentials with JWT client assertion"),
    Rule("OAUTH-2", "public", "assertion RS256 with the registered certificate's key, claims checked"),
    Rule("OAUTH-3", "public", "token success response"),
    Rule("OAUTH-4", "public", "token error responses"),
    Rule("OAUTH-5", "public", "demo service needs a valid bearer token"),
    Rule("A11Y-1", "public", "every screen, error states too: no serious or critical axe violation (WCAG 2.1 AA)"),
    Rule("A11Y-2", "public", "the whole flow by keyboard alone, in a sensible focus order, focus always visible"),
    Rule("A11Y-3", "mock", "after a refused step the error summary has the focus; its links focus their fields"),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
RULE_IDS: tuple[str, ...] = tuple(RULES)


def rule(rule_id: str) -> Rule:
    """The rule with this id; KeyError names the unknown id."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"unknown contract rule id {rule_id!r}") from None


class _Marked(Protocol):
    def iter_markers(self, name: str) -> Iterable[Any]: ...


def rule_ids(item: _Marked) -> tuple[str, ...]:
    """The rule ids a test names with ``@pytest.mark.rules(...)`` (markers of its module and
    class included), each once, in the order named."""
    ids: list[str] = []
    for marker in item.iter_markers("rules"):
        ids.extend(marker.args)
    return tuple(dict.fromkeys(ids))


def needed_rule_ids(item: _Marked) -> tuple[str, ...]:
    """The rule ids a test needs to reach its check without checking them itself, named with
    ``@pytest.mark.needs(...)``: a portal excused from one of them skips the test."""
    ids: list[str] = []
    for marker in item.iter_markers("needs"):
        ids.extend(marker.args)
    return tuple(dict.fromkeys(ids))

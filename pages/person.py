"""The contact person a test enters on the wizard's "Personne de contact" step."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence


class ContactLike(Protocol):
    """Anything with a contact person's attributes (``fixtures.ContactPerson`` included)."""

    last_name: str
    first_name: str
    title: str  # a word key: "title_mr" | "title_mrs" | "title_miss" (or the visible option)
    function: str
    language_regime: str  # a word key: "language_fr" | "language_nl" | "language_de"
    phone: str
    fax: str
    mobile: str
    emails: Sequence[str]


@dataclass(frozen=True)
class ContactPerson:
    """A contact person as typed into the form. ``title`` and ``language_regime`` are word keys
    so the same person is entered in any interface language."""

    last_name: str
    first_name: str
    title: str
    function: str
    language_regime: str
    phone: str
    fax: str = ""
    mobile: str = ""
    emails: tuple[str, ...] = ()

"""Named portal defects: each breaks exactly one contract rule on one server instance.

A defect is a small function that replaces one collaborator attribute of a ``Portal``
(``portal.rules.<rule>``, ``portal.certificates.<check>``, ``portal.words[...]``, ...). The
conformance suite is run against each defect in turn (``python -m harness.mutants``) to show it
catches it. Add one with::

    @defect("name-61-accepted", "CONTACT-7", "Nom accepts 61 characters")
    def _(portal):
        ...

``python -m mockportal --list-defects`` prints them all.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from contract.rules import RULES

if TYPE_CHECKING:
    from .portal import Portal


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


# -- the defects ---------------------------------------------------------------------------------
@defect("name-61-accepted", "CONTACT-7", "Nom accepts 61 characters (the limit is 60)")
def _name_61_accepted(portal: "Portal") -> None:
    original = portal.rules.contact_7_lengths

    def lengths(form):
        return [e for e in original(form) if not (e.field == "last_name" and len(form.get("last_name", "")) == 61)]

    portal.rules.contact_7_lengths = lengths


@defect("hex-serial-unpadded", "CONFIRM-2", "the hexadecimal serial is not padded to whole bytes (499 → 1F3)")
def _hex_serial_unpadded(portal: "Portal") -> None:
    portal.certificates.confirm_2_serial_hex = lambda certificate: f"{certificate.serial_number:X}"


@defect("dutch-label-wrong", "I18N-1", "the Dutch interface says 'Verder' instead of 'Volgende'")
def _dutch_label_wrong(portal: "Portal") -> None:
    portal.words["next"]["nl"] = "Verder"

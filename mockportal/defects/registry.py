"""The defect registry: each named defect breaks one contract rule on one portal instance.

The family modules of this package register theirs with ``@defect(name, rule_id, description)``;
``apply_defects`` switches some on for one ``Portal``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from contract.rules import RULES

if TYPE_CHECKING:
    from ..portal import Portal

Apply = Callable[["Portal"], None]


@dataclass(frozen=True)
class Defect:
    name: str
    rule_id: str  # the contract rule it breaks
    description: str
    apply: Apply


DEFECTS: dict[str, Defect] = {}


def defect(name: str, rule_id: str, description: str) -> Callable[[Apply], Apply]:
    """Register ``apply(portal)`` as the defect ``name`` breaking ``rule_id``."""
    if rule_id not in RULES:
        raise ValueError(f"defect {name!r}: unknown contract rule id {rule_id!r}")

    def register(apply: Apply) -> Apply:
        if name in DEFECTS:
            raise ValueError(f"defect {name!r} is registered twice")
        DEFECTS[name] = Defect(name, rule_id, description, apply)
        return apply

    return register


class UnknownDefect(ValueError):
    """A defect name that is not in the registry."""


def apply_defects(portal: Portal, names: Iterable[str]) -> None:
    """Switch the named defects on for this portal instance only."""
    names = tuple(names)
    unknown = [name for name in names if name not in DEFECTS]
    if unknown:
        raise UnknownDefect(f"unknown defect(s): {', '.join(unknown)}; known: {', '.join(sorted(DEFECTS))}")
    for name in names:
        DEFECTS[name].apply(portal)
    portal.defects = tuple(dict.fromkeys((*portal.defects, *names)))

"""Defects of Home (HOME-1, HOME-2): the quality's data, the greeting, the no-sender notice."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from .patching import wrap, wrap_render
from .registry import defect

if TYPE_CHECKING:
    from ..portal import Portal
    from ..store import Employer


@defect("enterprise-number-without-dots", "HOME-1", "the enterprise number is shown as ten bare digits (0123456749)")
def _enterprise_number_without_dots(portal: Portal) -> None:
    def without_dots(original: Callable[[int], Employer | None]) -> Callable[[int], Employer | None]:
        def employer(employer_id: int) -> Employer | None:
            found = original(employer_id)
            return (
                dataclasses.replace(found, enterprise_number=found.enterprise_number.replace(".", ""))
                if found
                else None
            )

        return employer

    wrap(portal.store, "employer", without_dots)


@defect("co-manager-greeted-as-manager", "HOME-1", "Home greets the co-gestionnaire local as Gestionnaire Local")
def _co_manager_greeted_as_manager(portal: Portal) -> None:
    portal.rules.home_1_role_word = lambda role: "role_gl" if role in ("gl", "cogl") else None


@defect(
    "no-active-sender-without-period", "HOME-2", "Home says 'Il n'y a pas d'expéditeur actif' without its full stop"
)
def _no_active_sender_without_period(portal: Portal) -> None:
    for language, text in portal.words["no_active_sender"].items():
        portal.words["no_active_sender"][language] = text.rstrip(".")


@defect(
    "registration-link-missing",
    "HOME-2",
    "with no sender the side navigation offers the configuration's pages, not 'Enregistrement des données "
    "de configuration'",
)
def _registration_link_missing(portal: Portal) -> None:
    wrap_render(portal, lambda request: portal.store.configuration(request.signed_session.employer_id) or True)

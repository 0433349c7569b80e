"""How page objects match visible words: exactly, apart from a required marker and a colon.

Contract §3: a label or legend may end with ``*`` or ``**`` and a colon, and "Nom" must never
match "Prénom" (nor "Nom d'utilisateur"). Every name or label the pages look for goes through
:func:`exact_label`, so the rule lives in one place.
"""
from __future__ import annotations

import re

# What may trail a word in a label or legend: spaces, the required marker, a colon.
_TRAILING_MARKER = re.compile(r"[\s*:]+$")
_SPACES = re.compile(r"\s+")
# Separators a step list may draw between its items as text ("Information > Personne de contact").
_STEP_SEPARATORS = r"[\s>›»|/•·]*"


def exact_label(word: str) -> re.Pattern[str]:
    """A pattern for ``get_by_label`` / ``get_by_role(name=...)`` matching ``word`` exactly,
    allowing surrounding spaces, a trailing ``*`` or ``**`` and a trailing colon."""
    return re.compile(rf"^\s*{re.escape(word)}\s*(\*{{1,2}})?\s*:?\s*$")


def step_name(word: str) -> re.Pattern[str]:
    """A pattern for a step list item: the step's word, allowing visual separators around it."""
    return re.compile(rf"^{_STEP_SEPARATORS}{re.escape(word)}{_STEP_SEPARATORS}$")


def mentioning(word: str) -> re.Pattern[str]:
    """A pattern for text that contains ``word`` as a whole word (case-sensitive), so that
    "Nom" is not found in "Prénom" and "Gestionnaire Local" not in "Co-gestionnaire Local"."""
    return re.compile(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])")


def normalize_label(text: str) -> str:
    """A label as a person reads it: spaces collapsed, trailing ``*``, ``**``, ``:`` and
    spaces removed ("Nom * :" -> "Nom")."""
    return _TRAILING_MARKER.sub("", _SPACES.sub(" ", text)).strip()


def clean_step(text: str) -> str:
    """A step list item's text without the separators drawn around it."""
    return re.sub(rf"^{_STEP_SEPARATORS}|{_STEP_SEPARATORS}$", "", _SPACES.sub(" ", text)).strip()

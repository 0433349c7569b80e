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


# An apostrophe or a hyphen joins words ("d'expéditeur", "Co-gestionnaire"); an apostrophe that
# opens or closes a quotation does not (Dutch messages quote a label so: "Het veld 'Naam' ...").
_WORD_STARTS = r"(?:(?<![\w'’-])|(?<=(?<![\w'’-])['‘’]))"
_WORD_ENDS = r"(?:(?![\w'’-])|(?=['’](?![\w'’-])))"


def mentioning(word: str) -> re.Pattern[str]:
    """A pattern for text that contains ``word`` as a whole word (case-sensitive), so that
    "Nom" is not found in "Prénom" and "Gestionnaire Local" not in "Co-gestionnaire Local";
    a word in single quotes ('Naam') is whole."""
    return re.compile(rf"{_WORD_STARTS}{re.escape(word)}{_WORD_ENDS}")


def normalize_label(text: str) -> str:
    """A label as a person reads it: spaces collapsed, trailing ``*``, ``**``, ``:`` and
    spaces removed ("Nom * :" -> "Nom")."""
    return _TRAILING_MARKER.sub("", _SPACES.sub(" ", text)).strip()


# Between the items of a value shown on one line: a comma or a semicolon, then a space.
_ITEM_SEPARATOR = re.compile(r"[,;]\s+")


def items_of(text: str) -> tuple[str, ...]:
    """The items of a value made of several (e-mail addresses, applications): one per line, or
    one line with separators; contract §3 allows both."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return tuple(item.strip() for line in lines for item in _ITEM_SEPARATOR.split(line) if item.strip())


def clean_step(text: str) -> str:
    """A step list item's text without the separators drawn around it."""
    return re.sub(rf"^{_STEP_SEPARATORS}|{_STEP_SEPARATORS}$", "", _SPACES.sub(" ", text)).strip()


# How a person names a form control: its aria-label, else its <label>'s text, else what
# aria-labelledby points at (a fieldset: its legend); and the legend of the group it is in.
_NAME_OF_CONTROL = """e => {
  const text = n => (n ? n.innerText : '').trim();
  const fieldset = e.localName === 'fieldset' ? e : e.closest('fieldset');
  const group = fieldset ? text(fieldset.querySelector('legend')) : '';
  let name = e.getAttribute('aria-label') || '';
  if (!name && e.labels && e.labels.length) name = text(e.labels[0]);
  if (!name && e.getAttribute('aria-labelledby'))
    name = e.getAttribute('aria-labelledby').split(/\\s+/).map(id => text(document.getElementById(id))).join(' ');
  if (!name && e.localName === 'fieldset') name = group;
  return {name, group};
}"""

# Read in the page, one round trip for many controls: each one's name and group...
NAMES_OF_CONTROLS = f"els => els.map({_NAME_OF_CONTROL})"
# ... and what each shows: the typed text, or the chosen option's text ("" for a placeholder).
VALUES_OF_CONTROLS = f"""els => els.map(e => Object.assign(({_NAME_OF_CONTROL})(e), {{
  value: e.localName !== 'select' ? e.value
    : (e.selectedIndex < 0 || e.options[e.selectedIndex].value === '' ? '' : e.options[e.selectedIndex].text.trim())
}}))"""

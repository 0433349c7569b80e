"""Named portal defects: each breaks exactly one contract rule on one server instance.

A defect is a small function that replaces one collaborator of a ``Portal`` — a rule
(``portal.rules.<rule>``), a certificate check or display (``portal.certificates.<name>``), a
word or message (``portal.words``, ``portal.messages``), a store method (``portal.store.<method>``,
set on that store instance), a template, a route's handler or options — so the correct code
never knows about defects. Every defect breaks its rule on every skin (``skins.py``). The
conformance suite is run against each defect in turn (``python -m harness.mutants``) to show
it catches it.

- ``registry.py``: ``Defect``, ``DEFECTS``, the ``@defect`` decorator, ``apply_defects``;
- ``patching.py``: how a defect changes one instance (``wrap``, routes, templates, assets);
- one module per family of rules: ``access``, ``home``, ``wizard``, ``contact``, ``channel``,
  ``certificate``, ``confirmation``, ``result``, ``sender`` (SENDER-1, DELETE-1), ``i18n``,
  ``oauth`` and ``a11y``.

Add one to its family's module::

    @defect("name-61-accepted", "CONTACT-7", "Nom accepts 61 characters")
    def _(portal):
        drop_errors(portal.rules, "contact_7_lengths", lambda error, form: ...)

``python -m mockportal --list-defects`` prints them all.
"""

from __future__ import annotations

# Each family module registers its defects in DEFECTS when imported.
from . import (  # noqa: F401
    a11y,
    access,
    blind_1,
    certificate,
    channel,
    confirmation,
    contact,
    home,
    i18n,
    oauth,
    result,
    sender,
    wizard,
)
from .registry import DEFECTS, Defect, UnknownDefect, apply_defects, defect

__all__ = ["DEFECTS", "Defect", "UnknownDefect", "apply_defects", "defect"]

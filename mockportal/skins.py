"""The mock's skins: one set of rules, words, data and handlers, two sets of markup.

``default`` is the markup that ``docs/screens.md`` describes. ``variant`` takes every freedom
that contract §3 and the [mock] rules leave, each differently (``README.md``, "Skins"), so that
the suite proves it relies on the contract only. A skin is a template folder searched before
the default one, and the few behaviours its markup needs:

- ``named_buttons``: its buttons are ``<input type="submit" name="action.next" value="Suivant">``
  (an input's value is its visible text, so the action travels in the name); the portal reads
  them back as ``action=next`` before any handler (or defect) sees the form.
- ``channel_confirmation``: a channel page adds its channel through "Suivant" and a
  confirmation page (CHANNEL-6 allows either), not through "Confirmer" on the page itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .web import Form, Handler, Request, Response, Route, Router

TEMPLATES = Path(__file__).parent / "templates"
BUTTON_PREFIX = "action."


@dataclass(frozen=True)
class Skin:
    name: str
    folders: tuple[Path, ...]  # template folders, the first that has a template wins
    named_buttons: bool = False
    channel_confirmation: bool = False

    def loader(self) -> jinja2.BaseLoader:
        return jinja2.ChoiceLoader([jinja2.FileSystemLoader(folder) for folder in self.folders])

    def router(self) -> Router:
        return ButtonRouter() if self.named_buttons else Router()


SKINS: dict[str, Skin] = {
    "default": Skin("default", (TEMPLATES,)),
    "variant": Skin("variant", (TEMPLATES / "variant", TEMPLATES), named_buttons=True, channel_confirmation=True),
}
DEFAULT_SKIN = "default"


class UnknownSkin(ValueError):
    """A skin name that is not in ``SKINS``."""


def skin(name: str) -> Skin:
    try:
        return SKINS[name]
    except KeyError:
        raise UnknownSkin(f"unknown skin {name!r}; known: {', '.join(sorted(SKINS))}") from None


def read_buttons(form: Form) -> None:
    """``action.<name>=<label>`` (the button pressed) becomes ``action=<name>``; an explicit
    ``action`` field (the language switch of ``lang.js``, a test client) wins."""
    if form.get("action"):
        return
    for field in form.fields:
        if field.startswith(BUTTON_PREFIX) and len(field) > len(BUTTON_PREFIX):
            form.fields["action"] = [field[len(BUTTON_PREFIX) :]]
            return


class ButtonRouter(Router):
    """A router whose handlers read named buttons as actions.

    The reading wraps the route found at each request, so it stays outside whatever a defect
    puts in the routing table later (defects read ``action`` too).
    """

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], list[str]]:
        route, params, allowed = super().match(method, path)
        if route is None or method != "POST":
            return route, params, allowed
        return dataclasses.replace(route, handler=_reading_buttons(route.handler)), params, allowed


def _reading_buttons(handler: Handler) -> Handler:
    def handle(portal, request: Request) -> Response:
        read_buttons(request.form)
        return handler(portal, request)

    return handle

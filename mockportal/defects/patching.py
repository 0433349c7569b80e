"""How a defect changes one portal instance, and nothing else: helpers the family modules share.

- ``wrap(obj, attr, change)``: ``obj.attr = change(original)`` on that one object (a rule of
  ``portal.rules``, a check of ``portal.certificates``, a method of ``portal.store``, ...);
- ``drop_errors``: a rule that forgets some of the errors it finds;
- ``route``/``on_wizard_post``: a route of ``portal.router`` with its handler wrapped or its
  options changed;
- ``patch_template``/``patch_skin``: a text replacement in a template, as the portal's skin
  resolves it (checked to match exactly once);
- ``wrap_render``: every page rendered with another side navigation;
- ``add_asset``: a style sheet or script of the defect's own, served and loaded on every page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import jinja2

from ..rules import FieldError
from ..web import Handler, Response

if TYPE_CHECKING:
    from ..portal import Portal
    from ..web import Request


WIZARD = r"/wizard"
WIZARD_STEP = r"/wizard/(?P<step>information|contact|channel|confirmation)"
CHANNEL_PAGE = r"/channels/(?P<kind>ftp|sftp|ws)"
CHANNEL_CONFIRMATION = CHANNEL_PAGE + "/confirmation"  # skins that add a channel in two steps
OVERVIEW = r"/configuration"
DELETION = r"/configuration/delete"
STATIC = r"/static/(?P<name>[A-Za-z0-9_.-]+)"


def wrap(obj: object, attr: str, change: Callable[[Any], Any]) -> None:
    """Set ``obj.attr`` to ``change(original)`` on this one object (an instance attribute, so
    the class and every other portal keep the original)."""
    setattr(obj, attr, change(getattr(obj, attr)))


def drop_errors(obj: object, attr: str, drop: Callable[[FieldError, Mapping[str, Any]], bool]) -> None:
    """Make the rule ``obj.attr(form)`` forget the errors for which ``drop(error, form)`` is true."""

    def change(original: Callable[[Mapping[str, Any]], list[FieldError]]) -> Callable[..., list[FieldError]]:
        return lambda form: [error for error in original(form) if not drop(error, form)]

    wrap(obj, attr, change)


def route(
    portal: Portal, method: str, pattern: str, *, change: Callable[[Handler], Handler] | None = None, **options: bool
) -> None:
    """Replace the handler (``change(handler)``) or the options (``manager=False``, ...) of one
    route of this portal's routing table."""
    for index, found in enumerate(portal.router.routes):
        if found.method == method and found.pattern.pattern == pattern:
            handler = change(found.handler) if change else found.handler
            portal.router.routes[index] = dataclasses.replace(found, handler=handler, **options)  # type: ignore[arg-type]
            return
    raise LookupError(f"no route {method} {pattern}")


def on_wizard_post(
    portal: Portal, step: str, action: str | None, change: Callable[[Portal, Request, Handler], Response]
) -> None:
    """Let ``change(portal, request, handler)`` answer a wizard POST of ``step`` (and ``action``,
    unless None); any other POST goes to the correct handler."""

    def wrap_handler(handler: Handler) -> Handler:
        def submit(portal_: Portal, request: Request) -> Response:
            if request.params.get("step") == step and (action is None or request.form.get("action") == action):
                return change(portal_, request, handler)
            return handler(portal_, request)

        return submit

    route(portal, "POST", WIZARD_STEP, change=wrap_handler)


class PatchedTemplates(jinja2.BaseLoader):
    """The portal's template loader with text replacements on some templates."""

    def __init__(self, base: jinja2.BaseLoader):
        self.base = base
        self.patches: dict[str, list[tuple[str, str]]] = {}

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        source, filename, uptodate = self.base.get_source(environment, template)
        for old, new in self.patches.get(template, ()):
            source = source.replace(old, new)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        """The base loader's templates: the mock compiles them all when it starts."""
        return self.base.list_templates()


def patch_template(portal: Portal, name: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in one template of this portal, as its skin resolves the name.
    ``old`` must be there exactly once: a patch that would change nothing is an error."""
    templates = portal.templates
    if not isinstance(templates.loader, PatchedTemplates):
        assert templates.loader is not None
        templates.loader = PatchedTemplates(templates.loader)
    loader = templates.loader
    source = loader.get_source(templates, name)[0]
    if source.count(old) != 1:
        raise LookupError(
            f"{name} ({portal.skin.name} skin): expected {old!r} once, found it {source.count(old)} times"
        )
    loader.patches.setdefault(name, []).append((old, new))
    if templates.cache is not None:
        templates.cache.clear()


def patch_skin(portal: Portal, patches: Mapping[str, Sequence[tuple[str, str, str]]]) -> None:
    """``patch_template`` with each skin's own (template, old, new) texts; a skin missing from
    ``patches`` is an error, so that a new skin cannot silently leave a defect out."""
    if portal.skin.name not in patches:
        raise LookupError(f"no template patch for the {portal.skin.name} skin")
    for name, old, new in patches[portal.skin.name]:
        patch_template(portal, name, old, new)


def wrap_render(portal: Portal, configuration: Callable[[Request], object]) -> None:
    """Render every page with ``configuration(request)`` as the side navigation's configuration."""

    def change(original: Callable[..., Response]) -> Callable[..., Response]:
        def render(request: Request, template: str, **options: Any) -> Response:
            if request.signed_in:
                options["configuration"] = configuration(request)
            return original(request, template, **options)

        return render

    wrap(portal, "render", change)


_ASSET_TAGS = {
    ".css": '<link rel="stylesheet" href="/static/{name}">',
    ".js": '<script src="/static/{name}"></script>',
}
_ASSET_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def add_asset(portal: Portal, name: str, body: str) -> None:
    """Serve ``body`` as ``/static/<name>`` (a ``.css`` or ``.js`` file of the defect's own) and
    load it on every page after the skin's own, so that it wins. The mock's static files stay
    as they are; a name of its own means no browser uses a clean portal's cached copy."""
    suffix = name[name.rfind(".") :]
    tag, content_type = _ASSET_TAGS[suffix].format(name=name), _ASSET_TYPES[suffix]

    def serve(handler: Handler) -> Handler:
        def static(portal_: Portal, request: Request) -> Response:
            if request.params.get("name") != name:
                return handler(portal_, request)
            return Response(200, body.encode("utf-8"), content_type, [("Cache-Control", "no-store")])

        return static

    route(portal, "GET", STATIC, change=serve)
    patch_template(portal, "base.html", "</head>", f"{tag}\n</head>")

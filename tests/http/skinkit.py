"""Helpers for the skin tests: pages parsed with the standard library's ``html.parser`` into a
small tree, read the way contract §3 lets a page object read them (labels, buttons by their
text, headings, label/value pairs in a ``<dl>`` or a table), and forms sent by pressing a
button by its visible name, as a browser would (the pressed button's own name and value, every
other successful control of the form). Nothing here comes from the mock's code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.http.mockkit import Client, Reply, multipart

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML's white space: a no-break space is text
# What contract §3 lets a label or a legend end with: a required marker, a colon, spaces.
_MARKERS = re.compile(r"[\s\u00a0]*(\*{1,2})?[\s\u00a0]*:?[\s\u00a0]*$")


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def iter(self) -> Iterator[Element]:
        """This element and every element under it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Element]:
        """Elements under (and including) this one with ``tag`` and ``attrs`` (``aria_current="step"``
        is ``aria-current``; ``True`` means present, ``False`` absent)."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        found = []
        for element in self.iter():
            if tag is not None and element.tag != tag:
                continue
            if all(
                (name in element.attrs) is value if isinstance(value, bool) else element.attrs.get(name) == value
                for name, value in wanted.items()
            ):
                found.append(element)
        return found

    def find(self, tag: str | None = None, **attrs: str | bool) -> Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def one(self, tag: str | None = None, **attrs: str | bool) -> Element:
        """``find`` for an element the page must have: its absence fails the test, saying what."""
        found = self.find(tag, **attrs)
        assert found is not None, f"no <{tag or '*'}> with {attrs} under <{self.tag}>"
        return found

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def raw_text(self, *, hidden: bool = True) -> str:
        """The text under this element as written (no-break spaces kept); without ``hidden``,
        what is under ``aria-hidden="true"`` is left out (not part of a name)."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif hidden or child.get("aria-hidden") != "true":
                parts.append("\n" if child.tag == "br" else child.raw_text(hidden=hidden))
        return "".join(parts)

    @property
    def text(self) -> str:
        """The text, HTML white space collapsed and trimmed."""
        return _SPACES.sub(" ", self.raw_text()).strip()

    @property
    def name_text(self) -> str:
        """The text that names this element: without what is ``aria-hidden``."""
        return _SPACES.sub(" ", self.raw_text(hidden=False)).strip()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.duplicate_attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(tag, attrs, void=tag in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(tag, attrs, void=True)

    def _add(self, tag: str, attrs: list[tuple[str, str | None]], *, void: bool) -> None:
        names = [name for name, _ in attrs]
        self.duplicate_attributes += [(tag, name) for name in set(names) if names.count(name) > 1]
        element = Element(tag, {name: value or "" for name, value in attrs}, self.stack[-1])
        self.stack[-1].children.append(element)
        if not void:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@dataclass
class Page:
    """A fetched page: its reply, and its tree."""

    reply: Reply
    root: Element
    duplicate_attributes: list[tuple[str, str]]
    path: str = ""

    @property
    def status(self) -> int:
        return self.reply.status

    @property
    def html(self) -> Element:
        return self.root.find("html")  # type: ignore[return-value]

    @property
    def main(self) -> Element:
        main = self.root.find("main")
        assert main is not None, "no <main>"
        return main

    def by_id(self, element_id: str) -> Element | None:
        return self.root.find(id=element_id)


def parse(reply: Reply, path: str = "") -> Page:
    builder = _TreeBuilder()
    builder.feed(reply.text)
    builder.close()
    return Page(reply, builder.root, builder.duplicate_attributes, path)


def fetch(client: Client, path: str) -> Page:
    """GET ``path``, following redirects; the page where they end."""
    reply = client.get(path)
    while reply.status in (301, 302, 303, 307):
        path = reply.location or "/"
        reply = client.get(path)
    return parse(reply, path)


# -- reading as contract §3 allows ---------------------------------------------------------------------
def unmarked(label: str) -> str:
    """A label or legend without its trailing required marker and colon ("Nom *\u00a0:" -> "Nom")."""
    return _MARKERS.sub("", _SPACES.sub(" ", label)).strip()


CONTROLS = ("input", "select", "textarea")


def fields(root: Element) -> list[Element]:
    """The inputs a person fills in (not hidden fields, not buttons)."""
    return [
        e
        for e in root.iter()
        if e.tag in CONTROLS and e.get("type", "text") not in ("hidden", "submit", "button", "reset", "image")
    ]


def label_of(page: Page, control: Element) -> str | None:
    """The text that labels a control: ``aria-label``, ``aria-labelledby`` or ``<label for>``."""
    if control.get("aria-label"):
        return control.get("aria-label")
    if control.get("aria-labelledby"):
        parts = [page.by_id(i) for i in (control.get("aria-labelledby") or "").split()]
        return " ".join(p.raw_text() for p in parts if p is not None) or None
    if control.get("id"):
        labels = page.root.find_all("label", for_=control.get("id") or "")
        if labels:
            return labels[0].raw_text().strip()
    return None


def buttons(root: Element) -> list[Element]:
    """Submit buttons in document order: ``<button>`` (type submit by default) and
    ``<input type=submit>``."""
    return [
        e
        for e in root.iter()
        if (e.tag == "button" and e.get("type", "submit") == "submit")
        or (e.tag == "input" and e.get("type") == "submit")
    ]


def button_name(button: Element) -> str:
    return (button.get("value") or "") if button.tag == "input" else button.name_text


def legend_of(fieldset: Element) -> str | None:
    legend = next((c for c in fieldset.children if isinstance(c, Element) and c.tag == "legend"), None)
    return legend.raw_text().strip() if legend is not None else None


def heading_level(element: Element) -> int | None:
    if re.fullmatch(r"h[1-6]", element.tag):
        return int(element.tag[1])
    if element.get("role") == "heading":
        return int(element.get("aria-level") or 2)
    return None


def headings(root: Element) -> list[tuple[int, str]]:
    """(level, text) of every heading, elements or ``role="heading"``, in document order."""
    return [(level, e.name_text) for e in root.iter() if (level := heading_level(e)) is not None]


def value_of(cell: Element) -> str | tuple[str, ...]:
    """A summary value: its text, or its items when it lists them one per line (a list or
    ``<br>``-separated lines)."""
    items = cell.find_all("li")
    if items:
        return tuple(item.text for item in items)
    lines = [_SPACES.sub(" ", line).strip() for line in cell.raw_text().split("\n")]
    lines = [line for line in lines if line]
    if cell.find("br") is not None:
        return tuple(lines)
    return cell.text


def pairs(root: Element) -> list[tuple[str, str | tuple[str, ...]]]:
    """Label/value pairs under ``root``, written as ``<dt>``/``<dd>`` or ``<th>``/``<td>``,
    labels without marker and colon."""
    found: list[tuple[str, str | tuple[str, ...]]] = []
    for element in root.iter():
        if element.tag == "dt":
            siblings = [c for c in element.parent.children if isinstance(c, Element)]  # type: ignore[union-attr]
            following = siblings[siblings.index(element) + 1 :]
            value = following[0] if following and following[0].tag == "dd" else None
            found.append((unmarked(element.text), value_of(value) if value is not None else ""))
        elif element.tag == "th" and element.get("scope") == "row":
            cells = [c for c in element.parent.children if isinstance(c, Element) and c.tag == "td"]  # type: ignore[union-attr]
            found.append((unmarked(element.text), value_of(cells[0]) if cells else ""))
    return found


def lines(root: Element) -> list[str]:
    """The text under ``root`` cut into the lines a browser shows: at each ``<br>`` and paragraph."""
    done: list[str] = [""]

    def walk(node: Element) -> None:
        for child in node.children:
            if isinstance(child, str):
                done[-1] += child
            elif child.tag == "br":
                done.append("")
            else:
                if child.tag in ("p", "div", "li"):
                    done.append("")
                walk(child)
                if child.tag in ("p", "div", "li"):
                    done.append("")

    walk(root)
    return [" ".join(line.split()) for line in done if line.strip()]


def unpacked_pairs(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pairs with a value packing more pairs after a semicolon (the seed's "Employeur ONSS;
    Matricule ONSS: …") split into one pair each; labels and values without spacing around
    their colon."""
    result = []
    for label, value in found:
        first, *more = value.split(";")
        result.append((unmarked(label), first.strip()))
        result += [(unmarked(part.partition(":")[0]), " ".join(part.partition(":")[2].split())) for part in more]
    return result


def line_pairs(root: Element) -> list[tuple[str, str]]:
    """Pairs written as lines of text "Label: value" (contract §3), unpacked."""
    found = [(line.partition(":")[0], line.partition(":")[2]) for line in lines(root) if ":" in line]
    return unpacked_pairs(found)


def items(value: str | tuple[str, ...]) -> tuple[str, ...]:
    """A value's items, whichever way it was written ("a, b" or one per line)."""
    if isinstance(value, tuple):
        return value
    return tuple(part.strip() for part in value.split(", ")) if value else ()


# -- acting as a browser does ----------------------------------------------------------------------------
def form_of(element: Element) -> Element:
    form = next((a for a in element.ancestors() if a.tag == "form"), None)
    assert form is not None, f"{element.tag} outside a form"
    return form


def find_button(page: Page, name: str) -> Element:
    named = [b for b in buttons(page.root) if button_name(b) == name]
    assert len(named) == 1, (
        f"{len(named)} buttons named {name!r} on {page.path}: {[button_name(b) for b in buttons(page.root)]}"
    )
    return named[0]


def successful_controls(form: Element) -> list[tuple[str, str]]:
    """What a browser sends of a form's controls, buttons aside (HTML's "constructing the entry list")."""
    entries = []
    for control in form.iter():
        name = control.get("name")
        if not name or control.tag not in CONTROLS or "disabled" in control.attrs:
            continue
        kind = control.get("type", "text")
        if control.tag == "input" and kind in ("submit", "button", "reset", "image", "file"):
            continue
        if kind in ("checkbox", "radio") and "checked" not in control.attrs:
            continue
        if control.tag == "select":
            options = control.find_all("option")
            chosen = [o for o in options if "selected" in o.attrs] or options[:1]
            entries += [(name, o.get("value", o.text) or "") for o in chosen]
        elif control.tag == "textarea":
            entries.append((name, control.raw_text().removeprefix("\n")))
        else:
            entries.append((name, control.get("value", "on" if kind in ("checkbox", "radio") else "") or ""))
    return entries


def press(
    client: Client,
    page: Page,
    button: str,
    fill: Mapping[str, object] | None = None,
    files: dict[str, tuple[str, bytes]] | None = None,
) -> Reply:
    """Press the button named ``button`` on ``page``: send its form with what the page holds,
    ``fill`` replacing fields by name (a list for several values, [] to uncheck every box), and
    ``files`` as the file inputs' content (a file input left empty is sent empty, as browsers do)."""
    pressed = find_button(page, button)
    form = form_of(pressed)
    fill = dict(fill or {})
    sent: dict[str, list[str]] = {}
    for name, text in successful_controls(form):
        if name not in fill:
            sent.setdefault(name, []).append(text)
    for name, value in fill.items():
        sent[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    if pressed.get("name"):
        sent.setdefault(pressed.get("name") or "", []).append(
            button_name(pressed) if pressed.tag == "input" else pressed.get("value", "") or ""
        )
    uploads = {control.get("name") or "": ("", b"") for control in form.find_all("input", type="file")}
    uploads.update(files or {})
    body, content_type = multipart({name: values for name, values in sent.items()}, uploads)
    return client.request("POST", form.get("action") or page.path, body, {"Content-Type": content_type})

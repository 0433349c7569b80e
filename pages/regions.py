"""Regions: the parts screens share, PyPOM-style. Every region is built the same way,
``Region(page, root, words)``: the page, a root locator, the word table in the page's language.

A root is a Playwright locator, which is lazy: it is resolved again on every use, so a region
stays valid across navigations. Regions read and act; they never assert, and they know no
screen (screens, in ``pages/screens.py``, know them).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from playwright.sync_api import FilePayload, Locator, Page, expect

from contract.fields import BANNER_SUMMARY, CHANNEL_FIELDS, MULTI_ITEM
from contract.words import WordKey, Words, word_key
from pages.locate import NAMES_OF_CONTROLS, clean_step, exact_label, items_of, mentioning, normalize_label, step_name

# Contract §3: a faulty input (or group) carries aria-invalid="true".
INVALID = '[aria-invalid="true"]'
# Where the focus is (A11Y-3): a state of the page, not its markup.
FOCUS_WITHIN = ":focus-within"
# What set_input_files takes: a path, or a name/mimeType/buffer payload (bytes made in a test).
FileToUpload = str | Path | FilePayload
# A summary's values by key: text, or the items of a value made of several (contract §3;
# contract.fields.MULTI_ITEM), a tuple. Any, so that a test reads a text value as the str it is.
Values = dict[str, Any]

# Reads label/value pairs and headings in document order. The elements were found by role
# (heading, term, definition, rowheader, columnheader, cell); this only says which is which.
_READ_PAIRS = """els => els.map(e => {
  const tag = e.localName;
  const role = e.getAttribute('role') || '';
  let kind = 'value';
  let level = 0;
  if (role === 'heading' || /^h[1-6]$/.test(tag)) {
    kind = 'heading';
    level = Number(e.getAttribute('aria-level')) || Number(tag.slice(1)) || 2;
  } else if (['term', 'rowheader', 'columnheader'].includes(role) || tag === 'dt' || tag === 'th') {
    kind = 'label';
  }
  return {kind, level, text: e.innerText};
})"""


class Region:
    """A part of a page: ``page``, its ``root`` locator, the ``words`` of the page's language."""

    def __init__(self, page: Page, root: Locator, words: Words):
        self.page = page
        self.root = root
        self.words = words


def read_pairs(root: Locator, heading: str | None = None) -> dict[str, str]:
    """Label/value pairs under ``root``: ``<dt>``/``<dd>`` and ``<th>``/``<td>`` alike.

    With ``heading``, only the pairs after the heading with that text, up to the next heading
    of the same or a higher rank: what a person reads as that heading's section, whatever
    element (section, div, table) wraps it, whatever the headings' levels. Labels are
    normalized (no ``*``, ``**``, ``:``); several values for one label are kept one per line;
    a label without a value reads "".
    """
    parts = (
        root.get_by_role("heading")
        .or_(root.get_by_role("term"))
        .or_(root.get_by_role("definition"))
        .or_(root.get_by_role("rowheader"))
        .or_(root.get_by_role("columnheader"))
        .or_(root.get_by_role("cell"))
    )
    items = parts.evaluate_all(_READ_PAIRS)
    inside = heading is None
    start_level = 0
    pairs: dict[str, str] = {}
    label: str | None = None
    for item in items:
        if item["kind"] == "heading":
            if inside and heading is not None and item["level"] <= start_level:
                break
            if not inside and normalize_label(item["text"]) == heading:
                inside, start_level = True, item["level"]
            label = None
            continue
        if not inside:
            continue
        text = item["text"].strip()
        if item["kind"] == "label":
            label = normalize_label(text)
            pairs.setdefault(label, "")
        elif label is not None:
            pairs[label] = f"{pairs[label]}\n{text}" if pairs[label] else text
    return pairs


def keyed(pairs: dict[str, str], words: Words, keys: Iterable[WordKey]) -> Values:
    """``pairs`` re-keyed by word key where a label is one of ``keys``' words in the page's
    language (a label the table does not know is kept under its own text); a value made of
    several items (``contract.fields.MULTI_ITEM``) becomes the tuple of its items."""
    by_label = {normalize_label(words[key]): key for key in keys}
    result: Values = {}
    for label, value in pairs.items():
        key = by_label.get(label, label)
        result[key] = items_of(value) if key in MULTI_ITEM else " ".join(value.split())
    return result


class Header(Region):
    """The banner: title, language links NL/FR/DE, Home, Vos Responsables, Help, Quit."""

    def title(self) -> Locator:
        return self.root.get_by_text(self.words["app_title"], exact=True)

    def link(self, key: WordKey) -> Locator:
        """A header link by word key ("header_home", "header_quit", "lang_nl", …)."""
        return self.root.get_by_role("link", name=exact_label(self.words[key]))

    def language_link(self, language: str) -> Locator:
        return self.link(word_key(f"lang_{language}"))

    def language(self) -> str | None:
        """The page's language as ``<html lang>`` tells it (contract §3)."""
        return self.page.locator("html").get_attribute("lang")

    def choose_language(self, language: str) -> None:
        """Click "NL"/"FR"/"DE" and wait until ``<html lang>`` says so."""
        self.language_link(language).click()
        expect(self.page.locator("html")).to_have_attribute("lang", language)


class QualityBanner(Region):
    """The quality banner: Dénomination, Numéro d'entreprise, "Qualité: Employeur ONSS; …"."""

    def values(self) -> Values:
        """{"denomination": …, "enterprise_number": …, "quality": …} as shown: pairs of a
        definition list or table rows, or else lines of text "Label: value" (contract §3)."""
        pairs = read_pairs(self.root) or read_lines(self.root.inner_text())
        return keyed(unpacked(pairs), self.words, BANNER_SUMMARY)


def unpacked(pairs: dict[str, str]) -> dict[str, str]:
    """Pairs with a value that packs more pairs after a semicolon ("Employeur ONSS; Matricule
    ONSS: …", as the seed writes the quality) split into one pair each."""
    result: dict[str, str] = {}
    for label, value in pairs.items():
        first, *more = value.split(";")
        result[label] = first.strip()
        for part in more:
            packed, colon, rest = part.partition(":")
            if colon and normalize_label(packed):
                result.setdefault(normalize_label(packed), " ".join(rest.split()))
            else:  # a semicolon inside a value, not a second pair
                result[label] = f"{result[label]};{part}"
    return result


def read_lines(text: str) -> dict[str, str]:
    """Pairs written as lines of text "Label: value" (spaces either side of the colon allowed);
    a line's first colon ends its label, so the seed's packed last line "Qualité: Employeur
    ONSS; Matricule ONSS: …" reads as the label "Qualité" with the rest as its value, as a
    definition list would hold it. Lines without a colon (a heading) are no pairs."""
    pairs: dict[str, str] = {}
    for line in text.splitlines():
        label, colon, value = line.partition(":")
        if colon and normalize_label(label):
            pairs.setdefault(normalize_label(label), " ".join(value.split()))
    return pairs


class SideNavigation(Region):
    """The side navigation "Fonctionnalités": section headings, links, the current link."""

    def link(self, key: WordKey) -> Locator:
        """A navigation link by word key ("register_configuration", "channel_ws", …)."""
        return self.root.get_by_role("link", name=exact_label(self.words[key]))

    def section(self, key: WordKey) -> Locator:
        """A section's heading by word key ("structured_messages", …)."""
        return self.root.get_by_role("heading", name=exact_label(self.words[key]))

    def sections(self) -> list[str]:
        """The section headings in order (a heading naming the navigation itself left out)."""
        own = self.words["functionalities"]
        texts = [normalize_label(t) for t in self.root.get_by_role("heading").all_inner_texts()]
        return [t for t in texts if t != own]

    def links(self) -> dict[str, list[str]]:
        """Section heading -> the link texts under it, in document order."""
        items = (
            self.root.get_by_role("heading")
            .or_(self.root.get_by_role("link"))
            .evaluate_all(
                "els => els.map(e => [/^h[1-6]$/.test(e.localName)"
                " || e.getAttribute('role') === 'heading', e.innerText])"
            )
        )
        result: dict[str, list[str]] = {}
        current: list[str] | None = None
        for is_heading, text in items:
            text = normalize_label(text)
            if is_heading:
                current = None if text == self.words["functionalities"] else result.setdefault(text, [])
            elif current is not None:
                current.append(text)
        return result

    def current(self) -> str | None:
        """The text of the link marked ``aria-current="page"``, if any."""
        for text, current in self.root.get_by_role("link").evaluate_all(
            "els => els.map(e => [e.innerText, e.getAttribute('aria-current')])"
        ):
            if current == "page":
                return normalize_label(text)
        return None


class StepList(Region):
    """The wizard's list of steps, the current one marked ``aria-current="step"``."""

    def item(self, key: WordKey) -> Locator:
        """The list item of a step by word key ("step_contact", …)."""
        return self.root.get_by_role("listitem").filter(has_text=step_name(self.words[key]))

    def names(self) -> list[str]:
        """The step names in order, as shown."""
        return [clean_step(t) for t in self.root.get_by_role("listitem").all_inner_texts()]

    def current(self) -> str | None:
        """The name of the step marked current, if any."""
        for text, current in self.root.get_by_role("listitem").evaluate_all(
            "els => els.map(e => [e.innerText, e.getAttribute('aria-current')])"
        ):
            if current == "step":
                return clean_step(text)
        return None


class ErrorSummary(Region):
    """The error summary (``role="alert"``): its messages, one per problem."""

    def messages(self) -> list[str]:
        """One text per problem (the summary's list items; its whole text if it has none)."""
        if not self.root.count():
            return []
        items = self.root.get_by_role("listitem").all_inner_texts()
        return [t.strip() for t in items] if items else [t.strip() for t in self.root.all_inner_texts()]

    def message_naming(self, label: str) -> Locator:
        """The message(s) naming a field by its label (whole word: "Nom" is not "Prénom")."""
        return self.root.get_by_role("listitem").filter(has_text=mentioning(label))

    def entries(self) -> Locator:
        """The summary's entries, one per problem (its list items)."""
        return self.root.get_by_role("listitem")

    def focus_within(self) -> Locator:
        """The summary, when the focus is on it or on something in it (A11Y-3)."""
        return self.root.and_(self.page.locator(FOCUS_WITHIN))

    def link_naming(self, label: str) -> Locator:
        """The link of the message naming a field by its label (A11Y-3)."""
        return self.message_naming(label).get_by_role("link")


class Summary(Region):
    """Label/value pairs of a section: every pair under ``root``, or, with ``heading``, those
    under that heading (confirmation, overview, Home)."""

    def __init__(self, page: Page, root: Locator, words: Words, heading: str | None = None):
        super().__init__(page, root, words)
        self.heading = heading  # the heading's visible text; None: every pair under root

    def keyed(self, keys: Iterable[WordKey]) -> Values:
        """The values keyed by word key (labels the table does not know keep their text)."""
        return keyed(read_pairs(self.root, self.heading), self.words, keys)


class ChannelFields(Region):
    """What a channel needs, on the wizard's channel step and on a channel page: the
    certificate upload, the applications (FTP/SFTP) and the SSH public key (SFTP)."""

    def __init__(self, page: Page, root: Locator, words: Words):
        super().__init__(page, root, words)
        self.certificate = root.get_by_label(exact_label(words["certificate_upload"]))
        self.applications = root.get_by_role("group", name=exact_label(words["applications"]))
        self.ssh_key = root.get_by_label(exact_label(words["ssh_key"]))

    def application(self, name: str) -> Locator:
        """An application's checkbox by its name (CHANNEL-3's names, never translated)."""
        return self.applications.get_by_role("checkbox", name=exact_label(name))

    def upload_certificate(self, file: FileToUpload) -> None:
        self.certificate.set_input_files(file)

    def select_applications(self, names: Iterable[str]) -> None:
        """Exactly these applications checked: the others are unchecked (a kept draft may hold some)."""
        wanted = list(names)
        for name in self.selected_applications():
            if name not in wanted:
                self.application(name).uncheck()
        for name in wanted:
            self.application(name).check()

    def selected_applications(self) -> list[str]:
        """The names of the checked applications, in the page's order."""
        boxes = self.applications.get_by_role("checkbox", checked=True)
        return [normalize_label(c["name"]) for c in boxes.evaluate_all(NAMES_OF_CONTROLS)]

    def fill_ssh_key(self, text: str) -> None:
        self.ssh_key.fill(text)

    def invalid_fields(self) -> list[str]:
        """Keys among ``contract.fields.CHANNEL_FIELDS`` whose input, group or one of the group's
        inputs is marked ``aria-invalid="true"`` (a group's fault may be marked either way)."""
        words = self.words
        marked = set()
        for control in self.root.locator(INVALID).evaluate_all(NAMES_OF_CONTROLS):
            name, group = normalize_label(control["name"]), normalize_label(control["group"])
            if name == words["certificate_upload"]:
                marked.add("certificate_upload")
            elif name == words["ssh_key"]:
                marked.add("ssh_key")
            elif words["channels"] in (name, group):
                marked.add("channels")
            elif words["applications"] in (name, group):
                marked.add("applications")
        return [key for key in CHANNEL_FIELDS if key in marked]

"""Regions: the parts screens share (PyPOM-style: ``page`` plus a root looked up afresh).

A region's root is a Playwright locator, which is lazy: it is resolved again on every use, so
a region stays valid across navigations. Regions read and act; they never assert.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Generic, Iterable, TypeVar, Union

from playwright.sync_api import FilePayload, Locator, Page, expect

from contract.words import Words
from pages.locate import NAMES_OF_CONTROLS, clean_step, exact_label, mentioning, normalize_label, step_name

if TYPE_CHECKING:
    from pages.base import Screen
    from pages.login import LoginPage
    from pages.home import HomePage

S = TypeVar("S", bound="Screen")
# Contract §3: a faulty input (or group) carries aria-invalid="true".
INVALID = '[aria-invalid="true"]'
# What set_input_files takes: a path, or a name/mimeType/buffer payload (bytes made in a test).
FileToUpload = Union[str, Path, FilePayload]

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


def read_pairs(root: Locator, heading: str | None = None) -> dict[str, str]:
    """Label/value pairs under ``root``: ``<dt>``/``<dd>`` and ``<th>``/``<td>`` alike.

    With ``heading``, only the pairs after the heading with that text, up to the next heading
    of the same or a higher rank — what a person reads as that heading's section, whatever
    element (section, div, table) wraps it. Labels are normalized (no ``*``, ``**``, ``:``);
    several values for one label are joined by ", "; a label without a value reads "".
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
            pairs[label] = f"{pairs[label]}, {text}" if pairs[label] else text
    return pairs


def keyed(pairs: dict[str, str], words: Words, keys: Iterable[str]) -> dict[str, str]:
    """``pairs`` re-keyed by word key where a label is one of ``keys``' words in the page's
    language; a label the table does not know is kept under its own text."""
    by_label = {normalize_label(words[key]): key for key in keys}
    return {by_label.get(label, label): value for label, value in pairs.items()}


class Header(Generic[S]):
    """The banner: title, language links NL/FR/DE, Home, Vos Responsables, Help, Quit."""

    def __init__(self, page: Page, owner: S):
        self.page = page
        self._owner = owner
        self.root = page.get_by_role("banner")

    @property
    def words(self) -> Words:
        return self._owner.words

    def title(self) -> Locator:
        return self.root.get_by_text(self.words.app_title, exact=True)

    def link(self, key: str) -> Locator:
        """A header link by word key ("header_home", "header_quit", "lang_nl", …)."""
        return self.root.get_by_role("link", name=exact_label(self.words[key]))

    def language_link(self, language: str) -> Locator:
        return self.link(f"lang_{language}")

    def language(self) -> str | None:
        """The page's language as ``<html lang>`` tells it (contract §3)."""
        return self.page.locator("html").get_attribute("lang")

    def choose_language(self, language: str) -> None:
        """Click "NL"/"FR"/"DE" and wait until ``<html lang>`` says so."""
        self.language_link(language).click()
        expect(self.page.locator("html")).to_have_attribute("lang", language)

    def switch_language(self, language: str) -> S:
        """Click "NL"/"FR"/"DE"; the same screen's page object, with ``Words(language)``."""
        return self._owner.switch_language(language)

    def go_home(self) -> HomePage:
        from pages.home import HomePage  # screens link to each other: import when used

        self.link("header_home").click()
        return HomePage(self.page, self.words).loaded()

    def quit(self) -> LoginPage:
        from pages.login import LoginPage

        self.link("header_quit").click()
        return LoginPage(self.page, self.words).loaded()


class QualityBanner:
    """The quality banner: Dénomination, Numéro d'entreprise, "Qualité: Employeur ONSS; …"."""

    KEYS = ("denomination", "enterprise_number", "quality")

    def __init__(self, page: Page, words: Words):
        self.page = page
        self.words = words
        # The banner is the region named [quality] outside <main>; Home's own quality section
        # comes later in the document, so the first match is the banner.
        self.root = page.get_by_role("region", name=exact_label(words.quality)).first

    def values(self) -> dict[str, str]:
        """{"denomination": …, "enterprise_number": …, "quality": …} as shown."""
        return keyed(read_pairs(self.root), self.words, self.KEYS)


class SideNavigation:
    """The side navigation "Fonctionnalités": section headings, links, the current link."""

    def __init__(self, page: Page, words: Words):
        self.page = page
        self.words = words
        self.root = page.get_by_role("navigation", name=exact_label(words.functionalities))

    def link(self, key: str) -> Locator:
        """A navigation link by word key ("register_configuration", "channel_ws", …)."""
        return self.root.get_by_role("link", name=exact_label(self.words[key]))

    def section(self, key: str) -> Locator:
        """A section's heading by word key ("structured_messages", …)."""
        return self.root.get_by_role("heading", name=exact_label(self.words[key]))

    def sections(self) -> list[str]:
        """The section headings in order (the navigation's own heading left out)."""
        own = self.words.functionalities
        texts = [normalize_label(t) for t in self.root.get_by_role("heading").all_inner_texts()]
        return [t for t in texts if t != own]

    def links(self) -> dict[str, list[str]]:
        """Section heading -> the link texts under it, in document order."""
        items = self.root.get_by_role("heading").or_(self.root.get_by_role("link")).evaluate_all(
            "els => els.map(e => [/^h[1-6]$/.test(e.localName) || e.getAttribute('role') === 'heading', e.innerText])"
        )
        result: dict[str, list[str]] = {}
        current: list[str] | None = None
        for is_heading, text in items:
            text = normalize_label(text)
            if is_heading:
                current = None if text == self.words.functionalities else result.setdefault(text, [])
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


class StepList:
    """The wizard's list of steps, the current one marked ``aria-current="step"``."""

    STEP_KEYS = ("step_information", "step_contact", "step_channel", "step_confirmation")

    def __init__(self, page: Page, words: Words):
        self.page = page
        self.words = words
        first_step = page.get_by_role("listitem").filter(has_text=step_name(words.step_information))
        self.root = page.get_by_role("main").get_by_role("list").filter(has=first_step)

    def item(self, key: str) -> Locator:
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


class ErrorSummary:
    """The error summary (``role="alert"``): its messages, and which inputs are invalid."""

    def __init__(self, page: Page):
        self.page = page
        self.root = page.get_by_role("alert")

    def messages(self) -> list[str]:
        """One text per problem (the summary's list items; its whole text if it has none)."""
        if not self.root.count():
            return []
        items = self.root.get_by_role("listitem").all_inner_texts()
        return [t.strip() for t in items] if items else [t.strip() for t in self.root.all_inner_texts()]

    def message_naming(self, label: str) -> Locator:
        """The message(s) naming a field by its label (whole word: "Nom" is not "Prénom")."""
        return self.root.get_by_role("listitem").filter(has_text=mentioning(label))



class Summary:
    """Label/value pairs of a section with a heading (confirmation, overview, Home)."""

    def __init__(self, page: Page, root: Locator, heading: str | None = None):
        self.page = page
        self.root = root
        self.heading = heading  # the heading's visible text; None: every pair under root

    def values(self) -> dict[str, str]:
        """label -> value, labels normalized (no trailing ``*``, ``**``, ``:``)."""
        return read_pairs(self.root, self.heading)

    def keyed(self, words: Words, keys: Iterable[str]) -> dict[str, str]:
        """The values keyed by word key (labels the table does not know keep their text)."""
        return keyed(self.values(), words, keys)


class ChannelFields:
    """What a channel needs, on the wizard's channel step and on a channel page: the
    certificate upload, the applications (FTP/SFTP) and the SSH public key (SFTP)."""

    def __init__(self, page: Page, words: Words, root: Locator):
        self.page = page
        self.words = words
        self.root = root
        self.certificate = root.get_by_label(exact_label(words.certificate_upload))
        self.applications = root.get_by_role("group", name=exact_label(words.applications))
        self.ssh_key = root.get_by_label(exact_label(words.ssh_key))

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
        return [normalize_label(t) for t in boxes.evaluate_all(
            "els => els.map(e => (e.labels && e.labels[0] ? e.labels[0].innerText : e.getAttribute('aria-label')) || '')"
        )]

    def fill_ssh_key(self, text: str) -> None:
        self.ssh_key.fill(text)

    KEYS = ("channels", "certificate_upload", "applications", "ssh_key")

    def invalid_fields(self) -> list[str]:
        """Keys among :attr:`KEYS` whose input, group or one of the group's inputs is marked
        ``aria-invalid="true"`` (a group's fault may be marked either way)."""
        words = self.words
        marked = set()
        for control in self.root.locator(INVALID).evaluate_all(NAMES_OF_CONTROLS):
            name, group = normalize_label(control["name"]), normalize_label(control["group"])
            if name == words.certificate_upload:
                marked.add("certificate_upload")
            elif name == words.ssh_key:
                marked.add("ssh_key")
            elif words.channels in (name, group):
                marked.add("channels")
            elif words.applications in (name, group):
                marked.add("applications")
        return [key for key in self.KEYS if key in marked]

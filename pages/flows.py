"""Whole walks through the portal, made of page-object actions: what a person does to get
somewhere, for tests that start further on."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from pages.regions import FileToUpload
from pages.screens import ContactLike, HomePage, OverviewPage


class HasPath(Protocol):
    @property
    def path(self) -> Path: ...


Certificate = HasPath | FileToUpload  # a catalogue entry, a file path, or a file payload


def upload_of(certificate: Certificate) -> FileToUpload:
    """What ``set_input_files`` takes for ``certificate``."""
    path = getattr(certificate, "path", None)
    return Path(path) if path is not None else certificate  # type: ignore[return-value]


def register_web_service(home: HomePage, person: ContactLike, certificate: Certificate) -> OverviewPage:
    """The whole happy path from Home: Information, the contact, Web Service with the
    certificate, Confirmer. The overview that follows."""
    contact = home.start_registration().next()
    channel = contact.fill(person).next()
    return channel.choose_web_service().upload_certificate(upload_of(certificate)).next().confirm()

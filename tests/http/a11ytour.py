"""The screens of the flow in a real Chromium, for the mock's own accessibility checks
(``a11ykit.py``).

- ``Tour``: every screen of the tour (``pages/tour.py``: their names and order), in one language,
  on one running mock: a method per screen, named after it, brings the page there. State is set
  up over HTTP with ``mockkit.Client``, sharing the browser's session; refused states are
  reached by pressing the step's button in the browser.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator

from playwright.sync_api import Browser, Page, ViewportSize

from contract.words import WORDS
from pages.tour import SCREENS as TOUR
from tests.http.mockkit import GOOD_CONTACT, Client, der, self_signed, ssh_public_key

VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
SCREENS = tuple(screen.name for screen in TOUR)
REFUSED = tuple(screen.name for screen in TOUR if screen.refused)
# Passed through whatever the screens asked for: the browser's own steps (the sign-in page the
# refused sign-in needs, "Confirmer", which registers), and the states made over HTTP.
IN_THE_BROWSER = ("login", "result")
OVER_HTTP = ("contact", "channel", "confirmation")


def exact(word: str) -> re.Pattern[str]:
    """A button's or link's name: the word, with the marker and colon §3 allows after it."""
    return re.compile(rf"^\s*{re.escape(word)}[\s\u00a0*:]*$")


# -- the screens ------------------------------------------------------------------------------------
class Tour:
    """The screens of the flow for a new employer, in ``language``, each reached in turn."""

    def __init__(self, browser: Browser, base_url: str, language: str):
        self.browser, self.base_url, self.language = browser, base_url, language
        self.words = {key: values[language] for key, values in WORDS.items()}
        self.http = Client(base_url)
        self.http.employer = self.http.new_employer(language=language)
        self.http.sign_in(self.user("gl"), language)
        self.page = self._page_for(self.http)

    def user(self, role: str) -> str:
        return self.http.employer["users"][role]["username"]

    def _page_for(self, client: Client | None) -> Page:
        context = self.browser.new_context(viewport=VIEWPORT, locale=self.language)
        if client is not None:
            context.add_cookies(
                [{"name": name, "value": value, "url": self.base_url} for name, value in client.cookies.items()]
            )
        return context.new_page()

    def close(self) -> None:
        for context in self.browser.contexts:
            context.close()

    def goto(self, path: str, page: Page | None = None) -> Page:
        page = page or self.page
        page.goto(self.base_url + path)
        return page

    def press(self, page: Page, *words: str) -> Page:
        """Press the first button named by one of ``words`` (the skins name them differently)."""
        buttons = page.locator("main").get_by_role("button", name=exact(words[0]))
        for word in words[1:]:
            buttons = buttons.or_(page.locator("main").get_by_role("button", name=exact(word)))
        with page.expect_navigation():
            buttons.first.click()
        return page

    def certificate(self, cn: str) -> bytes:
        return der(self_signed(self.http.employer["employer"]["name"], cn=cn))

    # A method per screen of the tour, named after it; later ones rely on the state earlier ones made.
    def login(self) -> Page:
        self.login_page = self._page_for(None)
        return self.goto(f"/login?lang={self.language}", self.login_page)

    def login_refused(self) -> Page:
        return self.press(self.login_page, self.words["login_submit"])

    def home(self) -> Page:
        return self.goto("/")

    def information(self) -> Page:
        return self.goto("/wizard/information")

    def contact(self) -> Page:
        self.http.post("/wizard/information", {"action": "next"})
        return self.goto("/wizard/contact")

    def contact_refused(self) -> Page:
        return self.press(self.goto("/wizard/contact"), self.words["next"])

    def channel(self) -> Page:
        reply = self.http.post("/wizard/contact", {**GOOD_CONTACT, "language_regime": self.language, "action": "next"})
        assert reply.location == "/wizard/channel", reply.status
        return self.goto("/wizard/channel")

    def channel_refused(self) -> Page:
        return self.press(self.goto("/wizard/channel"), self.words["next"])

    def confirmation(self) -> Page:
        reply = self.http.post(
            "/wizard/channel",
            {"channel": "ws", "action": "next"},
            files={"certificate": ("ws.cer", self.certificate("WS"))},
        )
        assert reply.location == "/wizard/confirmation", reply.status
        return self.goto("/wizard/confirmation")

    def result(self) -> Page:
        return self.press(self.goto("/wizard/confirmation"), self.words["confirm"])

    def home_with_sender(self) -> Page:
        return self.goto("/")

    def contact_person(self) -> Page:
        return self.goto("/configuration/contact")

    def channels(self) -> Page:
        return self.goto("/channels")

    def channel_configured(self) -> Page:
        return self.goto("/channels/ws")

    def channel_to_add(self) -> Page:
        return self.goto("/channels/ftp")

    def channel_to_add_refused(self) -> Page:
        return self.press(self.goto("/channels/ftp"), self.words["next"], self.words["confirm"])

    def channel_confirmation(self) -> Page:
        """A skin that adds a channel in two steps shows its confirmation page; the other adds
        the channel on its page (shown again here, filled in)."""
        reply = self.http.post(
            "/channels/sftp",
            {"action": "next", "applications": ["Publiato"], "ssh_key": ssh_public_key()},
            files={"certificate": ("sftp.cer", self.certificate("SFTP"))},
        )
        return self.goto(
            "/channels/sftp/confirmation" if reply.location == "/channels/sftp/confirmation" else "/channels/sftp"
        )

    def deletion(self) -> Page:
        return self.goto("/configuration/delete")

    def access_refused(self) -> Page:
        user = Client(self.base_url)
        user.sign_in(self.user("user"), self.language)
        return self.goto("/wizard", self._page_for(user))

    def reach(self, screen: str) -> Page:
        """Bring a page to the tour's screen named ``screen``."""
        reach: Callable[[], Page] = getattr(self, _method(screen))
        return reach()

    def screens(self, only: tuple[str, ...] = SCREENS) -> Iterator[tuple[str, Page]]:
        """(name, page) of each screen in ``only``; the screens before it are passed through
        all the same (in the browser or over HTTP), as the later ones need their state."""
        unknown = sorted(set(only) - set(SCREENS))
        if unknown:
            raise ValueError(f"pages/tour.py has no screens {unknown}")
        last = max(SCREENS.index(name) for name in only)
        for name in SCREENS[: last + 1]:
            if name in only or name in IN_THE_BROWSER:
                page = self.reach(name)
                if name in only:
                    yield name, page
            elif name in OVER_HTTP:
                self.reach(name)


def _method(screen: str) -> str:
    return screen.replace("-", "_")


# A screen added to pages/tour.py stops these tests until Tour has a method for it.
_UNREACHED = [name for name in SCREENS if not callable(getattr(Tour, _method(name), None))]
_UNKNOWN = sorted({*IN_THE_BROWSER, *OVER_HTTP} - set(SCREENS))
if _UNREACHED or _UNKNOWN:
    raise NotImplementedError(
        f"tests/http/a11ytour.py: Tour has no method for the tour's screens {_UNREACHED}, "
        f"and names screens pages/tour.py does not have: {_UNKNOWN}"
    )


@contextlib.contextmanager
def tour(browser: Browser, base_url: str, language: str) -> Iterator[Tour]:
    visit = Tour(browser, base_url, language)
    try:
        yield visit
    finally:
        visit.close()

"""The gallery's hooks and fixtures: where a run writes, what each screen's visit starts from,
and the configuration the configured screens share (docs/gallery.md).

The gallery is collected only when the command line names this folder or a file in it
(``make gallery`` does): ``make test`` and ``pytest tests`` leave it out.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from xdist import is_xdist_worker

from contract.words import LANGUAGES, Words
from harness.gallery import CONTEXT_OPTIONS, gallery_key, write_index
from harness.shared import holds_employer
from pages import HomePage
from pages.flows import register_web_service
from pages.tour import TourScreen
from tests.gallery.visits import (
    PHOTOGRAPHED,
    Gallery,
    Registration,
    Visit,
    employer_values,
    gallery_person,
    shown_values,
    today,
)

HERE = Path(__file__).resolve().parent
# The seed of a gallery run when --faker-seed gives none: the same people and certificate names
# in every run, so that pictures compare.
GALLERY_SEED = 15


def _named(config: pytest.Config) -> bool:
    """Whether the command line names this folder or something in it."""
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.parent == HERE and collection_path.name.startswith("test_") and not _named(config):
        return True
    return None


def pytest_configure(config: pytest.Config) -> None:
    if _named(config) and config.getoption("--faker-seed") is None:
        config.option.faker_seed = GALLERY_SEED


def _key(config: pytest.Config) -> str:
    return gallery_key(config.getoption("--target"), config.getoption("--mock-skin"))


def pytest_sessionstart(session: pytest.Session) -> None:
    """The run's folder starts empty (once, on the controller): it shows this run only."""
    config = session.config
    if _named(config) and not is_xdist_worker(session) and not config.getoption("collectonly"):
        shutil.rmtree(Path(config.getoption("--gallery-dir")) / _key(config), ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The index, from every folder the gallery holds (the other skins' runs too)."""
    config = session.config
    if _named(config) and not is_xdist_worker(session) and not config.getoption("collectonly"):
        index = write_index(
            Path(config.getoption("--gallery-dir")), [(s.name, s.label) for s in PHOTOGRAPHED], LANGUAGES
        )
        config.get_terminal_writer().line(f"gallery: {index}")


@pytest.fixture(scope="session")
def gallery(pytestconfig: pytest.Config) -> Gallery:
    key = _key(pytestconfig)
    option = pytestconfig.getoption
    return Gallery(
        Path(option("--gallery-dir")) / key,
        Path(option("--baselines")) / key,
        option("--visual"),
        option("--update-baselines"),
        option("--visual-max-diff"),
    )


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Every page of the gallery renders alike: fixed viewport and scale, no motion, light."""
    return {**browser_context_args, **CONTEXT_OPTIONS}


@pytest.fixture(scope="session")
def employer_name(target, catalogue) -> str | None:
    """One name for the new employers of a portal the run makes its own (the bundled mock: names of
    one width keep the layout still); a foreign portal's employers come from its target file,
    whatever their names."""
    return catalogue.company if target.is_disposable else None


@pytest.fixture(scope="session")
@holds_employer("registered")  # the worker keeps one for it, as for the conformance registration
def registration(
    target,
    browser: Browser,
    browser_context_args: dict,
    catalogue,
    employer_name: str | None,
    pytestconfig: pytest.Config,
) -> Iterator[Registration]:
    """An employer with a Web Service configuration registered through the UI, for this worker's
    configured screens; on a foreign portal it is deleted again when the run ends."""
    employer = target.hold_employer("registered", name=employer_name)
    if employer is None:
        pytest.skip(
            "want of an employer: the gallery keeps one registered employer per worker for its configured "
            "screens, and the target file names too few to spare it (docs/targets.md)"
        )
    certificate = catalogue.fresh("valid-der")
    context = browser.new_context(**browser_context_args)
    try:
        target.sign_in(context, employer.account("gl"))
        home = HomePage.visit(context.new_page(), target.base_url, Words(target.language))
        person = gallery_person(pytestconfig.getoption("--faker-seed"), target.language)
        overview = register_web_service(home, person, certificate)
        values = shown_values(overview)  # the sender number, its date, the client id, the serials
    finally:
        context.close()
    yield Registration(employer, frozenset(values | employer_values(employer) | today()))
    if not target.is_disposable:
        target.remove_configuration(browser, employer)


@pytest.fixture
def visit(request: pytest.FixtureRequest, pytestconfig: pytest.Config) -> Callable[[TourScreen, str], Visit]:
    """``visit(screen, language) -> Visit``: what the screen's walk starts from."""

    def _visit(screen: TourScreen, language: str) -> Visit:
        return Visit(screen, request, gallery_person(pytestconfig.getoption("--faker-seed"), language))

    return _visit

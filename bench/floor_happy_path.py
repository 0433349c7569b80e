"""The floor for the happy path: the smoke test's clicks with no framework at all.

Starts the mock in this process, then, N times in one browser with a new context each:
provisions an employer through the test API, signs in with the API's session cookie, clicks
through the wizard with plain ``get_by_label``/``get_by_role``, uploads a fresh catalogue
certificate and confirms. Prints the time per repetition (the first, which warms up, apart).

    .venv/bin/python bench/floor_happy_path.py [--repeat 10] [--json]

``bench/bench_suite.py`` compares the smoke test against this.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import expect, sync_playwright  # noqa: E402


def label(word: str) -> re.Pattern[str]:
    """The word, allowing the required marker and a colon ("Nom *")."""
    return re.compile(rf"^\s*{re.escape(word)}\s*\**\s*:?\s*$")


def post(base_url: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(
        base_url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def session_cookie(base_url: str) -> dict:
    """The session cookie of a new employer's gestionnaire local, signed in by the test API."""
    users = post(base_url, "/__test__/employers", {"language": "fr"})["users"]
    return post(base_url, "/__test__/sessions", {"username": users["gl"]["username"], "language": "fr"})["cookie"]


def signed_in_context(browser, base_url: str, cookie: dict):
    """A new context holding ``cookie``: signed in without the login form."""
    context = browser.new_context()
    context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": base_url}])
    return context


def one_registration(browser, base_url: str, certificate: Path) -> None:
    """Provision, sign in, register a Web Service channel, see the result."""
    context = signed_in_context(browser, base_url, session_cookie(base_url))
    page = context.new_page()
    page.goto(base_url + "/")
    expect(page.get_by_text("Il n'y a pas d'expéditeur actif.")).to_be_visible()
    page.get_by_role("link", name="Enregistrement des données de configuration").click()
    page.get_by_role("button", name="Suivant").click()
    page.get_by_label(label("Nom")).fill("Peeters")
    page.get_by_label(label("Prénom")).fill("Marie")
    page.get_by_label(label("Titre")).select_option(label="Mme")
    page.get_by_label(label("Fonction")).fill("Comptable")
    page.get_by_label(label("Téléphone")).fill("+32 2 123 45 67")
    page.get_by_label(label("Adresse e-mail 1")).fill("marie.peeters@example.be")
    page.get_by_role("button", name="Suivant").click()
    page.get_by_label(label("Canal Web Service")).check()
    page.get_by_label(label("Chargement du certificat")).set_input_files(certificate)
    page.get_by_role("button", name="Suivant").click()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("status")).to_have_text("Le canal a bien été ajouté.")
    context.close()


def measure(repeat: int) -> dict:
    """Seconds per registration: the first one and the median of the others."""
    import mockportal
    from certs.catalogue import generate
    from harness import browser as browser_choice

    catalogue = generate(tempfile.mkdtemp(prefix="floor-catalogue-"), company="Floor SRL", seed=1)
    executable = browser_choice.find_chromium(install=False)
    portal = mockportal.start(port=0, trust_paths=(str(catalogue.fixture_ca_path),))
    times = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**browser_choice.launch_args(executable))
            for _ in range(repeat):
                started = time.perf_counter()
                # A certificate nobody registered (CERT-7), like the smoke test's fixture.
                certificate = catalogue.fresh("valid-der").path
                one_registration(browser, portal.url, certificate)
                times.append(time.perf_counter() - started)
            browser.close()
    finally:
        portal.stop()
    rest = times[1:] or times
    return {"repeat": repeat, "first_s": times[0], "median_s": statistics.median(rest), "all_s": times}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="registrations to time (default 10)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    result = measure(max(args.repeat, 2))
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"floor happy path: median {result['median_s'] * 1000:.0f} ms per registration "
            f"({result['repeat'] - 1} timed, first {result['first_s'] * 1000:.0f} ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

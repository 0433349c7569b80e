"""Which Chromium the suite drives.

Order: ``SUITE_CHROMIUM=/path``; a Playwright-managed Chromium when one is installed (users
elsewhere have one; Playwright then picks its own headless shell for headless runs); the
system's Chromium; Debian's ``chromium`` and ``chromium-headless-shell`` installed with apt when
running as root; otherwise stop with a message that says what to install.

Headless runs prefer the system's *headless shell* (Debian's ``chromium-headless-shell``, the
"old headless" build Playwright itself uses for headless Chromium): it starts contexts and
loads pages about a third faster than the full browser on this project's machines
(docs/performance.md). ``--headed`` runs need the full browser.

``python -m harness.browser --ensure`` is what ``make setup`` runs.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from typing import Any

# Without these, Chromium keeps phoning home and fills the log with refused connections
# on machines with a closed network.
QUIET_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SYSTEM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
HEADLESS_SHELL_CANDIDATES = ("/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium-headless-shell")
APT_PACKAGES = ("chromium", "chromium-headless-shell")
# The fonts the bundled mock's pages render in here (Arial resolves to Liberation Sans, the
# variant skin asks for DejaVu Sans): the gallery's baselines were drawn with them.
FONTS = {"Liberation Sans": "fonts-liberation", "DejaVu Sans": "fonts-dejavu-core"}
USAGE = "usage: python -m harness.browser [--ensure] [--headed]"


class BrowserNotFound(RuntimeError):
    pass


def playwright_managed_chromium() -> str | None:
    """Path of a Chromium that ``playwright install`` put in its cache, else None.

    Looked up on disk rather than through the Playwright driver, so it is cheap and safe to
    call from inside a running test session (the sync API refuses to start there).
    """
    cache = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or os.path.join(
        os.path.expanduser("~"), ".cache", "ms-playwright"
    )
    patterns = (
        "chromium-*/chrome-linux*/chrome",
        "chromium_headless_shell-*/chrome-linux*/headless_shell",
        "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
        "chromium-*/chrome-win*/chrome.exe",
    )
    for pattern in patterns:
        found = sorted(glob.glob(os.path.join(cache, pattern)))
        if found:
            return found[-1]
    return None


def _first_executable(paths: Iterable[str]) -> str | None:
    return next((path for path in paths if os.access(path, os.X_OK)), None)


def system_chromium(headless: bool = True) -> str | None:
    """The system's headless shell (headless runs), else its full Chromium."""
    shell = _first_executable(HEADLESS_SHELL_CANDIDATES) if headless else None
    return shell or _first_executable(SYSTEM_CANDIDATES) or shutil.which("chromium")


def _install_with_apt() -> bool:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    print(f"No Chromium found: installing Debian's {' and '.join(APT_PACKAGES)} with apt-get", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *APT_PACKAGES]):
        if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            return False
    return system_chromium() is not None


def missing_fonts() -> list[str]:
    """The Debian packages of :data:`FONTS` whose family fontconfig does not know (none when
    there is no fontconfig to ask: then Chromium brings nothing else either)."""
    if not shutil.which("fc-list"):
        return []
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return [package for family, package in FONTS.items() if family not in families]


def ensure_fonts() -> list[str]:
    """Install the missing font packages with apt when running as root; the ones still missing."""
    missing = missing_fonts()
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing the fonts the gallery's baselines use: {' '.join(missing)}", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
            if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
                break
        missing = missing_fonts()
    return missing


def find_chromium(install: bool = False, *, headless: bool = True) -> str | None:
    """The executable to launch, or None for Playwright's managed browser.

    Raises BrowserNotFound with what to install when there is none.
    """
    override = os.environ.get("SUITE_CHROMIUM")
    if override:
        if not os.access(override, os.X_OK):
            raise BrowserNotFound(f"SUITE_CHROMIUM={override} is not an executable file")
        return override
    if playwright_managed_chromium():
        return None
    system = system_chromium(headless)
    # --ensure installs the headless shell next to a system Chromium installed without it.
    if install and (system is None or (headless and system not in HEADLESS_SHELL_CANDIDATES)) and _install_with_apt():
        system = system_chromium(headless)
    if system:
        return system
    raise BrowserNotFound(
        "No Chromium found. Install one of: `python -m playwright install chromium` (where it can "
        "download), Debian's `apt-get install chromium chromium-headless-shell`, or point "
        "SUITE_CHROMIUM at a Chromium executable."
    )


def launch_args(executable: str | None) -> dict[str, Any]:
    """Playwright launch options for the chosen browser."""
    args: dict[str, Any] = {"args": list(QUIET_ARGS)}
    if executable:
        args["executable_path"] = executable
    return args


def main(argv: list[str]) -> int:
    unknown = [arg for arg in argv if arg not in ("--ensure", "--headed")]
    if unknown:
        print(f"{USAGE}\nharness.browser: unknown option {unknown[0]}", file=sys.stderr)
        return 2
    try:
        path = find_chromium(install="--ensure" in argv, headless="--headed" not in argv)
    except BrowserNotFound as error:
        print(error, file=sys.stderr)
        return 1
    print(f"browser: {path or 'Playwright-managed Chromium'}")
    if "--ensure" in argv:
        missing = ensure_fonts()
        if missing:  # only the gallery's pictures depend on them: say so, do not stop
            print(
                f"fonts: missing {' '.join(missing)} (apt-get install them): the gallery's pictures will "
                "differ from its baselines",
                file=sys.stderr,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Headless Debian chromium for the browser tests and the documentation screenshots.

Playwright drives the system's ``/usr/bin/chromium`` (installed by
``tools/setup/install_chromium.sh``): a test tool's own browser download does not
work on a closed network. The flags keep chromium from calling out at start-up
(background networking, component updates, sync), which the sandbox refuses.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = Path(os.environ.get("PENDOPO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = (
    "--no-sandbox",  # CI and the dev machines run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


class ChromiumMissingError(RuntimeError):
    pass


def launch_chromium(playwright: Playwright) -> Browser:
    """Start headless chromium; a clear error when the setup step did not run."""
    if not CHROMIUM.exists():
        raise ChromiumMissingError(
            f"{CHROMIUM} not found: run `bash tools/setup/install_chromium.sh` "
            "(make test runs it) or set PENDOPO_CHROMIUM."
        )
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
    )


def log_in_console(page: Page, email: str, password: str, totp_secret: str | None = None) -> None:
    """Log in on the console's login screen (already shown); with ``totp_secret``, also
    enter the code it then asks for, computed as the officer's authenticator app would."""
    from tools.local import totp

    page.get_by_label("Email dinas").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    if totp_secret:
        page.get_by_role("heading", name="Verifikasi dua langkah").wait_for()
        page.get_by_label("Kode verifikasi").fill(totp.current_code(totp_secret))
        page.get_by_role("button", name="Verifikasi", exact=True).click()

"""Screenshots of the officer's guide (docs/panduan-petugas.md): ``make screenshots``.

Starts the local stack as the training stage (``--training``: the MODE PELATIHAN
banner shows, as it does where officers practise), loads the practice set with
``pendopo-seed-training --local``, then drives headless chromium through the console
as each role sees it, into ``docs/screenshots/panduan/``:

- ``masuk.png``: the login;
- ``petugas-antrean.png``, ``petugas-detail.png``: a unit's queue and a complaint, read;
- ``koordinator-terlambat.png``, ``koordinator-disposisi.png``: the overdue filter and a
  disposition;
- ``verifikator-menunggu.png``, ``verifikator-validasi.png``: complaints to verify, and
  a follow-up result to validate;
- ``admin-antrean.png``: every unit's queue with the unit filter.
"""

from __future__ import annotations

import argparse
import sys

from playwright.sync_api import Browser, Page, sync_playwright

from infra.template import REPO_ROOT
from tools.browser import launch_chromium
from tools.docs.console_screenshots import (
    _API,
    _MOTO,
    _TABLE,
    OUT,
    Stack,
    desktop_page,
    log_in,
)
from tools.local.accounts import demo_email
from tools.local.stack import LOCAL_REGION
from tools.ops import seed_training
from tools.ops.seed_training import PracticeIndex
from tools.ops.targets import local_session

GUIDE_OUT = OUT / "panduan"
ROWS = "table.queue tbody tr"


def seed(moto_url: str, table: str) -> dict[str, str]:
    """The practice set in the stack's table; practice id -> ticket."""
    code = seed_training.main(["--local", "--endpoint-url", moto_url, "--table", table])
    if code != 0:
        raise RuntimeError(f"pendopo-seed-training --local failed ({code})")
    dynamodb = local_session(LOCAL_REGION).client("dynamodb", endpoint_url=moto_url)
    return {pid: entry["ticket"] for pid, entry in PracticeIndex(dynamodb, table).read().items()}


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=GUIDE_OUT / name, full_page=True)
    print(f"wrote {(GUIDE_OUT / name).relative_to(REPO_ROOT)}")


class Console:
    """The training console at ``origin``, one officer per browser context."""

    def __init__(self, browser: Browser, origin: str, tickets: dict[str, str]) -> None:
        self.browser, self.origin, self.tickets = browser, origin, tickets

    def queue(self, role: str, unit: str | None, route: str, name: str) -> Page:
        """Log in as the role's demo account, open the queue at ``route``, shoot it."""
        page = desktop_page(self.browser)
        log_in(page, self.origin, route, demo_email(role, unit))
        page.locator(ROWS).first.wait_for()
        shoot(page, name)
        return page

    def complaint(self, page: Page, practice_id: str) -> None:
        page.goto(f"{self.origin}/console/#/complaints/{self.tickets[practice_id]}")
        page.locator(".trail li").first.wait_for()


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    GUIDE_OUT.mkdir(parents=True, exist_ok=True)
    stack = Stack("--training", table="pendopo-panduan")
    try:
        stack.wait()
        origin = stack.find(_API)
        tickets = seed(stack.find(_MOTO), stack.find(_TABLE))
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            login = desktop_page(browser)
            login.goto(f"{origin}/console/")
            login.get_by_label("Email dinas").wait_for()
            shoot(login, "masuk.png")
            console = Console(browser, origin, tickets)

            clerk = console.queue("petugas", "BIRO_PLH", "#/antrean", "petugas-antrean.png")
            console.complaint(clerk, "plh-2")
            shoot(clerk, "petugas-detail.png")

            lead = console.queue(
                "koordinator", "BIRO_PLH", "#/antrean?overdue=1", "koordinator-terlambat.png"
            )
            console.complaint(lead, "pem-3")
            lead.get_by_role("button", name="Disposisi").click()
            lead.locator("form[data-action=disposition]").wait_for()
            shoot(lead, "koordinator-disposisi.png")

            check = console.queue(
                "verifikator", "BIRO_PEM", "#/antrean?status=waiting", "verifikator-menunggu.png"
            )
            console.complaint(check, "kesos-1")
            check.get_by_role("button", name="Terima hasil (selesai)").wait_for()
            shoot(check, "verifikator-validasi.png")

            console.queue("admin", None, "#/antrean", "admin-antrean.png")
            browser.close()
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

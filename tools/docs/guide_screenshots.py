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
from collections.abc import Callable

from playwright.sync_api import Page, sync_playwright

from infra.template import REPO_ROOT
from tools.browser import launch_chromium
from tools.docs.console_screenshots import _API, _MOTO, _TABLE, OUT, VIEWPORT, Stack, log_in
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


def as_officer(new_page: Callable[[], Page], origin: str, email: str, route: str) -> Page:
    page = new_page()
    log_in(page, origin, route, email)
    return page


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
            context = browser.new_context(
                viewport=VIEWPORT,  # type: ignore[arg-type]
                locale="id-ID",
                timezone_id="UTC",  # the page shows WIB whatever the browser's zone
            )
            login = context.new_page()
            login.goto(f"{origin}/console/")
            login.get_by_label("Email dinas").wait_for()
            shoot(login, "masuk.png")
            login.close()

            def fresh() -> Page:
                # Each officer in a context of their own: sessions live per tab.
                return browser.new_context(
                    viewport=VIEWPORT,  # type: ignore[arg-type]
                    locale="id-ID",
                    timezone_id="UTC",
                ).new_page()

            clerk = as_officer(fresh, origin, demo_email("petugas", "BIRO_PLH"), "#/antrean")
            clerk.locator(ROWS).first.wait_for()
            shoot(clerk, "petugas-antrean.png")
            clerk.get_by_role("link", name=tickets["plh-2"]).click()
            clerk.locator(".trail li").first.wait_for()
            shoot(clerk, "petugas-detail.png")

            coordinator = demo_email("koordinator", "BIRO_PLH")
            lead = as_officer(fresh, origin, coordinator, "#/antrean?overdue=1")
            lead.locator(ROWS).first.wait_for()
            shoot(lead, "koordinator-terlambat.png")
            lead.goto(f"{origin}/console/#/complaints/{tickets['pem-3']}")
            lead.get_by_role("button", name="Disposisi").click()
            lead.locator("form[data-action=disposition]").wait_for()
            shoot(lead, "koordinator-disposisi.png")

            verifier = demo_email("verifikator", "BIRO_PEM")
            check = as_officer(fresh, origin, verifier, "#/antrean?status=waiting")
            check.locator(ROWS).first.wait_for()
            shoot(check, "verifikator-menunggu.png")
            check.goto(f"{origin}/console/#/complaints/{tickets['kesos-1']}")
            check.get_by_role("button", name="Terima hasil (selesai)").wait_for()
            shoot(check, "verifikator-validasi.png")

            admin = as_officer(fresh, origin, demo_email("admin"), "#/antrean")
            admin.locator(ROWS).first.wait_for()
            shoot(admin, "admin-antrean.png")
            browser.close()
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of the live figures for docs/web.md: ``make screenshots``.

Starts the local stack with the demo data (``make demo``, on free ports), waits until
the statistics aggregator has counted the demo complaints (it runs from the table's
stream in the stack's process), then drives headless chromium:

- ``docs/screenshots/console-dashboard.png``: the Sekda's dashboard in the console
  (desktop), every unit and Asisten, the 90-day trend;
- ``docs/screenshots/statistik-phone.png``: the public statistics page on a 360 px phone.
"""

from __future__ import annotations

import argparse
import sys
import time

import requests
from playwright.sync_api import sync_playwright

from infra.template import REPO_ROOT
from tools.browser import launch_chromium
from tools.docs.console_screenshots import _API, OUT, Stack, desktop_page, log_in

SHOTS = ("console-dashboard.png", "statistik-phone.png")
SEKDA = "pimpinan.sekda@pendopo.example"
COUNTED_SECONDS = 60.0


def wait_until_counted(api_url: str) -> None:
    """Until the public figures show the demo's complaints (the stream is asynchronous)."""
    deadline = time.monotonic() + COUNTED_SECONDS
    while time.monotonic() < deadline:
        answer = requests.get(f"{api_url}/v1/statistics", params={"period": "30d"}, timeout=30)
        if answer.status_code == 200 and answer.json()["total"]["received"] > 0:
            return
        time.sleep(0.5)
    raise RuntimeError("the statistics never counted the demo complaints")


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    stack = Stack(table="pendopo-dashboard-screenshots")
    try:
        stack.wait()
        origin = stack.find(_API)
        wait_until_counted(origin)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = desktop_page(browser)
            log_in(page, origin, "#/dasbor", SEKDA)
            page.locator("table[data-table=units] tbody tr").first.wait_for()
            page.locator(".fig-chart svg polyline").first.wait_for()
            page.screenshot(path=OUT / "console-dashboard.png", full_page=True)

            phone = browser.new_context(
                viewport={"width": 360, "height": 740}, locale="id-ID", timezone_id="UTC"
            ).new_page()
            phone.goto(f"{origin}/statistik/")
            phone.locator(".fig-chart svg polyline").first.wait_for()
            phone.screenshot(path=OUT / "statistik-phone.png", full_page=True)
            browser.close()
    finally:
        stack.stop()
    for name in SHOTS:
        print(f"wrote {(OUT / name).relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

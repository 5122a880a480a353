"""Screenshots of the e-kiosk and the citizen web, from a fresh local stack.

    python -m tools.docs.screenshots [--out docs/screenshots]     (make screenshots)

Starts the local stack exactly as ``make run`` does (its own process, free loopback
ports, a table of its own), drives headless chromium (tools.browser) through a kiosk
complaint, and writes:

- kiosk-home.png, kiosk-form.png, kiosk-confirmation.png  (1080×1920 portrait)
- tracking-phone.png  (the tracking page the kiosk's QR code opens, 360 px wide)
- warga-form-phone.png  (the citizen web's form, 360 px wide)

The browser's zone is UTC on purpose: every time on the pages must be WIB anyway.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import uuid
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

from infra.template import REPO_ROOT
from tools.browser import launch_chromium

OUT_DIR = REPO_ROOT / "docs" / "screenshots"
_API_LINE = re.compile(r"^\s+API\s+(http://127\.0\.0\.1:\d+)/v1\s*$")
STARTUP_SECONDS = 90


def start_stack() -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "layers" / "common")])
    env["PYTHONUNBUFFERED"] = "1"
    table = f"pendopo-screenshots-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "tools.local.stack",
            "--port",
            "0",
            "--moto-port",
            "0",
            "--table",
            table,
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    found: list[str] = []
    ready = threading.Event()

    def drain() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            match = _API_LINE.match(line)
            if match:
                found.append(match.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=drain, daemon=True).start()
    ready.wait(timeout=STARTUP_SECONDS)
    if not found:
        process.terminate()
        raise RuntimeError("the local stack did not start")
    return process, found[0]


def _page(browser: Browser, width: int, height: int) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="id-ID",
        timezone_id="UTC",
        service_workers="block",
    )
    return context.new_page()


def take(origin: str, out: Path, browser: Browser) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shot(page: Page, name: str, *, full_page: bool = False) -> None:
        path = out / name
        page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
        written.append(path)

    kiosk = _page(browser, 1080, 1920)
    kiosk.goto(origin + "/kiosk/")
    expect(kiosk.locator("#programs > li")).to_have_count(4)
    shot(kiosk, "kiosk-home.png")

    kiosk.get_by_role("button", name="Sampaikan pengaduan").click()
    kiosk.get_by_role("button", name=re.compile(r"^Jalan, transportasi")).click()
    kiosk.get_by_role("button", name=re.compile(r"^Jalan rusak")).click()
    kiosk.get_by_label("Judul singkat").fill("Jalan berlubang di depan sekolah")
    kiosk.get_by_label("Ceritakan masalahnya").fill(
        "Lubang besar di Jl. Kramat Raya membahayakan pengendara motor, "
        "terutama malam hari saat lampu jalan mati."
    )
    kiosk.get_by_label("Lokasi").fill("Jl. Kramat Raya 98, dekat halte Kramat")
    kiosk.get_by_label("Nama lengkap").fill("Siti Aminah")
    kiosk.get_by_label("Nomor telepon atau WhatsApp").fill("0812-345")  # a typo, to show a message
    kiosk.get_by_role("button", name="Kirim pengaduan").click()
    expect(kiosk.locator("#form-summary")).to_be_visible()
    shot(kiosk, "kiosk-form.png", full_page=True)  # the whole form, as the screen scrolls

    kiosk.get_by_label("Nomor telepon atau WhatsApp").fill("0812 3456 7890")
    kiosk.get_by_label("Sembunyikan identitas saya dari petugas unit").check()
    # The consent to messages (issue #16): the receipt then says the SMS is on its way.
    kiosk.get_by_label("Ya, kirim kabar lewat SMS ke nomor ponsel saya").check()
    kiosk.get_by_role("button", name="Kirim pengaduan").click()
    expect(kiosk.locator("#receipt-qr svg")).to_be_visible()
    expect(kiosk.locator("#receipt-notify")).to_be_visible()
    shot(kiosk, "kiosk-confirmation.png")
    tracking_url = kiosk.locator("#receipt-qr").get_attribute("data-url")
    assert tracking_url

    phone = _page(browser, 360, 740)
    phone.goto(tracking_url)
    expect(phone.locator("#r-status")).to_have_text("Menunggu")
    shot(phone, "tracking-phone.png", full_page=True)

    phone.goto(origin + "/warga/")
    expect(phone.locator("html")).to_have_attribute("data-ready", "true")
    shot(phone, "warga-form-phone.png")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    process, api = start_stack()
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                written = take(api.removesuffix("/v1"), args.out, browser)
            finally:
                browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    for path in written:
        print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

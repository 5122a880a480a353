"""Screenshots of photos and documents in the web clients (issue #17): ``make screenshots``.

Starts the local stack (no demo data, on free ports), then drives headless chromium:

- ``docs/screenshots/uploads-phone.png``: the citizen form's files on a 360 px phone: a
  photo shrunk and checked, a PDF checked, a PDF refused with the checker's reason;
- ``docs/screenshots/console-files.png``: a complaint's files in the console, as the
  verifier sees them: the citizen's photo and document, the proof photo of the follow-up,
  one marked internal;
- ``docs/screenshots/console-file-viewer.png``: the viewer open on the proof photo;
- ``docs/screenshots/tracking-proof-phone.png``: the tracking page's proof photos on a phone.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import requests
from playwright.sync_api import Page, expect, sync_playwright

from tools.browser import launch_chromium
from tools.docs.console_screenshots import _API, OUT, Stack, desktop_page, log_in
from tools.docs.sample_files import chooser_file, pdf_bytes, scene_bytes
from tools.local.accounts import demo_email
from tools.local.login import bearer

SHOTS = (
    "uploads-phone.png",
    "console-files.png",
    "console-file-viewer.png",
    "tracking-proof-phone.png",
)
CHECK_SECONDS = 30


def phone_page(browser: Any) -> Page:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", timezone_id="UTC"
    )
    return context.new_page()


def uploaded(
    api_url: str, route: str, headers: dict[str, str], name: str, mime: str, data: bytes
) -> str:
    """A file sent as a client sends it (slot, presigned POST), once the checker passed it."""
    slot = requests.post(
        f"{api_url}/v1/{route}",
        headers=headers,
        json={"filename": name, "content_type": mime, "size": len(data)},
        timeout=30,
    )
    slot.raise_for_status()
    answer = slot.json()
    sent = requests.post(
        answer["url"], data=answer["fields"], files={"file": (name, data, mime)}, timeout=30
    )
    sent.raise_for_status()
    deadline = time.monotonic() + CHECK_SECONDS
    while time.monotonic() < deadline:
        status = requests.get(f"{api_url}/v1/uploads/{answer['upload_id']}", timeout=30).json()
        if status["status"] == "clean":
            return str(answer["upload_id"])
        if status["status"] == "refused":
            raise RuntimeError(f"{name} refused: {status.get('reason')}")
        time.sleep(0.5)  # a tool waiting for the stack's checker, not a test
    raise RuntimeError(f"{name} was not checked within {CHECK_SECONDS} s")


def citizen_form(browser: Any, origin: str) -> None:
    page = phone_page(browser)
    page.goto(f"{origin}/warga/")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    page.locator("#lampiran-pick").set_input_files(
        [
            chooser_file("jalan-berlubang.jpg", "image/jpeg", scene_bytes(page, 4000, 3000)),
            chooser_file("surat-pengantar-rt.pdf", "application/pdf", pdf_bytes()),
            chooser_file("formulir.pdf", "application/pdf", pdf_bytes(javascript=True)),
        ]
    )
    items = page.locator(".upload-item")
    for state, count in (("clean", 2), ("refused", 1)):
        expect(page.locator(f".upload-item[data-state={state}]")).to_have_count(
            count, timeout=CHECK_SECONDS * 1000
        )
    expect(items).to_have_count(3)
    page.locator(".upload-field").screenshot(path=OUT / "uploads-phone.png", animations="disabled")


def console_and_tracking(browser: Any, origin: str) -> None:
    api_url = origin
    scratch = phone_page(browser)
    scratch.goto(f"{origin}/warga/")
    photo = scene_bytes(scratch, 1600, 1200)
    citizen_photo = uploaded(api_url, "uploads", {}, "jalan-berlubang.jpg", "image/jpeg", photo)
    letter = uploaded(
        api_url, "uploads", {}, "surat-pengantar-rt.pdf", "application/pdf", pdf_bytes()
    )
    receipt = requests.post(
        f"{api_url}/v1/complaints",
        headers={"Idempotency-Key": "screenshot-uploads-0001"},
        json={
            "channel": "web",
            "category": "STREET_LIGHTING",
            "title": "Lampu jalan mati dan jalan berlubang di Jl. Cikini Raya",
            "description": "Dua lampu jalan mati sejak seminggu; di bawahnya ada lubang besar.",
            "reporter": {"name": "Rina Wulandari", "phone": "0813 2222 3333"},
            "attachments": [citizen_photo, letter],
        },
        timeout=30,
    ).json()
    verifier = bearer(api_url, demo_email("verifikator", "BIRO_PEM"))
    coordinator = bearer(api_url, demo_email("koordinator", "BIRO_PLH"))
    proof = uploaded(
        api_url, "officer/uploads", coordinator, "lampu-menyala.jpg", "image/jpeg", photo
    )
    url = f"{api_url}/v1/officer/complaints/{receipt['ticket']}"
    result = {
        "result": "Dinas Bina Marga mengganti dua lampu dan menambal lubang pada 4 Desember.",
        "attachments": [proof],
    }
    for segment, headers, body in (
        ("verify", verifier, {}),
        ("disposition", coordinator, {"agency": "BINA_MARGA"}),
        ("follow-up", coordinator, result),
        ("accept", verifier, {}),
        (f"files/{letter}/visibility", verifier, {"internal": True}),
    ):
        version = requests.get(url, headers=headers, timeout=30).headers["ETag"]
        answer = requests.post(
            f"{url}/{segment}", headers={**headers, "If-Match": version}, json=body, timeout=30
        )
        answer.raise_for_status()

    page = desktop_page(browser)
    log_in(page, origin, f"#/complaints/{receipt['ticket']}", demo_email("verifikator", "BIRO_PEM"))
    files = page.get_by_role("list", name="Berkas pengaduan")
    expect(files.locator("img")).to_have_count(2)
    for image in files.locator("img").all():
        expect(image).to_have_js_property("complete", True)
    files.scroll_into_view_if_needed()
    page.screenshot(path=OUT / "console-files.png", full_page=True)
    files.get_by_role("button", name="Lihat foto lampu-menyala.jpg").click()
    expect(page.locator("dialog.file-viewer img")).to_have_js_property("complete", True)
    page.screenshot(path=OUT / "console-file-viewer.png")

    phone = phone_page(browser)
    phone.goto(
        f"{origin}/warga/lacak.html#tiket={receipt['ticket']}&kode={receipt['tracking_code']}"
    )
    expect(phone.locator("#r-files img")).to_have_js_property("complete", True)
    phone.screenshot(path=OUT / "tracking-proof-phone.png", full_page=True)


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    stack = Stack("--no-throttle", table="pendopo-upload-screenshots")
    try:
        stack.wait()
        origin = stack.find(_API)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            citizen_form(browser, origin)
            console_and_tracking(browser, origin)
            browser.close()
    finally:
        stack.stop()
    for name in SHOTS:
        print(OUT / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

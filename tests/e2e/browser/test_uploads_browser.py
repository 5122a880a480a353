"""Photos and documents in the web clients (issue #17, web/shared/uploads.js) in headless
chromium against the local stack: the citizen form on a 360 px phone (shrinking, progress,
the checker's verdict, removing, a dropped connection, a refusal, the limits), the kiosk's
note that it takes no files, and the console (a follow-up's proof photo, its thumbnail and
viewer, the verifier marking it internal) with the tracking page's proof photos.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, Request, Route, expect

from tests.support.over_http import act, as_officer, submit_at_kiosk, track
from tests.support.stack import RunningStack
from tests.support.web_upload_files import chooser_file, jpeg_size, pdf_bytes, photo_bytes
from tools.browser import log_in_console
from tools.local.accounts import DEMO_PASSWORD, demo_email, demo_totp_secret

pytestmark = pytest.mark.browser

COORDINATOR = demo_email("koordinator", "BIRO_PLH")
VERIFIER = demo_email("verifikator", "BIRO_PEM")
# The checker's verdicts take a moment (a real function on each new object), and the
# automatic retries wait 1 s then 3 s: room for both.
SLOW = 20_000


def storage_posts(web_origin: str) -> Callable[[str], bool]:
    """The presigned POSTs to S3: the only requests that leave the web's own origin."""
    return lambda url: not url.startswith(web_origin)


def open_form(page: Page, web_origin: str) -> None:
    page.goto(f"{web_origin}/warga/")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")


def fill_complaint(page: Page) -> None:
    page.get_by_label("Pengaduan Anda tentang apa?").select_option("FLOOD_DRAINAGE")
    page.get_by_label("Judul singkat").fill("Saluran air tersumbat")
    page.get_by_label("Ceritakan masalahnya").fill(
        "Saluran di depan rumah tersumbat sampah sehingga air meluap saat hujan."
    )
    page.get_by_label("Nama lengkap").fill("Wulan Sekar")
    page.get_by_label("Nomor telepon atau WhatsApp").fill("0857-1122-3344")


def item(page: Page, name: str) -> Any:
    return page.locator(".upload-item", has=page.locator(".upload-name", has_text=name))


def pump_until(page: Page, done: Callable[[], bool], seconds: float = 20.0) -> None:
    """Let Playwright deliver its events (route handlers run only inside its calls)
    until ``done()``: each round trip to the page is one delivery, no sleeping."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the awaited requests never came"
        page.evaluate("0")


def no_sideways_scrolling(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_citizen_attaches_a_photo_and_a_pdf_removes_one_and_sends_on_a_phone(
    phone_page: Page, web_origin: str
) -> None:
    page = phone_page
    open_form(page, web_origin)
    photo = photo_bytes(page, 3000, 2000)
    assert len(photo) > 1024 * 1024  # large enough to be shrunk
    pdf = pdf_bytes()

    # The S3 POSTs are held until the page has shown their progress, and their bodies kept
    held: list[Route] = []
    bodies: list[bytes] = []

    def hold(route: Route) -> None:
        bodies.append(route.request.post_data_buffer or b"")
        held.append(route)

    page.route(storage_posts(web_origin), hold)
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r) if r.url.endswith("/v1/complaints") else None)

    # When the citizen picks a photo and a PDF
    page.locator("#lampiran-pick").set_input_files(
        [
            chooser_file("jalan.jpg", "image/jpeg", photo),
            chooser_file("surat-rt.pdf", "application/pdf", pdf),
        ]
    )
    # Then each shows its upload with a labelled progress bar
    for name in ("jalan.jpg", "surat-rt.pdf"):
        expect(item(page, name)).to_have_attribute("data-state", "uploading")
        expect(page.get_by_role("progressbar", name=name)).to_be_visible()
    # And the photo was shrunk in the browser before it left: a JPEG at most 2,560 px wide
    expect(item(page, "jalan.jpg").locator(".upload-size")).to_contain_text("(asli")
    pump_until(page, lambda: len(held) == 2)
    jpeg_body = next(body for body in bodies if b"image/jpeg" in body)
    start = jpeg_body.index(b"\xff\xd8\xff")
    width, height = jpeg_size(jpeg_body[start:])
    assert (width, height) == (2560, 1707) and len(jpeg_body) < len(photo)
    for route in held:
        route.continue_()

    # Then both are checked clean, announced to screen readers
    for name in ("jalan.jpg", "surat-rt.pdf"):
        expect(item(page, name)).to_have_attribute("data-state", "clean", timeout=SLOW)
        expect(item(page, name).locator(".upload-status")).to_have_text("Siap dikirim")
    expect(page.locator("[data-upload=live]")).to_contain_text("Siap dikirim")
    no_sideways_scrolling(page)

    # When they remove the PDF: it is gone, and focus is on a button still there
    page.get_by_role("button", name="Hapus surat-rt.pdf").click()
    expect(item(page, "surat-rt.pdf")).to_have_count(0)
    expect(page.locator(".upload-count")).to_have_text("1 dari 5 berkas.")
    expect(page.get_by_role("button", name="Hapus jalan.jpg")).to_be_focused()

    # And send the complaint: the receipt, and the body named only the photo
    fill_complaint(page)
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.get_by_role("heading", name="Pengaduan Anda telah diterima")).to_be_visible()
    body = json.loads(sent[-1].post_data or "{}")
    assert len(body["attachments"]) == 1 and re.fullmatch(r"[0-9a-f]{32}", body["attachments"][0])
    no_sideways_scrolling(page)


def test_a_dropped_upload_is_retried_by_itself_then_by_the_button(
    phone_page: Page, web_origin: str
) -> None:
    page = phone_page
    open_form(page, web_origin)
    attempts: list[str] = []
    state = {"drop": 1}

    def flaky(route: Route) -> None:
        attempts.append(route.request.url)
        if state["drop"] > 0:
            state["drop"] -= 1
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(storage_posts(web_origin), flaky)

    # When the connection drops during the first upload, the widget retries by itself
    page.locator("#lampiran-pick").set_input_files(
        [chooser_file("genangan.pdf", "application/pdf", pdf_bytes("Genangan"))]
    )
    expect(item(page, "genangan.pdf")).to_have_attribute("data-state", "clean", timeout=SLOW)
    assert len(attempts) == 2

    # When every automatic retry fails too, "Coba lagi" is offered with the reason
    state["drop"] = 10
    page.locator("#lampiran-pick").set_input_files(
        [chooser_file("surat.pdf", "application/pdf", pdf_bytes("Surat"))]
    )
    expect(item(page, "surat.pdf")).to_have_attribute("data-state", "failed", timeout=SLOW)
    expect(item(page, "surat.pdf").locator(".upload-reason")).to_contain_text("Koneksi terputus")
    # And the form is not sent with a file that did not arrive
    fill_complaint(page)
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.locator("#form-summary")).to_contain_text("surat.pdf belum dapat dilampirkan")

    # When the connection is back and they press "Coba lagi", it arrives and is checked
    state["drop"] = 0
    page.get_by_role("button", name="Coba lagi unggah surat.pdf").click()
    expect(item(page, "surat.pdf")).to_have_attribute("data-state", "clean", timeout=SLOW)
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.get_by_role("heading", name="Pengaduan Anda telah diterima")).to_be_visible()
    no_sideways_scrolling(page)


def test_refusals_show_their_reasons_and_the_limits_hold(phone_page: Page, web_origin: str) -> None:
    page = phone_page
    open_form(page, web_origin)
    big = pdf_bytes() + b"%" + b"0" * (10 * 1024 * 1024)

    # A PDF carrying JavaScript is refused by the checker, with its reason; an 11 MB PDF
    # is refused on the phone before anything is sent
    page.locator("#lampiran-pick").set_input_files(
        [
            chooser_file("skrip.pdf", "application/pdf", pdf_bytes(javascript=True)),
            chooser_file("besar.pdf", "application/pdf", big),
        ]
    )
    expect(item(page, "skrip.pdf")).to_have_attribute("data-state", "refused", timeout=SLOW)
    expect(item(page, "skrip.pdf").locator(".upload-reason")).to_contain_text("berisi skrip")
    expect(item(page, "besar.pdf")).to_have_attribute("data-state", "refused")
    expect(item(page, "besar.pdf").locator(".upload-reason")).to_contain_text(
        "lebih besar dari 10 MB"
    )
    expect(page.locator("[data-upload=live]")).to_contain_text("Ditolak")

    # At most five files: of four more, three are taken, and the picker is then off
    page.locator("#lampiran-pick").set_input_files(
        [
            chooser_file(f"dokumen-{n}.pdf", "application/pdf", pdf_bytes(f"Dokumen {n}"))
            for n in range(4)
        ]
    )
    expect(page.locator("[data-error-for=attachments]")).to_have_text(
        "Paling banyak 5 berkas. 1 berkas tidak ditambahkan."
    )
    expect(page.locator(".upload-item")).to_have_count(5)
    expect(page.get_by_role("button", name="Pilih foto atau PDF")).to_be_disabled()
    expect(page.get_by_role("button", name="Ambil foto dengan kamera")).to_be_disabled()
    no_sideways_scrolling(page)


def test_the_kiosk_says_files_go_through_the_citizen_website(
    kiosk_page: Page, web_origin: str
) -> None:
    page = kiosk_page
    page.goto(f"{web_origin}/kiosk/")
    page.get_by_role("button", name="Sampaikan pengaduan").click()
    page.get_by_role("button", name=re.compile(r"^Jalan, transportasi")).click()
    page.get_by_role("button", name=re.compile(r"^Jalan rusak")).click()
    note = page.locator("#no-upload")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Kiosk ini tidak dapat menerima foto atau dokumen")
    expect(note).to_contain_text("Tambahkan informasi")
    expect(page.locator("input[type=file]")).to_have_count(0)


def test_proof_photo_from_the_console_to_the_tracking_page(
    desktop_page: Page, phone_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    api = local_stack.api_url
    receipt = submit_at_kiosk(api)
    ticket = receipt["ticket"]
    verifier = as_officer(api, "verifikator", "BIRO_PEM")
    coordinator = as_officer(api, "koordinator", "BIRO_PLH")
    for segment, headers, body in [
        ("verify", verifier, {}),
        ("disposition", coordinator, {"agency": "BINA_MARGA"}),
    ]:
        assert act(api, ticket, segment, headers, body).status_code == 200

    # Given the unit's coordinator on the complaint in the console
    page = desktop_page
    page.goto(f"{web_origin}/console/#/complaints/{ticket}")
    expect(page.get_by_role("heading", name="Masuk ke Konsol Petugas")).to_be_visible()
    log_in_console(page, COORDINATOR, DEMO_PASSWORD, demo_totp_secret(COORDINATOR))
    page.get_by_role("button", name="Sampaikan hasil tindak lanjut").click()

    # When they write the result and attach a proof photo, then send it
    page.get_by_role("textbox", name="Hasil tindak lanjut").fill(
        "Lampu jalan sudah diganti dan menyala kembali sejak kemarin malam."
    )
    page.locator("form[data-action=follow-up] [data-upload=pick]").set_input_files(
        [chooser_file("lampu-menyala.jpg", "image/jpeg", photo_bytes(page, 1600, 1200))]
    )
    expect(item(page, "lampu-menyala.jpg")).to_have_attribute("data-state", "clean", timeout=SLOW)
    page.locator("form[data-action=follow-up]").get_by_role(
        "button", name="Sampaikan hasil tindak lanjut"
    ).click()

    # Then the complaint's files show the photo as a thumbnail, opening in a viewer
    files = page.get_by_role("list", name="Berkas pengaduan")
    expect(files.get_by_role("button", name="Lihat foto lampu-menyala.jpg")).to_be_visible()
    expect(files).to_contain_text("Bukti tindak lanjut")
    thumb = files.locator("img").first
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") > 0  # the presigned link loads
    files.get_by_role("button", name="Lihat foto lampu-menyala.jpg").click()
    viewer = page.locator("dialog.file-viewer")
    expect(viewer).to_be_visible()
    expect(viewer.get_by_role("img", name="Foto lampu-menyala.jpg")).to_be_visible()
    viewer.get_by_role("button", name="Tutup").click()
    expect(viewer).to_be_hidden()
    # A coordinator has no internal/public button
    expect(page.get_by_test_id("toggle-internal")).to_have_count(0)

    # When the verifier accepts the result, the reporter's tracking page shows the photo
    assert act(api, ticket, "accept", verifier, {}).status_code == 200
    phone = phone_page
    phone.goto(f"{web_origin}/warga/lacak.html#tiket={ticket}&kode={receipt['tracking_code']}")
    expect(phone.locator("#r-status")).to_have_text("Selesai")
    proof = phone.get_by_role("list", name="Foto bukti tindak lanjut")
    expect(proof.get_by_role("button", name="Lihat foto lampu-menyala.jpg")).to_be_visible()
    proof.get_by_role("button", name="Lihat foto lampu-menyala.jpg").click()
    expect(phone.locator("dialog.file-viewer img")).to_be_visible()
    no_sideways_scrolling(phone)

    # When the verifier marks it internal in the console, it gets the badge...
    page.get_by_role("button", name="Keluar").click()
    page.goto(f"{web_origin}/console/#/complaints/{ticket}")
    log_in_console(page, VERIFIER, DEMO_PASSWORD, demo_totp_secret(VERIFIER))
    page.get_by_role("button", name="Jadikan internal: lampu-menyala.jpg").click()
    expect(page.get_by_role("list", name="Berkas pengaduan")).to_contain_text("Internal")
    expect(
        page.get_by_role("button", name="Tampilkan untuk publik: lampu-menyala.jpg")
    ).to_be_visible()
    # ...and the public tracking answer no longer lists it
    tracked = track(api, ticket, receipt["tracking_code"])
    assert tracked.status_code == 200 and tracked.json().get("files") == []


def test_a_walk_in_with_a_scanned_document(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    petugas = demo_email("petugas", "BIRO_PLH")
    page.goto(f"{web_origin}/console/#/tatap-muka")
    log_in_console(page, petugas, DEMO_PASSWORD, demo_totp_secret(petugas))
    expect(page.get_by_role("heading", name="Pengaduan tatap muka")).to_be_visible()
    page.get_by_label("Pengaduan tentang apa?").select_option("STREET_LIGHTING")
    page.get_by_label("Judul singkat").fill("Lampu jalan padam di Jl. Kramat")
    page.get_by_label("Ceritakan masalahnya").fill(
        "Tiga lampu jalan padam sejak Senin malam, jalan gelap dan rawan."
    )
    page.get_by_label("Nama lengkap").fill("Siti Warga Datang")
    page.get_by_label("Nomor telepon atau WhatsApp").fill("0813 5555 1212")
    page.locator("#lampiran-pick").set_input_files(
        [chooser_file("surat-pengantar.pdf", "application/pdf", pdf_bytes("Surat pengantar"))]
    )
    expect(item(page, "surat-pengantar.pdf")).to_have_attribute("data-state", "clean", timeout=SLOW)
    page.get_by_role("button", name="Catat pengaduan").click()
    expect(page.get_by_role("heading", name="Pengaduan tatap muka tercatat")).to_be_visible()

    # The complaint's detail lists the document as a link (PDFs are not drawn)
    page.get_by_role("link", name="Buka pengaduan ini").click()
    files = page.get_by_role("list", name="Berkas pengaduan")
    link = files.get_by_role("link", name=re.compile("surat-pengantar.pdf"))
    expect(link).to_be_visible()
    href = link.get_attribute("href") or ""
    answer = requests.get(href, timeout=30)
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")


def test_a_slot_refused_by_s3_as_expired_is_replaced_by_a_new_one(
    phone_page: Page, web_origin: str
) -> None:
    page = phone_page
    open_form(page, web_origin)
    slots: list[str] = []
    page.on(
        "request",
        lambda r: (
            slots.append(r.url) if r.method == "POST" and r.url.endswith("/v1/uploads") else None
        ),
    )
    posts: list[str] = []

    def expired_once(route: Route) -> None:
        posts.append(route.request.url)
        if len(posts) == 1:  # what S3 answers a policy past its expiration
            route.fulfill(
                status=403,
                content_type="application/xml",
                body="<Error><Code>AccessDenied</Code></Error>",
            )
        else:
            route.continue_()

    page.route(storage_posts(web_origin), expired_once)
    page.locator("#lampiran-pick").set_input_files(
        [chooser_file("ktp-rt.pdf", "application/pdf", pdf_bytes("Surat"))]
    )
    expect(item(page, "ktp-rt.pdf")).to_have_attribute("data-state", "clean", timeout=SLOW)
    assert len(slots) == 2 and len(posts) == 2


def test_an_addition_on_the_tracking_page_carries_a_photo(
    phone_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = phone_page
    receipt = submit_at_kiosk(local_stack.api_url)
    page.goto(
        f"{web_origin}/warga/lacak.html#tiket={receipt['ticket']}&kode={receipt['tracking_code']}"
    )
    expect(page.locator("#r-status")).to_have_text("Menunggu")
    # No proof photos before any follow-up
    expect(page.locator("#r-files")).to_be_hidden()
    page.get_by_label("Informasi tambahan untuk petugas").fill(
        "Foto lampu yang padam, diambil tadi malam."
    )
    page.locator("#update-form [data-upload=pick]").set_input_files(
        [chooser_file("lampu-padam.jpg", "image/jpeg", photo_bytes(page, 800, 600))]
    )
    expect(item(page, "lampu-padam.jpg")).to_have_attribute("data-state", "clean", timeout=SLOW)
    page.get_by_role("button", name="Kirim tambahan").click()
    expect(page.locator("#step-done")).to_be_visible()
    expect(page.locator("#update-form .upload-item")).to_have_count(0)  # the widget is empty again
    no_sideways_scrolling(page)

    # The officers see it among the complaint's files, from the reporter's addition
    detail = requests.get(
        f"{local_stack.api_url}/v1/officer/complaints/{receipt['ticket']}",
        headers=as_officer(local_stack.api_url, "verifikator", "BIRO_PEM"),
        timeout=30,
    ).json()
    assert [(f["filename"], f["source"]["code"]) for f in detail["files"]] == [
        ("lampu-padam.jpg", "update")
    ]
    # And the reporter's own photo is never on the public tracking answer
    assert (
        track(local_stack.api_url, receipt["ticket"], receipt["tracking_code"]).json()["files"]
        == []
    )


def test_a_stored_complaint_with_files_comes_back_into_the_form_with_them(
    phone_page: Page, web_origin: str
) -> None:
    """A complaint with an attachment left unsent by an earlier visit and refused (422)
    when resent: its files are back in the widget, so correcting it keeps them."""
    page = phone_page
    open_form(page, web_origin)
    with page.expect_response(lambda r: r.url.endswith("/v1/uploads")) as slot:
        page.locator("#lampiran-pick").set_input_files(
            [chooser_file("surat.pdf", "application/pdf", pdf_bytes("Surat"))]
        )
    upload_id = slot.value.json()["upload_id"]
    expect(item(page, "surat.pdf")).to_have_attribute("data-state", "clean", timeout=SLOW)
    body = {
        "channel": "web",
        "category": "FLOOD_DRAINAGE",
        "title": "Saluran air tersumbat",
        "description": "Saluran di depan rumah tersumbat sampah sehingga air meluap saat hujan.",
        "reporter": {
            "name": "Wulan Sekar",
            "phone": "0857-1122-3344",
            "nik": "3171010113900001",  # month 13: the API refuses it
            "anonymous": False,
            "confidential": False,
        },
        "attachments": [upload_id],
    }
    entry = {
        "key": f"web-{uuid.uuid4().hex}",
        "body": json.dumps(body),
        "savedAt": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    page.evaluate("v => localStorage.setItem('pendopo.web.pending', v)", json.dumps(entry))
    page.reload()

    # The refusal is next to NIK, and the file is in the widget again, checked clean
    expect(page.locator('[data-error-for="reporter.nik"]')).to_contain_text("NIK tidak valid")
    expect(item(page, "Lampiran 1")).to_have_attribute("data-state", "clean", timeout=SLOW)

    # Corrected and sent: the complaint carries the same upload
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r) if r.url.endswith("/v1/complaints") else None)
    page.get_by_label("NIK").fill("")
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.get_by_role("heading", name="Pengaduan Anda telah diterima")).to_be_visible()
    assert json.loads(sent[-1].post_data or "{}")["attachments"] == [upload_id]

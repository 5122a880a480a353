"""The e-kiosk in headless chromium at 1080×1920, against the local stack over HTTP."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, Request, Route, expect

from tests.support.kiosk import (
    IDLE_MS,
    PENDING_KEY,
    WARNING_MS,
    complaints_titled,
    fill_form,
    open_form,
)
from tests.support.stack import RunningStack

pytestmark = pytest.mark.browser


def test_home_shows_desk_hours_and_programs(kiosk_page: Page, web_origin: str) -> None:
    kiosk_page.goto(web_origin + "/kiosk/")
    status = kiosk_page.locator("#desk-status")
    expect(status).to_contain_text("Senin–Jumat, pukul 07.30–09.30 WIB")
    # Either open now (until 09.30) or the next session, named by day and date in WIB.
    expect(status).to_contain_text(
        re.compile(r"sedang BUKA, sampai pukul 09\.30 WIB|Buka lagi \w+, \d+")
    )
    expect(kiosk_page.locator("#programs > li")).to_have_count(4)
    # Nothing wider than the portrait screen.
    assert kiosk_page.evaluate("document.documentElement.scrollWidth") <= 1080


def test_home_during_a_session_says_open_until_closing(kiosk_page: Page, web_origin: str) -> None:
    # The stack's clock is the real one, so the open branch is shown with the API's own
    # answer turned into a session in progress (the API side is tested with a clock).
    def during_session(route: Route) -> None:
        info = route.fetch().json()
        info["desks_open"] = True
        info["current_session"] = {
            "opens_at": "2026-12-01T07:30:00+07:00",
            "closes_at": "2026-12-01T09:30:00+07:00",
            "text": "Selasa, 1 Desember 2026 pukul 07.30 WIB",
        }
        route.fulfill(json=info)

    kiosk_page.route("**/v1/kiosk/info", during_session)
    kiosk_page.goto(web_origin + "/kiosk/")
    status = kiosk_page.locator("#desk-status")
    expect(status).to_contain_text("Loket tatap muka sedang BUKA, sampai pukul 09.30 WIB.")
    expect(status).not_to_contain_text("Buka lagi")
    expect(status).to_have_class(re.compile(r"\bopen\b"))


def test_topics_are_citizen_topics_not_bureau_names(kiosk_page: Page, web_origin: str) -> None:
    kiosk_page.goto(web_origin + "/kiosk/")
    kiosk_page.get_by_role("button", name="Sampaikan pengaduan").click()
    tiles = kiosk_page.locator("#topics .tile-label")
    expect(tiles).to_have_count(11)
    labels = tiles.all_inner_texts()
    assert "Lingkungan, sampah & banjir" in labels
    assert not [label for label in labels if label.startswith(("Biro", "Badan"))]
    # Large touch targets.
    box = kiosk_page.locator("#topics .tile").first.bounding_box()
    assert box is not None and box["height"] >= 96


def test_kiosk_submit_to_confirmation_and_qr_opens_tracking(
    kiosk_page: Page, phone_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    title = f"Jalan berlubang {uuid.uuid4().hex[:6]}"
    open_form(kiosk_page, web_origin)
    # An empty form: friendly messages next to the fields, focus on the summary.
    kiosk_page.get_by_role("button", name="Kirim pengaduan").click()
    expect(kiosk_page.locator("#form-summary")).to_be_focused()
    expect(kiosk_page.locator('[data-error-for="title"]')).to_have_text(
        "Judul terlalu pendek: tulis minimal 5 huruf."
    )
    expect(kiosk_page.get_by_label("Nama lengkap")).to_have_attribute("aria-invalid", "true")

    fill_form(kiosk_page, title)
    kiosk_page.get_by_label("Sembunyikan identitas saya dari petugas unit").check()
    kiosk_page.get_by_role("button", name="Kirim pengaduan").click()

    expect(kiosk_page.get_by_role("heading", name="Pengaduan Anda telah diterima")).to_be_visible()
    groups = kiosk_page.locator("#receipt-ticket .digit-group").all_inner_texts()
    assert len(groups) == 3 and all(re.fullmatch(r"\d{4}", g) for g in groups)
    ticket = "-".join(groups)
    code = kiosk_page.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    expect(kiosk_page.locator("#receipt-due")).to_contain_text(
        re.compile(r"\d{4} \d{2}:\d{2} WIB$")
    )
    expect(kiosk_page.locator("#receipt-unit")).to_have_text(
        "Biro Pembangunan dan Lingkungan Hidup"
    )
    expect(kiosk_page.locator("#receipt-qr svg")).to_be_visible()
    assert kiosk_page.evaluate(f"localStorage.getItem('{PENDING_KEY}')") is None

    stored = complaints_titled(local_stack, title)
    assert len(stored) == 1 and stored[0]["channel"]["S"] == "kiosk"
    assert stored[0]["reporter"]["M"]["anonymous"]["BOOL"] is True

    # The QR code's URL carries ticket and code in the fragment, never the query.
    url = kiosk_page.locator("#receipt-qr").get_attribute("data-url")
    assert url is not None and "?" not in url
    assert url.startswith(web_origin + "/warga/lacak.html#")
    phone_page.goto(url)
    expect(phone_page.locator("#r-status")).to_have_text("Menunggu")
    expect(phone_page.locator("#r-ticket")).to_have_attribute(
        "aria-label", ticket.replace("-", " ")
    )


def test_api_422_messages_are_shown_next_to_the_field(kiosk_page: Page, web_origin: str) -> None:
    open_form(kiosk_page, web_origin)
    fill_form(kiosk_page, f"NIK salah {uuid.uuid4().hex[:6]}")
    # 16 digits pass the browser's check; month 13 is refused by the API (422).
    kiosk_page.get_by_label("NIK").fill("3171010113900001")
    kiosk_page.get_by_role("button", name="Kirim pengaduan").click()
    expect(kiosk_page.locator('[data-error-for="reporter.nik"]')).to_have_text(
        "NIK tidak valid. Periksa kembali 16 angka NIK Anda."
    )
    expect(kiosk_page.locator("#form-summary")).to_contain_text("Pengaduan belum dapat diterima")
    # What the person typed is still there to correct.
    expect(kiosk_page.get_by_label("Nama lengkap")).to_have_value("Siti Aminah")
    assert kiosk_page.evaluate(f"localStorage.getItem('{PENDING_KEY}')") is None


def test_network_cut_during_submit_then_restored_gives_exactly_one_complaint(
    kiosk_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    title = f"Koneksi putus {uuid.uuid4().hex[:6]}"
    created: list[dict[str, Any]] = []
    keys: list[str | None] = []

    def lose_first_answer(route: Route) -> None:
        if not created:
            # The request reaches the API and the complaint is created, but the
            # answer never reaches the kiosk: the worst moment for a network cut.
            response = route.fetch()
            created.append(response.json())
            route.abort("connectionreset")
        else:
            route.continue_()

    def record(request: Request) -> None:
        if request.url.endswith("/v1/complaints") and request.method == "POST":
            keys.append(request.headers.get("idempotency-key"))

    kiosk_page.on("request", record)
    kiosk_page.route("**/v1/complaints", lose_first_answer)
    open_form(kiosk_page, web_origin)
    fill_form(kiosk_page, title)
    kiosk_page.get_by_role("button", name="Kirim pengaduan").click()

    # The kiosk says what is happening, and keeps the complaint in localStorage.
    status = kiosk_page.locator("#sending-status")
    expect(status).to_contain_text("Koneksi internet terputus")
    expect(status).to_contain_text("tidak akan terkirim dua kali")
    kiosk_page.context.set_offline(True)
    pending = json.loads(kiosk_page.evaluate(f"localStorage.getItem('{PENDING_KEY}')"))
    assert json.loads(pending["body"])["title"] == title
    assert len(created) == 1 and len(complaints_titled(local_stack, title)) == 1

    # The network comes back: the kiosk sends again at once, with the same key.
    kiosk_page.context.set_offline(False)
    expect(kiosk_page.get_by_role("heading", name="Pengaduan Anda telah diterima")).to_be_visible()
    ticket = "-".join(kiosk_page.locator("#receipt-ticket .digit-group").all_inner_texts())
    assert ticket == created[0]["ticket"]
    expect(kiosk_page.locator("#receipt-code")).to_have_text(created[0]["tracking_code"])

    assert len(keys) >= 2 and len(set(keys)) == 1 and keys[0] is not None
    assert len(complaints_titled(local_stack, title)) == 1
    assert kiosk_page.evaluate(f"localStorage.getItem('{PENDING_KEY}')") is None


def test_unsent_complaint_survives_a_reload(
    kiosk_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    title = f"Listrik padam {uuid.uuid4().hex[:6]}"
    kiosk_page.route("**/v1/complaints", lambda route: route.abort("internetdisconnected"))
    open_form(kiosk_page, web_origin)
    fill_form(kiosk_page, title)
    kiosk_page.get_by_role("button", name="Kirim pengaduan").click()
    expect(kiosk_page.locator("#sending-status")).to_contain_text("sudah tersimpan di kiosk ini")
    kiosk_page.unroute("**/v1/complaints")
    # The kiosk restarts (power cut, reload): the stored complaint is sent on start.
    kiosk_page.reload()
    # Whoever stands there now did not type it: the ticket only, never the code or form.
    expect(
        kiosk_page.get_by_role("heading", name="Pengaduan sebelumnya sudah diterima")
    ).to_be_visible()
    expect(kiosk_page.locator("#previous-ticket")).to_have_text(re.compile(r"^\d{4}-\d{4}-\d{4}$"))
    expect(kiosk_page.locator("#receipt-code")).to_be_empty()
    expect(kiosk_page.get_by_label("Nama lengkap")).to_have_value("")
    assert len(complaints_titled(local_stack, title)) == 1


def test_idle_timeout_clears_every_personal_detail(kiosk_page: Page, web_origin: str) -> None:
    kiosk_page.clock.install()
    open_form(kiosk_page, web_origin)
    fill_form(kiosk_page, "Data yang harus hilang")
    kiosk_page.get_by_label("NIK").fill("3175064711880007")
    kiosk_page.get_by_label("Rahasiakan pengaduan ini").check()

    # A touch within the idle time keeps the form.
    kiosk_page.clock.run_for(IDLE_MS - 5_000)
    kiosk_page.get_by_label("Judul singkat").click()
    kiosk_page.clock.run_for(10_000)
    expect(kiosk_page.locator("#idle-dialog")).to_be_hidden()

    # Then nobody touches the screen: a warning with a countdown, then home.
    kiosk_page.clock.run_for(IDLE_MS)
    dialog = kiosk_page.get_by_role("alertdialog", name="Masih di sana?")
    expect(dialog).to_be_visible()
    expect(kiosk_page.get_by_role("button", name="Lanjutkan")).to_be_focused()
    kiosk_page.clock.run_for(WARNING_MS)
    expect(dialog).to_be_hidden()
    expect(kiosk_page.locator("#screen-home")).to_be_visible()
    expect(kiosk_page.locator("#screen-form")).to_be_hidden()

    values = kiosk_page.evaluate(
        "[...document.querySelectorAll('#complaint-form input, #complaint-form textarea')]"
        ".map(e => e.type === 'checkbox' ? String(e.checked) : e.value)"
    )
    assert set(values) <= {"", "false"}
    # Typed values live in .value, not in the HTML: check what a person could read too.
    assert "Siti" not in kiosk_page.evaluate("document.body.innerText")
    expect(kiosk_page.get_by_label("Nama lengkap")).to_have_value("")
    expect(kiosk_page.get_by_label("NIK")).to_have_value("")
    assert kiosk_page.evaluate("localStorage.length") == 0


def test_idle_timeout_clears_the_receipt(kiosk_page: Page, web_origin: str) -> None:
    kiosk_page.clock.install()
    open_form(kiosk_page, web_origin)
    fill_form(kiosk_page, f"Struk yang harus hilang {uuid.uuid4().hex[:6]}")
    kiosk_page.get_by_role("button", name="Kirim pengaduan").click()
    expect(kiosk_page.locator("#screen-receipt")).to_be_visible()
    code = kiosk_page.locator("#receipt-code").inner_text()
    kiosk_page.clock.run_for(IDLE_MS + WARNING_MS)
    expect(kiosk_page.locator("#screen-home")).to_be_visible()
    assert code not in kiosk_page.content()
    expect(kiosk_page.locator("#receipt-qr svg")).to_have_count(0)

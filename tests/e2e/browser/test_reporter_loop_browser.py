"""The reporter's addition and rating on the tracking page, and the disputed queue in the
officer console, in headless chromium against the local stack (issue #16)."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.over_http import finished_at_kiosk, reporter_step, submit_at_kiosk
from tests.support.stack import RunningStack
from tools.browser import log_in_console
from tools.local.accounts import DEMO_PASSWORD, demo_email, demo_totp_secret

pytestmark = pytest.mark.browser

VERIFIER = demo_email("verifikator", "BIRO_PEM")


def open_tracking(page: Page, web_origin: str, receipt: dict[str, str], status: str) -> None:
    """The tracking link of a receipt (as its QR code gives it), open at ``status``."""
    page.goto(
        f"{web_origin}/warga/lacak.html#tiket={receipt['ticket']}&kode={receipt['tracking_code']}"
    )
    expect(page.locator("#r-status")).to_have_text(status)


def disputed(api_url: str) -> dict[str, str]:
    """A finished kiosk complaint its reporter rated 2, "tidak": its receipt."""
    receipt = finished_at_kiosk(api_url)
    answer = reporter_step(api_url, receipt, "feedback", {"rating": 2, "resolved": "tidak"})
    assert answer.status_code == 201, answer.text
    return receipt


def log_in_as_verifier(page: Page) -> None:
    expect(page.get_by_role("heading", name="Masuk ke Konsol Petugas")).to_be_visible()
    log_in_console(page, VERIFIER, DEMO_PASSWORD, demo_totp_secret(VERIFIER))


def test_the_reporter_rates_a_finished_complaint_on_a_360px_phone(
    phone_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = phone_page
    # Given a finished complaint, opened from its tracking link on a phone
    open_tracking(page, web_origin, finished_at_kiosk(local_stack.api_url), "Selesai")
    # Then the rating form is offered, with its deadline, and no addition form
    expect(page.get_by_role("heading", name="Beri penilaian")).to_be_visible()
    expect(page.locator("#rate-until")).to_contain_text("Paling lambat")
    expect(page.locator("#update-form")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # When they send it without choosing, the page says what is missing, nothing is sent
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.locator("#rate-summary")).to_contain_text("Pilih nilai 1 sampai 5.")
    expect(page.locator("#rate-summary")).to_contain_text("Pilih apakah masalahnya sudah selesai.")

    # When they rate it 2, not resolved, with a comment
    page.get_by_label("2 — tidak puas").check()
    page.get_by_label("Tidak, belum selesai").check()
    page.get_by_label("Komentar (boleh dikosongkan)").fill("Dua lampu masih mati.")
    page.get_by_role("button", name="Kirim penilaian").click()

    # Then they are thanked, the form is gone, and their rating and the step are shown
    expect(page.locator("#step-done")).to_contain_text("Terima kasih atas penilaian Anda.")
    expect(page.locator("#step-done")).to_contain_text("Verifikator Biro Pemerintahan")
    expect(page.locator("#rate-form")).to_be_hidden()
    expect(page.locator("#r-feedback")).to_have_text(
        "Penilaian Anda: 2 dari 5 — Tidak, belum selesai."
    )
    expect(page.locator("#r-timeline li").last).to_contain_text("Penilaian pelapor diterima")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_reporter_adds_information_to_an_open_complaint_on_the_desktop(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    open_tracking(desktop_page, web_origin, submit_at_kiosk(local_stack.api_url), "Menunggu")
    page = desktop_page
    expect(page.locator("#rate-form")).to_be_hidden()
    expect(page.locator("#u-left")).to_have_text("Sisa 10 kali.")
    page.get_by_label("Informasi tambahan untuk petugas").fill("abc")
    page.get_by_role("button", name="Kirim tambahan").click()
    expect(page.locator("#u-text-error")).to_have_text(
        "Tulis tambahan informasi, paling sedikit 5 huruf."
    )
    page.get_by_label("Informasi tambahan untuk petugas").fill(
        "Kabel lampu kini menjuntai ke trotoar, berbahaya bagi pejalan kaki."
    )
    page.get_by_role("button", name="Kirim tambahan").click()
    expect(page.locator("#step-done")).to_contain_text("Tambahan informasi Anda sudah diterima")
    expect(page.locator("#r-timeline li")).to_have_count(2)
    expect(page.locator("#r-timeline li").last).to_contain_text("Tambahan informasi dari pelapor")
    # The text itself stays with the officers: the public page shows only the step.
    expect(page.locator("#r-timeline")).not_to_contain_text("Kabel lampu")
    expect(page.locator("#u-left")).to_have_text("Sisa 9 kali.")
    expect(page.get_by_label("Informasi tambahan untuk petugas")).to_have_value("")


def test_the_verifier_filters_disputed_complaints_and_reopens_one(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    receipt = disputed(local_stack.api_url)
    ticket = receipt["ticket"]
    # Given the verifier's queue, filtered to disputed complaints in the console
    page.goto(f"{web_origin}/console/")
    log_in_as_verifier(page)
    expect(page.get_by_role("heading", name="Antrean pengaduan")).to_be_visible()
    page.get_by_label("Per halaman").select_option("100")
    page.get_by_label("Hanya yang disanggah pelapor").check()
    page.get_by_role("button", name="Terapkan").click()
    expect(page).to_have_url(f"{web_origin}/console/#/antrean?disputed=1&limit=100")
    row = page.locator(f"tr[data-ticket='{ticket}']")
    expect(row.locator(".badge-disputed")).to_have_text("Disanggah pelapor")
    expect(row).to_contain_text("Selesai")
    # Every row listed is disputed (the sparse index holds nothing else)
    rows = page.locator("table.queue tbody tr")
    expect(rows.locator(".badge-disputed")).to_have_count(rows.count())

    # When they open it: the flag, the rating and the two answers
    row.get_by_role("link", name=ticket).click()
    expect(page.get_by_test_id("disputed")).to_have_text("Disanggah pelapor")
    feedback = page.locator("section", has=page.get_by_role("heading", name="Penilaian pelapor"))
    expect(feedback).to_contain_text("2 dari 5")
    expect(feedback).to_contain_text("Tidak, belum selesai")
    expect(page.locator(".action-buttons button")).to_have_text(["Buka kembali", "Tetap selesai"])
    expect(page.locator(".trail li").last).to_contain_text("Penilaian pelapor diterima")

    # When they reopen it with a reason
    page.get_by_role("button", name="Buka kembali", exact=True).click()
    page.get_by_label("Alasan dibuka kembali").fill("Dua lampu masih mati menurut pelapor.")
    page.locator("form[data-action=reopen]").get_by_role("button", name="Buka kembali").click()

    # Then it is TL Ditolak, no longer disputed, and the citizen sees the reason
    expect(page.get_by_test_id("status")).to_have_text("Status: TL Ditolak")
    expect(page.get_by_test_id("disputed")).to_have_count(0)
    expect(page.locator(".trail li").last).to_contain_text("Pengaduan dibuka kembali")
    tracked = requests.get(
        f"{local_stack.api_url}/v1/complaints/{ticket}",
        headers={"X-Tracking-Code": receipt["tracking_code"]},
        timeout=30,
    ).json()
    assert tracked["timeline"][-1]["text"] == "Dua lampu masih mati menurut pelapor."


def test_the_disputed_queue_on_a_360px_phone(
    phone_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = phone_page
    ticket = disputed(local_stack.api_url)["ticket"]
    page.goto(f"{web_origin}/console/#/antrean?disputed=1&limit=100")
    log_in_as_verifier(page)
    row = page.locator(f"tr[data-ticket='{ticket}']")
    expect(row.locator(".badge-disputed")).to_have_text("Disanggah pelapor")
    expect(page.get_by_label("Hanya yang disanggah pelapor")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    row.get_by_role("link", name=ticket).click()
    expect(page.get_by_test_id("disputed")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

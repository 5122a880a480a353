"""The walk-in desk of the officer console (web/console/js/walk-in.js) in headless
chromium against the local stack: a petugas enters a citizen's complaint, with the
citizen's consent to SMS, and reads the ticket and tracking code aloud."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.over_http import messages_to
from tests.support.stack import RunningStack
from tools.browser import log_in_console
from tools.local.accounts import DEMO_PASSWORD, demo_email, demo_totp_secret

pytestmark = pytest.mark.browser

PETUGAS = demo_email("petugas", "BIRO_PLH")


def test_a_petugas_enters_a_walk_in_with_sms_consent_and_reads_out_the_ticket(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    digits = f"{random.randrange(10**9):09d}"
    phone, number = f"0813 {digits}", f"+62813{digits}"

    # Given a petugas logged in to the console, who opens the desk's form from the menu
    page.goto(f"{web_origin}/console/")
    expect(page.get_by_role("heading", name="Masuk ke Konsol Petugas")).to_be_visible()
    log_in_console(page, PETUGAS, DEMO_PASSWORD, demo_totp_secret(PETUGAS))
    page.get_by_role("link", name="Pengaduan tatap muka").click()
    expect(page.get_by_role("heading", name="Pengaduan tatap muka")).to_be_visible()
    # The consent is asked as the citizen form asks it, with the officer's prompt
    expect(page.locator("#f-notify-prompt")).to_contain_text("Tanyakan kepada pelapor")
    sms = page.get_by_label("Ya, kirim kabar lewat SMS ke nomor ponsel saya")
    expect(sms).not_to_be_checked()

    # When a too-short description is sent, the page says so next to the field
    page.get_by_label("Pengaduan tentang apa?").select_option("STREET_LIGHTING")
    page.get_by_label("Judul singkat").fill("Lampu jalan padam di Jl. Kramat")
    page.get_by_label("Ceritakan masalahnya").fill("Padam.")
    page.get_by_label("Nama lengkap").fill("Siti Warga Datang")
    page.get_by_label("Nomor telepon atau WhatsApp").fill(phone)
    sms.check()
    page.get_by_role("button", name="Catat pengaduan").click()
    expect(page.locator("[data-error-for=description]")).to_contain_text("minimal 20 huruf")

    # And then corrected and sent
    page.get_by_label("Ceritakan masalahnya").fill(
        "Tiga lampu jalan padam sejak Senin malam, jalan gelap dan rawan."
    )
    page.get_by_role("button", name="Catat pengaduan").click()

    # Then the receipt shows the ticket and code to read aloud, and the SMS on its way
    expect(page.get_by_role("heading", name="Pengaduan tatap muka tercatat")).to_be_visible()
    ticket = page.get_by_test_id("walk-in-ticket").get_attribute("aria-label") or ""
    code = page.get_by_test_id("walk-in-code").inner_text()
    assert len(ticket.replace(" ", "")) >= 10 and code
    expect(page.locator("#receipt-notify")).to_contain_text("SMS berisi nomor tiket")

    # And the citizen's phone gets the receipt SMS, with the ticket and the code
    [text] = [m["text"] for m in messages_to(local_stack, number, 1) if m["channel"] == "sms"]
    assert code in text
    assert ticket.replace(" ", "") in re.sub(r"[^0-9A-Za-z]", "", text)

"""The kiosk's consent to messages (issue #16) in headless chromium, over HTTP.

The choices are asked in plain Indonesian and left unticked; SMS for a landline is
refused next to the choice before anything is sent; a ticked SMS reaches the API as
``notify`` and the receipt says the SMS with the code is on its way (and it is, in
the local outbox).
"""

from __future__ import annotations

import uuid

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.kiosk import complaints_titled, fill_form, open_form
from tests.support.over_http import messages_to
from tests.support.stack import RunningStack

pytestmark = pytest.mark.browser

SMS_CHOICE = "Ya, kirim kabar lewat SMS ke nomor ponsel saya"
EMAIL_CHOICE = "Ya, kirim kabar lewat email"


def test_the_kiosk_asks_for_consent_and_the_receipt_offers_the_sms(
    kiosk_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    title = f"Lampu taman mati {uuid.uuid4().hex[:6]}"
    open_form(kiosk_page, web_origin)
    # The choices, in plain words, unticked until the reporter ticks them
    expect(kiosk_page.get_by_role("group", name="Kabar perkembangan")).to_be_visible()
    expect(kiosk_page.locator("#f-notify-hint")).to_contain_text(
        "hanya mengirim kabar bila Anda setuju"
    )
    sms, email = kiosk_page.get_by_label(SMS_CHOICE), kiosk_page.get_by_label(EMAIL_CHOICE)
    expect(sms).not_to_be_checked()
    expect(email).not_to_be_checked()

    # SMS for a landline, or email without an address: refused next to the choice
    fill_form(kiosk_page, title)
    kiosk_page.get_by_label("Nomor telepon atau WhatsApp").fill("(021) 382 2255")
    sms.check()
    kiosk_page.get_by_role("button", name="Kirim pengaduan").click()
    expect(kiosk_page.locator('[data-error-for="notify"]')).to_contain_text(
        "SMS hanya dapat dikirim ke nomor ponsel Indonesia"
    )
    assert complaints_titled(local_stack, title) == []
    sms.uncheck()
    email.check()
    kiosk_page.get_by_role("button", name="Kirim pengaduan").click()
    expect(kiosk_page.locator('[data-error-for="notify"]')).to_contain_text("Isi alamat email Anda")
    email.uncheck()

    # A mobile number and SMS ticked: sent with the consent, and the receipt says so
    phone = "0812 4455 6677"
    before = len(messages_to(local_stack, "+6281244556677", expected=0))
    kiosk_page.get_by_label("Nomor telepon atau WhatsApp").fill(phone)
    sms.check()
    kiosk_page.get_by_role("button", name="Kirim pengaduan").click()
    expect(kiosk_page.get_by_role("heading", name="Pengaduan Anda telah diterima")).to_be_visible()
    expect(kiosk_page.locator("#receipt-notify")).to_be_visible()
    expect(kiosk_page.locator("#receipt-notify")).to_have_text(
        "SMS berisi nomor tiket dan kode pelacakan sedang dikirim ke nomor ponsel Anda. "
        "Kabar berikutnya menyusul lewat SMS setiap ada perkembangan."
    )
    [stored] = complaints_titled(local_stack, title)
    assert stored["notify"]["M"]["sms"]["BOOL"] is True
    assert stored["notify"]["M"]["email"]["BOOL"] is False
    # And the SMS arrives with the code the screen shows
    code = kiosk_page.locator("#receipt-code").inner_text()
    [text] = [e["text"] for e in messages_to(local_stack, "+6281244556677", before + 1)[before:]]
    assert text.endswith(f"&kode={code}")

    # Finishing wipes the note with everything else; the next form starts unticked
    kiosk_page.get_by_role("button", name="Selesai").click()
    expect(kiosk_page.locator("#receipt-notify")).to_be_hidden()
    open_form(kiosk_page, web_origin)
    expect(kiosk_page.get_by_label(SMS_CHOICE)).not_to_be_checked()
    assert requests.get(f"{local_stack.api_url}/_local/outbox", timeout=10).ok

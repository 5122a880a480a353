"""The citizen web (web/warga) on a 360 px phone and a desktop, and the landing page."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, Request, expect

from tests.support.over_http import complaint, submitted
from tests.support.stack import RunningStack

pytestmark = pytest.mark.browser


def submit_over_api(stack: RunningStack) -> dict[str, str]:
    body = complaint(
        category="WASTE",
        title="Sampah menumpuk di pasar",
        description="Sampah tidak diangkut selama seminggu di samping Pasar Senen.",
        reporter={"name": "Budi Santoso", "phone": "0813 1111 2222"},
    )
    return submitted(stack.api_url, f"browser-{uuid.uuid4().hex}", body)


def test_tracking_reads_ticket_and_code_from_the_url_fragment(
    phone_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    receipt = submit_over_api(local_stack)
    seen: list[Request] = []
    phone_page.on("request", lambda request: seen.append(request))
    phone_page.goto(
        f"{web_origin}/warga/lacak.html#tiket={receipt['ticket']}&kode={receipt['tracking_code']}"
    )
    expect(phone_page.locator("#r-status")).to_have_text("Menunggu")
    expect(phone_page.locator("#r-unit")).to_have_text("Biro Pembangunan dan Lingkungan Hidup")
    expect(phone_page.locator("#r-due")).to_have_text(receipt["due_at_text"])
    expect(phone_page.locator("#r-timeline li")).to_have_count(1)
    expect(phone_page.locator("#r-timeline")).to_contain_text("Pengaduan diterima")
    # The code went in the header only: no URL the browser requested holds it.
    api_calls = [r for r in seen if "/v1/complaints/" in r.url]
    assert len(api_calls) == 1
    assert api_calls[0].headers["x-tracking-code"] == receipt["tracking_code"]
    assert not [r.url for r in seen if receipt["tracking_code"] in r.url]
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360


def test_tracking_with_a_wrong_code_says_so(phone_page: Page, web_origin: str) -> None:
    phone_page.goto(f"{web_origin}/warga/lacak.html")
    phone_page.get_by_label("Nomor tiket").fill("2611-0000-0000")
    phone_page.get_by_label("Kode pelacakan").fill("AAAA-BBBB")
    phone_page.get_by_role("button", name="Lihat status").click()
    expect(phone_page.locator("#track-summary")).to_contain_text(
        "Pengaduan tidak ditemukan. Periksa nomor tiket dan kode pelacakan."
    )
    # The page's own URL never gained the code either.
    assert "AAAA" not in phone_page.url


@pytest.mark.parametrize(
    ("status", "gateway_body", "shown"),
    [
        # Deployed, API Gateway itself answers a throttled request, in English.
        (429, {"message": "Too Many Requests"}, "Terlalu banyak permintaan"),
        (503, {"message": "Service Unavailable"}, "Terjadi gangguan pada layanan"),
    ],
)
def test_tracking_shows_gateway_refusals_in_indonesian(
    phone_page: Page, web_origin: str, status: int, gateway_body: dict[str, str], shown: str
) -> None:
    phone_page.route(
        re.compile(r".*/v1/complaints/.*"),
        lambda route: route.fulfill(
            status=status, content_type="application/json", body=json.dumps(gateway_body)
        ),
    )
    phone_page.goto(f"{web_origin}/warga/lacak.html")
    phone_page.get_by_label("Nomor tiket").fill("2611-0000-0000")
    phone_page.get_by_label("Kode pelacakan").fill("AAAA-BBBB")
    phone_page.get_by_role("button", name="Lihat status").click()
    summary = phone_page.locator("#track-summary")
    expect(summary).to_contain_text(shown)
    assert gateway_body["message"] not in summary.inner_text()


def test_citizen_submits_on_a_phone_and_follows_the_tracking_link(
    phone_page: Page, web_origin: str
) -> None:
    phone_page.goto(f"{web_origin}/warga/")
    expect(phone_page.locator("html")).to_have_attribute("data-ready", "true")
    phone_page.get_by_role("button", name="Kirim pengaduan").click()
    expect(phone_page.locator('[data-error-for="category"]')).to_have_text(
        "Pilih kategori pengaduan."
    )

    phone_page.get_by_label("Pengaduan Anda tentang apa?").select_option("FLOOD_DRAINAGE")
    expect(phone_page.locator("#f-category-detail")).not_to_be_empty()
    phone_page.get_by_label("Judul singkat").fill("Saluran air tersumbat")
    phone_page.get_by_label("Ceritakan masalahnya").fill(
        "Saluran di depan rumah tersumbat sampah sehingga air meluap saat hujan."
    )
    phone_page.get_by_label("Nama lengkap").fill("Wulan Sekar")
    phone_page.get_by_label("Nomor telepon atau WhatsApp").fill("0857-1122-3344")
    phone_page.get_by_label("Rahasiakan pengaduan ini").check()
    phone_page.get_by_role("button", name="Kirim pengaduan").click()

    expect(phone_page.get_by_role("heading", name="Pengaduan Anda telah diterima")).to_be_visible()
    code = phone_page.locator("#receipt-code").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.get_by_role("link", name="Pantau pengaduan ini").click()
    expect(phone_page.locator("#r-status")).to_have_text("Menunggu")
    assert "?" not in phone_page.url and phone_page.url.endswith(
        f"#tiket={phone_page.locator('#t-ticket').input_value()}&kode={code}"
    )


def test_the_citizen_form_works_by_keyboard_alone(desktop_page: Page, web_origin: str) -> None:
    desktop_page.goto(f"{web_origin}/warga/")
    expect(desktop_page.locator("html")).to_have_attribute("data-ready", "true")
    desktop_page.keyboard.press("Tab")
    expect(desktop_page.get_by_role("link", name="Langsung ke isi")).to_be_focused()
    order = []
    desktop_page.get_by_label("Pengaduan Anda tentang apa?").focus()
    for _ in range(13):
        order.append(desktop_page.evaluate("document.activeElement.id"))
        desktop_page.keyboard.press("Tab")
    assert order == [
        "f-category",
        "f-title",
        "f-description",
        "f-location",
        "lampiran-pick-button",  # photos and documents: pick, or take with the camera
        "lampiran-camera-button",
        "f-name",
        "f-phone",
        "f-nik",
        "f-email",
        "f-notify-sms",
        "f-notify-email",
        "f-anonymous",
    ]
    desktop_page.keyboard.press("Tab")  # past "confidential", onto the submit button
    desktop_page.keyboard.press("Enter")
    expect(desktop_page.locator("#form-summary")).to_be_focused()


def test_landing_page_links_every_client(desktop_page: Page, web_origin: str) -> None:
    desktop_page.goto(web_origin + "/")
    links = {
        name: desktop_page.get_by_role("link", name=name, exact=True).get_attribute("href")
        for name in (
            "Sampaikan pengaduan",
            "Pantau pengaduan",
            "Statistik pengaduan",
            "E-kiosk Pendopo",
            "Konsol petugas",
            "Dokumentasi API",
        )
    }
    assert links == {
        "Sampaikan pengaduan": "warga/",
        "Pantau pengaduan": "warga/lacak.html",
        "Statistik pengaduan": "statistik/",
        "E-kiosk Pendopo": "kiosk/",
        "Konsol petugas": "console/",
        "Dokumentasi API": "v1/docs",
    }
    for href in ("warga/", "warga/lacak.html", "statistik/", "kiosk/"):
        response = desktop_page.request.get(f"{web_origin}/{href}")
        assert response.status == 200 and re.search(r'<html lang="id">', response.text())


def test_a_stored_complaint_refused_on_return_is_back_in_the_form(
    phone_page: Page, web_origin: str
) -> None:
    """A complaint left unsent by an earlier visit, refused (422) when the page resends it."""
    page = phone_page
    title = f"Dikirim ulang {uuid.uuid4().hex[:6]}"
    body = {
        "channel": "web",
        "category": "FLOOD_DRAINAGE",
        "title": title,
        "description": "Saluran di depan rumah tersumbat sampah sehingga air meluap saat hujan.",
        "reporter": {
            "name": "Wulan Sekar",
            "phone": "0857-1122-3344",
            "nik": "3171010113900001",  # month 13: the API refuses it
            "anonymous": False,
            "confidential": True,
        },
    }
    entry = {
        "key": f"web-{uuid.uuid4().hex}",
        "body": json.dumps(body),
        "savedAt": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    page.goto(f"{web_origin}/warga/")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    page.evaluate("v => localStorage.setItem('pendopo.web.pending', v)", json.dumps(entry))
    page.reload()

    expect(page.locator('[data-error-for="reporter.nik"]')).to_have_text(
        "NIK tidak valid. Periksa kembali 16 angka NIK Anda."
    )
    expect(page.get_by_label("Judul singkat")).to_have_value(title)
    expect(page.get_by_label("Nama lengkap")).to_have_value("Wulan Sekar")
    expect(page.get_by_label("NIK")).to_have_value("3171010113900001")
    expect(page.get_by_label("Rahasiakan pengaduan ini")).to_be_checked()
    expect(page.get_by_label("Pengaduan Anda tentang apa?")).to_have_value("FLOOD_DRAINAGE")
    assert page.evaluate("localStorage.getItem('pendopo.web.pending')") is None

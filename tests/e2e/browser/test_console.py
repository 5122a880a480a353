"""The officer console (web/console/) in headless chromium against the local stack.

Complaints are created over the public HTTP API, as a kiosk would; officers then
work them in the console with the demo accounts. What a test checks is what the
officer sees on the page: the status, the actions offered, the audit trail and
the messages.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import requests
from playwright.sync_api import Page, Route, expect

from pendopo.domain.clock import format_wib
from tests.support.over_http import street_light_at_kiosk, submitted
from tests.support.stack import RunningStack
from tools.browser import log_in_console
from tools.local import totp
from tools.local.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_email, demo_totp_secret
from tools.local.login import bearer
from tools.ops.officers import create_officer, officer_spec

pytestmark = pytest.mark.browser

VERIFIER = demo_email("verifikator", "BIRO_PEM")
PLH_COORDINATOR = demo_email("koordinator", "BIRO_PLH")
REGION = "ap-southeast-3"


# --- helpers ----------------------------------------------------------------------


def submit_complaint(api_url: str, category: str = "STREET_LIGHTING") -> str:
    key = f"console-{uuid.uuid4().hex}"
    return str(
        submitted(api_url, key, street_light_at_kiosk("Warga Uji Konsol", category))["ticket"]
    )


def act_over_api(
    api_url: str, email: str, ticket: str, segment: str, body: dict[str, Any]
) -> dict[str, Any]:
    headers = bearer(api_url, email)
    url = f"{api_url}/v1/officer/complaints/{ticket}"
    current = requests.get(url, headers=headers, timeout=30)
    assert current.status_code == 200, current.text
    done = requests.post(
        f"{url}/{segment}",
        headers={**headers, "If-Match": current.headers["ETag"]},
        json=body,
        timeout=30,
    )
    assert done.status_code == 200, done.text
    return dict(done.json())


def log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    expect(page.get_by_role("heading", name="Masuk ke Konsol Petugas")).to_be_visible()
    log_in_console(page, email, password, demo_totp_secret(email))


def open_console(page: Page, web_origin: str, route: str = "") -> None:
    page.goto(f"{web_origin}/console/{route}")


def action_buttons(page: Page) -> Any:
    return page.locator(".action-buttons button")


def status_badge(page: Page) -> Any:
    return page.get_by_test_id("status")


def follow_link_to_new_complaint(page: Page, web_origin: str, stack: RunningStack) -> str:
    """A new complaint (Biro PLH), its link (as in an email) opened in the console: its ticket."""
    ticket = submit_complaint(stack.api_url)
    open_console(page, web_origin, f"#/complaints/{ticket}")
    return ticket


def open_waiting_complaint_as_verifier(page: Page, web_origin: str, stack: RunningStack) -> str:
    """A new complaint, opened in the console by the verifier who logs in: its ticket."""
    ticket = follow_link_to_new_complaint(page, web_origin, stack)
    log_in(page, VERIFIER)
    expect(status_badge(page)).to_have_text("Status: Menunggu")
    return ticket


def open_queue_as_verifier(page: Page, web_origin: str) -> None:
    open_console(page, web_origin)
    log_in(page, VERIFIER)
    expect(page.get_by_role("heading", name="Antrean pengaduan")).to_be_visible()


def new_complaint_with_the_queue_open(page: Page, web_origin: str, stack: RunningStack) -> str:
    """A new complaint, and the verifier logged in with the queue open: its ticket."""
    ticket = submit_complaint(stack.api_url)
    open_queue_as_verifier(page, web_origin)
    return ticket


def spoil_session_tokens(page: Page, *, access: str, refresh: str | None = None) -> None:
    """Replace the tab's stored tokens with ones the API refuses (refresh kept if None)."""
    page.evaluate(
        """([access, refresh]) => {
          const key = "pendopo.console.session";
          const s = JSON.parse(sessionStorage.getItem(key));
          s.accessToken = access;
          if (refresh !== null) s.refreshToken = refresh;
          sessionStorage.setItem(key, JSON.stringify(s));
        }""",
        [access, refresh],
    )


# --- the workflow -----------------------------------------------------------------


def test_verifier_verifies_then_the_coordinator_dispositions_in_the_console(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page

    # Given the verifier follows an email's link to the complaint, and logs in first
    ticket = follow_link_to_new_complaint(page, web_origin, local_stack)
    log_in(page, VERIFIER)

    # Then the complaint opens, waiting, with only the verifier's actions on it
    expect(page.locator(".ticket-line")).to_contain_text(ticket)
    expect(status_badge(page)).to_have_text("Status: Menunggu")
    expect(action_buttons(page)).to_have_text(["Verifikasi", "Tolak", "Alihkan ke unit lain"])
    expect(page.locator(".trail li")).to_have_count(1)

    # And a reason too short to reject with is refused on the page, with nothing sent
    page.get_by_role("button", name="Tolak", exact=True).click()
    page.get_by_label("Alasan penolakan").fill("abc")
    page.locator("form[data-action=reject]").get_by_role("button", name="Tolak").click()
    expect(page.locator("form[data-action=reject] .field-error")).to_have_text(
        "Terlalu pendek: minimal 5 karakter."
    )
    expect(page.get_by_label("Alasan penolakan")).to_be_focused()
    page.get_by_role("button", name="Batal").click()
    expect(status_badge(page)).to_have_text("Status: Menunggu")

    # When the verifier verifies it with a note
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    page.get_by_label("Catatan (opsional)").fill("Lokasi dan uraian jelas.")
    page.locator("form[data-action=verify]").get_by_role("button", name="Verifikasi").click()

    # Then the page shows Koordinasi, says so, and the trail records who did it
    expect(status_badge(page)).to_have_text("Status: Koordinasi")
    expect(page.locator(".alert-success")).to_contain_text("Status sekarang Koordinasi")
    trail = page.locator(".trail li")
    expect(trail).to_have_count(2)
    expect(trail.nth(1)).to_contain_text("Pengaduan diverifikasi")
    expect(trail.nth(1)).to_contain_text(f"Oleh {VERIFIER} (Verifikator)")
    expect(trail.nth(1)).to_contain_text("Menunggu → Koordinasi")
    expect(trail.nth(1)).to_contain_text("Lokasi dan uraian jelas.")
    expect(trail.nth(1).locator("time")).to_have_text(_wib_text_pattern())
    expect(action_buttons(page)).to_have_text(["Alihkan ke unit lain"])

    # When the verifier logs out
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_text("Anda sudah keluar.")).to_be_visible()

    # And the unit's coordinator logs in and finds it in the queue, filtered to Koordinasi
    open_console(page, web_origin, "#/antrean?status=coordination&limit=100")
    log_in(page, PLH_COORDINATOR)
    row = page.locator(f"tr[data-ticket='{ticket}']")
    expect(row).to_contain_text("Koordinasi")
    expect(page.locator(".who")).to_contain_text(
        "Koordinator · Biro Pembangunan dan Lingkungan Hidup"
    )
    row.get_by_role("link", name=ticket).click()

    # Then the coordinator may disposition or re-route it, and not verify it
    expect(status_badge(page)).to_have_text("Status: Koordinasi")
    expect(action_buttons(page)).to_have_text(["Alihkan ke unit lain", "Disposisi"])

    # When they disposition it to Dinas Bina Marga
    page.get_by_role("button", name="Disposisi", exact=True).click()
    page.get_by_label("Perangkat daerah atau BUMD", exact=True).select_option(
        label="Dinas Bina Marga"
    )
    page.locator("form[data-action=disposition]").get_by_role("button", name="Disposisi").click()

    # Then the complaint is Disposisi at that agency, and the trail has the third event
    expect(status_badge(page)).to_have_text("Status: Disposisi")
    expect(page.locator(".facts").first).to_contain_text("Dinas Bina Marga")
    expect(trail).to_have_count(3)
    expect(trail.nth(2)).to_contain_text("Didisposisikan ke perangkat daerah")
    expect(trail.nth(2)).to_contain_text(f"Oleh {PLH_COORDINATOR} (Koordinator)")
    expect(trail.nth(2)).to_contain_text("Koordinasi → Disposisi")
    expect(action_buttons(page)).to_have_text(
        [
            "Alihkan ke unit lain",
            "Disposisi",
            "Catat mulai ditindaklanjuti",
            "Sampaikan hasil tindak lanjut",
        ]
    )


def _wib_text_pattern() -> re.Pattern[str]:
    return re.compile(
        r"^\d{2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4} \d{2}:\d{2} WIB$"
    )


# --- conflicts --------------------------------------------------------------------


def test_a_change_by_someone_else_shows_the_conflict_message_and_reload_shows_it(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    ticket = submit_complaint(local_stack.api_url)
    act_over_api(local_stack.api_url, VERIFIER, ticket, "verify", {})

    # Given the coordinator has the complaint open with the disposition form filled in
    open_console(page, web_origin, f"#/complaints/{ticket}")
    log_in(page, PLH_COORDINATOR)
    expect(status_badge(page)).to_have_text("Status: Koordinasi")
    page.get_by_role("button", name="Disposisi", exact=True).click()
    page.get_by_label("Perangkat daerah atau BUMD", exact=True).select_option(
        label="Dinas Bina Marga"
    )

    # And meanwhile another officer dispositions it elsewhere over the API
    act_over_api(
        local_stack.api_url, PLH_COORDINATOR, ticket, "disposition", {"agency": "DINAS_SDA"}
    )

    # When the page sends its disposition
    page.locator("form[data-action=disposition]").get_by_role("button", name="Disposisi").click()

    # Then it says someone else changed the complaint, and offers to reload
    conflict = page.locator(".alert-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_have_attribute("role", "alert")
    expect(conflict).to_contain_text("Pengaduan ini sudah diubah sejak Anda membukanya")
    expect(conflict).to_contain_text("oleh petugas lain, atau oleh percobaan Anda sendiri")
    expect(conflict).to_contain_text("status sekarang Disposisi")
    expect(conflict).to_be_focused()

    # When the officer reloads
    conflict.get_by_role("button", name="Muat ulang").click()

    # Then the page shows the other officer's change, and the page's own attempt wrote nothing
    expect(conflict).to_have_count(0)
    expect(status_badge(page)).to_have_text("Status: Disposisi")
    expect(page.locator(".facts").first).to_contain_text("Dinas Sumber Daya Air")
    trail = page.locator(".trail li")
    expect(trail).to_have_count(3)
    expect(page.locator(".trail")).not_to_contain_text("Dinas Bina Marga")


def test_two_pages_acting_at_once_the_second_is_told_and_reloads(
    desktop_page: Page, second_desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    # Two browsers, each its own context and session, each checked against the CSP
    ticket = submit_complaint(local_stack.api_url)
    first, second = desktop_page, second_desktop_page
    # Given the same verifier has the waiting complaint open in two browsers
    for page in (first, second):
        open_console(page, web_origin, f"#/complaints/{ticket}")
        log_in(page, VERIFIER)
        expect(status_badge(page)).to_have_text("Status: Menunggu")
    # When the first verifies it
    first.get_by_role("button", name="Verifikasi", exact=True).click()
    first.locator("form[data-action=verify]").get_by_role("button", name="Verifikasi").click()
    expect(status_badge(first)).to_have_text("Status: Koordinasi")
    # And the second, still showing Menunggu, rejects it
    second.get_by_role("button", name="Tolak", exact=True).click()
    second.get_by_label("Alasan penolakan").fill("Bukan kewenangan Pemprov DKI.")
    second.locator("form[data-action=reject]").get_by_role("button", name="Tolak").click()
    # Then the second is told, and reloading shows Koordinasi, never Ditolak
    conflict = second.locator(".alert-conflict")
    expect(conflict).to_contain_text("sudah diubah sejak Anda membukanya")
    conflict.get_by_role("button", name="Muat ulang").click()
    expect(status_badge(second)).to_have_text("Status: Koordinasi")
    expect(second.locator(".trail li")).to_have_count(2)


def test_a_lost_answer_then_shows_the_new_state_not_a_conflict(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    ticket = open_waiting_complaint_as_verifier(page, web_origin, local_stack)

    # Given the verify reaches the API and is applied, but its answer is lost
    def lose_the_answer(route: Route) -> None:
        route.fetch()
        route.abort("connectionreset")

    page.route(f"**/v1/officer/complaints/{ticket}/verify", lose_the_answer)
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    page.locator("form[data-action=verify]").get_by_role("button", name="Verifikasi").click()

    # Then the console reads the complaint again and shows it verified, with no
    # "someone else changed it" and no form left to send a second time
    notice = page.locator(".alert-error")
    expect(notice).to_contain_text("Jawaban server tidak sampai")
    expect(notice).to_contain_text("bila tindakan Anda sudah tercatat di jejak audit")
    expect(notice).to_be_focused()
    expect(status_badge(page)).to_have_text("Status: Koordinasi")
    expect(page.locator(".alert-conflict")).to_have_count(0)
    expect(page.locator("form[data-action=verify]")).to_have_count(0)
    trail = page.locator(".trail li")
    expect(trail).to_have_count(2)
    expect(trail.nth(1)).to_contain_text(f"Oleh {VERIFIER} (Verifikator)")


def test_a_late_detail_answer_does_not_draw_over_the_page_now_shown(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    slow, fast = submit_complaint(local_stack.api_url), submit_complaint(local_stack.api_url)
    open_console(page, web_origin)
    log_in(page, VERIFIER)
    expect(page.get_by_role("heading", name="Antrean pengaduan")).to_be_visible()

    held: list[Route] = []
    page.route(f"**/v1/officer/complaints/{slow}", lambda route: held.append(route))
    # Given the officer opens one complaint, whose answer is slow
    page.evaluate(f"location.hash = '#/complaints/{slow}'")
    page.wait_for_function(
        "() => document.querySelector('#main').getAttribute('aria-busy') === 'true'"
    )
    assert len(held) == 1
    # When they move on to another before it arrives
    page.evaluate(f"location.hash = '#/complaints/{fast}'")
    expect(page.locator(".ticket-line")).to_contain_text(fast)

    # And the first answer then arrives
    with page.expect_response(lambda r: r.url.endswith(f"/v1/officer/complaints/{slow}")):
        held[0].continue_()
    # (two turns of the page's event loop: the late answer's code has run by then)
    page.evaluate("() => new Promise((done) => setTimeout(() => setTimeout(done, 50), 50))")

    # Then the page still shows the complaint the address bar names
    assert page.locator(".ticket-line").inner_text() == f"Tiket {fast}"
    assert page.url.endswith(f"#/complaints/{fast}")
    assert page.title().startswith(fast)


# --- the queue on a phone, overdue marks, WIB ---------------------------------------


def backdate_due(stack: RunningStack, ticket: str, due: datetime) -> None:
    """Move a complaint's deadline into the past, as time passing would (moto's table)."""
    client = boto3.client("dynamodb", endpoint_url=stack.moto_url, region_name=REGION)
    stamp = due.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    client.update_item(
        TableName=stack.table_name,
        Key={"pk": {"S": f"C#{ticket}"}, "sk": {"S": "C"}},
        UpdateExpression="SET due_at = :due",
        ExpressionAttributeValues={":due": {"S": stamp}},
    )


def test_overdue_complaints_are_marked_in_the_queue_on_a_360px_phone(
    phone_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = phone_page
    ticket = submit_complaint(local_stack.api_url, category="HEALTH_SERVICES")  # Biro Kesos
    due = datetime.now(UTC) - timedelta(days=1, hours=2)
    backdate_due(local_stack, ticket, due)

    # When the Kesos coordinator opens the overdue queue on a 360 px phone
    open_console(page, web_origin, "#/antrean?overdue=1&limit=100")
    log_in(page, demo_email("koordinator", "BIRO_KESOS"))

    # Then the complaint is there, marked overdue in words, its deadline in WIB
    row = page.locator(f"tr[data-ticket='{ticket}']")
    expect(row).to_have_class("overdue")
    expect(row.locator(".badge-overdue")).to_have_text("Terlambat 1 hari 2 jam")
    expect(row).to_contain_text(format_wib(due))
    expect(page.get_by_label("Hanya yang terlambat")).to_be_checked()
    # And nothing scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # When they open it
    row.get_by_role("link", name=ticket).click()
    expect(page.locator(".detail-header .badge-overdue")).to_contain_text("Terlambat")
    expect(page.locator(".facts").first).to_contain_text(format_wib(due))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_queue_pages_with_the_cursor_forward_and_back(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    for _ in range(3):
        submit_complaint(local_stack.api_url, category="BUMD_TRANSJAKARTA")  # BPBUMD
    open_console(page, web_origin, "#/antrean?status=waiting&limit=2")
    log_in(page, demo_email("koordinator", "BPBUMD"))

    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(2)
    first_page = rows.evaluate_all("rows => rows.map(r => r.dataset.ticket)")
    page.get_by_role("button", name="Halaman berikutnya").click()
    expect(page.locator(".summary")).to_contain_text("Halaman 2")
    second_page = rows.evaluate_all("rows => rows.map(r => r.dataset.ticket)")
    assert second_page and not set(first_page) & set(second_page)
    page.get_by_role("button", name="Halaman sebelumnya").click()
    expect(page.locator(".summary")).to_contain_text("Halaman 1")
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.ticket)") == first_page


# --- sessions and errors ----------------------------------------------------------


def test_an_expired_session_goes_back_to_login_and_then_to_the_same_complaint(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    ticket = new_complaint_with_the_queue_open(page, web_origin, local_stack)

    # Given tokens the API no longer accepts (expired, revoked: the gateway answers 401)
    spoil_session_tokens(page, access="kedaluwarsa", refresh="dicabut")
    # When the officer opens a complaint
    page.evaluate(f"location.hash = '#/complaints/{ticket}'")

    # Then the login says the session ended, and logging in opens that complaint
    expect(page.get_by_text("Sesi Anda sudah berakhir. Silakan masuk lagi.")).to_be_visible()
    log_in(page, VERIFIER)
    expect(page.locator(".ticket-line")).to_contain_text(ticket)


def test_wrong_password_and_another_units_complaint_say_why(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    follow_link_to_new_complaint(page, web_origin, local_stack)  # Biro PLH

    log_in(page, PLH_COORDINATOR, password="Salah-Sandi-2025!")
    expect(page.get_by_role("alert")).to_have_text("Email atau kata sandi salah.")

    # A coordinator of another unit following the link is told it is not theirs (403)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_label("Email dinas").fill(demo_email("koordinator", "BIRO_KESOS"))
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Pengaduan ini milik unit lain.")
    expect(page.get_by_role("link", name="‹ Kembali ke antrean")).to_be_visible()


def test_a_network_failure_during_an_action_says_so_and_nothing_is_lost(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    open_waiting_complaint_as_verifier(page, web_origin, local_stack)
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    page.get_by_label("Catatan (opsional)").fill("Sudah dicek di lokasi.")

    # When the network is down as the verifier sends
    page.context.set_offline(True)
    page.locator("form[data-action=verify]").get_by_role("button", name="Verifikasi").click()
    alert = page.locator("form[data-action=verify] [role=alert]")
    expect(alert).to_contain_text("Tidak dapat terhubung ke server Pendopo")
    # Then what they typed is still there, and sending again once online works
    expect(page.get_by_label("Catatan (opsional)")).to_have_value("Sudah dicek di lokasi.")
    page.context.set_offline(False)
    page.locator("form[data-action=verify]").get_by_role("button", name="Verifikasi").click()
    expect(status_badge(page)).to_have_text("Status: Koordinasi")
    expect(page.locator(".trail li")).to_have_count(2)


@pytest.mark.parametrize(
    ("status", "gateway_message"),
    [
        (500, "Internal Server Error"),
        (503, "Service Unavailable"),
        (504, "Endpoint request timed out"),
    ],
)
def test_a_gateway_failure_during_an_action_is_told_in_indonesian(
    desktop_page: Page,
    web_origin: str,
    local_stack: RunningStack,
    status: int,
    gateway_message: str,
) -> None:
    page = desktop_page
    ticket = open_waiting_complaint_as_verifier(page, web_origin, local_stack)
    # API Gateway answers a failed function itself, in English and outside our error shape
    page.route(
        f"**/v1/officer/complaints/{ticket}/verify",
        lambda route: route.fulfill(
            status=status,
            content_type="application/json",
            body=json.dumps({"message": gateway_message}),
        ),
    )
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    page.locator("form[data-action=verify]").get_by_role("button", name="Verifikasi").click()
    alert = page.locator("form[data-action=verify] [role=alert]")
    expect(alert).to_contain_text("Layanan Pendopo sedang mengalami gangguan")
    assert gateway_message not in alert.inner_text()


def _user_pool_id(stack: RunningStack) -> str:
    cognito = boto3.client("cognito-idp", endpoint_url=stack.moto_url, region_name=REGION)
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    assert len(pools) == 1, pools
    return str(pools[0]["Id"])


def _new_account(stack: RunningStack, prefix: str, role: str, unit: str, **password: Any) -> str:
    """A new account in the stack's pool (its password as ``create_officer`` takes it)."""
    email = f"{prefix}.{uuid.uuid4().hex[:6]}@pendopo.example"
    cognito = boto3.client("cognito-idp", endpoint_url=stack.moto_url, region_name=REGION)
    create_officer(cognito, _user_pool_id(stack), officer_spec(email, role, unit), **password)
    return email


def test_first_login_asks_for_a_new_password_with_the_rules(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    email = _new_account(
        local_stack,
        "petugas.baru",
        "petugas",
        "BIRO_KESOS",
        temporary_password="Sementara-2025!x",
        send_email=False,
    )
    open_console(page, web_origin)
    log_in(page, email, password="Sementara-2025!x")

    # Then the console asks for a new password
    expect(page.get_by_role("heading", name="Buat kata sandi baru")).to_be_visible()
    # A weak one gets the API's rules under the field; a mistyped repeat is caught on the page
    page.get_by_label("Kata sandi baru", exact=True).fill("pendek")
    page.get_by_label("Ulangi kata sandi baru").fill("pendek")
    page.get_by_role("button", name="Simpan dan masuk").click()
    expect(page.locator(".field-error").first).to_contain_text("minimal 12 karakter")
    page.get_by_label("Kata sandi baru", exact=True).fill("Baru-Sekali-2025!")
    page.get_by_label("Ulangi kata sandi baru").fill("Baru-Sekali-2025?")
    page.get_by_role("button", name="Simpan dan masuk").click()
    expect(page.get_by_text("Kedua kata sandi tidak sama. Ketik ulang.")).to_be_visible()
    # A good one logs in, to the unit's queue
    page.get_by_label("Ulangi kata sandi baru").fill("Baru-Sekali-2025!")
    page.get_by_role("button", name="Simpan dan masuk").click()
    expect(page.get_by_role("heading", name="Antrean unit saya")).to_be_visible()
    expect(page.locator(".who")).to_contain_text("Petugas · Biro Kesejahteraan Sosial")


def test_login_and_an_action_work_from_the_keyboard_alone(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    follow_link_to_new_complaint(page, web_origin, local_stack)

    # The login starts in the email field; Tab goes to the password, Enter logs in
    expect(page.get_by_label("Email dinas")).to_be_focused()
    page.keyboard.type(VERIFIER)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Kata sandi")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    # The code step starts in its field; Enter sends the code
    expect(page.get_by_label("Kode verifikasi")).to_be_focused()
    page.keyboard.type(totp.current_code(DEMO_TOTP_SECRET))
    page.keyboard.press("Enter")

    # The complaint's title gets focus; the next Tab is its first action
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    page.keyboard.press("Tab")
    verify = page.locator(".action-buttons button[data-action=verify]")
    expect(verify).to_be_focused()
    page.keyboard.press("Enter")
    expect(verify).to_have_attribute("aria-expanded", "true")
    # The form opens with focus in its first field; Tab reaches its send button
    expect(page.get_by_label("Catatan (opsional)")).to_be_focused()
    page.keyboard.type("Diverifikasi dengan papan ketik.")
    page.keyboard.press("Tab")
    expect(page.locator("form[data-action=verify] button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")

    # The result is announced and focused
    expect(status_badge(page)).to_have_text("Status: Koordinasi")
    expect(page.locator(".alert-success")).to_be_focused()


def test_a_refused_access_token_is_refreshed_without_asking_to_log_in(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    ticket = new_complaint_with_the_queue_open(page, web_origin, local_stack)

    # Given an access token the gateway refuses, but a good refresh token
    spoil_session_tokens(page, access="kedaluwarsa")
    # When the officer opens a complaint
    page.evaluate(f"location.hash = '#/complaints/{ticket}'")

    # Then it opens, with a new access token from /v1/auth/refresh, and no login
    expect(page.locator(".ticket-line")).to_contain_text(ticket)
    token = page.evaluate(
        "JSON.parse(sessionStorage.getItem('pendopo.console.session')).accessToken"
    )
    assert token != "kedaluwarsa"
    assert (
        requests.get(
            f"{local_stack.api_url}/v1/officer/me",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()["username"]
        == VERIFIER
    )


def test_a_verifier_without_totp_sets_it_up_from_the_qr_screen(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    # Given a new verifier with a password and no TOTP yet, at the console
    page = desktop_page
    email = _at_the_console(page, web_origin, local_stack, "verifikator", "BIRO_PEM")
    # When they log in
    log_in_console(page, email, DEMO_PASSWORD)
    # Then the setup screen shows the QR code and the key as text, and focuses the code
    expect(page.get_by_role("heading", name="Siapkan verifikasi dua langkah")).to_be_visible()
    expect(page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")).to_be_visible()
    secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
    assert len(secret) == 32
    expect(page.get_by_label("Kode verifikasi")).to_be_focused()
    # A wrong code gets the API's message and the field again
    right = totp.current_code(secret)
    page.get_by_label("Kode verifikasi").fill(str((int(right) + 1) % 1_000_000).zfill(6))
    page.get_by_role("button", name="Aktifkan dan masuk").click()
    expect(page.get_by_role("alert")).to_contain_text("Kode verifikasi salah")
    # Letters are caught on the page
    page.get_by_label("Kode verifikasi").fill("12ab56")
    page.get_by_role("button", name="Aktifkan dan masuk").click()
    expect(page.get_by_text("Masukkan 6 angka kode verifikasi.")).to_be_visible()
    # The code of the key shown (as "123 456", the way apps show it) logs in
    _enter_the_first_code(page, "Verifikator")


def _at_the_console(page: Page, web_origin: str, stack: RunningStack, role: str, unit: str) -> str:
    """A new account of ``role`` (the demo password, no TOTP), and the console opened."""
    email = _new_account(stack, f"{role}.baru", role, unit, password=DEMO_PASSWORD)
    open_console(page, web_origin)
    return email


def _enter_the_first_code(page: Page, role: str) -> None:
    """On the setup screen: the code of the key shown, typed as apps show it ("123 456")."""
    code = totp.current_code(page.locator(".mfa-secret").inner_text().replace(" ", ""))
    page.get_by_label("Kode verifikasi").fill(f"{code[:3]} {code[3:]}")
    page.get_by_role("button", name="Aktifkan dan masuk").click()
    expect(page.locator(".who")).to_contain_text(role)


def test_a_coordinator_may_choose_totp_at_the_login(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    email = _at_the_console(page, web_origin, local_stack, "koordinator", "BIRO_PK")
    page.get_by_label("Email dinas").fill(email)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_label("Aktifkan verifikasi dua langkah").check()
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name="Siapkan verifikasi dua langkah")).to_be_visible()
    _enter_the_first_code(page, "Koordinator")


def test_the_code_screen_refuses_a_wrong_code_and_accepts_the_right_one(
    desktop_page: Page, web_origin: str
) -> None:
    page = desktop_page
    open_console(page, web_origin)
    page.get_by_label("Email dinas").fill(VERIFIER)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name="Verifikasi dua langkah")).to_be_visible()
    right = totp.current_code(DEMO_TOTP_SECRET)
    page.get_by_label("Kode verifikasi").fill(str((int(right) + 1) % 1_000_000).zfill(6))
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Kode verifikasi salah")
    page.get_by_label("Kode verifikasi").fill(totp.current_code(DEMO_TOTP_SECRET))
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(page.locator(".who")).to_contain_text("Verifikator")

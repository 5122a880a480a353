"""The console's sessions and the admins' access log (issue #20), in headless chromium.

The idle logout runs on Playwright's page clock: the test moves the console's timers
14 and 15 minutes on without waiting for them.
"""

from __future__ import annotations

import uuid

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.over_http import as_officer, street_light_at_kiosk, submitted
from tests.support.stack import RunningStack
from tools.browser import log_in_console
from tools.local.accounts import DEMO_PASSWORD, demo_email, demo_totp_secret

pytestmark = pytest.mark.browser

PLH_COORDINATOR = demo_email("koordinator", "BIRO_PLH")
WARNING = "Anda akan dikeluarkan otomatis"


def log_in(page: Page, email: str) -> None:
    expect(page.get_by_role("heading", name="Masuk ke Konsol Petugas")).to_be_visible()
    log_in_console(page, email, DEMO_PASSWORD, demo_totp_secret(email))


def logged_in(page: Page, web_origin: str, email: str = PLH_COORDINATOR) -> str:
    """Log in at the console; the session's refresh token."""
    page.goto(f"{web_origin}/console/")
    log_in(page, email)
    expect(page.get_by_role("heading", name="Antrean unit saya")).to_be_visible()
    return refresh_token(page)


def refused(local_stack: RunningStack, token: str) -> bool:
    again = requests.post(
        f"{local_stack.api_url}/v1/auth/refresh", json={"refresh_token": token}, timeout=30
    )
    return again.status_code == 401


def refresh_token(page: Page) -> str:
    stored = page.evaluate("() => JSON.parse(sessionStorage.getItem('pendopo.console.session'))")
    return str(stored["refreshToken"])


def test_the_console_logs_out_after_15_idle_minutes_with_a_warning_a_minute_before(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    page.clock.install()
    token = logged_in(page, web_origin)
    warning = page.locator("#idle-warning")
    # (a key press is activity: the 15 minutes start now; the page clock also runs on
    # in real time between steps, hence the seconds of margin)
    page.keyboard.press("Shift")
    # 13 minutes 50 seconds idle: no warning yet
    page.clock.fast_forward("13:50")
    expect(warning).to_be_hidden()
    # Past 14 minutes: the warning, and a way to stay
    page.clock.fast_forward("00:20")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(WARNING)
    page.get_by_role("button", name="Tetap masuk").click()
    expect(warning).to_be_hidden()
    # Staying starts the 15 minutes again: 14:30 later, warned again, still logged in
    page.clock.fast_forward("14:30")
    expect(warning).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    # At 15 idle minutes: logged out, the refresh token revoked at Cognito
    with page.expect_response("**/v1/auth/logout") as logout:
        page.clock.fast_forward("00:40")
    assert logout.value.status == 204
    expect(page.get_by_role("heading", name="Masuk ke Konsol Petugas")).to_be_visible()
    expect(page.get_by_text("15 menit tanpa aktivitas")).to_be_visible()
    expect(warning).to_be_hidden()
    assert page.evaluate("() => sessionStorage.getItem('pendopo.console.session')") is None
    assert refused(local_stack, token)


def test_logout_revokes_the_refresh_token(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = desktop_page
    token = logged_in(page, web_origin)
    with page.expect_response("**/v1/auth/logout") as logout:
        page.get_by_role("button", name="Keluar").click()
    assert logout.value.status == 204
    expect(page.get_by_text("Anda sudah keluar.")).to_be_visible()
    assert refused(local_stack, token)


def test_an_admin_reads_who_saw_a_reporters_identity(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    api = local_stack.api_url
    # Given a complaint the verifier opened (name and phone shown whole)
    body = street_light_at_kiosk("Warga Uji Log Akses")
    ticket = submitted(api, f"console-access-{uuid.uuid4().hex}", body)["ticket"]
    opened = requests.get(
        f"{api}/v1/officer/complaints/{ticket}",
        headers=as_officer(api, "verifikator", "BIRO_PEM"),
        timeout=30,
    )
    assert opened.status_code == 200
    # When the admin opens "Log akses" and asks for the complaint
    page = desktop_page
    page.goto(f"{web_origin}/console/")
    log_in(page, demo_email("admin"))
    page.get_by_role("link", name="Log akses").click()
    expect(page.get_by_role("heading", name="Log akses data pelapor")).to_be_visible()
    page.get_by_label("Nomor tiket").fill(ticket)
    page.get_by_role("button", name="Tampilkan per pengaduan").click()
    # Then one record: the verifier, the fields by name, no values
    rows = page.locator("table.access-log tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(demo_email("verifikator", "BIRO_PEM"))
    expect(rows.first).to_contain_text("Nama, Telepon")
    expect(page.locator("table.access-log")).not_to_contain_text("Warga Uji Log Akses")
    # And per officer and month, the same record among the verifier's
    page.get_by_label("Email petugas").fill(demo_email("verifikator", "BIRO_PEM"))
    page.get_by_role("button", name="Tampilkan per petugas").click()
    expect(page.locator("table.access-log")).to_contain_text(ticket)


def test_the_access_log_is_not_offered_to_other_roles(desktop_page: Page, web_origin: str) -> None:
    page = desktop_page
    logged_in(page, web_origin)
    expect(page.get_by_role("link", name="Log akses")).to_be_hidden()
    page.goto(f"{web_origin}/console/#/log-akses")
    expect(page.get_by_role("heading", name="Antrean unit saya")).to_be_visible()

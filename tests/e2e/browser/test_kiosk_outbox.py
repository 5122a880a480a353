"""The kiosk's privacy between strangers and its outbox when the API misbehaves.

Review findings on issue #7: autofill on a shared browser, a late answer shown to the
next person, a 5xx that never ends, a request that hangs, an unreadable 201, and an
entry older than the API's idempotency window. Time is moved with Playwright's clock
(the outbox's timers and its fetch deadline follow it), never waited for.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, Request, Route, expect

from tests.support.kiosk import (
    IDLE_MS,
    PENDING_KEY,
    complaints_titled,
    fill_form,
    open_form,
)
from tests.support.stack import RunningStack

pytestmark = pytest.mark.browser

DEFERRED_KEY = PENDING_KEY + ".tertunda"
# web/shared/outbox.js
FETCH_TIMEOUT_MS = 20_000
GIVE_UP_MS = 15 * 60_000

FORM_VALUES = (
    "[...document.querySelectorAll('#complaint-form input, #complaint-form textarea')]"
    ".map(e => e.type === 'checkbox' ? String(e.checked) : e.value)"
)


def stored_entry(title: str, *, nik: str | None = None, saved: datetime | None = None) -> str:
    reporter: dict[str, Any] = {
        "name": "Siti Aminah",
        "phone": "0812 3456 7890",
        "anonymous": False,
        "confidential": False,
    }
    if nik:
        reporter["nik"] = nik
    body = {
        "channel": "kiosk",
        "category": "ROAD",
        "title": title,
        "description": "Lubang besar di tengah jalan membahayakan pengendara motor setiap malam.",
        "reporter": reporter,
    }
    moment = saved or datetime.now(UTC)
    return json.dumps(
        {
            "key": f"kiosk-{uuid.uuid4().hex}",
            "body": json.dumps(body),
            "savedAt": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
    )


def leave_entry_and_reload(page: Page, origin: str, storage_key: str, entry: str) -> None:
    """What a power cut leaves behind: an entry in localStorage, then a fresh page load."""
    page.goto(origin + "/kiosk/")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [storage_key, entry])
    page.reload()


def post_keys(page: Page) -> list[str | None]:
    keys: list[str | None] = []

    def record(request: Request) -> None:
        if request.url.endswith("/v1/complaints") and request.method == "POST":
            keys.append(request.headers.get("idempotency-key"))

    page.on("request", record)
    return keys


def no_personal_detail_left(page: Page) -> None:
    assert set(page.evaluate(FORM_VALUES)) <= {"", "false"}
    text = page.evaluate("document.body.innerText")
    assert "Siti" not in text and "0812" not in text


# --- finding 1: autofill --------------------------------------------------------------


def test_kiosk_fields_never_autocomplete_but_the_citizen_web_may(
    kiosk_page: Page, phone_page: Page, web_origin: str
) -> None:
    # A kiosk's browser profile is shared by strangers: no field may feed or use its
    # autofill table (as far as a page can ask; the browser policy does the rest).
    kiosk_page.goto(web_origin + "/kiosk/")
    expect(kiosk_page.locator("html")).to_have_attribute("data-ready", "true")
    assert kiosk_page.locator("#complaint-form").get_attribute("autocomplete") == "off"
    values = kiosk_page.evaluate(
        "[...document.querySelectorAll('#complaint-form input, #complaint-form textarea')]"
        ".map(e => [e.name, e.getAttribute('autocomplete')])"
    )
    assert len(values) == 11  # with the two consent choices (issue #16)
    assert {name: value for name, value in values if value != "off"} == {}

    # The citizen web, on a person's own phone, keeps the autofill hints.
    phone_page.goto(web_origin + "/warga/")
    expect(phone_page.locator("html")).to_have_attribute("data-ready", "true")
    for label, hint in (
        ("Nama lengkap", "name"),
        ("Nomor telepon atau WhatsApp", "tel"),
        ("Email (boleh dikosongkan)", "email"),  # not the consent "kirim kabar lewat email"
    ):
        expect(phone_page.get_by_role("textbox", name=label)).to_have_attribute(
            "autocomplete", hint
        )


# --- finding 2: a late answer is not shown to the next person ------------------------


def test_an_answer_after_the_idle_time_shows_only_the_ticket(
    kiosk_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = kiosk_page
    title = f"Jawaban terlambat {uuid.uuid4().hex[:6]}"
    network = {"up": False}
    receipts: list[Any] = []

    def cut_until_up(route: Route) -> None:
        # Read when each request is handled: an attempt already on its way when the
        # network comes back simply goes through, as it would.
        if network["up"]:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    page.on(
        "response",
        lambda r: receipts.append(r) if r.url.endswith("/v1/complaints") and r.ok else None,
    )
    page.clock.install()
    page.route("**/v1/complaints", cut_until_up)
    open_form(page, web_origin)
    fill_form(page, title)
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.locator("#sending-status")).to_contain_text("Koneksi internet terputus")

    # The person walks away; longer than the idle time later the network is back
    page.clock.run_for(IDLE_MS + 5_000)
    network["up"] = True
    page.clock.run_for(20_000)  # the next retry (at most 15 s away) goes through

    # Then whoever stands there sees a neutral screen: the ticket, no code, no form
    expect(page.get_by_role("heading", name="Pengaduan sebelumnya sudah diterima")).to_be_visible()
    assert len(complaints_titled(local_stack, title)) == 1
    assert len(receipts) == 1
    receipt = receipts[0].json()
    expect(page.locator("#previous-ticket")).to_have_text(receipt["ticket"])
    assert receipt["tracking_code"] not in page.evaluate("document.body.innerText")
    expect(page.locator("#receipt-code")).to_be_empty()
    expect(page.locator("#receipt-qr svg")).to_have_count(0)
    no_personal_detail_left(page)

    # And the idle timer runs on this screen: home again without a touch
    page.clock.run_for(IDLE_MS + 20_000)
    expect(page.locator("#screen-home")).to_be_visible()


def test_a_refusal_of_an_entry_from_an_earlier_page_load_goes_home_empty(
    kiosk_page: Page, web_origin: str
) -> None:
    page = kiosk_page
    # A NIK with month 13: the API refuses it (422) when the kiosk resends on start
    entry = stored_entry(f"NIK salah {uuid.uuid4().hex[:6]}", nik="3171010113900001")
    leave_entry_and_reload(page, web_origin, PENDING_KEY, entry)
    expect(page.locator("#screen-home")).to_be_visible()
    expect(page.locator("#screen-form")).to_be_hidden()
    no_personal_detail_left(page)
    assert page.evaluate(f"localStorage.getItem('{PENDING_KEY}')") is None


# --- finding 3: a 5xx that never ends -------------------------------------------------


def test_a_lasting_5xx_gives_up_after_the_cap_and_staff_resend_it_once(
    kiosk_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = kiosk_page
    title = f"Server rusak {uuid.uuid4().hex[:6]}"
    keys = post_keys(page)
    page.clock.install()
    page.route(
        "**/v1/complaints", lambda route: route.fulfill(status=503, json={"message": "gangguan"})
    )
    open_form(page, web_origin)
    fill_form(page, title)
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.locator("#sending-status")).to_contain_text("Layanan sedang sibuk")

    # When the 503s go on past the cap, the kiosk stops, keeps the entry aside, goes home
    page.clock.fast_forward(GIVE_UP_MS)
    expect(page.locator("#screen-home")).to_be_visible()
    no_personal_detail_left(page)
    assert page.evaluate(f"localStorage.getItem('{PENDING_KEY}')") is None
    deferred = json.loads(page.evaluate(f"localStorage.getItem('{DEFERRED_KEY}')"))
    assert len(deferred) == 1 and deferred[0]["reason"] == "timeout"
    assert json.loads(deferred[0]["body"])["title"] == title
    expect(page.locator("#deferred")).to_contain_text("1 pengaduan tertunda")

    # A reboot does not bring the sending screen back
    page.reload()
    expect(page.locator("#screen-home")).to_be_visible()
    expect(page.locator("#screen-sending")).to_be_hidden()

    # When the API works again, staff resend it: with its own key, one complaint
    page.unroute("**/v1/complaints")
    page.get_by_role("button", name="Kirim ulang pengaduan tertunda").click()
    expect(page.locator("#deferred")).to_contain_text("1 terkirim, 0 ditolak, 0 masih tertunda")
    assert len(complaints_titled(local_stack, title)) == 1
    assert page.evaluate(f"localStorage.getItem('{DEFERRED_KEY}')") is None
    assert len(keys) >= 3 and set(keys) == {deferred[0]["key"]}


def test_the_sending_screen_has_a_way_out(kiosk_page: Page, web_origin: str) -> None:
    page = kiosk_page
    page.route("**/v1/complaints", lambda route: route.abort("internetdisconnected"))
    open_form(page, web_origin)
    fill_form(page, f"Tidak bisa menunggu {uuid.uuid4().hex[:6]}")
    page.get_by_role("button", name="Kirim pengaduan").click()
    page.get_by_role("button", name="Simpan untuk petugas dan kembali ke beranda").click()
    expect(page.locator("#screen-home")).to_be_visible()
    no_personal_detail_left(page)
    deferred = json.loads(page.evaluate(f"localStorage.getItem('{DEFERRED_KEY}')"))
    assert [entry["reason"] for entry in deferred] == ["manual"]
    # And the next person can send their own complaint
    page.get_by_role("button", name="Sampaikan pengaduan").click()
    expect(page.get_by_role("heading", name="Pengaduan Anda tentang apa?")).to_be_visible()


# --- finding 4: a request that hangs --------------------------------------------------


def test_a_hanging_request_times_out_and_is_retried_with_the_same_key(
    kiosk_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = kiosk_page
    title = f"Permintaan macet {uuid.uuid4().hex[:6]}"
    keys = post_keys(page)
    held: list[Route] = []

    def hang_first(route: Route) -> None:
        if not held:
            held.append(route)  # never answered: the connection just hangs
        else:
            route.continue_()

    page.clock.install()
    page.route("**/v1/complaints", hang_first)
    open_form(page, web_origin)
    fill_form(page, title)
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.locator("#sending-status")).to_contain_text("sedang dikirim")
    expect(page.get_by_role("button", name="Coba kirim sekarang")).to_be_hidden()

    # After the fetch deadline the attempt counts as a network error, and can be retried
    page.clock.run_for(FETCH_TIMEOUT_MS + 1_000)
    expect(page.locator("#sending-status")).to_contain_text("Koneksi internet terputus")
    page.clock.run_for(5_000)  # the retry, 2 s later, goes through
    expect(page.get_by_role("heading", name="Pengaduan Anda telah diterima")).to_be_visible()
    assert len(complaints_titled(local_stack, title)) == 1
    assert len(held) == 1 and len(keys) == 2 and len(set(keys)) == 1


# --- finding 5: a 201 whose body cannot be read --------------------------------------


def test_an_unreadable_201_is_retried_and_the_receipt_replayed(
    kiosk_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    page = kiosk_page
    title = f"Jawaban rusak {uuid.uuid4().hex[:6]}"
    created: list[dict[str, Any]] = []

    def garble_first(route: Route) -> None:
        if not created:
            response = route.fetch()
            created.append(response.json())
            route.fulfill(status=201, content_type="application/json", body='{"ticket": ')
        else:
            route.continue_()

    page.route("**/v1/complaints", garble_first)
    # The page's clock, so the automatic retry (2 s later) waits for the test, however
    # loaded the machine is.
    page.clock.install()
    open_form(page, web_origin)
    fill_form(page, title)
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.locator("#sending-status")).to_contain_text("tersimpan di kiosk ini")
    assert page.evaluate(f"localStorage.getItem('{PENDING_KEY}')") is not None
    page.clock.run_for(2_500)  # the retry
    expect(page.get_by_role("heading", name="Pengaduan Anda telah diterima")).to_be_visible()
    groups = page.locator("#receipt-ticket .digit-group").all_inner_texts()
    assert "-".join(groups) == created[0]["ticket"]
    expect(page.locator("#receipt-code")).to_have_text(created[0]["tracking_code"])
    assert len(complaints_titled(local_stack, title)) == 1


# --- finding 7: past the API's idempotency window ------------------------------------


def test_an_entry_older_than_23_hours_is_flagged_not_resent(
    kiosk_page: Page, web_origin: str
) -> None:
    page = kiosk_page
    keys = post_keys(page)
    saved = datetime.now(UTC) - timedelta(hours=24)
    leave_entry_and_reload(
        page, web_origin, PENDING_KEY, stored_entry("Sudah terlalu lama", saved=saved)
    )
    expect(page.locator("#deferred")).to_contain_text(re.compile(r"lebih dari 23 jam"))
    expect(page.locator("#screen-home")).to_be_visible()
    expect(page.get_by_role("button", name="Kirim ulang pengaduan tertunda")).to_be_hidden()
    deferred = json.loads(page.evaluate(f"localStorage.getItem('{DEFERRED_KEY}')"))
    assert [(e["reason"], e["expired"]) for e in deferred] == [("expired", True)]
    assert keys == []


def test_staff_send_an_expired_entry_as_a_new_complaint_once(
    kiosk_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    # Given an entry past the replay window, flagged for staff on the home screen
    page = kiosk_page
    title = f"Kedaluwarsa dikirim {uuid.uuid4().hex[:6]}"
    saved = datetime.now(UTC) - timedelta(hours=24)
    leave_entry_and_reload(page, web_origin, PENDING_KEY, stored_entry(title, saved=saved))
    old_key = json.loads(page.evaluate(f"localStorage.getItem('{DEFERRED_KEY}')"))[0]["key"]
    keys = post_keys(page)
    # When staff, having found no such complaint in the console, send it as a new one
    page.get_by_role("button", name="Kirim yang kedaluwarsa sebagai pengaduan baru").click()
    # Then it is created once, under a new key, and nothing of it is left on the kiosk
    expect(page.locator("#deferred")).to_contain_text("1 terkirim, 0 ditolak, 0 masih tertunda")
    assert len(complaints_titled(local_stack, title)) == 1
    assert len(keys) == 1 and keys[0] != old_key
    assert page.evaluate(f"localStorage.getItem('{DEFERRED_KEY}')") is None
    expect(page.get_by_role("button", name="Hapus yang kedaluwarsa dari kiosk ini")).to_be_hidden()


def test_staff_discard_an_expired_entry_and_its_personal_data(
    kiosk_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    # Given an expired entry beside one still inside the replay window
    page = kiosk_page
    title = f"Kedaluwarsa dihapus {uuid.uuid4().hex[:6]}"
    saved = datetime.now(UTC) - timedelta(hours=30)
    leave_entry_and_reload(page, web_origin, PENDING_KEY, stored_entry(title, saved=saved))
    fresh = json.loads(stored_entry("Masih dalam jendela"))
    page.evaluate(
        """([k, entry]) => { const list = JSON.parse(localStorage.getItem(k));
                             list.push({...entry, reason: "timeout", expired: false});
                             localStorage.setItem(k, JSON.stringify(list)); }""",
        [DEFERRED_KEY, fresh],
    )
    page.reload()
    keys = post_keys(page)
    # When staff, having found it recorded already, discard the expired ones
    page.get_by_role("button", name="Hapus yang kedaluwarsa dari kiosk ini").click()
    # Then only the expired entry is gone, with its name and phone; nothing was sent
    expect(page.locator("#deferred")).to_contain_text("1 pengaduan kedaluwarsa dihapus")
    left = json.loads(page.evaluate(f"localStorage.getItem('{DEFERRED_KEY}')"))
    assert [entry["key"] for entry in left] == [fresh["key"]]
    assert title not in json.dumps(left)
    assert keys == [] and complaints_titled(local_stack, title) == []
    expect(page.get_by_role("button", name="Kirim ulang pengaduan tertunda")).to_be_visible()

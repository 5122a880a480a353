"""Live figures in headless chromium against the local stack (issue #19): the console's
dashboard (#/dasbor) for a coordinator, a verifier and the pimpinan, and the public
statistics page (web/statistik/), at desktop size and on a 360 px phone.

The figures are made by the real route: complaints submitted over HTTP and worked to
Selesai by the demo officers; the aggregator counts them from the table's stream (in
the stack's own process, so the test waits for the API to show them). Then the page
must show exactly what the API answers for the same period: every tile, every row
of the per-Asisten and per-unit tables, and all 90 rows of the trend table, each
compared with the answer fetched here and formatted here the Indonesian way
(``expected_*`` below: an independent writing of web/shared/figures.js's formats).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.over_http import as_officer, poll, submit_at_kiosk, work_to_done
from tests.support.stack import RunningStack
from tools.browser import log_in_console
from tools.local.accounts import DEMO_PASSWORD, demo_email, demo_totp_secret

pytestmark = pytest.mark.browser

MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
NO_DATA = "–"
WAIT_SECONDS = 15.0
SEKDA = "pimpinan.sekda@pendopo.example"
ASISTEN_PLH = "pimpinan.asisten-plh@pendopo.example"
PLH_COORDINATOR = demo_email("koordinator", "BIRO_PLH")
VERIFIER = demo_email("verifikator", "BIRO_PEM")
PLH_OFFICER = demo_email("petugas", "BIRO_PLH")


# --- the formats, written again ---------------------------------------------------


def count(value: int | None) -> str:
    return NO_DATA if value is None else f"{value:,}".replace(",", ".")


def one_decimal(value: float) -> str:
    # Chromium's Intl (ICU) rounds the shortest decimal that reads back as the double
    # (repr: 4.35, not 4.3499999...), half away from zero: 4.35 -> "4,4", 0.15 -> "0,2".
    text = str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    whole, fraction = text.split(".")
    return f"{count(int(whole))},{fraction}"


def percent(value: float | None) -> str:
    return NO_DATA if value is None else f"{one_decimal(value)}%"


def decimal(value: float | None) -> str:
    return NO_DATA if value is None else one_decimal(value)


def hours(value: float | None) -> str:
    if value is None:
        return NO_DATA
    minutes = math.floor(value * 60 + 1e-6)
    days, rest = divmod(minutes, 1440)
    whole_hours = rest // 60
    if days:
        return f"{days} hari {whole_hours} jam" if whole_hours else f"{days} hari"
    return f"{whole_hours} jam" if whole_hours else f"{minutes % 60} menit"


def date(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def expected_tiles(figures: dict[str, Any]) -> dict[str, list[str]]:
    """data-figure -> [value, note] as the tiles must read."""
    s = figures["satisfaction"]
    longest = figures["max_overdue_hours"]
    return {
        "received": [count(figures["received"])],
        "open": [count(figures["open"])],
        "overdue": [count(figures["overdue"])]
        + ([f"paling lama {hours(longest)}"] if longest is not None else []),
        "within_3_days": [
            percent(figures["within_3_days_pct"]),
            f"{count(figures['within_3_days'])} tepat waktu · "
            f"{count(figures['follow_ups_delivered'])} tindak lanjut terkirim",
        ],
        "median": [hours(figures["median_hours_to_follow_up"])],
        "p90": [
            hours(figures["p90_hours_to_follow_up"]),
            "90% tindak lanjut terkirim dalam waktu ini",
        ],
        "rejected": [count(figures["rejected_at_verification"])],
        "returned": [count(figures["follow_ups_returned"])],
        "satisfaction": [
            decimal(s["average"]),
            f"{count(s['rated'])} penilaian, {percent(s['satisfied_pct'])} puas",
        ],
        "disputed": [f"{count(s['disputed'])} / {count(s['reopened'])}"],
    }


def expected_row(figures: dict[str, Any]) -> list[str]:
    return [
        count(figures["received"]),
        count(figures["open"]),
        count(figures["overdue"]),
        count(figures["within_3_days"]),
        percent(figures["within_3_days_pct"]),
        hours(figures["median_hours_to_follow_up"]),
        hours(figures["p90_hours_to_follow_up"]),
        count(figures["rejected_at_verification"]),
        count(figures["follow_ups_returned"]),
        decimal(figures["satisfaction"]["average"]),
    ]


def expected_counts(items: list[dict[str, Any]]) -> list[str]:
    return [f"{item['label']}{count(item['count'])}" for item in items]


# --- what the page shows ----------------------------------------------------------


def shown_tiles(page: Page) -> dict[str, list[str]]:
    return dict(
        page.evaluate(
            """() => Object.fromEntries(
                 [...document.querySelectorAll('.fig-summary [data-figure]')].map(t => [
                   t.dataset.figure,
                   [...t.querySelectorAll('.fig-value, .fig-note')].map(e => e.textContent),
                 ]))"""
        )
    )


def shown_rows(page: Page, table: str) -> list[list[str]]:
    """Each body row's cells (its header cell first) of a table named by data-table."""
    return list(
        page.evaluate(
            """(name) => [...document.querySelectorAll(`table[data-table="${name}"] tbody tr`)]
                 .map(r => [...r.children].map(c => c.textContent))""",
            table,
        )
    )


def shown_counts(page: Page, name: str) -> list[str]:
    return list(
        page.evaluate(
            """(name) => [...document.querySelectorAll(`.fig-summary [data-list="${name}"] li`)]
                 .map(li => li.textContent)""",
            name,
        )
    )


def assert_page_shows(page: Page, answer: dict[str, Any]) -> None:
    """Every figure of ``answer`` is on the page, written as the page must write it."""
    period = answer["period"]
    expect(page.locator(".fig-period")).to_contain_text(
        f"{period['label']} ({date(period['from'])} – {date(period['to'])})"
    )
    when = "pada akhir bulan" if period["complete"] else "saat ini"
    expect(page.locator('[data-figure="open"] dt')).to_have_text(f"Masih terbuka {when}")
    expect(page.locator('[data-figure="overdue"] dt')).to_have_text(f"Melewati batas waktu {when}")
    total = answer["total"]
    assert shown_tiles(page) == expected_tiles(total)
    for name in ("by_channel", "top_categories", "overdue_bands"):
        assert shown_counts(page, name) == expected_counts(total[name]), name
    asisten = {a["code"]: a["name"] for a in answer["asisten"]}
    assert shown_rows(page, "asisten") == [
        [a["name"], *expected_row(a["figures"])] for a in answer["asisten"]
    ]
    assert shown_rows(page, "units") == [
        [u["name"], asisten.get(u["asisten"], u["asisten"]), *expected_row(u["figures"])]
        for u in answer["units"]
    ]
    trend = shown_rows(page, "trend")
    assert len(trend) == 90 == len(answer["trend"])
    assert trend == [
        [date(d["date"]), count(d["received"]), count(d["completed"]), count(d["overdue"])]
        for d in answer["trend"]
    ]
    # The chart: one line per series, a hover text per day.
    expect(page.locator(".fig-chart svg polyline")).to_have_count(3)
    expect(page.locator(".fig-chart svg .fig-hits rect")).to_have_count(90)


def no_sideways_scrolling(page: Page) -> None:
    """The page itself never scrolls sideways (wide tables scroll inside their box)."""
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


# --- the figures over HTTP --------------------------------------------------------


def fetch(url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    answer = requests.get(url, headers=headers or {}, timeout=30)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def without_time(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k != "generated_at"}


def figures_until(
    url: str, wanted: Callable[[dict[str, Any]], bool], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """The answer once ``wanted`` holds (or after 15 s): the aggregator runs in the
    stack's stream poller, another process; asking the API is the only way to know."""
    return poll(lambda: fetch(url, headers), wanted, WAIT_SECONDS)


def completed_in(answer: dict[str, Any]) -> int:
    return sum(day["completed"] for day in answer["trend"])


@pytest.fixture
def worked(local_stack: RunningStack) -> dict[str, Any]:
    """Two new Biro PLH complaints, one worked to Selesai; the public 30-day figures
    once the aggregator has counted both, the follow-up and the completion."""
    api = local_stack.api_url
    first = fetch(f"{api}/v1/statistics?period=30d")
    before, completed = first["total"], completed_in(first)
    done = submit_at_kiosk(api)
    waiting = submit_at_kiosk(api)
    work_to_done(api, done["ticket"])
    answer = figures_until(
        f"{api}/v1/statistics?period=30d",
        lambda a: (
            a["total"]["received"] >= before["received"] + 2
            and a["total"]["follow_ups_delivered"] >= before["follow_ups_delivered"] + 1
            # The acceptance is the last event: once it is counted, so is all before it.
            and completed_in(a) >= completed + 1
        ),
    )
    return {**answer, "tickets": [done["ticket"], waiting["ticket"]]}


def steady(url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The answer, asked twice: equal both times (nothing still being counted)."""
    first = fetch(url, headers)
    second = fetch(url, headers)
    assert without_time(first) == without_time(second)
    return second


# --- the public page --------------------------------------------------------------


def test_public_statistics_on_the_desktop_equal_the_api(
    desktop_page: Page, web_origin: str, local_stack: RunningStack, worked: dict[str, Any]
) -> None:
    assert worked["total"]["received"] >= 2 and worked["total"]["follow_ups_delivered"] >= 1
    answer = steady(f"{local_stack.api_url}/v1/statistics?period=30d")
    desktop_page.goto(f"{web_origin}/statistik/")
    expect(desktop_page.get_by_role("heading", name="Statistik pengaduan", level=1)).to_be_visible()
    expect(desktop_page.get_by_label("Periode", exact=True)).to_have_value("30d")
    expect(desktop_page.locator(".fig-area")).not_to_have_attribute("aria-busy", "true")
    assert_page_shows(desktop_page, answer)
    # The trend table sits closed beside the chart, with a caption, and opens.
    desktop_page.get_by_text("Tabel angka tren harian (90 hari)").click()
    expect(desktop_page.get_by_role("table", name="Tren harian 90 hari")).to_be_visible()
    expect(
        desktop_page.get_by_role("table", name="Tren harian 90 hari").locator("tbody tr")
    ).to_have_count(90)
    # No login: the page never sent a token.
    assert desktop_page.evaluate("sessionStorage.length") == 0


def test_public_statistics_on_a_phone_change_period(
    phone_page: Page, web_origin: str, local_stack: RunningStack, worked: dict[str, Any]
) -> None:
    phone_page.goto(f"{web_origin}/statistik/")
    expect(phone_page.locator(".fig-area")).not_to_have_attribute("aria-busy", "true")
    phone_page.get_by_label("Periode", exact=True).select_option("7d")
    phone_page.get_by_role("button", name="Tampilkan").click()
    phone_page.wait_for_url("**/statistik/?period=7d")
    answer = steady(f"{local_stack.api_url}/v1/statistics?period=7d")
    assert answer["period"]["code"] == "7d"
    expect(phone_page.locator(".fig-area")).not_to_have_attribute("aria-busy", "true")
    assert_page_shows(phone_page, answer)
    no_sideways_scrolling(phone_page)


def test_the_citizen_web_and_the_kiosk_link_the_statistics(
    desktop_page: Page, web_origin: str
) -> None:
    for start in ("/", "/warga/", "/warga/lacak.html"):
        desktop_page.goto(web_origin + start)
        desktop_page.get_by_role("link", name="Statistik", exact=False).first.click()
        expect(
            desktop_page.get_by_role("heading", name="Statistik pengaduan", level=1)
        ).to_be_visible()
    desktop_page.goto(web_origin + "/kiosk/")
    desktop_page.get_by_role("link", name="Lihat statistik pengaduan").click()
    expect(desktop_page.get_by_role("heading", name="Statistik pengaduan", level=1)).to_be_visible()
    # From the kiosk (no address bar), the way back is on the page and kept by the picker.
    back = desktop_page.get_by_role("link", name="Kembali ke beranda kiosk")
    expect(back).to_be_visible()
    desktop_page.get_by_role("button", name="Tampilkan").click()
    desktop_page.wait_for_url("**/statistik/?period=30d&kiosk=1")
    back.click()
    expect(desktop_page.get_by_role("heading", name="Layanan Pengaduan Masyarakat")).to_be_visible()


# --- the console ------------------------------------------------------------------


def log_in(page: Page, web_origin: str, email: str, route: str = "") -> None:
    page.goto(f"{web_origin}/console/{route}")
    expect(page.get_by_role("heading", name="Masuk ke Konsol Petugas")).to_be_visible()
    log_in_console(page, email, DEMO_PASSWORD, demo_totp_secret(email))


def dashboard_answer(api: str, email: str, query: str) -> dict[str, Any]:
    from tools.local.login import bearer

    return steady(f"{api}/v1/officer/dashboard?{query}", bearer(api, email))


def test_coordinator_sees_the_own_unit_on_the_desktop(
    desktop_page: Page, web_origin: str, local_stack: RunningStack, worked: dict[str, Any]
) -> None:
    log_in(desktop_page, web_origin, PLH_COORDINATOR)
    expect(desktop_page.get_by_role("heading", name="Antrean unit saya")).to_be_visible()
    desktop_page.get_by_role("link", name="Dasbor").click()
    expect(desktop_page.get_by_role("heading", name="Dasbor pengaduan")).to_be_visible()
    expect(desktop_page.locator(".fig-area")).not_to_have_attribute("aria-busy", "true")
    answer = dashboard_answer(local_stack.api_url, PLH_COORDINATOR, "period=30d")
    assert [u["code"] for u in answer["units"]] == ["BIRO_PLH"]
    assert answer["total"]["received"] >= 2
    assert_page_shows(desktop_page, answer)
    expect(
        desktop_page.get_by_role("heading", name="Ringkasan: Biro Pembangunan dan Lingkungan Hidup")
    ).to_be_visible()
    # A coordinator has no unit filter: the API decides the unit.
    expect(desktop_page.get_by_label("Unit", exact=True)).to_have_count(0)


def test_verifier_filters_one_unit_and_a_month(
    desktop_page: Page, web_origin: str, local_stack: RunningStack, worked: dict[str, Any]
) -> None:
    log_in(desktop_page, web_origin, VERIFIER, "#/dasbor")
    expect(desktop_page.get_by_role("heading", name="Dasbor pengaduan")).to_be_visible()
    expect(desktop_page.locator(".fig-area")).not_to_have_attribute("aria-busy", "true")
    every = dashboard_answer(local_stack.api_url, VERIFIER, "period=30d")
    assert len(every["units"]) == 7
    assert_page_shows(desktop_page, every)
    desktop_page.get_by_label("Unit", exact=True).select_option("BIRO_PLH")
    desktop_page.get_by_label("Periode", exact=True).select_option("today")
    desktop_page.get_by_role("button", name="Tampilkan").click()
    desktop_page.wait_for_url("**#/dasbor?period=today&unit=BIRO_PLH")
    expect(desktop_page.locator(".fig-period")).to_have_attribute("data-period", "today")
    one = dashboard_answer(local_stack.api_url, VERIFIER, "period=today&unit=BIRO_PLH")
    assert [u["code"] for u in one["units"]] == ["BIRO_PLH"] and one["total"]["received"] >= 2
    assert_page_shows(desktop_page, one)
    # Last month, finished: open and overdue are as at the month's end.
    last_month = desktop_page.get_by_label("Periode", exact=True).locator("option").nth(4)
    month = last_month.get_attribute("value")
    desktop_page.get_by_label("Periode", exact=True).select_option(month)
    desktop_page.get_by_role("button", name="Tampilkan").click()
    expect(desktop_page.locator(".fig-period")).to_have_attribute("data-period", str(month))
    finished = dashboard_answer(local_stack.api_url, VERIFIER, f"period={month}&unit=BIRO_PLH")
    assert finished["period"]["complete"] is True
    assert_page_shows(desktop_page, finished)


def test_pimpinan_sees_only_the_dashboard(
    desktop_page: Page, web_origin: str, local_stack: RunningStack, worked: dict[str, Any]
) -> None:
    ticket = worked["tickets"][1]
    # Even a complaint's link (as in an email) lands on the dashboard.
    log_in(desktop_page, web_origin, ASISTEN_PLH, f"#/complaints/{ticket}")
    expect(desktop_page.get_by_role("heading", name="Dasbor pengaduan")).to_be_visible()
    expect(desktop_page).to_have_url(f"{web_origin}/console/#/dasbor")
    nav = desktop_page.get_by_role("navigation", name="Menu utama")
    expect(nav.get_by_role("link")).to_have_count(1)
    expect(nav.get_by_role("link", name="Dasbor")).to_be_visible()
    expect(desktop_page.locator("#who")).to_contain_text("Pimpinan")
    expect(desktop_page.locator(".fig-area")).not_to_have_attribute("aria-busy", "true")
    answer = dashboard_answer(local_stack.api_url, ASISTEN_PLH, "period=30d")
    assert {u["asisten"] for u in answer["units"]} == {"ASISTEN_PLH"}
    assert_page_shows(desktop_page, answer)
    # No complaint anywhere: no ticket, no link to one.
    assert ticket not in desktop_page.content()
    expect(desktop_page.locator('a[href^="#/complaints/"]')).to_have_count(0)
    for route in ("#/antrean", f"#/complaints/{ticket}", "#/log-akses", "#/tatap-muka"):
        desktop_page.goto(f"{web_origin}/console/{route}")
        expect(desktop_page).to_have_url(f"{web_origin}/console/#/dasbor")
        expect(desktop_page.get_by_role("heading", name="Dasbor pengaduan")).to_be_visible()
    # The API agrees: a pimpinan's token opens no complaint.
    from tools.local.login import bearer

    refused = requests.get(
        f"{local_stack.api_url}/v1/officer/complaints/{ticket}",
        headers=bearer(local_stack.api_url, ASISTEN_PLH),
        timeout=30,
    )
    assert refused.status_code == 403


def test_sekda_dashboard_on_a_phone(
    phone_page: Page, web_origin: str, local_stack: RunningStack, worked: dict[str, Any]
) -> None:
    log_in(phone_page, web_origin, SEKDA)
    expect(phone_page.get_by_role("heading", name="Dasbor pengaduan")).to_be_visible()
    expect(phone_page.locator(".fig-area")).not_to_have_attribute("aria-busy", "true")
    answer = dashboard_answer(local_stack.api_url, SEKDA, "period=30d")
    assert len(answer["units"]) == 7 and len(answer["asisten"]) == 4
    assert_page_shows(phone_page, answer)
    no_sideways_scrolling(phone_page)


def test_an_intake_officer_is_told_why_not(
    desktop_page: Page, web_origin: str, local_stack: RunningStack
) -> None:
    log_in(desktop_page, web_origin, PLH_OFFICER)
    expect(desktop_page.get_by_role("heading", name="Antrean unit saya")).to_be_visible()
    expect(
        desktop_page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Dasbor")
    ).to_be_hidden()
    refused = requests.get(
        f"{local_stack.api_url}/v1/officer/dashboard?period=30d",
        headers=as_officer(local_stack.api_url, "petugas", "BIRO_PLH"),
        timeout=30,
    )
    assert refused.status_code == 403
    desktop_page.goto(f"{web_origin}/console/#/dasbor")
    alert = desktop_page.get_by_role("alert")
    expect(alert).to_have_text(refused.json()["message"])
    expect(alert).to_be_focused()
    expect(desktop_page.locator(".fig-tiles")).to_have_count(0)


# --- the formats themselves -------------------------------------------------------

FORMAT_CASES: dict[str, list[Any]] = {
    "formatCount": [0, 7, 999, 1000, 1234567, None],
    "formatPercent": [0.0, 12.25, 0.05, 0.15, 66.66666666666667, 87.5, 99.95, 100.0, None],
    "formatDecimal": [1.0, 4.25, 4.35, 3.3333333333333335, 5.0, None],
    "formatHours": [0.0, 0.01, 0.5, 0.999, 1.0, 5.2, 23.99, 24.0, 25.0, 51.5, 77.5, 72.0, None],
    "formatDate": ["2026-11-06", "2025-06-01", "2026-12-31"],
}
PYTHON_FORMATS: dict[str, Callable[[Any], str]] = {
    "formatCount": count,
    "formatPercent": percent,
    "formatDecimal": decimal,
    "formatHours": hours,
    "formatDate": date,
}


def test_the_page_formats_numbers_the_indonesian_way(desktop_page: Page, web_origin: str) -> None:
    """The figures module's formats, run in the browser, against the ones written here:
    the live figures above rarely reach days, thousands or halves, these cases do."""
    desktop_page.goto(f"{web_origin}/statistik/")
    shown = desktop_page.evaluate(
        """async (cases) => {
          const figures = await import("/shared/figures.js");
          return Object.fromEntries(Object.entries(cases).map(
            ([name, values]) => [name, values.map((v) => figures[name](v))]));
        }""",
        FORMAT_CASES,
    )
    expected = {
        name: [PYTHON_FORMATS[name](value) for value in values]
        for name, values in FORMAT_CASES.items()
    }
    assert shown == expected
    assert expected["formatHours"][-5:-1] == [
        "1 hari 1 jam",
        "2 hari 3 jam",
        "3 hari 5 jam",
        "3 hari",
    ]
    assert expected["formatCount"][4] == "1.234.567" and expected["formatPercent"][1] == "12,3%"


def test_from_the_kiosk_the_page_goes_back_by_itself(desktop_page: Page, web_origin: str) -> None:
    """A kiosk has no address bar: a minute without a touch and the kiosk's home is back."""
    desktop_page.clock.install()
    desktop_page.goto(f"{web_origin}/statistik/?kiosk=1")
    expect(desktop_page.locator(".fig-area")).not_to_have_attribute("aria-busy", "true")
    desktop_page.clock.fast_forward(50_000)
    desktop_page.mouse.click(5, 300)  # a touch starts the minute again
    desktop_page.clock.fast_forward(50_000)
    expect(desktop_page.get_by_role("heading", name="Statistik pengaduan", level=1)).to_be_visible()
    desktop_page.clock.fast_forward(11_000)
    desktop_page.wait_for_url(f"{web_origin}/kiosk/")
    # Opened from the citizen web (no ?kiosk=1): no way back to a kiosk, no timer.
    desktop_page.goto(f"{web_origin}/statistik/")
    expect(desktop_page.get_by_role("link", name="Kembali ke beranda kiosk")).to_be_hidden()

"""The Pendopo desk calendar: Monday to Friday 07.30-09.30 WIB from 1 June 2025."""

from datetime import UTC, date, datetime, time

import pytest

from pendopo.domain.clock import WIB
from pendopo.domain.holidays_id import WorkingCalendar
from pendopo.domain.sessions import (
    DESK_HOURS_TEXT,
    SERVICE_START,
    Session,
    SessionCalendar,
    describe_next_session,
    desk_hours_text,
    long_date_id,
)

DESK = SessionCalendar()


def wib(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=WIB)


def session(year: int, month: int, day: int) -> Session:
    return Session(opens_at=wib(year, month, day, 7, 30), closes_at=wib(year, month, day, 9, 30))


# --- open or closed ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (wib(2025, 6, 2, 7, 29, 59), False),  # Monday, one second early
        (wib(2025, 6, 2, 7, 30), True),  # opening instant
        (wib(2025, 6, 2, 9, 29, 59), True),  # last second
        (wib(2025, 6, 2, 9, 30), False),  # closing instant
        (wib(2025, 6, 13, 8, 0), True),  # Friday
        (wib(2025, 6, 14, 8, 0), False),  # Saturday
        (wib(2025, 6, 15, 8, 0), False),  # Sunday
        (wib(2025, 6, 6, 8, 0), False),  # Friday, Idul Adha
        (wib(2025, 6, 27, 8, 0), False),  # Friday, Tahun Baru Islam
        (wib(2025, 12, 25, 8, 0), False),  # Thursday, Natal
        (wib(2025, 5, 30, 8, 0), False),  # Friday before the service started
    ],
)
def test_desk_is_open_only_during_sessions(moment, is_open):
    # Given the default desk calendar
    # When we ask about a moment
    # Then the desk is open exactly during a session
    assert DESK.is_open(moment) is is_open
    assert DESK.is_outside_hours(moment) is not is_open


def test_a_utc_moment_is_judged_in_wib():
    # Given 2025-06-02T00:45Z, which is Monday 07:45 WIB
    moment = datetime(2025, 6, 2, 0, 45, tzinfo=UTC)
    # Then the desk is open and the current session is that Monday's
    assert DESK.is_open(moment)
    assert DESK.current_session(moment) == session(2025, 6, 2)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="naive"):
        DESK.is_open(datetime(2025, 6, 2, 8, 0))


def test_current_session_is_none_when_closed():
    assert DESK.current_session(wib(2025, 6, 2, 9, 30)) is None
    assert DESK.current_session(wib(2025, 6, 14, 8, 0)) is None


def test_configured_extra_closed_days_close_the_desk():
    # Given cuti bersama on Monday 9 June 2025 configured by the deployment
    desk = SessionCalendar(calendar=WorkingCalendar(extra_holidays=frozenset({date(2025, 6, 9)})))
    # Then the desk is closed that day and open the next
    assert not desk.is_open(wib(2025, 6, 9, 8, 0))
    assert desk.is_open(wib(2025, 6, 10, 8, 0))


# --- next session --------------------------------------------------------------------


def test_before_the_service_start_the_first_session_is_monday_2_june_2025():
    # Given a moment in May 2025; the start date 1 June 2025 is a Sunday
    assert SERVICE_START.isoformat() == "2025-06-01"
    assert SERVICE_START.weekday() == 6
    # When we ask for the next session
    # Then it is Monday 2 June 2025 at 07:30 WIB
    assert DESK.next_session(wib(2025, 5, 20, 12, 0)) == session(2025, 6, 2)
    assert DESK.next_session(wib(2025, 6, 1, 8, 0)) == session(2025, 6, 2)


def test_from_friday_after_hours_the_next_session_is_monday():
    # Given Friday 13 June 2025 at 10:00 WIB
    # Then the next session opens Monday 16 June 07:30 WIB
    assert DESK.next_session(wib(2025, 6, 13, 10, 0)) == session(2025, 6, 16)


def test_before_opening_the_next_session_is_today():
    assert DESK.next_session(wib(2025, 6, 3, 7, 0)) == session(2025, 6, 3)


def test_while_open_the_next_session_is_the_one_after_the_current():
    # Given the desk open on Monday 2 June (including the opening instant)
    # Then the next session is Tuesday's
    assert DESK.next_session(wib(2025, 6, 2, 7, 30)) == session(2025, 6, 3)
    assert DESK.next_session(wib(2025, 6, 2, 9, 0)) == session(2025, 6, 3)


def test_the_next_session_skips_holidays():
    # Given Thursday 5 June 2025 after hours, with Idul Adha on Friday 6 June
    # Then the next session is Monday 9 June
    assert DESK.next_session(wib(2025, 6, 5, 10, 0)) == session(2025, 6, 9)


def test_the_next_session_skips_the_new_year():
    # Given Wednesday 31 December 2025 after hours, New Year's Day on Thursday
    # Then the next session is Friday 2 January 2026
    assert DESK.next_session(wib(2025, 12, 31, 10, 0)) == session(2026, 1, 2)


def test_sessions_are_aware_and_in_wib():
    nxt = DESK.next_session(datetime(2025, 6, 13, 3, 0, tzinfo=UTC))
    assert nxt.opens_at.utcoffset() == WIB.utcoffset(None)
    assert nxt.opens_at.astimezone(UTC) == datetime(2025, 6, 16, 0, 30, tzinfo=UTC)


# --- texts ---------------------------------------------------------------------------


def test_desk_hours_text_in_indonesian():
    assert DESK_HOURS_TEXT == "Senin–Jumat, pukul 07.30–09.30 WIB (kecuali hari libur nasional)"
    assert DESK.hours_text() == DESK_HOURS_TEXT
    assert desk_hours_text(time(8, 0), time(10, 0)) == (
        "Senin–Jumat, pukul 08.00–10.00 WIB (kecuali hari libur nasional)"
    )


def test_describe_next_session_in_indonesian():
    # Given the session after Idul Adha 2025
    nxt = DESK.next_session(wib(2025, 6, 5, 10, 0))
    # Then it reads in Bahasa Indonesia
    assert describe_next_session(nxt) == "Senin, 9 Juni 2025 pukul 07.30 WIB"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2025, 6, 10), "Selasa, 10 Juni 2025"),
        (date(2025, 8, 20), "Rabu, 20 Agustus 2025"),
        (date(2025, 12, 18), "Kamis, 18 Desember 2025"),
        (date(2026, 1, 2), "Jumat, 2 Januari 2026"),
        (date(2025, 6, 14), "Sabtu, 14 Juni 2025"),
        (date(2025, 6, 1), "Minggu, 1 Juni 2025"),
    ],
)
def test_long_dates_use_indonesian_day_and_month_names(day, text):
    assert long_date_id(day) == text


# --- construction --------------------------------------------------------------------


def test_a_session_must_close_after_it_opens():
    with pytest.raises(ValueError, match="close after"):
        Session(opens_at=wib(2025, 6, 2, 9, 30), closes_at=wib(2025, 6, 2, 7, 30))


def test_a_session_refuses_naive_times():
    with pytest.raises(ValueError, match="naive"):
        Session(opens_at=datetime(2025, 6, 2, 7, 30), closes_at=wib(2025, 6, 2, 9, 30))


def test_desk_hours_must_be_ordered_wall_clock_times():
    with pytest.raises(ValueError, match="close after"):
        SessionCalendar(opens=time(9, 30), closes=time(7, 30))
    with pytest.raises(ValueError, match="without tzinfo"):
        SessionCalendar(opens=time(7, 30, tzinfo=WIB))


def test_custom_hours_and_start_date():
    # Given a desk opening 08:00-10:00 from Monday 7 July 2025
    desk = SessionCalendar(opens=time(8, 0), closes=time(10, 0), start=date(2025, 7, 7))
    # Then it is closed on 2 July and the first session is 7 July 08:00 WIB
    assert not desk.is_open(wib(2025, 7, 2, 8, 30))
    assert desk.next_session(wib(2025, 7, 2, 8, 30)).opens_at == wib(2025, 7, 7, 8, 0)
    assert desk.is_open(wib(2025, 7, 7, 9, 59))

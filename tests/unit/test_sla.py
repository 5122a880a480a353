"""The 3-day follow-up deadline: calendar days (default) and working days."""

from datetime import UTC, date, datetime, timedelta

import pytest

from pendopo.domain.clock import WIB
from pendopo.domain.holidays_id import WorkingCalendar
from pendopo.domain.sla import (
    SlaMode,
    SlaPolicy,
    from_settings,
    is_overdue,
    overdue_by,
    remaining,
    within_deadline,
)

CALENDAR = SlaPolicy()
WORKING = SlaPolicy(mode=SlaMode.WORKING_DAYS)


def wib(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=WIB)


# --- calendar days -------------------------------------------------------------------


def test_the_default_policy_is_three_calendar_days():
    assert CALENDAR.mode is SlaMode.CALENDAR_DAYS
    assert CALENDAR.days == 3


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (wib(2025, 6, 30, 8, 15), wib(2025, 7, 3, 8, 15)),  # month end
        (wib(2025, 12, 30, 9, 0), wib(2026, 1, 2, 9, 0)),  # year end
        (wib(2028, 2, 27, 10, 0), wib(2028, 3, 1, 10, 0)),  # across leap day 2028
        (wib(2028, 2, 29, 7, 45), wib(2028, 3, 3, 7, 45)),  # received on leap day
        (wib(2025, 6, 13, 9, 0), wib(2025, 6, 16, 9, 0)),  # weekend counts
    ],
)
def test_calendar_mode_adds_exactly_three_days(received, due):
    # Given a complaint received at a WIB time
    # When the calendar-day deadline is computed
    result = CALENDAR.due_at(received)
    # Then it is exactly 72 hours later, returned in UTC
    assert result == due
    assert result.tzinfo is UTC
    assert result - received == timedelta(hours=72)


def test_calendar_mode_from_a_utc_receipt_that_is_already_tomorrow_in_wib():
    # Given 2025-06-30T18:00Z, which is 1 July 01:00 WIB
    received = datetime(2025, 6, 30, 18, 0, tzinfo=UTC)
    # When the deadline is computed
    # Then it is 4 July 01:00 WIB (3 July 18:00 UTC)
    assert CALENDAR.due_at(received) == datetime(2025, 7, 3, 18, 0, tzinfo=UTC)
    assert CALENDAR.due_at(received).astimezone(WIB) == wib(2025, 7, 4, 1, 0)


def test_a_naive_receipt_time_is_refused():
    with pytest.raises(ValueError, match="naive"):
        CALENDAR.due_at(datetime(2025, 6, 2, 8, 0))
    with pytest.raises(ValueError, match="naive"):
        WORKING.due_at(datetime(2025, 6, 2, 8, 0))


# --- working days --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Monday -> Thursday, same wall-clock time
        (wib(2025, 6, 2, 8, 10), wib(2025, 6, 5, 8, 10)),
        # Friday -> Wednesday across the weekend
        (wib(2025, 6, 13, 9, 20), wib(2025, 6, 18, 9, 20)),
        # Thursday 5 Jun 2025 -> Wednesday 11 Jun: Fri 6 Jun is Idul Adha
        (wib(2025, 6, 5, 8, 0), wib(2025, 6, 11, 8, 0)),
        # Thursday 26 Jun 2025 -> Wednesday 2 Jul: Fri 27 Jun is Tahun Baru Islam
        (wib(2025, 6, 26, 9, 0), wib(2025, 7, 2, 9, 0)),
        # Wednesday 24 Dec 2025 -> Tuesday 30 Dec: Thu 25 Dec is Natal
        (wib(2025, 12, 24, 9, 0), wib(2025, 12, 30, 9, 0)),
        # Tuesday 30 Dec 2025 -> Monday 5 Jan 2026: Thu 1 Jan is Tahun Baru Masehi
        (wib(2025, 12, 30, 9, 0), wib(2026, 1, 5, 9, 0)),
        # Wednesday 18 Mar 2026 -> Tuesday 24 Mar: Thu 19 Mar is Nyepi,
        # Idul Fitri falls on Sat 21 and Sun 22 Mar 2026
        (wib(2026, 3, 18, 8, 30), wib(2026, 3, 24, 8, 30)),
    ],
)
def test_working_mode_counts_working_days_at_the_same_wib_time(received, due):
    # Given a complaint received on a working day
    # When the working-day deadline is computed
    # Then it falls three working days later at the same WIB time
    assert WORKING.due_at(received) == due
    assert WORKING.due_at(received).tzinfo is UTC


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Saturday 14 Jun 2025: clock starts Mon 16, end of Wed 18 -> Thu 19 00:00
        (wib(2025, 6, 14, 10, 0), wib(2025, 6, 19, 0, 0)),
        # Sunday 15 Jun 2025 late evening: same deadline
        (wib(2025, 6, 15, 23, 59), wib(2025, 6, 19, 0, 0)),
        # Sunday 17 Aug 2025 (Independence Day): Mon 18, Tue 19, Wed 20 -> Thu 21 00:00
        (wib(2025, 8, 17, 11, 0), wib(2025, 8, 21, 0, 0)),
        # Tuesday 17 Feb 2026 (Imlek): Wed 18, Thu 19, Fri 20 -> Sat 21 00:00
        (wib(2026, 2, 17, 8, 0), wib(2026, 2, 21, 0, 0)),
        # Friday 6 Jun 2025 (Idul Adha): Mon 9, Tue 10, Wed 11 -> Thu 12 00:00
        (wib(2025, 6, 6, 8, 0), wib(2025, 6, 12, 0, 0)),
    ],
)
def test_working_mode_received_on_a_closed_day_ends_at_the_end_of_the_third_working_day(
    received, due
):
    # Given a complaint received on a weekend or holiday
    # When the working-day deadline is computed
    # Then the clock starts at 00:00 WIB of the next working day
    # And the complaint is due at the end (midnight) of the third working day
    assert WORKING.due_at(received) == due


def test_working_mode_uses_the_wib_date_of_a_utc_receipt():
    # Given Friday 2025-06-13T18:00Z, which is already Saturday 01:00 WIB
    received = datetime(2025, 6, 13, 18, 0, tzinfo=UTC)
    # When the working-day deadline is computed
    # Then it is counted from Saturday: Thursday 19 Jun 00:00 WIB (18 Jun 17:00 UTC)
    assert WORKING.due_at(received) == datetime(2025, 6, 18, 17, 0, tzinfo=UTC)


def test_working_mode_skips_configured_cuti_bersama():
    # Given a deployment that closes on cuti bersama Friday 26 December 2025
    policy = SlaPolicy(
        mode=SlaMode.WORKING_DAYS,
        calendar=WorkingCalendar(extra_holidays=frozenset({date(2025, 12, 26)})),
    )
    # When a complaint arrives on Wednesday 24 December at 09:00 WIB
    # Then Thu 25 (Natal) and Fri 26 are skipped: due Wednesday 31 December 09:00 WIB
    assert policy.due_at(wib(2025, 12, 24, 9, 0)) == wib(2025, 12, 31, 9, 0)


def test_working_mode_received_on_configured_cuti_bersama_starts_next_working_day():
    # Given cuti bersama on Monday 18 August 2025
    policy = from_settings("working_days", 3, [date(2025, 8, 18)])
    # When a complaint arrives that day
    # Then Tue 19, Wed 20 and Thu 21 count: due Friday 22 August 00:00 WIB
    assert policy.due_at(wib(2025, 8, 18, 8, 0)) == wib(2025, 8, 22, 0, 0)


def test_a_one_day_working_policy():
    policy = SlaPolicy(mode=SlaMode.WORKING_DAYS, days=1)
    assert policy.due_at(wib(2025, 6, 13, 9, 0)) == wib(2025, 6, 16, 9, 0)
    assert policy.due_at(wib(2025, 6, 14, 9, 0)) == wib(2025, 6, 17, 0, 0)


# --- overdue and delivery ------------------------------------------------------------

DUE = wib(2025, 6, 5, 8, 10)
MINUTE = timedelta(minutes=1)


def test_exactly_at_the_deadline_is_not_overdue():
    assert not is_overdue(DUE, DUE)
    assert overdue_by(DUE, DUE) == timedelta(0)
    assert remaining(DUE, DUE) == timedelta(0)


def test_one_minute_before_the_deadline():
    now = DUE - MINUTE
    assert not is_overdue(DUE, now)
    assert overdue_by(DUE, now) == timedelta(0)
    assert remaining(DUE, now) == MINUTE


def test_one_minute_after_the_deadline():
    now = DUE + MINUTE
    assert is_overdue(DUE, now)
    assert overdue_by(DUE, now) == MINUTE
    assert remaining(DUE, now) == timedelta(0)


def test_overdue_compares_instants_not_wall_clocks():
    # Given the deadline in UTC and "now" in WIB, one minute later as an instant
    due_utc = DUE.astimezone(UTC)
    now_wib = DUE + MINUTE
    # When / Then the time zones do not matter
    assert is_overdue(due_utc, now_wib)


def test_delivery_at_or_before_the_deadline_is_within_it():
    assert within_deadline(DUE, DUE)
    assert within_deadline(DUE, DUE - MINUTE)
    assert not within_deadline(DUE, DUE + MINUTE)


@pytest.mark.parametrize(
    "call",
    [
        lambda: is_overdue(DUE, datetime(2025, 6, 5, 9, 0)),
        lambda: overdue_by(datetime(2025, 6, 5, 9, 0), DUE),
        lambda: remaining(DUE, datetime(2025, 6, 5, 9, 0)),
        lambda: within_deadline(DUE, datetime(2025, 6, 5, 9, 0)),
    ],
)
def test_naive_times_are_refused_by_the_deadline_checks(call):
    with pytest.raises(ValueError, match="naive"):
        call()


# --- settings ------------------------------------------------------------------------


def test_from_settings_builds_the_policy():
    # Given settings for working days with one extra closed day
    policy = from_settings("working_days", 5, [date(2025, 12, 26)])
    # Then the policy carries them
    assert policy.mode is SlaMode.WORKING_DAYS
    assert policy.days == 5
    assert policy.calendar.extra_holidays == frozenset({date(2025, 12, 26)})


def test_from_settings_defaults_to_calendar_days_as_given():
    policy = from_settings("calendar_days", 3, [])
    assert policy == SlaPolicy()


def test_from_settings_refuses_an_unknown_mode():
    with pytest.raises(ValueError, match=r"unknown SLA mode 'business'.*calendar_days"):
        from_settings("business", 3, [])


@pytest.mark.parametrize("days", [0, -1])
def test_from_settings_refuses_fewer_than_one_day(days):
    with pytest.raises(ValueError, match="at least 1"):
        from_settings("calendar_days", days, [])


def test_a_policy_refuses_a_non_integer_day_count():
    with pytest.raises(ValueError, match="at least 1"):
        SlaPolicy(days=True)

"""Indonesian public holidays (from the `holidays` package) and the working calendar."""

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from pendopo.domain.clock import WIB
from pendopo.domain.holidays_id import WorkingCalendar, holiday_name, is_public_holiday

COMMON_LAYER = Path(__file__).resolve().parents[2] / "layers" / "common"


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2025, 6, 1), "Hari Lahir Pancasila"),  # Sunday: the service start date
        (date(2025, 6, 6), "Hari Raya Idul Adha"),  # Friday
        (date(2025, 6, 27), "Tahun Baru Islam"),  # Friday
        (date(2025, 8, 17), "Hari Kemerdekaan Republik Indonesia"),  # Sunday
        (date(2025, 12, 25), "Hari Raya Natal"),  # Thursday
        (date(2026, 1, 1), "Tahun Baru Masehi"),  # Thursday
        (date(2026, 2, 17), "Tahun Baru Imlek"),  # Tuesday
        (date(2026, 3, 19), "Hari Suci Nyepi"),  # Thursday
        (date(2026, 3, 21), "Hari Raya Idul Fitri"),  # Saturday
    ],
)
def test_known_holidays_have_their_indonesian_names(day, name):
    # Given a national holiday as the library publishes it
    # When we look the day up
    # Then it is a public holiday with its Indonesian name
    assert is_public_holiday(day)
    assert holiday_name(day) == name


@pytest.mark.parametrize("day", [date(2025, 6, 5), date(2025, 8, 18), date(2025, 12, 26)])
def test_ordinary_days_are_not_public_holidays(day):
    # Given days that are not national holidays (18 Aug and 26 Dec 2025 are cuti bersama,
    # which is collective leave rather than a public holiday)
    # When we look them up
    # Then they are not holidays and have no name
    assert not is_public_holiday(day)
    assert holiday_name(day) is None


def test_a_datetime_is_refused_where_a_calendar_date_is_expected():
    # Given a datetime (whose date depends on its time zone)
    moment = datetime(2025, 8, 17, 10, 0, tzinfo=WIB)
    # When / Then it is refused rather than silently compared
    with pytest.raises(TypeError):
        is_public_holiday(moment)


def test_weekdays_are_working_days_and_weekends_are_not():
    # Given the default calendar
    calendar = WorkingCalendar()
    # When / Then Monday to Friday work and Saturday and Sunday do not
    assert calendar.is_working_day(date(2025, 6, 2))  # Monday
    assert calendar.is_working_day(date(2025, 6, 13))  # Friday
    assert not calendar.is_working_day(date(2025, 6, 14))  # Saturday
    assert not calendar.is_working_day(date(2025, 6, 15))  # Sunday


def test_a_weekday_public_holiday_is_not_a_working_day():
    # Given Idul Adha on Friday 6 June 2025
    calendar = WorkingCalendar()
    # When / Then the day is not worked and the next working day is Monday 9 June
    assert not calendar.is_working_day(date(2025, 6, 6))
    assert calendar.next_working_day(date(2025, 6, 5)) == date(2025, 6, 9)


def test_configured_extra_holidays_are_not_working_days():
    # Given a deployment that observes cuti bersama on Friday 26 December 2025
    calendar = WorkingCalendar(extra_holidays=frozenset({date(2025, 12, 26)}))
    # When we ask for the day after Christmas (Thursday 25 December)
    # Then the 26th is closed and the next working day is Monday 29 December
    assert calendar.is_holiday(date(2025, 12, 26))
    assert not calendar.is_working_day(date(2025, 12, 26))
    assert calendar.next_working_day(date(2025, 12, 24)) == date(2025, 12, 29)
    assert WorkingCalendar().next_working_day(date(2025, 12, 24)) == date(2025, 12, 26)


def test_extra_holidays_given_as_a_set_are_frozen():
    # Given extras passed as an ordinary set
    calendar = WorkingCalendar(extra_holidays={date(2025, 6, 9)})  # type: ignore[arg-type]
    # When / Then the calendar keeps an immutable copy
    assert calendar.extra_holidays == frozenset({date(2025, 6, 9)})
    assert isinstance(calendar.extra_holidays, frozenset)


def test_next_working_day_crosses_the_year_end():
    # Given Wednesday 31 December 2025, with New Year's Day on Thursday
    # When / Then the next working day is Friday 2 January 2026
    assert WorkingCalendar().next_working_day(date(2025, 12, 31)) == date(2026, 1, 2)


def test_importing_the_module_does_not_import_the_holidays_package():
    # Given a fresh interpreter (cold start)
    code = "import sys, pendopo.domain.holidays_id; print('holidays' in sys.modules)"
    # When the module is imported
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(COMMON_LAYER)},
    )
    # Then the holidays package is not loaded yet
    assert result.stdout.strip() == "False"

"""Indonesian public holidays and the working-day calendar.

The holiday dates come from the `holidays` package (python-holidays): it is well
kept, updated every year as the government publishes the joint ministerial decree
(SKB) on national holidays, covers the Islamic, Chinese, Hindu and Buddhist dates
we would otherwise have to maintain by hand, and ships Indonesian-language names.

Lambda cold starts matter, so the package is imported only when a year's table is
first needed, and each year's table is built once per process.

A deployment may add its own closed days (for example the cuti bersama collective
leave days it observes) through `WorkingCalendar.extra_holidays`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType

COUNTRY = "ID"
LANGUAGE = "id"


def is_public_holiday(day: date) -> bool:
    """True if `day` (a WIB calendar date) is an Indonesian national public holiday."""
    return _require_date(day) in _holidays_of(day.year)


def holiday_name(day: date) -> str | None:
    """The Indonesian name of the public holiday on `day`, or None on other days."""
    return _holidays_of(_require_date(day).year).get(day)


@lru_cache(maxsize=16)
def _holidays_of(year: int) -> Mapping[date, str]:
    import holidays  # lazy: keeps module import (and cold start) cheap

    table = holidays.country_holidays(COUNTRY, years=year, language=LANGUAGE)
    return MappingProxyType({day: name for day, name in table.items() if day.year == year})


def _require_date(day: date) -> date:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError("pass a calendar date (in WIB), not a datetime")
    return day


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days: Monday to Friday, except public holidays and configured extras."""

    extra_holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        extras = frozenset(_require_date(day) for day in self.extra_holidays)
        object.__setattr__(self, "extra_holidays", extras)

    def is_holiday(self, day: date) -> bool:
        return day in self.extra_holidays or is_public_holiday(day)

    def is_working_day(self, day: date) -> bool:
        return _require_date(day).weekday() < 5 and not self.is_holiday(day)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        candidate = _require_date(day) + timedelta(days=1)
        while not self.is_working_day(candidate):
            candidate += timedelta(days=1)
        return candidate

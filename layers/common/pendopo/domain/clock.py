"""Time: the injectable clock and the WIB time zone.

Jakarta keeps Western Indonesia Time (WIB, UTC+7) all year with no daylight
saving, so a fixed offset is exact and needs no tz database on Lambda.
Times are stored in UTC and shown in WIB.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol

WIB = timezone(timedelta(hours=7), "WIB")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for tests and "as of" runs."""

    def __init__(self, at: datetime) -> None:
        self._at = require_aware(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = require_aware(at)

    def advance(self, delta: timedelta) -> None:
        self._at = self._at + delta


def require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: every time in Pendopo carries a time zone")
    return moment


def to_utc_iso(moment: datetime) -> str:
    """Storage form: UTC, ISO 8601, fixed width (sorts as text)."""
    utc = require_aware(moment).astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def from_iso(text: str) -> datetime:
    return require_aware(datetime.fromisoformat(text.replace("Z", "+00:00")))


def to_wib(moment: datetime) -> datetime:
    return require_aware(moment).astimezone(WIB)


def wib_to_the_second(moment: datetime) -> datetime:
    """WIB to the second: what people and clients need, without stored milliseconds."""
    return to_wib(moment).replace(microsecond=0)


def format_wib(moment: datetime) -> str:
    """Display form for people: '09 Jun 2025 07:30 WIB'."""
    local = to_wib(moment)
    return f"{local.day:02d} {MONTHS_ID_SHORT[local.month - 1]} {local.year} {local:%H:%M} WIB"


MONTHS_ID_SHORT = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Mei",
    "Jun",
    "Jul",
    "Agu",
    "Sep",
    "Okt",
    "Nov",
    "Des",
)

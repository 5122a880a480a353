"""The follow-up deadline (SLA clock).

Instruksi Sekda DKI Jakarta No. 28/2025 asks that the follow-up result be delivered
"paling lambat 3 (tiga) hari sejak pengaduan diterima": no later than 3 days after
the complaint was received. Two readings are supported; the policy is chosen per
deployment in settings.

- `SlaMode.CALENDAR_DAYS` (default, as the instruction reads): due exactly
  N x 24 hours after receipt. Weekends and holidays count.
- `SlaMode.WORKING_DAYS`: days are counted on the WIB working calendar
  (Monday to Friday, not public holidays, not configured extra holidays).
  * Received on a working day: due on the Nth working day after the receipt day,
    at the same WIB wall-clock time as the receipt. Monday 10:15 WIB with N=3 is
    due Thursday 10:15 WIB.
  * Received on a non-working day (for example a web complaint on Saturday): the
    clock starts at 00:00 WIB of the next working day and the complaint is due at
    the end of the Nth working day, that is 00:00 WIB of the calendar day after it.
    Saturday with N=3 is due Thursday 00:00 WIB (the end of Wednesday).

Deadlines are returned in UTC (storage form); show them with `clock.format_wib`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from pendopo.domain.clock import WIB, require_aware, to_wib
from pendopo.domain.holidays_id import WorkingCalendar

DEFAULT_DAYS = 3


class SlaMode(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class SlaPolicy:
    """How the follow-up deadline is computed; see the module docstring for the rule."""

    mode: SlaMode = SlaMode.CALENDAR_DAYS
    days: int = DEFAULT_DAYS
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", _parse_mode(self.mode))
        _check_days(self.days)

    def due_at(self, received_at: datetime) -> datetime:
        """The follow-up deadline for a complaint received at `received_at`, in UTC."""
        require_aware(received_at)
        if self.mode is SlaMode.CALENDAR_DAYS:
            return received_at.astimezone(UTC) + timedelta(days=self.days)
        return self._due_on_working_days(to_wib(received_at)).astimezone(UTC)

    def _due_on_working_days(self, received: datetime) -> datetime:
        if self.calendar.is_working_day(received.date()):
            due_day = self._working_days_after(received.date(), self.days)
            return datetime.combine(due_day, received.time(), WIB)
        first = self.calendar.next_working_day(received.date())
        last = self._working_days_after(first, self.days - 1)
        return datetime.combine(last + timedelta(days=1), time(0), WIB)

    def _working_days_after(self, day: date, count: int) -> date:
        for _ in range(count):
            day = self.calendar.next_working_day(day)
        return day


def remaining(due_at: datetime, now: datetime) -> timedelta:
    """Time left until the deadline; zero once it has passed."""
    return max(require_aware(due_at) - require_aware(now), timedelta(0))


def is_overdue(due_at: datetime, now: datetime) -> bool:
    """Overdue strictly after the deadline; exactly at the deadline is still on time."""
    return require_aware(now) > require_aware(due_at)


def overdue_by(due_at: datetime, now: datetime) -> timedelta:
    """How long past the deadline; zero when not overdue."""
    return max(require_aware(now) - require_aware(due_at), timedelta(0))


def within_deadline(due_at: datetime, delivered_at: datetime) -> bool:
    """True if the follow-up result was delivered at or before the deadline."""
    return require_aware(delivered_at) <= require_aware(due_at)


def from_settings(mode: str, days: int, extra_holidays: Iterable[date]) -> SlaPolicy:
    """Build the policy from deployment settings; ValueError on a bad mode or day count."""
    calendar = WorkingCalendar(extra_holidays=frozenset(extra_holidays))
    return SlaPolicy(mode=_parse_mode(mode), days=days, calendar=calendar)


def _parse_mode(mode: str) -> SlaMode:
    try:
        return SlaMode(mode)
    except ValueError:
        allowed = ", ".join(m.value for m in SlaMode)
        raise ValueError(f"unknown SLA mode {mode!r}: expected one of {allowed}") from None


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"SLA days must be a whole number of at least 1, got {days!r}")

"""The Pendopo desk calendar: when walk-in complaints are received.

Instruksi Sekda DKI Jakarta No. 28/2025: complaints are received at the Pendopo of
City Hall every Monday to Friday, 07.30 to 09.30 (WIB), from 1 June 2025. The desk
is also closed on national public holidays and on any extra closed days the
deployment configures in its `WorkingCalendar`.

A session is open from its opening minute inclusive to its closing minute
exclusive: 07:30:00 is open, 09:29:59 is open, 09:30:00 is closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from pendopo.domain.clock import WIB, require_aware, to_wib
from pendopo.domain.holidays_id import WorkingCalendar

SERVICE_START = date(2025, 6, 1)
DESK_OPENS = time(7, 30)
DESK_CLOSES = time(9, 30)

DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


@dataclass(frozen=True)
class Session:
    """One desk session, with aware opening and closing times (WIB)."""

    opens_at: datetime
    closes_at: datetime

    def __post_init__(self) -> None:
        if require_aware(self.closes_at) <= require_aware(self.opens_at):
            raise ValueError("a session must close after it opens")


@dataclass(frozen=True)
class SessionCalendar:
    """Desk sessions on working days from `start`, `opens` to `closes` WIB."""

    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    opens: time = DESK_OPENS
    closes: time = DESK_CLOSES
    start: date = SERVICE_START

    def __post_init__(self) -> None:
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("desk hours are WIB wall-clock times; give them without tzinfo")
        if self.closes <= self.opens:
            raise ValueError("the desk must close after it opens")

    def session_on(self, day: date) -> Session | None:
        """The session held on `day` (a WIB date), or None if the desk is closed all day."""
        if day < self.start or not self.calendar.is_working_day(day):
            return None
        opens_at = datetime.combine(day, self.opens, WIB)
        return Session(opens_at=opens_at, closes_at=datetime.combine(day, self.closes, WIB))

    def current_session(self, now: datetime) -> Session | None:
        """The session open at `now`, or None."""
        local = to_wib(now)
        session = self.session_on(local.date())
        if session is None or not session.opens_at <= local < session.closes_at:
            return None
        return session

    def is_open(self, now: datetime) -> bool:
        return self.current_session(now) is not None

    def is_outside_hours(self, moment: datetime) -> bool:
        """True when a walk-in entry made at `moment` falls outside desk hours."""
        return not self.is_open(moment)

    def next_session(self, now: datetime) -> Session:
        """The first session that opens strictly after `now`.

        While a session is open, this is the one after it (not the current one).
        Before the service start date, it is the first session on or after it.
        """
        local = to_wib(now)
        day = max(local.date(), self.start)
        while True:
            session = self.session_on(day)
            if session is not None and session.opens_at > local:
                return session
            day += timedelta(days=1)

    def hours_text(self) -> str:
        return desk_hours_text(self.opens, self.closes)


def desk_hours_text(opens: time = DESK_OPENS, closes: time = DESK_CLOSES) -> str:
    """Desk hours for people, in Bahasa Indonesia."""
    return (
        f"Senin–Jumat, pukul {clock_id(opens)}–{clock_id(closes)} WIB (kecuali hari libur nasional)"
    )


def describe_next_session(session: Session) -> str:
    """A session's opening for people: 'Senin, 9 Juni 2025 pukul 07.30 WIB'."""
    opens = to_wib(session.opens_at)
    return f"{long_date_id(opens.date())} pukul {clock_id(opens.time())} WIB"


def long_date_id(day: date) -> str:
    """'Senin, 9 Juni 2025'."""
    return f"{DAYS_ID[day.weekday()]}, {day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def clock_id(moment: time) -> str:
    """Indonesian clock notation: '07.30'."""
    return f"{moment:%H.%M}"


DESK_HOURS_TEXT = desk_hours_text()

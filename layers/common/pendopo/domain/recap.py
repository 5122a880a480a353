"""The monthly recap's figures: pure, from a unit's complaints of one WIB month.

Instruksi Sekda 28/2025 asks each coordinating unit to report a recap of follow-up
results on the 5th of every month. The recap is a **snapshot at the end of the
month** (00:00 WIB of the 1st of the next month): every figure counts only what had
happened before that instant, read from the complaint's own timeline (every action
appends an entry with its time and the status it led to), ``first_follow_up_at``
and ``due_at``. So a recap re-run later for the same month gives the same figures,
whatever happened after the month ended.

Rules, each in one place below:

- **Month**: received from 00:00 WIB on the 1st up to (not including) 00:00 WIB on
  the 1st of the next month: the ``unit_month`` key (``storage.complaints.IndexKeys``).
- **Unit**: the unit that held the complaint at the month end: the unit recorded by
  its last SUBMIT or REROUTE entry before the end (the receiving unit, or the unit
  it was re-routed to). A complaint counts once, under that unit, never under the
  unit that passed it on within the month, and a re-route after the month end
  does not move it to another unit's recap. Complaints stored before timeline
  entries recorded units fall back to their current unit.
- **Delivered**: a follow-up result counts as delivered only if it was not rejected
  at validation before the month ended: the last result submitted before the month
  end that no follow-up rejection followed within the month. A result sent back
  (TL Ditolak) and not resubmitted by the month end is no result; a resubmitted
  one counts from its resubmission.
- **Within 3 days**: the delivered result at or before ``due_at``, the deadline the
  SLA policy set at intake (calendar or working days, ``domain/sla.py``); exactly at
  the deadline is on time (``sla.within_deadline``). The percentage is of the
  complaints that could be judged by the month end: not rejected at verification,
  and either with a delivered result or with their deadline within the month. One
  received on the 30th, due on the 2nd of next month and without a result yet is
  neither on time nor late, so it is left out of the denominator.
- **Late**: the delivered result after ``due_at`` (before the month ended).
- **Open at the end of the month**: not Selesai and not Ditolak at the month end.
  **Overdue**: open with the 3-day clock running (not awaiting validation) and past
  its deadline at the month end; how overdue is measured to the month end.
- **Agency**: the agency of the last disposition before the month end, unless a
  re-route followed it before the end (a re-route clears the agency). A disposition
  entry stored before entries recorded agencies falls back to the current agency.
- **Time to follow-up**: receipt to the delivered result, over the results delivered
  before the month ended; median (``statistics.median``) and the 90th percentile by
  the nearest-rank method (the smallest value with at least 90% of values at or below).
- **Satisfaction**: the reporter's rating (kept on the complaint, so the same reads
  find it) counts if it was given before the month end; its response rate is of the
  complaints that were Selesai (a result accepted) before the month end. A complaint
  reopened (its result no longer stands, as after a follow-up rejection) counts as
  reopened; one whose reporter said "tidak" and that no verifier had reopened or kept
  closed by the month end counts as disputed.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pendopo.domain.clock import WIB, require_aware, to_wib
from pendopo.domain.complaint import Channel, Complaint, Feedback, Resolved, TimelineEntry
from pendopo.domain.sla import within_deadline
from pendopo.domain.status import Action, Status
from pendopo.domain.taxonomy import Taxonomy

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
NO_AGENCY = "Belum didisposisikan"
P90 = 0.9


class InvalidMonth(ValueError):
    """Not a month in the form YYYY-MM."""


@dataclass(frozen=True, order=True, slots=True)
class RecapMonth:
    """A calendar month in WIB."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> RecapMonth:
        match = _MONTH_PATTERN.match(text.strip())
        if not match or not 2000 <= int(match.group(1)) <= 2999:
            raise InvalidMonth(f"Bulan harus berbentuk YYYY-MM, misalnya 2025-06: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def before(cls, moment: datetime) -> RecapMonth:
        """The calendar month before the WIB month of ``moment`` (the scheduled time)."""
        local = to_wib(moment)
        if local.month == 1:
            return cls(local.year - 1, 12)
        return cls(local.year, local.month - 1)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{MONTHS_ID[self.month - 1]} {self.year}"

    @property
    def start(self) -> datetime:
        """00:00 WIB on the 1st, in UTC."""
        return datetime(self.year, self.month, 1, tzinfo=WIB).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """00:00 WIB on the 1st of the next month, in UTC (exclusive)."""
        year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return datetime(year, month, 1, tzinfo=WIB).astimezone(UTC)

    def contains(self, moment: datetime) -> bool:
        return self.start <= require_aware(moment) < self.end

    def has_ended(self, now: datetime) -> bool:
        """Whether the month is over at ``now`` (00:00 WIB on the 1st of the next month)."""
        return require_aware(now) >= self.end


class MonthNotEnded(ValueError):
    """A recap asked for a month that has not ended (WIB): it would use up its emails."""

    def __init__(self, month: RecapMonth) -> None:
        self.month = month
        super().__init__(f"month {month.key} has not ended (it ends {month.end.isoformat()})")

    @property
    def message_id(self) -> str:
        """What a person reads (Bahasa Indonesia)."""
        return (
            f"Rekap {self.month.label} belum bisa dikirim: bulan itu belum berakhir. "
            "Rekap sebuah bulan dikirim setelah bulan itu selesai (otomatis tanggal 5 "
            "bulan berikutnya)."
        )


# --------------------------------------------------------- one complaint, at month end


@dataclass(frozen=True, slots=True)
class ComplaintAtMonthEnd:
    """One complaint as it stood at the end of the recap month."""

    complaint: Complaint
    status: Status  # at the month end
    delivered_at: datetime | None  # the standing follow-up result at the month end
    on_time: bool | None  # None when no result was delivered before the month end
    validation_rejections: int  # results sent back before the month end
    rejected_at_verification: bool
    rerouted: bool  # arrived at this unit by a re-route (before the month end)
    agency: str | None  # the agency, if dispositioned before the month end
    overdue_by: timedelta | None  # open with the clock running and past due at month end
    due_in_month: bool = False  # its deadline fell before the month end
    unit: str = ""  # the unit that held it at the month end ("" only if built by hand)
    finished: bool = False  # a result accepted (Selesai) before the month end: ratable
    feedback: Feedback | None = None  # the reporter's rating, if given before the month end
    disputed: bool = False  # rated "tidak", and no verifier answered before the month end
    reopened: bool = False  # reopened by a verifier before the month end

    @property
    def assessed(self) -> bool:
        """Whether it can be judged on time or late at the month end (the % denominator)."""
        if self.rejected_at_verification:
            return False
        return self.delivered_at is not None or self.due_in_month

    @property
    def is_open(self) -> bool:
        return not self.status.is_terminal

    @property
    def time_to_follow_up(self) -> timedelta | None:
        if self.delivered_at is None:
            return None
        return self.delivered_at - self.complaint.received_at


def at_month_end(complaint: Complaint, month: RecapMonth) -> ComplaintAtMonthEnd:
    return state_at(complaint, month.end)


def state_at(complaint: Complaint, end: datetime) -> ComplaintAtMonthEnd:
    """The complaint as it stood at ``end``: only what happened before it counts.

    The recap's snapshot (``at_month_end``) and the live figures' counters
    (``domain.stats``, with an end after every step) share it, rule by rule.
    """
    steps = [entry for entry in complaint.timeline if entry.at < end]
    status = steps[-1].status if steps else complaint.status
    delivered = _standing_result(steps)
    rated = complaint.feedback
    feedback = rated if rated is not None and rated.at < end else None
    overdue = None
    if status.clock_running and complaint.due_at < end:
        overdue = end - complaint.due_at
    return ComplaintAtMonthEnd(
        complaint=complaint,
        status=status,
        delivered_at=delivered,
        on_time=None if delivered is None else within_deadline(complaint.due_at, delivered),
        validation_rejections=sum(1 for s in steps if s.action is Action.REJECT_FOLLOW_UP),
        rejected_at_verification=any(s.action is Action.REJECT for s in steps),
        rerouted=any(s.action is Action.REROUTE for s in steps),
        agency=_agency_at(complaint, steps),
        overdue_by=overdue,
        due_in_month=complaint.due_at < end,
        unit=unit_at(complaint, steps),
        finished=any(s.action is Action.ACCEPT_FOLLOW_UP for s in steps),
        feedback=feedback,
        disputed=_disputed_at(feedback, steps),
        reopened=any(s.action is Action.REOPEN for s in steps),
    )


def _disputed_at(feedback: Feedback | None, steps: Sequence[TimelineEntry]) -> bool:
    """Rated "tidak" in ``steps``' time, and not yet reopened or kept closed after it."""
    if feedback is None or feedback.resolved is not Resolved.NO:
        return False
    answers = (Action.REOPEN, Action.KEEP_CLOSED)
    return not any(s.action in answers and s.at >= feedback.at for s in steps)


def unit_at(complaint: Complaint, steps: Sequence[TimelineEntry]) -> str:
    """The unit recorded by the last SUBMIT or REROUTE in ``steps`` (the steps before an end).

    Falls back to the complaint's current unit when no step records one (items
    stored before timeline entries recorded units).
    """
    for step in reversed(steps):
        if step.action in (Action.SUBMIT, Action.REROUTE) and step.unit:
            return step.unit
    return complaint.unit


def _standing_result(steps: Sequence[TimelineEntry]) -> datetime | None:
    """The last result submitted in ``steps`` that no rejection or reopening followed."""
    delivered = None
    for step in steps:
        if step.action is Action.SUBMIT_FOLLOW_UP:
            delivered = step.at
        elif step.action in (Action.REJECT_FOLLOW_UP, Action.REOPEN):
            delivered = None
    return delivered


def _agency_at(complaint: Complaint, steps: Sequence[TimelineEntry]) -> str | None:
    """The agency of the last disposition in ``steps``, unless a re-route followed it.

    A disposition entry records its agency; one stored before entries recorded
    agencies has none, and then the complaint's current agency stands in for it
    (the complaint keeps only the latest). None if not dispositioned by then.
    """
    last: TimelineEntry | None = None
    for step in steps:
        if step.action is Action.DISPOSITION:
            last = step
        elif step.action is Action.REROUTE:
            last = None  # the agency belonged to the old unit
    if last is None:
        return None
    return last.agency or complaint.agency or None


# ---------------------------------------------------------------------- the figures


@dataclass(frozen=True, slots=True)
class Count:
    """One row of a breakdown: code, Indonesian label, count."""

    code: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class OverdueBand:
    label: str
    count: int


@dataclass(frozen=True)
class Figures:
    """Everything the issue lists, for one unit or summed over several."""

    received: int
    by_category: tuple[Count, ...]
    by_channel: tuple[Count, ...]
    by_agency: tuple[Count, ...]
    by_status: tuple[Count, ...]  # status at the month end, every status listed
    on_time: int
    late: int
    needing_follow_up: int  # received minus rejected at verification
    assessed: int  # of those, with a delivered result or due within the month
    open_at_end: int
    overdue_at_end: int
    overdue_bands: tuple[OverdueBand, ...]
    max_overdue: timedelta | None
    median_to_follow_up: timedelta | None
    p90_to_follow_up: timedelta | None
    rejected_at_verification: int
    follow_ups_rejected: int  # results sent back (TL Ditolak), counted per rejection
    complaints_with_rejected_follow_up: int
    outside_hours: int
    rerouted_in: int
    open_list: tuple[ComplaintAtMonthEnd, ...] = field(default=())
    satisfaction: Satisfaction = field(default_factory=lambda: satisfaction_of(()))

    @property
    def on_time_percent(self) -> float | None:
        if not self.assessed:
            return None
        return 100.0 * self.on_time / self.assessed

    @property
    def delivered(self) -> int:
        return self.on_time + self.late


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """The reporters' ratings of one unit's (or several units') complaints."""

    finished: int  # Selesai before the month end: could be rated
    rated: int
    rating_total: int  # the sum of the ratings (1-5)
    satisfied: int  # rated 4 or 5
    resolved_yes: int
    resolved_partly: int
    resolved_no: int
    disputed: int  # "tidak", not yet reopened or kept closed at the month end
    reopened: int

    @property
    def average(self) -> float | None:
        return self.rating_total / self.rated if self.rated else None

    @property
    def response_percent(self) -> float | None:
        return 100.0 * self.rated / self.finished if self.finished else None

    @property
    def satisfied_percent(self) -> float | None:
        return 100.0 * self.satisfied / self.rated if self.rated else None


def satisfaction_of(states: Iterable[ComplaintAtMonthEnd]) -> Satisfaction:
    states = tuple(states)
    ratings = [s.feedback for s in states if s.feedback is not None]
    answers = Counter(f.resolved for f in ratings)
    return Satisfaction(
        finished=sum(1 for s in states if s.finished),
        rated=len(ratings),
        rating_total=sum(f.rating for f in ratings),
        satisfied=sum(1 for f in ratings if f.rating >= SATISFIED_FROM),
        resolved_yes=answers[Resolved.YES],
        resolved_partly=answers[Resolved.PARTLY],
        resolved_no=answers[Resolved.NO],
        disputed=sum(1 for s in states if s.disputed),
        reopened=sum(1 for s in states if s.reopened),
    )


SATISFIED_FROM = 4  # a rating of 4 or 5 counts as satisfied


def nearest_rank(values: Sequence[timedelta], fraction: float) -> timedelta | None:
    """The nearest-rank percentile: the ceil(fraction * n)-th smallest value."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[timedelta]) -> timedelta | None:
    if not values:
        return None
    seconds = statistics.median(v.total_seconds() for v in values)
    return timedelta(seconds=seconds)


OVERDUE_BANDS = (
    ("sampai 1 hari", timedelta(days=1)),
    ("lebih dari 1 s.d. 3 hari", timedelta(days=3)),
    ("lebih dari 3 hari", None),
)


def _bands(overdue: Iterable[timedelta]) -> tuple[OverdueBand, ...]:
    counts = [0] * len(OVERDUE_BANDS)
    for delay in overdue:
        for index, (_, limit) in enumerate(OVERDUE_BANDS):
            if limit is None or delay <= limit:
                counts[index] += 1
                break
    return tuple(OverdueBand(label, n) for (label, _), n in zip(OVERDUE_BANDS, counts, strict=True))


def _counts(codes: Iterable[str], labels: dict[str, str]) -> tuple[Count, ...]:
    counter = Counter(codes)
    rows = [Count(code, labels.get(code, code), n) for code, n in counter.items()]
    return tuple(sorted(rows, key=lambda row: (-row.count, row.label)))


def compute_figures(states: Sequence[ComplaintAtMonthEnd], taxonomy: Taxonomy) -> Figures:
    """The figures of a set of complaints already placed at the month end."""
    category_labels = {code: c.label for code, c in taxonomy.categories.items()}
    agency_labels = {code: a.name for code, a in taxonomy.agencies.items()}
    agency_labels[""] = NO_AGENCY
    channel_labels = {c.value: c.label for c in Channel}
    status_counter = Counter(s.status for s in states)
    delivered = [s for s in states if s.on_time is not None]
    durations = [s.time_to_follow_up for s in delivered if s.time_to_follow_up is not None]
    overdue = [s.overdue_by for s in states if s.overdue_by is not None]
    rejected = sum(1 for s in states if s.rejected_at_verification)
    open_list = sorted(
        (s for s in states if s.is_open),
        key=lambda s: (s.complaint.due_at, s.complaint.ticket),
    )
    return Figures(
        received=len(states),
        by_category=_counts((s.complaint.category for s in states), category_labels),
        by_channel=_counts((s.complaint.channel.value for s in states), channel_labels),
        by_agency=_counts((s.agency or "" for s in states), agency_labels),
        by_status=tuple(Count(st.value, st.label, status_counter.get(st, 0)) for st in Status),
        on_time=sum(1 for s in delivered if s.on_time),
        late=sum(1 for s in delivered if not s.on_time),
        needing_follow_up=len(states) - rejected,
        assessed=sum(1 for s in states if s.assessed),
        open_at_end=len(open_list),
        overdue_at_end=len(overdue),
        overdue_bands=_bands(overdue),
        max_overdue=max(overdue) if overdue else None,
        median_to_follow_up=median(durations),
        p90_to_follow_up=nearest_rank(durations, P90),
        rejected_at_verification=rejected,
        follow_ups_rejected=sum(s.validation_rejections for s in states),
        complaints_with_rejected_follow_up=sum(1 for s in states if s.validation_rejections),
        outside_hours=sum(1 for s in states if s.complaint.outside_hours),
        rerouted_in=sum(1 for s in states if s.rerouted),
        open_list=tuple(open_list),
        satisfaction=satisfaction_of(states),
    )


# ------------------------------------------------------------------ the whole recap


@dataclass(frozen=True)
class UnitRecap:
    unit: str
    unit_name: str
    asisten: str
    figures: Figures
    complaints: tuple[ComplaintAtMonthEnd, ...]  # in order of receipt


@dataclass(frozen=True)
class AsistenRecap:
    code: str
    name: str
    units: tuple[UnitRecap, ...]
    figures: Figures


@dataclass(frozen=True)
class MonthRecap:
    month: RecapMonth
    units: tuple[UnitRecap, ...]  # in the taxonomy's order
    asisten: tuple[AsistenRecap, ...]
    figures: Figures  # every unit together

    @property
    def complaints(self) -> tuple[ComplaintAtMonthEnd, ...]:
        return tuple(state for unit in self.units for state in unit.complaints)


def recap_unit(
    unit: str, complaints: Iterable[Complaint], month: RecapMonth, taxonomy: Taxonomy
) -> UnitRecap:
    """One unit's recap. Complaints received outside the month are refused, not dropped."""
    return _unit_recap(unit, [_placed(complaint, month) for complaint in complaints], taxonomy)


def _placed(complaint: Complaint, month: RecapMonth) -> ComplaintAtMonthEnd:
    if not month.contains(complaint.received_at):
        raise ValueError(f"{complaint.ticket} was not received in {month.key}")
    return at_month_end(complaint, month)


def _unit_recap(unit: str, states: list[ComplaintAtMonthEnd], taxonomy: Taxonomy) -> UnitRecap:
    states.sort(key=lambda s: (s.complaint.received_at, s.complaint.ticket))
    info = taxonomy.units[unit]
    return UnitRecap(
        unit=unit,
        unit_name=info.name,
        asisten=info.asisten,
        figures=compute_figures(states, taxonomy),
        complaints=tuple(states),
    )


def recap_month(
    month: RecapMonth, by_unit: dict[str, list[Complaint]], taxonomy: Taxonomy
) -> MonthRecap:
    """Every unit's recap (units without complaints included), per Asisten and in total.

    ``by_unit`` is what was read, per ``unit_month`` partition; each complaint is
    counted under the unit that held it at the month end (``unit_at``), which can
    differ from its partition when it was re-routed after the month ended. A
    month-end unit the taxonomy does not know keeps the partition's unit.
    """
    placed: dict[str, list[ComplaintAtMonthEnd]] = {code: [] for code in taxonomy.units}
    for read_from in taxonomy.units:
        for complaint in by_unit.get(read_from, []):
            state = _placed(complaint, month)
            placed[state.unit if state.unit in placed else read_from].append(state)
    units = tuple(_unit_recap(code, placed[code], taxonomy) for code in taxonomy.units)
    asisten = tuple(
        AsistenRecap(
            code=code,
            name=info.name,
            units=tuple(u for u in units if u.asisten == code),
            figures=compute_figures(
                [s for u in units if u.asisten == code for s in u.complaints], taxonomy
            ),
        )
        for code, info in taxonomy.asisten.items()
    )
    everything = [s for u in units for s in u.complaints]
    return MonthRecap(
        month=month,
        units=units,
        asisten=asisten,
        figures=compute_figures(everything, taxonomy),
    )

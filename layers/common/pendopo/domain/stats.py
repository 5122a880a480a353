"""Live figures (issue #19): what each complaint adds to the counters, and the figures.

**Counters are sums of per-complaint contributions.** Each complaint contributes a
small vector of counts (``contribution``) to a few counter items of the unit that
holds it, all derived by the monthly recap's own rules (``domain.recap.state_at``):

- its **received day** (``YYYY-MM-DD``, WIB): the day cohort, as the complaint stands
  now (every step counted): received, channel, category, open, the deadline of an
  open complaint whose clock runs (``due:<deadline>``), delivered, on time, the time
  to the follow-up (``dur:<milliseconds>``), rejected at verification, results sent
  back, ratings;
- its **received month** (``YYYY-MM``): the month cohort, as the complaint stood at
  the month end (``recap.at_month_end``), under the unit that held it then, which is
  exactly what the recap counts for the month;
- the trend: the day it was completed (``done``) and the day of its deadline
  (``late`` if the standing result came after it, ``pend:<deadline>`` if no result
  stands yet).

The aggregator keeps, per complaint, the contribution it last added (the ledger) and
adds the difference between the new and the old contribution when the complaint
changes. So the counters always equal the sum of every complaint's contribution
computed from its current state: the same figures the recap computes from the same
complaints, with no per-event rule to get out of step with the recap's.

**Nothing here depends on the time of reading** except through the keys: what is
overdue is decided when the figures are read (``due:`` keys before the cut-off),
so a counter never needs a write just because time passed.

Keys are plain strings (``n``, ``ch:web``, ``due:2026-12-05T03:00:00.000Z``); values
integer counts. Durations are kept to the millisecond (the stored times'
precision), so the median and the 90th percentile are exact.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus
from typing import Any

from pendopo.domain.clock import to_utc_iso, to_wib
from pendopo.domain.complaint import Channel, Complaint
from pendopo.domain.errors import PendopoError
from pendopo.domain.recap import (
    OVERDUE_BANDS,
    P90,
    SATISFIED_FROM,
    ComplaintAtMonthEnd,
    RecapMonth,
    at_month_end,
    state_at,
)
from pendopo.domain.status import Action, Status
from pendopo.domain.taxonomy import Taxonomy

# After every step a complaint can have: the "now" state of a day cohort.
FOREVER = datetime(9999, 1, 1, tzinfo=UTC)
TREND_DAYS = 90
TOP_CATEGORIES = 5

# "<unit>|<sort key>" -> key -> count
Parts = dict[str, dict[str, int]]


def day_key(moment: datetime) -> str:
    return to_wib(moment).strftime("%Y-%m-%d")


def month_key(moment: datetime) -> str:
    return to_wib(moment).strftime("%Y-%m")


def target(unit: str, sort_key: str) -> str:
    return f"{unit}|{sort_key}"


def split_target(key: str) -> tuple[str, str]:
    unit, _, sort_key = key.partition("|")
    return unit, sort_key


# ------------------------------------------------------------------ contributions


def cohort_counts(state: ComplaintAtMonthEnd) -> dict[str, int]:
    """One complaint's counts in a cohort item, from its state at the cohort's end."""
    complaint = state.complaint
    due = to_utc_iso(complaint.due_at)
    counts: dict[str, int] = {
        "n": 1,
        f"ch:{complaint.channel.value}": 1,
        f"cat:{complaint.category}": 1,
    }
    if state.is_open:
        counts["open"] = 1
    if state.status.clock_running:
        counts[f"due:{due}"] = 1  # overdue once the cut-off is past it
    if state.rejected_at_verification:
        counts["rej"] = 1
    if state.validation_rejections:
        counts["ret"] = state.validation_rejections
    took = state.time_to_follow_up
    if took is not None:
        counts["dlv"] = 1
        if state.on_time:
            counts["ontime"] = 1
        counts[f"dur:{_milliseconds(took)}"] = 1
        if not state.rejected_at_verification:
            counts["asd"] = 1  # assessed: a result delivered
    elif not state.rejected_at_verification:
        counts[f"und:{due}"] = 1  # assessed once the cut-off is past its deadline
    if state.finished:
        counts["fin"] = 1
    if state.feedback is not None:
        counts["rated"] = 1
        counts["rsum"] = state.feedback.rating
        if state.feedback.rating >= SATISFIED_FROM:
            counts["sat"] = 1
    if state.disputed:
        counts["disp"] = 1
    if state.reopened:
        counts["reop"] = 1
    return counts


def contribution(complaint: Complaint, units: Collection[str]) -> Parts:
    """Everything one complaint adds to the counters, as it stands now."""
    parts: Parts = {}
    now = state_at(complaint, FOREVER)
    unit = now.unit if now.unit in units else complaint.unit
    _add(parts, target(unit, day_key(complaint.received_at)), cohort_counts(now))
    if now.status is Status.DONE:
        accepted = [s.at for s in complaint.timeline if s.action is Action.ACCEPT_FOLLOW_UP]
        if accepted:
            _add(parts, target(unit, day_key(accepted[-1])), {"done": 1})
    if not now.rejected_at_verification:
        deadline_day = target(unit, day_key(complaint.due_at))
        if now.delivered_at is None:
            _add(parts, deadline_day, {f"pend:{to_utc_iso(complaint.due_at)}": 1})
        elif not now.on_time:
            _add(parts, deadline_day, {"late": 1})
    month = RecapMonth.parse(month_key(complaint.received_at))
    at_end = at_month_end(complaint, month)
    # As recap_month places it: a month-end unit the taxonomy does not know keeps
    # the complaint's own unit (its unit_month partition).
    held = at_end.unit if at_end.unit in units else complaint.unit
    _add(parts, target(held, month.key), cohort_counts(at_end))
    return parts


def _add(parts: Parts, key: str, counts: Mapping[str, int]) -> None:
    into = parts.setdefault(key, {})
    for name, n in counts.items():
        into[name] = into.get(name, 0) + n


def difference(new: Parts, old: Parts) -> Parts:
    """What to add to the counters to replace ``old`` by ``new`` (no zero entries)."""
    delta: Parts = {}
    for key in sorted(set(new) | set(old)):
        names = set(new.get(key, {})) | set(old.get(key, {}))
        changes = {
            name: new.get(key, {}).get(name, 0) - old.get(key, {}).get(name, 0)
            for name in sorted(names)
        }
        changes = {name: n for name, n in changes.items() if n}
        if changes:
            delta[key] = changes
    return delta


def _milliseconds(span: timedelta) -> int:
    return span.days * 86_400_000 + span.seconds * 1000 + span.microseconds // 1000


# ------------------------------------------------------------------------ periods


class InvalidPeriod(PendopoError):
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    message = (
        "Periode tidak dikenal. Gunakan today, 7d, 30d, atau bulan berbentuk YYYY-MM "
        "(misalnya 2026-11)."
    )

    def details(self) -> dict[str, Any]:
        return {"errors": [{"field": "period", "message": self.message}]}


class FuturePeriod(PendopoError):
    status = HTTPStatus.UNPROCESSABLE_ENTITY

    def __init__(self, month: RecapMonth) -> None:
        self.message = f"Bulan {month.label} belum dimulai: belum ada angka untuk periode itu."
        super().__init__(month.key)

    def details(self) -> dict[str, Any]:
        return {"errors": [{"field": "period", "message": self.message}]}


_ROLLING = {"today": (1, "Hari ini"), "7d": (7, "7 hari terakhir"), "30d": (30, "30 hari terakhir")}
_MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Period:
    code: str
    label: str
    first: date  # WIB days, inclusive
    last: date
    month: RecapMonth | None  # a calendar month: its month item
    complete: bool  # a finished month: figures at its end

    def cutoff(self, now: datetime) -> datetime:
        """What "now" is for open and overdue: the month end of a finished month."""
        return self.month.end if self.complete and self.month is not None else now

    def days(self) -> list[str]:
        span = (self.last - self.first).days
        return [(self.first + timedelta(days=i)).isoformat() for i in range(span + 1)]

    def trend_days(self) -> list[str]:
        return [(self.last - timedelta(days=i)).isoformat() for i in range(TREND_DAYS - 1, -1, -1)]

    def key_range(self) -> tuple[str, str]:
        """The sort keys one Query per unit reads: the trend's days up to the period's
        last day, which takes in the period's days and its month item (``YYYY-MM``
        sorts just before ``YYYY-MM-01``, after the days of the month before)."""
        return self.trend_days()[0], self.last.isoformat()


def parse_period(text: str | None, now: datetime) -> Period:
    today = to_wib(now).date()
    code = (text or "30d").strip()
    if code in _ROLLING:
        days, label = _ROLLING[code]
        return Period(code, label, today - timedelta(days=days - 1), today, None, False)
    if not _MONTH.match(code):
        raise InvalidPeriod(code)
    try:
        month = RecapMonth.parse(code)
    except ValueError as error:
        raise InvalidPeriod(code) from error
    if to_wib(month.start).date() > today:
        raise FuturePeriod(month)
    complete = month.has_ended(now)
    last = to_wib(month.end).date() - timedelta(days=1) if complete else today
    first = to_wib(month.start).date()
    return Period(month.key, month.label, first, last, month, complete)


# ------------------------------------------------------------------------ figures


def tally(items: Iterable[Mapping[str, int]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for item in items:
        total.update(item)
    return total


def _keyed(counts: Mapping[str, int], prefix: str) -> Iterable[tuple[str, int]]:
    for name, n in counts.items():
        if n and name.startswith(prefix):
            yield name[len(prefix) :], n


def _hours(milliseconds: float | None) -> float | None:
    return None if milliseconds is None else round(milliseconds / 3_600_000, 2)


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _median_and_p90(durations: Mapping[int, int]) -> tuple[float | None, float | None]:
    ordered = sorted((d, n) for d, n in durations.items() if n > 0)
    total = sum(n for _, n in ordered)
    if not total:
        return None, None

    def nth(rank: int) -> int:  # 1-based
        seen = 0
        for value, n in ordered:
            seen += n
            if seen >= rank:
                return value
        raise AssertionError("rank beyond the values")

    if total % 2:
        middle: float = nth(total // 2 + 1)
    else:
        middle = (nth(total // 2) + nth(total // 2 + 1)) / 2
    return middle, float(nth(max(1, math.ceil(P90 * total))))


def figures(counts: Mapping[str, int], cutoff: datetime, taxonomy: Taxonomy) -> dict[str, Any]:
    """The figures of summed counters; open and overdue as of ``cutoff``."""
    at = to_utc_iso(cutoff)
    overdue_ages = [
        (cutoff - datetime.fromisoformat(due.replace("Z", "+00:00")), n)
        for due, n in _keyed(counts, "due:")
        if due < at
    ]
    bands = [0] * len(OVERDUE_BANDS)
    for age, n in overdue_ages:
        for index, (_, limit) in enumerate(OVERDUE_BANDS):
            if limit is None or age <= limit:
                bands[index] += n
                break
    durations = {int(d): n for d, n in _keyed(counts, "dur:")}
    middle, p90 = _median_and_p90(durations)
    assessed = counts.get("asd", 0) + sum(n for due, n in _keyed(counts, "und:") if due < at)
    on_time = counts.get("ontime", 0)
    rated = counts.get("rated", 0)
    categories = sorted(
        ((n, _category_label(taxonomy, c), c) for c, n in _keyed(counts, "cat:")),
        key=lambda row: (-row[0], row[1]),
    )
    top = [{"code": c, "label": label, "count": n} for n, label, c in categories[:TOP_CATEGORIES]]
    return {
        "received": counts.get("n", 0),
        "by_channel": [
            {"code": c.value, "label": c.label, "count": counts.get(f"ch:{c.value}", 0)}
            for c in Channel
        ],
        "top_categories": top,
        "open": counts.get("open", 0),
        "overdue": sum(n for _, n in overdue_ages),
        "overdue_bands": [
            {"label": label, "count": n} for (label, _), n in zip(OVERDUE_BANDS, bands, strict=True)
        ],
        "max_overdue_hours": round(max(age for age, _ in overdue_ages).total_seconds() / 3600, 2)
        if overdue_ages
        else None,
        "follow_ups_delivered": counts.get("dlv", 0),
        "within_3_days": on_time,
        "within_3_days_pct": _percent(on_time, assessed),
        "assessed": assessed,
        "median_hours_to_follow_up": _hours(middle),
        "p90_hours_to_follow_up": _hours(p90),
        "rejected_at_verification": counts.get("rej", 0),
        "follow_ups_returned": counts.get("ret", 0),
        "satisfaction": {
            "rated": rated,
            "average": round(counts.get("rsum", 0) / rated, 2) if rated else None,
            "satisfied_pct": _percent(counts.get("sat", 0), rated),
            "disputed": counts.get("disp", 0),
            "reopened": counts.get("reop", 0),
            "finished": counts.get("fin", 0),
        },
    }


def _category_label(taxonomy: Taxonomy, code: str) -> str:
    category = taxonomy.category(code)
    return category.label if category is not None else code


def period_counts(items: Mapping[str, Mapping[str, int]], period: Period) -> Counter[str]:
    """One unit's counters of a period from its items by sort key (days and months)."""
    if period.month is not None:
        return tally([items.get(period.month.key, {})])
    return tally(items.get(day, {}) for day in period.days())


def trend(
    by_unit: Iterable[Mapping[str, Mapping[str, int]]], period: Period, now: datetime
) -> list[dict[str, Any]]:
    """The daily trend over the 90 days up to the period's last day, oldest first."""
    at = to_utc_iso(now)
    days = period.trend_days()
    rows: dict[str, Counter[str]] = {day: Counter() for day in days}
    for items in by_unit:
        for day in days:
            counts = items.get(day)
            if not counts:
                continue
            row = rows[day]
            row["received"] += counts.get("n", 0)
            row["completed"] += counts.get("done", 0)
            row["overdue"] += counts.get("late", 0) + sum(
                n for due, n in _keyed(counts, "pend:") if due < at
            )
    return [
        {
            "date": day,
            "received": rows[day]["received"],
            "completed": rows[day]["completed"],
            "overdue": rows[day]["overdue"],
        }
        for day in days
    ]


def dashboard(
    items_by_unit: Mapping[str, Mapping[str, Mapping[str, int]]],
    period: Period,
    now: datetime,
    taxonomy: Taxonomy,
) -> dict[str, Any]:
    """The whole answer for the units read (``items_by_unit``: unit -> sort key -> counts)."""
    cutoff = period.cutoff(now)
    per_unit = {unit: period_counts(items, period) for unit, items in items_by_unit.items()}
    units = [code for code in taxonomy.units if code in per_unit]
    asisten = [
        code for code in taxonomy.asisten if any(taxonomy.units[u].asisten == code for u in units)
    ]
    return {
        "period": {
            "code": period.code,
            "label": period.label,
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
            "complete": period.complete,
        },
        "generated_at": to_wib(now).isoformat(timespec="seconds"),
        "total": figures(tally(per_unit.values()), cutoff, taxonomy),
        "asisten": [
            {
                "code": code,
                "name": taxonomy.asisten[code].name,
                "figures": figures(
                    tally(per_unit[u] for u in units if taxonomy.units[u].asisten == code),
                    cutoff,
                    taxonomy,
                ),
            }
            for code in asisten
        ],
        "units": [
            {
                "code": code,
                "name": taxonomy.units[code].name,
                "asisten": taxonomy.units[code].asisten,
                "figures": figures(per_unit[code], cutoff, taxonomy),
            }
            for code in units
        ],
        "trend": trend((items_by_unit[u] for u in units), period, now),
    }

"""The live figures' pure math (domain.stats): contributions, differences, periods, figures.

The property everything rests on: applying, version after version, the difference
between a complaint's new and old contribution leaves the counters equal to its last
contribution, whatever the path; and the figures of summed contributions equal the
recap's figures of the same complaints.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from pendopo.domain.clock import WIB
from pendopo.domain.complaint import Channel, Complaint, Reporter, TimelineEntry
from pendopo.domain.recap import RecapMonth, recap_month
from pendopo.domain.stats import (
    FuturePeriod,
    InvalidPeriod,
    contribution,
    day_key,
    difference,
    figures,
    parse_period,
    tally,
)
from pendopo.domain.status import Action, Status
from pendopo.domain.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
UNITS = tuple(TAXONOMY.units)
JUNE = RecapMonth(2025, 6)


def complaint(
    ticket: str, received: datetime, *steps: tuple[datetime, Action, Status, str | None]
) -> Complaint:
    timeline = (
        TimelineEntry(at=received, action=Action.SUBMIT, status=Status.WAITING, unit="BIRO_PLH"),
        *(
            TimelineEntry(at=at, action=action, status=status, unit=unit)
            for at, action, status, unit in steps
        ),
    )
    units = [s.unit for s in timeline if s.unit]
    return Complaint.model_validate(
        {
            "ticket": ticket,
            "tracking_hash": "x",
            "channel": Channel.WEB,
            "category": "ROAD",
            "unit": units[-1],
            "title": "Jalan rusak",
            "description": "Jalan rusak di depan sekolah, berbahaya.",
            "reporter": Reporter(name="Siti", phone="+6281234567890"),
            "location": None,
            "received_at": received,
            "due_at": received + timedelta(days=3),
            "status": timeline[-1].status,
            "version": len(timeline),
            "outside_hours": False,
            "timeline": timeline,
        }
    )


def wib(day: int, hour: int = 8, month: int = 6) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=WIB)


def truncated(c: Complaint, steps: int) -> Complaint:
    """The complaint as it stood after its first ``steps`` timeline entries."""
    timeline = c.timeline[:steps]
    units = [s.unit for s in timeline if s.unit]
    return c.model_copy(
        update={
            "timeline": timeline,
            "status": timeline[-1].status,
            "version": steps,
            "unit": units[-1],
        }
    )


def apply(counters: dict[str, Counter[str]], delta: dict[str, dict[str, int]]) -> None:
    for key, counts in delta.items():
        counters.setdefault(key, Counter()).update(counts)


LATE_AND_REROUTED = complaint(
    "2506-0000-0001",
    wib(10),
    (wib(10, 9), Action.REROUTE, Status.WAITING, "BIRO_PK"),
    (wib(10, 10), Action.VERIFY, Status.COORDINATION, None),
    (wib(14, 9), Action.SUBMIT_FOLLOW_UP, Status.AWAITING_VALIDATION, None),
    (wib(14, 10), Action.REJECT_FOLLOW_UP, Status.FOLLOW_UP_REJECTED, None),
    (wib(15, 9), Action.SUBMIT_FOLLOW_UP, Status.AWAITING_VALIDATION, None),
    (wib(15, 10), Action.ACCEPT_FOLLOW_UP, Status.DONE, None),
    (wib(2, 9, month=7), Action.REROUTE, Status.WAITING, "BIRO_PEM"),
)


def test_the_differences_version_after_version_add_up_to_the_last_contribution() -> None:
    counters: dict[str, Counter[str]] = {}
    previous: dict[str, dict[str, int]] = {}
    for steps in range(1, len(LATE_AND_REROUTED.timeline) + 1):
        now = contribution(truncated(LATE_AND_REROUTED, steps), UNITS)
        apply(counters, difference(now, previous))
        previous = now
    final = {k: Counter({n: v for n, v in c.items() if v}) for k, c in counters.items()}
    assert {k: c for k, c in final.items() if c} == {
        k: Counter(v) for k, v in contribution(LATE_AND_REROUTED, UNITS).items()
    }


def test_the_month_is_counted_at_the_unit_held_at_its_end_and_the_day_where_it_is_now() -> None:
    parts = contribution(LATE_AND_REROUTED, UNITS)
    # June's month cohort: Biro PK held it on 30 June (the re-route to PEM came 2 July)
    assert parts["BIRO_PK|2025-06"]["n"] == 1
    assert "BIRO_PEM|2025-06" not in parts
    # The received day's cohort is where it is now; the re-route reopened it (Waiting)
    day = parts[f"BIRO_PEM|{day_key(wib(10))}"]
    assert day["n"] == 1 and day["open"] == 1
    # In June it was delivered late (the resubmission of the 15th) and returned once
    june = parts["BIRO_PK|2025-06"]
    assert june["dlv"] == 1 and "ontime" not in june and june["ret"] == 1
    assert june["fin"] == 1 and "open" not in june


def test_a_duplicate_application_is_a_zero_difference() -> None:
    parts = contribution(LATE_AND_REROUTED, UNITS)
    assert difference(parts, parts) == {}


@pytest.mark.parametrize("seed", range(5))
def test_month_figures_from_counters_equal_the_recaps_figures(seed: int) -> None:
    rng = random.Random(seed)
    complaints = []
    for i in range(25):
        received = wib(rng.randint(1, 30), rng.randint(0, 23))
        steps: list[tuple[datetime, Action, Status, str | None]] = []
        at = received
        for action, status in [
            (Action.VERIFY, Status.COORDINATION),
            (Action.SUBMIT_FOLLOW_UP, Status.AWAITING_VALIDATION),
            (Action.REJECT_FOLLOW_UP, Status.FOLLOW_UP_REJECTED),
            (Action.SUBMIT_FOLLOW_UP, Status.AWAITING_VALIDATION),
            (Action.ACCEPT_FOLLOW_UP, Status.DONE),
        ][: rng.randint(0, 5)]:
            at = at + timedelta(minutes=rng.randint(30, 6000))
            steps.append((at, action, status, None))
        complaints.append(complaint(f"2506-0000-{i:04d}", received, *steps))
    counters = tally(
        c
        for complaint_ in complaints
        for key, c in contribution(complaint_, UNITS).items()
        if key == "BIRO_PLH|2025-06"
    )
    shown = figures(counters, JUNE.end, TAXONOMY)
    expected = recap_month(JUNE, {"BIRO_PLH": complaints}, TAXONOMY).figures
    assert shown["received"] == expected.received
    assert shown["open"] == expected.open_at_end
    assert shown["overdue"] == expected.overdue_at_end
    assert [b["count"] for b in shown["overdue_bands"]] == [b.count for b in expected.overdue_bands]
    assert shown["within_3_days"] == expected.on_time
    assert shown["follow_ups_delivered"] == expected.delivered
    assert shown["assessed"] == expected.assessed
    assert shown["follow_ups_returned"] == expected.follow_ups_rejected

    def hours(span: timedelta | None) -> float | None:
        return None if span is None else round(span.total_seconds() / 3600, 2)

    assert shown["median_hours_to_follow_up"] == hours(expected.median_to_follow_up)
    assert shown["p90_hours_to_follow_up"] == hours(expected.p90_to_follow_up)
    assert shown["max_overdue_hours"] == hours(expected.max_overdue)


def test_median_and_p90_of_an_even_count_by_nearest_rank() -> None:
    # 10 results of 1..10 hours: median 5.5 h, p90 = the 9th value (ceil(0.9 * 10))
    counts = Counter({f"dur:{h * 3_600_000}": 1 for h in range(1, 11)})
    shown = figures(counts, datetime(2025, 7, 1, tzinfo=UTC), TAXONOMY)
    assert shown["median_hours_to_follow_up"] == 5.5
    assert shown["p90_hours_to_follow_up"] == 9.0
    # Repeated values count as many times as they were delivered
    counts = Counter({"dur:3600000": 3, "dur:36000000": 1})
    shown = figures(counts, datetime(2025, 7, 1, tzinfo=UTC), TAXONOMY)
    assert (shown["median_hours_to_follow_up"], shown["p90_hours_to_follow_up"]) == (1.0, 10.0)


def test_overdue_is_decided_at_reading_exactly_at_the_deadline_is_not_overdue() -> None:
    due = "2025-06-10T01:00:00.000Z"
    counts = Counter({f"due:{due}": 2, "open": 2})
    at_due = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)
    assert figures(counts, at_due, TAXONOMY)["overdue"] == 0
    later = figures(counts, at_due + timedelta(days=2, minutes=1), TAXONOMY)
    assert later["overdue"] == 2
    assert [b["count"] for b in later["overdue_bands"]] == [0, 2, 0]
    assert later["max_overdue_hours"] == 48.02


def test_periods_in_wib_days() -> None:
    # 5 December 2026, 06:30 WIB (4 December 23:30 UTC)
    now = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    thirty = parse_period("30d", now)
    assert (thirty.first.isoformat(), thirty.last.isoformat()) == ("2026-11-06", "2026-12-05")
    assert parse_period(None, now).code == "30d"
    today = parse_period("today", now)
    assert today.first == today.last and today.last.isoformat() == "2026-12-05"
    running = parse_period("2026-12", now)
    assert running.complete is False and running.last.isoformat() == "2026-12-05"
    assert running.cutoff(now) == now
    done = parse_period("2026-11", now)
    assert done.complete is True and done.last.isoformat() == "2026-11-30"
    assert done.cutoff(now) == RecapMonth(2026, 11).end
    # One Query's range takes in the trend's 90 days and the month item
    first, last = done.key_range()
    assert first < "2026-11" < "2026-11-01" <= last == "2026-11-30"
    assert len(done.trend_days()) == 90


@pytest.mark.parametrize("text", ["kemarin", "2026-13", "2026-1", "90d", "2026-12-01", "1999-12"])
def test_an_unknown_period_is_refused(text: str) -> None:
    with pytest.raises(InvalidPeriod):
        parse_period(text, datetime(2026, 12, 5, tzinfo=UTC))


def test_a_month_not_begun_is_refused() -> None:
    with pytest.raises(FuturePeriod) as raised:
        parse_period("2027-01", datetime(2026, 12, 5, tzinfo=UTC))
    assert "Januari 2027 belum dimulai" in raised.value.message

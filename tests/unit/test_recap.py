"""The recap's pure rules: month edges in WIB, the month-end snapshot, percentiles, masking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pendopo.domain.clock import WIB
from pendopo.domain.complaint import Channel, Complaint, Reporter, TimelineEntry
from pendopo.domain.recap import (
    InvalidMonth,
    RecapMonth,
    at_month_end,
    nearest_rank,
    recap_month,
    recap_unit,
)
from pendopo.domain.status import Action, Status
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.reports.rows import describe_duration, mask_phone

JUNE = RecapMonth(2025, 6)


def complaint(
    received: datetime, *steps: tuple[datetime, Action, Status], **extra: object
) -> Complaint:
    timeline = (
        TimelineEntry(at=received, action=Action.SUBMIT, status=Status.WAITING),
        *(TimelineEntry(at=at, action=action, status=status) for at, action, status in steps),
    )
    fields: dict[str, object] = {
        "ticket": "2506-0000-0001",
        "tracking_hash": "x",
        "channel": Channel.WEB,
        "category": "ROAD",
        "unit": "BIRO_PLH",
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
    fields.update(extra)
    return Complaint.model_validate(fields)


def test_a_month_runs_from_midnight_wib_to_midnight_wib() -> None:
    assert JUNE.start == datetime(2025, 5, 31, 17, 0, tzinfo=UTC)
    assert JUNE.end == datetime(2025, 6, 30, 17, 0, tzinfo=UTC)
    assert JUNE.contains(datetime(2025, 6, 1, 0, 0, tzinfo=WIB))
    assert JUNE.contains(datetime(2025, 6, 30, 23, 59, 59, tzinfo=WIB))
    assert not JUNE.contains(datetime(2025, 7, 1, 0, 0, tzinfo=WIB))
    assert not JUNE.contains(datetime(2025, 5, 31, 23, 59, 59, tzinfo=WIB))
    assert RecapMonth(2025, 12).end == datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    assert JUNE.label == "Juni 2025" and JUNE.key == "2025-06"


def test_the_month_before_a_scheduled_time_is_taken_in_wib() -> None:
    assert RecapMonth.before(datetime(2025, 7, 5, 7, 0, tzinfo=WIB)) == JUNE
    assert RecapMonth.before(datetime(2026, 1, 5, 7, 0, tzinfo=WIB)) == RecapMonth(2025, 12)
    # 30 June 17:00 UTC is 1 July 00:00 WIB: the month before is June.
    assert RecapMonth.before(datetime(2025, 6, 30, 17, 0, tzinfo=UTC)) == JUNE


@pytest.mark.parametrize("text", ["2025-13", "2025-6", "25-06", "juni", "1999-01", ""])
def test_a_bad_month_is_refused_in_indonesian(text: str) -> None:
    with pytest.raises(InvalidMonth, match="YYYY-MM"):
        RecapMonth.parse(text)


def test_the_snapshot_ignores_what_happened_after_the_month() -> None:
    received = datetime(2025, 6, 30, 20, 0, tzinfo=WIB)
    after = datetime(2025, 7, 1, 9, 0, tzinfo=WIB)
    c = complaint(
        received,
        (after, Action.VERIFY, Status.COORDINATION),
        first_follow_up_at=after,
    )
    state = at_month_end(c, JUNE)
    assert state.status is Status.WAITING
    assert state.delivered_at is None and state.on_time is None
    assert state.overdue_by is None  # due 3 July


def result_at(at: datetime) -> tuple[datetime, Action, Status]:
    return (at, Action.SUBMIT_FOLLOW_UP, Status.AWAITING_VALIDATION)


def sent_back_at(at: datetime) -> tuple[datetime, Action, Status]:
    return (at, Action.REJECT_FOLLOW_UP, Status.FOLLOW_UP_REJECTED)


def test_exactly_at_the_deadline_is_on_time_and_a_minute_later_is_late() -> None:
    received = datetime(2025, 6, 2, 10, 0, tzinfo=WIB)
    due = received + timedelta(days=3)
    exact = at_month_end(complaint(received, result_at(due), first_follow_up_at=due), JUNE)
    a_minute = due + timedelta(minutes=1)
    late = at_month_end(complaint(received, result_at(a_minute), first_follow_up_at=a_minute), JUNE)
    assert (exact.on_time, late.on_time) == (True, False)


def test_a_result_sent_back_in_the_month_is_no_result_until_resubmitted() -> None:
    received = datetime(2025, 6, 2, 10, 0, tzinfo=WIB)
    first = received + timedelta(days=1)  # on time, then sent back at validation
    back = received + timedelta(days=2)
    rejected = complaint(received, result_at(first), sent_back_at(back), first_follow_up_at=first)
    state = at_month_end(rejected, JUNE)
    assert (state.delivered_at, state.on_time, state.time_to_follow_up) == (None, None, None)
    # Resubmitted after the deadline: delivered, late, timed from the resubmission.
    again = received + timedelta(days=4)
    resubmitted = complaint(
        received,
        result_at(first),
        sent_back_at(back),
        result_at(again),
        first_follow_up_at=first,
    )
    state = at_month_end(resubmitted, JUNE)
    assert (state.delivered_at, state.on_time) == (again, False)
    assert state.time_to_follow_up == timedelta(days=4)


def test_a_result_sent_back_after_the_month_still_counts_for_the_month() -> None:
    received = datetime(2025, 6, 29, 10, 0, tzinfo=WIB)
    result = datetime(2025, 6, 30, 10, 0, tzinfo=WIB)
    c = complaint(
        received,
        result_at(result),
        sent_back_at(datetime(2025, 7, 1, 9, 0, tzinfo=WIB)),
        first_follow_up_at=result,
    )
    state = at_month_end(c, JUNE)
    assert (state.delivered_at, state.on_time) == (result, True)


def test_the_percentage_leaves_out_what_cannot_be_judged_yet() -> None:
    taxonomy = load_taxonomy()
    early = datetime(2025, 6, 2, 10, 0, tzinfo=WIB)
    late_in_month = datetime(2025, 6, 29, 10, 0, tzinfo=WIB)  # due 2 July
    on_time = complaint(early, result_at(early + timedelta(days=1)), ticket="2506-0000-0001")
    overdue = complaint(early, ticket="2506-0000-0002")  # due 5 June, no result: counts
    pending = complaint(late_in_month, ticket="2506-0000-0003")  # due in July: left out
    early_result = complaint(  # due in July but delivered: counts
        late_in_month, result_at(late_in_month + timedelta(hours=5)), ticket="2506-0000-0004"
    )
    rejected = complaint(  # rejected at verification: left out
        early, (early + timedelta(hours=1), Action.REJECT, Status.REJECTED), ticket="2506-0000-0005"
    )
    figures = recap_unit(
        "BIRO_PLH", [on_time, overdue, pending, early_result, rejected], JUNE, taxonomy
    ).figures
    assert (figures.needing_follow_up, figures.assessed, figures.on_time) == (4, 3, 2)
    assert figures.on_time_percent == pytest.approx(200 / 3)


def test_a_result_awaiting_validation_is_open_but_not_overdue() -> None:
    received = datetime(2025, 6, 2, 10, 0, tzinfo=WIB)
    c = complaint(
        received,
        (received + timedelta(days=5), Action.SUBMIT_FOLLOW_UP, Status.AWAITING_VALIDATION),
    )
    state = at_month_end(c, JUNE)
    assert state.is_open and state.overdue_by is None


def test_a_complaint_from_another_month_is_refused_not_dropped() -> None:
    c = complaint(datetime(2025, 7, 1, 0, 0, tzinfo=WIB))
    with pytest.raises(ValueError, match="not received in 2025-06"):
        recap_unit("BIRO_PLH", [c], JUNE, load_taxonomy())


def test_nearest_rank_percentile() -> None:
    hours = [timedelta(hours=h) for h in (5, 1, 4, 2, 3, 6, 7, 8, 9, 10)]
    assert nearest_rank(hours, 0.9) == timedelta(hours=9)
    assert nearest_rank(hours[:1], 0.9) == timedelta(hours=5)
    assert nearest_rank([], 0.9) is None


def test_durations_and_phones_as_people_read_them() -> None:
    assert describe_duration(timedelta(days=3, minutes=1)) == "3 hari 1 menit"
    assert describe_duration(timedelta(days=2, hours=3)) == "2 hari 3 jam"
    assert describe_duration(timedelta(0)) == "0 menit"
    assert describe_duration(None) == "-"
    assert mask_phone("+6281234567890") == "+62*******7890"


# ------------------------------------------- the unit and agency at the month end


def entry(
    at: datetime, action: Action, status: Status, unit: str | None = None, agency: str | None = None
) -> TimelineEntry:
    return TimelineEntry(at=at, action=action, status=status, unit=unit, agency=agency)


def recorded(received: datetime, *steps: TimelineEntry, **extra: object) -> Complaint:
    """A complaint whose timeline records units and agencies, as intake and act write it."""
    submit = entry(received, Action.SUBMIT, Status.WAITING, unit="BIRO_PLH")
    base = complaint(received, **extra)
    return base.model_copy(
        update={"timeline": (submit, *steps), "status": (submit, *steps)[-1].status}
    )


JUNE_30 = datetime(2025, 6, 30, 20, 0, tzinfo=WIB)
JULY_2 = datetime(2025, 7, 2, 9, 0, tzinfo=WIB)


def test_re_routed_after_the_month_end_it_stays_with_the_unit_that_held_it() -> None:
    disposition = entry(
        JUNE_30 + timedelta(hours=1),
        Action.DISPOSITION,
        Status.DISPOSITION,
        agency="BINA_MARGA",
    )
    reroute = entry(JULY_2, Action.REROUTE, Status.WAITING, unit="BIRO_PK")
    # Stored now: current unit Biro PK, agency cleared by the re-route.
    c = recorded(JUNE_30, disposition, reroute, unit="BIRO_PK", category="PARKING", agency=None)
    state = at_month_end(c, JUNE)
    assert (state.unit, state.agency, state.rerouted) == ("BIRO_PLH", "BINA_MARGA", False)
    assert state.status is Status.DISPOSITION
    # July's view of the same complaint: Biro PK, no agency, arrived by re-route.
    july = at_month_end(c, RecapMonth(2025, 7))
    assert (july.unit, july.agency, july.rerouted) == ("BIRO_PK", None, True)


def test_a_re_route_before_the_month_end_moves_the_unit_and_clears_the_agency() -> None:
    received = datetime(2025, 6, 10, 9, 0, tzinfo=WIB)
    steps = (
        entry(received + timedelta(hours=1), Action.DISPOSITION, Status.DISPOSITION, agency="A1"),
        entry(received + timedelta(hours=2), Action.REROUTE, Status.WAITING, unit="BIRO_PK"),
    )
    state = at_month_end(recorded(received, *steps, unit="BIRO_PK"), JUNE)
    assert (state.unit, state.agency, state.rerouted) == ("BIRO_PK", None, True)
    # Dispositioned again by the new unit within the month: that agency counts.
    again = entry(
        received + timedelta(hours=3), Action.DISPOSITION, Status.DISPOSITION, agency="B2"
    )
    state = at_month_end(recorded(received, *steps, again, unit="BIRO_PK", agency="B2"), JUNE)
    assert (state.unit, state.agency) == ("BIRO_PK", "B2")


def test_the_agency_is_the_one_recorded_before_the_end_not_the_current_one() -> None:
    received = datetime(2025, 6, 10, 9, 0, tzinfo=WIB)
    first = entry(
        received + timedelta(hours=1), Action.DISPOSITION, Status.DISPOSITION, agency="A1"
    )
    later = entry(JULY_2, Action.DISPOSITION, Status.DISPOSITION, agency="A2")
    state = at_month_end(recorded(received, first, later, agency="A2"), JUNE)
    assert state.agency == "A1"
    # Dispositioned only in July: no agency in June.
    assert at_month_end(recorded(received, later, agency="A2"), JUNE).agency is None


def test_old_items_without_recorded_units_or_agencies_fall_back_to_the_current_ones() -> None:
    received = datetime(2025, 6, 10, 9, 0, tzinfo=WIB)
    old = complaint(
        received,
        (received + timedelta(hours=1), Action.DISPOSITION, Status.DISPOSITION),
        unit="BIRO_PK",
        agency="A9",
    )
    state = at_month_end(old, JUNE)
    assert (state.unit, state.agency) == ("BIRO_PK", "A9")


def test_the_month_recap_groups_by_the_month_end_unit_not_the_partition() -> None:
    taxonomy = load_taxonomy()
    reroute = entry(JULY_2, Action.REROUTE, Status.WAITING, unit="BIRO_PK")
    moved = recorded(JUNE_30, reroute, unit="BIRO_PK", category="PARKING")
    # Read from Biro PK's partition (the re-route moved its key), counted under Biro PLH.
    recap = recap_month(JUNE, {"BIRO_PK": [moved]}, taxonomy)
    received = {u.unit: u.figures.received for u in recap.units}
    assert received["BIRO_PLH"] == 1 and received["BIRO_PK"] == 0
    assert recap.figures.received == 1


def test_a_rating_counts_by_the_month_end_and_a_reopening_takes_the_result_away() -> None:
    from pendopo.domain.complaint import Feedback, Resolved

    received = datetime(2025, 6, 20, 8, 0, tzinfo=WIB)
    done = received + timedelta(days=1)
    rated = received + timedelta(days=2)
    steps = (
        (received + timedelta(hours=20), Action.SUBMIT_FOLLOW_UP, Status.AWAITING_VALIDATION),
        (done, Action.ACCEPT_FOLLOW_UP, Status.DONE),
        (rated, Action.FEEDBACK, Status.DONE),
    )
    feedback = Feedback(rating=2, resolved=Resolved.NO, at=rated)
    # Rated "tidak" in June; reopened on 2 July: disputed at the June month end.
    reopened_later = complaint(
        received,
        *steps,
        (datetime(2025, 7, 2, 9, 0, tzinfo=WIB), Action.REOPEN, Status.FOLLOW_UP_REJECTED),
        feedback=feedback,
    )
    state = at_month_end(reopened_later, JUNE)
    assert (state.finished, state.disputed, state.reopened) == (True, True, False)
    assert state.status is Status.DONE and state.delivered_at is not None
    # Reopened in June: no longer disputed, reopened, and its result no longer stands.
    reopened = complaint(
        received,
        *steps,
        (rated + timedelta(hours=1), Action.REOPEN, Status.FOLLOW_UP_REJECTED),
        feedback=feedback,
    )
    state = at_month_end(reopened, JUNE)
    assert (state.disputed, state.reopened, state.delivered_at) == (False, True, None)
    # Rated only in July: not in June's figures at all.
    july = Feedback(rating=5, resolved=Resolved.YES, at=datetime(2025, 7, 1, 0, 0, tzinfo=WIB))
    late = at_month_end(complaint(received, *steps[:2], feedback=july), JUNE)
    assert late.feedback is None and late.finished
    figures = recap_unit("BIRO_PLH", [reopened_later], JUNE, load_taxonomy()).figures
    s = figures.satisfaction
    assert (s.finished, s.rated, s.average, s.satisfied, s.resolved_no, s.disputed) == (
        1,
        1,
        2.0,
        0,
        1,
        1,
    )
    assert (s.response_percent, s.satisfied_percent) == (100.0, 0.0)

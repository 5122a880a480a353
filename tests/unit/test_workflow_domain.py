"""Officer actions without AWS: who may act, what each action changes, what is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from pendopo.domain.officer import Officer
from pendopo.domain.status import Action, Role, Status, TransitionNotAllowed
from pendopo.domain.workflow import (
    DispositionCommand,
    FollowUpCommand,
    Forbidden,
    InvalidCommand,
    NoteCommand,
    ReasonCommand,
    RerouteCommand,
    act,
    available_actions,
)
from pendopo.views.officer import complaint_detail, describe_delay, mask_nik
from tests.support.intake_domain import RULES
from tests.support.workflow_domain import (
    ADMIN,
    CLERK,
    COORDINATOR,
    OTHER_COORDINATOR,
    T0,
    VERIFIER,
    in_progress,
    step,
    waiting,
)

TAXONOMY = RULES.taxonomy


def test_an_action_bumps_the_version_appends_the_timeline_and_records_who_and_when() -> None:
    complaint = waiting()
    now = T0 + timedelta(hours=1, microseconds=123456)
    change = act(
        complaint, VERIFIER, Action.VERIFY, NoteCommand(note="Lengkap"), now=now, taxonomy=TAXONOMY
    )
    assert change.complaint.status is Status.COORDINATION
    # Only SUBMIT/REROUTE record a unit and DISPOSITION an agency.
    assert (change.complaint.timeline[-1].unit, change.complaint.timeline[-1].agency) == (
        None,
        None,
    )
    assert change.complaint.version == 2
    assert change.complaint.timeline[-1].action is Action.VERIFY
    event = change.event
    assert (event.actor, event.role, event.from_status, event.to_status) == (
        VERIFIER.actor,
        Role.VERIFIER,
        Status.WAITING,
        Status.COORDINATION,
    )
    assert event.version == 2 and event.note == "Lengkap"
    assert event.at == datetime(2025, 6, 10, 2, 15, 0, 123000, tzinfo=UTC)  # milliseconds
    assert complaint.version == 1  # the input is untouched


def test_disposition_records_the_agency_of_the_unit() -> None:
    verified = step(waiting(), VERIFIER, Action.VERIFY, NoteCommand())
    dispositioned = step(
        verified, COORDINATOR, Action.DISPOSITION, DispositionCommand(agency="DINAS_LH")
    )
    assert (dispositioned.status, dispositioned.agency) == (Status.DISPOSITION, "DINAS_LH")
    # The timeline entry records the agency (the monthly recap reads it at a month end).
    last = dispositioned.timeline[-1]
    assert (last.action, last.agency, last.unit) == (Action.DISPOSITION, "DINAS_LH", None)
    with pytest.raises(InvalidCommand) as refused:
        step(verified, COORDINATOR, Action.DISPOSITION, DispositionCommand(agency="DINKES"))
    assert refused.value.field == "agency"


def test_a_follow_up_stops_the_clock_and_a_rejected_one_starts_it_again() -> None:
    complaint = in_progress()
    first = step(
        complaint, COORDINATOR, Action.SUBMIT_FOLLOW_UP, FollowUpCommand(result="Sudah diangkut.")
    )
    assert first.status is Status.AWAITING_VALIDATION and not first.status.clock_running
    assert first.follow_up is not None and first.first_follow_up_at == first.follow_up.at
    returned = step(first, VERIFIER, Action.REJECT_FOLLOW_UP, ReasonCommand(reason="Tanpa foto."))
    assert returned.status is Status.FOLLOW_UP_REJECTED and returned.status.clock_running
    assert (returned.validation_rejections, returned.decision_reason) == (1, "Tanpa foto.")
    assert returned.due_at == complaint.due_at  # the deadline stays 3 days from receipt
    second = step(
        returned, COORDINATOR, Action.SUBMIT_FOLLOW_UP, FollowUpCommand(result="Foto terlampir.")
    )
    assert second.first_follow_up_at == first.first_follow_up_at  # the first delivery is kept
    assert second.follow_up is not None and second.follow_up.result == "Foto terlampir."
    done = step(second, VERIFIER, Action.ACCEPT_FOLLOW_UP, NoteCommand())
    assert done.status is Status.DONE and done.version == 8


def test_a_reroute_moves_unit_and_category_and_clears_the_agency() -> None:
    complaint = in_progress()
    change = act(
        complaint,
        COORDINATOR,
        Action.REROUTE,
        RerouteCommand(category="PARKING", reason="Soal parkir liar."),
        now=T0 + timedelta(days=1),
        taxonomy=TAXONOMY,
    )
    moved = change.complaint
    assert (moved.unit, moved.category, moved.agency, moved.status) == (
        "BIRO_PK",
        "PARKING",
        None,
        Status.COORDINATION,
    )
    assert (change.event.unit, change.event.previous_unit) == ("BIRO_PK", "BIRO_PLH")
    last = moved.timeline[-1]
    assert (last.action, last.unit, last.agency) == (Action.REROUTE, "BIRO_PK", None)


def test_a_reroute_within_the_same_unit_is_refused() -> None:
    with pytest.raises(InvalidCommand):
        step(waiting(), VERIFIER, Action.REROUTE, RerouteCommand(category="ROAD", reason="Jalan."))


@pytest.mark.parametrize(
    ("officer", "action", "command"),
    [
        (CLERK, Action.VERIFY, NoteCommand()),
        (ADMIN, Action.VERIFY, NoteCommand()),
        (COORDINATOR, Action.VERIFY, NoteCommand()),
        (OTHER_COORDINATOR, Action.SUBMIT_FOLLOW_UP, FollowUpCommand(result="Sudah selesai.")),
        (OTHER_COORDINATOR, Action.REROUTE, RerouteCommand(category="PARKING", reason="Parkir.")),
        (VERIFIER, Action.SUBMIT_FOLLOW_UP, FollowUpCommand(result="Sudah selesai.")),
    ],
)
def test_roles_and_units_outside_the_rules_are_forbidden(
    officer: Officer, action: Action, command: object
) -> None:
    with pytest.raises(Forbidden):
        step(in_progress(), officer, action, command)


def test_the_wrong_status_names_the_current_one() -> None:
    with pytest.raises(TransitionNotAllowed) as refused:
        step(waiting(), COORDINATOR, Action.ACKNOWLEDGE, NoteCommand())
    assert refused.value.current is Status.WAITING


def test_available_actions_depend_on_role_unit_and_status() -> None:
    complaint = in_progress()
    assert available_actions(COORDINATOR, complaint) == [Action.REROUTE, Action.SUBMIT_FOLLOW_UP]
    assert available_actions(OTHER_COORDINATOR, complaint) == []
    assert available_actions(VERIFIER, complaint) == [Action.REROUTE]
    assert available_actions(CLERK, complaint) == []
    assert available_actions(VERIFIER, waiting()) == [Action.VERIFY, Action.REJECT, Action.REROUTE]


@pytest.mark.parametrize(
    "body",
    [
        {"result": "pendek"},
        {"result": "Sudah diperbaiki.", "attachments": ["../etc/passwd"]},
        {
            "result": "Sudah diperbaiki.",
            "attachments": [f"attachments/2506-0001-0002/{n}.jpg" for n in range(6)],
        },
        {"result": "Sudah diperbaiki.", "extra": 1},
    ],
)
def test_follow_up_commands_are_validated(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        FollowUpCommand.model_validate(body)


def test_reason_is_required_and_readable() -> None:
    with pytest.raises(ValidationError):
        ReasonCommand.model_validate({"reason": "no"})
    with pytest.raises(ValidationError):
        ReasonCommand.model_validate({"reason": "alasan\x00tersembunyi"})


def test_detail_hides_an_anonymous_identity_from_coordinators_only() -> None:
    base = waiting()
    reporter = base.reporter.model_copy(update={"anonymous": True, "nik": "3171014506900001"})
    complaint = base.model_copy(update={"reporter": reporter})
    for officer, hidden in [(COORDINATOR, True), (CLERK, True), (VERIFIER, False), (ADMIN, False)]:
        shown = complaint_detail(complaint, [], officer, TAXONOMY, T0).reporter
        assert shown.identity_hidden is hidden
        assert (shown.phone is None) is hidden
    assert (
        complaint_detail(complaint, [], VERIFIER, TAXONOMY, T0).reporter.nik == "3171014506900001"
    )
    assert complaint_detail(complaint, [], ADMIN, TAXONOMY, T0).reporter.nik == mask_nik(
        "3171014506900001"
    )
    assert mask_nik("3171014506900001") == "************0001"


@pytest.mark.parametrize(
    ("delay", "text"),
    [
        (timedelta(seconds=5), "1 menit"),
        (timedelta(minutes=40), "40 menit"),
        (timedelta(hours=5, minutes=10), "5 jam"),
        (timedelta(days=2), "2 hari"),
        (timedelta(days=1, hours=3), "1 hari 3 jam"),
    ],
)
def test_delays_read_the_way_officers_say_them(delay: timedelta, text: str) -> None:
    assert describe_delay(delay) == text

"""The status machine: one definition, roles checked, labels in Indonesian."""

import pytest

from pendopo.domain.status import (
    STATUS_LABELS,
    Action,
    Role,
    RoleNotAllowed,
    Status,
    TransitionNotAllowed,
    allowed_actions,
    next_status,
)


def test_every_status_has_the_crm_label():
    assert {s: s.label for s in Status} == {
        Status.WAITING: "Menunggu",
        Status.COORDINATION: "Koordinasi",
        Status.DISPOSITION: "Disposisi",
        Status.IN_PROGRESS: "Proses",
        Status.AWAITING_VALIDATION: "Menunggu Validasi",
        Status.FOLLOW_UP_REJECTED: "TL Ditolak",
        Status.DONE: "Selesai",
        Status.REJECTED: "Ditolak",
    }
    assert set(STATUS_LABELS) == set(Status)


@pytest.mark.parametrize(
    ("action", "current", "role", "expected"),
    [
        (Action.SUBMIT, None, Role.CITIZEN, Status.WAITING),
        (Action.SUBMIT, None, Role.OFFICER, Status.WAITING),
        (Action.VERIFY, Status.WAITING, Role.VERIFIER, Status.COORDINATION),
        (Action.REJECT, Status.WAITING, Role.VERIFIER, Status.REJECTED),
        (Action.DISPOSITION, Status.COORDINATION, Role.COORDINATOR, Status.DISPOSITION),
        (Action.ACKNOWLEDGE, Status.DISPOSITION, Role.COORDINATOR, Status.IN_PROGRESS),
        (Action.SUBMIT_FOLLOW_UP, Status.IN_PROGRESS, Role.COORDINATOR, Status.AWAITING_VALIDATION),
        (Action.ACCEPT_FOLLOW_UP, Status.AWAITING_VALIDATION, Role.VERIFIER, Status.DONE),
        (
            Action.REJECT_FOLLOW_UP,
            Status.AWAITING_VALIDATION,
            Role.VERIFIER,
            Status.FOLLOW_UP_REJECTED,
        ),
        (
            Action.SUBMIT_FOLLOW_UP,
            Status.FOLLOW_UP_REJECTED,
            Role.COORDINATOR,
            Status.AWAITING_VALIDATION,
        ),
        # A verifier re-routing at verification has verified it: on to coordination.
        (Action.REROUTE, Status.WAITING, Role.VERIFIER, Status.COORDINATION),
        # A coordinator passing on a complaint not yet verified leaves it waiting.
        (Action.REROUTE, Status.WAITING, Role.COORDINATOR, Status.WAITING),
        (Action.SUBMIT, None, Role.OFFICER, Status.WAITING),
        (Action.SUBMIT, None, Role.COORDINATOR, Status.WAITING),
        (Action.REROUTE, Status.IN_PROGRESS, Role.COORDINATOR, Status.COORDINATION),
    ],
)
def test_allowed_transitions(action, current, role, expected):
    # Given a complaint in `current`, When `role` takes `action`, Then it lands in `expected`
    assert next_status(action, current, role) == expected


def test_a_role_outside_the_transition_is_refused():
    with pytest.raises(RoleNotAllowed):
        next_status(Action.VERIFY, Status.WAITING, Role.COORDINATOR)
    with pytest.raises(RoleNotAllowed):
        next_status(Action.ACCEPT_FOLLOW_UP, Status.AWAITING_VALIDATION, Role.ADMIN)
    with pytest.raises(RoleNotAllowed):
        next_status(Action.SUBMIT, None, Role.ADMIN)


def test_a_transition_from_the_wrong_status_names_the_current_status():
    with pytest.raises(TransitionNotAllowed) as raised:
        next_status(Action.ACCEPT_FOLLOW_UP, Status.IN_PROGRESS, Role.VERIFIER)
    assert raised.value.current is Status.IN_PROGRESS
    assert "Proses" in str(raised.value)


def test_terminal_statuses_allow_nothing_but_a_verifiers_answer_to_a_dispute():
    for role in Role:
        assert allowed_actions(Status.REJECTED, role) == []
        expected = [Action.REOPEN, Action.KEEP_CLOSED] if role is Role.VERIFIER else []
        assert allowed_actions(Status.DONE, role) == expected


def test_a_reopened_complaint_goes_back_to_the_agency_with_its_clock_running():
    reopened = next_status(Action.REOPEN, Status.DONE, Role.VERIFIER)
    assert reopened is Status.FOLLOW_UP_REJECTED
    assert reopened.clock_running
    assert next_status(Action.KEEP_CLOSED, Status.DONE, Role.VERIFIER) is Status.DONE
    with pytest.raises(RoleNotAllowed):
        next_status(Action.REOPEN, Status.DONE, Role.COORDINATOR)


def test_the_clock_stops_while_a_result_awaits_validation_and_runs_again_after_rejection():
    assert Status.IN_PROGRESS.clock_running
    assert not Status.AWAITING_VALIDATION.clock_running
    assert Status.FOLLOW_UP_REJECTED.clock_running
    assert not Status.DONE.clock_running
    assert not Status.REJECTED.clock_running


def test_allowed_actions_for_a_verifier_on_a_waiting_complaint():
    assert allowed_actions(Status.WAITING, Role.VERIFIER) == [
        Action.VERIFY,
        Action.REJECT,
        Action.REROUTE,
    ]

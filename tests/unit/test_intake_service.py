"""The submit loop's rare branches, with a fake store: conflicts, collisions, expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pynamodb.exceptions import CancellationReason, TransactWriteError, VerboseClientError

from pendopo.domain.clock import FixedClock
from pendopo.domain.complaint import AuditEvent, Channel, Complaint, ComplaintDetails
from pendopo.domain.holidays_id import WorkingCalendar
from pendopo.domain.intake import IntakeRules
from pendopo.domain.sessions import SessionCalendar
from pendopo.domain.sla import SlaPolicy
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.services import intake as intake_module
from pendopo.services.intake import MAX_ATTEMPTS, IntakeBusy, IntakeService
from pendopo.storage.complaints import (
    IdempotencyKeyTaken,
    IdempotencyRecord,
    TicketTaken,
    WriteConflict,
    _create_failure,
)

NOW = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)
RULES = IntakeRules(
    taxonomy=load_taxonomy(), sla=SlaPolicy(), sessions=SessionCalendar(WorkingCalendar())
)
DETAILS = ComplaintDetails.model_validate(
    {
        "category": "WASTE",
        "title": "Sampah menumpuk",
        "description": "Sampah di TPS belum diangkut selama empat hari dan berbau.",
        "reporter": {"name": "Budi Santoso", "phone": "081298765432"},
    }
)


class ScriptedStore:
    """A store whose create() fails as scripted, then succeeds; records what it saw."""

    def __init__(self, failures: list[Exception], existing: IdempotencyRecord | None = None):
        self.failures = list(failures)
        self.existing = existing
        self.created: list[tuple[Complaint, AuditEvent, IdempotencyRecord]] = []
        self.attempted_tickets: list[str] = []

    def create(self, complaint: Complaint, event: AuditEvent, record: IdempotencyRecord, *_: Any):
        self.attempted_tickets.append(complaint.ticket)
        if self.failures:
            raise self.failures.pop(0)
        self.created.append((complaint, event, record))

    def get_idempotency(self, key: str) -> IdempotencyRecord | None:
        return self.existing


@pytest.fixture(autouse=True)
def no_sleeping(monkeypatch):
    monkeypatch.setattr(intake_module.time, "sleep", lambda _seconds: None)


def service_with(store: ScriptedStore) -> IntakeService:
    return IntakeService(store, RULES, FixedClock(NOW))  # type: ignore[arg-type]


def test_a_write_conflict_is_retried_until_it_goes_through():
    store = ScriptedStore([WriteConflict(), WriteConflict()])
    submitted = service_with(store).submit(DETAILS, Channel.WEB, "key-00000001")
    assert not submitted.replayed
    assert len(store.created) == 1
    assert len(store.attempted_tickets) == 3


def test_endless_conflicts_end_in_busy_rather_than_a_hang():
    store = ScriptedStore([WriteConflict()] * MAX_ATTEMPTS)
    with pytest.raises(IntakeBusy):
        service_with(store).submit(DETAILS, Channel.WEB, "key-00000001")
    assert store.created == []


def test_a_ticket_collision_draws_a_new_ticket():
    store = ScriptedStore([TicketTaken()])
    submitted = service_with(store).submit(DETAILS, Channel.WEB, "key-00000001")
    first, second = store.attempted_tickets
    assert first != second
    assert submitted.receipt.ticket == second
    (complaint, event, record) = store.created[0]
    assert complaint.ticket == event.ticket == record.ticket == second


def test_a_key_whose_record_expired_meanwhile_is_written_afresh():
    expired = IdempotencyRecord(
        key="key-00000001",
        fingerprint="something else",
        ticket="2506-0000-0001",
        response={},
        created_at=NOW - timedelta(days=2),
        expires_at=NOW - timedelta(days=1),
    )
    store = ScriptedStore([IdempotencyKeyTaken()], existing=expired)
    submitted = service_with(store).submit(DETAILS, Channel.WEB, "key-00000001")
    assert not submitted.replayed
    assert len(store.created) == 1


def _cancelled(*codes: str | None) -> TransactWriteError:
    reasons = [CancellationReason(code=code) if code else None for code in codes]
    cause = VerboseClientError(
        {"Error": {"Code": "TransactionCanceledException", "Message": "cancelled"}},
        "TransactWriteItems",
        cancellation_reasons=reasons,
    )
    return TransactWriteError("cancelled", cause=cause)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (("ConditionalCheckFailed", None, None), TicketTaken),
        ((None, None, "ConditionalCheckFailed"), IdempotencyKeyTaken),
        (("ConditionalCheckFailed", None, "ConditionalCheckFailed"), IdempotencyKeyTaken),
        ((None, "TransactionConflict", None), WriteConflict),
    ],
)
def test_cancellation_reasons_map_to_what_the_service_does_next(codes, expected):
    assert isinstance(_create_failure(_cancelled(*codes)), expected)


def test_other_failures_are_not_mistaken_for_a_retry_case():
    error = _cancelled(None, None, "ValidationError")
    assert _create_failure(error) is error

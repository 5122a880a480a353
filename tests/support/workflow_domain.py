"""Complaints built through the pure domain, step by step, for the unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pendopo.domain.complaint import Channel, Complaint
from pendopo.domain.intake import register_complaint
from pendopo.domain.officer import Officer
from pendopo.domain.status import Action, Role
from pendopo.domain.workflow import DispositionCommand, FollowUpCommand, NoteCommand, act
from tests.support.intake_domain import RULES, details

T0 = datetime(2025, 6, 10, 1, 15, tzinfo=UTC)  # Tuesday 08:15 WIB
TAXONOMY = RULES.taxonomy
VERIFIER = Officer("verifikator@pendopo.example", "v", Role.VERIFIER, "BIRO_PEM")
COORDINATOR = Officer("koordinator.plh@pendopo.example", "k", Role.COORDINATOR, "BIRO_PLH")
OTHER_COORDINATOR = Officer("koordinator.pk@pendopo.example", "o", Role.COORDINATOR, "BIRO_PK")
CLERK = Officer("petugas.plh@pendopo.example", "p", Role.OFFICER, "BIRO_PLH")
ADMIN = Officer("admin@pendopo.example", "a", Role.ADMIN, None)


def waiting() -> Complaint:
    return register_complaint(details("WASTE"), Channel.KIOSK, now=T0, rules=RULES).complaint


def step(
    complaint: Complaint, officer: Officer, action: Action, command: object, minutes: int = 10
) -> Complaint:
    now = complaint.timeline[-1].at + timedelta(minutes=minutes)
    return act(complaint, officer, action, command, now=now, taxonomy=TAXONOMY).complaint  # type: ignore[arg-type]


def in_progress() -> Complaint:
    complaint = step(waiting(), VERIFIER, Action.VERIFY, NoteCommand())
    complaint = step(
        complaint, COORDINATOR, Action.DISPOSITION, DispositionCommand(agency="DINAS_LH")
    )
    return step(complaint, COORDINATOR, Action.ACKNOWLEDGE, NoteCommand())


def done() -> Complaint:
    """A complaint whose result was accepted (Selesai), an hour after it was submitted."""
    complaint = step(
        in_progress(),
        COORDINATOR,
        Action.SUBMIT_FOLLOW_UP,
        FollowUpCommand(result="Sampah sudah diangkut oleh dinas."),
    )
    return step(complaint, VERIFIER, Action.ACCEPT_FOLLOW_UP, NoteCommand())

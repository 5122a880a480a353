"""Officer actions on a complaint: who may take which, and what each one changes.

Pure: ``act`` takes a complaint, the officer and a command, and returns the
changed complaint with the audit event that records the change. The status
machine (``status.py``) says which role may take an action from which status;
this module adds the unit scope, each action's own rules and its effects.
Storage writes the result in one transaction, conditional on the version read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated

from pydantic import Field, StringConstraints

from pendopo.domain.complaint import (
    AuditEvent,
    CategoryCode,
    Complaint,
    FollowUp,
    StrictModel,
    Text,
    TimelineEntry,
)
from pendopo.domain.errors import InvalidField, PendopoError
from pendopo.domain.officer import Officer
from pendopo.domain.status import TRANSITIONS, Action, Role, next_status
from pendopo.domain.taxonomy import CODE_PATTERN, Taxonomy
from pendopo.domain.uploads import MAX_ATTACHMENTS, UploadId

# Actions a coordinator may take only on complaints of their own unit. Verifiers
# work across units; every other role has no action in the status machine.
_OWN_UNIT_ACTIONS = frozenset(
    {Action.REROUTE, Action.DISPOSITION, Action.ACKNOWLEDGE, Action.SUBMIT_FOLLOW_UP}
)


class Forbidden(PendopoError):
    """The officer's role or unit does not allow this (HTTP 403)."""

    status = HTTPStatus.FORBIDDEN

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class InvalidCommand(InvalidField):
    """The command is well formed but wrong for this complaint (HTTP 422)."""


# --- commands: the request bodies of the action routes -------------------------------

Note = Annotated[Text, Field(min_length=1, max_length=1000)]
Reason = Annotated[Text, Field(min_length=5, max_length=1000)]
AgencyCode = Annotated[str, StringConstraints(pattern=CODE_PATTERN.pattern)]


class NoteCommand(StrictModel):
    note: Note | None = Field(default=None, description="Catatan (opsional)")


class ReasonCommand(StrictModel):
    reason: Reason = Field(description="Alasan, dibaca petugas lain dan pelapor")


class RerouteCommand(StrictModel):
    category: CategoryCode = Field(description="Kategori yang benar; unitnya mengikuti kategori")
    reason: Reason = Field(description="Alasan pengalihan")


class KeepClosedCommand(StrictModel):
    note: Note = Field(description="Catatan untuk pelapor: mengapa pengaduan tetap selesai")


class DispositionCommand(StrictModel):
    agency: AgencyCode = Field(description="Kode perangkat daerah atau BUMD tujuan")
    note: Note | None = None


class FollowUpCommand(StrictModel):
    result: Annotated[Text, Field(min_length=10, max_length=4000)] = Field(
        description="Hasil tindak lanjut dari perangkat daerah atau BUMD"
    )
    attachments: list[UploadId] = Field(
        default_factory=list,
        max_length=MAX_ATTACHMENTS,
        description=(
            "Bukti tindak lanjut: upload_id dari POST /v1/officer/uploads (status clean); "
            "paling banyak 5"
        ),
    )


Command = (
    NoteCommand
    | ReasonCommand
    | RerouteCommand
    | DispositionCommand
    | FollowUpCommand
    | KeepClosedCommand
)
# Actions that answer a reporter's dispute: only on a disputed complaint; each clears
# the flag, and its reason or note is shown to the reporter on the tracking page.
_DISPUTE_ACTIONS = frozenset({Action.REOPEN, Action.KEEP_CLOSED})


class NotDisputed(PendopoError):
    """Reopen or keep closed asked of a complaint its reporter did not dispute (HTTP 409)."""

    status = HTTPStatus.CONFLICT
    message = (
        "Tindakan ini hanya untuk pengaduan yang dinyatakan belum selesai oleh pelapor (disanggah)."
    )


@dataclass(frozen=True, slots=True)
class Change:
    complaint: Complaint  # as it is after the action, version + 1
    event: AuditEvent  # the audit record of the action


# --- who may act -------------------------------------------------------------------


def ensure_may_act(officer: Officer, action: Action, complaint_unit: str) -> None:
    """Raise Forbidden unless the officer's role and unit allow the action at all."""
    roles = next(t.roles for t in TRANSITIONS if t.action is action)
    if officer.role not in roles:
        raise Forbidden(f"Peran {officer.role.value} tidak berwenang untuk tindakan ini.")
    if (
        action in _OWN_UNIT_ACTIONS
        and officer.role is Role.COORDINATOR
        and officer.unit != complaint_unit
    ):
        raise Forbidden("Pengaduan ini ditangani unit lain; hanya koordinator unit itu yang bisa.")


def ensure_may_read(officer: Officer, complaint_unit: str) -> None:
    if not officer.may_see(complaint_unit):
        raise Forbidden("Pengaduan ini milik unit lain.")


def available_actions(officer: Officer, complaint: Complaint) -> list[Action]:
    """The actions this officer may take on the complaint now, for the console."""
    actions = []
    for transition in TRANSITIONS:
        if complaint.status not in transition.sources:
            continue
        if transition.action in _DISPUTE_ACTIONS and not complaint.disputed:
            continue
        try:
            ensure_may_act(officer, transition.action, complaint.unit)
        except Forbidden:
            continue
        actions.append(transition.action)
    return actions


# --- what an action does ------------------------------------------------------------


def act(
    complaint: Complaint,
    officer: Officer,
    action: Action,
    command: Command,
    *,
    now: datetime,
    taxonomy: Taxonomy,
) -> Change:
    """Apply one officer action; raises Forbidden, TransitionNotAllowed or InvalidCommand."""
    ensure_may_act(officer, action, complaint.unit)
    target = next_status(action, complaint.status, officer.role)
    if action in _DISPUTE_ACTIONS and not complaint.disputed:
        raise NotDisputed
    at = to_the_millisecond(now)
    changes, note, previous_unit = _effects(complaint, officer, action, command, at, taxonomy)
    version = complaint.version + 1
    step = TimelineEntry(
        at=at,
        action=action,
        status=target,
        # What the monthly recap needs to place the complaint at a month end.
        unit=str(changes["unit"]) if action is Action.REROUTE else None,
        agency=str(changes["agency"]) if action is Action.DISPOSITION else None,
        text=note if action in _DISPUTE_ACTIONS else None,
    )
    changed = complaint.model_copy(
        update={
            **changes,
            "status": target,
            "version": version,
            "timeline": (*complaint.timeline, step),
        }
    )
    event = AuditEvent(
        ticket=complaint.ticket,
        at=at,
        actor=officer.actor,
        role=officer.role,
        action=action,
        from_status=complaint.status,
        to_status=target,
        unit=changed.unit,
        note=note,
        version=version,
        previous_unit=previous_unit,
    )
    return Change(complaint=changed, event=event)


_Effects = tuple[dict[str, object], str | None, str | None]  # fields, audit note, previous unit


def _effects(
    complaint: Complaint,
    officer: Officer,
    action: Action,
    command: Command,
    at: datetime,
    taxonomy: Taxonomy,
) -> _Effects:
    """The fields an action changes besides status, version and timeline."""
    if isinstance(command, RerouteCommand) and action is Action.REROUTE:
        return _reroute(complaint, command, taxonomy)
    if isinstance(command, DispositionCommand) and action is Action.DISPOSITION:
        return _disposition(complaint, command, taxonomy)
    if isinstance(command, FollowUpCommand) and action is Action.SUBMIT_FOLLOW_UP:
        # The files themselves are claimed by the service (pendopo.domain.attachments).
        follow_up = FollowUp(
            result=command.result, attachments=tuple(command.attachments), at=at, by=officer.actor
        )
        first = complaint.first_follow_up_at or at
        return {"follow_up": follow_up, "first_follow_up_at": first}, command.result, None
    if isinstance(command, ReasonCommand) and action is Action.REJECT:
        return {"decision_reason": command.reason}, command.reason, None
    if isinstance(command, ReasonCommand) and action is Action.REJECT_FOLLOW_UP:
        rejections = complaint.validation_rejections + 1
        fields = {"decision_reason": command.reason, "validation_rejections": rejections}
        return fields, command.reason, None
    if isinstance(command, ReasonCommand) and action is Action.REOPEN:
        return {"decision_reason": command.reason, "disputed": False}, command.reason, None
    if isinstance(command, KeepClosedCommand) and action is Action.KEEP_CLOSED:
        return {"disputed": False}, command.note, None
    if isinstance(command, NoteCommand) and action in _NOTE_ONLY_ACTIONS:
        return {}, command.note, None
    raise TypeError(f"{type(command).__name__} is not the command of {action.value}")


_NOTE_ONLY_ACTIONS = frozenset({Action.VERIFY, Action.ACKNOWLEDGE, Action.ACCEPT_FOLLOW_UP})


def _reroute(complaint: Complaint, command: RerouteCommand, taxonomy: Taxonomy) -> _Effects:
    new_unit = taxonomy.unit_for(command.category)
    if new_unit.code == complaint.unit:
        raise InvalidCommand(
            "category",
            f"Kategori ini juga ditangani {new_unit.name}. Pilih kategori unit lain.",
        )
    # The agency belonged to the old unit; the new unit dispositions afresh.
    fields: dict[str, object] = {"category": command.category, "unit": new_unit.code}
    fields["agency"] = None
    return fields, command.reason, complaint.unit


def _disposition(complaint: Complaint, command: DispositionCommand, taxonomy: Taxonomy) -> _Effects:
    agencies = {agency.code for agency in taxonomy.agencies_of(complaint.unit)}
    if command.agency not in agencies:
        raise InvalidCommand(
            "agency", "Perangkat daerah atau BUMD ini tidak berada di bawah koordinasi unit ini."
        )
    return {"agency": command.agency}, command.note, None


def to_the_millisecond(now: datetime) -> datetime:
    """What storage keeps, so a complaint reads back exactly as written."""
    moment = now.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


# Which command each action takes: the route layer validates the body with it.
COMMANDS: dict[Action, type[Command]] = {
    Action.VERIFY: NoteCommand,
    Action.REJECT: ReasonCommand,
    Action.REROUTE: RerouteCommand,
    Action.DISPOSITION: DispositionCommand,
    Action.ACKNOWLEDGE: NoteCommand,
    Action.SUBMIT_FOLLOW_UP: FollowUpCommand,
    Action.ACCEPT_FOLLOW_UP: NoteCommand,
    Action.REJECT_FOLLOW_UP: ReasonCommand,
    Action.REOPEN: ReasonCommand,
    Action.KEEP_CLOSED: KeepClosedCommand,
}

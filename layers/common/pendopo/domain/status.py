"""The status machine: one definition of the CRM stages used everywhere.

Identifiers are English; labels are the Indonesian CRM vocabulary officers and
citizens already know (Menunggu, Koordinasi, Disposisi, Proses, Menunggu
Validasi, TL Ditolak, Selesai, Ditolak).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus
from typing import Any

from pendopo.domain.errors import PendopoError


class Status(StrEnum):
    WAITING = "waiting"  # submitted, waiting for verification
    COORDINATION = "coordination"  # verified, with the coordinating unit
    DISPOSITION = "disposition"  # dispositioned to an agency or BUMD
    IN_PROGRESS = "in_progress"  # the agency acknowledged and is working on it
    AWAITING_VALIDATION = "awaiting_validation"  # follow-up result awaits validation
    FOLLOW_UP_REJECTED = "follow_up_rejected"  # the validator sent the result back
    DONE = "done"
    REJECTED = "rejected"  # rejected at verification

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL

    @property
    def open311(self) -> str:
        """The status Open311 GeoReport v2 knows: ``closed`` once done or rejected."""
        return "closed" if self.is_terminal else "open"

    @property
    def clock_running(self) -> bool:
        """Whether the 3-day follow-up clock runs in this status.

        A follow-up result awaiting validation stops the clock; a rejected
        result starts it again, and the complaint counts as open until a new
        result comes.
        """
        return not self.is_terminal and self is not Status.AWAITING_VALIDATION


STATUS_LABELS: dict[Status, str] = {
    Status.WAITING: "Menunggu",
    Status.COORDINATION: "Koordinasi",
    Status.DISPOSITION: "Disposisi",
    Status.IN_PROGRESS: "Proses",
    Status.AWAITING_VALIDATION: "Menunggu Validasi",
    Status.FOLLOW_UP_REJECTED: "TL Ditolak",
    Status.DONE: "Selesai",
    Status.REJECTED: "Ditolak",
}

TERMINAL = frozenset({Status.DONE, Status.REJECTED})


class Role(StrEnum):
    CITIZEN = "pelapor"  # kiosk or web, no account
    OFFICER = "petugas"  # intake officer of a unit
    COORDINATOR = "koordinator"  # unit coordinator
    VERIFIER = "verifikator"  # Biro Pemerintahan
    ADMIN = "admin"  # Diskominfotik
    # The Sekda or an Asisten: reads the dashboard of the units in their scope, takes no
    # workflow action and sees no complaint (pendopo.domain.officer.dashboard_units).
    LEADER = "pimpinan"


class Action(StrEnum):
    SUBMIT = "submit"
    VERIFY = "verify"
    REJECT = "reject"
    REROUTE = "reroute"
    DISPOSITION = "disposition"
    ACKNOWLEDGE = "acknowledge"
    SUBMIT_FOLLOW_UP = "submit_follow_up"
    ACCEPT_FOLLOW_UP = "accept_follow_up"
    REJECT_FOLLOW_UP = "reject_follow_up"
    # The reporter's own steps (public routes with the tracking code; not in TRANSITIONS:
    # no officer takes them, and the status stays as it is; pendopo.domain.citizen).
    REPORTER_UPDATE = "reporter_update"
    FEEDBACK = "feedback"
    # A verifier's answer to a complaint its reporter says is not resolved (disputed).
    REOPEN = "reopen"
    KEEP_CLOSED = "keep_closed"


ACTION_LABELS: dict[Action, str] = {
    Action.SUBMIT: "Pengaduan diterima",
    Action.VERIFY: "Pengaduan diverifikasi",
    Action.REJECT: "Pengaduan ditolak",
    Action.REROUTE: "Dialihkan ke unit lain",
    Action.DISPOSITION: "Didisposisikan ke perangkat daerah",
    Action.ACKNOWLEDGE: "Sedang ditindaklanjuti",
    Action.SUBMIT_FOLLOW_UP: "Hasil tindak lanjut disampaikan",
    Action.ACCEPT_FOLLOW_UP: "Hasil tindak lanjut diterima",
    Action.REJECT_FOLLOW_UP: "Hasil tindak lanjut ditolak",
    Action.REPORTER_UPDATE: "Tambahan informasi dari pelapor",
    Action.FEEDBACK: "Penilaian pelapor diterima",
    Action.REOPEN: "Pengaduan dibuka kembali",
    Action.KEEP_CLOSED: "Pengaduan tetap dinyatakan selesai",
}


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    sources: frozenset[Status | None]  # None: the complaint does not exist yet
    target: Status | None  # None: the status stays as it is (re-route)
    roles: frozenset[Role]


_OPEN_BEFORE_RESULT = frozenset(
    {Status.COORDINATION, Status.DISPOSITION, Status.IN_PROGRESS, Status.FOLLOW_UP_REJECTED}
)

# Reopened, a complaint goes back to the agency with its clock running, as a result sent
# back at validation does; kept closed, the verifier's note tells the reporter why.
_DISPUTE_ANSWERS = (
    (Action.REOPEN, Status.FOLLOW_UP_REJECTED),
    (Action.KEEP_CLOSED, Status.DONE),
)

TRANSITIONS: tuple[Transition, ...] = (
    # Citizens at the kiosk or on the web; any unit officer at the Pendopo desk.
    Transition(
        Action.SUBMIT,
        frozenset({None}),
        Status.WAITING,
        frozenset({Role.CITIZEN, Role.OFFICER, Role.COORDINATOR, Role.VERIFIER}),
    ),
    Transition(
        Action.VERIFY, frozenset({Status.WAITING}), Status.COORDINATION, frozenset({Role.VERIFIER})
    ),
    Transition(
        Action.REJECT, frozenset({Status.WAITING}), Status.REJECTED, frozenset({Role.VERIFIER})
    ),
    Transition(
        Action.REROUTE,
        frozenset({Status.WAITING, *_OPEN_BEFORE_RESULT}),
        None,
        frozenset({Role.COORDINATOR, Role.VERIFIER}),
    ),
    Transition(
        Action.DISPOSITION,
        frozenset({Status.COORDINATION, Status.DISPOSITION}),
        Status.DISPOSITION,
        frozenset({Role.COORDINATOR}),
    ),
    Transition(
        Action.ACKNOWLEDGE,
        frozenset({Status.DISPOSITION}),
        Status.IN_PROGRESS,
        frozenset({Role.COORDINATOR}),
    ),
    Transition(
        Action.SUBMIT_FOLLOW_UP,
        frozenset({Status.DISPOSITION, Status.IN_PROGRESS, Status.FOLLOW_UP_REJECTED}),
        Status.AWAITING_VALIDATION,
        frozenset({Role.COORDINATOR}),
    ),
    Transition(
        Action.ACCEPT_FOLLOW_UP,
        frozenset({Status.AWAITING_VALIDATION}),
        Status.DONE,
        frozenset({Role.VERIFIER}),
    ),
    Transition(
        Action.REJECT_FOLLOW_UP,
        frozenset({Status.AWAITING_VALIDATION}),
        Status.FOLLOW_UP_REJECTED,
        frozenset({Role.VERIFIER}),
    ),
    # A verifier's answer to a reporter who says the result did not resolve it (only
    # while the complaint is disputed: pendopo.domain.workflow checks the flag).
    *(
        Transition(action, frozenset({Status.DONE}), target, frozenset({Role.VERIFIER}))
        for action, target in _DISPUTE_ANSWERS
    ),
)

_BY_ACTION: dict[Action, Transition] = {t.action: t for t in TRANSITIONS}


class TransitionNotAllowed(PendopoError):
    """The action cannot be taken in the complaint's current status (HTTP 409)."""

    status = HTTPStatus.CONFLICT

    def __init__(self, action: Action, current: Status | None) -> None:
        self.action = action
        self.current = current
        where = current.label if current else "belum ada"
        super().__init__(f"Tindakan '{action.value}' tidak dapat dilakukan pada status {where}.")
        # What the client is told: the status it can see on the complaint.
        self.message = (
            f"Tindakan ini tidak dapat dilakukan karena status pengaduan sekarang {self._label}."
        )

    @property
    def _label(self) -> str:
        return self.current.label if self.current else "-"

    def details(self) -> dict[str, Any]:
        code = self.current.value if self.current else None
        return {"current_status": {"code": code, "label": self._label}}


class RoleNotAllowed(Exception):
    """The caller's role may not take this action."""

    def __init__(self, action: Action, role: Role) -> None:
        self.action = action
        self.role = role
        super().__init__(f"Peran {role.value} tidak berwenang melakukan '{action.value}'.")


def next_status(action: Action, current: Status | None, role: Role) -> Status:
    """The status after ``action``; raises if the role or the status forbids it."""
    transition = _BY_ACTION[action]
    if role not in transition.roles:
        raise RoleNotAllowed(action, role)
    if current not in transition.sources:
        raise TransitionNotAllowed(action, current)
    if transition.target is not None:
        return transition.target
    # A verifier re-routing a waiting complaint has verified it (only its category
    # was wrong), so it arrives at the right unit for coordination. A coordinator
    # re-routing one leaves it waiting for verification; any other open complaint
    # arrives at the new unit for coordination.
    if current is Status.WAITING and role is not Role.VERIFIER:
        return Status.WAITING
    return Status.COORDINATION


def allowed_actions(current: Status, role: Role) -> list[Action]:
    """The actions a role may take now, for clients that show only those."""
    return [t.action for t in TRANSITIONS if current in t.sources and role in t.roles]

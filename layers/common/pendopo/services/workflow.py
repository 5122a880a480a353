"""Officer use cases: queues, complaint details and actions.

The route handlers call these with the officer read from the token; these call
the pure domain (who may do what, and what it changes) and the store. An action
is at most two DynamoDB calls: one GetItem, one TransactWriteItems.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any, NamedTuple

from pynamodb.exceptions import QueryError

from pendopo.domain.access import IDENTITY_FIELDS as IDENTITY
from pendopo.domain.access import AccessRecord, unmasked_fields
from pendopo.domain.attachments import FileVisibilityCommand, attach, set_file_visibility
from pendopo.domain.clock import Clock
from pendopo.domain.complaint import Complaint
from pendopo.domain.errors import ComplaintNotFound, InvalidField, PendopoError
from pendopo.domain.identifiers import normalize_ticket
from pendopo.domain.officer import Officer
from pendopo.domain.status import ACTION_LABELS, TERMINAL, TRANSITIONS, Action, Role, Status
from pendopo.domain.taxonomy import Taxonomy
from pendopo.domain.uploads import ComplaintFile, FileSource, UploadOwner, check_claims
from pendopo.domain.workflow import (
    Change,
    Command,
    FollowUpCommand,
    Forbidden,
    act,
    available_actions,
    ensure_may_act,
    ensure_may_read,
)
from pendopo.runtime.observability import logger, metrics
from pendopo.storage.access_log import AccessLog
from pendopo.storage.complaints import ComplaintStore
from pendopo.storage.cursor import InvalidCursor, decode_cursor, encode_cursor, fingerprint
from pendopo.storage.files import UploadFiles
from pendopo.storage.queues import QueuePartition, read_queue
from pendopo.storage.uploads import UploadStore
from pendopo.views.officer import (
    ActionResult,
    ComplaintDetail,
    QueuePage,
    complaint_detail,
    event_view,
    queue_item,
)
from pendopo.views.public import CodeLabel

ALL_UNITS = "ALL"
OPEN_STATUSES: tuple[Status, ...] = tuple(s for s in Status if s not in TERMINAL)


class InvalidQuery(InvalidField):
    """A queue filter or cursor that cannot be used (HTTP 422)."""


class PreconditionRequired(PendopoError):
    """An action without the version the client saw (If-Match; HTTP 428)."""

    status = HTTPStatus.PRECONDITION_REQUIRED
    message = (
        'Sertakan header If-Match berisi versi pengaduan yang Anda lihat (ETag), misalnya "3".'
    )


class PreconditionFailed(PendopoError):
    """The complaint changed since the client read it (HTTP 412, with its ETag now)."""

    status = HTTPStatus.PRECONDITION_FAILED

    def __init__(self, current: Complaint) -> None:
        self.current = current
        super().__init__(f"version is now {current.version}")
        self.message = (
            "Pengaduan ini sudah berubah sejak Anda membukanya "
            f"(status sekarang {current.status.label}). Muat ulang, lalu periksa kembali."
        )

    def details(self) -> dict[str, Any]:
        status = self.current.status
        return {
            "current_status": {"code": status.value, "label": status.label},
            "current_version": self.current.version,
        }

    def headers(self) -> dict[str, str]:
        return {"ETag": f'"{self.current.version}"'}  # as the detail route tags a version


class Request(NamedTuple):
    """Where a read came from, for its access record: the route and the request id."""

    route: str
    request_id: str


@dataclass(frozen=True, slots=True)
class QueueFilters:
    unit: str | None = None  # None: my unit (verifiers and admins: every unit)
    statuses: tuple[Status, ...] = ()  # empty: every open status
    overdue: bool = False
    disputed: bool = False  # only complaints whose reporter disputes the result
    due_before: datetime | None = None
    limit: int = 25
    cursor: str | None = None


class WorkflowService:
    def __init__(
        self,
        store: ComplaintStore,
        taxonomy: Taxonomy,
        clock: Clock,
        access_log: AccessLog | None = None,
        uploads: UploadStore | None = None,
        files: UploadFiles | None = None,
    ) -> None:
        self._store = store
        self._taxonomy = taxonomy
        self._clock = clock
        self._access_log = access_log or AccessLog()
        self._uploads = uploads or UploadStore()
        # Signs the detail's file links (presigned GET); None: files without links.
        self._files = files

    def _link(self, file: ComplaintFile) -> str | None:
        return self._files.view_link(file) if self._files else None

    # --- reading ---------------------------------------------------------------

    def queue(self, officer: Officer, filters: QueueFilters) -> QueuePage:
        now = self._clock.now()
        partitions = self._partitions(officer, filters)
        fingerprint = _fingerprint(partitions, filters)
        try:
            resumed = decode_cursor(filters.cursor, partitions, fingerprint)
        except InvalidCursor as error:
            raise InvalidQuery("cursor", _BAD_CURSOR) from error
        if resumed is not None:
            # Later pages keep the first page's cut-off, so "overdue" means the same
            # complaints on every page, however long the officer takes between them.
            start, due_before = resumed
        else:
            start, due_before = {}, filters.due_before
            if filters.overdue:
                due_before = min(due_before, now) if due_before else now
        try:
            page = read_queue(partitions, limit=filters.limit, due_before=due_before, start=start)
        except QueryError as error:
            # Only a start position can make a well-formed query invalid.
            raise InvalidQuery("cursor", _BAD_CURSOR) from error
        cursor = encode_cursor(page.positions, fingerprint, due_before) if page.has_more else None
        items = [queue_item(c, self._taxonomy, now) for c in page.complaints]
        return QueuePage(items=items, next_cursor=cursor)

    def _partitions(self, officer: Officer, filters: QueueFilters) -> list[QueuePartition]:
        unit = filters.unit or (ALL_UNITS if officer.sees_every_unit else officer.unit)
        if unit is None:
            raise Forbidden("Akun belum terdaftar di unit kerja.")
        if unit != ALL_UNITS and unit not in self._taxonomy.units:
            raise InvalidQuery("unit", "Unit tidak dikenal.")
        if unit == ALL_UNITS and not officer.sees_every_unit:
            raise Forbidden("Anda hanya dapat melihat antrean unit Anda sendiri.")
        if unit != ALL_UNITS:
            ensure_may_read(officer, unit)
        if filters.disputed:
            # The sparse index holds disputed complaints only, one partition per unit.
            units = list(self._taxonomy.units) if unit == ALL_UNITS else [unit]
            return [QueuePartition("disputed_by_due", code) for code in units]
        statuses = filters.statuses or OPEN_STATUSES
        if filters.overdue:
            # Only a running clock can be late; a result awaiting validation is not.
            statuses = tuple(s for s in statuses if s.clock_running)
        if unit == ALL_UNITS:
            return [QueuePartition("status_due", s.value) for s in statuses]
        return [QueuePartition("unit_status", f"{unit}#{s.value}") for s in statuses]

    def detail(self, officer: Officer, ticket_text: str, request: Request) -> ComplaintDetail:
        """The complaint as this officer may see it; one access record (a PutItem) when
        the answer shows any of the reporter's identity unmasked, before it is sent."""
        ticket = _ticket(ticket_text)
        complaint, events = self._store.get_with_events(ticket)
        if complaint is None:
            raise ComplaintNotFound
        ensure_may_read(officer, complaint.unit)
        now = self._clock.now()
        detail = complaint_detail(complaint, events, officer, self._taxonomy, now, self._link)
        fields = unmasked_fields(
            complaint.reporter.model_dump(), detail.reporter.model_dump(include=set(IDENTITY))
        )
        if fields:
            self._access_log.record(
                AccessRecord(
                    ticket=ticket,
                    at=now,
                    officer=officer.username,
                    officer_sub=officer.sub,
                    role=officer.role.value,
                    fields=fields,
                    route=request.route,
                    request_id=request.request_id,
                )
            )
            logger.info(
                "Reporter identity shown",
                extra={"ticket": ticket, "role": officer.role.value, "fields": list(fields)},
            )
        return detail

    # --- acting ----------------------------------------------------------------

    def act(
        self,
        officer: Officer,
        ticket_text: str,
        action: Action,
        command: Command,
        if_match: int | None,
    ) -> ActionResult:
        _ensure_role_may(officer, action)  # before reading: a clerk's click costs nothing
        ticket = _ticket(ticket_text)
        complaint = self._store.get_complaint(ticket)
        if complaint is None:
            raise ComplaintNotFound
        ensure_may_act(officer, action, complaint.unit)
        if if_match is None:
            raise PreconditionRequired
        if if_match != complaint.version:
            raise PreconditionFailed(complaint)
        now = self._clock.now()
        change = act(complaint, officer, action, command, now=now, taxonomy=self._taxonomy)
        claims = []
        if isinstance(command, FollowUpCommand) and command.attachments:
            # Proof of the result: the officers' own uploads, one BatchGetItem, claimed
            # in the action's transaction.
            ids = list(command.attachments)
            claims = check_claims(ids, self._uploads.get_many(ids), UploadOwner.OFFICER, now)
            change = attach(change, claims, FileSource.FOLLOW_UP, officer.role)
        self._store.apply(
            change.complaint, change.event, read_version=complaint.version, claims=claims
        )
        return self._result(officer, complaint, change, action)

    def set_file_visibility(
        self,
        officer: Officer,
        ticket_text: str,
        upload_id: str,
        command: FileVisibilityCommand,
        if_match: int | None,
    ) -> ActionResult:
        """A verifier marks a file internal or public again: one GetItem, one transaction."""
        if officer.role is not Role.VERIFIER:  # before reading, as actions do
            raise Forbidden("Hanya verifikator yang dapat menandai berkas sebagai internal.")
        ticket = _ticket(ticket_text)
        complaint = self._store.get_complaint(ticket)
        if complaint is None:
            raise ComplaintNotFound
        if if_match is None:
            raise PreconditionRequired
        if if_match != complaint.version:
            raise PreconditionFailed(complaint)
        change = set_file_visibility(complaint, officer, upload_id, command, now=self._clock.now())
        self._store.apply(change.complaint, change.event, read_version=complaint.version)
        return self._result(officer, complaint, change, Action.FILE_VISIBILITY)

    def _result(
        self, officer: Officer, complaint: Complaint, change: Change, action: Action
    ) -> ActionResult:
        ticket = complaint.ticket
        logger.info(
            "Complaint changed",
            extra={
                "ticket": ticket,
                "action": action.value,
                "role": officer.role.value,
                "from_status": complaint.status.value,
                "to_status": change.complaint.status.value,
                "unit": change.complaint.unit,
                "version": change.complaint.version,
            },
        )
        metrics.add_metric(name="ComplaintAction", unit="Count", value=1)
        after = change.complaint
        return ActionResult(
            ticket=after.ticket,
            status=CodeLabel(code=after.status.value, label=after.status.label),
            version=after.version,
            message=f"{ACTION_LABELS[action]}. Status sekarang: {after.status.label}.",
            event=event_view(change.event),
            allowed_actions=[
                CodeLabel(code=a.value, label=ACTION_LABELS[a])
                for a in available_actions(officer, after)
            ],
        )


def _ensure_role_may(officer: Officer, action: Action) -> None:
    roles = next(t.roles for t in TRANSITIONS if t.action is action)
    if officer.role not in roles:
        raise Forbidden(f"Peran {officer.role.value} tidak berwenang untuk tindakan ini.")


def _ticket(text: str) -> str:
    ticket = normalize_ticket(text)
    if ticket is None:
        raise ComplaintNotFound
    return ticket


def _fingerprint(partitions: list[QueuePartition], filters: QueueFilters) -> str:
    """What the client asked for (not when it asked): the same query, page after page."""
    bound = filters.due_before.isoformat() if filters.due_before else ""
    return fingerprint(
        [
            *(p.name for p in partitions),
            bound,
            str(filters.overdue),
            str(filters.disputed),
            str(filters.limit),
        ]
    )


_BAD_CURSOR = "Cursor tidak valid untuk antrean ini. Muat ulang antrean dari halaman pertama."

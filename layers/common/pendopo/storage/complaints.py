"""The complaint store: the only code that talks to DynamoDB about complaints.

Every write is one TransactWriteItems; every read is a GetItem or a Query on
a key or an index built for it. Nothing here scans.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from typing import Any

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from pendopo.domain.clock import from_iso, to_utc_iso, to_wib
from pendopo.domain.complaint import (
    AuditEvent,
    Channel,
    Complaint,
    Feedback,
    FollowUp,
    Location,
    NotifyChoice,
    PartnerReporter,
    Reporter,
    Resolved,
    TimelineEntry,
)
from pendopo.domain.errors import PendopoError
from pendopo.domain.status import Role, Status
from pendopo.domain.uploads import AttachmentsRefused, ComplaintFile, FileSource, Upload
from pendopo.storage.connection import shared_connection
from pendopo.storage.errors import cancellation_codes, response_code
from pendopo.storage.items import (
    COMPLAINT_SK,
    IDEMPOTENCY_SK,
    RECEIPT_SK,
    AuditEventItem,
    ComplaintItem,
    FeedbackAttribute,
    FileAttribute,
    FollowUpAttribute,
    IdempotencyItem,
    ReceiptItem,
    TableItem,
    complaint_pk,
    idempotency_pk,
)
from pendopo.storage.uploads import claim_in


class VersionConflict(PendopoError):
    """The complaint changed since it was read: another officer acted first (HTTP 409)."""

    status = HTTPStatus.CONFLICT
    message = "Pengaduan ini baru saja diubah oleh petugas lain. Muat ulang, lalu periksa kembali."


# What the intake service handles (a client never hears of these).
class TicketTaken(Exception):
    """Another complaint already has this ticket: draw a new one."""


class IdempotencyKeyTaken(Exception):
    """A live record for this Idempotency-Key exists: replay or refuse."""


class WriteConflict(Exception):
    """Another transaction touched the same items at the same moment: retry."""


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    key: str
    fingerprint: str
    ticket: str
    response: dict[str, Any]
    created_at: datetime
    expires_at: datetime

    def is_expired(self, now: datetime) -> bool:
        """Expired once a whole second has passed its expiry.

        The same rule, on the same whole seconds, as the write condition that
        lets a new record replace an expired one: so a record is always either
        replayed or replaced, never neither.
        """
        return _epoch_seconds(self.expires_at) < _epoch_seconds(now)


def _epoch_seconds(moment: datetime) -> int:
    return int(moment.timestamp())


@dataclass(frozen=True, slots=True)
class IndexKeys:
    """The index attributes of a complaint, derived in one place."""

    open_unit: str | None  # sparse: only while the 3-day clock runs
    unit_month: str
    unit_status: str
    # sparse: only a public complaint (not confidential), for the Open311 list
    public_month: str | None
    disputed_unit: str | None  # sparse: only while the reporter disputes the result

    @classmethod
    def of(cls, complaint: Complaint) -> IndexKeys:
        month = to_wib(complaint.received_at).strftime("%Y-%m")
        return cls(
            open_unit=complaint.unit if complaint.status.clock_running else None,
            unit_month=f"{complaint.unit}#{month}",
            unit_status=f"{complaint.unit}#{complaint.status.value}",
            public_month=None
            if complaint.reporter.confidential
            else public_month_key(month, complaint.status.open311),
            disputed_unit=complaint.unit if complaint.disputed else None,
        )


def public_month_key(month: str, state: str) -> str:
    """The ``public_month`` partition: a WIB month (YYYY-MM) and an Open311 status."""
    return f"{month}#{state}"


def event_sort_key(event: AuditEvent) -> str:
    # Time first, so the trail reads in order; the version keeps two changes in
    # the same millisecond apart (and in the order they were made).
    return f"E#{to_utc_iso(event.at)}#{event.version:06d}"


class ComplaintStore:
    """Complaints in the table that ``bind_table`` pointed the item models at."""

    def create(
        self,
        complaint: Complaint,
        event: AuditEvent,
        record: IdempotencyRecord,
        receipt_code: str | None = None,
        claims: Sequence[Upload] = (),
    ) -> None:
        """Write the complaint, its first audit event and the idempotency record, or nothing.

        ``receipt_code``: the tracking code, for the receipt message of a reporter who
        asked for messages (``storage.reporter_messages``); kept as long as the record.
        ``claims``: the clean uploads the complaint attaches, each claimed in the same
        transaction (``storage.uploads.claim_in``); one claimed meanwhile by another
        complaint cancels it all (``AttachmentsRefused`` naming that file).
        """
        try:
            with TransactWrite(connection=shared_connection()) as transaction:
                transaction.save(
                    _complaint_item(complaint), condition=ComplaintItem.pk.does_not_exist()
                )
                transaction.save(_event_item(event), condition=AuditEventItem.pk.does_not_exist())
                transaction.save(
                    _idempotency_item(record),
                    condition=IdempotencyItem.pk.does_not_exist()
                    | (IdempotencyItem.expires_at < _epoch_seconds(record.created_at)),
                )
                if receipt_code is not None:
                    transaction.save(
                        ReceiptItem(
                            complaint_pk(complaint.ticket),
                            RECEIPT_SK,
                            tracking_code=receipt_code,
                            expires_at=_epoch_seconds(record.expires_at),
                        )
                    )
                for upload in claims:
                    claim_in(transaction, upload, complaint.ticket, record.created_at)
        except TransactWriteError as error:
            first_claim = 4 if receipt_code is not None else 3
            raise _create_failure(error, claims, first_claim) from error

    def apply(
        self,
        complaint: Complaint,
        event: AuditEvent,
        read_version: int,
        claims: Sequence[Upload] = (),
    ) -> None:
        """Write a changed complaint and its audit event, if nobody changed it since it was read.

        One TransactWriteItems: the complaint (on condition that its version is still
        the one read), the new event (which must not exist) and the claim of each upload
        in ``claims`` (clean and unclaimed), or none of them.
        """
        try:
            with TransactWrite(connection=shared_connection()) as transaction:
                transaction.save(
                    _complaint_item(complaint), condition=ComplaintItem.version == read_version
                )
                transaction.save(_event_item(event), condition=AuditEventItem.pk.does_not_exist())
                for upload in claims:
                    claim_in(transaction, upload, complaint.ticket, event.at)
        except TransactWriteError as error:
            codes = cancellation_codes(error)
            if codes and codes[0] == "ConditionalCheckFailed":
                raise VersionConflict(str(error)) from error
            refused = _refused_claims(codes, claims, first=2)
            if refused is not None:
                raise refused from error
            conflict = {"ConditionalCheckFailed", "TransactionConflict"} & set(codes)
            if conflict or response_code(error) == "TransactionInProgressException":
                raise VersionConflict(str(error)) from error
            # Anything else goes up as it is: a transaction cancelled for throughput
            # (ThrottlingError, ProvisionedThroughputExceeded) or a table that did not
            # answer is a 503 at the edge (pendopo.api.errors), any other error a function error.
            raise

    def get_with_events(self, ticket: str) -> tuple[Complaint | None, list[AuditEvent]]:
        """A complaint and its whole audit trail: one Query on their shared partition."""
        complaint: Complaint | None = None
        events: list[AuditEvent] = []
        for item in TableItem.query(complaint_pk(ticket), consistent_read=True):
            if isinstance(item, ComplaintItem):
                complaint = complaint_from_item(item)
            elif isinstance(item, AuditEventItem):
                events.append(_event_from_item(item))
        return complaint, events

    def get_complaint(self, ticket: str) -> Complaint | None:
        try:
            item = ComplaintItem.get(complaint_pk(ticket), COMPLAINT_SK, consistent_read=True)
        except DoesNotExist:
            return None
        return complaint_from_item(item)

    def get_idempotency(self, key: str) -> IdempotencyRecord | None:
        try:
            item = IdempotencyItem.get(idempotency_pk(key), IDEMPOTENCY_SK, consistent_read=True)
        except DoesNotExist:
            return None
        return IdempotencyRecord(
            key=key,
            fingerprint=item.fingerprint,
            ticket=item.ticket,
            response=json.loads(item.response),
            created_at=from_iso(item.created_at),
            expires_at=datetime.fromtimestamp(int(item.expires_at), tz=UTC),
        )

    def events_of(self, ticket: str) -> list[AuditEvent]:
        """The audit trail of a complaint, oldest first (one Query on its partition)."""
        items = AuditEventItem.query(
            complaint_pk(ticket),
            AuditEventItem.sk.startswith("E#"),
            consistent_read=True,
        )
        return [_event_from_item(item) for item in items]


# Cancellation reasons come back in the order the items were written:
# complaint, audit event, idempotency record.
_COMPLAINT, _IDEMPOTENCY = 0, 2


def _create_failure(
    error: TransactWriteError, claims: Sequence[Upload] = (), first_claim: int = 3
) -> Exception:
    """What a cancelled create means to the intake service; the error itself otherwise.

    A failed condition decides first (the key, an upload or the ticket is taken, in that
    order, whatever else DynamoDB said about the other items): a retry with the same
    key replays even though its uploads are claimed (by the first attempt). A
    transaction cancelled for throughput (ThrottlingError,
    ProvisionedThroughputExceeded) or a table that did not answer is returned as it is:
    the edge answers 503 (pendopo.api.errors), the service does not retry it.
    """
    codes = cancellation_codes(error)
    if "TransactionConflict" in codes or response_code(error) == "TransactionInProgressException":
        return WriteConflict(str(error))
    if len(codes) > _IDEMPOTENCY and codes[_IDEMPOTENCY] == "ConditionalCheckFailed":
        return IdempotencyKeyTaken(str(error))
    refused = _refused_claims(codes, claims, first_claim)
    if refused is not None:
        return refused
    if codes and codes[_COMPLAINT] == "ConditionalCheckFailed":
        return TicketTaken(str(error))
    return error


CLAIMED_MEANWHILE = "Lampiran {name} sudah dipakai di pengaduan lain."


def _refused_claims(
    codes: list[str | None], claims: Sequence[Upload], first: int
) -> AttachmentsRefused | None:
    """The uploads whose claim's condition failed (their cancellation reasons come after
    the write's own items, in the order claimed), or None when every claim held."""
    problems = {
        upload.upload_id: CLAIMED_MEANWHILE.format(name=upload.filename)
        for index, upload in enumerate(claims, start=first)
        if index < len(codes) and codes[index] == "ConditionalCheckFailed"
    }
    return AttachmentsRefused(problems) if problems else None


def _complaint_item(complaint: Complaint) -> ComplaintItem:
    keys = IndexKeys.of(complaint)
    return ComplaintItem(
        complaint_pk(complaint.ticket),
        COMPLAINT_SK,
        ticket=complaint.ticket,
        tracking_hash=complaint.tracking_hash,
        channel=complaint.channel.value,
        category=complaint.category,
        unit=complaint.unit,
        title=complaint.title,
        description=complaint.description,
        reporter=complaint.reporter.model_dump(mode="json", exclude_none=True),
        location=complaint.location.model_dump(mode="json", exclude_none=True)
        if complaint.location
        else None,
        received_at=to_utc_iso(complaint.received_at),
        due_at=to_utc_iso(complaint.due_at),
        status=complaint.status.value,
        version=complaint.version,
        outside_hours=complaint.outside_hours,
        timeline=[_timeline_entry(entry) for entry in complaint.timeline],
        entered_by=complaint.entered_by,
        entered_unit=complaint.entered_unit,
        agency=complaint.agency,
        follow_up=_follow_up_item(complaint.follow_up) if complaint.follow_up else None,
        first_follow_up_at=to_utc_iso(complaint.first_follow_up_at)
        if complaint.first_follow_up_at
        else None,
        validation_rejections=complaint.validation_rejections,
        decision_reason=complaint.decision_reason,
        feedback=_feedback_item(complaint.feedback) if complaint.feedback else None,
        disputed=True if complaint.disputed else None,
        partner=complaint.partner,
        media_url=complaint.media_url,
        notify=complaint.notify.model_dump() if complaint.notify.any else None,
        unsubscribe_token=complaint.unsubscribe_token,
        files=[_file_item(f) for f in complaint.files] if complaint.files else None,
        open_unit=keys.open_unit,
        unit_month=keys.unit_month,
        unit_status=keys.unit_status,
        public_month=keys.public_month,
        disputed_unit=keys.disputed_unit,
    )


def _timeline_entry(entry: TimelineEntry) -> dict[str, str]:
    item = {"at": to_utc_iso(entry.at), "action": entry.action.value, "status": entry.status.value}
    # Written only when recorded (SUBMIT/REROUTE unit, DISPOSITION agency), as older items.
    if entry.unit is not None:
        item["unit"] = entry.unit
    if entry.agency is not None:
        item["agency"] = entry.agency
    if entry.text is not None:
        item["text"] = entry.text
    return item


def complaint_from_item(item: ComplaintItem) -> Complaint:
    channel = Channel(item.channel)
    # Only a partner's complaint may have a reporter without name or phone.
    reporter = PartnerReporter if channel is Channel.OPEN311 else Reporter
    return Complaint(
        ticket=item.ticket,
        tracking_hash=item.tracking_hash,
        channel=channel,
        category=item.category,
        unit=item.unit,
        title=item.title,
        description=item.description,
        reporter=reporter.model_validate(_plain(item.reporter or {})),
        location=Location.model_validate(_plain(item.location)) if item.location else None,
        received_at=from_iso(item.received_at),
        due_at=from_iso(item.due_at),
        status=Status(item.status),
        version=int(item.version),
        outside_hours=item.outside_hours,
        timeline=tuple(TimelineEntry.model_validate(_plain(e)) for e in item.timeline),
        entered_by=item.entered_by,
        entered_unit=item.entered_unit,
        agency=item.agency,
        follow_up=_follow_up_from_item(item.follow_up) if item.follow_up else None,
        first_follow_up_at=from_iso(item.first_follow_up_at) if item.first_follow_up_at else None,
        validation_rejections=int(item.validation_rejections or 0),
        decision_reason=item.decision_reason,
        notify=NotifyChoice.model_validate(_plain(item.notify)) if item.notify else NotifyChoice(),
        unsubscribe_token=item.unsubscribe_token,
        partner=item.partner,
        media_url=item.media_url,
        feedback=_feedback_from_item(item.feedback) if item.feedback else None,
        disputed=bool(item.disputed),
        files=tuple(_file_from_item(f) for f in item.files or ()),
    )


def _file_item(file: ComplaintFile) -> FileAttribute:
    return FileAttribute(
        upload_id=file.upload_id,
        filename=file.filename,
        content_type=file.content_type,
        size=file.size,
        source=file.source.value,
        role=file.role.value,
        at=to_utc_iso(file.at),
        internal=file.internal,
    )


def _file_from_item(item: FileAttribute) -> ComplaintFile:
    return ComplaintFile(
        upload_id=item.upload_id,
        filename=item.filename,
        content_type=item.content_type,
        size=int(item.size),
        source=FileSource(item.source),
        role=Role(item.role),
        at=from_iso(item.at),
        internal=bool(item.internal),
    )


def _feedback_item(feedback: Feedback) -> FeedbackAttribute:
    return FeedbackAttribute(
        rating=feedback.rating,
        resolved=feedback.resolved.value,
        comment=feedback.comment,
        at=to_utc_iso(feedback.at),
    )


def _feedback_from_item(item: FeedbackAttribute) -> Feedback:
    return Feedback(
        rating=int(item.rating),
        resolved=Resolved(item.resolved),
        comment=item.comment,
        at=from_iso(item.at),
    )


def _follow_up_item(follow_up: FollowUp) -> FollowUpAttribute:
    return FollowUpAttribute(
        result=follow_up.result,
        attachments=list(follow_up.attachments),
        at=to_utc_iso(follow_up.at),
        by=follow_up.by,
    )


def _follow_up_from_item(item: FollowUpAttribute) -> FollowUp:
    return FollowUp(
        result=item.result,
        attachments=tuple(item.attachments or ()),
        at=from_iso(item.at),
        by=item.by,
    )


def _plain(value: Any) -> Any:
    """A raw MapAttribute as a plain dict (pynamodb returns its own mapping type)."""
    if isinstance(value, dict):
        return value
    as_dict = getattr(value, "as_dict", None)
    return as_dict() if as_dict else value


def _event_item(event: AuditEvent) -> AuditEventItem:
    return AuditEventItem(
        complaint_pk(event.ticket),
        event_sort_key(event),
        ticket=event.ticket,
        at=to_utc_iso(event.at),
        actor=event.actor,
        role=event.role.value,
        action=event.action.value,
        from_status=event.from_status.value if event.from_status else None,
        to_status=event.to_status.value,
        unit=event.unit,
        note=event.note,
        version=event.version,
        previous_unit=event.previous_unit,
        disputed=True if event.disputed else None,
        attachments=list(event.attachments) if event.attachments else None,
    )


def _event_from_item(item: AuditEventItem) -> AuditEvent:
    return AuditEvent.model_validate(
        {
            "ticket": item.ticket,
            "at": from_iso(item.at),
            "actor": item.actor,
            "role": item.role,
            "action": item.action,
            "from_status": item.from_status,
            "to_status": item.to_status,
            "unit": item.unit,
            "note": item.note,
            "version": int(item.version or 1),
            "previous_unit": item.previous_unit,
            "disputed": bool(item.disputed),
            "attachments": tuple(item.attachments or ()),
        }
    )


EVENT_KIND = "event"


def audit_event_of_record(record: Mapping[str, Any]) -> tuple[AuditEvent, str] | None:
    """The audit event a table stream record inserted, with its sort key; None for any
    other record (another kind of item, a modify or a remove). The stream consumers
    (notify, aggregate) read their records through this one door."""
    if record.get("eventName") != "INSERT":
        return None
    change = record.get("dynamodb") or {}
    new_image = change.get("NewImage") or {}
    return audit_event_from_image(
        {k: _stream_values().deserialize(v) for k, v in new_image.items()}
    )


@cache
def _stream_values() -> Any:
    """The stream's typed values to plain ones (Powertools' deserializer: the layer has it)."""
    from aws_lambda_powertools.shared.dynamodb_deserializer import TypeDeserializer

    return TypeDeserializer()


def audit_event_from_image(image: Mapping[str, Any]) -> tuple[AuditEvent, str] | None:
    """The audit event in a stream record's image, with its sort key; None for other items.

    ``image`` holds plain values (a deserialized NewImage), as the stream delivers
    the item that ``_event_item`` wrote.
    """
    if image.get("kind") != EVENT_KIND:
        return None
    event = AuditEvent.model_validate(
        {
            "ticket": image["ticket"],
            "at": from_iso(str(image["at"])),
            "actor": image["actor"],
            "role": image["role"],
            "action": image["action"],
            "from_status": image.get("from_status"),
            "to_status": image["to_status"],
            "unit": image["unit"],
            "note": image.get("note"),
            "version": int(image.get("version") or 1),
            "previous_unit": image.get("previous_unit"),
            "disputed": bool(image.get("disputed")),
            "attachments": tuple(str(a) for a in image.get("attachments") or ()),
        }
    )
    return event, str(image["sk"])


def _idempotency_item(record: IdempotencyRecord) -> IdempotencyItem:
    return IdempotencyItem(
        idempotency_pk(record.key),
        IDEMPOTENCY_SK,
        fingerprint=record.fingerprint,
        ticket=record.ticket,
        response=json.dumps(record.response, separators=(",", ":"), ensure_ascii=False),
        created_at=to_utc_iso(record.created_at),
        expires_at=_epoch_seconds(record.expires_at),
    )

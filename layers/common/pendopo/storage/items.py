"""The single table's items, as pynamodb models.

One table holds six kinds of item, told apart by ``kind``:

| item        | pk              | sk                         |
|-------------|-----------------|----------------------------|
| complaint   | ``C#<ticket>``  | ``C``                      |
| audit event | ``C#<ticket>``  | ``E#<utc time>#<version>`` |
| idempotency | ``IDEM#<key>``  | ``IDEM``                   |
| notification| ``NOTIFY#<ticket>#<event sk>`` | ``<recipient address>`` |
| partner     | ``PARTNER``     | ``P#<partner id>``         |
| receipt     | ``C#<ticket>``  | ``RECEIPT`` (TTL)          |
| opt-out     | ``C#<ticket>``  | ``OPTOUT``                 |
| access record | ``ACCESS#<ticket>`` | ``<utc time>#<request id>`` |
| account event | ``ACCOUNTLOG#<WIB month>`` | ``<utc time>#<id>`` |
| upload      | ``UPLOAD#<upload id>`` | ``UPLOAD`` (TTL until claimed) |

The receipt and opt-out items exist only for a reporter who asked for messages
(``storage.reporter_messages``).

A complaint and its audit trail share a partition, so one Query returns both.
The index attributes are derived from the complaint (``storage.complaints.IndexKeys``):
the sparse ``open_unit`` is present only while the 3-day clock runs, the sparse
``public_month`` only on a complaint that is not confidential, the sparse
``disputed_unit`` only while the reporter disputes the result.

Every model shares one ``Meta`` (``TableMeta``): ``storage.connection.bind_table``
points it at the deployment's table at cold start and gives the models one
connection.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

COMPLAINT_SK = "C"
IDEMPOTENCY_SK = "IDEM"
RECEIPT_SK = "RECEIPT"
OPT_OUT_SK = "OPTOUT"


def notification_pk(ticket: str, event_sk: str) -> str:
    return f"NOTIFY#{ticket}#{event_sk}"


def complaint_pk(ticket: str) -> str:
    return f"C#{ticket}"


def idempotency_pk(key: str) -> str:
    return f"IDEM#{key}"


# Every Open311 partner in one partition: a few dozen items, listed with one Query.
PARTNER_PK = "PARTNER"


def partner_sk(partner_id: str) -> str:
    return f"P#{partner_id}"


UPLOAD_SK = "UPLOAD"


def upload_pk(upload_id: str) -> str:
    return f"UPLOAD#{upload_id}"


def access_pk(ticket: str) -> str:
    return f"ACCESS#{ticket}"


def account_log_pk(month: str) -> str:
    return f"ACCOUNTLOG#{month}"


class TableMeta:
    """The table every item model is in; re-pointed by ``connection.bind_table``."""

    table_name = "pendopo-unbound"
    region = "ap-southeast-3"
    host: str | None = None
    max_retry_attempts = 3
    connect_timeout_seconds = 2
    read_timeout_seconds = 5


def _all_projected(index_name: str) -> Any:
    """The Meta of a global secondary index: its name; every attribute projected."""
    return type("Meta", (), {"index_name": index_name, "projection": AllProjection()})


class _ByDue(GlobalSecondaryIndex["ComplaintItem"]):
    """An index of complaints sorted by their deadline within each partition."""

    due_at = UnicodeAttribute(range_key=True)


class OpenByDueIndex(_ByDue):
    Meta = _all_projected("open_by_due")
    open_unit = UnicodeAttribute(hash_key=True)


class UnitMonthIndex(GlobalSecondaryIndex["ComplaintItem"]):
    Meta = _all_projected("unit_month")
    unit_month = UnicodeAttribute(hash_key=True)
    received_at = UnicodeAttribute(range_key=True)


class PublicMonthIndex(GlobalSecondaryIndex["ComplaintItem"]):
    """Sparse: public (not confidential) complaints by WIB month and Open311 status."""

    Meta = _all_projected("public_month")
    public_month = UnicodeAttribute(hash_key=True)
    received_at = UnicodeAttribute(range_key=True)


class UnitStatusIndex(_ByDue):
    Meta = _all_projected("unit_status")
    unit_status = UnicodeAttribute(hash_key=True)


class StatusDueIndex(_ByDue):
    Meta = _all_projected("status_due")
    status = UnicodeAttribute(hash_key=True)


class DisputedByDueIndex(_ByDue):
    """Sparse: only a complaint its reporter disputes carries ``disputed_unit``."""

    Meta = _all_projected("disputed_by_due")
    disputed_unit = UnicodeAttribute(hash_key=True)


class FeedbackAttribute(MapAttribute[str, Any]):
    rating = NumberAttribute()
    resolved = UnicodeAttribute()
    comment = UnicodeAttribute(null=True)
    at = UnicodeAttribute()


class FollowUpAttribute(MapAttribute[str, Any]):
    result = UnicodeAttribute()
    attachments = ListAttribute[str](default=list)
    at = UnicodeAttribute()
    by = UnicodeAttribute()


class FileAttribute(MapAttribute[str, Any]):
    """One of a complaint's files (``domain.uploads.ComplaintFile``)."""

    upload_id = UnicodeAttribute()
    filename = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    source = UnicodeAttribute()  # complaint | follow_up | update
    role = UnicodeAttribute()  # who attached it
    at = UnicodeAttribute()
    internal = BooleanAttribute(default=False)


class TableItem(Model):
    # One Meta object for every item model, re-pointed by connection.bind_table.
    Meta = TableMeta  # type: ignore[assignment]

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()


class ComplaintItem(TableItem, discriminator="complaint"):
    ticket = UnicodeAttribute()
    tracking_hash = UnicodeAttribute()
    channel = UnicodeAttribute()
    category = UnicodeAttribute()
    unit = UnicodeAttribute()
    title = UnicodeAttribute()
    description = UnicodeAttribute()
    reporter = MapAttribute[str, Any]()
    location = MapAttribute[str, Any](null=True)
    received_at = UnicodeAttribute()
    due_at = UnicodeAttribute()
    status = UnicodeAttribute()
    version = NumberAttribute()
    outside_hours = BooleanAttribute()
    timeline = ListAttribute[Any]()
    entered_by = UnicodeAttribute(null=True)
    entered_unit = UnicodeAttribute(null=True)
    agency = UnicodeAttribute(null=True)
    follow_up = FollowUpAttribute(null=True)
    first_follow_up_at = UnicodeAttribute(null=True)
    validation_rejections = NumberAttribute(default=0)
    decision_reason = UnicodeAttribute(null=True)
    feedback = FeedbackAttribute(null=True)
    disputed = BooleanAttribute(null=True)
    partner = UnicodeAttribute(null=True)  # channel open311: the partner's name
    media_url = UnicodeAttribute(null=True)  # channel open311: a link, never fetched
    # The reporter's consent to messages ({"sms": bool, "email": bool}) and the token of
    # their unsubscribe link; both absent when they asked for none.
    notify = MapAttribute[str, Any](null=True)
    unsubscribe_token = UnicodeAttribute(null=True)
    # The files its writes claimed (absent on a complaint without any).
    files = ListAttribute[FileAttribute](of=FileAttribute, null=True)
    # Index keys, derived from the fields above.
    open_unit = UnicodeAttribute(null=True)
    unit_month = UnicodeAttribute()
    unit_status = UnicodeAttribute()
    public_month = UnicodeAttribute(null=True)  # sparse: never on a confidential complaint
    disputed_unit = UnicodeAttribute(null=True)

    open_by_due = OpenByDueIndex()
    by_unit_month = UnitMonthIndex()
    by_unit_status = UnitStatusIndex()
    by_status_due = StatusDueIndex()
    by_public_month = PublicMonthIndex()
    disputed_by_due = DisputedByDueIndex()


class AuditEventItem(TableItem, discriminator="event"):
    ticket = UnicodeAttribute()
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    role = UnicodeAttribute()
    action = UnicodeAttribute()
    from_status = UnicodeAttribute(null=True)
    to_status = UnicodeAttribute()
    unit = UnicodeAttribute()
    note = UnicodeAttribute(null=True)
    version = NumberAttribute(default=1)
    previous_unit = UnicodeAttribute(null=True)
    disputed = BooleanAttribute(null=True)
    attachments = ListAttribute[str](null=True)  # the upload ids the change claimed


class IdempotencyItem(TableItem, discriminator="idempotency"):
    fingerprint = UnicodeAttribute()
    ticket = UnicodeAttribute()
    response = UnicodeAttribute()  # the JSON body first answered, replayed on retries
    created_at = UnicodeAttribute()
    expires_at = NumberAttribute()  # TTL: DynamoDB deletes the record after it


class NotificationItem(TableItem, discriminator="notification"):
    """The claim on one email (one audit event, one recipient): de-duplicates sends."""

    ticket = UnicodeAttribute()
    action = UnicodeAttribute()
    status = UnicodeAttribute()  # pending | sent | failed
    claim_token = UnicodeAttribute()  # who holds the claim (one per attempt)
    claimed_at = UnicodeAttribute()
    lease_until = UnicodeAttribute()  # a pending claim older than this is abandoned
    sent_at = UnicodeAttribute(null=True)
    message_id = UnicodeAttribute(null=True)
    error = UnicodeAttribute(null=True)  # the SES error code of the last failure
    expires_at = NumberAttribute()  # TTL: DynamoDB deletes the record after it


class PartnerItem(TableItem, discriminator="partner"):
    """An Open311 partner: its name and the SHA-256 of its key (never the key)."""

    partner_id = UnicodeAttribute()
    name = UnicodeAttribute()
    key_hash = UnicodeAttribute()
    created_at = UnicodeAttribute()
    revoked_at = UnicodeAttribute(null=True)


class ReceiptItem(TableItem, discriminator="receipt"):
    """The tracking code, kept only until the receipt message has gone (and 24 h at most).

    Written in the create's transaction when the reporter asked for messages: the
    receipt SMS or email is how a walk-in reporter keeps the code. The complaint
    itself keeps only the code's hash.
    """

    tracking_code = UnicodeAttribute()
    expires_at = NumberAttribute()  # TTL: DynamoDB deletes the record after it


class OptOutItem(TableItem, discriminator="opt_out"):
    """The reporter followed the unsubscribe link: no further messages for the complaint."""

    at = UnicodeAttribute()


class OfficerMonthIndex(GlobalSecondaryIndex["AccessItem"]):
    """Sparse: only access records carry ``officer_month`` (``<officer>#<WIB month>``)."""

    Meta = _all_projected("officer_month")
    officer_month = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)


class AccessItem(TableItem, discriminator="access"):
    """Who saw a reporter's identity unmasked: field names only, never the values."""

    ticket = UnicodeAttribute()
    at = UnicodeAttribute()
    officer = UnicodeAttribute()
    officer_sub = UnicodeAttribute()
    role = UnicodeAttribute()
    fields = ListAttribute[str]()
    route = UnicodeAttribute()
    request_id = UnicodeAttribute()
    officer_month = UnicodeAttribute()

    by_officer_month = OfficerMonthIndex()


class AccountEventItem(TableItem, discriminator="account"):
    """An action on an officer account and the operator who took it."""

    at = UnicodeAttribute()
    action = UnicodeAttribute()
    officer = UnicodeAttribute()
    operator = UnicodeAttribute()
    operator_kind = UnicodeAttribute()
    detail = UnicodeAttribute(null=True)


class UploadItem(TableItem, discriminator="upload"):
    """A photo or document slot and what the checker found (``domain.uploads``).

    ``expires_at`` is the TTL: an unclaimed upload is forgotten two days after its slot
    was handed out; claiming it removes the TTL, so it lives as long as its complaint.
    """

    upload_id = UnicodeAttribute()
    owner = UnicodeAttribute()  # public | officer
    officer = UnicodeAttribute(null=True)
    filename = UnicodeAttribute()
    declared_type = UnicodeAttribute()
    declared_size = NumberAttribute()
    created_at = UnicodeAttribute()
    slot_expires_at = UnicodeAttribute()
    status = UnicodeAttribute()  # checking | clean | refused
    refusal = UnicodeAttribute(null=True)
    content_type = UnicodeAttribute(null=True)
    size = NumberAttribute(null=True)
    width = NumberAttribute(null=True)
    height = NumberAttribute(null=True)
    checked_at = UnicodeAttribute(null=True)
    claimed_by = UnicodeAttribute(null=True)
    expires_at = NumberAttribute(null=True)  # TTL while unclaimed

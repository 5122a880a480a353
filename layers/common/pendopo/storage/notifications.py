"""The notification log: one claim per (audit event, recipient), so each email goes once.

A claim is a conditional PutItem in the complaints table:

- no record yet, or a ``failed`` one, or a ``pending`` one whose lease has run out
  (the sender crashed mid-send) -> the claim is ours (``Claimed``): send, then
  ``mark_sent``; on an SES error ``release`` marks it ``failed`` so a retry sends;
- a ``sent`` record -> ``AlreadySent``: a retried batch sends nothing twice;
- a ``pending`` record within its lease -> ``InProgress``: someone else is sending
  it right now; the caller fails the record so the stream retries it later;
- a record holding this claim's own token -> ``Claimed``: botocore retried the put
  after its answer was lost, so the claim is already ours (without this, the email
  would wait for the lease, and a recap's retries within it would give it up).

pynamodb expresses these conditions directly (``|``, ``&`` on attributes), so the
log uses the same models and connection as the rest of the table. A failed
condition is followed by one consistent GetItem to tell the three cases apart
(pynamodb 6 does not expose ReturnValuesOnConditionCheckFailure).

Records expire through the table's TTL (``expires_at``), 30 days by default:
longer than any stream retry (records leave the stream after 24 hours).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from pendopo.domain.clock import to_utc_iso
from pendopo.storage.errors import response_code
from pendopo.storage.items import NotificationItem, notification_pk

DEFAULT_LEASE = timedelta(minutes=2)
DEFAULT_RETENTION = timedelta(days=30)
_CONDITION_FAILED = "ConditionalCheckFailedException"


class ClaimStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class NotificationKey:
    """One email: the audit event (ticket and its sort key) and one recipient."""

    ticket: str
    event_sk: str
    recipient: str


@dataclass(frozen=True, slots=True)
class Claimed:
    key: NotificationKey
    token: str


class AlreadySent:
    pass


class InProgress:
    pass


ClaimResult = Claimed | AlreadySent | InProgress


class NotificationLog:
    def __init__(
        self, lease: timedelta = DEFAULT_LEASE, retention: timedelta = DEFAULT_RETENTION
    ) -> None:
        self._lease = lease
        self._retention = retention

    def claim(self, key: NotificationKey, action: str, now: datetime) -> ClaimResult:
        """Take the right to send this email, or learn why not."""
        token = uuid.uuid4().hex
        now_iso = to_utc_iso(now)
        item = NotificationItem(
            notification_pk(key.ticket, key.event_sk),
            key.recipient,
            ticket=key.ticket,
            action=action,
            status=ClaimStatus.PENDING.value,
            claim_token=token,
            claimed_at=now_iso,
            lease_until=to_utc_iso(now + self._lease),
            expires_at=int((now + self._retention).timestamp()),
        )
        takeable = (
            NotificationItem.pk.does_not_exist()
            | (NotificationItem.status == ClaimStatus.FAILED.value)
            | (
                (NotificationItem.status == ClaimStatus.PENDING.value)
                & (NotificationItem.lease_until < now_iso)
            )
            # This very put again: botocore resends it when its answer was lost (a
            # timeout, a reset connection) after DynamoDB had written it. The token is
            # new for every claim, so nothing else can match it.
            | (NotificationItem.claim_token == token)
        )
        try:
            item.save(condition=takeable)
        except PutError as error:
            if response_code(error) != _CONDITION_FAILED:
                raise
            return self._why_not(key)
        return Claimed(key=key, token=token)

    def mark_sent(self, claim: Claimed, now: datetime, message_id: str) -> bool:
        """Record the send; False if the claim was taken over meanwhile (sent anyway)."""
        return self._finish(
            claim,
            [
                NotificationItem.status.set(ClaimStatus.SENT.value),
                NotificationItem.sent_at.set(to_utc_iso(now)),
                NotificationItem.message_id.set(message_id),
                NotificationItem.error.remove(),
            ],
        )

    def release(self, claim: Claimed, error_code: str) -> bool:
        """The send failed: mark the claim ``failed`` so the next attempt may take it."""
        return self._finish(
            claim,
            [
                NotificationItem.status.set(ClaimStatus.FAILED.value),
                NotificationItem.error.set(error_code[:100]),
            ],
        )

    def status_of(self, key: NotificationKey) -> ClaimStatus | None:
        try:
            item = NotificationItem.get(
                notification_pk(key.ticket, key.event_sk), key.recipient, consistent_read=True
            )
        except DoesNotExist:
            return None
        return ClaimStatus(item.status)

    def _why_not(self, key: NotificationKey) -> ClaimResult:
        status = self.status_of(key)
        if status is ClaimStatus.SENT:
            return AlreadySent()
        # Pending within its lease; or the record changed between the two calls
        # (taken over, expired): leave it to the retry.
        return InProgress()

    def _finish(self, claim: Claimed, actions: list[object]) -> bool:
        item = NotificationItem(
            notification_pk(claim.key.ticket, claim.key.event_sk), claim.key.recipient
        )
        try:
            item.update(
                actions=actions,  # type: ignore[arg-type]
                condition=NotificationItem.claim_token == claim.token,
            )
        except UpdateError as error:
            if response_code(error) != _CONDITION_FAILED:
                raise
            return False
        return True

"""Notification emails, driven by the complaints table's DynamoDB stream.

Only INSERTs of audit-event items (``kind=event``) lead to emails; everything else
in the stream (complaint updates, idempotency and notification records, TTL
deletions) is ignored here, and the event source's filter already drops most of it.

Thin by design: each stream record becomes one ``NotifyService.notify`` call. A
record whose emails were not all sent is reported in ``batchItemFailures``
(Powertools' BatchProcessor), so Lambda retries it; the notification log makes
the retry send only what is still missing.

Logs carry counts, tickets and actions only: never recipient addresses, never
the reporter's data.
"""

from __future__ import annotations

import pendopo.runtime.coldstart  # first: the init runs without GC passes (see there)

# isort: split
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from pendopo.runtime.bootstrap import connect
from pendopo.runtime.bootstrap import notify_service as build_service
from pendopo.runtime.observability import logger, metrics
from pendopo.runtime.settings import get_settings
from pendopo.services.notify import Delivery, NotificationsIncomplete
from pendopo.storage.complaints import audit_event_from_image

MAX_LOGGED_EVENTS = 50


settings = get_settings()
# Created at cold start, when Lambda gives the init phase a full CPU.
connect(settings)
service = build_service(settings)
processor = BatchProcessor(
    event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False
)


@dataclass
class _Batch:
    """Counts of one invocation, for its one log line and its metrics."""

    records: int = 0
    ignored: int = 0
    deliveries: list[Delivery] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(delivery, name) for delivery in self.deliveries)


_batch = _Batch()


def record_handler(record: DynamoDBRecord) -> None:
    _batch.records += 1
    image = record.dynamodb.new_image if record.dynamodb else {}
    parsed = (
        audit_event_from_image(image)
        if record.event_name is DynamoDBRecordEventName.INSERT
        else None
    )
    if parsed is None:
        _batch.ignored += 1
        return
    event, event_sk = parsed
    try:
        delivery = service.notify(event, event_sk)
    except Exception as error:
        # The type only: messages of storage errors could quote keys (recipients).
        _batch.errors.append(type(error).__name__)
        raise
    _batch.deliveries.append(delivery)
    if not delivery.complete:
        raise NotificationsIncomplete(delivery)


def _report(batch: _Batch, failed_records: int) -> None:
    sent, duplicates, failed = (
        batch.total("sent"),
        batch.total("duplicates"),
        batch.total("failed"),
    )
    metrics.add_metric(name="NotificationSent", unit=MetricUnit.Count, value=sent)
    metrics.add_metric(name="NotificationFailed", unit=MetricUnit.Count, value=failed)
    metrics.add_metric(name="NotificationSkippedDuplicate", unit=MetricUnit.Count, value=duplicates)
    logger.info(
        "Notification batch",
        extra={
            "records": batch.records,
            "ignored": batch.ignored,
            "sent": sent,
            "skipped_duplicate": duplicates,
            "failed": failed,
            "in_progress_elsewhere": batch.total("in_progress"),
            "failed_records": failed_records,
            "errors": sorted({*batch.errors, *(e for d in batch.deliveries for e in d.errors)}),
            "events": [
                {
                    "ticket": d.ticket,
                    "action": d.action,
                    "recipients": d.recipients,
                    "sent": d.sent,
                    "skipped_duplicate": d.duplicates,
                    "failed": d.failed,
                    **({"complaint_missing": True} if d.complaint_missing else {}),
                }
                for d in batch.deliveries[:MAX_LOGGED_EVENTS]
            ],
        },
    )


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    global _batch
    _batch = _Batch()
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    _report(_batch, len(response.get("batchItemFailures", [])))
    return dict(response)


pendopo.runtime.coldstart.end_init()  # the last statement of the init

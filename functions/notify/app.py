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

import pendopo.coldstart  # first: the init runs without GC passes (see there)

# isort: split
from dataclasses import dataclass, field
from datetime import timedelta
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

from pendopo.domain.clock import Clock, SystemClock
from pendopo.domain.taxonomy import load_recipients, load_taxonomy
from pendopo.notifications.ses import SesMailer
from pendopo.observability import logger, metrics
from pendopo.services.notify import Delivery, NotificationsIncomplete, NotifyService
from pendopo.settings import Settings, get_settings
from pendopo.storage.complaints import ComplaintStore, audit_event_from_image
from pendopo.storage.items import aws_client, bind_table
from pendopo.storage.notifications import NotificationLog

MAX_LOGGED_EVENTS = 50


def build_service(
    settings: Settings, *, clock: Clock | None = None, ses_client: Any = None
) -> NotifyService:
    """The service of a deployment (tests pass their own clock or SES client)."""
    if not settings.ses_sender:
        raise RuntimeError("SES_SENDER is not set: the notify function has no sender address")
    taxonomy = load_taxonomy()
    client = ses_client or aws_client("sesv2", settings.region, settings.endpoint_url)
    return NotifyService(
        complaints=ComplaintStore(),
        log=NotificationLog(
            lease=timedelta(seconds=settings.notify_lease_seconds),
            retention=timedelta(days=settings.notification_retention_days),
        ),
        mailer=SesMailer(client, settings.ses_sender, settings.ses_configuration_set),
        recipients=load_recipients(override_json=settings.recipients_json, taxonomy=taxonomy),
        taxonomy=taxonomy,
        console_url=settings.console_url,
        clock=clock or SystemClock(),
    )


settings = get_settings()
# Created at cold start, when Lambda gives the init phase a full CPU.
bind_table(settings.table_name, settings.region, settings.endpoint_url)
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


pendopo.coldstart.end_init()  # the last statement of the init

"""Notification emails, driven by the complaints table's DynamoDB stream.

Only INSERTs of audit-event items (``kind=event``) lead to emails; everything else
in the stream (complaint updates, idempotency and notification records, TTL
deletions) is ignored here, and the event source's filter already drops most of it.

Thin by design: each stream record becomes one ``NotifyService.notify`` call. A
record whose emails were not all sent is reported in ``batchItemFailures``
(``ReportBatchItemFailures``: its sequence number), so Lambda retries it; the
notification log makes the retry send only what is still missing.

The partial batch response is built here, as Powertools' ``BatchProcessor`` builds it
for a DynamoDB stream (every record handled, each failure's ``SequenceNumber``,
an event without records refused): importing Powertools' batch utility also imported
``asyncio`` (for its async processor) and every event source data class, about a tenth
of this function's cold start, for a loop this short. The images are deserialized by
the same Powertools ``TypeDeserializer`` its ``DynamoDBRecord`` uses
(``storage.complaints.audit_event_of_record``, shared with the aggregator).

Logs carry counts, tickets and actions only: never recipient addresses, never
the reporter's data.
"""

from __future__ import annotations

import pendopo.runtime.coldstart  # first: the init runs without GC passes (see there)

# isort: split
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from pendopo.runtime.bootstrap import connect
from pendopo.runtime.bootstrap import notify_service as build_service
from pendopo.runtime.observability import logger, metrics
from pendopo.runtime.settings import get_settings
from pendopo.services.notify import Delivery, NotificationsIncomplete
from pendopo.storage.complaints import audit_event_of_record

MAX_LOGGED_EVENTS = 50


settings = get_settings()
# Created at cold start, when Lambda gives the init phase a full CPU.
connect(settings)
service = build_service(settings)


@dataclass
class _Batch:
    """Counts of one invocation, for its one log line and its metrics."""

    records: int = 0
    ignored: int = 0
    tagged: int = 0  # uploads' clean copies tagged claimed
    deliveries: list[Delivery] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(delivery, name) for delivery in self.deliveries)

    def reporter_total(self, name: str) -> int:
        return sum(getattr(delivery.reporter, name) for delivery in self.deliveries)


_batch = _Batch()


def record_handler(record: dict[str, Any]) -> None:
    _batch.records += 1
    parsed = audit_event_of_record(record)
    if parsed is None:
        _batch.ignored += 1
        return
    event, event_sk = parsed
    try:
        # Claimed uploads first: their tag is what keeps the files (at least once).
        _batch.tagged += service.tag_claimed(event)
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
    # The reporter's own messages (issue #16): per channel sent, failures together.
    reporter = {
        name: batch.reporter_total(name)
        for name in ("sms_sent", "sms_failed", "email_sent", "email_failed", "duplicates")
    }
    metrics.add_metric(name="ReporterSmsSent", unit=MetricUnit.Count, value=reporter["sms_sent"])
    metrics.add_metric(
        name="ReporterEmailSent", unit=MetricUnit.Count, value=reporter["email_sent"]
    )
    metrics.add_metric(
        name="ReporterMessageFailed",
        unit=MetricUnit.Count,
        value=reporter["sms_failed"] + reporter["email_failed"],
    )
    logger.info(
        "Notification batch",
        extra={
            "records": batch.records,
            "ignored": batch.ignored,
            "sent": sent,
            "skipped_duplicate": duplicates,
            "failed": failed,
            "in_progress_elsewhere": batch.total("in_progress"),
            "dropped_not_allowed": batch.total("dropped"),
            "failed_records": failed_records,
            "uploads_tagged_claimed": batch.tagged,
            "reporter_messages": reporter,
            "errors": sorted(
                {
                    *batch.errors,
                    *(e for d in batch.deliveries for e in (*d.errors, *d.reporter.errors)),
                }
            ),
            "events": [
                {
                    "ticket": d.ticket,
                    "action": d.action,
                    "recipients": d.recipients,
                    "sent": d.sent,
                    "skipped_duplicate": d.duplicates,
                    "failed": d.failed,
                    **({"complaint_missing": True} if d.complaint_missing else {}),
                    **(
                        {"reporter_sent": d.reporter.sent, "reporter_failed": d.reporter.failed}
                        if d.reporter.recipients
                        else {}
                    ),
                }
                for d in batch.deliveries[:MAX_LOGGED_EVENTS]
            ],
        },
    )


def process_batch(event: dict[str, Any]) -> dict[str, Any]:
    """Every record through ``record_handler``; the ones that raised, by sequence number."""
    records = event.get("Records")
    if not records or not isinstance(records, list):
        raise ValueError("Invalid event format: not a DynamoDB Streams batch (no Records)")
    failures = []
    for record in records:
        try:
            record_handler(record)
        except Exception as error:  # reported, so Lambda retries the record
            logger.debug(f"Record processing exception: {type(error).__name__}")
            sequence = (record.get("dynamodb") or {}).get("SequenceNumber")
            failures.append({"itemIdentifier": sequence})
    return {"batchItemFailures": failures}


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    global _batch
    _batch = _Batch()
    response = process_batch(event)
    _report(_batch, len(response["batchItemFailures"]))
    return response


pendopo.runtime.coldstart.end_init()  # the last statement of the init

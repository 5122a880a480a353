"""The live figures' counters, kept from the complaints table's DynamoDB stream (issue #19).

A second consumer of the stream, beside notify, with the same filter: only INSERTs
of audit events (``kind=event``) reach it. Each record becomes one
``StatsService.refresh(ticket, version)``: the complaint's counters brought up to the
complaint as it is now, exactly once (the complaint's stats ledger, written in the
same TransactWriteItems as the counters, on condition that it is still the one
read). A duplicated or retried record finds the ledger at its version and writes
nothing; a record that failed is reported in ``batchItemFailures`` and retried.

The partial batch response is built here as in functions/notify (and for the same
cold-start reason). Logs carry counts and tickets only.
"""

from __future__ import annotations

import pendopo.runtime.coldstart  # first: the init runs without GC passes (see there)

# isort: split
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from pendopo.domain.clock import Clock, SystemClock
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.runtime.bootstrap import connect, stats_service
from pendopo.runtime.observability import logger, metrics
from pendopo.runtime.settings import get_settings
from pendopo.services.stats import Refresh
from pendopo.storage.complaints import audit_event_of_record

MAX_LOGGED_EVENTS = 50

settings = get_settings()
connect(settings)
clock: Clock = SystemClock()
service = stats_service(load_taxonomy(), clock)


@dataclass
class _Batch:
    records: int = 0
    ignored: int = 0
    refreshes: list[Refresh] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.refreshes if r.outcome == outcome)


_batch = _Batch()


def record_handler(record: dict[str, Any]) -> None:
    _batch.records += 1
    parsed = audit_event_of_record(record)
    if parsed is None:
        _batch.ignored += 1
        return
    event, _ = parsed
    try:
        refresh = service.refresh(event.ticket, event.version)
    except Exception as error:
        _batch.errors.append(type(error).__name__)
        raise
    _batch.refreshes.append(refresh)


def process_batch(event: dict[str, Any]) -> dict[str, Any]:
    """Every record through ``record_handler``; the ones that raised, by sequence number.

    Unlike notify, the records after a failed one of the same batch are not handled:
    Lambda retries from the first failure on, and a later event of the same complaint
    must not be applied before an earlier one failed (the ledger would make it
    harmless, but the failure would then hide behind a duplicate).
    """
    records = event.get("Records")
    if not records or not isinstance(records, list):
        raise ValueError("Invalid event format: not a DynamoDB Streams batch (no Records)")
    for index, record in enumerate(records):
        try:
            record_handler(record)
        except Exception as error:  # reported, so Lambda retries from this record on
            logger.debug(f"Record processing exception: {type(error).__name__}")
            return {
                "batchItemFailures": [
                    {"itemIdentifier": (r.get("dynamodb") or {}).get("SequenceNumber")}
                    for r in records[index:]
                ]
            }
    return {"batchItemFailures": []}


def _report(batch: _Batch, failed_records: int) -> None:
    applied = batch.count("applied")
    writes = sum(r.writes for r in batch.refreshes)
    metrics.add_metric(name="StatsEventsApplied", unit=MetricUnit.Count, value=applied)
    metrics.add_metric(
        name="StatsEventsDuplicate", unit=MetricUnit.Count, value=batch.count("duplicate")
    )
    metrics.add_metric(name="StatsItemsWritten", unit=MetricUnit.Count, value=writes)
    logger.info(
        "Stats batch",
        extra={
            "records": batch.records,
            "ignored": batch.ignored,
            "applied": applied,
            "duplicate": batch.count("duplicate"),
            "missing": batch.count("missing"),
            "items_written": writes,
            "failed_records": failed_records,
            "errors": sorted(set(batch.errors)),
            "tickets": [r.ticket for r in batch.refreshes[:MAX_LOGGED_EVENTS]],
        },
    )


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    global _batch
    _batch = _Batch()
    response = process_batch(event)
    _report(_batch, len(response["batchItemFailures"]))
    return response


pendopo.runtime.coldstart.end_init()  # the last statement of the init

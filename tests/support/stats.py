"""The live figures on moto: the aggregator fed from the table's stream, the recap's
figures of the same month, and both in one comparable form."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pendopo.domain.recap import Figures, MonthRecap, RecapMonth, recap_month
from pendopo.domain.taxonomy import Taxonomy
from pendopo.storage.recap import RecapReader
from tests.support.notify_stream import read_records
from tools.local.events import lambda_context
from tools.local.streams import (
    StreamPoller,
    filter_patterns,
    lambda_stream_event,
    lambda_stream_record,
    passes,
)

REROUTE_PK = {"category": "PARKING", "reason": "Soal parkir liar, bukan jalan."}


def audit_records(stream: StreamPoller) -> list[dict[str, Any]]:
    """The stream records since the last read that the aggregator's filter lets through."""
    patterns = filter_patterns("AggregateFunction")
    return [r for r in read_records(stream) if passes(patterns, lambda_stream_record(r, ""))]


def deliver(app: Any, records: list[dict[str, Any]], stream: StreamPoller) -> dict[str, Any]:
    event = json.loads(json.dumps(lambda_stream_event(records, stream.stream_arn)))
    result: dict[str, Any] = app.lambda_handler(event, lambda_context("AggregateFunction", 60))
    return result


def recap_of(month: RecapMonth, taxonomy: Taxonomy) -> MonthRecap:
    """The recap's figures, read as the recap function reads them."""
    reader = RecapReader()
    by_unit = {unit: reader.complaints_of(unit, month) for unit in taxonomy.units}
    return recap_month(month, by_unit, taxonomy)


def _hours(value: Any) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)


def recap_figures(f: Figures) -> dict[str, Any]:
    """The recap's figures in the dashboard's names (what the dashboard must equal)."""
    s = f.satisfaction
    return {
        "received": f.received,
        "by_channel": {c.code: c.count for c in f.by_channel if c.count},
        "top_categories": [(c.code, c.count) for c in f.by_category[:5]],
        "open": f.open_at_end,
        "overdue": f.overdue_at_end,
        "overdue_bands": [(b.label, b.count) for b in f.overdue_bands],
        "max_overdue_hours": _hours(f.max_overdue),
        "follow_ups_delivered": f.delivered,
        "within_3_days": f.on_time,
        "within_3_days_pct": None if f.on_time_percent is None else round(f.on_time_percent, 1),
        "assessed": f.assessed,
        "median_hours_to_follow_up": _hours(f.median_to_follow_up),
        "p90_hours_to_follow_up": _hours(f.p90_to_follow_up),
        "rejected_at_verification": f.rejected_at_verification,
        "follow_ups_returned": f.follow_ups_rejected,
        "satisfaction": {
            "rated": s.rated,
            "average": None if s.average is None else round(s.average, 2),
            "satisfied_pct": None if s.satisfied_percent is None else round(s.satisfied_percent, 1),
            "disputed": s.disputed,
            "reopened": s.reopened,
            "finished": s.finished,
        },
    }


def dashboard_figures(f: dict[str, Any]) -> dict[str, Any]:
    """The dashboard's figures in the same comparable form."""
    return {
        **f,
        "by_channel": {c["code"]: c["count"] for c in f["by_channel"] if c["count"]},
        "top_categories": [(c["code"], c["count"]) for c in f["top_categories"]],
        "overdue_bands": [(b["label"], b["count"]) for b in f["overdue_bands"]],
    }


@contextmanager
def count_calls() -> Iterator[Counter[str]]:
    """The DynamoDB calls made on the storage's shared client while inside."""
    from pendopo.storage.connection import shared_connection

    calls: Counter[str] = Counter()

    def before_call(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    events = shared_connection().client.meta.events
    events.register("before-call.dynamodb", before_call)
    try:
        yield calls
    finally:
        events.unregister("before-call.dynamodb", before_call)

"""Read amplification of the Open311 list (``GET requests``) on the shared 100,000 complaints.

Part of the ``reads`` section (``tools.bench.reads``): the same table as the deadline
check and the recap, one complaint in ten confidential (``tools.bench.data``). The list
is asked as a partner asks it, through the service and storage the route uses: the
default (the last 90 days, open and closed, the first 1,000), open only, closed only.
Items relevant: the complaints answered, checked against the data set (the newest
public ones in the range). Items read: ``ScannedCount`` of every call, counted by a
botocore ``after-call`` hook. Goal: read / relevant <= 1.05, no Scan, and never a
confidential complaint (the sparse ``public_month`` index does not hold them).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# (name, status filter): the lists measured, each the first page of 1,000.
CASES: tuple[tuple[str, str | None], ...] = (
    ("Open311 list, last 90 days", None),
    ("Open311 list, status=open", "open"),
    ("Open311 list, status=closed", "closed"),
)


@dataclass
class ReadCount:
    calls: Counter[str] = field(default_factory=Counter)
    items: int = 0


@contextmanager
def counting_reads() -> Iterator[ReadCount]:
    """Every DynamoDB call of the storage's client, and the items each read."""
    from pendopo.storage.connection import shared_connection

    count = ReadCount()

    def after_call(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        count.calls[model.name] += 1
        count.items += int(parsed.get("ScannedCount", parsed.get("Count", 0)) or 0)

    events = shared_connection().client.meta.events
    events.register("after-call.dynamodb.*", after_call)
    try:
        yield count
    finally:
        events.unregister("after-call.dynamodb.*", after_call)


def expected(public: list[tuple[datetime, bool]], now: datetime, status: str | None) -> int:
    """How many the first page must answer: the public complaints in range, at most 1,000."""
    from pendopo.services.open311 import MAX_RANGE, MAX_RESULTS

    start = now - MAX_RANGE
    in_range = [
        closed
        for received, closed in public
        if start <= received <= now and (status is None or closed == (status == "closed"))
    ]
    return min(MAX_RESULTS, len(in_range))


def measure(
    now: datetime, public: list[tuple[datetime, bool]], table: str, region: str
) -> list[dict[str, Any]]:
    """Each case's calls, items read, items answered (checked) and wall time."""
    from pendopo.domain.clock import FixedClock
    from pendopo.domain.taxonomy import load_taxonomy
    from pendopo.runtime.bootstrap import open311_read_service
    from pendopo.services.open311 import RequestFilter
    from pendopo.storage.connection import bind_table

    bind_table(table, region, None)
    service = open311_read_service(load_taxonomy(), FixedClock(now))
    figures = []
    for name, status in CASES:
        with counting_reads() as count:
            started = time.perf_counter()
            answered = service.requests(RequestFilter(status=status))
            seconds = time.perf_counter() - started
        relevant = expected(public, now, status)
        if len(answered) != relevant:
            raise AssertionError(f"{name}: answered {len(answered)}, expected {relevant}")
        figures.append(
            {
                "name": name,
                "items_read": count.items,
                "relevant": relevant,
                "calls": dict(count.calls),
                "seconds": seconds,
            }
        )
    return figures

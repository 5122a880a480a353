"""Benchmark of the daily deadline check (``make bench``): reads, calls and wall time.

100,000 complaints in moto's DynamoDB (in this process), 1,000 of them open with
deadlines inside the check's window, the rest closed, rejected or awaiting validation
(so not in the sparse ``open_by_due`` index). The check then plans its digests as of
a fixed time. A botocore event hook on the storage's client counts every DynamoDB
call by operation and the items each Query read (``ScannedCount``). Printed, never
asserted: the goal (at most 1,050 items read, no Scan) is stated next to the figures.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

TOTAL = 100_000
OPEN = 1_000
GOAL_ITEMS = 1_050
TABLE = "pendopo-bench-sla"
REGION = "ap-southeast-3"


def _specs(now: datetime, total: int, open_count: int) -> Iterator[Any]:
    from pendopo.domain.status import Status
    from pendopo.domain.taxonomy import load_taxonomy
    from tools.bench.synthetic import AGENCY_OF_UNIT, Spec

    units = list(load_taxonomy().units)
    closed = (Status.DONE, Status.REJECTED, Status.AWAITING_VALIDATION)
    rng = random.Random(4)  # noqa: S311 - test data, the same table every run
    for serial in range(total):
        unit = units[serial % len(units)]
        if serial < open_count:
            # open, due between five days ago and 23 hours ahead: all inside the window
            due = now + timedelta(minutes=rng.randint(-5 * 24 * 60, 23 * 60))
            status = Status.DISPOSITION
        else:
            due = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            status = closed[serial % len(closed)]
        yield Spec(serial, unit, due - timedelta(days=3), due, status, AGENCY_OF_UNIT[unit])


def run(total: int = TOTAL, open_count: int = OPEN) -> dict[str, Any]:
    import boto3
    from moto import mock_aws

    from infra.template import create_tables
    from pendopo.domain.clock import WIB
    from tools.bench.synthetic import raw_item, write

    now = datetime(2025, 6, 10, 7, 0, tzinfo=WIB)
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        create_tables(client, TABLE)
        started = time.perf_counter()
        written = write(client, TABLE, (raw_item(spec) for spec in _specs(now, total, open_count)))
        load_seconds = time.perf_counter() - started
        figures = measure(now)
    return {"written": written, "load_seconds": load_seconds, **figures}


def measure(now: datetime, table: str = TABLE, region: str = REGION) -> dict[str, Any]:
    """Plan the check as of ``now`` on a loaded table; count its calls and items read."""
    from pendopo.domain.clock import FixedClock
    from pendopo.domain.sla import SlaPolicy
    from pendopo.domain.taxonomy import load_recipients, load_taxonomy
    from pendopo.services.sla_check import SlaCheckService
    from pendopo.storage.connection import bind_table, shared_connection
    from pendopo.storage.notifications import NotificationLog
    from pendopo.storage.open_complaints import OpenComplaintReader

    bind_table(table, region, None)
    taxonomy = load_taxonomy()
    service = SlaCheckService(
        reader=OpenComplaintReader(),
        log=NotificationLog(),
        mailer=_NoMail(),
        recipients=load_recipients(taxonomy=taxonomy),
        taxonomy=taxonomy,
        policy=SlaPolicy(),
        escalation_days=1,
        console_url="https://pendopo.example/console/",
        clock=FixedClock(now),
    )
    calls: Counter[str] = Counter()
    scanned = [0]

    def count(http_response: Any, parsed: dict[str, Any], model: Any, **kwargs: Any) -> None:
        calls[model.name] += 1
        scanned[0] += int(parsed.get("ScannedCount", parsed.get("Count", 0)) or 0)

    events = shared_connection().client.meta.events
    events.register("after-call.dynamodb", count)
    try:
        started = time.perf_counter()
        plan = service.plan(now)
        check_seconds = time.perf_counter() - started
    finally:
        events.unregister("after-call.dynamodb", count)
    return {
        "calls": dict(calls),
        "items_read": scanned[0],
        "counted": sum(c.reminders + c.overdue for c in plan.counts.values()),
        "check_seconds": check_seconds,
    }


class _NoMail:
    def send(self, recipient: str, email: Any) -> str:
        raise AssertionError("the benchmark plans digests; it sends nothing")


def main(total: int = TOTAL, open_count: int = OPEN) -> None:
    print(f"Deadline check: {total:,} complaints in the table, {open_count:,} open (moto)")
    figures = run(total, open_count)
    calls = figures["calls"]
    verdict = (
        "meets" if figures["items_read"] <= GOAL_ITEMS and calls.get("Scan", 0) == 0 else "misses"
    )
    loaded, seconds = figures["written"], figures["load_seconds"]
    print(f"  loaded {loaded:,} items with BatchWriteItem in {seconds:.1f} s")
    print(
        f"  items read {figures['items_read']:,} | calls "
        + ", ".join(f"{name} {n}" for name, n in sorted(calls.items()))
        + f" | Scan {calls.get('Scan', 0)} | wall time {figures['check_seconds'] * 1000:.1f} ms"
    )
    print(
        f"  complaints in digests {figures['counted']:,} "
        f"({verdict} the goal of <= {GOAL_ITEMS:,} items read and no Scan)"
    )


if __name__ == "__main__":
    main()

"""Benchmark of the monthly recap (``make bench``): 100,000 complaints over 12 months.

moto's DynamoDB (in-process) is loaded with batch writes: complaints spread over the
12 months of 2025 and the 7 units, each with the index keys the store writes. Then
the recap of one month is built (``RecapService.build``: one paginated Query of the
``unit_month`` index per unit) while a botocore event hook on the table's client
counts every call and the items each returns. It prints the items read against the
month's complaints (goal: at most 1.05 x), the Scan calls (goal: 0) and the wall time.
Measured and printed, never asserted here; a test runs the same code on a small table.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from moto import mock_aws

from infra.template import create_tables
from pendopo.domain.clock import to_wib
from pendopo.domain.complaint import Channel, Complaint, Reporter, TimelineEntry
from pendopo.domain.recap import RecapMonth
from pendopo.domain.recap import recap_month as compute_recap
from pendopo.domain.status import Action, Status
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.storage.complaints import _complaint_item
from pendopo.storage.connection import bind_table, shared_connection
from pendopo.storage.recap import RecapReader

TABLE = "pendopo-bench-complaints"
REGION = "ap-southeast-3"
YEAR = 2025
BATCH = 25


@dataclass
class RecapBench:
    total: int
    month: str
    month_items: int
    items_read: int
    queries: int
    scans: int
    load_seconds: float
    recap_seconds: float

    @property
    def ratio(self) -> float:
        return self.items_read / self.month_items if self.month_items else 0.0


def _complaints(total: int, seed: int) -> list[Complaint]:
    taxonomy = load_taxonomy()
    categories = list(taxonomy.categories.values())
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    start = datetime(YEAR, 1, 1, tzinfo=UTC) - timedelta(hours=7)  # 1 Jan 00:00 WIB
    seconds = int(
        (datetime(YEAR + 1, 1, 1, tzinfo=UTC) - timedelta(hours=7) - start).total_seconds()
    )
    reporter = Reporter(name="Pelapor Uji", phone="+6281234567890")
    made = []
    for index in range(total):
        received = start + timedelta(seconds=rng.randrange(seconds))
        category = rng.choice(categories)
        status = rng.choice([Status.WAITING, Status.COORDINATION, Status.DONE])
        made.append(
            Complaint(
                ticket=f"{to_wib(received):%y%m}-{index // 10000:04d}-{index % 10000:04d}",
                tracking_hash="x",
                channel=rng.choice(list(Channel)),
                category=category.code,
                unit=category.unit,
                title="Pengaduan uji beban",
                description="Uraian pengaduan untuk uji beban rekap bulanan Pendopo.",
                reporter=reporter,
                location=None,
                received_at=received,
                due_at=received + timedelta(days=3),
                status=status,
                version=1,
                outside_hours=False,
                timeline=(TimelineEntry(at=received, action=Action.SUBMIT, status=status),),
            )
        )
    return made


def _load(client: Any, complaints: list[Complaint]) -> None:
    """BatchWriteItem in 25s, with each item exactly as the store writes it."""
    items = []
    for complaint in complaints:
        item = _complaint_item(complaint)
        serialized = item.serialize()
        items.append({"PutRequest": {"Item": serialized}})
    for offset in range(0, len(items), BATCH):
        request: dict[str, Any] = {TABLE: items[offset : offset + BATCH]}
        while request:
            answer = client.batch_write_item(RequestItems=request)
            request = answer.get("UnprocessedItems") or {}


def run(total: int = 100_000, month: str = "2025-06", seed: int = 28) -> RecapBench:
    """Load ``total`` complaints into moto, recap ``month``, count what was read."""
    recap_month = RecapMonth.parse(month)
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        create_tables(client, TABLE)
        complaints = _complaints(total, seed)
        started = time.perf_counter()
        _load(client, complaints)
        load_seconds = time.perf_counter() - started
        month_items = sum(1 for c in complaints if recap_month.contains(c.received_at))
        return measure(month, month_items, total, load_seconds)


def measure(
    month: str, month_items: int, total: int, load_seconds: float, table: str = TABLE
) -> RecapBench:
    """Recap ``month`` from a loaded table, counting every call and the items each returns."""
    recap_month = RecapMonth.parse(month)
    bind_table(table, REGION, None)
    calls: Counter[str] = Counter()
    returned = {"items": 0}

    def after_call(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        calls[model.name] += 1
        returned["items"] += int(parsed.get("Count", 0) or 0)

    events = shared_connection().client.meta.events
    events.register("after-call.dynamodb.*", after_call)
    try:
        started = time.perf_counter()
        reader = RecapReader()
        taxonomy = load_taxonomy()
        by_unit = {unit: reader.complaints_of(unit, recap_month) for unit in taxonomy.units}
        compute_recap(recap_month, by_unit, taxonomy)
        recap_seconds = time.perf_counter() - started
    finally:
        events.unregister("after-call.dynamodb.*", after_call)
    return RecapBench(
        total=total,
        month=month,
        month_items=month_items,
        items_read=returned["items"],
        queries=calls["Query"],
        scans=calls["Scan"],
        load_seconds=load_seconds,
        recap_seconds=recap_seconds,
    )


def report(total: int = 100_000) -> RecapBench:
    print(f"Monthly recap: {total:,} complaints over 12 months of {YEAR} (moto, in-process)")
    bench = run(total)
    verdict = "meets" if bench.ratio <= 1.05 and bench.scans == 0 else "misses"
    print(
        f"  recap {bench.month}: {bench.items_read:,} items read for {bench.month_items:,}"
        f" complaints of the month (ratio {bench.ratio:.3f}), {bench.queries} Query calls,"
        f" {bench.scans} Scan calls, {bench.recap_seconds:.2f} s"
        f" ({verdict} the goal of <= 1.05 x and 0 scans; loading took {bench.load_seconds:.0f} s)"
    )
    return bench

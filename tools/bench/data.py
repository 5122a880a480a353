"""One data set of 100,000 complaints for the deadline-check and recap benchmarks, loaded fast.

The table holds a year of complaints ending at the check's time (``NOW``): most of
them closed (done, rejected, or their result awaiting validation, so outside the
sparse ``open_by_due`` index), a thousand open with deadlines inside the deadline
check's window, and a few hundred open with deadlines beyond it (in the index, but not
for today's check). Both benchmarks read the same table: the check as of ``NOW``, the
recap for ``RECAP_MONTH`` (a whole month inside the year).

Each item is the complaint store's own mapping (``tools.bench.synthetic.raw_item``), so
every index key is derived as in production. Loading goes **straight into moto's
in-process DynamoDB backend** (``Table.put_item``, the call moto's own
``BatchWriteItem`` ends in), skipping botocore's request serialisation and moto's
HTTP-response parsing for 100,000 items: about 20x faster than ``BatchWriteItem`` in
the same process (which took ~8.5 minutes). The stream is detached during the load
(100,000 stream records would only cost memory; nothing reads them here).

While the benchmarks read, ``frozen_reads`` memoises moto's ``all_items`` (which
sorts the whole table on every Query and page) and refuses any write meanwhile, so
the memo cannot go stale. The items and counts each Query returns are moto's, unchanged;
only moto's own wall time shrinks.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pendopo.domain.clock import WIB
from pendopo.domain.status import Status

TOTAL = 100_000
OPEN_IN_WINDOW = 1_000
OPEN_BEYOND_WINDOW = 500
# One complaint in ten is confidential: outside the sparse public_month index (Open311).
CONFIDENTIAL_EVERY = 10
# The deadline check runs as of Thursday 10 July 2025, 07:00 WIB; the recap of June 2025
# (sent on 5 July) reads a whole month from the same year of complaints.
NOW = datetime(2025, 7, 10, 7, 0, tzinfo=WIB)
RECAP_MONTH = "2025-06"
TABLE = "pendopo-bench-complaints"
REGION = "ap-southeast-3"
ACCOUNT = "123456789012"  # moto's default account
_CLOSED = (Status.DONE, Status.REJECTED, Status.AWAITING_VALIDATION)
_OPEN = (Status.WAITING, Status.COORDINATION, Status.DISPOSITION, Status.IN_PROGRESS)


@dataclass(frozen=True)
class DataSet:
    """What was loaded: enough to tell the relevant items of each benchmark."""

    total: int
    now: datetime
    received: list[datetime]  # per complaint, for the recap's month count
    public: list[tuple[datetime, bool]]  # (received, closed) of each public complaint
    open_due: list[datetime]  # deadlines of the open complaints (clock running)
    load_seconds: float

    def month_items(self, month: str) -> int:
        from pendopo.domain.recap import RecapMonth

        recap_month = RecapMonth.parse(month)
        return sum(1 for at in self.received if recap_month.contains(at))

    def open_due_by(self, end: datetime) -> int:
        return sum(1 for due in self.open_due if due <= end)


def specs(
    total: int = TOTAL,
    open_in_window: int = OPEN_IN_WINDOW,
    open_beyond: int = OPEN_BEYOND_WINDOW,
    now: datetime = NOW,
    seed: int = 28,
) -> Iterator[Any]:
    """The complaints, as ``tools.bench.synthetic.Spec``: deterministic for a seed."""
    from pendopo.domain.taxonomy import load_taxonomy
    from tools.bench.synthetic import AGENCY_OF_UNIT, Spec

    units = list(load_taxonomy().units)
    rng = random.Random(seed)  # noqa: S311 - test data, the same table every run
    year = 365 * 24 * 60
    for serial in range(total):
        unit = units[serial % len(units)]
        if serial < open_in_window:
            # open, due between five days ago and 23 hours ahead: inside the check's window
            due = now + timedelta(minutes=rng.randint(-5 * 24 * 60, 23 * 60))
            status = _OPEN[serial % len(_OPEN)]
            received = due - timedelta(days=3)
        elif serial < open_in_window + open_beyond:
            # open, received in the last day: due after the window ends (not read today)
            received = now - timedelta(minutes=rng.randint(0, 20 * 60))
            due = received + timedelta(days=3)
            status = _OPEN[serial % len(_OPEN)]
        else:
            # closed, received over the year before the last eight days
            received = now - timedelta(days=8) - timedelta(minutes=rng.randint(0, year - 8 * 1440))
            due = received + timedelta(days=3)
            status = _CLOSED[serial % len(_CLOSED)]
        agency = AGENCY_OF_UNIT[unit] if status is not Status.WAITING else None
        confidential = serial % CONFIDENTIAL_EVERY == CONFIDENTIAL_EVERY - 1
        yield Spec(serial, unit, received, due, status, agency, confidential=confidential)


def moto_table(name: str = TABLE, region: str = REGION) -> Any:
    """moto's in-process table object (inside ``mock_aws``)."""
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[ACCOUNT][region].get_table(name)


def load(
    client: Any,
    table: str = TABLE,
    *,
    total: int = TOTAL,
    open_in_window: int = OPEN_IN_WINDOW,
    open_beyond: int = OPEN_BEYOND_WINDOW,
    now: datetime = NOW,
    seed: int = 28,
) -> DataSet:
    """Create ``table`` in moto (inside ``mock_aws``) and put every complaint into its backend."""
    from infra.template import create_tables
    from tools.bench.synthetic import raw_item

    create_tables(client, table)
    backend_table = moto_table(table, client.meta.region_name)
    received: list[datetime] = []
    public: list[tuple[datetime, bool]] = []
    open_due: list[datetime] = []
    started = time.perf_counter()
    stream, backend_table.stream_shard = backend_table.stream_shard, None
    try:
        for spec in specs(total, open_in_window, open_beyond, now, seed):
            backend_table.put_item(raw_item(spec))
            received.append(spec.received_at)
            if not spec.confidential:
                public.append((spec.received_at, spec.status.is_terminal))
            if spec.status.clock_running:
                open_due.append(spec.due_at)
    finally:
        backend_table.stream_shard = stream
    return DataSet(
        total=total,
        now=now,
        received=received,
        public=public,
        open_due=open_due,
        load_seconds=time.perf_counter() - started,
    )


class WriteDuringFrozenReads(RuntimeError):
    """A benchmark wrote to the table while its reads were memoised."""


@contextmanager
def frozen_reads(backend_table: Any) -> Iterator[None]:
    """Memoise moto's sorted ``all_items`` for a read-only phase; any write raises."""
    snapshot = backend_table.all_items()

    def all_items() -> list[Any]:
        return list(snapshot)

    def refuse(*_: Any, **__: Any) -> Any:
        raise WriteDuringFrozenReads("the table is frozen for a read benchmark")

    patched = {"all_items": all_items, "put_item": refuse, "delete_item": refuse}
    for name, function in patched.items():
        setattr(backend_table, name, function)
    try:
        yield
    finally:
        for name in patched:
            delattr(backend_table, name)

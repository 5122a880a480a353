"""Officer queues: complaints by due time, read from the indexes built for them.

A queue is one or more index partitions (a unit's complaints in one status, or
every unit's complaints in one status), each already sorted by due time. A page
queries each partition for at most ``limit`` items after its own position, merges
them by due time, and keeps the first ``limit``. The position of each partition
(the key of the last item taken from it, or None once it is used up) is what the
next page starts from, so pages never repeat or skip an item, and a page reads at
most ``limit`` items per partition. Nothing here scans.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any, Literal

from pendopo.domain.clock import to_utc_iso
from pendopo.domain.complaint import Complaint
from pendopo.storage.complaints import complaint_from_item
from pendopo.storage.items import ComplaintItem

IndexName = Literal["unit_status", "status_due", "disputed_by_due"]
# The attribute that is each index's partition key.
_HASH_ATTRIBUTE: Mapping[str, str] = {
    "unit_status": "unit_status",
    "status_due": "status",
    "disputed_by_due": "disputed_unit",
}
_KEY_ATTRIBUTES = ("pk", "sk", "due_at")

# An index position as DynamoDB takes it in ExclusiveStartKey; {} means "from the top".
Position = dict[str, dict[str, str]]
# What a position's key values must look like (cursors come back from clients, and
# DynamoDB would refuse an empty or oversized key value with an error, not a 4xx).
_VALUE_PATTERNS: Mapping[str, re.Pattern[str]] = {
    "pk": re.compile(r"C#\d{4}-\d{4}-\d{4}"),
    "sk": re.compile(r"C"),
    "due_at": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"),
}


@dataclass(frozen=True, slots=True)
class QueuePartition:
    index: IndexName
    key: str  # the partition key value: "BIRO_PLH#waiting", or "waiting"

    @property
    def name(self) -> str:
        return f"{self.index}:{self.key}"

    def is_position(self, value: object) -> bool:
        """Whether ``value`` is a well-formed position inside this partition."""
        if not isinstance(value, dict):
            return False
        if not value:
            return True  # not started: from the top
        hash_attribute = _HASH_ATTRIBUTE[self.index]
        if set(value) != {*_KEY_ATTRIBUTES, hash_attribute}:
            return False
        if not all(
            isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str)
            for v in value.values()
        ):
            return False
        if not all(
            pattern.fullmatch(value[name]["S"]) for name, pattern in _VALUE_PATTERNS.items()
        ):
            return False
        return bool(value[hash_attribute]["S"] == self.key)


@dataclass(frozen=True, slots=True)
class QueueSlice:
    complaints: list[Complaint]
    # Where each partition's next page starts; None: nothing more in it.
    positions: dict[str, Position | None]

    @property
    def has_more(self) -> bool:
        return any(position is not None for position in self.positions.values())


@dataclass(frozen=True, slots=True)
class _Candidate:
    partition: QueuePartition
    item: ComplaintItem


def read_queue(
    partitions: Sequence[QueuePartition],
    *,
    limit: int,
    due_before: datetime | None = None,
    start: Mapping[str, Position | None] | None = None,
) -> QueueSlice:
    """One page of the merged partitions, most urgent (earliest due) first."""
    start = start or {}
    fetched: dict[str, list[_Candidate]] = {}
    for partition in partitions:
        if partition.name in start and start[partition.name] is None:
            continue  # used up on an earlier page
        fetched[partition.name] = _fetch(partition, limit, due_before, start.get(partition.name))
    # Merged on due time alone, each partition in the order DynamoDB gave it: equal due
    # times (common: every complaint of a closed morning) keep their index order, so
    # what is taken from a partition is always a prefix of it and its position is exact.
    merged = heapq.merge(*fetched.values(), key=lambda c: c.item.due_at)
    taken = list(islice(merged, limit))
    positions: dict[str, Position | None] = {}
    for partition in partitions:
        positions[partition.name] = _next_position(
            partition, fetched.get(partition.name), taken, limit, start
        )
    return QueueSlice(complaints=[complaint_from_item(c.item) for c in taken], positions=positions)


_INDEXES: Mapping[str, Any] = {
    "unit_status": ComplaintItem.by_unit_status,
    "status_due": ComplaintItem.by_status_due,
    "disputed_by_due": ComplaintItem.disputed_by_due,
}


def _fetch(
    partition: QueuePartition, limit: int, due_before: datetime | None, position: Position | None
) -> list[_Candidate]:
    index = _INDEXES[partition.index]
    condition = ComplaintItem.due_at < to_utc_iso(due_before) if due_before else None
    results = index.query(
        partition.key,
        range_key_condition=condition,
        limit=limit,
        page_size=limit,
        last_evaluated_key=position or None,
    )
    return [_Candidate(partition, item) for item in results]


def _next_position(
    partition: QueuePartition,
    fetched: list[_Candidate] | None,
    taken: list[_Candidate],
    limit: int,
    start: Mapping[str, Position | None],
) -> Position | None:
    if fetched is None:  # used up before this page
        return None
    mine = [c for c in taken if c.partition.name == partition.name]
    if len(mine) == len(fetched) and len(fetched) < limit:
        return None  # everything it had is on this page or earlier ones
    if not mine:
        return start.get(partition.name) or _before_first(partition)
    return _position_of(partition, mine[-1].item)


def _position_of(partition: QueuePartition, item: ComplaintItem) -> Position:
    hash_attribute = _HASH_ATTRIBUTE[partition.index]
    return {
        "pk": {"S": item.pk},
        "sk": {"S": item.sk},
        "due_at": {"S": item.due_at},
        hash_attribute: {"S": partition.key},
    }


def _before_first(partition: QueuePartition) -> Position:
    """Nothing taken yet from a partition that has items: start it from the top.

    An empty position map is how a partition that has not started is told apart
    from one used up (None); the caller treats a missing entry as "from the top".
    """
    return {}

"""A local stand-in for Lambda's DynamoDB stream event source mapping.

``StreamPoller`` reads the table's stream from the moto server (``dynamodbstreams``:
describe_stream, get_shard_iterator, get_records), drops what the function's
``FilterCriteria`` in template.yaml would drop, and invokes the function's handler
in this process with the event Lambda sends (``Records`` with eventID, eventName,
eventSource ``aws:dynamodb``, eventSourceARN, dynamodb{Keys, NewImage, OldImage,
SequenceNumber, ...}).

Like Lambda with ``ReportBatchItemFailures``, a batch whose answer lists failures is
retried from the first failed record on (the later records come again too); after
``max_attempts`` the records still failing go to ``dead_letters`` (the local
"on-failure destination") and are logged by sequence number.

Tests call ``poll_once()``/``drain()`` to deliver deterministically; the stack runs
the same loop in a background thread until ``stop()``.

moto quirk: a cancelled TransactWriteItems makes moto put back a deep copy of the
table, stream shard included, so a shard iterator taken before it reads an orphaned
shard that never grows again. The poller therefore remembers the last sequence
number it read and takes a fresh ``AFTER_SEQUENCE_NUMBER`` iterator on every poll.
moto also keeps every iterator it ever handed out (real ones expire after 15
minutes); ``bound_moto_shard_iterators`` keeps only the newest ones.
"""

from __future__ import annotations

import base64
import importlib
import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from infra.template import load_template
from tools.local.events import REGION, lambda_context

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], Any]

NOTIFY_FUNCTION = "NotifyFunction"
AGGREGATE_FUNCTION = "AggregateFunction"  # the live figures' counters (issue #19)


# --------------------------------------------------------------- the event shape


def lambda_stream_event(
    records: Iterable[Mapping[str, Any]], stream_arn: str, region: str = REGION
) -> dict[str, Any]:
    """The event Lambda sends for stream records read with the dynamodbstreams API."""
    return {"Records": [lambda_stream_record(r, stream_arn, region) for r in records]}


def lambda_stream_record(
    record: Mapping[str, Any], stream_arn: str, region: str = REGION
) -> dict[str, Any]:
    """One record as Lambda passes it: the API's record plus the source ARN.

    moto answers with awsRegion "us-east-1" whatever the region; Lambda reports the
    stream's region, so it is set here. Times become epoch seconds and binary
    values base64, as in Lambda's JSON event.
    """
    shaped: dict[str, Any] = _jsonable(dict(record))
    shaped["awsRegion"] = region
    shaped["eventSourceARN"] = stream_arn
    shaped.setdefault("eventSource", "aws:dynamodb")
    shaped.setdefault("eventVersion", "1.1")
    return shaped


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    return value


# ---------------------------------------------------------------- event filtering


def filter_patterns(function: str = NOTIFY_FUNCTION) -> list[dict[str, Any]]:
    """The FilterCriteria patterns of a function's DynamoDB event source in the template."""
    resource = load_template()["Resources"].get(function, {})
    patterns: list[dict[str, Any]] = []
    for event in resource.get("Properties", {}).get("Events", {}).values():
        if event.get("Type") != "DynamoDB":
            continue
        for entry in event.get("Properties", {}).get("FilterCriteria", {}).get("Filters", []):
            patterns.append(json.loads(entry["Pattern"]))
    return patterns


def matches(pattern: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    """Lambda event filtering for the subset we use: nested keys, lists of exact values."""
    for key, expected in pattern.items():
        if key not in record:
            return False
        actual = record[key]
        if isinstance(expected, dict):
            if not isinstance(actual, dict) or not matches(expected, actual):
                return False
        elif isinstance(expected, list):
            if any(isinstance(option, dict) for option in expected):
                raise ValueError(f"filter operator not supported locally: {expected!r}")
            if actual not in expected:
                return False
        else:
            raise ValueError(f"a filter value must be an object or a list: {expected!r}")
    return True


def passes(patterns: list[dict[str, Any]], record: Mapping[str, Any]) -> bool:
    """No patterns: everything passes; otherwise any one pattern must match (Lambda's OR)."""
    return not patterns or any(matches(pattern, record) for pattern in patterns)


# ---------------------------------------------------------------------- the poller


def import_handler(path: str) -> Handler:
    module_name, _, attribute = path.rpartition(".")
    handler: Handler = getattr(importlib.import_module(module_name), attribute)
    return handler


def function_handler(function: str = NOTIFY_FUNCTION) -> str:
    return str(load_template()["Resources"][function]["Properties"]["Handler"])


class StreamPoller:
    """Delivers a table's stream to a handler, in batches, with Lambda's retry rules."""

    def __init__(
        self,
        *,
        dynamodb_client: Any,
        streams_client: Any,
        table_name: str,
        handler: Handler | str,
        function_name: str = NOTIFY_FUNCTION,
        batch_size: int = 25,
        max_attempts: int = 3,
        interval_s: float = 0.1,
        patterns: list[dict[str, Any]] | None = None,
        timeout_s: int = 60,
        region: str = REGION,
    ) -> None:
        self._dynamodb = dynamodb_client
        self._streams = streams_client
        self._table_name = table_name
        self._handler_ref = handler
        self._function_name = function_name
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._interval_s = interval_s
        self._patterns = filter_patterns(function_name) if patterns is None else patterns
        self._timeout_s = timeout_s
        self._region = region
        self._stream_arn: str | None = None
        # Per shard: the last sequence number read (None: read from the shard's start).
        self._positions: dict[str, str | None] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.dead_letters: list[dict[str, Any]] = []
        self.invocations = 0

    @property
    def stream_arn(self) -> str:
        if self._stream_arn is None:
            raise RuntimeError("the poller is not attached to a stream: call attach()")
        return self._stream_arn

    def attach(self, position: str = "LATEST") -> None:
        """Start at every shard's end (LATEST: new records only) or start (TRIM_HORIZON)."""
        table = self._dynamodb.describe_table(TableName=self._table_name)["Table"]
        self._stream_arn = table["LatestStreamArn"]
        shards = self._streams.describe_stream(StreamArn=self._stream_arn)["StreamDescription"][
            "Shards"
        ]
        for shard in shards:
            self._positions[shard["ShardId"]] = None
            if position == "LATEST":
                # Skip what is there now, remembering where it ends.
                while self._read(shard["ShardId"]):
                    pass
            elif position != "TRIM_HORIZON":
                raise ValueError(f"unsupported starting position {position!r}")

    def _read(self, shard_id: str) -> list[dict[str, Any]]:
        """The next records of a shard after the remembered position (and move past them)."""
        last = self._positions[shard_id]
        where: dict[str, str] = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": last}
            if last is not None
            else {"ShardIteratorType": "TRIM_HORIZON"}
        )
        iterator = self._streams.get_shard_iterator(
            StreamArn=self.stream_arn, ShardId=shard_id, **where
        )["ShardIterator"]
        records: list[dict[str, Any]] = self._streams.get_records(
            ShardIterator=iterator, Limit=1000
        ).get("Records", [])
        if records:
            self._positions[shard_id] = max((_sequence(r) for r in records), key=int)
        return records

    def start(self) -> None:
        if self._stream_arn is None:
            self.attach()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pendopo-stream", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def poll_once(self) -> int:
        """Read each shard once and deliver what came; returns the records read."""
        with self._lock:
            read = 0
            for shard_id in list(self._positions):
                records = self._read(shard_id)
                read += len(records)
                wanted = [r for r in records if passes(self._patterns, lambda_stream_record(r, ""))]
                for start in range(0, len(wanted), self._batch_size):
                    self._deliver(wanted[start : start + self._batch_size])
            return read

    def drain(self, max_rounds: int = 100) -> int:
        """Poll until a round reads nothing (everything written so far is delivered)."""
        total = 0
        for _ in range(max_rounds):
            read = self.poll_once()
            if read == 0:
                return total
            total += read
        raise RuntimeError(f"the stream did not drain in {max_rounds} rounds")

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            try:
                self.poll_once()
            except Exception:
                # The stand-in keeps polling, as the event source mapping would.
                log.exception("stream poller: reading the stream failed")

    def _handler(self) -> Handler:
        if isinstance(self._handler_ref, str):
            self._handler_ref = import_handler(self._handler_ref)
        return self._handler_ref

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        pending = records
        failed: set[str] = set()
        for _attempt in range(self._max_attempts):
            failed = self._invoke(pending)
            if not failed:
                return
            # Lambda checkpoints before the first failed record and retries from there.
            first = next(
                (i for i, r in enumerate(pending) if _sequence(r) in failed),
                0,  # an unknown identifier: the whole batch again
            )
            pending = pending[first:]
        dead = [r for r in pending if _sequence(r) in failed] or pending
        self.dead_letters.extend(
            lambda_stream_record(r, self.stream_arn, self._region) for r in dead
        )
        log.warning(
            "stream poller: %d record(s) failed %d times, sent to the local DLQ: %s",
            len(dead),
            self._max_attempts,
            ", ".join(_sequence(r) for r in dead),
        )

    def _invoke(self, records: list[dict[str, Any]]) -> set[str]:
        """Run the handler once; the sequence numbers it reports failed (all on a crash)."""
        event = json.loads(json.dumps(lambda_stream_event(records, self.stream_arn, self._region)))
        context = lambda_context(self._function_name, self._timeout_s)
        self.invocations += 1
        try:
            result = self._handler()(event, context)
        except Exception:
            log.exception("stream poller: %s raised; the batch is retried", self._function_name)
            return {_sequence(r) for r in records}
        failures = (result or {}).get("batchItemFailures", []) if isinstance(result, dict) else []
        return {str(f.get("itemIdentifier")) for f in failures}


def _sequence(record: Mapping[str, Any]) -> str:
    return str(record["dynamodb"]["SequenceNumber"])


_KEPT_ITERATORS = 1000
_BOUNDED_MARK = "_pendopo_bounded_iterators"


def bound_moto_shard_iterators(kept: int = _KEPT_ITERATORS) -> None:
    """Make moto forget all but its newest ``kept`` shard iterators (idempotent).

    moto stores every iterator it hands out, forever; a poller asking several times a
    second would grow the local stack's memory without end.
    """
    from moto.dynamodbstreams.models import DynamoDBStreamsBackend

    if getattr(DynamoDBStreamsBackend, _BOUNDED_MARK, False):
        return

    def bounded(method: Callable[..., Any]) -> Callable[..., Any]:
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = method(self, *args, **kwargs)
            iterators = self.shard_iterators
            for stale in list(iterators)[: max(0, len(iterators) - kept)]:
                iterators.pop(stale, None)
            return result

        return call

    for name in ("get_shard_iterator", "get_records"):
        setattr(DynamoDBStreamsBackend, name, bounded(getattr(DynamoDBStreamsBackend, name)))
    setattr(DynamoDBStreamsBackend, _BOUNDED_MARK, True)

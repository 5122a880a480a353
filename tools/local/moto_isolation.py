"""Give moto's DynamoDB the isolation real DynamoDB has.

Real DynamoDB applies each item write and each TransactWriteItems atomically
and serializably: of two transactions that both require "this item does not
exist yet", exactly one succeeds. moto checks the conditions and then writes,
without a lock, so concurrent requests in its threaded server (or in threads
under ``mock_aws``) can both pass the check. That would make the stand-in
weaker than the real service and our concurrency tests meaningless, so the
local stack and the tests serialize moto's DynamoDB operations with one lock.
This changes nothing in our code's behaviour; it fixes the stand-in.

The streams API takes the same lock, and reads the table's current shard. moto
writes a transaction's items one by one into the live table (each adding its
stream record) and, when a later condition fails, swaps in a copy of the table
taken before, stream shard included. A shard iterator handed out before that swap
still pointed at the discarded shard, so ``GetRecords`` returned records of a
transaction that never happened (a replayed submission's phantom complaint), and
the stream poller, having moved past their sequence numbers, then skipped the next
real records that the restored shard numbered the same. Real streams never show a
cancelled transaction.

TransactWriteItems honours ``ClientRequestToken`` for ten minutes, as DynamoDB does.
botocore fills the token once per call and resends it on each retry; when an answer
is lost (a read timeout on a loaded machine) and botocore retries, DynamoDB answers
the repeat with success and applies nothing. moto ignored the token and evaluated
the conditions again, so an officer action that had succeeded came back as a 409.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Callable
from typing import Any

_LOCK = threading.RLock()
_OPERATIONS = (
    "put_item",
    "update_item",
    "delete_item",
    "get_item",
    "query",
    "batch_get_item",
    "batch_write_item",
    "transact_get_items",
    "transact_write_items",
    "execute_statement",
    "execute_transaction",
)
_STREAM_OPERATIONS = ("describe_stream", "get_shard_iterator", "get_records")
_APPLIED_MARK = "_pendopo_serialized"
# DynamoDB remembers a transaction's token for 10 minutes.
TOKEN_MEMORY_SECONDS = 600
_TOKENS: dict[tuple[str, str, str], tuple[float, str, Any]] = {}


def _serialized(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    return locked


def _on_current_shard(method: Callable[..., Any]) -> Callable[..., Any]:
    """``get_records`` reading the table's shard now, not the one of the iterator's birth."""

    @functools.wraps(method)
    def get_records(self: Any, iterator_arn: str, *args: Any, **kwargs: Any) -> Any:
        iterator = self.shard_iterators.get(iterator_arn)
        if iterator is not None:
            table = self.dynamodb.tables.get(iterator.stream_shard.table.name)
            if table is not None and table.stream_shard is not None:
                iterator.stream_shard = table.stream_shard
        return method(self, iterator_arn, *args, **kwargs)

    return get_records


def _idempotent_transaction(method: Callable[..., Any]) -> Callable[..., Any]:
    """``DynamoHandler.transact_write_items`` answering a repeated token as DynamoDB does."""
    from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException

    @functools.wraps(method)
    def transact_write_items(handler: Any) -> Any:
        token = handler.body.get("ClientRequestToken")
        if not token:
            return method(handler)
        key = (handler.current_account, handler.region, str(token))
        request = json.dumps(handler.body["TransactItems"], sort_keys=True)
        with _LOCK:
            now = time.monotonic()
            for stale in [
                k for k, (at, _, _) in _TOKENS.items() if now - at > TOKEN_MEMORY_SECONDS
            ]:
                del _TOKENS[stale]
            if key in _TOKENS:
                _, seen_request, answer = _TOKENS[key]
                if seen_request != request:
                    raise DynamodbException(
                        ERROR_TYPE_PREFIX + "IdempotentParameterMismatchException",
                        "The request uses the same client token as a previous,"
                        " but non-identical request.",
                    )
                return answer
            answer = method(handler)  # raises when cancelled: only successes are remembered
            _TOKENS[key] = (now, request, answer)
            return answer

    return transact_write_items


def serialize_moto_dynamodb() -> None:
    """Wrap moto's DynamoDB backend operations in one lock (idempotent)."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.responses import DynamoHandler
    from moto.dynamodbstreams.models import DynamoDBStreamsBackend

    if getattr(DynamoDBBackend, _APPLIED_MARK, False):
        return
    for name in _OPERATIONS:
        setattr(DynamoDBBackend, name, _serialized(getattr(DynamoDBBackend, name)))
    DynamoDBStreamsBackend.get_records = _on_current_shard(  # type: ignore[method-assign]
        DynamoDBStreamsBackend.get_records
    )
    for name in _STREAM_OPERATIONS:
        setattr(DynamoDBStreamsBackend, name, _serialized(getattr(DynamoDBStreamsBackend, name)))
    DynamoHandler.transact_write_items = _idempotent_transaction(  # type: ignore[method-assign]
        DynamoHandler.transact_write_items
    )
    setattr(DynamoDBBackend, _APPLIED_MARK, True)

"""Give moto's DynamoDB the isolation real DynamoDB has.

Real DynamoDB applies each item write and each TransactWriteItems atomically
and serializably: of two transactions that both require "this item does not
exist yet", exactly one succeeds. moto checks the conditions and then writes,
without a lock, so concurrent requests in its threaded server (or in threads
under ``mock_aws``) can both pass the check. That would make the stand-in
weaker than the real service and our concurrency tests meaningless, so the
local stack and the tests serialize moto's DynamoDB operations with one lock.
This changes nothing in our code's behaviour; it fixes the stand-in.
"""

from __future__ import annotations

import functools
import threading
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
_APPLIED_MARK = "_pendopo_serialized"


def _serialized(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    return locked


def serialize_moto_dynamodb() -> None:
    """Wrap moto's DynamoDB backend operations in one lock (idempotent)."""
    from moto.dynamodb.models import DynamoDBBackend

    if getattr(DynamoDBBackend, _APPLIED_MARK, False):
        return
    for name in _OPERATIONS:
        setattr(DynamoDBBackend, name, _serialized(getattr(DynamoDBBackend, name)))
    setattr(DynamoDBBackend, _APPLIED_MARK, True)

"""The live figures' counters and ledgers in the table (issue #19).

| item | pk | sk |
|---|---|---|
| counters of a unit's WIB day | ``STATS#<unit>`` | ``YYYY-MM-DD`` |
| counters of a unit's WIB month (at the month end) | ``STATS#<unit>`` | ``YYYY-MM`` |
| a complaint's ledger: what it added, at which version | ``C#<ticket>`` | ``STATS`` |

A counter item holds one number attribute per key of ``domain.stats`` (``n``,
``ch:web``, ``due:<time>`` ...), changed only with ``ADD`` so concurrent changes add
up. The ledger holds the complaint's version and its contribution (JSON).
Applying a change is **one TransactWriteItems**: the ledger on condition that it is
still the one read (its version, or absent) and one ``ADD`` per counter item
touched. A duplicated or retried stream record finds the ledger at its version or
later and writes nothing: each change is counted exactly once.

The low-level client is used (the table's shared botocore client): the attribute
names are data, which pynamodb's models do not express.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from pendopo.domain.stats import Parts, split_target
from pendopo.storage.connection import shared_connection
from pendopo.storage.items import TableMeta, complaint_pk

STATS_SK = "STATS"
COUNTER_KIND = "stats"
LEDGER_KIND = "stats_ledger"
_KEY_ATTRIBUTES = frozenset({"pk", "sk", "kind"})


def stats_pk(unit: str) -> str:
    return f"STATS#{unit}"


@dataclass(frozen=True, slots=True)
class Ledger:
    version: int  # 0: nothing applied yet
    parts: Parts


class LedgerMoved(Exception):
    """Another writer changed the ledger since it was read: read again and retry."""


class StatsStore:
    def __init__(self) -> None:
        self.calls = 0  # DynamoDB calls, for the bench

    @property
    def _client(self) -> Any:
        return shared_connection().client

    @property
    def _table(self) -> str:
        return TableMeta.table_name

    def ledger(self, ticket: str) -> Ledger:
        self.calls += 1
        answer = self._client.get_item(
            TableName=self._table,
            Key={"pk": {"S": complaint_pk(ticket)}, "sk": {"S": STATS_SK}},
            ConsistentRead=True,
        )
        item = answer.get("Item")
        if not item:
            return Ledger(0, {})
        return Ledger(int(item["v"]["N"]), json.loads(item["parts"]["S"]))

    def apply(self, ticket: str, read: Ledger, version: int, parts: Parts, delta: Parts) -> int:
        """Replace the ledger read by (version, parts) and add ``delta``; the items written."""
        ledger_put: dict[str, Any] = {
            "TableName": self._table,
            "Item": {
                "pk": {"S": complaint_pk(ticket)},
                "sk": {"S": STATS_SK},
                "kind": {"S": LEDGER_KIND},
                "v": {"N": str(version)},
                "parts": {"S": json.dumps(parts, sort_keys=True, separators=(",", ":"))},
            },
        }
        if read.version:
            ledger_put["ConditionExpression"] = "v = :read"
            ledger_put["ExpressionAttributeValues"] = {":read": {"N": str(read.version)}}
        else:
            ledger_put["ConditionExpression"] = "attribute_not_exists(pk)"
        writes: list[dict[str, Any]] = [{"Put": ledger_put}]
        writes.extend({"Update": self._update(key, counts)} for key, counts in delta.items())
        self.calls += 1
        try:
            self._client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            reasons = error.response.get("CancellationReasons") or []
            codes = {str(r.get("Code")) for r in reasons}
            if error.response["Error"]["Code"] == "TransactionCanceledException" and (
                codes & {"ConditionalCheckFailed", "TransactionConflict"}
            ):
                raise LedgerMoved(ticket) from error
            raise
        return len(writes)

    def _update(self, key: str, counts: Mapping[str, int]) -> dict[str, Any]:
        unit, sort_key = split_target(key)
        names = {f"#a{i}": name for i, name in enumerate(counts)}
        values = {f":a{i}": {"N": str(n)} for i, n in enumerate(counts.values())}
        names["#k"] = "kind"
        values[":k"] = {"S": COUNTER_KIND}
        adds = ", ".join(f"#a{i} :a{i}" for i in range(len(counts)))
        return {
            "TableName": self._table,
            "Key": {"pk": {"S": stats_pk(unit)}, "sk": {"S": sort_key}},
            "UpdateExpression": f"SET #k = :k ADD {adds}",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }

    def counters(self, unit: str, first: str, last: str) -> dict[str, dict[str, int]]:
        """A unit's counter items with sort keys in [first, last]: one Query (pages if big)."""
        items: dict[str, dict[str, int]] = {}
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :first AND :last",
            "ExpressionAttributeValues": {
                ":pk": {"S": stats_pk(unit)},
                ":first": {"S": first},
                ":last": {"S": last},
            },
        }
        while True:
            self.calls += 1
            answer = self._client.query(**request)
            for item in answer.get("Items", []):
                items[item["sk"]["S"]] = {
                    name: int(value["N"])
                    for name, value in item.items()
                    if name not in _KEY_ATTRIBUTES and "N" in value
                }
            if "LastEvaluatedKey" not in answer:
                return items
            request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def counters_of_units(
        self, units: Sequence[str], first: str, last: str
    ) -> dict[str, dict[str, dict[str, int]]]:
        return {unit: self.counters(unit, first, last) for unit in units}

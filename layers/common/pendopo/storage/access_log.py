"""The access log and the account log: their writes and the reads admins make.

An access record is one PutItem (``ACCESS#<ticket>``, apart from the complaint's own
partition, so never in its trail or its stream's audit events); per complaint it is a
Query on that partition, per officer and month a Query of the sparse ``officer_month``
index. Account events are one PutItem each into their WIB month's partition
(``ACCOUNTLOG#<YYYY-MM>``), read by a Query of that partition. Nothing scans.

Pages continue from an opaque cursor: base64url of DynamoDB's last evaluated key,
checked against the partition it belongs to before it is used.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from pendopo.domain.access import AccessRecord, AccountAction, AccountEvent
from pendopo.domain.clock import from_iso, to_utc_iso
from pendopo.storage.items import AccessItem, AccountEventItem, access_pk, account_log_pk

_KEY_NAMES = {
    "ticket": frozenset({"pk", "sk"}),
    "officer": frozenset({"pk", "sk", "officer_month", "at"}),
}
_MAX_KEY_VALUE = 512


class InvalidLogCursor(ValueError):
    """A cursor that is not one of ours, or not of this query."""


@dataclass(frozen=True, slots=True)
class AccessPage:
    records: list[AccessRecord]
    next_cursor: str | None


def officer_month_key(officer: str, month: str) -> str:
    return f"{officer}#{month}"


class AccessLog:
    def record(self, record: AccessRecord) -> None:
        """One PutItem; the request id makes a retried write land on the same item."""
        values = asdict(record) | {"at": to_utc_iso(record.at), "fields": list(record.fields)}
        AccessItem(
            pk=access_pk(record.ticket),
            sk=f"{values['at']}#{record.request_id}",
            officer_month=officer_month_key(record.officer, record.month),
            **values,
        ).save()

    def by_ticket(self, ticket: str, *, limit: int, cursor: str | None) -> AccessPage:
        partition = access_pk(ticket)
        start = _decode(cursor, "ticket", {"pk": partition})
        result = AccessItem.query(
            partition, limit=limit, last_evaluated_key=start, scan_index_forward=True
        )
        return _page(result, "ticket")

    def by_officer(self, officer: str, month: str, *, limit: int, cursor: str | None) -> AccessPage:
        partition = officer_month_key(officer, month)
        start = _decode(cursor, "officer", {"officer_month": partition})
        result = AccessItem.by_officer_month.query(
            partition, limit=limit, last_evaluated_key=start, scan_index_forward=True
        )
        return _page(result, "officer")


class AccountLog:
    def record(self, event: AccountEvent) -> None:
        values = asdict(event) | {"at": to_utc_iso(event.at), "action": event.action.value}
        sk = f"{values['at']}#{uuid.uuid4().hex}"
        AccountEventItem(pk=account_log_pk(event.month), sk=sk, **values).save()

    def month(self, month: str, officer: str | None = None) -> list[AccountEvent]:
        """A month's account events, oldest first (a few dozen: one partition)."""
        events = [
            AccountEvent(**_values(item, AccountEvent, action=AccountAction(item.action)))
            for item in AccountEventItem.query(account_log_pk(month))
        ]
        if officer is not None:
            events = [e for e in events if e.officer == officer]
        return events


def _page(result: Any, kind: str) -> AccessPage:
    records = [_record(item) for item in result]
    last = result.last_evaluated_key
    return AccessPage(records=records, next_cursor=_encode(last, kind) if last else None)


def _record(item: AccessItem) -> AccessRecord:
    return AccessRecord(**_values(item, AccessRecord, fields=tuple(item.fields)))


def _values(item: Any, record: type[Any], **converted: Any) -> dict[str, Any]:
    """An item's attributes named as the record's fields; ``at`` parsed back to a time."""
    values = {f.name: getattr(item, f.name) for f in dataclass_fields(record)}
    return values | {"at": from_iso(item.at)} | converted


def _encode(key: dict[str, Any], kind: str) -> str:
    plain = {name: value["S"] for name, value in key.items()}
    raw = json.dumps({"k": kind, "p": plain}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str | None, kind: str, pinned: dict[str, str]) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        document = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidLogCursor from error
    if not isinstance(document, dict) or document.get("k") != kind:
        raise InvalidLogCursor
    key = document.get("p")
    if not isinstance(key, dict) or set(key) != _KEY_NAMES[kind]:
        raise InvalidLogCursor
    if not all(isinstance(v, str) and 0 < len(v) <= _MAX_KEY_VALUE for v in key.values()):
        raise InvalidLogCursor
    if any(key[name] != value for name, value in pinned.items()):
        raise InvalidLogCursor
    if kind == "officer" and not str(key["pk"]).startswith("ACCESS#"):
        raise InvalidLogCursor
    return {name: {"S": value} for name, value in key.items()}

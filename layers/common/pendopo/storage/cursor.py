"""The queue cursor: where the next page of an officer queue starts, opaque to clients.

A cursor is base64url of the partitions' positions (``storage.queues``), the cut-off
time of the first page, and a fingerprint of the query it belongs to, so a cursor from
another filter is refused (``InvalidCursor``) instead of silently giving a wrong page.
Cursors come back from clients: every position is checked against its partition
before it reaches DynamoDB.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Sequence
from datetime import datetime

from pendopo.domain.clock import from_iso, to_utc_iso
from pendopo.storage.queues import Position, QueuePartition

_UTC_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


class InvalidCursor(ValueError):
    """A cursor that is not one of ours, or not of this query."""


def fingerprint(parts: Sequence[str]) -> str:
    """A short digest of what the client asked for, the same page after page."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def encode_cursor(
    positions: dict[str, Position | None], fingerprint: str, due_before: datetime | None
) -> str:
    document = {
        "q": fingerprint,
        "p": positions,
        "b": to_utc_iso(due_before) if due_before else None,
    }
    raw = json.dumps(document, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(
    cursor: str | None, partitions: list[QueuePartition], fingerprint: str
) -> tuple[dict[str, Position | None], datetime | None] | None:
    """The positions and cut-off a cursor carries; None for a first page."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        document = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor from error
    if not isinstance(document, dict) or document.get("q") != fingerprint:
        raise InvalidCursor
    positions = document.get("p")
    by_name = {p.name: p for p in partitions}
    if not isinstance(positions, dict) or set(positions) != set(by_name):
        raise InvalidCursor
    for name, position in positions.items():
        if position is not None and not by_name[name].is_position(position):
            raise InvalidCursor
    return positions, _cursor_bound(document.get("b"))


def _cursor_bound(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _UTC_ISO.fullmatch(value):
        raise InvalidCursor
    return from_iso(value)

"""Synthetic complaints written straight to a table, for the deadline check's tests and bench.

Each complaint is a real ``Complaint`` turned into its table item by the complaint
store's own mapping (``_complaint_item``), so the index keys (the sparse
``open_unit`` above all) are derived exactly as in production. Items go in with
``BatchWriteItem`` (25 a call, unprocessed items re-sent): loading 100,000 of them
into moto one PutItem at a time would take several times longer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pendopo.domain.complaint import Channel, Complaint, Reporter
from pendopo.domain.identifiers import damm_check_digit
from pendopo.domain.status import Status
from pendopo.storage.complaints import _complaint_item

BATCH = 25
# An example reporter: synthetic data, no real person.
_REPORTER = Reporter(name="Warga Contoh", phone="081234567890")
_CONFIDENTIAL_REPORTER = _REPORTER.model_copy(update={"confidential": True})
# One category and one agency per unit, for complaints spread over every unit.
CATEGORY_OF_UNIT = {
    "BPBUMD": "BUMD_PAM_JAYA",
    "BIRO_PEM": "CIVIL_REGISTRY",
    "BIRO_ORB": "CIVIL_SERVANT_ADMIN",
    "BIRO_PLH": "ROAD",
    "BIRO_PK": "PARKING",
    "BIRO_KESOS": "HEALTH_SERVICES",
    "BIRO_DIKMENTAL": "SCHOOLS",
}
AGENCY_OF_UNIT = {
    "BPBUMD": "PAM_JAYA",
    "BIRO_PEM": "DISDUKCAPIL",
    "BIRO_ORB": "BKD",
    "BIRO_PLH": "BINA_MARGA",
    "BIRO_PK": "DISHUB",
    "BIRO_KESOS": "DINKES",
    "BIRO_DIKMENTAL": "DISDIK",
}


def ticket_number(received_at: datetime, serial: int) -> str:
    """A well-formed ticket (WIB month, 7 digits, Damm check digit) from a serial number."""
    body = f"{received_at:%y%m}{serial % 10_000_000:07d}"
    digits = f"{body}{damm_check_digit(body)}"
    return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"


@dataclass(frozen=True)
class Spec:
    """One synthetic complaint: who, when received, when due, in what status."""

    serial: int
    unit: str
    received_at: datetime
    due_at: datetime
    status: Status = Status.COORDINATION
    agency: str | None = None
    title: str = "Pengaduan contoh"
    confidential: bool = False  # never listed publicly (no public_month key)


def complaint(spec: Spec) -> Complaint:
    return Complaint(
        ticket=ticket_number(spec.received_at, spec.serial),
        tracking_hash="0" * 64,
        channel=Channel.WEB,
        category=CATEGORY_OF_UNIT[spec.unit],
        unit=spec.unit,
        title=spec.title,
        description="Pengaduan sintetis untuk pengujian pemeriksaan batas waktu.",
        reporter=_CONFIDENTIAL_REPORTER if spec.confidential else _REPORTER,
        location=None,
        received_at=spec.received_at,
        due_at=spec.due_at,
        status=spec.status,
        version=1,
        outside_hours=False,
        timeline=(),
        agency=spec.agency,
    )


def raw_item(spec: Spec) -> dict[str, Any]:
    """The complaint's item in DynamoDB JSON, as the store writes it."""
    item = _complaint_item(complaint(spec))
    return {name: value for name, value in item.serialize().items()}


def write(client: Any, table: str, items: Iterable[dict[str, Any]]) -> int:
    """BatchWriteItem every item (25 a call); returns how many were written."""
    written = 0
    for chunk in _chunks(items, BATCH):
        requests: list[dict[str, Any]] = [{"PutRequest": {"Item": item}} for item in chunk]
        while requests:
            answer = client.batch_write_item(RequestItems={table: requests})
            requests = answer.get("UnprocessedItems", {}).get(table, [])
        written += len(chunk)
    return written


def _chunks(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

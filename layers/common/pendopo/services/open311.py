"""Open311 GeoReport v2, the reading side: services, service requests, their rules.

What the specification asks of ``GET requests``: ``service_request_id`` (a comma list)
overrides every other parameter; otherwise ``service_code`` (a comma list),
``start_date``/``end_date`` (w3 date-times, at most 90 days apart; the last 90 days
when neither is given) and ``status`` (``open``, ``closed`` or both) choose, and at
most 1,000 come back. ``page``/``page_size`` (the common extension) page through them.
Every wrong parameter is reported at once (a 400 with one error each).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any, Protocol

from pendopo.domain.clock import WIB, Clock
from pendopo.domain.complaint import Complaint
from pendopo.domain.errors import ComplaintNotFound, PendopoError
from pendopo.domain.identifiers import normalize_ticket
from pendopo.domain.taxonomy import Taxonomy
from pendopo.storage.public_requests import PublicQuery
from pendopo.views.open311 import (
    Open311Request,
    Open311Service,
    Open311ServiceDefinition,
    service_definition,
    service_request,
    services,
)

MAX_RANGE = timedelta(days=90)
MAX_RESULTS = 1000
# The deepest page ends here: paging further would read the range's items only to skip them.
MAX_READ = 10_000
MAX_IDS = 100
STATES = ("open", "closed")
# A "+07:00" sent unencoded in a query string arrives as " 07:00".
_SPACE_FOR_PLUS = re.compile(r" (\d{2}:?\d{2})$")


class InvalidQuery(PendopoError):
    """Parameters the specification's rules refuse, all of them at once (HTTP 400)."""

    status = HTTPStatus.BAD_REQUEST
    message = "Parameter permintaan tidak valid."

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors))

    def details(self) -> dict[str, Any]:
        return {"errors": [{"field": field, "message": text} for field, text in self.errors]}


class NotFound(ComplaintNotFound):
    """An unknown service, service request or token (HTTP 404), with what was asked."""


class PublicRequests(Protocol):
    """What the list and the reads need of storage (``storage.public_requests``)."""

    def page(self, query: PublicQuery) -> list[Complaint]: ...

    def get(self, ticket: str) -> Complaint | None: ...

    def get_many(self, tickets: Sequence[str]) -> list[Complaint]: ...


@dataclass(frozen=True, slots=True)
class RequestFilter:
    """``GET requests`` as sent: the texts of the query string."""

    service_request_id: str | None = None
    service_code: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    status: str | None = None
    page: str | None = None
    page_size: str | None = None


def parse_datetime(text: str) -> datetime | None:
    """A w3 date-time (``2025-06-01T00:00:00Z``, ``...+07:00``, or a date); WIB if no zone."""
    try:
        moment = datetime.fromisoformat(_SPACE_FOR_PLUS.sub(r"+\1", text.strip()))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=WIB)


def _whole_number(
    text: str | None, default: int, maximum: int, field: str, errors: list[tuple[str, str]]
) -> int | None:
    """A whole number from 1 to ``maximum`` (``default`` when absent); None if wrong."""
    if text is None or not text.strip():
        return default
    if not text.strip().isascii() or not text.strip().isdigit() or not 1 <= int(text) <= maximum:
        errors.append((field, f"Bilangan bulat 1 sampai {maximum}."))
        return None
    return int(text)


def _comma_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class Open311ReadService:
    def __init__(self, reader: PublicRequests, taxonomy: Taxonomy, clock: Clock) -> None:
        self._reader = reader
        self._taxonomy = taxonomy
        self._clock = clock

    def services(self) -> list[Open311Service]:
        return services(self._taxonomy)

    def service_definition(self, code: str) -> Open311ServiceDefinition:
        category = self._taxonomy.category(code)
        if category is None:
            raise NotFound(f"Layanan (service_code) {code!r} tidak dikenal.")
        return service_definition(category)

    def request(self, ticket_text: str) -> Open311Request:
        ticket = normalize_ticket(ticket_text)
        complaint = self._reader.get(ticket) if ticket else None
        if complaint is None:
            raise NotFound(f"Laporan (service_request_id) {ticket_text!r} tidak ditemukan.")
        return service_request(complaint, self._taxonomy)

    def requests(self, wanted: RequestFilter) -> list[Open311Request]:
        if wanted.service_request_id is not None:
            complaints = self._by_ids(wanted.service_request_id)
        else:
            complaints = self._reader.page(self.plan(wanted))
        return [service_request(complaint, self._taxonomy) for complaint in complaints]

    def _by_ids(self, text: str) -> list[Complaint]:
        ids = _comma_list(text)
        if len(ids) > MAX_IDS:
            raise InvalidQuery([("service_request_id", f"Paling banyak {MAX_IDS} nomor.")])
        tickets = [ticket for ticket in map(normalize_ticket, ids) if ticket is not None]
        return self._reader.get_many(tickets) if tickets else []

    def plan(self, wanted: RequestFilter) -> PublicQuery:
        """The storage query for ``wanted``, or every rule it breaks (InvalidQuery)."""
        errors: list[tuple[str, str]] = []
        codes = [code.upper() for code in _comma_list(wanted.service_code)]
        unknown = [code for code in codes if self._taxonomy.category(code) is None]
        if unknown:
            errors.append(("service_code", f"Tidak dikenal: {', '.join(unknown)}."))
        states = _comma_list(wanted.status)
        if any(state not in STATES for state in states):
            errors.append(("status", "Pilihan: open, closed (boleh dipisah koma)."))
        start, end = self._range(wanted, errors)
        page = _whole_number(wanted.page, 1, MAX_READ, "page", errors) or 1
        page_size = _whole_number(wanted.page_size, MAX_RESULTS, MAX_RESULTS, "page_size", errors)
        page_size = page_size or MAX_RESULTS
        offset = (page - 1) * page_size
        if offset + page_size > MAX_READ:
            errors.append(("page", f"Terlalu jauh: page x page_size paling banyak {MAX_READ}."))
        if errors:
            raise InvalidQuery(errors)
        return PublicQuery(
            start=start,
            end=end,
            states=tuple(state for state in STATES if state in states) if states else STATES,
            categories=tuple(dict.fromkeys(codes)),
            offset=offset,
            limit=page_size,
        )

    def _range(
        self, wanted: RequestFilter, errors: list[tuple[str, str]]
    ) -> tuple[datetime, datetime]:
        now = self._clock.now()
        start = end = None
        for field, text in (("start_date", wanted.start_date), ("end_date", wanted.end_date)):
            if text is None:
                continue
            moment = parse_datetime(text)
            if moment is None:
                errors.append((field, "Format tanggal w3, misalnya 2025-06-01T00:00:00+07:00."))
            elif field == "start_date":
                start = moment
            else:
                end = moment
        if start is None and end is None:
            return now - MAX_RANGE, now
        if start is None:
            assert end is not None
            return end - MAX_RANGE, end
        if end is None:
            return start, min(start + MAX_RANGE, max(now, start))
        if end < start:
            errors.append(("end_date", "Harus sesudah start_date."))
        elif end - start > MAX_RANGE:
            errors.append(("end_date", "Rentang start_date sampai end_date paling lama 90 hari."))
        return start, end

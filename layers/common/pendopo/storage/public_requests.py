"""Public complaints for Open311 GeoReport v2: the list by time, and single reads.

The list reads only the sparse ``public_month`` index (``storage.complaints.IndexKeys``):
its partition ``<WIB month>#<open|closed>`` holds the public complaints received in that
month in that Open311 status, sorted by ``received_at``. A confidential complaint never
carries the key, so nothing confidential is ever read (there is nothing to filter out
after reading), and every status change rewrites the key in its own transaction.

One Query per (status, month), newest first, asking DynamoDB for exactly the items still
wanted (``Limit``), so a list without ``service_code`` reads what it answers and no more
(docs/benchmarks.md). A ``service_code`` narrows the same partitions with a filter on
the category (a public attribute): those reads count the partition's other categories.

Single reads are a GetItem (a BatchGetItem for a list of ids), and a confidential
complaint reads as absent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import DoesNotExist

from pendopo.domain.clock import to_utc_iso, to_wib
from pendopo.domain.complaint import Complaint
from pendopo.storage.complaints import complaint_from_item, public_month_key
from pendopo.storage.items import COMPLAINT_SK, ComplaintItem, complaint_pk

# Open311's statuses, in the order the list answers them: open first, then closed.
OPEN311_STATES = ("open", "closed")


@dataclass(frozen=True, slots=True)
class PublicQuery:
    """Which public complaints, newest first within each status; ``offset`` skips."""

    start: datetime
    end: datetime
    states: tuple[str, ...] = OPEN311_STATES
    categories: tuple[str, ...] = ()
    offset: int = 0
    limit: int = 1000


def months_back(start: datetime, end: datetime) -> Iterator[str]:
    """The WIB months (YYYY-MM) from ``end``'s back to ``start``'s, newest first."""
    year, month = to_wib(end).year, to_wib(end).month
    first = to_wib(start)
    while (year, month) >= (first.year, first.month):
        yield f"{year:04d}-{month:02d}"
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)


class PublicRequestReader:
    """Public complaints in the table ``bind_table`` pointed the item models at."""

    def page(self, query: PublicQuery) -> list[Complaint]:
        """The page ``query`` asks for: open complaints first, each status newest first."""
        wanted = query.offset + query.limit
        found: list[ComplaintItem] = []
        received = ComplaintItem.received_at.between(to_utc_iso(query.start), to_utc_iso(query.end))
        category = ComplaintItem.category.is_in(*query.categories) if query.categories else None
        for state in query.states:
            for month in months_back(query.start, query.end):
                remaining = wanted - len(found)
                if remaining <= 0:
                    break
                found.extend(
                    ComplaintItem.by_public_month.query(
                        public_month_key(month, state),
                        received,
                        filter_condition=category,
                        scan_index_forward=False,
                        limit=remaining,
                        page_size=remaining,
                    )
                )
        return [complaint_from_item(item) for item in found[query.offset : wanted]]

    def get(self, ticket: str) -> Complaint | None:
        """A public complaint, or None: unknown and confidential read alike."""
        try:
            item = ComplaintItem.get(complaint_pk(ticket), COMPLAINT_SK)
        except DoesNotExist:
            return None
        return _public(item)

    def get_many(self, tickets: Sequence[str]) -> list[Complaint]:
        """The public complaints among ``tickets`` (BatchGetItem), in the order asked."""
        keys = [(complaint_pk(ticket), COMPLAINT_SK) for ticket in dict.fromkeys(tickets)]
        by_ticket: dict[str, Complaint] = {}
        for item in ComplaintItem.batch_get(keys):
            complaint = _public(item)
            if complaint is not None:
                by_ticket[complaint.ticket] = complaint
        return [by_ticket[ticket] for ticket in dict.fromkeys(tickets) if ticket in by_ticket]


def _public(item: ComplaintItem) -> Complaint | None:
    complaint = complaint_from_item(item)
    return None if complaint.reporter.confidential else complaint

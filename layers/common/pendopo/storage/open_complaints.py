"""Open complaints by deadline, for the daily deadline check: the sparse ``open_by_due`` index.

Only a complaint whose 3-day clock runs carries ``open_unit`` (``IndexKeys.of``), so
the index holds open complaints only: closed ones, rejected ones and those whose
follow-up result awaits validation are not in it. One Query per unit with
``due_at <= <end>`` (paged by DynamoDB past 1 MB) reads exactly the unit's open
complaints due by then: the items read follow the open complaints in the window,
never the size of the table. Nothing here scans.

Only the attributes the check shows are requested (``ProjectionExpression``).
"""

from __future__ import annotations

from datetime import datetime

from pendopo.domain.clock import from_iso, to_utc_iso
from pendopo.domain.sla_digest import OpenComplaint
from pendopo.domain.status import Status
from pendopo.storage.items import ComplaintItem, OpenByDueIndex

# "kind" too: pynamodb picks the item class by it.
_ATTRIBUTES = [
    "pk",
    "sk",
    "kind",
    "ticket",
    "unit",
    "category",
    "status",
    "due_at",
    "title",
    "agency",
    # Only the reporter's two choices, never the rest of the reporter: either one keeps
    # the title out of the digests (pendopo.domain.sla_digest).
    "reporter.anonymous",
    "reporter.confidential",
]


class OpenComplaintReader:
    """Reads a unit's open complaints due by a time, soonest deadline first."""

    def __init__(self, page_size: int | None = None) -> None:
        self._page_size = page_size

    def due_by(self, unit: str, end: datetime) -> list[OpenComplaint]:
        """The unit's open complaints with a deadline at or before ``end``."""
        items = ComplaintItem.open_by_due.query(
            unit,
            OpenByDueIndex.due_at <= to_utc_iso(end),
            attributes_to_get=_ATTRIBUTES,
            page_size=self._page_size,
        )
        return [_open_complaint(item) for item in items]


def _open_complaint(item: ComplaintItem) -> OpenComplaint:
    reporter = item.reporter.as_dict() if item.reporter is not None else {}
    return OpenComplaint(
        ticket=item.ticket,
        unit=item.unit,
        category=item.category,
        status=Status(item.status),
        due_at=from_iso(item.due_at),
        title=item.title,
        agency=item.agency,
        anonymous=bool(reporter.get("anonymous", False)),
        confidential=bool(reporter.get("confidential", False)),
    )

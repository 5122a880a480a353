"""Reads for the monthly recap: one paginated Query of the ``unit_month`` index per unit.

Never a scan: the index's partition ``<unit>#<YYYY-MM>`` holds exactly the unit's
complaints received in that WIB month (``complaints.IndexKeys``), so a month's
recap reads only that month's complaints. The index projects every attribute,
so the items come whole from the index (no GetItem per complaint).
"""

from __future__ import annotations

from dataclasses import dataclass

from pendopo.domain.complaint import Complaint
from pendopo.domain.recap import RecapMonth
from pendopo.storage.complaints import complaint_from_item
from pendopo.storage.items import ComplaintItem

# Items per page: DynamoDB's 1 MB page limit comes first for big complaints anyway.
PAGE_SIZE = 500


@dataclass
class ReadStats:
    items: int = 0  # items DynamoDB returned (the benchmark counts calls with a hook)


class RecapReader:
    def __init__(self) -> None:
        self.stats = ReadStats()

    def complaints_of(self, unit: str, month: RecapMonth) -> list[Complaint]:
        """The unit's complaints received in the month, oldest first."""
        results = ComplaintItem.by_unit_month.query(
            f"{unit}#{month.key}", page_size=PAGE_SIZE, scan_index_forward=True
        )
        complaints = [complaint_from_item(item) for item in results]
        # pynamodb's ResultIterator counts what DynamoDB returned over every page.
        self.stats.items += results.total_count
        return complaints

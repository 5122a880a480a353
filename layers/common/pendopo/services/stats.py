"""Live figures (issue #19): keeping the counters, answering the dashboards, rebuilding.

- ``StatsService.refresh(ticket)``: the aggregator's step for one audit event. It reads
  the complaint and its ledger (two GetItems) and, unless the ledger is already at the
  complaint's version (a duplicated or retried record, or a later event applied
  first), writes the new contribution and adds the difference (one
  TransactWriteItems). A ledger another writer moved in between is read again.
- ``StatsService.answer(period, units)``: one Query per unit, the figures.
- ``StatsService.rebuild(months)``: the backfill, from the ``unit_month`` index
  (Queries), each complaint through ``refresh`` (so it is idempotent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pendopo.domain.clock import Clock
from pendopo.domain.recap import RecapMonth
from pendopo.domain.stats import Period, contribution, dashboard, difference
from pendopo.domain.taxonomy import Taxonomy
from pendopo.storage.complaints import ComplaintStore
from pendopo.storage.recap import RecapReader
from pendopo.storage.stats import LedgerMoved, StatsStore

ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class Refresh:
    ticket: str
    outcome: str  # applied, duplicate, missing
    writes: int = 0  # items in the transaction (ledger + counter items)


class StatsService:
    def __init__(
        self,
        taxonomy: Taxonomy,
        clock: Clock,
        store: StatsStore | None = None,
        complaints: ComplaintStore | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.clock = clock
        self.store = store or StatsStore()
        self.complaints = complaints or ComplaintStore()

    def refresh(self, ticket: str, version: int | None = None) -> Refresh:
        """Bring the counters up to the complaint as it is now (at least ``version``)."""
        for _ in range(ATTEMPTS):
            ledger = self.store.ledger(ticket)
            if version is not None and ledger.version >= version:
                return Refresh(ticket, "duplicate")  # applied already: nothing to read
            complaint = self.complaints.get_complaint(ticket)
            if complaint is None:
                return Refresh(ticket, "missing")
            if ledger.version >= complaint.version:
                return Refresh(ticket, "duplicate")
            parts = contribution(complaint, self.taxonomy.units)
            delta = difference(parts, ledger.parts)
            try:
                writes = self.store.apply(ticket, ledger, complaint.version, parts, delta)
            except LedgerMoved:
                continue
            return Refresh(ticket, "applied", writes)
        raise LedgerMoved(ticket)

    def rebuild(
        self, months: Iterable[RecapMonth], progress: Callable[[str], None] = print
    ) -> dict[str, int]:
        """Every complaint received in ``months`` through the aggregator's own step.

        Reads the ``unit_month`` index (one paginated Query per unit and month). A
        complaint whose counters are up to date writes nothing, so re-running changes
        nothing; one whose contribution changed (a fixed rule) is corrected by the
        difference, because its ledger says what it had added.
        """
        reader = RecapReader()
        totals = {"complaints": 0, "applied": 0, "unchanged": 0}
        for month in months:
            for unit in self.taxonomy.units:
                complaints = reader.complaints_of(unit, month)
                applied = 0
                for complaint in complaints:
                    if self._reconcile(complaint.ticket):
                        applied += 1
                totals["complaints"] += len(complaints)
                totals["applied"] += applied
                totals["unchanged"] += len(complaints) - applied
                progress(
                    f"{month.key} {unit}: {len(complaints)} complaints, "
                    f"{applied} counted anew, {len(complaints) - applied} unchanged"
                )
        return totals

    def _reconcile(self, ticket: str) -> bool:
        """Like ``refresh``, but also when the ledger is at the version: the contribution
        is computed again and only a difference is written."""
        for _ in range(ATTEMPTS):
            ledger = self.store.ledger(ticket)
            complaint = self.complaints.get_complaint(ticket)
            if complaint is None:
                return False
            parts = contribution(complaint, self.taxonomy.units)
            delta = difference(parts, ledger.parts)
            if not delta and ledger.version == complaint.version:
                return False
            try:
                self.store.apply(ticket, ledger, complaint.version, parts, delta)
            except LedgerMoved:
                continue
            return True
        raise LedgerMoved(ticket)

    def answer(self, period: Period, units: Sequence[str]) -> dict[str, Any]:
        """The dashboard of ``units`` for ``period``: one Query per unit."""
        first, last = period.key_range()
        items = self.store.counters_of_units(units, first, last)
        return dashboard(items, period, self.clock.now(), self.taxonomy)

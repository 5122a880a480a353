"""The recap's reads, counted: only its month's items, no Scan (the bench at small scale)."""

from __future__ import annotations

from tools.bench.recap import run


def test_a_month_reads_only_its_own_items_and_never_scans() -> None:
    # Given 1,200 complaints over 12 months, when June is recapped
    bench = run(total=1200, month="2025-06", seed=5)
    # then exactly June's complaints are read, by one Query per unit, and nothing scans
    assert bench.month_items > 50
    assert bench.items_read == bench.month_items
    assert bench.scans == 0
    assert bench.queries == 7

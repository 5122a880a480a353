"""``pendopo-admin rebuild-stats``: the live figures' counters rebuilt from the complaints.

    pendopo-admin rebuild-stats --from YYYY-MM [--to YYYY-MM]   TARGET

For the first deploy (complaints received before the aggregator existed) and after a
bug. Reads each unit's complaints of each month from the ``unit_month`` index (one
paginated Query per unit and month, never a scan) and passes each through the
aggregator's own step (``StatsService.rebuild``): a complaint's counters are brought
to its current contribution by the difference from what its ledger says it added. So
re-running writes nothing, and a run beside the live aggregator is safe (both write
on the ledger's version). One line per unit and month shows the progress.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from pendopo.domain.clock import SystemClock
from pendopo.domain.errors import InvalidField
from pendopo.domain.recap import InvalidMonth, RecapMonth
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.runtime.bootstrap import stats_service
from pendopo.storage.connection import bind_table
from tools.ops import partners, targets

COMMANDS = ("rebuild-stats",)
MAX_MONTHS = 120


class StatsCommandError(Exception):
    """What the operator is told (Bahasa Indonesia), without a traceback."""


def add_commands(commands: Any, parent: argparse.ArgumentParser) -> None:
    rebuild = commands.add_parser(
        "rebuild-stats",
        parents=[parent],
        help="bangun ulang angka dasbor dari pengaduan (per bulan diterima)",
    )
    rebuild.add_argument("--from", dest="first", required=True, help="bulan WIB awal, YYYY-MM")
    rebuild.add_argument("--to", dest="last", help="bulan WIB akhir, YYYY-MM (bawaan: --from)")


def months_between(first: str, last: str | None) -> list[RecapMonth]:
    try:
        start = RecapMonth.parse(first)
        end = RecapMonth.parse(last) if last else start
    except (InvalidMonth, InvalidField) as error:
        raise StatsCommandError(str(error)) from None
    if end < start:
        raise StatsCommandError("--to harus sama dengan atau sesudah --from.")
    months = [start]
    while months[-1] < end:
        year, month = months[-1].year, months[-1].month
        months.append(RecapMonth(year + 1, 1) if month == 12 else RecapMonth(year, month + 1))
        if len(months) > MAX_MONTHS:
            raise StatsCommandError(f"Paling banyak {MAX_MONTHS} bulan sekali jalan.")
    return months


def run(args: argparse.Namespace, session: Any, out: Any) -> None:
    months = months_between(args.first, args.last)
    if args.local:
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            os.environ[name] = targets.DUMMY_CREDENTIAL
    table = partners.resolve_table(args, session)
    bind_table(table, args.region, str(args.endpoint_url) if args.local else None)
    service = stats_service(load_taxonomy(), SystemClock())
    print(f"Membangun ulang angka dasbor {months[0].key} s.d. {months[-1].key} ...", file=out)
    totals = service.rebuild(months, lambda line: print(line, file=out, flush=True))
    print(
        f"Selesai: {totals['complaints']} pengaduan dibaca, {totals['applied']} dihitung "
        f"ulang, {totals['unchanged']} sudah benar.",
        file=out,
    )

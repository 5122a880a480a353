"""Read amplification of the deadline check and the monthly recap, on ONE table of 100,000.

``tools.bench.data`` loads the year of complaints once (straight into moto's backend);
the deadline check (``tools.bench.sla.measure``) and the recap
(``tools.bench.recap.measure``) then read that same table while a botocore
``after-call`` hook counts every call and the items each read. Items relevant: the
open complaints due by the end of the check's window, and the complaints received in
the recap's month. Goal: items read / items relevant <= 1.05, and no Scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

GOAL_RATIO = 1.05


@dataclass(frozen=True)
class ReadFigures:
    name: str
    items_read: int
    relevant: int
    calls: dict[str, int]
    seconds: float

    @property
    def ratio(self) -> float:
        return self.items_read / self.relevant if self.relevant else float("inf")

    @property
    def scans(self) -> int:
        return self.calls.get("Scan", 0)

    @property
    def met(self) -> bool:
        return self.ratio <= GOAL_RATIO and self.scans == 0


@dataclass(frozen=True)
class ReadsRun:
    total: int
    open_in_window: int
    open_beyond: int
    load_seconds: float
    check: ReadFigures
    recap: ReadFigures
    open311: tuple[ReadFigures, ...] = ()

    @property
    def figures(self) -> tuple[ReadFigures, ...]:
        return (self.check, self.recap, *self.open311)


def run(total: int | None = None) -> ReadsRun:
    import boto3
    from moto import mock_aws

    from pendopo.domain.sla_digest import window_end
    from tools.bench import data as bench_data
    from tools.bench import open311 as bench_open311
    from tools.bench import recap as bench_recap
    from tools.bench import sla as bench_sla

    size = total or bench_data.TOTAL
    in_window = max(1, size * bench_data.OPEN_IN_WINDOW // bench_data.TOTAL)
    beyond = max(1, size * bench_data.OPEN_BEYOND_WINDOW // bench_data.TOTAL)
    with mock_aws():
        client = boto3.client("dynamodb", region_name=bench_data.REGION)
        data = bench_data.load(client, total=size, open_in_window=in_window, open_beyond=beyond)
        with bench_data.frozen_reads(bench_data.moto_table()):
            sla = bench_sla.measure(data.now, table=bench_data.TABLE)
            recap = bench_recap.measure(
                bench_data.RECAP_MONTH,
                data.month_items(bench_data.RECAP_MONTH),
                size,
                data.load_seconds,
                table=bench_data.TABLE,
            )
            lists = bench_open311.measure(
                data.now, data.public, bench_data.TABLE, bench_data.REGION
            )
    check = ReadFigures(
        name="deadline check",
        items_read=sla["items_read"],
        relevant=data.open_due_by(window_end(data.now)),
        calls=sla["calls"],
        seconds=sla["check_seconds"],
    )
    recap_figures = ReadFigures(
        name=f"monthly recap {recap.month}",
        items_read=recap.items_read,
        relevant=recap.month_items,
        calls={"Query": recap.queries, "Scan": recap.scans},
        seconds=recap.recap_seconds,
    )
    open311 = tuple(ReadFigures(**figures) for figures in lists)
    return ReadsRun(size, in_window, beyond, data.load_seconds, check, recap_figures, open311)


def markdown(result: ReadsRun) -> str:
    from tools.bench import data as bench_data

    lines = [
        f"One table of {result.total:,} complaints (a year ending {bench_data.NOW:%d %B %Y}"
        f" {bench_data.NOW:%H:%M} WIB; {result.open_in_window:,} open and due inside the"
        f" deadline check's window, {result.open_beyond:,} open and due after it,"
        " the rest done, rejected or awaiting validation; one in ten confidential), loaded"
        f" straight into moto's in-process backend in {result.load_seconds:.1f} s, read by"
        " both jobs and the Open311 list (the first 1,000 of the last 90 days). A botocore"
        " `after-call` hook on the storage's client counts every call and the items each"
        " read (`ScannedCount`, else `Count`).",
        "",
        "| job | items read | items relevant | ratio | calls | Scan | goal | met |",
        "|---|---:|---:|---:|---|---:|---|---|",
    ]
    for figures in result.figures:
        calls = ", ".join(f"{name} {n}" for name, n in sorted(figures.calls.items()) if n)
        lines.append(
            f"| {figures.name} | {figures.items_read:,} | {figures.relevant:,} |"
            f" {figures.ratio:.3f} | {calls} | {figures.scans} | <= {GOAL_RATIO} and 0 Scan |"
            f" {'met' if figures.met else 'missed'} |"
        )
    lines += [
        "",
        f"Wall time in moto (not DynamoDB's): the check {result.check.seconds:.2f} s, the"
        f" recap {result.recap.seconds:.2f} s. moto answers an index Query by walking every"
        " item of the table in Python; DynamoDB reads only the index partition.",
    ]
    return "\n".join(lines)


def section(_: Any = None) -> tuple[str, str]:
    print("Read amplification: loading the shared table ...", flush=True)
    result = run()
    for figures in result.figures:
        print(
            f"  {figures.name}: {figures.items_read:,} read / {figures.relevant:,} relevant"
            f" = {figures.ratio:.3f}, Scan {figures.scans}",
            flush=True,
        )
    return "Read amplification at 100,000 complaints", markdown(result)

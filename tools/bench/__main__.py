"""Benchmarks (``make bench``): measured, printed, written to docs/benchmarks.md.

``make bench`` runs every producer in ``SECTIONS`` in order; each prints its progress
and returns a Markdown section (title, body). The document starts with the machine,
the date and the command. One more benchmark is one more line in ``SECTIONS``.
Everything from the ``HAND_WRITTEN`` comment on (the narrative written by hand) is
kept from the document being replaced.

Cold start (``tools/bench/cold.py``): the import-and-init time and the first
request of every function's handler module, from ``make build-host``'s twin of the
artifact on Python 3.13 (with its bytecode, and a copy without), against the baseline
every Python Lambda that talks to DynamoDB pays (``import boto3`` plus one DynamoDB
client), in fresh interpreters, round-robin, so machine noise hits both sides alike.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shlex
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infra.template import REPO_ROOT
from tools.bench import calls as bench_calls
from tools.bench import cold as bench_cold
from tools.bench import cost as bench_cost
from tools.bench import layer as bench_layer
from tools.bench import reads as bench_reads
from tools.bench import stats as bench_stats
from tools.bench import warm as bench_warm


def cold_start_section(args: argparse.Namespace) -> tuple[str, str]:
    """Every function's cold start against the baseline (``tools/bench/cold.py``)."""
    print(
        f"Cold start: every function from its artifact, with and without bytecode, "
        f"{args.rounds} fresh interpreters each",
        flush=True,
    )
    text = bench_cold.run(args.rounds).markdown()
    print(text, flush=True)
    # bench_cold renders its own "## Cold start" heading; the document adds it.
    return "Cold start", text.split("\n", 1)[1].lstrip("\n")


Section = Callable[[argparse.Namespace], tuple[str, str]]
SECTIONS: list[tuple[str, Section]] = [
    ("cold", cold_start_section),
    ("calls", bench_calls.section),
    ("warm", bench_warm.section),
    ("reads", bench_reads.section),
    ("stats", bench_stats.section),
    ("cost", bench_cost.section),
    ("layer", bench_layer.section),
]


# Where the hand-written part of docs/benchmarks.md starts: kept as it is by every run.
HAND_WRITTEN = "<!-- Everything below is hand-written"


def hand_written(path: Path) -> str:
    """The hand-written end of the document at ``path`` (from ``HAND_WRITTEN``), or ""."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start = text.find(HAND_WRITTEN)
    return text[start:] if start >= 0 else ""


def machine() -> list[tuple[str, str]]:
    import boto3
    import botocore
    import moto

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("RAM", memory),
        ("OS", f"{platform.system()} {platform.release()} ({platform.platform()})"),
        ("Python", platform.python_version()),
        (
            "moto / boto3 / botocore",
            f"{moto.__version__} / {boto3.__version__} / {botocore.__version__}",
        ),
        ("load average at the start (1, 5, 15 min)", load),
    ]


def document(
    command: str, started: datetime, seconds: float, sections: list[tuple[str, str]], info: Any
) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{command}` (`tools/bench/__main__.py`) on {started:%Y-%m-%d %H:%M} UTC;"
        f" the whole run took {seconds / 60:.1f} minutes. Timings depend on the machine and"
        " on what else ran on it; counts and ratios do not.",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in info),
        "",
    ]
    for title, body in sections:
        lines += [f"## {title}", "", body.rstrip(), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    import time

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--iterations", type=int, default=bench_warm.ITERATIONS)
    parser.add_argument(
        "--only", action="append", choices=[name for name, _ in SECTIONS], help="repeatable"
    )
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    started, clock = datetime.now(UTC), time.perf_counter()
    info = machine()
    sections = [producer(args) for name, producer in SECTIONS if not args.only or name in args.only]
    command = (
        "make bench"
        if argv is None and len(sys.argv) == 1
        else shlex.join(["python", "-m", "tools.bench", *(sys.argv[1:] if argv is None else argv)])
    )
    text = document(command, started, time.perf_counter() - clock, sections, info)
    kept = hand_written(args.output)
    if kept:
        text = f"{text.rstrip()}\n\n{kept}"
    if args.no_write:
        print(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()

"""Benchmarks (``make bench``): measured, printed, written to docs/benchmarks.md.

``make bench`` runs every producer in ``SECTIONS`` in order; each prints its progress
and returns a Markdown section (title, body). The document starts with the machine,
the date and the command. One more benchmark is one more line in ``SECTIONS``.

Cold start: the import-and-init time of each handler module, against the
baseline every Python Lambda that talks to DynamoDB pays (``import boto3``
plus one DynamoDB client), measured in the same run in fresh interpreters,
alternating, so machine noise hits both sides alike.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import shlex
import statistics
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infra import bench_calls, bench_cost, bench_layer, bench_reads, bench_warm

REPO_ROOT = Path(__file__).resolve().parent.parent

BASELINE = "import boto3\nboto3.client('dynamodb', region_name='ap-southeast-3')"
HANDLERS = {"intake": "import functions.intake.app"}

_TIMED = """
import time
_start = time.perf_counter()
{code}
print(time.perf_counter() - _start)
"""


def _bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env.update(
        {
            "PYTHONPATH": f"{REPO_ROOT}{os.pathsep}{REPO_ROOT / 'layers' / 'common'}",
            "PYTHONDONTWRITEBYTECODE": "1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "ap-southeast-3",
            "TABLE_NAME": "pendopo-bench-complaints",
            "POWERTOOLS_TRACE_DISABLED": "true",
        }
    )
    return env


def time_import(code: str) -> float:
    """Seconds to run ``code`` in a fresh interpreter, interpreter start excluded."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", _TIMED.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
        env=_bench_env(),
        cwd=REPO_ROOT,
    )
    return float(result.stdout.strip().splitlines()[-1])


def cold_start(rounds: int) -> None:
    print(f"Cold start: import and init, median of {rounds} fresh interpreters each")
    for name, code in HANDLERS.items():
        time_import(code)  # warm the OS file cache for both sides before measuring
        time_import(BASELINE)
        baseline, handler = [], []
        for _ in range(rounds):
            baseline.append(time_import(BASELINE))
            handler.append(time_import(code))
        base_ms = statistics.median(baseline) * 1000
        handler_ms = statistics.median(handler) * 1000
        ratio = handler_ms / base_ms
        verdict = "meets" if ratio <= 1.3 else "misses"
        print(
            f"  {name:<8} handler {handler_ms:7.1f} ms | boto3 + DynamoDB client {base_ms:7.1f} ms"
            f" | ratio {ratio:.2f} ({verdict} the goal of <= 1.30)"
        )


def cold_start_section(args: argparse.Namespace) -> tuple[str, str]:
    """``cold_start()`` as it is, its printed lines kept as the section's body."""
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        cold_start(args.rounds)
    print(captured.getvalue(), end="", flush=True)
    return "Cold start", "```\n" + captured.getvalue().rstrip() + "\n```"


Section = Callable[[argparse.Namespace], tuple[str, str]]
SECTIONS: list[tuple[str, Section]] = [
    ("cold", cold_start_section),
    ("calls", bench_calls.section),
    ("warm", bench_warm.section),
    ("reads", bench_reads.section),
    ("cost", bench_cost.section),
    ("layer", bench_layer.section),
]


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
        f"Written by `{command}` (`infra/bench.py`) on {started:%Y-%m-%d %H:%M} UTC;"
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
        else shlex.join(["python", "-m", "infra.bench", *(sys.argv[1:] if argv is None else argv)])
    )
    text = document(command, started, time.perf_counter() - clock, sections, info)
    if args.no_write:
        print(text)
    else:
        args.output.write_text(text)
        print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()

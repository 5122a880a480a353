"""Benchmarks (``make bench``): measured, printed, never asserted in tests.

Cold start: the import-and-init time of each handler module, against the
baseline every Python Lambda that talks to DynamoDB pays (``import boto3``
plus one DynamoDB client), measured in the same run in fresh interpreters,
alternating, so machine noise hits both sides alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

from infra import bench_recap

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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    cold_start(args.rounds)
    from infra.bench_sla import main as bench_sla

    bench_sla()
    bench_recap.report()


if __name__ == "__main__":
    main()

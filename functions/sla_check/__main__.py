"""The deadline check on demand, "as of" any time.

    python -m functions.sla_check --now 2025-06-12T07:00+07:00 --local
    python -m functions.sla_check --now 2025-06-12T07:00+07:00 --stage dev [--region R]

``--local`` runs the check in this process against the local stack (``make run``):
moto at ``--endpoint-url`` (default http://127.0.0.1:5000), table
``pendopo-local-complaints``, dummy credentials; the digests land in the local outbox
(http://127.0.0.1:3000/_local/outbox). ``--stage`` invokes the deployed function
``pendopo-<stage>-sla-check`` with ``{"now": ...}`` (your usual AWS credentials), so the
run uses that stage's own configuration: recipients, sender, console URL.

Without ``--now``, as of the current time. A second run for the same WIB day sends
only what was not sent yet. Exit status 1 when some digest could not be sent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

LOCAL_ENDPOINT = "http://127.0.0.1:5000"
LOCAL_TABLE = "pendopo-local-complaints"
LOCAL_CONSOLE = "http://127.0.0.1:3000/console/"
LOCAL_SENDER = "pendopo@pendopo.example"
DEFAULT_REGION = "ap-southeast-3"
STAGES = ("dev", "training", "prod")
_DUMMY = "testing"


def parse_now(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} bukan waktu ISO 8601, contoh 2025-06-09T07:00+07:00"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} tanpa zona waktu; tulis misalnya 2025-06-09T07:00+07:00"
        )
    return moment


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m functions.sla_check",
        description="Pemeriksaan batas waktu tindak lanjut (3 hari), per waktu tertentu.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    parser.add_argument("--now", type=parse_now, help="waktu acuan ISO 8601 dengan zona waktu")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--local", action="store_true", help="stack lokal (make run)")
    where.add_argument("--stage", choices=STAGES, help="fungsi pendopo-<stage>-sla-check")
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument("--endpoint-url", default=LOCAL_ENDPOINT, help="moto, dengan --local")
    parser.add_argument("--table", default=LOCAL_TABLE, help="tabel, dengan --local")
    parser.add_argument("--console-url", default=LOCAL_CONSOLE, help="konsol, dengan --local")
    return parser


def local_environment(args: argparse.Namespace) -> dict[str, str]:
    """What the local stack gives its functions: moto, dummy credentials, its table."""
    return {
        "AWS_ENDPOINT_URL": args.endpoint_url,
        "AWS_ACCESS_KEY_ID": _DUMMY,
        "AWS_SECRET_ACCESS_KEY": _DUMMY,
        "AWS_SESSION_TOKEN": _DUMMY,
        "AWS_DEFAULT_REGION": args.region,
        "AWS_REGION": args.region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "TABLE_NAME": args.table,
        "STAGE": "local",
        "SES_SENDER": os.environ.get("SES_SENDER") or LOCAL_SENDER,
        "CONSOLE_URL": args.console_url,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "Pendopo",
        # The summary is printed below; the function's JSON log line and metrics
        # (CloudWatch EMF lines on stdout) would repeat it.
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
    }


def run_local(args: argparse.Namespace) -> dict[str, Any]:
    for name in [n for n in os.environ if n.startswith(("AWS_ENDPOINT_URL_", "AWS_PROFILE"))]:
        del os.environ[name]
    os.environ.update(local_environment(args))
    from functions.sla_check import app  # reads the environment set above

    event = {"now": args.now.isoformat()} if args.now else {}
    return app.check(event).summary()


def run_stage(args: argparse.Namespace, lambda_client: Any = None) -> dict[str, Any]:
    import boto3

    client = lambda_client or boto3.client("lambda", region_name=args.region)
    now = args.now or datetime.now(UTC)
    response = client.invoke(
        FunctionName=f"pendopo-{args.stage}-sla-check",
        InvocationType="RequestResponse",
        Payload=json.dumps({"now": now.isoformat()}).encode(),
    )
    payload = json.loads(response["Payload"].read() or b"{}")
    if response.get("FunctionError"):
        # The function raised (some digests not sent): its message says what.
        return {"complete": False, "error": payload}
    return dict(payload)


def format_summary(summary: dict[str, Any]) -> str:
    if "units" not in summary:
        return f"Pemeriksaan gagal: {json.dumps(summary, ensure_ascii=False)}"
    lines = [
        f"Pemeriksaan batas waktu per {summary['as_of']} (hari {summary['day']} WIB): "
        f"{summary['items_read']} pengaduan terbuka dibaca.",
        f"  {'unit':<16} {'24 jam':>7} {'terlambat':>10} {'eskalasi':>9}",
    ]
    for unit, counts in summary["units"].items():
        reminders, overdue, escalated = (
            counts["reminders"],
            counts["overdue"],
            counts["escalated"],
        )
        lines.append(f"  {unit:<16} {reminders:>7} {overdue:>10} {escalated:>9}")
    lines.append(
        f"Email: {summary['emails_sent']} terkirim, {summary['emails_skipped_duplicate']} "
        f"sudah terkirim sebelumnya, {summary['emails_failed']} gagal "
        f"({summary['digests']} ringkasan)."
    )
    if summary.get("read_failures"):
        lines.append(f"Unit yang gagal dibaca: {', '.join(summary['read_failures'])}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    summary = run_local(args) if args.local else run_stage(args)
    print(format_summary(summary))
    return 0 if summary.get("complete") else 1


if __name__ == "__main__":
    sys.exit(main())

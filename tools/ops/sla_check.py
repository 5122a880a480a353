"""The deadline check on demand, "as of" any time.

    pendopo-sla-check --now 2025-06-12T07:00+07:00 --local
    pendopo-sla-check --now 2025-06-12T07:00+07:00 --stage dev [--region R]

(``pendopo-sla-check`` is ``python -m tools.ops.sla_check``, installed by ``make venv``.)

``--local`` runs the check in this process against the local stack (``make run``):
moto at ``--endpoint-url`` (default http://127.0.0.1:5000), table
``pendopo-local-complaints``, dummy credentials; the digests land in the local outbox
(http://127.0.0.1:3000/_local/outbox). ``--stage`` invokes the deployed function
``pendopo-<stage>-sla-check`` with ``{"now": ...}`` (your usual AWS credentials), so the
run uses that stage's own configuration: recipients, sender, console URL.

Without ``--now``, as of the current time. A second run for the same WIB day sends
only what was not sent yet. Exit status 1 when some digest could not be sent, or the
run was refused or could not be invoked.

"As of" a later time: a run claims its digests per WIB day of its "as of" time
(``SLA#<day>#<unit>``), so a run as of tomorrow uses up tomorrow's digests. The
deployed function therefore refuses an "as of" time more than 10 minutes past the
real time (``--stage`` then prints why and exits 1); earlier times are allowed.
``--local`` allows any time: the local stack holds demo data (``make demo``), and
docs/operations.md's demo runs the check as of a later date to show the digests.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from tools.ops import targets

LOCAL_TABLE = targets.LOCAL_TABLE
LOCAL_CONSOLE = "http://127.0.0.1:3000/console/"
LOCAL_SENDER = "pendopo@pendopo.example"
# SlaCheckFunction's Timeout (template.yaml; app.TIMEOUT_SECONDS, which the command
# does not import: importing app configures the function). The invoke waits that long
# plus 30 s, and is made once (targets.invoke_once_client).
FUNCTION_TIMEOUT_SECONDS = 120
MAX_AHEAD_MINUTES = 10  # app.MAX_AHEAD


class CommandFailed(Exception):
    """The command could not get a run done; the message (Indonesian) says why."""


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
    parser = targets.command_parser(
        "pendopo-sla-check",
        "Pemeriksaan batas waktu tindak lanjut (3 hari), per waktu tertentu.",
        __doc__,
    )
    parser.add_argument(
        "--now",
        type=parse_now,
        help="waktu acuan ISO 8601 dengan zona waktu (tanpa --now: sekarang); dengan --stage "
        f"paling lambat {MAX_AHEAD_MINUTES} menit setelah waktu sekarang",
    )
    targets.add_target(
        parser,
        local_help="stack lokal (make run); waktu acuan boleh kapan saja, juga hari yang belum "
        "tiba, karena datanya data demo (make demo)",
        stage_help="fungsi pendopo-<stage>-sla-check; fungsi menolak waktu acuan lebih dari "
        f"{MAX_AHEAD_MINUTES} menit ke depan, karena ringkasan hari itu akan terpakai",
        endpoint_help="moto, dengan --local",
    )
    parser.add_argument("--table", default=LOCAL_TABLE, help="tabel, dengan --local")
    parser.add_argument("--console-url", default=LOCAL_CONSOLE, help="konsol, dengan --local")
    # Defaults from the caller's environment, as before: the sender a local stack was
    # started with, and quiet function logs unless asked for.
    parser.add_argument(
        "--sender",
        default=os.environ.get("SES_SENDER") or LOCAL_SENDER,
        help="pengirim email, dengan --local",
    )
    parser.add_argument(
        "--log-level",
        default=os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
        help="tingkat log fungsi, dengan --local",
    )
    return parser


def local_environment(args: argparse.Namespace) -> dict[str, str]:
    """What the local stack gives its functions: moto, dummy credentials, its table."""
    return {
        "AWS_ENDPOINT_URL": args.endpoint_url,
        "AWS_ACCESS_KEY_ID": targets.DUMMY_CREDENTIAL,
        "AWS_SECRET_ACCESS_KEY": targets.DUMMY_CREDENTIAL,
        "AWS_SESSION_TOKEN": targets.DUMMY_CREDENTIAL,
        "AWS_DEFAULT_REGION": args.region,
        "AWS_REGION": args.region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "TABLE_NAME": args.table,
        "STAGE": "local",
        "SES_SENDER": args.sender,
        "CONSOLE_URL": args.console_url,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "Pendopo",
        # The summary is printed below; the function's JSON log line and metrics
        # (CloudWatch EMF lines on stdout) would repeat it.
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": args.log_level,
    }


def run_local(args: argparse.Namespace) -> dict[str, Any]:
    for name in [n for n in os.environ if n.startswith(("AWS_ENDPOINT_URL_", "AWS_PROFILE"))]:
        del os.environ[name]
    os.environ.update(local_environment(args))
    from functions.sla_check import app  # reads the environment set above

    event = {"now": args.now.isoformat()} if args.now else {}
    return app.check(event).summary()


def stage_client(region: str) -> Any:
    return targets.invoke_once_client(region, FUNCTION_TIMEOUT_SECONDS + 30)


def run_stage(args: argparse.Namespace, lambda_client: Any = None) -> dict[str, Any]:
    client = lambda_client or stage_client(args.region)
    now = args.now or datetime.now(UTC)
    name = targets.function_name(args.stage, "sla-check")
    try:
        payload, failed = targets.invoke(client, name, {"now": now.isoformat()})
    except ClientError as error:
        raise CommandFailed(_invoke_error(name, error)) from None
    except BotoCoreError as error:  # no credentials, no connection, read timeout
        raise CommandFailed(
            f"Fungsi {name} tidak dapat dipanggil ({type(error).__name__}: {error}). "
            "Bila waktu tunggu habis, pemeriksaan mungkin masih berjalan: lihat log fungsi "
            "sebelum menjalankannya lagi (yang sudah terkirim tidak dikirim ulang)."
        ) from None
    if failed:
        raise CommandFailed(_function_error(name, payload))
    return dict(payload)


def _invoke_error(name: str, error: ClientError) -> str:
    code = error.response.get("Error", {}).get("Code", "")
    if code == "TooManyRequestsException":
        return (
            f"Fungsi {name} sedang sibuk (dibatasi, {code}): hanya satu pemeriksaan berjalan "
            "pada satu waktu. Coba lagi beberapa menit lagi."
        )
    if code == "ResourceNotFoundException":
        return f"Fungsi {name} tidak ditemukan: periksa --stage dan --region."
    return f"Fungsi {name} tidak dapat dipanggil ({code or type(error).__name__})."


def _function_error(name: str, payload: Any) -> str:
    error = payload if isinstance(payload, dict) else {}
    kind = str(error.get("errorType", "tidak diketahui"))
    detail = str(error.get("errorMessage", ""))
    if kind == "AsOfInTheFuture":
        return (
            "Pemeriksaan ditolak: waktu acuan (--now) lebih dari "
            f"{MAX_AHEAD_MINUTES} menit setelah waktu sekarang. Ringkasan dicatat sekali per "
            "hari (WIB), jadi pemeriksaan untuk hari yang belum tiba akan menghabiskan "
            "ringkasan hari itu. Tidak ada email yang dikirim."
        )
    if kind == "SlaCheckIncomplete":
        return (
            f"Pemeriksaan belum lengkap: {detail}. Jalankan lagi untuk waktu acuan yang sama; "
            "yang sudah terkirim tidak dikirim ulang."
        )
    return f"Fungsi {name} gagal ({kind}): {detail}"


def format_summary(summary: dict[str, Any]) -> str:
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
    if summary.get("withheld_escalations"):
        lines.append(
            "Eskalasi ditahan sampai semua unitnya terbaca: "
            f"{', '.join(summary['withheld_escalations'])}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, lambda_client: Any = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        summary = run_local(args) if args.local else run_stage(args, lambda_client)
    except CommandFailed as failed:
        print(failed, file=sys.stderr)
        return 1
    print(format_summary(summary))
    return 0 if summary.get("complete") else 1


if __name__ == "__main__":
    sys.exit(main())

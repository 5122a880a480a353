"""The monthly recap on demand: ``pendopo-recap --month 2025-06``.

(``pendopo-recap`` is ``python -m tools.ops.recap``, installed by ``make venv``.)

Targets:

- ``--local``: the running local stack (``make run``): moto at ``--endpoint-url``
  (default http://127.0.0.1:5000), table ``pendopo-local-complaints``, bucket
  ``pendopo-local-files``. The recap runs in this process against moto; the
  emails show in the local outbox (http://127.0.0.1:3000/_local/outbox).
- ``--stage dev|training|prod``: invokes the deployed function
  ``pendopo-<stage>-monthly-recap`` (your usual AWS credentials), so the run uses
  the function's own role, bucket, sender and recipients.

``--resend`` sends every email again on purpose (a normal re-run sends nothing twice).
A resend claims its emails per WIB day: repeating it the same day sends only what the
first attempt could not.

A month that has not ended (WIB) is refused on a deployed stage: its claims would use
up the month's emails, and the run on the 5th would send nothing. ``--local`` may
recap the current month, because the local demo data (``make demo``) is created now.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tools.ops import targets

if TYPE_CHECKING:
    from pendopo.domain.clock import Clock

# MonthlyRecapFunction's Timeout (template.yaml); the invoke waits that long plus 30 s.
FUNCTION_TIMEOUT_SECONDS = 300


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pendopo-recap", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--month",
        required=True,
        help="the month to recap, YYYY-MM; with --stage only a month that has ended (WIB)",
    )
    parser.add_argument(
        "--resend",
        action="store_true",
        help="send the emails again (once per WIB day: repeating it sends only what is missing)",
    )
    targets.add_target(
        parser,
        local_help="the local stack (make run); may recap the current month (make demo's data)",
        stage_help="a deployed stage; refuses a month that has not ended",
        endpoint_help="moto (with --local)",
    )
    args = parser.parse_args(argv)
    from pendopo.domain.recap import InvalidMonth, RecapMonth

    try:
        RecapMonth.parse(args.month)
    except InvalidMonth as error:
        parser.error(str(error))
    return args


def run_local(args: argparse.Namespace) -> dict[str, Any]:
    from tools.local.stack import DEFAULT_TABLE, local_environment

    os.environ.update(local_environment(args.endpoint_url, DEFAULT_TABLE))
    from functions.monthly_recap import app

    result = app.service.run(app.RecapEvent(month=args.month).recap_month(), resend=args.resend)
    return app.result_body(result)


def run_stage(args: argparse.Namespace) -> dict[str, Any]:
    client = targets.invoke_once_client(args.region, FUNCTION_TIMEOUT_SECONDS + 30)
    payload, failed = targets.invoke(
        client,
        targets.function_name(args.stage, "monthly-recap"),
        {"month": args.month, "resend": args.resend},
    )
    if failed:
        if payload.get("errorType") == "MonthNotEnded":
            from pendopo.domain.recap import MonthNotEnded, RecapMonth

            raise MonthNotEnded(RecapMonth.parse(args.month))
        raise RuntimeError(f"the recap failed: {payload}")
    return payload


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    args = parse_args(argv)
    from pendopo.domain.clock import SystemClock
    from pendopo.domain.recap import MonthNotEnded, RecapMonth
    from pendopo.services.recap import RecapIncomplete

    month = RecapMonth.parse(args.month)
    try:
        if args.stage and not month.has_ended((clock or SystemClock()).now()):
            # The function refuses it too; asking first spares an invocation.
            raise MonthNotEnded(month)
        body = run_local(args) if args.local else run_stage(args)
    except MonthNotEnded as refused:
        print(refused.message_id, file=sys.stderr)
        return 2
    except RecapIncomplete as incomplete:
        print(f"Rekap {args.month} belum lengkap: {incomplete}", file=sys.stderr)
        return 1
    print(json.dumps(body, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

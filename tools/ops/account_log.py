"""The table side of ``pendopo-admin``: the account log it writes and the logs it reads.

Every account action ``pendopo-admin`` takes (create, disable, enable, reset-password,
change-role, and reset-mfa, which calls ``record_action`` with ``AccountAction.MFA_RESET``)
is recorded in the table's account log with the operator: the AWS principal running the
command (STS GetCallerIdentity). ``access-log`` exports who saw a reporter's identity as
CSV, per officer and month or per complaint; ``account-log`` prints a month's account
events. Both read Queries on keys built for them (``pendopo.storage.access_log``).
"""

from __future__ import annotations

import csv
from typing import Any, NamedTuple, TextIO

from pendopo.domain.access import AccessRecord, AccountAction, AccountEvent
from pendopo.domain.clock import SystemClock, format_wib, to_wib
from pendopo.storage.access_log import AccessLog, AccountLog
from pendopo.storage.connection import bind_table

CSV_COLUMNS = ("waktu_wib", "petugas", "peran", "tiket", "data_ditampilkan", "rute")
PAGE = 200


class TableTarget(NamedTuple):
    """The table a command works on: its name, region and (locally) moto's endpoint."""

    table: str
    region: str
    endpoint_url: str | None


def bind(target: TableTarget) -> None:
    bind_table(target.table, target.region, target.endpoint_url)


def operator_arn(sts: Any) -> str:
    """Who runs the command: the caller's ARN (a role session names the person)."""
    return str(sts.get_caller_identity()["Arn"])


def record_action(
    target: TableTarget,
    operator: str,
    action: AccountAction,
    officer: str,
    detail: str | None = None,
) -> AccountEvent:
    """One account event, with the AWS principal that took it."""
    bind(target)
    event = AccountEvent(
        at=SystemClock().now(),
        action=action,
        officer=officer.strip().lower(),
        operator=operator,
        operator_kind="aws",
        detail=detail,
    )
    AccountLog().record(event)
    return event


def access_records(
    target: TableTarget, *, officer: str | None, month: str | None, ticket: str | None
) -> list[AccessRecord]:
    """Every record of one officer's month, or of one complaint, oldest first."""
    bind(target)
    log = AccessLog()
    records: list[AccessRecord] = []
    cursor: str | None = None
    while True:
        if ticket is not None:
            page = log.by_ticket(ticket, limit=PAGE, cursor=cursor)
        elif officer is not None and month is not None:
            page = log.by_officer(officer.strip().lower(), month, limit=PAGE, cursor=cursor)
        else:
            raise ValueError("give a ticket, or an officer and a month")
        records += page.records
        cursor = page.next_cursor
        if cursor is None:
            return records


def write_access_csv(records: list[AccessRecord], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        at = to_wib(r.at).isoformat(timespec="seconds")
        writer.writerow((at, r.officer, r.role, r.ticket, ";".join(r.fields), r.route))


def account_events(target: TableTarget, month: str, officer: str | None) -> list[AccountEvent]:
    bind(target)
    return AccountLog().month(month, officer.strip().lower() if officer else None)


def print_account_events(events: list[AccountEvent], out: TextIO) -> None:
    for e in events:
        detail = f"  ({e.detail})" if e.detail else ""
        print(
            f"{format_wib(e.at)}  {e.action.value:<15} {e.officer:<40} oleh {e.operator}{detail}",
            file=out,
        )
    print(f"{len(events)} tindakan akun.", file=out)

"""Officer accounts and Open311 partners for Diskominfotik admins.

    pendopo-admin create-officer  --email E --role R [--unit U | --scope S] [--name N]
                                  [--temporary-password | --password P]  TARGET
    pendopo-admin list-officers   [--unit U] [--role R]                  TARGET
    pendopo-admin disable-officer --email E                              TARGET
    pendopo-admin enable-officer  --email E                              TARGET
    pendopo-admin reset-password  --email E [--temporary-password P]     TARGET
    pendopo-admin reset-mfa       --email E                              TARGET
    pendopo-admin create-partner  --name N                               TARGET
    pendopo-admin list-partners                                          TARGET
    pendopo-admin revoke-partner  --id ID                                TARGET
    pendopo-admin change-role     --email E --role R [--unit U | --scope S] TARGET
    pendopo-admin access-log      (--officer E --month YYYY-MM | --ticket T) [--output F]
                                                                          TARGET
    pendopo-admin account-log     --month YYYY-MM [--officer E]          TARGET
    pendopo-admin rebuild-stats   --from YYYY-MM [--to YYYY-MM]          TARGET

(``pendopo-admin`` is ``python -m tools.ops.admin``, installed by ``make venv``.)

A leader (``--role pimpinan``: the Sekda or an Asisten, who read the dashboard only)
takes ``--scope SEKDA`` or ``--scope ASISTEN_...`` and no ``--unit``; other roles take
no ``--scope``.

TARGET is ``--local`` (the local stack's moto, ``--endpoint-url`` default
http://127.0.0.1:5000, dummy credentials, pool ``pendopo-local-officers``) or
``--stage dev|training|prod [--region ap-southeast-3]`` (the ``UserPoolId`` output
of CloudFormation stack ``pendopo-<stage>``, with your usual AWS credentials).
``--user-pool-id`` overrides the pool either way, ``--table`` the table
(``pendopo-local-complaints`` or ``pendopo-<stage>-complaints``). The partner commands
work on that table too (see ``tools.ops.partners``).

Every account action is recorded in the table's account log with the AWS principal
that ran it (STS GetCallerIdentity); ``account-log`` reads a month of them.
``access-log`` exports, as CSV, who saw a reporter's identity unmasked: field names,
never values.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from infra.template import user_pool_name
from pendopo.domain.access import AccountAction, parse_month
from pendopo.domain.errors import InvalidField
from pendopo.domain.identifiers import normalize_ticket
from tools.ops import partners, targets
from tools.ops import stats as stats_commands
from tools.ops.account_log import (
    TableTarget,
    access_records,
    account_events,
    operator_arn,
    print_account_events,
    record_action,
    write_access_csv,
)
from tools.ops.officers import (
    ROLES,
    OfficerError,
    change_role,
    create_officer,
    disable_officer,
    enable_officer,
    list_officers,
    officer_spec,
    reset_mfa,
    reset_password,
    scope_codes,
    unit_codes,
)


class TargetError(RuntimeError):
    pass


def _session(args: argparse.Namespace) -> boto3.session.Session:
    if args.local:
        return targets.local_session(args.region)
    return boto3.session.Session(region_name=args.region)


def _endpoint(args: argparse.Namespace) -> str | None:
    return str(args.endpoint_url) if args.local else None


def table_target(args: argparse.Namespace) -> TableTarget:
    """The stage's table: --table, or the name template.yaml gives it."""
    stage = targets.LOCAL_STAGE if args.local else args.stage
    table = args.table or f"pendopo-{stage}-complaints"
    return TableTarget(table=table, region=args.region, endpoint_url=_endpoint(args))


def log_account_action(
    args: argparse.Namespace, action: AccountAction, email: str, detail: str | None = None
) -> None:
    """Record an account action with the AWS principal running this command.

    Every account command calls this after Cognito accepted the change (reset-mfa
    too: ``AccountAction.MFA_RESET``).
    """
    sts = _session(args).client("sts", endpoint_url=_endpoint(args))
    record_action(table_target(args), operator_arn(sts), action, email, detail)


def cognito_client(args: argparse.Namespace) -> Any:
    return _session(args).client("cognito-idp", endpoint_url=_endpoint(args))


def resolve_user_pool_id(args: argparse.Namespace, cognito: Any) -> str:
    """The pool to work on: --user-pool-id, the local pool by name, or the stack output."""
    if args.user_pool_id:
        return str(args.user_pool_id)
    if args.local:
        name = user_pool_name(targets.LOCAL_STAGE)
        pools = [p for p in _all_pools(cognito) if p.get("Name") == name]
        if len(pools) != 1:
            raise TargetError(
                f"Tidak menemukan tepat satu user pool bernama {name} di {args.endpoint_url}. "
                "Apakah `make run` sedang berjalan?"
            )
        return str(pools[0]["Id"])
    stack = targets.stack_name(args.stage)
    cloudformation = _session(args).client("cloudformation")
    try:
        described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    except ClientError as error:
        raise TargetError(f"Stack {stack} tidak ditemukan di {args.region}: {error}") from error
    for output in described.get("Outputs", []):
        if output.get("OutputKey") == "UserPoolId":
            return str(output["OutputValue"])
    raise TargetError(f"Stack {stack} tidak punya output UserPoolId.")


def _all_pools(cognito: Any) -> list[dict[str, Any]]:
    pools: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = cognito.list_user_pools(MaxResults=60, **({"NextToken": token} if token else {}))
        pools.extend(page.get("UserPools", []))
        token = page.get("NextToken")
        if not token:
            return pools


def _target_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    target = parent.add_argument_group("target (one of --local or --stage)")
    targets.add_target(
        target,
        local_help="the local stack (make run)",
        stage_help="a deployed stage: stack pendopo-<stage>",
        endpoint_help="moto's URL with --local (default %(default)s)",
    )
    target.add_argument("--user-pool-id", help="use this pool instead of finding it")
    target.add_argument("--table", help="the complaints table (default: the stage's)")
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = targets.command_parser(
        "pendopo-admin", "Kelola akun petugas Pendopo (Cognito).", __doc__
    )
    commands = parser.add_subparsers(dest="command", required=True)
    parent = _target_options()

    create = commands.add_parser("create-officer", parents=[parent], help="buat akun petugas")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--unit", choices=unit_codes(), help="wajib untuk petugas dan koordinator")
    create.add_argument(
        "--scope", choices=scope_codes(), help="wajib untuk pimpinan: SEKDA atau kode Asisten"
    )
    create.add_argument("--name", help="nama lengkap (opsional)")
    secret = create.add_mutually_exclusive_group()
    secret.add_argument(
        "--temporary-password",
        action="store_true",
        help="Cognito mengirim kata sandi sementara lewat email (bawaan)",
    )
    secret.add_argument("--password", help="kata sandi tetap (lokal dan pelatihan saja)")

    listing = commands.add_parser("list-officers", parents=[parent], help="daftar akun")
    listing.add_argument("--unit", choices=unit_codes())
    listing.add_argument("--role", choices=ROLES)

    for name, text in (
        ("disable-officer", "nonaktifkan akun (tidak bisa masuk lagi)"),
        ("enable-officer", "aktifkan kembali akun"),
    ):
        command = commands.add_parser(name, parents=[parent], help=text)
        command.add_argument("--email", required=True)

    reset = commands.add_parser(
        "reset-password", parents=[parent], help="beri kata sandi sementara baru"
    )
    reset.add_argument("--email", required=True)
    reset.add_argument("--temporary-password", help="bawaan: dibuat acak")

    mfa = commands.add_parser(
        "reset-mfa",
        parents=[parent],
        help="matikan verifikasi dua langkah (ponsel hilang/ganti); disiapkan ulang saat masuk",
    )
    mfa.add_argument("--email", required=True)
    partners.add_commands(commands, parent)
    stats_commands.add_commands(commands, parent)

    role = commands.add_parser(
        "change-role", parents=[parent], help="ubah peran/unit akun (keluar dari semua sesi)"
    )
    role.add_argument("--email", required=True)
    role.add_argument("--role", required=True, choices=ROLES)
    role.add_argument("--unit", choices=unit_codes())
    role.add_argument("--scope", choices=scope_codes(), help="untuk pimpinan")

    access = commands.add_parser(
        "access-log",
        parents=[parent],
        help="ekspor CSV: siapa melihat identitas pelapor (per petugas dan bulan, atau tiket)",
    )
    access.add_argument("--officer", help="email petugas (dengan --month)")
    access.add_argument("--month", help="bulan WIB, YYYY-MM (dengan --officer)")
    access.add_argument("--ticket", help="nomor tiket (sebagai ganti --officer/--month)")
    access.add_argument("--output", help="tulis CSV ke berkas ini (bawaan: layar)")

    accounts = commands.add_parser(
        "account-log", parents=[parent], help="tindakan atas akun petugas dalam sebulan"
    )
    accounts.add_argument("--month", required=True, help="bulan WIB, YYYY-MM")
    accounts.add_argument("--officer", help="hanya akun ini")
    return parser


def _access_query(args: argparse.Namespace) -> tuple[str | None, str | None, str | None]:
    if args.ticket:
        if args.officer or args.month:
            raise OfficerError("Pilih salah satu: --ticket, atau --officer dengan --month.")
        ticket = normalize_ticket(args.ticket)
        if ticket is None:
            raise OfficerError(f"Nomor tiket tidak valid: {args.ticket!r}.")
        return None, None, ticket
    if not (args.officer and args.month):
        raise OfficerError("Isi --officer dan --month, atau --ticket.")
    return args.officer, _month(args.month), None


def _month(text: str) -> str:
    try:
        return parse_month(text)
    except InvalidField as error:
        raise OfficerError(error.message) from error


def run_logs(args: argparse.Namespace, out: Any) -> None:
    """The log commands: they read the table only (no Cognito)."""
    if args.command == "access-log":
        officer, month, ticket = _access_query(args)
        records = access_records(table_target(args), officer=officer, month=month, ticket=ticket)
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as file:
                write_access_csv(records, file)
            print(f"{len(records)} catatan akses ditulis ke {args.output}.", file=out)
        else:
            write_access_csv(records, out)
    else:
        month = _month(args.month)
        print_account_events(account_events(table_target(args), month, args.officer), out)


def run(args: argparse.Namespace, out: Any = sys.stdout) -> None:
    if args.command in stats_commands.COMMANDS:
        stats_commands.run(args, _session(args), out)
        return
    if args.command in partners.COMMANDS:
        partners.run(args, partners.connect(args, _session(args)), out)
        return
    if args.command in ("access-log", "account-log"):
        run_logs(args, out)
        return
    cognito = cognito_client(args)
    pool = resolve_user_pool_id(args, cognito)
    if args.command == "create-officer":
        spec = officer_spec(args.email, args.role, args.unit, args.name, args.scope)
        create_officer(cognito, pool, spec, password=args.password)
        log_account_action(args, AccountAction.CREATED, spec.email, " ".join(spec.groups))
        how = (
            "dengan kata sandi tetap"
            if args.password
            else "kata sandi sementara dikirim ke emailnya"
        )
        unit = f", unit {spec.unit}" if spec.unit else ""
        unit += f", cakupan {spec.scope}" if spec.scope else ""
        print(f"Akun {spec.email} dibuat: {spec.role}{unit}; {how}.", file=out)
    elif args.command == "list-officers":
        rows = list_officers(cognito, pool, unit=args.unit, role=args.role)
        print(f"{'email':<45} {'peran':<12} {'unit':<15} {'aktif':<6} status", file=out)
        for row in rows:
            enabled = "ya" if row.enabled else "tidak"
            print(
                f"{row.email:<45} {row.role:<12} {row.unit:<15} {enabled:<6} {row.status}", file=out
            )
        print(f"{len(rows)} akun.", file=out)
    elif args.command == "disable-officer":
        disable_officer(cognito, pool, args.email)
        log_account_action(args, AccountAction.DISABLED, args.email, "signed out everywhere")
        print(
            f"Akun {args.email.strip().lower()} dinonaktifkan dan dikeluarkan dari semua sesi.",
            file=out,
        )
    elif args.command == "enable-officer":
        enable_officer(cognito, pool, args.email)
        log_account_action(args, AccountAction.ENABLED, args.email)
        print(f"Akun {args.email.strip().lower()} diaktifkan kembali.", file=out)
    elif args.command == "reset-mfa":
        reset_mfa(cognito, pool, args.email)
        log_account_action(args, AccountAction.MFA_RESET, args.email)
        print(
            f"Verifikasi dua langkah {args.email.strip().lower()} dimatikan dan semua sesinya "
            "diakhiri. Verifikator dan admin wajib menyiapkannya lagi saat masuk berikutnya.",
            file=out,
        )
    elif args.command == "reset-password":
        password = reset_password(cognito, pool, args.email, args.temporary_password)
        log_account_action(args, AccountAction.PASSWORD_RESET, args.email)
        # Shown once, to the admin at the terminal, to hand over in person; never logged.
        print(
            f"Kata sandi sementara untuk {args.email.strip().lower()}: {password}\n"
            "Serahkan langsung ke petugas; saat masuk ia wajib membuat kata sandi baru.",
            file=out,
        )
    elif args.command == "change-role":
        spec = officer_spec(args.email, args.role, args.unit, scope=args.scope)
        change = change_role(cognito, pool, spec)
        log_account_action(args, AccountAction.ROLE_CHANGED, spec.email, change)
        print(f"Akun {spec.email}: {change}; semua sesinya diakhiri.", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        run(args)
    except (
        OfficerError,
        TargetError,
        partners.PartnerCommandError,
        stats_commands.StatsCommandError,
    ) as error:
        print(f"Gagal: {error}", file=sys.stderr)
        return 2
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "")
        print(f"Gagal ({code}): {message}", file=sys.stderr)
        return 1
    except BotoCoreError as error:
        print(f"Gagal menghubungi AWS: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

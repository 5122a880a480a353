"""Open311 partners for Diskominfotik admins (``pendopo-admin``'s partner commands).

    pendopo-admin create-partner --name N   TARGET [--table T]
    pendopo-admin list-partners              TARGET [--table T]
    pendopo-admin revoke-partner --id ID     TARGET [--table T]

Partners live in the complaints table (``pk=PARTNER``), so TARGET finds the table:
``--local`` is the local stack's ``pendopo-local-complaints`` on moto (dummy
credentials), ``--stage`` the ``TableName`` output of stack ``pendopo-<stage>``;
``--table`` overrides either. The commands use the layer's own ``PartnerService``, so
keys are made and checked one way. A new key is printed once and never stored: only
its SHA-256 is.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from pendopo.domain.clock import SystemClock, format_wib
from pendopo.domain.partners import PartnerNameInvalid
from pendopo.runtime.bootstrap import partner_service
from pendopo.services.partners import PartnerNotFound, PartnerService
from pendopo.storage.connection import bind_table
from tools.ops import targets

COMMANDS = ("create-partner", "list-partners", "revoke-partner")


class PartnerCommandError(RuntimeError):
    """The command cannot be carried out; the message says why (Indonesian)."""


def add_commands(commands: Any, parent: argparse.ArgumentParser) -> None:
    """The partner commands, on pendopo-admin's subparsers (``parent`` has ``--table``)."""
    create = commands.add_parser(
        "create-partner", parents=[parent], help="buat mitra Open311 dan kuncinya"
    )
    create.add_argument("--name", required=True, help="nama mitra, tampil bagi petugas")
    commands.add_parser("list-partners", parents=[parent], help="daftar mitra Open311")
    revoke = commands.add_parser(
        "revoke-partner", parents=[parent], help="cabut kunci mitra (seketika)"
    )
    revoke.add_argument("--id", required=True, help="id mitra (list-partners)")


def resolve_table(args: argparse.Namespace, session: Any) -> str:
    if args.table:
        return str(args.table)
    if args.local:
        return targets.LOCAL_TABLE
    stack = targets.stack_name(args.stage)
    described = session.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
    for output in described.get("Outputs", []):
        if output.get("OutputKey") == "TableName":
            return str(output["OutputValue"])
    raise PartnerCommandError(f"Stack {stack} tidak punya output TableName.")


def connect(args: argparse.Namespace, session: Any) -> PartnerService:
    """Bind the layer's item models to the target's table; the partner service on it."""
    if args.local:
        # moto of the local stack: dummy credentials, never the operator's real ones.
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            os.environ[name] = targets.DUMMY_CREDENTIAL
    table = resolve_table(args, session)
    bind_table(table, args.region, str(args.endpoint_url) if args.local else None)
    return partner_service(SystemClock())


def run(args: argparse.Namespace, service: PartnerService, out: Any) -> None:
    try:
        _run(args, service, out)
    except PartnerNameInvalid as error:
        raise PartnerCommandError(str(error)) from None
    except PartnerNotFound:
        raise PartnerCommandError(f"Mitra dengan id {args.id!r} tidak ada.") from None


def _run(args: argparse.Namespace, service: PartnerService, out: Any) -> None:
    if args.command == "create-partner":
        new = service.create(args.name)
        # Shown once, to the admin at the terminal, to hand to the partner; never logged.
        print(
            f"Mitra {new.partner.name} dibuat, id {new.partner.partner_id}.\n"
            f"Kunci API (api_key), hanya ditampilkan sekali ini:\n{new.key}\n"
            "Serahkan lewat saluran aman; yang disimpan hanya hash-nya.",
            file=out,
        )
    elif args.command == "list-partners":
        partners = service.list()
        print(f"{'id':<9} {'dibuat (WIB)':<20} {'status':<22} nama", file=out)
        for partner in partners:
            status = f"dicabut {format_wib(partner.revoked_at)}" if partner.revoked_at else "aktif"
            created = format_wib(partner.created_at)
            print(f"{partner.partner_id:<9} {created:<20} {status:<22} {partner.name}", file=out)
        print(f"{len(partners)} mitra.", file=out)
    elif args.command == "revoke-partner":
        partner = service.revoke(args.id)
        print(
            f"Kunci mitra {partner.name} ({partner.partner_id}) dicabut; "
            "permintaan berikutnya dengan kunci itu dijawab 403.",
            file=out,
        )

"""Practice data and trainee accounts for the training stage.

    pendopo-seed-training --stage training [--class-list peserta.csv] [--password P]
    pendopo-seed-training --local [--class-list peserta.csv]
    pendopo-seed-training --stage training --reset

(``pendopo-seed-training`` is ``python -m tools.ops.seed_training``, installed by
``make venv``.)

**The practice set** (``tools/ops/practice_complaints.json``): 21 fictional complaints,
3 for each of the 7 units, in every status (Menunggu to Selesai and Ditolak, one
re-routed), a few overdue. Each is created the way the system creates complaints: the
intake service (an idempotency key per practice complaint), then the officer workflow
service, action by action, each with its own audit event and notifications, at times
set through the injectable clock (received up to 6 days before the seeding, each
action between its receipt and now), so queues, deadlines and the daily check see
consistent data. The actions are recorded as made by instructor accounts
(``instruktur.<role>...@pelatihan.pendopo.example``), which need not exist.

**The practice-data index**: one item of the table (``pk=TRAINING#PRACTICE``,
``sk=INDEX``) lists each practice complaint's ticket and tracking code, written after
each complaint is complete. A second run reads it and creates nothing already listed,
so seeding twice gives the same data; an interrupted run resumes (the idempotency key
replays the complaint, and only the actions its version shows missing are taken).
``--reset`` reads the index and deletes exactly what it lists, by key: each
complaint with its audit events, their notification claims, the idempotency records,
then the index. No scan.

**Trainee accounts** (``--class-list``): a CSV with the header ``name,email,role,unit``
(unit empty for verifikator, which is Biro Pemerintahan, and admin) and, for leaders
(role ``pimpinan``, unit empty), an optional column ``scope``: SEKDA or an Asisten's
code. An account that
exists is left as it is, so running twice creates nothing new. With ``--password`` each
new account gets that permanent password; without it Cognito emails each trainee a
temporary password (the first login asks for a new one). ``--local`` defaults to the
demo password. ``--reset`` keeps the accounts (``pendopo-admin disable-officer`` ends
one).

Only the training stage (``--stage training``) and the local stack (``--local``) are
accepted: practice data in dev or prod would mix with real complaints.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from tools.ops import targets

if TYPE_CHECKING:
    from pendopo.domain.clock import Clock
    from pendopo.domain.workflow import Command

TRAINING_STAGE = "training"
PRACTICE_FILE = Path(__file__).with_name("practice_complaints.json")
INDEX_PK = "TRAINING#PRACTICE"
INDEX_SK = "INDEX"
KEY_PREFIX = "latihan-"
INSTRUCTOR_DOMAIN = "pelatihan.pendopo.example"
FOLLOW_UP_RESULT = (
    "Petugas perangkat daerah sudah meninjau lokasi dan menyelesaikan masalahnya; "
    "foto sebelum dan sesudah ada di berkas unit."
)
RETURN_REASON = "Hasil belum menjawab pengaduan: lampirkan foto hasil perbaikan di lokasi."
REJECT_REASON = "Bukan pengaduan: permohonan informasi atau uji coba, sudah dijawab langsung."
REROUTE_REASON = "Kategori yang tepat adalah pengelolaan sampah, bukan kategori lainnya."

# The actions that take a new complaint (Menunggu) to each practice status, in order.
# "rerouted": the verifier re-routes it on arrival, so it is verified (Koordinasi) at
# its new unit.
PATHS: dict[str, tuple[str, ...]] = {
    "waiting": (),
    "rerouted": ("reroute",),
    "rejected": ("reject",),
    "coordination": ("verify",),
    "disposition": ("verify", "disposition"),
    "in_progress": ("verify", "disposition", "acknowledge"),
    "awaiting_validation": ("verify", "disposition", "acknowledge", "submit_follow_up"),
    "follow_up_rejected": ("verify", "disposition", "submit_follow_up", "reject_follow_up"),
    "done": ("verify", "disposition", "acknowledge", "submit_follow_up", "accept_follow_up"),
}


class SeedError(Exception):
    """The command cannot go on; the message (Indonesian) says why."""


# --- the practice set -----------------------------------------------------------


@dataclass(frozen=True)
class Practice:
    """One practice complaint: what the reporter sent, and where it should end up."""

    id: str
    channel: str
    status: str
    days_ago: int
    details: dict[str, Any]
    reroute_to: str | None = None

    @property
    def idempotency_key(self) -> str:
        return f"{KEY_PREFIX}{self.id}"


def practice_set(path: Path = PRACTICE_FILE) -> list[Practice]:
    document = json.loads(path.read_text(encoding="utf-8"))
    practices = []
    for raw in document["complaints"]:
        reporter = {"anonymous": False, "confidential": False, **raw["reporter"]}
        details = {
            "category": raw["category"],
            "title": raw["title"],
            "description": raw["description"],
            "reporter": reporter,
            "location": {"text": raw["location"]},
        }
        practices.append(
            Practice(
                id=raw["id"],
                channel=raw["channel"],
                status=raw["status"],
                days_ago=int(raw["days_ago"]),
                details=details,
                reroute_to=raw.get("reroute_to"),
            )
        )
    return practices


def received_at(practice: Practice, position: int, anchor: datetime) -> datetime:
    """When a practice complaint was received: its days back, minutes apart."""
    return anchor - timedelta(days=practice.days_ago, minutes=10 * (position + 1))


def action_times(start: datetime, anchor: datetime, count: int) -> list[datetime]:
    """``count`` times spread evenly between the receipt and now, both excluded."""
    span = anchor - start
    return [start + span * (i + 1) / (count + 1) for i in range(count)]


# --- where it runs ----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    table: str
    region: str
    endpoint_url: str | None  # moto (--local); None: AWS
    user_pool_id: str | None
    sla_mode: str = "calendar_days"
    extra_holidays: str = ""


def _session(args: argparse.Namespace) -> Any:
    import boto3

    if args.local:
        return targets.local_session(args.region)
    return boto3.session.Session(region_name=args.region)


def resolve_target(args: argparse.Namespace, session: Any) -> Target:
    """The table and pool: the local stack's, or the training stack's outputs."""
    if args.local:
        from tools.ops.admin import resolve_user_pool_id

        cognito = session.client("cognito-idp", endpoint_url=args.endpoint_url)
        pool = resolve_user_pool_id(args, cognito) if args.class_list else None
        return Target(args.table, args.region, args.endpoint_url, pool)
    stack = targets.stack_name(args.stage)
    try:
        described = session.client("cloudformation").describe_stacks(StackName=stack)
    except ClientError as error:
        raise SeedError(f"Stack {stack} tidak ditemukan di {args.region}: {error}") from error
    found = described["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}
    parameters = {
        p["ParameterKey"]: p.get("ParameterValue", "") for p in found.get("Parameters", [])
    }
    if outputs.get("TrainingMode") != "on":
        raise SeedError(
            f"Stack {stack} tidak dalam mode pelatihan (TrainingMode bukan on); "
            "deploy dengan TrainingMode=on lebih dulu."
        )
    if "TableName" not in outputs:
        raise SeedError(f"Stack {stack} tidak punya output TableName.")
    return Target(
        table=outputs["TableName"],
        region=args.region,
        endpoint_url=None,
        user_pool_id=args.user_pool_id or outputs.get("UserPoolId"),
        sla_mode=parameters.get("SlaMode", "calendar_days"),
        extra_holidays=parameters.get("ExtraHolidays", ""),
    )


# --- the index ---------------------------------------------------------------------


class PracticeIndex:
    """The one item listing what was seeded: practice id -> {ticket, tracking_code}."""

    def __init__(self, dynamodb: Any, table: str) -> None:
        self._dynamodb = dynamodb
        self._table = table

    def read(self) -> dict[str, dict[str, str]]:
        item = self._dynamodb.get_item(
            TableName=self._table,
            Key={"pk": {"S": INDEX_PK}, "sk": {"S": INDEX_SK}},
            ConsistentRead=True,
        ).get("Item")
        if not item:
            return {}
        return dict(json.loads(item["entries"]["S"]))

    def write(self, entries: dict[str, dict[str, str]], now: datetime) -> None:
        self._dynamodb.put_item(
            TableName=self._table,
            Item={
                "pk": {"S": INDEX_PK},
                "sk": {"S": INDEX_SK},
                "kind": {"S": "training_index"},
                "entries": {"S": json.dumps(entries, sort_keys=True)},
                "updated_at": {"S": now.isoformat()},
            },
        )

    def delete(self) -> None:
        self._dynamodb.delete_item(
            TableName=self._table, Key={"pk": {"S": INDEX_PK}, "sk": {"S": INDEX_SK}}
        )


# --- seeding -----------------------------------------------------------------------


def instructor(role: str, unit: str | None) -> Any:
    from pendopo.domain.officer import Officer
    from pendopo.domain.status import Role

    slug = unit.lower().replace("_", "-") if unit else "pusat"
    email = f"instruktur.{role}.{slug}@{INSTRUCTOR_DOMAIN}"
    return Officer(username=email, sub=f"latihan-{role}-{slug}", role=Role(role), unit=unit)


def _command(step: str, practice: Practice, unit: str, taxonomy: Any) -> tuple[Any, Command]:
    """The acting officer and the command of one step."""
    from pendopo.domain.officer import VERIFYING_UNIT
    from pendopo.domain.workflow import (
        DispositionCommand,
        FollowUpCommand,
        NoteCommand,
        ReasonCommand,
        RerouteCommand,
    )

    verifier = instructor("verifikator", VERIFYING_UNIT)
    coordinator = instructor("koordinator", unit)
    if step == "verify":
        return verifier, NoteCommand(note="Lengkap dan sesuai kategori.")
    if step == "reject":
        return verifier, ReasonCommand(reason=REJECT_REASON)
    if step == "reroute":
        assert practice.reroute_to is not None
        return verifier, RerouteCommand(category=practice.reroute_to, reason=REROUTE_REASON)
    if step == "disposition":
        agency = taxonomy.category(practice.details["category"]).agencies[0]
        return coordinator, DispositionCommand(agency=agency, note="Mohon ditindaklanjuti.")
    if step == "acknowledge":
        return coordinator, NoteCommand(note="Perangkat daerah sedang menangani.")
    if step == "submit_follow_up":
        return coordinator, FollowUpCommand(result=FOLLOW_UP_RESULT)
    if step == "reject_follow_up":
        return verifier, ReasonCommand(reason=RETURN_REASON)
    if step == "accept_follow_up":
        return verifier, NoteCommand(note="Hasil sesuai, pengaduan selesai.")
    raise ValueError(f"unknown step {step}")


@dataclass
class SeedResult:
    created: list[str]
    existing: list[str]
    entries: dict[str, dict[str, str]]


class Seeder:
    """Creates the practice set through the real services, resumably."""

    def __init__(self, target: Target, dynamodb: Any, anchor: datetime) -> None:
        from pendopo.domain.clock import FixedClock
        from pendopo.runtime.bootstrap import build_intake_rules
        from pendopo.runtime.settings import SlaSettings
        from pendopo.services.intake import IntakeService
        from pendopo.services.workflow import WorkflowService
        from pendopo.storage.complaints import ComplaintStore

        self.index = PracticeIndex(dynamodb, target.table)
        self.anchor = anchor
        self.clock = FixedClock(anchor)
        sla = SlaSettings.from_env(
            {"SLA_MODE": target.sla_mode, "EXTRA_HOLIDAYS": target.extra_holidays}
        )
        rules = build_intake_rules(sla)
        self.taxonomy = rules.taxonomy
        self.store = ComplaintStore()
        self.intake = IntakeService(self.store, rules, self.clock)
        self.workflow = WorkflowService(self.store, rules.taxonomy, self.clock)

    def seed(self, practices: Sequence[Practice]) -> SeedResult:
        entries = self.index.read()
        result = SeedResult(created=[], existing=[], entries=entries)
        for position, practice in enumerate(practices):
            if practice.id in entries:
                result.existing.append(practice.id)
                continue
            entries[practice.id] = self._create(practice, position)
            self.index.write(entries, self.anchor)  # after each: a rerun resumes here
            result.created.append(practice.id)
        return result

    def _create(self, practice: Practice, position: int) -> dict[str, str]:
        from pendopo.domain.complaint import Channel, ComplaintDetails
        from pendopo.domain.status import Action, Role

        start = received_at(practice, position, self.anchor)
        self.clock.set(start)
        details = ComplaintDetails.model_validate(practice.details)
        channel = Channel(practice.channel)
        unit = self.taxonomy.unit_for(details.category).code
        if channel is Channel.PENDOPO:
            desk = instructor("petugas", unit)
            submitted = self.intake.submit(
                details,
                channel,
                practice.idempotency_key,
                actor=desk.actor,
                role=Role.OFFICER,
                actor_unit=unit,
            )
        else:
            submitted = self.intake.submit(details, channel, practice.idempotency_key)
        ticket = submitted.receipt.ticket
        steps = PATHS[practice.status]
        for number, (step, at) in enumerate(
            zip(steps, action_times(start, self.anchor, len(steps)), strict=True)
        ):
            complaint = self.store.get_complaint(ticket)
            assert complaint is not None
            if complaint.version >= number + 2:
                continue  # taken by an interrupted run
            officer, command = _command(step, practice, complaint.unit, self.taxonomy)
            self.clock.set(at)
            self.workflow.act(officer, ticket, Action(step), command, complaint.version)
        self.clock.set(self.anchor)
        return {"ticket": ticket, "tracking_code": submitted.receipt.tracking_code}


# --- reset -------------------------------------------------------------------------


def _query_keys(dynamodb: Any, table: str, pk: str) -> Iterator[dict[str, Any]]:
    """Every item key under one partition key (a Query, never a scan)."""
    paginator = dynamodb.get_paginator("query")
    for page in paginator.paginate(
        TableName=table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": pk}},
        ProjectionExpression="pk, sk",
        ConsistentRead=True,
    ):
        yield from page.get("Items", [])


def _delete_keys(dynamodb: Any, table: str, keys: list[dict[str, Any]]) -> None:
    for start in range(0, len(keys), 25):
        pending: list[dict[str, Any]] = [
            {"DeleteRequest": {"Key": key}} for key in keys[start : start + 25]
        ]
        while pending:
            answer = dynamodb.batch_write_item(RequestItems={table: pending})
            pending = answer.get("UnprocessedItems", {}).get(table, [])


def reset(dynamodb: Any, table: str, practices: Sequence[Practice]) -> int:
    """Delete what the index lists; the number of practice complaints removed."""
    from pendopo.storage.items import complaint_pk, idempotency_pk, notification_pk

    index = PracticeIndex(dynamodb, table)
    entries = index.read()
    keys: list[dict[str, Any]] = []
    for entry in entries.values():
        ticket = entry["ticket"]
        for key in _query_keys(dynamodb, table, complaint_pk(ticket)):
            keys.append(key)
            sort_key = key["sk"]["S"]
            if sort_key.startswith("E#"):
                keys.extend(_query_keys(dynamodb, table, notification_pk(ticket, sort_key)))
    by_id = {p.id: p for p in practices}
    for practice_id in entries:
        practice = by_id.get(practice_id)
        if practice is None:
            continue
        for idempotency_key in _idempotency_keys(practice):
            keys.append({"pk": {"S": idempotency_pk(idempotency_key)}, "sk": {"S": "IDEM"}})
    _delete_keys(dynamodb, table, keys)
    index.delete()
    return len(entries)


def _idempotency_keys(practice: Practice) -> list[str]:
    """The key a practice complaint was created with (an officer's keys are their own)."""
    if practice.channel == "pendopo":
        from pendopo.domain.taxonomy import load_taxonomy

        unit = load_taxonomy().unit_for(practice.details["category"]).code
        return [f"{instructor('petugas', unit).actor}/{practice.idempotency_key}"]
    return [practice.idempotency_key]


# --- trainee accounts ----------------------------------------------------------------


def read_class_list(text: str) -> list[Any]:
    """The trainees of a CSV (name,email,role,unit); every bad row is reported at once."""
    from tools.ops.officers import OfficerError, officer_spec

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    expected = {"name", "email", "role", "unit"}
    if reader.fieldnames is None or not expected <= {f.strip() for f in reader.fieldnames}:
        raise SeedError("Daftar peserta harus berkolom: name,email,role,unit (baris pertama).")
    specs, problems = [], []
    for line, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        try:
            specs.append(
                officer_spec(
                    row["email"],
                    row["role"],
                    row["unit"] or None,
                    row["name"] or None,
                    row.get("scope") or None,
                )
            )
        except OfficerError as error:
            problems.append(f"baris {line}: {error}")
    if problems:
        raise SeedError("Daftar peserta tidak valid:\n  " + "\n  ".join(problems))
    emails = [s.email for s in specs]
    doubles = sorted({e for e in emails if emails.count(e) > 1})
    if doubles:
        raise SeedError(f"Email ganda di daftar peserta: {', '.join(doubles)}.")
    return specs


def create_trainees(
    cognito: Any, user_pool_id: str, specs: Sequence[Any], password: str | None
) -> tuple[list[str], list[str]]:
    """(created, already there): an existing account is left as it is."""
    from tools.ops.officers import create_officer

    created, existing = [], []
    for spec in specs:
        try:
            cognito.admin_get_user(UserPoolId=user_pool_id, Username=spec.email)
        except cognito.exceptions.UserNotFoundException:
            create_officer(cognito, user_pool_id, spec, password=password)
            created.append(spec.email)
        else:
            existing.append(spec.email)
    return created, existing


# --- the command ---------------------------------------------------------------------


DESCRIPTION = "Data latihan dan akun peserta untuk stage pelatihan."


def build_parser() -> argparse.ArgumentParser:
    parser = targets.command_parser("pendopo-seed-training", DESCRIPTION, __doc__)
    targets.add_target(
        parser,
        local_help="stack lokal (make run)",
        stage_help="hanya training: stage lain ditolak",
        endpoint_help="moto, dengan --local",
    )
    parser.add_argument("--table", default="pendopo-local-complaints", help="tabel, dengan --local")
    parser.add_argument("--user-pool-id", help="user pool (bawaan: milik stage)")
    parser.add_argument("--class-list", type=Path, help="CSV peserta: name,email,role,unit")
    parser.add_argument(
        "--password",
        help="kata sandi permanen untuk akun baru (bawaan: Cognito mengirim kata sandi "
        "sementara; dengan --local: kata sandi demo)",
    )
    parser.add_argument(
        "--reset", action="store_true", help="hapus data latihan (akun peserta tetap)"
    )
    return parser


def _bind(target: Target) -> None:
    from pendopo.storage.connection import bind_table

    bind_table(target.table, target.region, target.endpoint_url)


def _local_environment(args: argparse.Namespace) -> None:
    """The services read nothing from the environment but AWS's clients do: moto's."""
    from tools.local.stack import local_environment

    os.environ.update(local_environment(args.endpoint_url, args.table))


def _print_entries(practices: Sequence[Practice], entries: dict[str, dict[str, str]]) -> None:
    from pendopo.domain.status import STATUS_LABELS, Status

    print("id          tiket            kode        status")
    for practice in practices:
        entry = entries.get(practice.id)
        if entry is None:
            continue
        label = (
            "Koordinasi (dialihkan)"
            if practice.status == "rerouted"
            else STATUS_LABELS[Status(practice.status)]
        )
        overdue = " (terlambat)" if practice.days_ago > 3 and practice.status in _OPEN else ""
        print(
            f"{practice.id:<11} {entry['ticket']:<16} {entry['tracking_code']:<11} {label}{overdue}"
        )


_OPEN = {"waiting", "coordination", "disposition", "in_progress", "follow_up_rejected"}


def run(args: argparse.Namespace, clock: Clock) -> int:
    if args.stage and args.stage != TRAINING_STAGE:
        raise SeedError(
            f"Data latihan hanya untuk stage training (atau --local), bukan {args.stage}: "
            "data latihan tidak boleh bercampur dengan pengaduan sungguhan."
        )
    specs = read_class_list(args.class_list.read_text(encoding="utf-8")) if args.class_list else []
    if args.local:
        _local_environment(args)
    session = _session(args)
    target = resolve_target(args, session)
    dynamodb = session.client("dynamodb", endpoint_url=target.endpoint_url)
    practices = practice_set()
    _bind(target)
    if args.reset:
        removed = reset(dynamodb, target.table, practices)
        print(f"{removed} pengaduan latihan dihapus dari {target.table}.")
        return 0
    result = Seeder(target, dynamodb, clock.now()).seed(practices)
    print(
        f"Data latihan di {target.table}: {len(result.created)} pengaduan dibuat, "
        f"{len(result.existing)} sudah ada."
    )
    _print_entries(practices, result.entries)
    if specs:
        if target.user_pool_id is None:
            raise SeedError("User pool tidak diketahui; beri --user-pool-id.")
        from tools.local.accounts import DEMO_PASSWORD

        password = args.password or (DEMO_PASSWORD if args.local else None)
        cognito = session.client("cognito-idp", endpoint_url=target.endpoint_url)
        created, existing = create_trainees(cognito, target.user_pool_id, specs, password)
        how = (
            "dengan kata sandi yang diberikan"
            if password
            else "Cognito mengirim kata sandi sementara ke email masing-masing"
        )
        print(f"Akun peserta: {len(created)} dibuat ({how}), {len(existing)} sudah ada.")
    return 0


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    from pendopo.domain.clock import SystemClock

    args = build_parser().parse_args(argv)
    return targets.exit_status(lambda: run(args, clock or SystemClock()), refused=SeedError)


if __name__ == "__main__":
    sys.exit(main())

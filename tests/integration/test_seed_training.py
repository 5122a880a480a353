"""pendopo-seed-training against moto in server mode, as ``--local`` runs it.

The practice set goes through the real intake and workflow services with the clock
set per action; the index item makes a second run create nothing, and ``--reset``
deletes exactly what was seeded (by key). Only the training stage and local are
accepted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
import pytest
from moto.server import ThreadedMotoServer

from infra.template import create_tables
from pendopo.domain.clock import FixedClock
from pendopo.domain.status import Status
from pendopo.domain.taxonomy import load_taxonomy
from tools.local.accounts import provision_accounts
from tools.local.moto_isolation import serialize_moto_dynamodb
from tools.ops import seed_training
from tools.ops.seed_training import INDEX_PK, PATHS, practice_set
from tools.ops.targets import LOCAL_STAGE, local_session

REGION = "ap-southeast-3"
TABLE = "pendopo-seed-test"
NOW = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # Friday 10:00 WIB
CLASS_LIST = """name,email,role,unit
Sari Wulandari,sari.latih@latih.example,koordinator,BIRO_PLH
Budi Hartono,budi.latih@latih.example,petugas,BIRO_PK
Tri Utami,tri.latih@latih.example,verifikator,
Dian Admin,dian.latih@latih.example,admin,
"""


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    # The stand-in's DynamoDB made as strict as the real one, as the local stack does
    # (a retried transaction after a lost answer must not come back cancelled).
    serialize_moto_dynamodb()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    session = local_session(REGION)
    create_tables(session.client("dynamodb", endpoint_url=url), TABLE)
    provision_accounts(session.client("cognito-idp", endpoint_url=url), LOCAL_STAGE)
    yield url
    server.stop()


@pytest.fixture
def seed(moto_server: str, tmp_path: Path) -> Iterator[Any]:
    class_list = tmp_path / "peserta.csv"
    class_list.write_text(CLASS_LIST, encoding="utf-8")
    local = ["--local", "--endpoint-url", moto_server, "--table", TABLE]

    def run(*options: str, now: datetime = NOW) -> int:
        return seed_training.main([*local, *options], clock=FixedClock(now))

    # The command points this process's AWS clients at moto; give the variables back.
    with mock.patch.dict(os.environ):
        yield run, class_list


def _dynamodb(url: str) -> Any:
    return local_session(REGION).client("dynamodb", endpoint_url=url)


def _complaints(url: str) -> dict[str, dict[str, Any]]:
    """Every practice complaint the index lists, read back by key."""
    from tools.ops.seed_training import PracticeIndex

    dynamodb = _dynamodb(url)
    entries = PracticeIndex(dynamodb, TABLE).read()
    found = {}
    for practice_id, entry in entries.items():
        item = dynamodb.get_item(
            TableName=TABLE, Key={"pk": {"S": f"C#{entry['ticket']}"}, "sk": {"S": "C"}}
        ).get("Item")
        if item:
            found[practice_id] = item
    return found


def _item_count(url: str) -> int:
    # Test-only: count what the table holds, to prove nothing new and nothing left.
    return int(_dynamodb(url).scan(TableName=TABLE, Select="COUNT")["Count"])


def test_seeding_twice_gives_the_same_data_and_reset_removes_it(
    seed: Any, moto_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run, class_list = seed
    empty = _item_count(moto_server)
    # Given nothing seeded, When the command runs
    assert run("--class-list", str(class_list)) == 0
    first = _complaints(moto_server)
    items_after_first = _item_count(moto_server)
    printed = capsys.readouterr().out
    assert "21 pengaduan dibuat, 0 sudah ada" in printed
    assert "Akun peserta: 4 dibuat" in printed
    # Then every practice complaint exists, in its status, in every unit
    practices = {p.id: p for p in practice_set()}
    assert set(first) == set(practices)
    statuses = {pid: item["status"]["S"] for pid, item in first.items()}
    for pid, status in statuses.items():
        wanted = practices[pid].status
        assert status == ("coordination" if wanted == "rerouted" else wanted), pid
    assert {s.value for s in Status} <= set(statuses.values())
    assert {item["unit"]["S"] for item in first.values()} == set(load_taxonomy().units)
    # a few overdue: open with the clock running and past the deadline
    overdue = [
        pid
        for pid, item in first.items()
        if "open_unit" in item and datetime.fromisoformat(item["due_at"]["S"]) < NOW
    ]
    assert 3 <= len(overdue) <= 8
    # each took the real path: version = 1 + its actions; received days back
    for pid, item in first.items():
        practice = practices[pid]
        assert int(item["version"]["N"]) == 1 + len(PATHS[practice.status]), pid
        received = datetime.fromisoformat(item["received_at"]["S"])
        assert NOW - received >= timedelta(days=practice.days_ago)
    rerouted = first["pem-3"]
    assert rerouted["unit"]["S"] == "BIRO_PLH" and rerouted["category"]["S"] == "WASTE"

    # When it runs again (a day later)
    assert run("--class-list", str(class_list), now=NOW + timedelta(days=1)) == 0
    # Then nothing new: the same complaints, the same items, the same accounts
    assert "0 pengaduan dibuat, 21 sudah ada" in capsys.readouterr().out
    assert _complaints(moto_server) == first
    assert _item_count(moto_server) == items_after_first

    # When the practice data is reset
    assert run("--reset") == 0
    assert "21 pengaduan latihan dihapus" in capsys.readouterr().out
    # Then the table holds what it held before seeding: no complaint, event, claim or index
    assert _item_count(moto_server) == empty
    index = _dynamodb(moto_server).get_item(
        TableName=TABLE, Key={"pk": {"S": INDEX_PK}, "sk": {"S": "INDEX"}}
    )
    assert "Item" not in index
    # and seeding again after a reset works (the idempotency records went too)
    assert run() == 0
    assert "21 pengaduan dibuat" in capsys.readouterr().out
    assert run("--reset") == 0


def test_trainee_accounts_can_log_in_and_are_not_created_twice(
    seed: Any, moto_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run, class_list = seed
    assert run("--class-list", str(class_list), "--password", "Latihan-Pendopo-2026!") == 0
    cognito = local_session(REGION).client("cognito-idp", endpoint_url=moto_server)
    pool = next(p for p in cognito.list_user_pools(MaxResults=60)["UserPools"])["Id"]
    groups = cognito.admin_list_groups_for_user(
        UserPoolId=pool, Username="sari.latih@latih.example"
    )
    assert sorted(g["GroupName"] for g in groups["Groups"]) == ["BIRO_PLH", "koordinator"]
    assert run("--class-list", str(class_list)) == 0
    assert "Akun peserta: 0 dibuat" in capsys.readouterr().out.split("\n\n")[-1]
    assert run("--reset") == 0


def test_a_bad_class_list_is_refused_before_anything_is_created(
    seed: Any, moto_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run, _ = seed
    bad = tmp_path / "salah.csv"
    bad.write_text("name,email,role,unit\nA,bukan-email,petugas,BIRO_PLH\nB,b@x.id,raja,\n")
    before = _item_count(moto_server)
    assert run("--class-list", str(bad)) == 2
    error = capsys.readouterr().err
    assert "baris 2" in error and "baris 3" in error
    assert _item_count(moto_server) == before


@pytest.mark.parametrize("stage", ["prod", "dev"])
def test_any_stage_but_training_is_refused(stage: str, capsys: pytest.CaptureFixture[str]) -> None:
    # No AWS call is made: the refusal comes first
    with mock.patch.object(boto3.session, "Session", side_effect=AssertionError("no AWS")):
        assert seed_training.main(["--stage", stage], clock=FixedClock(NOW)) == 2
    assert f"bukan {stage}" in capsys.readouterr().err


def test_a_training_stack_not_in_training_mode_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto import mock_aws

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        # Given stack pendopo-training deployed without TrainingMode=on
        outputs = {"TableName": {"Value": TABLE}, "TrainingMode": {"Value": "off"}}
        template = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}, "Outputs": outputs}
        boto3.client("cloudformation", region_name=REGION).create_stack(
            StackName="pendopo-training", TemplateBody=json.dumps(template)
        )
        # When the command is pointed at it, Then it refuses, seeding nothing
        assert seed_training.main(["--stage", "training"], clock=FixedClock(NOW)) == 2
    assert "tidak dalam mode pelatihan" in capsys.readouterr().err


def test_a_class_list_may_name_leaders_with_their_scope() -> None:
    # A scope column is optional; leaders (pimpinan) need it, and no unit
    specs = seed_training.read_class_list(
        "name,email,role,unit,scope\n"
        "Sekda Latih,sekda.latih@latih.example,pimpinan,,SEKDA\n"
        "Asisten Latih,asisten.latih@latih.example,pimpinan,,ASISTEN_PLH\n"
        "Sari,sari.latih@latih.example,koordinator,BIRO_PLH,\n"
    )
    assert [s.groups for s in specs] == [
        ["pimpinan", "SEKDA"],
        ["pimpinan", "ASISTEN_PLH"],
        ["koordinator", "BIRO_PLH"],
    ]
    with pytest.raises(seed_training.SeedError) as refused:
        seed_training.read_class_list(
            "name,email,role,unit,scope\n"
            "A,a.latih@latih.example,pimpinan,BIRO_PLH,SEKDA\n"
            "B,b.latih@latih.example,pimpinan,,\n"
            "C,c.latih@latih.example,petugas,BIRO_PK,SEKDA\n"
        )
    message = str(refused.value)
    assert "baris 2" in message and "baris 3" in message and "baris 4" in message

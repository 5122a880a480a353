"""pendopo-admin's partner commands (tools.ops.partners) against moto's table (mock_aws)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from pendopo.domain.clock import SystemClock
from pendopo.domain.partners import PartnerKeyRefused
from pendopo.runtime.bootstrap import partner_service
from tests.support.constants import TEST_TABLE
from tools.ops import admin


def run(*argv: str) -> str:
    out = io.StringIO()
    args = admin.build_parser().parse_args([*argv, "--stage", "dev", "--table", TEST_TABLE])
    admin.run(args, out=out)
    return out.getvalue()


def created_key(printed: str) -> str:
    keys = re.findall(r"^[a-z0-9]{8}\.[A-Za-z0-9_\-]{43}$", printed, re.MULTILINE)
    assert len(keys) == 1, printed
    return keys[0]


def test_create_partner_prints_a_working_key_once(dynamodb: Any) -> None:
    printed = run("create-partner", "--name", "Aplikasi JAKI")
    key = created_key(printed)
    assert "hanya ditampilkan sekali" in printed
    assert partner_service(SystemClock()).authenticate(key).name == "Aplikasi JAKI"
    # list-partners never shows the key
    listed = run("list-partners")
    assert key not in listed and key.split(".")[1] not in listed
    assert "Aplikasi JAKI" in listed and listed.splitlines()[-1] == "1 mitra."


def test_revoke_partner_refuses_its_key_at_once(dynamodb: Any) -> None:
    key = created_key(run("create-partner", "--name", "Mitra Lama"))
    partner_id = key.split(".")[0]
    printed = run("revoke-partner", "--id", partner_id)
    assert "dicabut" in printed
    with pytest.raises(PartnerKeyRefused):
        partner_service(SystemClock()).authenticate(key)
    listed = run("list-partners")
    line = next(line for line in listed.splitlines() if line.startswith(partner_id))
    assert "dicabut" in line


def test_errors_are_told_in_words_and_exit_2(
    dynamodb: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--stage", "dev", "--table", TEST_TABLE]
    assert admin.main(["revoke-partner", "--id", "tidakada", *base]) == 2
    assert "tidak ada" in capsys.readouterr().err
    assert admin.main(["create-partner", "--name", "A", *base]) == 2
    assert "Nama mitra" in capsys.readouterr().err


def test_the_stage_table_comes_from_the_stack_output(dynamodb: Any) -> None:
    from tools.ops import partners

    class Session:
        def client(self, name: str) -> Any:
            assert name == "cloudformation"
            return self

        def describe_stacks(self, StackName: str) -> dict[str, Any]:
            assert StackName == "pendopo-prod"
            return {"Stacks": [{"Outputs": [{"OutputKey": "TableName", "OutputValue": "t-1"}]}]}

    args = admin.build_parser().parse_args(["list-partners", "--stage", "prod"])
    assert partners.resolve_table(args, Session()) == "t-1"
    local = admin.build_parser().parse_args(["list-partners", "--local"])
    assert partners.resolve_table(local, Session()) == "pendopo-local-complaints"

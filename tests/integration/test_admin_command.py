"""pendopo-admin (tools.ops.admin) against moto's Cognito (mock_aws): create, list, disable."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from infra.template import create_tables
from pendopo.domain.access import AccessRecord, month_of
from pendopo.storage.access_log import AccessLog
from tests.support.handlers import call
from tests.support.officer_pool import OfficerPool
from tools.local.accounts import DEMO_PASSWORD, demo_email
from tools.ops import admin

TABLE = "pendopo-dev-complaints"  # the dev stage's table, as the command names it
PIMPINAN_SEKDA = ["--email", "a@pendopo.example", "--role", "pimpinan", "--scope", "SEKDA"]
KOORDINATOR_PLH = ["--email", "a@pendopo.example", "--role", "koordinator", "--unit", "BIRO_PLH"]


@pytest.fixture(scope="module", autouse=True)
def table(officer_pool: OfficerPool) -> Iterator[None]:
    """The dev stage's table in the same moto as the pool: the account log lands there."""
    create_tables(boto3.client("dynamodb", region_name="ap-southeast-3"), TABLE)
    yield


def run(pool: OfficerPool, *argv: str) -> str:
    out = io.StringIO()
    args = admin.build_parser().parse_args(
        [*argv, "--stage", "dev", "--user-pool-id", pool.user_pool_id]
    )
    admin.run(args, out=out)
    return out.getvalue()


def test_create_officer_puts_the_account_in_its_role_and_unit_groups(
    officer_pool: OfficerPool,
) -> None:
    # When an admin creates a coordinator with a password
    printed = run(
        officer_pool,
        "create-officer",
        "--email",
        "Sari.Koordinator@Jakarta.go.id",
        "--role",
        "koordinator",
        "--unit",
        "BIRO_DIKMENTAL",
        "--password",
        DEMO_PASSWORD,
    )
    assert "sari.koordinator@jakarta.go.id" in printed
    # Then the account (lower-cased) is in exactly its role and unit groups, email verified
    groups = officer_pool.cognito.admin_list_groups_for_user(
        UserPoolId=officer_pool.user_pool_id, Username="sari.koordinator@jakarta.go.id"
    )["Groups"]
    assert sorted(g["GroupName"] for g in groups) == ["BIRO_DIKMENTAL", "koordinator"]
    user = officer_pool.cognito.admin_get_user(
        UserPoolId=officer_pool.user_pool_id, Username="sari.koordinator@jakarta.go.id"
    )
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["email_verified"] == "true"


def test_verifier_defaults_to_biro_pemerintahan(officer_pool: OfficerPool) -> None:
    run(officer_pool, "create-officer", "--email", "v2@pendopo.example", "--role", "verifikator")
    listed = run(officer_pool, "list-officers", "--role", "verifikator")
    assert any("v2@pendopo.example" in line and "BIRO_PEM" in line for line in listed.splitlines())


def test_list_officers_of_a_unit(officer_pool: OfficerPool) -> None:
    listed = run(officer_pool, "list-officers", "--unit", "BIRO_PLH")
    lines = listed.splitlines()
    assert any(line.startswith(demo_email("koordinator", "BIRO_PLH")) for line in lines)
    assert any(line.startswith(demo_email("petugas", "BIRO_PLH")) for line in lines)
    assert not any("BIRO_PK " in line for line in lines)
    assert lines[-1] == "2 akun."


def test_disabled_officer_cannot_log_in_and_enabled_again_can(
    officer_pool: OfficerPool, auth: Any
) -> None:
    app = auth  # the auth function, on the same pool
    email = demo_email("petugas", "BIRO_ORB")
    credentials = {"email": email, "password": DEMO_PASSWORD}
    run(officer_pool, "disable-officer", "--email", email)
    assert call(app, "POST", "/v1/auth/login", json=credentials).status == 401
    listed = run(officer_pool, "list-officers", "--unit", "BIRO_ORB")
    assert any(email in line and " tidak " in line for line in listed.splitlines())
    run(officer_pool, "enable-officer", "--email", email)
    assert call(app, "POST", "/v1/auth/login", json=credentials).status == 200


def test_reset_password_forces_a_new_password_at_next_login(
    officer_pool: OfficerPool, auth: Any
) -> None:
    app = auth  # the auth function, on the same pool
    email = demo_email("petugas", "BPBUMD")
    printed = run(officer_pool, "reset-password", "--email", email)
    temporary = printed.split(": ", 1)[1].splitlines()[0]
    answer = call(app, "POST", "/v1/auth/login", json={"email": email, "password": temporary})
    assert answer.body["challenge"] == "NEW_PASSWORD_REQUIRED"


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--email", "a@pendopo.example", "--role", "koordinator"], "wajib punya unit"),
        (["--email", "a@pendopo.example", "--role", "admin", "--unit", "BIRO_PK"], "Admin"),
        (
            ["--email", "a@pendopo.example", "--role", "verifikator", "--unit", "BIRO_PK"],
            "BIRO_PEM",
        ),
        (["--email", "bukan-email", "--role", "admin"], "email"),
        (["--email", "a@pendopo.example", "--role", "pimpinan"], "wajib punya cakupan (--scope)"),
        (
            ["--email", "a@pendopo.example", "--role", "pimpinan", "--unit", "BIRO_PLH"],
            "jangan isi --unit",
        ),
        (
            [*PIMPINAN_SEKDA, "--unit", "BIRO_PLH"],
            "jangan isi --unit",
        ),
        (
            [*KOORDINATOR_PLH, "--scope", "SEKDA"],
            "--scope hanya untuk peran pimpinan",
        ),
        (["--email", "a@pendopo.example", "--role", "admin", "--scope", "ASISTEN_PK"], "--scope"),
    ],
)
def test_invalid_accounts_are_refused(
    officer_pool: OfficerPool, capsys: pytest.CaptureFixture[str], argv: list[str], complaint: str
) -> None:
    code = admin.main(
        ["create-officer", *argv, "--stage", "dev", "--user-pool-id", officer_pool.user_pool_id]
    )
    assert code == 2
    assert complaint in capsys.readouterr().err


def test_unknown_role_or_unit_is_refused_by_the_parser() -> None:
    with pytest.raises(SystemExit):
        admin.build_parser().parse_args(
            ["create-officer", "--email", "a@b.example", "--role", "superuser", "--local"]
        )
    with pytest.raises(SystemExit):
        admin.build_parser().parse_args(["list-officers", "--unit", "BIRO_UMUM", "--local"])


def test_stage_target_reads_the_user_pool_id_output_of_the_stack(officer_pool: OfficerPool) -> None:
    # Given a stack pendopo-training whose UserPoolId output names the pool
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"UserPoolId": {"Value": officer_pool.user_pool_id}},
    }
    cloudformation = boto3.client("cloudformation", region_name="ap-southeast-3")
    cloudformation.create_stack(StackName="pendopo-training", TemplateBody=json.dumps(template))
    # When the admin names only the stage
    args: Any = admin.build_parser().parse_args(["list-officers", "--stage", "training"])
    # Then the command works on that pool
    assert admin.resolve_user_pool_id(args, officer_pool.cognito) == officer_pool.user_pool_id


def test_reset_mfa_turns_totp_off_and_signs_the_officer_out(officer_pool: OfficerPool) -> None:
    # Given the demo admin, who has TOTP
    email = demo_email("admin")
    cognito = officer_pool.cognito
    before = cognito.admin_get_user(UserPoolId=officer_pool.user_pool_id, Username=email)
    assert before["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    # When an admin runs reset-mfa
    printed = run(officer_pool, "reset-mfa", "--email", email.upper())
    # Then TOTP is off, and the command says what happens next
    after = cognito.admin_get_user(UserPoolId=officer_pool.user_pool_id, Username=email)
    assert not after.get("UserMFASettingList")
    assert f"Verifikasi dua langkah {email} dimatikan" in printed
    assert "wajib menyiapkannya lagi" in printed


def account_log(pool: OfficerPool, email: str) -> list[str]:
    month = month_of(datetime.now(UTC))
    printed = run(pool, "account-log", "--month", month, "--officer", email)
    return printed.splitlines()


def test_account_actions_are_logged_with_the_aws_principal(officer_pool: OfficerPool) -> None:
    # Given an account created, reset, disabled, enabled and moved to another role
    email = "dina.petugas@pendopo.example"
    run(officer_pool, "create-officer", "--email", email, "--role", "petugas", "--unit", "BIRO_PK")
    run(officer_pool, "reset-password", "--email", email)
    run(officer_pool, "disable-officer", "--email", email)
    run(officer_pool, "enable-officer", "--email", email)
    printed = run(
        officer_pool, "change-role", "--email", email, "--role", "koordinator", "--unit", "BIRO_PK"
    )
    assert "petugas BIRO_PK -> koordinator BIRO_PK" in printed
    # When the admin reads the month's account log for that account
    lines = account_log(officer_pool, email)
    # Then each action is there, in order, with who ran it (moto's STS caller)
    actions = [line.split(" WIB ", 1)[1].split()[0] for line in lines[:-1]]
    assert actions == ["created", "password_reset", "disabled", "enabled", "role_changed"]
    assert all("oleh arn:aws:" in line for line in lines[:-1])
    assert lines[-1] == "5 tindakan akun."
    groups = officer_pool.cognito.admin_list_groups_for_user(
        UserPoolId=officer_pool.user_pool_id, Username=email
    )["Groups"]
    assert sorted(g["GroupName"] for g in groups) == ["BIRO_PK", "koordinator"]


def test_disable_officer_signs_the_officer_out_everywhere(
    officer_pool: OfficerPool, auth: Any
) -> None:
    # Given an officer logged in at two desks
    email = demo_email("koordinator", "BIRO_ORB")
    credentials = {"email": email, "password": DEMO_PASSWORD}
    sessions = [call(auth, "POST", "/v1/auth/login", json=credentials).body for _ in range(2)]
    # When the admin disables the account, then enables it again
    run(officer_pool, "disable-officer", "--email", email)
    run(officer_pool, "enable-officer", "--email", email)
    # Then neither old refresh token works any more: a new login is needed
    for session in sessions:
        body = {"refresh_token": session["refresh_token"]}
        assert call(auth, "POST", "/v1/auth/refresh", json=body).status == 401
    assert call(auth, "POST", "/v1/auth/login", json=credentials).status == 200


def test_access_log_exports_csv_per_officer_month_and_per_ticket(
    officer_pool: OfficerPool, tmp_path: Any
) -> None:
    # Given two access records of a verifier in June and one in July
    verifier = demo_email("verifikator", "BIRO_PEM")
    log = AccessLog()

    def seen(ticket: str, at: datetime, request_id: str) -> None:
        log.record(
            AccessRecord(
                ticket=ticket,
                at=at,
                officer=verifier,
                officer_sub="sub-1",
                role="verifikator",
                fields=("name", "nik", "phone"),
                route="GET /v1/officer/complaints/{ticket}",
                request_id=request_id,
            )
        )

    seen("2506-0000-0011", datetime(2025, 6, 10, 1, 0, tzinfo=UTC), "r1")
    seen("2506-0000-0022", datetime(2025, 6, 30, 18, 0, tzinfo=UTC), "r2")  # 1 July WIB
    seen("2506-0000-0011", datetime(2025, 6, 11, 2, 0, tzinfo=UTC), "r3")
    # When the admin exports June for the verifier, to a file
    path = tmp_path / "akses.csv"
    printed = run(
        officer_pool,
        "access-log",
        "--officer",
        verifier,
        "--month",
        "2025-06",
        "--output",
        str(path),
    )
    assert printed.strip() == f"2 catatan akses ditulis ke {path}."
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    # Then the two June (WIB) records, oldest first, with field names and no values
    assert [r["tiket"] for r in rows] == ["2506-0000-0011", "2506-0000-0011"]
    assert rows[0] == {
        "waktu_wib": "2025-06-10T08:00:00+07:00",
        "petugas": verifier,
        "peran": "verifikator",
        "tiket": "2506-0000-0011",
        "data_ditampilkan": "name;nik;phone",
        "rute": "GET /v1/officer/complaints/{ticket}",
    }
    # And per complaint, to the screen
    by_ticket = list(
        csv.DictReader(io.StringIO(run(officer_pool, "access-log", "--ticket", "2506 0000 0011")))
    )
    assert len(by_ticket) == 2
    july = run(officer_pool, "access-log", "--officer", verifier, "--month", "2025-07")
    assert "2506-0000-0022" in july


def test_access_log_needs_a_month_with_the_officer(
    officer_pool: OfficerPool, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--stage", "dev", "--user-pool-id", officer_pool.user_pool_id]
    assert admin.main(["access-log", "--officer", "a@pendopo.example", *base]) == 2
    assert "--month" in capsys.readouterr().err
    assert admin.main(["access-log", "--officer", "a@b.example", "--month", "2025-13", *base]) == 2
    assert "YYYY-MM" in capsys.readouterr().err


@pytest.mark.parametrize("scope", ["SEKDA", "ASISTEN_KESRA"])
def test_create_a_leader_with_a_scope_and_no_unit(
    officer_pool: OfficerPool, auth: Any, scope: str
) -> None:
    # When an admin creates a leader (the Sekda, or an Asisten) with a password
    email = f"pimpinan.uji.{scope.lower()}@pendopo.example"
    printed = run(
        officer_pool,
        "create-officer",
        "--email",
        email,
        "--role",
        "pimpinan",
        "--scope",
        scope,
        "--password",
        DEMO_PASSWORD,
    )
    assert f"Akun {email} dibuat: pimpinan, cakupan {scope}" in printed
    # Then the account is in exactly the leader's group and the scope's, in no unit's
    groups = officer_pool.cognito.admin_list_groups_for_user(
        UserPoolId=officer_pool.user_pool_id, Username=email
    )["Groups"]
    assert sorted(g["GroupName"] for g in groups) == sorted(["pimpinan", scope])
    # And the account log records the creation with those groups
    lines = account_log(officer_pool, email)
    assert len(lines) == 2 and " created " in lines[0] and f"pimpinan {scope}" in lines[0]
    # And the leader logs in as that leader
    answer = call(auth, "POST", "/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert answer.status == 200, answer.body
    assert (answer.body["officer"]["role"], answer.body["officer"]["scope"]) == ("pimpinan", scope)


def test_list_officers_shows_a_leaders_scope(officer_pool: OfficerPool) -> None:
    listed = run(officer_pool, "list-officers", "--role", "pimpinan").splitlines()
    sekda = next(line for line in listed if line.startswith(demo_email("pimpinan", "SEKDA")))
    assert sekda.split()[1:3] == ["pimpinan", "SEKDA"]
    assert any(
        line.startswith("pimpinan.asisten-pem@") and "ASISTEN_PEM" in line for line in listed
    )


def test_change_role_moves_a_coordinator_to_a_leaders_scope_and_back(
    officer_pool: OfficerPool,
) -> None:
    email = "pindah.pimpinan@pendopo.example"
    run(
        officer_pool,
        "create-officer",
        "--email",
        email,
        "--role",
        "koordinator",
        "--unit",
        "BIRO_PK",
    )
    printed = run(
        officer_pool, "change-role", "--email", email, "--role", "pimpinan", "--scope", "ASISTEN_PK"
    )
    assert "koordinator BIRO_PK -> pimpinan ASISTEN_PK" in printed
    printed = run(
        officer_pool, "change-role", "--email", email, "--role", "petugas", "--unit", "BIRO_PK"
    )
    assert "pimpinan ASISTEN_PK -> petugas BIRO_PK" in printed
    groups = officer_pool.cognito.admin_list_groups_for_user(
        UserPoolId=officer_pool.user_pool_id, Username=email
    )["Groups"]
    assert sorted(g["GroupName"] for g in groups) == ["BIRO_PK", "petugas"]


def test_an_unknown_scope_is_refused_by_the_parser() -> None:
    with pytest.raises(SystemExit):
        admin.build_parser().parse_args(
            ["create-officer", *PIMPINAN_SEKDA[:4], "--scope", "WALIKOTA", "--local"]
        )

"""pendopo-admin (tools.ops.admin) against moto's Cognito (mock_aws): create, list, disable."""

from __future__ import annotations

import io
import json
from typing import Any

import boto3
import pytest

from tests.support.handlers import call
from tests.support.officer_pool import OfficerPool
from tools.local.accounts import DEMO_PASSWORD, demo_email
from tools.ops import admin


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

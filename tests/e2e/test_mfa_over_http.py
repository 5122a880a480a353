"""The second factor over HTTP on the local stack (as on `make run`): the acceptance of
issue 20's first section."""

from __future__ import annotations

import uuid

import boto3
import requests

from tests.support.stack import RunningStack
from tools.local import totp
from tools.local.accounts import DEMO_PASSWORD, demo_email
from tools.ops.officers import create_officer, officer_spec

REGION = "ap-southeast-3"


def post(stack: RunningStack, path: str, body: dict[str, str]) -> requests.Response:
    return requests.post(f"{stack.api_url}{path}", json=body, timeout=30)


def new_verifier(stack: RunningStack) -> str:
    cognito = boto3.client("cognito-idp", endpoint_url=stack.moto_url, region_name=REGION)
    pool = cognito.list_user_pools(MaxResults=60)["UserPools"][0]["Id"]
    email = f"verifikator.e2e.{uuid.uuid4().hex[:6]}@pendopo.example"
    create_officer(
        cognito, pool, officer_spec(email, "verifikator", "BIRO_PEM"), password=DEMO_PASSWORD
    )
    return email


def test_a_verifier_without_totp_sets_it_up_and_then_logs_in_with_a_code(
    local_stack: RunningStack,
) -> None:
    # Given a verifier without TOTP
    email = new_verifier(local_stack)
    credentials = {"email": email, "password": DEMO_PASSWORD}
    # When they log in: MFA_SETUP, no token
    setup = post(local_stack, "/v1/auth/login", credentials)
    assert setup.status_code == 200
    assert setup.json()["challenge"] == "MFA_SETUP"
    assert "access_token" not in setup.json()
    secret = setup.json()["secret_code"]
    code = totp.current_code(secret)
    # A wrong code: 401
    wrong = str((int(code) + 1) % 1_000_000).zfill(6)
    refused = post(local_stack, "/v1/auth/mfa/setup", {**credentials, "code": wrong})
    assert refused.status_code == 401
    assert refused.json()["message"].startswith("Kode verifikasi salah")
    # The right code (computed here from the secret): tokens that open officer routes
    tokens = post(local_stack, "/v1/auth/mfa/setup", {**credentials, "code": code})
    assert tokens.status_code == 200, tokens.text
    queue = requests.get(
        f"{local_stack.api_url}/v1/officer/complaints",
        headers={"Authorization": f"Bearer {tokens.json()['access_token']}"},
        timeout=30,
    )
    assert queue.status_code == 200
    # From now on: the code challenge, a wrong code 401, the right one tokens
    challenge = post(local_stack, "/v1/auth/login", credentials).json()
    assert challenge["challenge"] == "SOFTWARE_TOKEN_MFA"
    answer = {"email": email, "session": challenge["session"]}
    assert post(local_stack, "/v1/auth/mfa", {**answer, "code": wrong}).status_code == 401
    final = post(local_stack, "/v1/auth/mfa", {**answer, "code": totp.current_code(secret)})
    assert final.status_code == 200, final.text
    assert final.json()["officer"]["role"] == "verifikator"


def test_a_coordinator_logs_in_with_the_password_alone(local_stack: RunningStack) -> None:
    answer = post(
        local_stack,
        "/v1/auth/login",
        {"email": demo_email("koordinator", "BIRO_PLH"), "password": DEMO_PASSWORD},
    )
    assert answer.status_code == 200
    assert answer.json()["access_token"]


def test_the_banner_prints_the_demo_totp_secret(local_stack: RunningStack) -> None:
    from tools.local.accounts import DEMO_TOTP_SECRET

    assert DEMO_TOTP_SECRET in local_stack.printed()

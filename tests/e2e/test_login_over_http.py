"""Officer login over HTTP against the running local stack and its demo accounts."""

from __future__ import annotations

import re

import pytest
import requests

from tests.support.stack import RunningStack
from tools.local.accounts import DEMO_PASSWORD, demo_email
from tools.local.jwt_check import JwtVerifier, cognito_issuer

pytestmark = pytest.mark.e2e

_POOL_LINE = re.compile(r"^\s+user pool\s+(\S+) \(client (\S+)\)\s*$")


def login(stack: RunningStack, email: str, password: str) -> requests.Response:
    return requests.post(
        f"{stack.api_url}/v1/auth/login", json={"email": email, "password": password}, timeout=30
    )


def test_demo_coordinator_logs_in_and_the_access_token_passes_the_authorizer_checks(
    local_stack: RunningStack,
) -> None:
    # Given the running stack, whose output names its pool and client
    pool_id, client_id = next(m.groups() for m in map(_POOL_LINE.match, local_stack.output) if m)
    # When the demo coordinator of Biro PLH logs in over HTTP
    response = login(local_stack, demo_email("koordinator", "BIRO_PLH"), DEMO_PASSWORD)
    # Then they get tokens and who they are
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["officer"] == {
        "username": "koordinator.biro-plh@pendopo.example",
        "role": "koordinator",
        "unit": "BIRO_PLH",
        "scope": None,
    }
    assert body["token_type"] == "Bearer" and body["refresh_token"]
    # And the access token passes the checks the gateway applies to officer routes
    verifier = JwtVerifier(
        issuer=cognito_issuer("ap-southeast-3", pool_id),
        audiences=[client_id],
        jwks_url=f"{local_stack.moto_url}/{pool_id}/.well-known/jwks.json",
    )
    assert verifier.verify(f"Bearer {body['access_token']}")["token_use"] == "access"
    # And the refresh token gives a new access token
    refreshed = requests.post(
        f"{local_stack.api_url}/v1/auth/refresh",
        json={"refresh_token": body["refresh_token"]},
        timeout=30,
    )
    assert refreshed.status_code == 200
    assert refreshed.json()["officer"]["unit"] == "BIRO_PLH"


def test_wrong_password_is_401(local_stack: RunningStack) -> None:
    response = login(local_stack, demo_email("admin"), "Bukan-Kata-Sandinya-1!")
    assert response.status_code == 401
    assert response.json() == {"message": "Email atau kata sandi salah."}


def test_passwords_and_tokens_never_appear_in_the_stack_output(local_stack: RunningStack) -> None:
    # Given logins have happened (the published demo password is printed on purpose)
    tokens = login(local_stack, demo_email("petugas", "BPBUMD"), DEMO_PASSWORD).json()
    login(local_stack, demo_email("petugas", "BPBUMD"), "Rahasia-Sekali-99!")
    # Then no token and no typed password is in anything the stack printed
    printed = local_stack.printed()
    assert "Rahasia-Sekali-99!" not in printed
    assert tokens["refresh_token"] not in printed
    assert tokens["access_token"][-40:] not in printed

"""The Cognito stand-in's sessions, pinned to Cognito's documented behaviour.

tools/local/moto_cognito_sessions.py adds what moto 5 lacks: token lifetimes from the
app client (CreateUserPoolClient: AccessTokenValidity, IdTokenValidity,
RefreshTokenValidity, TokenValidityUnits), an expired refresh token refused
(InitiateAuth: NotAuthorizedException), and RevokeToken (API reference: 200 with an
empty body; UnsupportedOperationException when revocation is off; UnauthorizedException
for a wrong secret or another client's token). GlobalSignOut and AdminUserGlobalSignOut
are moto's own; these tests pin that they end the refresh tokens too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from tools.local import moto_cognito_sessions
from tools.local.moto_cognito_sessions import validity_seconds
from tools.ops.officers import OfficerSpec, create_officer

REGION = "ap-southeast-3"
PASSWORD = "Sesi-Uji-2025!x"
EMAIL = "petugas.sesi@pendopo.example"


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    clock = Clock()
    moto_cognito_sessions.install()
    moto_cognito_sessions.set_clock(clock)
    yield clock
    moto_cognito_sessions.set_clock(__import__("time").time)


@pytest.fixture
def pool(clock: Clock) -> Iterator[tuple[Any, str, str]]:
    """The template's pool and client (30 min access and id tokens, 12 h refresh)."""
    from infra.template import create_user_pool

    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name=REGION)
        created = create_user_pool(cognito, "test")
        create_officer(
            cognito,
            created.user_pool_id,
            OfficerSpec(EMAIL, "petugas", "BIRO_PLH"),
            password=PASSWORD,
        )
        yield cognito, created.user_pool_id, created.client_id


def login(cognito: Any, client_id: str) -> dict[str, Any]:
    answer = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": EMAIL, "PASSWORD": PASSWORD},
    )
    return dict(answer["AuthenticationResult"])


def refresh(cognito: Any, client_id: str, token: str) -> dict[str, Any]:
    answer = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token}
    )
    return dict(answer["AuthenticationResult"])


def code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_lifetimes_follow_the_client_or_cognitos_defaults() -> None:
    # Given Cognito's documented defaults: access and id 1 hour, refresh 30 days
    assert validity_seconds({}, "access") == 3600
    assert validity_seconds({}, "id") == 3600
    assert validity_seconds({}, "refresh") == 30 * 86400
    # and units: a value without its unit counts in the default unit
    assert validity_seconds({"RefreshTokenValidity": 12}, "refresh") == 12 * 86400
    configured = {
        "AccessTokenValidity": 30,
        "RefreshTokenValidity": 12,
        "TokenValidityUnits": {"AccessToken": "minutes", "RefreshToken": "hours"},
    }
    assert validity_seconds(configured, "access") == 1800
    assert validity_seconds(configured, "refresh") == 12 * 3600


def test_tokens_live_as_long_as_the_template_client_says(pool: tuple[Any, str, str]) -> None:
    from pendopo.services.accounts import unverified_claims

    cognito, _, client_id = pool
    tokens = login(cognito, client_id)
    assert tokens["ExpiresIn"] == 1800
    for name in ("AccessToken", "IdToken"):
        claims = unverified_claims(tokens[name])
        assert claims["exp"] - claims["iat"] == 1800, name
    assert refresh(cognito, client_id, tokens["RefreshToken"])["ExpiresIn"] == 1800


def test_a_refresh_token_ends_after_12_hours(pool: tuple[Any, str, str], clock: Clock) -> None:
    cognito, _, client_id = pool
    token = login(cognito, client_id)["RefreshToken"]
    clock.now += 12 * 3600 - 1
    assert refresh(cognito, client_id, token)["AccessToken"]
    clock.now += 1
    with pytest.raises(ClientError) as refused:
        refresh(cognito, client_id, token)
    assert code(refused) == "NotAuthorizedException"
    assert "expired" in refused.value.response["Error"]["Message"]


def test_revoke_token_ends_that_refresh_token_only(pool: tuple[Any, str, str]) -> None:
    cognito, _, client_id = pool
    desk = login(cognito, client_id)["RefreshToken"]
    phone = login(cognito, client_id)["RefreshToken"]
    answer = cognito.revoke_token(Token=desk, ClientId=client_id)
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(ClientError) as refused:
        refresh(cognito, client_id, desk)
    assert code(refused) == "NotAuthorizedException"
    # The other session of the same account goes on.
    assert refresh(cognito, client_id, phone)["AccessToken"]
    # Revoking again, or a token Cognito never issued, is no error (RFC 7009, 2.2).
    cognito.revoke_token(Token=desk, ClientId=client_id)
    cognito.revoke_token(Token="not-a-token-we-issued", ClientId=client_id)


def test_revoke_token_errors_as_documented(pool: tuple[Any, str, str]) -> None:
    cognito, pool_id, client_id = pool
    token = login(cognito, client_id)["RefreshToken"]
    with pytest.raises(ClientError) as unknown:
        cognito.revoke_token(Token=token, ClientId="unknownclient")
    assert code(unknown) == "ResourceNotFoundException"
    cases = [
        ({"ClientName": "other"}, {}, "UnauthorizedException"),  # another client's token
        ({"ClientName": "closed", "EnableTokenRevocation": False}, {}, "UnsupportedOperation"),
        ({"ClientName": "secret", "GenerateSecret": True}, {"ClientSecret": "x" * 30}, "Unauth"),
    ]
    for config, extra, expected in cases:
        client = cognito.create_user_pool_client(UserPoolId=pool_id, **config)["UserPoolClient"]
        with pytest.raises(ClientError) as refused:
            cognito.revoke_token(Token=token, ClientId=client["ClientId"], **extra)
        assert code(refused).startswith(expected), config
    # None of these revoked anything.
    assert refresh(cognito, client_id, token)["AccessToken"]


def test_global_sign_out_ends_every_refresh_token(pool: tuple[Any, str, str]) -> None:
    cognito, pool_id, client_id = pool
    first = login(cognito, client_id)
    second = login(cognito, client_id)
    cognito.admin_user_global_sign_out(UserPoolId=pool_id, Username=EMAIL)
    for tokens in (first, second):
        with pytest.raises(ClientError) as refused:
            refresh(cognito, client_id, tokens["RefreshToken"])
        assert code(refused) == "NotAuthorizedException"
    third = login(cognito, client_id)
    cognito.global_sign_out(AccessToken=third["AccessToken"])
    with pytest.raises(ClientError) as refused:
        refresh(cognito, client_id, third["RefreshToken"])
    assert code(refused) == "NotAuthorizedException"

"""The local gateway's JWT check on authorized routes, as the HttpApi JWT authorizer does it.

Tokens are signed here with a test RSA key shaped like Cognito's access and id
tokens; one test uses moto's real Cognito tokens and its JWKS over HTTP.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from infra.template import HttpRoute
from pendopo.api.identity import officer_from_claims
from pendopo.domain.clock import FixedClock
from pendopo.domain.taxonomy import load_taxonomy
from tests.support.gateway_handlers import COUNTED_CALLS
from tools.local import totp
from tools.local.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_email, provision_accounts
from tools.local.jwt_check import JwtVerifier, cognito_issuer
from tools.local.server import LocalGateway

HANDLERS = "tests.support.gateway_handlers"
POOL_ID = "ap-southeast-3_TestPool"
CLIENT_ID = "testclient123"
ISSUER = cognito_issuer("ap-southeast-3", POOL_ID)
NOW = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)
KID = "test-key-1"

ROUTES = [
    HttpRoute("GET", "/v1/officer/echo", "TestFunction", f"{HANDLERS}.counted_echo", True),
    HttpRoute("GET", "/v1/public/echo", "TestFunction", f"{HANDLERS}.counted_echo", False),
]


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = _key()
OTHER_KEY = _key()


def _jwks(key: rsa.RSAPrivateKey) -> dict[str, Any]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {"keys": [{**public, "kid": KID, "alg": "RS256", "use": "sig"}]}


def access_token(key: rsa.RSAPrivateKey = SIGNING_KEY, **overrides: Any) -> str:
    issued = int(NOW.timestamp()) - 60
    claims = {
        "iss": ISSUER,
        "sub": "0b1c2d3e-officer",
        "client_id": CLIENT_ID,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "iat": issued,
        "auth_time": issued,
        "exp": issued + 3600,
        "username": "koordinator.biro-plh@pendopo.example",
        "cognito:groups": ["koordinator", "BIRO_PLH"],
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})


class Calls:
    """Handler invocations: the gateway must refuse before any handler runs."""

    @property
    def count(self) -> int:
        return len(COUNTED_CALLS)

    def reset(self) -> None:
        COUNTED_CALLS.clear()


@pytest.fixture
def calls() -> Calls:
    counter = Calls()
    counter.reset()
    return counter


@pytest.fixture(scope="module")
def module_clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def clock(module_clock: FixedClock) -> FixedClock:
    module_clock.set(NOW)
    return module_clock


@pytest.fixture(scope="module")
def gateway(module_clock: FixedClock) -> Iterator[LocalGateway]:
    verifier = JwtVerifier(
        issuer=ISSUER, audiences=[CLIENT_ID], jwks=_jwks(SIGNING_KEY), clock=module_clock
    )
    with LocalGateway(routes=ROUTES, static_dir=None, verifier=verifier) as running:
        yield running


def get(gateway: LocalGateway, authorization: str | None) -> requests.Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return requests.get(f"{gateway.url}/v1/officer/echo", headers=headers, timeout=10)


def assert_refused(response: requests.Response, calls: Calls) -> None:
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}
    assert calls.count == 0


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer sampah",
        "Bearer a.b.c",
        "Basic dXNlcjpwYXNz",
        "Bearer " + access_token()[:-4] + "AAAA",  # signature altered
    ],
)
def test_missing_or_malformed_tokens_are_401_before_the_handler(
    gateway: LocalGateway, calls: Calls, clock: FixedClock, authorization: str | None
) -> None:
    assert_refused(get(gateway, authorization), calls)


@pytest.mark.parametrize(
    "token",
    [
        access_token(OTHER_KEY),  # signed by another key with the same kid
        access_token(iss="https://cognito-idp.ap-southeast-3.amazonaws.com/other_pool"),
        access_token(client_id="another-client"),  # wrong audience
        access_token(client_id=None),  # no audience at all
        access_token(exp=None),
        access_token(nbf=int(NOW.timestamp()) + 600),  # not valid yet
        access_token(iat=int(NOW.timestamp()) + 600),  # issued in the future
    ],
    ids=["other-key", "wrong-issuer", "wrong-audience", "no-audience", "no-exp", "nbf", "iat"],
)
def test_tokens_failing_a_check_are_401_before_the_handler(
    gateway: LocalGateway, calls: Calls, clock: FixedClock, token: str
) -> None:
    assert_refused(get(gateway, f"Bearer {token}"), calls)


def test_expired_token_is_401(gateway: LocalGateway, calls: Calls, clock: FixedClock) -> None:
    # Given a token that is valid now
    token = access_token()
    assert get(gateway, f"Bearer {token}").status_code == 200
    calls.reset()
    # When the clock passes its exp (one hour after issue)
    clock.advance(timedelta(hours=1))
    # Then the same token is refused
    assert_refused(get(gateway, f"Bearer {token}"), calls)


def test_valid_access_token_reaches_the_handler_with_flattened_claims(
    gateway: LocalGateway, calls: Calls, clock: FixedClock
) -> None:
    # Given a valid access token, sent with the Bearer prefix
    response = get(gateway, f"Bearer {access_token()}")
    # Then the handler runs once and sees the claims as AWS passes them: strings
    assert response.status_code == 200
    assert calls.count == 1
    authorizer = response.json()["event"]["requestContext"]["authorizer"]
    claims = authorizer["jwt"]["claims"]
    assert claims["cognito:groups"] == "[koordinator BIRO_PLH]"
    assert claims["exp"] == str(int(NOW.timestamp()) - 60 + 3600)
    assert all(isinstance(value, str) for value in claims.values())
    assert authorizer["jwt"]["scopes"] is None
    # And pendopo.api.identity reads the officer from them
    officer = officer_from_claims(claims, load_taxonomy().units)
    assert (officer.username, officer.unit) == ("koordinator.biro-plh@pendopo.example", "BIRO_PLH")


def test_id_token_and_a_token_without_prefix_are_accepted_too(
    gateway: LocalGateway, clock: FixedClock
) -> None:
    # The real authorizer takes the token with or without "Bearer", and an id token
    # (aud = client id) as well as an access token (client_id = client id).
    id_token = access_token(client_id=None, aud=CLIENT_ID, token_use="id")
    assert get(gateway, id_token).status_code == 200


def test_public_routes_need_no_token(gateway: LocalGateway, calls: Calls) -> None:
    response = requests.get(f"{gateway.url}/v1/public/echo", timeout=10)
    assert response.status_code == 200
    assert "authorizer" not in response.json()["event"]["requestContext"]


def test_without_a_verifier_authorized_routes_are_closed(calls: Calls) -> None:
    with LocalGateway(routes=ROUTES, static_dir=None) as bare:
        assert_refused(get(bare, f"Bearer {access_token()}"), calls)


def test_moto_cognito_tokens_pass_with_the_jwks_moto_serves(calls: Calls) -> None:
    """A real login on moto's Cognito server; the verifier fetches moto's JWKS once."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        moto_url = f"http://{host}:{port}"
        cognito = boto3.client("cognito-idp", region_name="ap-southeast-3", endpoint_url=moto_url)
        pool = provision_accounts(cognito, "test")
        # The verifier signs in with the password, then the TOTP code of the demo secret.
        email = demo_email("verifikator", "BIRO_PEM")
        challenge = cognito.initiate_auth(
            ClientId=pool.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": DEMO_PASSWORD},
        )
        tokens = cognito.respond_to_auth_challenge(
            ClientId=pool.client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=challenge["Session"],
            ChallengeResponses={
                "USERNAME": email,
                "SOFTWARE_TOKEN_MFA_CODE": totp.current_code(DEMO_TOTP_SECRET),
            },
        )["AuthenticationResult"]
        verifier = JwtVerifier(
            issuer=cognito_issuer("ap-southeast-3", pool.user_pool_id),
            audiences=[pool.client_id],
            jwks_url=f"{moto_url}/{pool.user_pool_id}/.well-known/jwks.json",
        )
        with LocalGateway(routes=ROUTES, static_dir=None, verifier=verifier) as running:
            answer = get(running, f"Bearer {tokens['AccessToken']}")
            assert answer.status_code == 200, answer.text
            claims = answer.json()["event"]["requestContext"]["authorizer"]["jwt"]["claims"]
            assert claims["token_use"] == "access"
            assert claims["client_id"] == pool.client_id
            officer = officer_from_claims(claims, load_taxonomy().units)
            assert (officer.role.value, officer.unit) == ("verifikator", "BIRO_PEM")
            # moto's access token carries username and cognito:groups, as Cognito's does
            assert claims["username"] == demo_email("verifikator", "BIRO_PEM")
            assert claims["cognito:groups"].startswith("[")
            assert int(claims["exp"]) > time.time()
    finally:
        server.stop()

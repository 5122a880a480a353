"""tools/local/moto_cognito_mfa.py pinned to Cognito's documented TOTP behaviour.

Cognito API reference: AssociateSoftwareToken returns a new secret per association;
VerifySoftwareToken refuses a wrong code with EnableSoftwareTokenMFAException and
answers a right one with Status SUCCESS (by access token: no session);
RespondToAuthChallenge(SOFTWARE_TOKEN_MFA) refuses a wrong code with
CodeMismatchException; a challenge's session lasts the app client's
AuthSessionValidity minutes and is then refused with NotAuthorizedException.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.officer_pool import OfficerPool
from tools.local import moto_cognito_mfa, totp
from tools.local.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_email
from tools.ops.officers import create_officer, officer_spec

VERIFIER = demo_email("verifikator", "BIRO_PEM")


@pytest.fixture
def moved_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The stand-in's clock, which the test moves (codes and sessions follow it)."""
    now = [1_750_000_000.0]
    monkeypatch.setattr(moto_cognito_mfa, "clock", lambda: now[0])
    yield now


def _sign_in(pool: OfficerPool, email: str) -> dict[str, Any]:
    return dict(
        pool.cognito.initiate_auth(
            ClientId=pool.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": DEMO_PASSWORD},
        )
    )


def _new_officer(pool: OfficerPool, name: str) -> str:
    email = f"{name}@pendopo.example"
    spec = officer_spec(email, "koordinator", "BIRO_PK")
    create_officer(pool.cognito, pool.user_pool_id, spec, password=DEMO_PASSWORD)
    return email


def _error(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return str(raised.value.response["Error"]["Code"])


def test_each_association_gets_its_own_secret(
    officer_pool: OfficerPool, moved_clock: list[float]
) -> None:
    # Given two officers signed in with their passwords
    tokens = [
        _sign_in(officer_pool, _new_officer(officer_pool, name))["AuthenticationResult"]
        for name in ("satu.rahasia", "dua.rahasia")
    ]
    # When each associates a software token, and the first associates again
    cognito = officer_pool.cognito
    secrets = [cognito.associate_software_token(AccessToken=t["AccessToken"]) for t in tokens]
    again = cognito.associate_software_token(AccessToken=tokens[0]["AccessToken"])
    # Then every secret is new: 32 base32 characters, never moto's one shared secret
    codes = {s["SecretCode"] for s in [*secrets, again]}
    assert len(codes) == 3
    assert all(len(code) == 32 for code in codes)


def test_verification_checks_the_code_of_the_pending_secret(
    officer_pool: OfficerPool, moved_clock: list[float]
) -> None:
    # Given an officer with a new secret
    access = _sign_in(officer_pool, _new_officer(officer_pool, "verif.kode"))[
        "AuthenticationResult"
    ]["AccessToken"]
    cognito = officer_pool.cognito
    secret = cognito.associate_software_token(AccessToken=access)["SecretCode"]
    wrong = str((int(totp.code_at(secret, moved_clock[0])) + 1) % 1_000_000).zfill(6)
    # When a wrong code, a code of another secret, then the right code are sent
    # Then the wrong ones are refused as Cognito refuses them, and the right one succeeds
    for code in (wrong, totp.code_at(DEMO_TOTP_SECRET, moved_clock[0])):
        assert (
            _error(cognito.verify_software_token, AccessToken=access, UserCode=code)
            == "EnableSoftwareTokenMFAException"
        )
    right = cognito.verify_software_token(
        AccessToken=access, UserCode=totp.code_at(secret, moved_clock[0])
    )
    assert right["Status"] == "SUCCESS"
    assert "Session" not in right  # by access token, Cognito returns no session


def test_the_code_challenge_checks_the_code_and_the_session_age(
    officer_pool: OfficerPool, moved_clock: list[float]
) -> None:
    # Given the demo verifier, whose TOTP is set up from the demo secret
    cognito = officer_pool.cognito

    def challenge() -> str:
        started = _sign_in(officer_pool, VERIFIER)
        assert started["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
        return str(started["Session"])

    def answer(session: str, code: str) -> Any:
        return cognito.respond_to_auth_challenge(
            ClientId=officer_pool.client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=session,
            ChallengeResponses={"USERNAME": VERIFIER, "SOFTWARE_TOKEN_MFA_CODE": code},
        )

    now = moved_clock[0]
    # A code two steps old is refused; the previous step's code is still accepted
    session = challenge()
    assert (
        _error(answer, session=session, code=totp.code_at(DEMO_TOTP_SECRET, now - 60))
        == "CodeMismatchException"
    )
    tokens = answer(session, totp.code_at(DEMO_TOTP_SECRET, now - 30))
    assert tokens["AuthenticationResult"]["AccessToken"]
    # A session is used once
    assert (
        _error(answer, session=session, code=totp.code_at(DEMO_TOTP_SECRET, now))
        == "NotAuthorizedException"
    )
    # And it expires after the client's AuthSessionValidity (5 minutes in template.yaml)
    session = challenge()
    moved_clock[0] = now + 5 * 60 + 1
    assert (
        _error(answer, session=session, code=totp.code_at(DEMO_TOTP_SECRET, moved_clock[0]))
        == "NotAuthorizedException"
    )

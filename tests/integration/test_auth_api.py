"""Officer login over the auth function's routes, on moto's Cognito."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from pendopo.api.identity import officer_from_claims
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.services.accounts import AccountsService, unverified_claims
from tests.support.handlers import Answer, call
from tests.support.officer_pool import OfficerPool
from tools.local.accounts import DEMO_PASSWORD, demo_email
from tools.ops.officers import create_officer, disable_officer, officer_spec

COORDINATOR = demo_email("koordinator", "BIRO_PLH")
LOGIN_REFUSED = {"message": "Email atau kata sandi salah."}
NEW_PASSWORD = "Kata-Sandi-Baru-2025"
TEMPORARY = "Sementara-2025!x"


def login(auth: Any, email: str, password: str) -> Answer:
    return call(auth, "POST", "/v1/auth/login", json={"email": email, "password": password})


def test_demo_coordinator_logs_in_and_gets_tokens(auth: Any) -> None:
    # Given the demo coordinator of Biro PLH
    # When they log in (the email typed with capitals and spaces)
    answer = login(auth, f"  {COORDINATOR.upper()} ", DEMO_PASSWORD)
    # Then they get the three tokens and who they are
    assert answer.status == 200, answer.body
    body = answer.body
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 1800  # the template client: 30 minutes
    assert body["officer"] == {
        "username": COORDINATOR,
        "role": "koordinator",
        "unit": "BIRO_PLH",
        "scope": None,
    }
    assert body["refresh_token"]
    assert answer.headers["Cache-Control"] == "no-store"
    # And the access token (the Bearer) carries what officer routes read
    claims = unverified_claims(body["access_token"])
    assert claims["token_use"] == "access"
    assert officer_from_claims(claims, load_taxonomy().units).unit == "BIRO_PLH"


def test_wrong_password_unknown_account_and_disabled_account_get_one_answer(
    auth: Any, officer_pool: OfficerPool
) -> None:
    # Given a disabled account
    disabled = demo_email("petugas", "BIRO_PK")
    disable_officer(officer_pool.cognito, officer_pool.user_pool_id, disabled)
    # When someone logs in with a wrong password, an unknown account, or the disabled one
    answers = [
        login(auth, COORDINATOR, "Salah-Sekali-2025!"),
        login(auth, "tidak.ada@pendopo.example", DEMO_PASSWORD),
        login(auth, disabled, DEMO_PASSWORD),
    ]
    # Then all three get the same 401, which tells nothing about the account
    assert [a.status for a in answers] == [401, 401, 401]
    assert all(a.body == LOGIN_REFUSED for a in answers)


def test_refresh_gives_new_tokens(auth: Any) -> None:
    tokens = login(auth, COORDINATOR, DEMO_PASSWORD).body
    answer = call(auth, "POST", "/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert answer.status == 200, answer.body
    assert answer.body["access_token"] and answer.body["id_token"]
    assert answer.body["refresh_token"] is None  # the refresh token stays the same
    assert answer.body["officer"]["username"] == COORDINATOR


def test_logout_revokes_the_refresh_token(auth: Any) -> None:
    # Given an officer logged in twice (the desk and another computer)
    desk = login(auth, COORDINATOR, DEMO_PASSWORD).body
    other = login(auth, COORDINATOR, DEMO_PASSWORD).body
    # When the desk logs out
    answer = call(auth, "POST", "/v1/auth/logout", json={"refresh_token": desk["refresh_token"]})
    # Then 204, and the desk's refresh token is refused from now on
    assert answer.status == 204 and answer.headers["Cache-Control"] == "no-store"
    refused = call(auth, "POST", "/v1/auth/refresh", json={"refresh_token": desk["refresh_token"]})
    assert refused.status == 401
    assert refused.body == {"message": "Sesi Anda sudah berakhir. Silakan masuk lagi."}
    # And the other session goes on
    again = call(auth, "POST", "/v1/auth/refresh", json={"refresh_token": other["refresh_token"]})
    assert again.status == 200
    # And logging out again, or with a token that is none, is still 204
    for token in (desk["refresh_token"], "bukan-token"):
        assert call(auth, "POST", "/v1/auth/logout", json={"refresh_token": token}).status == 204


def test_logout_without_a_token_is_422(auth: Any) -> None:
    assert call(auth, "POST", "/v1/auth/logout", json={}).status == 422
    assert call(auth, "POST", "/v1/auth/logout", json={"refresh_token": ""}).status == 422


def test_invalid_refresh_token_is_401(auth: Any) -> None:
    answer = call(auth, "POST", "/v1/auth/refresh", json={"refresh_token": "bukan-token"})
    assert answer.status == 401
    assert answer.body == {"message": "Sesi Anda sudah berakhir. Silakan masuk lagi."}


def test_first_login_with_a_temporary_password_sets_a_new_one(
    auth: Any, officer_pool: OfficerPool
) -> None:
    # Given an account created with a temporary password
    email = "petugas.baru@pendopo.example"
    spec = officer_spec(email, "petugas", "BIRO_KESOS")
    create_officer(
        officer_pool.cognito, officer_pool.user_pool_id, spec, temporary_password=TEMPORARY
    )
    # When the officer logs in with it
    first = login(auth, email, TEMPORARY)
    # Then they are asked for a new password
    assert first.status == 200
    assert first.body["challenge"] == "NEW_PASSWORD_REQUIRED"
    assert "access_token" not in first.body
    session = first.body["session"]
    # And a password that breaks the policy is refused with the rules in Indonesian
    weak = call(
        auth,
        "POST",
        "/v1/auth/new-password",
        json={"email": email, "session": session, "new_password": "pendek"},
    )
    assert weak.status == 422
    assert "minimal 12 karakter" in weak.body["message"]
    # When they choose a good one
    done = call(
        auth,
        "POST",
        "/v1/auth/new-password",
        json={"email": email, "session": session, "new_password": NEW_PASSWORD},
    )
    # Then they are logged in, and the new password works from now on
    assert done.status == 200, done.body
    assert done.body["officer"] == {
        "username": email,
        "role": "petugas",
        "unit": "BIRO_KESOS",
        "scope": None,
    }
    assert login(auth, email, NEW_PASSWORD).status == 200


def test_new_password_with_an_unknown_session_is_401(auth: Any) -> None:
    answer = call(
        auth,
        "POST",
        "/v1/auth/new-password",
        json={"email": COORDINATOR, "session": "x" * 40, "new_password": NEW_PASSWORD},
    )
    assert answer.status == 401
    assert "Silakan masuk lagi" in answer.body["message"]


def test_account_without_an_officer_role_is_403(auth: Any, officer_pool: OfficerPool) -> None:
    # Given an account that is in no role group (set up by hand in the console)
    email = "tanpa.peran@pendopo.example"
    officer_pool.cognito.admin_create_user(
        UserPoolId=officer_pool.user_pool_id, Username=email, MessageAction="SUPPRESS"
    )
    officer_pool.cognito.admin_set_user_password(
        UserPoolId=officer_pool.user_pool_id, Username=email, Password=DEMO_PASSWORD, Permanent=True
    )
    # When it logs in, the credentials are right but it is not an officer
    answer = login(auth, email, DEMO_PASSWORD)
    assert answer.status == 403
    assert "peran" in answer.body["message"]
    assert "access_token" not in answer.body


@pytest.mark.parametrize(
    "body",
    [
        {"email": "bukan-email", "password": "x"},
        {"email": COORDINATOR},
        {"email": COORDINATOR, "password": ""},
        {"email": COORDINATOR, "password": "x" * 257},
        {"email": COORDINATOR, "password": "x", "extra": 1},
        [],
    ],
)
def test_invalid_login_bodies_are_422(auth: Any, body: Any) -> None:
    answer = call(auth, "POST", "/v1/auth/login", json=body)
    assert answer.status == 422
    assert answer.body["message"].startswith("Data yang dikirim belum benar")


class _FailingCognito:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def initiate_auth(self, **_: Any) -> Any:
        raise self.error


@pytest.mark.parametrize(
    "error",
    [
        ClientError({"Error": {"Code": "TooManyRequestsException"}}, "InitiateAuth"),
        ClientError({"Error": {"Code": "InternalErrorException"}}, "InitiateAuth"),
        ClientError({"Error": {"Code": "InvalidParameterException"}}, "InitiateAuth"),
        EndpointConnectionError(endpoint_url="https://cognito-idp.ap-southeast-3.amazonaws.com"),
    ],
)
def test_cognito_failures_are_503_never_500(
    auth: Any, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    monkeypatch.setattr(auth, "service", AccountsService(_FailingCognito(error), "client"))
    answer = login(auth, COORDINATOR, DEMO_PASSWORD)
    assert answer.status == 503
    assert "coba lagi" in answer.body["message"]


def test_login_without_a_configured_client_is_503(
    auth: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "service", AccountsService(object(), None))
    assert login(auth, COORDINATOR, DEMO_PASSWORD).status == 503


def test_passwords_and_tokens_never_reach_the_log(
    auth: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    tokens = login(auth, COORDINATOR, DEMO_PASSWORD).body
    login(auth, COORDINATOR, "Salah-Sekali-2025!")
    call(auth, "POST", "/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    printed = capsys.readouterr()
    logged = printed.out + printed.err
    for secret in (DEMO_PASSWORD, "Salah-Sekali-2025!", tokens["refresh_token"]):
        assert secret not in logged
    assert tokens["access_token"][:40] not in logged


@pytest.mark.parametrize(
    ("scope", "email"),
    [
        ("SEKDA", "pimpinan.sekda@pendopo.example"),
        ("ASISTEN_PEM", "pimpinan.asisten-pem@pendopo.example"),
        ("ASISTEN_PK", "pimpinan.asisten-pk@pendopo.example"),
        ("ASISTEN_PLH", "pimpinan.asisten-plh@pendopo.example"),
        ("ASISTEN_KESRA", "pimpinan.asisten-kesra@pendopo.example"),
    ],
)
def test_demo_leaders_log_in_with_the_password_alone_and_get_their_scope(
    auth: Any, scope: str, email: str
) -> None:
    # Given the demo leader of a scope (the Sekda, or one Asisten)
    assert demo_email("pimpinan", scope) == email
    # When they log in (leaders see no personal data: no second factor by default)
    answer = login(auth, email, DEMO_PASSWORD)
    # Then they get tokens, their role and scope, and no unit
    assert answer.status == 200, answer.body
    assert answer.body["officer"] == {
        "username": email,
        "role": "pimpinan",
        "unit": None,
        "scope": scope,
    }
    # And the access token's groups make that leader for the officer routes
    officer = officer_from_claims(unverified_claims(answer.body["access_token"]), {"BIRO_PLH"})
    assert (officer.role.value, officer.unit, officer.scope) == ("pimpinan", None, scope)


def test_a_leader_must_set_up_totp_when_the_stage_requires_it_of_everyone(
    auth: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        auth, "settings", auth.settings.model_copy(update={"mfa_required_for": "all"})
    )
    answer = login(auth, demo_email("pimpinan", "ASISTEN_KESRA"), DEMO_PASSWORD)
    assert answer.body["challenge"] == "MFA_SETUP"


def test_a_leader_account_with_a_unit_group_is_refused_at_login(
    auth: Any, officer_pool: OfficerPool
) -> None:
    # Given a leader account someone also put in a unit group (by hand, in the console)
    email = "pimpinan.salah@pendopo.example"
    spec = officer_spec(email, "pimpinan", None, scope="SEKDA")
    create_officer(officer_pool.cognito, officer_pool.user_pool_id, spec, password=DEMO_PASSWORD)
    officer_pool.cognito.admin_add_user_to_group(
        UserPoolId=officer_pool.user_pool_id, Username=email, GroupName="BIRO_PLH"
    )
    # When it logs in, then 403 and no tokens
    answer = login(auth, email, DEMO_PASSWORD)
    assert answer.status == 403
    assert "tidak boleh terdaftar di unit" in answer.body["message"]
    assert "access_token" not in answer.body

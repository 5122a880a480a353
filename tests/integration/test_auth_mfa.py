"""The second factor over the auth function's routes, on moto's Cognito with the
TOTP stand-in (tools/local/moto_cognito_mfa.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.handlers import Answer, call
from tests.support.officer_pool import OfficerPool
from tools.local import moto_cognito_mfa, totp
from tools.local.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_email
from tools.ops.officers import create_officer, officer_spec, reset_mfa

VERIFIER = demo_email("verifikator", "BIRO_PEM")
COORDINATOR = demo_email("koordinator", "BIRO_PLH")
WRONG_CODE = {
    "message": "Kode verifikasi salah. Masukkan kode 6 angka yang sedang tampil di aplikasi "
    "autentikator Anda, lalu coba lagi."
}
SESSION_ENDED = {
    "message": "Sesi masuk sudah berakhir. Silakan masuk lagi dengan email dan kata sandi."
}


def post(auth: Any, path: str, body: dict[str, Any]) -> Answer:
    return call(auth, "POST", path, json=body)


def login(auth: Any, email: str, password: str = DEMO_PASSWORD) -> Answer:
    return post(auth, "/v1/auth/login", {"email": email, "password": password})


def wrong(code: str) -> str:
    return str((int(code) + 1) % 1_000_000).zfill(6)


def new_account(pool: OfficerPool, email: str, role: str, unit: str | None) -> str:
    create_officer(
        pool.cognito, pool.user_pool_id, officer_spec(email, role, unit), password=DEMO_PASSWORD
    )
    return email


def test_a_verifier_with_totp_gets_tokens_only_for_the_right_code(auth: Any) -> None:
    # Given the demo verifier, whose TOTP is set up
    # When they log in with the password
    challenge = login(auth, VERIFIER)
    # Then they get the code challenge, and no token
    assert challenge.status == 200
    assert challenge.body["challenge"] == "SOFTWARE_TOKEN_MFA"
    assert "access_token" not in challenge.body
    assert challenge.headers["Cache-Control"] == "no-store"
    session = challenge.body["session"]
    code = totp.current_code(DEMO_TOTP_SECRET)
    # When they send a wrong code: one clear 401
    refused = post(
        auth, "/v1/auth/mfa", {"email": VERIFIER, "session": session, "code": wrong(code)}
    )
    assert (refused.status, refused.body) == (401, WRONG_CODE)
    # When they send the code their app shows: tokens, as the verifier
    answer = post(auth, "/v1/auth/mfa", {"email": VERIFIER, "session": session, "code": code})
    assert answer.status == 200, answer.body
    assert answer.body["officer"]["role"] == "verifikator"
    assert answer.body["access_token"] and answer.body["refresh_token"]


def test_an_expired_or_unknown_session_is_refused(
    auth: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a code challenge started now
    session = login(auth, VERIFIER).body["session"]
    later = moto_cognito_mfa.clock() + 6 * 60  # the client's AuthSessionValidity is 5 minutes
    monkeypatch.setattr(moto_cognito_mfa, "clock", lambda: later)
    code = totp.code_at(DEMO_TOTP_SECRET, later)
    # When the code comes six minutes later, or with a session Cognito never issued
    answers = [
        post(auth, "/v1/auth/mfa", {"email": VERIFIER, "session": session, "code": code}),
        post(auth, "/v1/auth/mfa", {"email": VERIFIER, "session": "x" * 40, "code": code}),
    ]
    # Then both get the 401 that sends the officer back to the login
    assert [(a.status, a.body) for a in answers] == [(401, SESSION_ENDED)] * 2


def test_a_verifier_without_totp_must_set_it_up_before_getting_tokens(
    auth: Any, officer_pool: OfficerPool
) -> None:
    # Given a new verifier with a password and no TOTP
    email = new_account(officer_pool, "verifikator.baru@pendopo.example", "verifikator", "BIRO_PEM")
    # When they log in
    setup = login(auth, email)
    # Then they get MFA_SETUP with a new secret (as text and as an otpauth URI), no token
    assert setup.status == 200
    assert setup.body["challenge"] == "MFA_SETUP"
    assert "access_token" not in setup.body
    assert setup.body["message"].startswith("Akun Anda wajib memakai verifikasi dua langkah")
    secret = setup.body["secret_code"]
    uri = urlsplit(setup.body["otpauth_uri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert parse_qs(uri.query)["secret"] == [secret]
    assert uri.path.endswith(email.replace("@", "%40"))
    # When they send a wrong code: 401, and still no TOTP (the next login asks again)
    body = {"email": email, "password": DEMO_PASSWORD}
    code = totp.current_code(secret)
    refused = post(auth, "/v1/auth/mfa/setup", {**body, "code": wrong(code)})
    assert (refused.status, refused.body) == (401, WRONG_CODE)
    # When they send the code of the secret: tokens
    answer = post(auth, "/v1/auth/mfa/setup", {**body, "code": code})
    assert answer.status == 200, answer.body
    assert answer.body["officer"]["role"] == "verifikator"
    # And from now on the login asks for a code
    assert login(auth, email).body["challenge"] == "SOFTWARE_TOKEN_MFA"
    # And setting up again once TOTP is on is refused
    again = post(auth, "/v1/auth/mfa/setup", {**body, "code": code})
    assert (again.status, again.body) == (401, SESSION_ENDED)


def test_setup_with_a_wrong_password_is_the_login_refusal(
    auth: Any, officer_pool: OfficerPool
) -> None:
    email = new_account(officer_pool, "admin.baru@pendopo.example", "admin", None)
    assert login(auth, email).body["challenge"] == "MFA_SETUP"
    answer = post(
        auth,
        "/v1/auth/mfa/setup",
        {"email": email, "password": "Salah-Sekali-2025!", "code": "123456"},
    )
    assert (answer.status, answer.body) == (401, {"message": "Email atau kata sandi salah."})


def test_a_coordinator_logs_in_with_the_password_alone(auth: Any) -> None:
    answer = login(auth, COORDINATOR)
    assert answer.status == 200
    assert answer.body["officer"]["role"] == "koordinator"


def test_a_coordinator_may_choose_totp_and_is_then_asked_for_codes(
    auth: Any, officer_pool: OfficerPool
) -> None:
    # Given a coordinator, who may log in with the password alone
    email = new_account(officer_pool, "koordinator.pilih@pendopo.example", "koordinator", "BIRO_PK")
    # When they log in asking to set up TOTP
    setup = post(
        auth, "/v1/auth/login", {"email": email, "password": DEMO_PASSWORD, "setup_mfa": True}
    )
    assert setup.body["challenge"] == "MFA_SETUP"
    assert "wajib" not in setup.body["message"]  # chosen, not required
    code = totp.current_code(setup.body["secret_code"])
    body = {"email": email, "password": DEMO_PASSWORD, "code": code}
    assert post(auth, "/v1/auth/mfa/setup", body).status == 200
    # Then every later login asks for a code
    assert login(auth, email).body["challenge"] == "SOFTWARE_TOKEN_MFA"


def test_a_stage_can_require_totp_of_every_role(auth: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a stage whose MfaRequiredFor is "all"
    monkeypatch.setattr(
        auth, "settings", auth.settings.model_copy(update={"mfa_required_for": "all"})
    )
    # When a coordinator without TOTP logs in
    answer = login(auth, demo_email("petugas", "BIRO_KESOS"))
    # Then they too must set it up first
    assert answer.body["challenge"] == "MFA_SETUP"


def test_reset_mfa_makes_the_next_login_set_it_up_again(
    auth: Any, officer_pool: OfficerPool
) -> None:
    # Given a verifier who has set up TOTP
    email = new_account(
        officer_pool, "verifikator.ganti@pendopo.example", "verifikator", "BIRO_PEM"
    )
    secret = login(auth, email).body["secret_code"]
    setup = {"email": email, "password": DEMO_PASSWORD, "code": totp.current_code(secret)}
    assert post(auth, "/v1/auth/mfa/setup", setup).status == 200
    refresh_token = login(auth, email).body  # a code challenge now
    assert refresh_token["challenge"] == "SOFTWARE_TOKEN_MFA"
    # When an admin resets their MFA (a lost phone)
    reset_mfa(officer_pool.cognito, officer_pool.user_pool_id, email)
    # Then the next login asks for a new setup, with a new secret
    again = login(auth, email)
    assert again.body["challenge"] == "MFA_SETUP"
    assert again.body["secret_code"] != secret


@pytest.mark.parametrize("code", ["12345", "1234567", "12a456", "", " 123456"])
def test_a_code_that_is_not_six_digits_is_invalid(auth: Any, code: str) -> None:
    answer = post(auth, "/v1/auth/mfa", {"email": VERIFIER, "session": "s" * 40, "code": code})
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "code"

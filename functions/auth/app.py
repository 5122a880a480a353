"""Officer login routes: public (no authorizer), so a browser needs no AWS SDK.

POST /v1/auth/login         email + password -> tokens, or a challenge:
                            NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA or MFA_SETUP
POST /v1/auth/new-password  the challenge's session + a new password -> tokens or MFA_SETUP
POST /v1/auth/mfa           SOFTWARE_TOKEN_MFA: the session + a 6-digit code -> tokens
POST /v1/auth/mfa/setup     MFA_SETUP: email + password + a code of the new secret -> tokens
POST /v1/auth/refresh       refresh token -> new access and id tokens
POST /v1/auth/logout        refresh token -> 204; the token is revoked (Cognito RevokeToken)

The second factor (TOTP): verifiers and admins must have it (the stage's
MFA_REQUIRED_FOR may require it of everyone); one who has not yet set it up gets
MFA_SETUP with a new secret instead of tokens (``pendopo.services.accounts``).

Clients send the **access token** as ``Authorization: Bearer <access_token>`` to
officer routes; the HttpApi JWT authorizer checks it (its ``client_id`` claim is
the audience) and passes its claims on, ``cognito:groups`` included.

Thin by design: validate, call ``pendopo.services.accounts``, shape the answer.
"""

from __future__ import annotations

import pendopo.runtime.coldstart  # first: the init runs without GC passes (see there)

# isort: split
import re
from http import HTTPStatus
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from pendopo.api.errors import BODY_REFUSED, THROTTLED, error_doc
from pendopo.api.identity import officer_from_claims
from pendopo.api.resolver import json_api, lambda_handler_for
from pendopo.api.responses import json_response
from pendopo.domain.complaint import CUSTOM_ERROR_PREFIX
from pendopo.domain.officer import NotAnOfficer, requires_mfa
from pendopo.domain.taxonomy import EMAIL_PATTERN, load_taxonomy
from pendopo.runtime.bootstrap import accounts_service
from pendopo.runtime.observability import logger
from pendopo.runtime.settings import get_settings
from pendopo.services.accounts import (
    LoginOutcome,
    MfaChallenge,
    NewPasswordChallenge,
    unverified_claims,
)

NEW_PASSWORD_MESSAGE = "Ini login pertama Anda. Buat kata sandi baru untuk melanjutkan."  # noqa: S105
MFA_MESSAGE = "Masukkan kode 6 angka dari aplikasi autentikator di ponsel Anda."
MFA_SETUP_MESSAGE = (
    "Akun Anda wajib memakai verifikasi dua langkah. Pindai kode QR (atau ketik kuncinya) "
    "di aplikasi autentikator, lalu masukkan kode 6 angka yang tampil."
)
MFA_CHOSEN_MESSAGE = (
    "Pindai kode QR (atau ketik kuncinya) di aplikasi autentikator, lalu masukkan kode 6 angka "
    "yang tampil. Setelah itu setiap kali masuk Anda akan diminta kode."
)
TOTP_ISSUER = "Pendopo"

API_TITLE = "Pendopo - Masuk Petugas"
API_VERSION = "1.0.0"

# The login routes' own document: they belong to this function, not to intake's.
app = json_api(API_TITLE, API_VERSION, "/v1/auth/openapi.json", storage=False)

settings = get_settings()
unit_codes = frozenset(load_taxonomy().units)
# Created at cold start: a botocore Cognito client, without boto3 or pynamodb
# (runtime/bootstrap.py, accounts_service).
service = accounts_service(settings)


# The email as a login form sends it: the address, perhaps with spaces around it
# (trimmed below). Documented as the field's pattern, so a client, and the OpenAPI
# fuzz, learn what is an address; checked here by the same expression.
EMAIL_INPUT_PATTERN = rf"^\s*{EMAIL_PATTERN.pattern.removeprefix('^').removesuffix('$')}\s*$"
_EMAIL_INPUT = re.compile(EMAIL_INPUT_PATTERN)


def _email(value: str) -> str:
    email = value.strip().lower()
    if not _EMAIL_INPUT.fullmatch(value) or not EMAIL_PATTERN.fullmatch(email):
        raise PydanticCustomError(
            CUSTOM_ERROR_PREFIX + "email", "Alamat email tidak valid. Contoh: nama@jakarta.go.id."
        )
    return email


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Cognito's own limits: user names up to 128 characters, passwords up to 256.
Email = Annotated[
    str,
    Field(min_length=3, max_length=128, json_schema_extra={"pattern": EMAIL_INPUT_PATTERN}),
]
Password = Annotated[str, Field(min_length=1, max_length=256)]
# A TOTP code as an authenticator app shows it: 6 digits (RFC 6238, as Cognito takes it).
Code = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="Kode 6 angka dari aplikasi")]
Session = Annotated[str, Field(min_length=20, max_length=2048)]


class _ByEmail(_Request):
    """A request naming the account by its email address (trimmed, lower-cased)."""

    email: Email

    _normalise_email = field_validator("email")(_email)


class LoginRequest(_ByEmail):
    password: Password
    setup_mfa: bool = Field(
        default=False,
        description="true: siapkan verifikasi dua langkah sekarang (petugas dan koordinator "
        "yang belum wajib boleh memilihnya); jawabannya MFA_SETUP bila belum ada",
    )


class NewPasswordRequest(_ByEmail):
    session: Session
    new_password: Password


class MfaRequest(_ByEmail):
    session: Session
    code: Code


class MfaSetupRequest(_ByEmail):
    password: Password
    code: Code


class RefreshRequest(_Request):
    refresh_token: Annotated[str, Field(min_length=1, max_length=8192)]


class OfficerView(BaseModel):
    username: str
    role: str
    unit: str | None
    # Leaders (pimpinan) only: SEKDA or an Asisten's code, the units their dashboard shows.
    scope: str | None = None


class TokensAnswer(BaseModel):
    access_token: str = Field(description="Kirim sebagai `Authorization: Bearer <access_token>`")
    id_token: str
    refresh_token: str | None = Field(
        default=None, description="Tidak ada pada jawaban /v1/auth/refresh"
    )
    expires_in: int
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the token type, not a secret
    officer: OfficerView


class ChallengeAnswer(BaseModel):
    challenge: Literal["NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA"] = Field(
        description="NEW_PASSWORD_REQUIRED: kirim ke /v1/auth/new-password; "
        "SOFTWARE_TOKEN_MFA: kirim kode ke /v1/auth/mfa"
    )
    session: str
    message: str


class MfaSetupAnswer(BaseModel):
    challenge: Literal["MFA_SETUP"] = Field(
        default="MFA_SETUP",
        description="Siapkan TOTP, lalu kirim kode ke /v1/auth/mfa/setup",
    )
    secret_code: str = Field(description="Kunci TOTP (base32) untuk diketik di aplikasi")
    otpauth_uri: str = Field(description="Isi kode QR untuk dipindai aplikasi autentikator")
    message: str = MFA_SETUP_MESSAGE


Answer = TokensAnswer | ChallengeAnswer | MfaSetupAnswer


ERROR_RESPONSES: dict[int, Any] = {
    401: error_doc(
        "Email atau kata sandi salah, kode verifikasi salah, atau sesi sudah tidak berlaku"
    ),
    403: error_doc("Akun belum disiapkan sebagai petugas"),
    422: error_doc("Data tidak valid, atau kata sandi baru belum memenuhi aturan"),
    503: error_doc("Layanan masuk sibuk; coba lagi"),
    **BODY_REFUSED,
    **THROTTLED,
}


def _otpauth_uri(email: str, secret: str) -> str:
    """The key-URI authenticator apps read from a QR code (otpauth://totp/...)."""
    issuer = TOTP_ISSUER if settings.stage == "prod" else f"{TOTP_ISSUER} {settings.stage}"
    label = quote(f"{issuer}:{email}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": 6, "period": 30},
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def _answer(
    outcome: LoginOutcome, *, enforce_mfa: bool = False, chosen: bool = False
) -> Response[Answer]:
    """Shape an outcome; with ``enforce_mfa``, tokens of an officer who must have TOTP
    (or ``chosen`` it) and has not (Cognito asked for no code) become MFA_SETUP."""
    body: Answer
    if isinstance(outcome, NewPasswordChallenge):
        body = ChallengeAnswer(
            challenge="NEW_PASSWORD_REQUIRED", session=outcome.session, message=NEW_PASSWORD_MESSAGE
        )
    elif isinstance(outcome, MfaChallenge):
        body = ChallengeAnswer(
            challenge="SOFTWARE_TOKEN_MFA", session=outcome.session, message=MFA_MESSAGE
        )
    else:
        try:
            officer = officer_from_claims(unverified_claims(outcome.access_token), unit_codes)
        except NotAnOfficer:
            logger.warning("Login by an account that is not set up as an officer")
            raise
        required = requires_mfa(officer.role, settings.mfa_required_for)
        if enforce_mfa and (required or chosen):
            setup = service.begin_mfa_setup(outcome)
            logger.info("TOTP setup before tokens", extra={"role": officer.role.value})
            body = MfaSetupAnswer(
                secret_code=setup.secret_code,
                otpauth_uri=_otpauth_uri(officer.username, setup.secret_code),
                message=MFA_SETUP_MESSAGE if required else MFA_CHOSEN_MESSAGE,
            )
        else:
            body = TokensAnswer(
                access_token=outcome.access_token,
                id_token=outcome.id_token,
                refresh_token=outcome.refresh_token,
                expires_in=outcome.expires_in,
                officer=OfficerView(
                    username=officer.username,
                    role=officer.role.value,
                    unit=officer.unit,
                    scope=officer.scope,
                ),
            )
    # Tokens and secrets must not land in any cache (RFC 6749, section 5.1).
    return json_response(HTTPStatus.OK, body, {"Cache-Control": "no-store"})


def _route(path: str, summary: str, answers: str) -> Any:
    """A login route: POST, public, its 200 described, the shared error answers."""
    return app.post(
        path, summary=summary, responses={200: {"description": answers}, **ERROR_RESPONSES}
    )


@_route(
    "/v1/auth/login",
    "Masuk sebagai petugas: email dan kata sandi",
    "Token, atau tantangan NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA atau MFA_SETUP",
)
def login(request: Annotated[LoginRequest, Body()]) -> Response[Answer]:
    outcome = service.login(request.email, request.password)
    return _answer(outcome, enforce_mfa=True, chosen=request.setup_mfa)


@_route(
    "/v1/auth/new-password",
    "Login pertama: ganti kata sandi sementara",
    "Token, atau tantangan MFA_SETUP",
)
def new_password(request: Annotated[NewPasswordRequest, Body()]) -> Response[Answer]:
    outcome = service.complete_new_password(request.email, request.session, request.new_password)
    return _answer(outcome, enforce_mfa=True)


@_route("/v1/auth/mfa", "Verifikasi dua langkah: kode 6 angka (SOFTWARE_TOKEN_MFA)", "Token")
def mfa(request: Annotated[MfaRequest, Body()]) -> Response[Answer]:
    return _answer(service.answer_mfa(request.email, request.session, request.code))


@_route(
    "/v1/auth/mfa/setup",
    "Siapkan verifikasi dua langkah: kode pertama dari kunci baru (MFA_SETUP)",
    "Token; TOTP kini aktif untuk akun ini",
)
def mfa_setup(request: Annotated[MfaSetupRequest, Body()]) -> Response[Answer]:
    return _answer(service.finish_mfa_setup(request.email, request.password, request.code))


@_route(
    "/v1/auth/refresh", "Perpanjang sesi dengan refresh token", "Access token dan id token baru"
)
def refresh(request: Annotated[RefreshRequest, Body()]) -> Response[Answer]:
    return _answer(service.refresh(request.refresh_token))


LOGOUT_RESPONSES: dict[int, Any] = {
    code: doc for code, doc in ERROR_RESPONSES.items() if code not in (401, 403)
} | {
    204: {"description": "Sesi diakhiri (tanpa isi)", "content": {}},  # no body to document
    422: error_doc("Data tidak valid"),
}


@app.post(
    "/v1/auth/logout",
    summary="Keluar: cabut refresh token (sesi tidak bisa diperpanjang lagi)",
    responses=LOGOUT_RESPONSES,
)
def logout(request: Annotated[RefreshRequest, Body()]) -> Response[None]:
    service.logout(request.refresh_token)
    return Response(status_code=HTTPStatus.NO_CONTENT, headers={"Cache-Control": "no-store"})


lambda_handler = lambda_handler_for(app, settings.max_body_bytes)


pendopo.runtime.coldstart.end_init()  # the last statement of the init

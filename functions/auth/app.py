"""Officer login routes: public (no authorizer), so a browser needs no AWS SDK.

POST /v1/auth/login         email + password -> tokens, or the first-login challenge
POST /v1/auth/new-password  the challenge's session + a new password -> tokens
POST /v1/auth/refresh       refresh token -> new access and id tokens
POST /v1/auth/logout        refresh token -> 204; the token is revoked (Cognito RevokeToken)

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

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from pendopo.api.errors import BODY_REFUSED, THROTTLED, error_doc
from pendopo.api.identity import officer_from_claims
from pendopo.api.resolver import json_api, lambda_handler_for
from pendopo.api.responses import json_response
from pendopo.domain.complaint import CUSTOM_ERROR_PREFIX
from pendopo.domain.officer import NotAnOfficer
from pendopo.domain.taxonomy import EMAIL_PATTERN, load_taxonomy
from pendopo.runtime.bootstrap import accounts_service
from pendopo.runtime.observability import logger
from pendopo.runtime.settings import get_settings
from pendopo.services.accounts import NewPasswordChallenge, Tokens, unverified_claims

NEW_PASSWORD_MESSAGE = "Ini login pertama Anda. Buat kata sandi baru untuk melanjutkan."  # noqa: S105

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


class LoginRequest(_Request):
    email: Email
    password: Password

    _normalise_email = field_validator("email")(_email)


class NewPasswordRequest(_Request):
    email: Email
    session: Annotated[str, Field(min_length=20, max_length=2048)]
    new_password: Password

    _normalise_email = field_validator("email")(_email)


class RefreshRequest(_Request):
    refresh_token: Annotated[str, Field(min_length=1, max_length=8192)]


class OfficerView(BaseModel):
    username: str
    role: str
    unit: str | None


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
    challenge: Literal["NEW_PASSWORD_REQUIRED"] = "NEW_PASSWORD_REQUIRED"
    session: str
    message: str = NEW_PASSWORD_MESSAGE


ERROR_RESPONSES: dict[int, Any] = {
    401: error_doc("Email atau kata sandi salah, atau sesi sudah tidak berlaku"),
    403: error_doc("Akun belum disiapkan sebagai petugas"),
    422: error_doc("Data tidak valid, atau kata sandi baru belum memenuhi aturan"),
    503: error_doc("Layanan masuk sibuk; coba lagi"),
    **BODY_REFUSED,
    **THROTTLED,
}


def _answer(outcome: Tokens | NewPasswordChallenge) -> Response[TokensAnswer | ChallengeAnswer]:
    body: TokensAnswer | ChallengeAnswer
    if isinstance(outcome, NewPasswordChallenge):
        body = ChallengeAnswer(session=outcome.session)
    else:
        try:
            officer = officer_from_claims(unverified_claims(outcome.access_token), unit_codes)
        except NotAnOfficer:
            logger.warning("Login by an account that is not set up as an officer")
            raise
        body = TokensAnswer(
            access_token=outcome.access_token,
            id_token=outcome.id_token,
            refresh_token=outcome.refresh_token,
            expires_in=outcome.expires_in,
            officer=OfficerView(
                username=officer.username, role=officer.role.value, unit=officer.unit
            ),
        )
    # Tokens must not land in any cache (RFC 6749, section 5.1).
    return json_response(HTTPStatus.OK, body, {"Cache-Control": "no-store"})


@app.post(
    "/v1/auth/login",
    summary="Masuk sebagai petugas: email dan kata sandi",
    responses={
        200: {"description": "Token, atau tantangan NEW_PASSWORD_REQUIRED"},
        **ERROR_RESPONSES,
    },
)
def login(request: Annotated[LoginRequest, Body()]) -> Response[TokensAnswer | ChallengeAnswer]:
    return _answer(service.login(request.email, request.password))


@app.post(
    "/v1/auth/new-password",
    summary="Login pertama: ganti kata sandi sementara",
    responses={200: {"description": "Token"}, **ERROR_RESPONSES},
)
def new_password(
    request: Annotated[NewPasswordRequest, Body()],
) -> Response[TokensAnswer | ChallengeAnswer]:
    return _answer(
        service.complete_new_password(request.email, request.session, request.new_password)
    )


@app.post(
    "/v1/auth/refresh",
    summary="Perpanjang sesi dengan refresh token",
    responses={200: {"description": "Access token dan id token baru"}, **ERROR_RESPONSES},
)
def refresh(request: Annotated[RefreshRequest, Body()]) -> Response[TokensAnswer | ChallengeAnswer]:
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

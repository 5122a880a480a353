"""Officer login through Cognito's public app client: password, first-login change,
refresh, logout.

The only code that talks to Cognito's user-facing API (InitiateAuth,
RespondToAuthChallenge and RevokeToken). These calls are unauthenticated on a public
client (no secret), so the function needs no IAM permission for them.

Every Cognito failure is turned into one of the exceptions below, each carrying its
HTTP answer (the API's error map sends it); nothing escapes as a 500. Tokens, passwords and
sessions are never logged; an account is logged only by its error code.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from pendopo.domain.errors import Busy, PendopoError
from pendopo.runtime.observability import logger

NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"  # noqa: S105 - a challenge name

# The password policy of OfficerUserPool in template.yaml, in words an officer reads
# (tests/unit/test_auth_template.py keeps the two in step).
PASSWORD_MIN_LENGTH = 12
PASSWORD_RULES = (
    f"Kata sandi minimal {PASSWORD_MIN_LENGTH} karakter dan memuat huruf besar, "
    "huruf kecil, angka, dan simbol."
)

# Wrong password and unknown or disabled account look the same to the caller.
_LOGIN_REFUSED = frozenset(
    {
        "NotAuthorizedException",
        "UserNotFoundException",
        "UserNotConfirmedException",
        "PasswordResetRequiredException",
    }
)
# A NEW_PASSWORD_REQUIRED session that is expired, used, or not this account's.
# (moto answers ResourceNotFoundException for an unknown session.)
_SESSION_REFUSED = frozenset(
    {
        "NotAuthorizedException",
        "UserNotFoundException",
        "CodeMismatchException",
        "ExpiredCodeException",
        "ResourceNotFoundException",
    }
)
_PASSWORD_REFUSED = frozenset({"InvalidPasswordException"})
# RevokeToken's refusals of the token itself: not ours, not a refresh token, malformed.
# The session is over either way, so logout still succeeds (as RFC 7009 answers).
_REVOKE_REFUSED = frozenset(
    {"UnauthorizedException", "UnsupportedTokenTypeException", "InvalidParameterException"}
)
_METHODS = {
    "InitiateAuth": "initiate_auth",
    "RespondToAuthChallenge": "respond_to_auth_challenge",
    "RevokeToken": "revoke_token",
}


class _TokenAlreadyUnusable(Exception):
    """RevokeToken refused the token: it cannot refresh anything anyway."""


class LoginRefused(PendopoError):
    """Wrong credentials, unknown account or disabled account (one answer for all)."""

    status = HTTPStatus.UNAUTHORIZED
    message = "Email atau kata sandi salah."


class SessionRefused(PendopoError):
    """The first-login session is no longer valid: log in again."""

    status = HTTPStatus.UNAUTHORIZED
    message = (
        "Sesi penggantian kata sandi sudah tidak berlaku. Silakan masuk lagi dengan kata sandi "
        "sementara dari email Anda."
    )


class RefreshRefused(PendopoError):
    """The refresh token is invalid, expired or revoked."""

    status = HTTPStatus.UNAUTHORIZED
    message = "Sesi Anda sudah berakhir. Silakan masuk lagi."


class PasswordRejected(PendopoError):
    """The new password does not meet the pool's password policy (HTTP 422)."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    message = f"Kata sandi baru belum memenuhi aturan. {PASSWORD_RULES}"

    def details(self) -> dict[str, Any]:
        return {"errors": [{"field": "new_password", "in": "body", "message": PASSWORD_RULES}]}


class AccountsUnavailable(Busy):
    """Cognito is throttling, failing or not configured: try again later."""

    message = "Layanan masuk sedang sibuk atau terganggu. Silakan coba lagi sebentar lagi."
    retry_after = 2


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str
    id_token: str
    refresh_token: str | None  # REFRESH_TOKEN_AUTH returns no new refresh token
    expires_in: int
    token_type: str


@dataclass(frozen=True, slots=True)
class NewPasswordChallenge:
    """The account has a temporary password and must choose its own first."""

    session: str


class AccountsService:
    def __init__(self, cognito: Any, client_id: str | None) -> None:
        self._cognito = cognito
        self._client_id = client_id

    def login(self, username: str, password: str) -> Tokens | NewPasswordChallenge:
        result = self._call(
            "InitiateAuth",
            _LOGIN_REFUSED,
            LoginRefused,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        return self._outcome(result, refused=LoginRefused)

    def complete_new_password(
        self, username: str, session: str, new_password: str
    ) -> Tokens | NewPasswordChallenge:
        result = self._call(
            "RespondToAuthChallenge",
            _SESSION_REFUSED,
            SessionRefused,
            ChallengeName=NEW_PASSWORD_REQUIRED,
            Session=session,
            ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": new_password},
        )
        return self._outcome(result, refused=SessionRefused)

    def refresh(self, refresh_token: str) -> Tokens:
        result = self._call(
            "InitiateAuth",
            _LOGIN_REFUSED,
            RefreshRefused,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
        outcome = self._outcome(result, refused=RefreshRefused)
        if not isinstance(outcome, Tokens):
            raise RefreshRefused
        return outcome

    def logout(self, refresh_token: str) -> None:
        """Revoke the refresh token (and the access tokens issued from it) at Cognito.

        A token Cognito refuses (another client's, malformed) is no session to end, so
        that is success too; Cognito failing or throttling is AccountsUnavailable.
        """
        try:
            self._call("RevokeToken", _REVOKE_REFUSED, _TokenAlreadyUnusable, Token=refresh_token)
        except _TokenAlreadyUnusable:
            return

    def _call(
        self,
        operation: str,
        refused_codes: frozenset[str],
        refused: type[Exception],
        **kwargs: Any,
    ) -> dict[str, Any]:
        if not self._client_id:
            logger.error("USER_POOL_CLIENT_ID is not set: officer login is unavailable")
            raise AccountsUnavailable
        method = getattr(self._cognito, _METHODS[operation])
        try:
            result: dict[str, Any] = method(ClientId=self._client_id, **kwargs)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in refused_codes:
                logger.info("Cognito refused the credentials", extra={"cognito_error": code})
                raise refused from None
            if code in _PASSWORD_REFUSED:
                raise PasswordRejected from None
            # Throttling (TooManyRequestsException), InternalErrorException, and
            # configuration errors (a wrong client id, a disabled auth flow).
            logger.warning("Cognito call failed", extra={"operation": operation, "code": code})
            raise AccountsUnavailable from None
        except BotoCoreError as error:
            logger.warning(
                "Cognito unreachable",
                extra={"operation": operation, "error": type(error).__name__},
            )
            raise AccountsUnavailable from None
        return result

    @staticmethod
    def _outcome(
        result: dict[str, Any], *, refused: type[Exception]
    ) -> Tokens | NewPasswordChallenge:
        challenge = result.get("ChallengeName")
        if challenge == NEW_PASSWORD_REQUIRED and result.get("Session"):
            return NewPasswordChallenge(session=str(result["Session"]))
        if challenge:
            # MFA or another step this API does not offer (MFA is off in the pool).
            logger.warning("Unsupported Cognito challenge", extra={"challenge": str(challenge)})
            raise AccountsUnavailable
        auth = result.get("AuthenticationResult") or {}
        if not auth.get("AccessToken") or not auth.get("IdToken"):
            logger.warning("Cognito answered without tokens")
            raise AccountsUnavailable
        return Tokens(
            access_token=str(auth["AccessToken"]),
            id_token=str(auth["IdToken"]),
            refresh_token=str(auth["RefreshToken"]) if auth.get("RefreshToken") else None,
            expires_in=int(auth.get("ExpiresIn", 3600)),
            token_type=str(auth.get("TokenType", "Bearer")),
        )


def unverified_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, without checking its signature.

    Only for tokens that have just come from Cognito over TLS in this same
    call; a token a client sends is checked by the HttpApi JWT authorizer.
    """
    try:
        payload = token.split(".")[1]
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(decoded)
    except (IndexError, ValueError, binascii.Error) as error:
        raise AccountsUnavailable from error
    if not isinstance(claims, dict):
        raise AccountsUnavailable
    return claims

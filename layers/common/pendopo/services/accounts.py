"""Officer login through Cognito's public app client: password, first-login change,
TOTP second factor, refresh, logout.

The only code that talks to Cognito's user-facing API (InitiateAuth,
RespondToAuthChallenge, RevokeToken, and the software-token calls
AssociateSoftwareToken, VerifySoftwareToken and SetUserMFAPreference, which the user's
own access token authorises). None needs an IAM permission on a public client (no
secret).

The second factor (TOTP): an officer with it set up gets Cognito's SOFTWARE_TOKEN_MFA
challenge (``MfaChallenge``), answered with a code (``answer_mfa``). An officer who
must have it and has not (the pool's MFA is OPTIONAL; which roles must is the caller's
rule, ``pendopo.domain.officer.requires_mfa``) gets no tokens: ``begin_mfa_setup``
associates a new secret with the password-only tokens, which are then dropped, and
``finish_mfa_setup`` signs in again with the password, verifies a code of that secret,
turns TOTP on and only then returns tokens.

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
SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA"  # noqa: S105 - a challenge name
# The name of the token in the officer's list of MFA devices (Cognito keeps one).
TOTP_DEVICE_NAME = "Pendopo"

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
# A wrong TOTP code: RespondToAuthChallenge answers CodeMismatchException,
# VerifySoftwareToken EnableSoftwareTokenMFAException (Cognito API reference).
_CODE_REFUSED = frozenset({"CodeMismatchException", "EnableSoftwareTokenMFAException"})
# A SOFTWARE_TOKEN_MFA session that is expired (AuthSessionValidity), used, unknown or
# another account's; also Cognito's lockout after repeated failures.
_MFA_SESSION_REFUSED = frozenset(
    {
        "NotAuthorizedException",
        "UserNotFoundException",
        "ExpiredCodeException",
        "ResourceNotFoundException",
    }
)
# The software-token calls by access token: the token just issued, refused only if the
# account was disabled or signed out in between.
_TOKEN_REFUSED = frozenset({"NotAuthorizedException", "UserNotFoundException"})
# RevokeToken's refusals of the token itself: not ours, not a refresh token, malformed.
# The session is over either way, so logout still succeeds (as RFC 7009 answers).
_REVOKE_REFUSED = frozenset(
    {"UnauthorizedException", "UnsupportedTokenTypeException", "InvalidParameterException"}
)


class _TokenAlreadyUnusable(Exception):
    """RevokeToken refused the token: it cannot refresh anything anyway."""


class _Unauthorized(PendopoError):
    """A 401: credentials, a session or a code Cognito refused."""

    status = HTTPStatus.UNAUTHORIZED


class LoginRefused(_Unauthorized):
    """Wrong credentials, unknown account or disabled account (one answer for all)."""

    message = "Email atau kata sandi salah."


class SessionRefused(_Unauthorized):
    """The first-login session is no longer valid: log in again."""

    message = (
        "Sesi penggantian kata sandi sudah tidak berlaku. Silakan masuk lagi dengan kata sandi "
        "sementara dari email Anda."
    )


class RefreshRefused(_Unauthorized):
    """The refresh token is invalid, expired or revoked."""

    message = "Sesi Anda sudah berakhir. Silakan masuk lagi."


class MfaCodeRefused(_Unauthorized):
    """A wrong (or too old) TOTP code: the officer may try again with the next one."""

    message = (
        "Kode verifikasi salah. Masukkan kode 6 angka yang sedang tampil di aplikasi "
        "autentikator Anda, lalu coba lagi."
    )


class MfaSessionRefused(_Unauthorized):
    """The sign-in that asked for a code is no longer valid: log in again."""

    message = "Sesi masuk sudah berakhir. Silakan masuk lagi dengan email dan kata sandi."


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


@dataclass(frozen=True, slots=True)
class MfaChallenge:
    """The account has TOTP: a code from its authenticator app is asked for."""

    session: str


@dataclass(frozen=True, slots=True)
class MfaSetup:
    """The account must set up TOTP first: the secret its authenticator app takes."""

    secret_code: str


LoginOutcome = Tokens | NewPasswordChallenge | MfaChallenge

_METHODS = {
    "InitiateAuth": "initiate_auth",
    "RespondToAuthChallenge": "respond_to_auth_challenge",
    "AssociateSoftwareToken": "associate_software_token",
    "VerifySoftwareToken": "verify_software_token",
    "SetUserMFAPreference": "set_user_mfa_preference",
    "RevokeToken": "revoke_token",
}
# Calls that name the app client (the software-token calls name the access token).
_CLIENT_CALLS = frozenset({"InitiateAuth", "RespondToAuthChallenge", "RevokeToken"})


class AccountsService:
    def __init__(self, cognito: Any, client_id: str | None) -> None:
        self._cognito = cognito
        self._client_id = client_id

    def login(self, username: str, password: str) -> LoginOutcome:
        result = self._call(
            "InitiateAuth",
            _LOGIN_REFUSED,
            LoginRefused,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        return self._outcome(result, refused=LoginRefused)

    def complete_new_password(self, username: str, session: str, new_password: str) -> LoginOutcome:
        return self._respond(
            NEW_PASSWORD_REQUIRED,
            session,
            {"USERNAME": username, "NEW_PASSWORD": new_password},
            _SESSION_REFUSED,
            SessionRefused,
        )

    def answer_mfa(self, username: str, session: str, code: str) -> Tokens:
        """The SOFTWARE_TOKEN_MFA challenge answered with a code of the officer's app."""
        outcome = self._respond(
            SOFTWARE_TOKEN_MFA,
            session,
            {"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": code},
            _MFA_SESSION_REFUSED,
            MfaSessionRefused,
        )
        if not isinstance(outcome, Tokens):
            raise MfaSessionRefused
        return outcome

    def begin_mfa_setup(self, tokens: Tokens) -> MfaSetup:
        """A new TOTP secret for the account of these (password-only) tokens, which the
        caller then drops: they must not reach the client before TOTP is set up."""
        secret = self._by_token("AssociateSoftwareToken", tokens).get("SecretCode")
        if not secret:
            logger.warning("Cognito answered AssociateSoftwareToken without a secret")
            raise AccountsUnavailable
        return MfaSetup(secret_code=str(secret))

    def finish_mfa_setup(self, username: str, password: str, code: str) -> Tokens:
        """Sign in again, verify a code of the secret ``begin_mfa_setup`` gave, turn
        TOTP on (and preferred), and return the tokens of this sign-in."""
        outcome = self.login(username, password)
        if not isinstance(outcome, Tokens):
            # TOTP is already on (a code is asked for), or the password is temporary.
            raise MfaSessionRefused
        verified = self._by_token(
            "VerifySoftwareToken", outcome, UserCode=code, FriendlyDeviceName=TOTP_DEVICE_NAME
        )
        if verified.get("Status") != "SUCCESS":
            raise MfaCodeRefused
        self._by_token(
            "SetUserMFAPreference",
            outcome,
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        )
        logger.info("An officer set up TOTP")
        return outcome

    def _respond(
        self,
        challenge: str,
        session: str,
        responses: dict[str, str],
        refused_codes: frozenset[str],
        refused: type[Exception],
    ) -> LoginOutcome:
        """RespondToAuthChallenge; a refused session raises ``refused``."""
        result = self._call(
            "RespondToAuthChallenge",
            refused_codes,
            refused,
            ChallengeName=challenge,
            Session=session,
            ChallengeResponses=responses,
        )
        return self._outcome(result, refused=refused)

    def _by_token(self, operation: str, tokens: Tokens, **kwargs: Any) -> dict[str, Any]:
        """A software-token call the access token of ``tokens`` authorises; refused
        only when the account was disabled or signed out since (the login's 401)."""
        return self._call(
            operation, _TOKEN_REFUSED, LoginRefused, AccessToken=tokens.access_token, **kwargs
        )

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
        if operation in _CLIENT_CALLS:
            kwargs["ClientId"] = self._client_id
        try:
            result: dict[str, Any] = method(**kwargs)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in refused_codes:
                logger.info("Cognito refused the credentials", extra={"cognito_error": code})
                raise refused from None
            if code in _PASSWORD_REFUSED:
                raise PasswordRejected from None
            if code in _CODE_REFUSED:
                logger.info("Cognito refused a TOTP code", extra={"cognito_error": code})
                raise MfaCodeRefused from None
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
    def _outcome(result: dict[str, Any], *, refused: type[Exception]) -> LoginOutcome:
        challenge = result.get("ChallengeName")
        if challenge == NEW_PASSWORD_REQUIRED and result.get("Session"):
            return NewPasswordChallenge(session=str(result["Session"]))
        if challenge == SOFTWARE_TOKEN_MFA and result.get("Session"):
            return MfaChallenge(session=str(result["Session"]))
        if challenge:
            # A step this API does not offer (SMS MFA is off; the pool's MFA is OPTIONAL,
            # so Cognito never answers MFA_SETUP).
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

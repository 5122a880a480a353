"""Give moto's Cognito the TOTP (software token) MFA that real Cognito has.

moto 5.2.5 implements the calls (AssociateSoftwareToken, VerifySoftwareToken,
SetUserMFAPreference, AdminSetUserMFAPreference, RespondToAuthChallenge with
SOFTWARE_TOKEN_MFA and MFA_SETUP) but fakes what matters for a second factor:

- every user gets the **same** secret (``COGNITO_TOTP_MFA_SECRET``), where Cognito
  generates one per association;
- codes are checked only when ``MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true``, and then
  against that shared secret; otherwise **any code is accepted**;
- a challenge's session never expires, where Cognito's lasts the app client's
  ``AuthSessionValidity`` minutes (3 to 15, default 3).

A stand-in that accepts any code would make our MFA tests unable to fail, so the local
stack and the tests replace those parts, as the Cognito API reference documents them:

- AssociateSoftwareToken returns a new random secret (32 base32 characters) for the
  user of the access token (or of the session, then with a new session); the secret
  is pending until verified, and a new association replaces it.
- VerifySoftwareToken checks the code against that pending secret (RFC 6238, one
  30-second step either side); a wrong code is ``EnableSoftwareTokenMFAException``
  ("a code mismatch and the service fails to configure the software token"); a right
  one makes the secret the user's and answers ``Status: SUCCESS``.
- RespondToAuthChallenge(SOFTWARE_TOKEN_MFA) checks the code against the user's
  verified secret; a wrong code is ``CodeMismatchException``.
- Any RespondToAuthChallenge with a session older than the client's
  ``AuthSessionValidity`` minutes, or one Cognito never issued, is
  ``NotAuthorizedException`` ("Invalid session for the user, session is expired.").

Not modelled: Cognito's lockout after repeated failures (its thresholds are not
documented); the auth function maps the NotAuthorizedException it answers to the same
401 as an expired session.

One local-only addition, which real Cognito cannot do: ``preset_secret`` makes the next
association of one user return a chosen secret, so the demo verifier and admin have
TOTP set up from the published demo secret (tools/local/accounts.py). It goes through
the same API calls as any officer's setup.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

from moto.core.exceptions import JsonRESTError

from tools.local import totp

_APPLIED_MARK = "_pendopo_totp"
_PENDING = "_pendopo_pending_totp"
_VERIFIED = "_pendopo_verified_totp"
DEFAULT_SESSION_MINUTES = 3

_LOCK = threading.RLock()
_PRESETS: dict[str, str] = {}
_SESSION_STARTED: dict[str, float] = {}


def _now() -> float:
    return time.time()


# Tests move this clock to expire sessions and to compute codes at a given time.
clock: Callable[[], float] = _now


class EnableSoftwareTokenMfaError(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("EnableSoftwareTokenMFAException", "Code mismatch")


def preset_secret(username: str, secret: str) -> None:
    """Local only: the next AssociateSoftwareToken of ``username`` returns ``secret``."""
    with _LOCK:
        _PRESETS[username.lower()] = secret


def _user_of_token(backend: Any, access_token: str) -> Any:
    from moto.cognitoidp.exceptions import NotAuthorizedError

    for pool in backend.user_pools.values():
        if access_token in pool.access_tokens:
            _, username = pool.access_tokens[access_token]
            return backend.admin_get_user(pool.id, username)
    raise NotAuthorizedError("Invalid Access Token")


def _session_user(backend: Any, session: str) -> Any:
    username, pool = backend.sessions[session]
    return backend.admin_get_user(pool.id, username)


def _check_session(backend: Any, session: str, client_id: str) -> None:
    from moto.cognitoidp.exceptions import NotAuthorizedError

    expired = NotAuthorizedError("Invalid session for the user, session is expired.")
    if session not in backend.sessions:
        raise expired
    _, pool = backend.sessions[session]
    client = pool.clients.get(client_id)
    minutes = (client.extended_config if client else {}).get(
        "AuthSessionValidity", DEFAULT_SESSION_MINUTES
    )
    with _LOCK:
        started = _SESSION_STARTED.get(session)
    if started is not None and clock() - started > int(minutes) * 60:
        raise expired


def _remember_session(result: Any) -> Any:
    if isinstance(result, dict) and result.get("Session"):
        with _LOCK:
            _SESSION_STARTED[str(result["Session"])] = clock()
    return result


def _associate(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def associate(self: Any, access_token: str, session: str) -> dict[str, str]:
        result = dict(original(self, access_token, session))  # moto's checks and session
        user = _session_user(self, session) if session else _user_of_token(self, access_token)
        with _LOCK:
            secret = _PRESETS.pop(user.username.lower(), None) or totp.new_secret()
        setattr(user, _PENDING, secret)
        result["SecretCode"] = secret
        if session:
            return _remember_session(result)
        return result

    return associate


def _verify(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def verify(
        self: Any, access_token: str, session: str, user_code: str, friendly_device_name: str
    ) -> dict[str, str]:
        user = _session_user(self, session) if session else _user_of_token(self, access_token)
        pending = getattr(user, _PENDING, None)
        if not pending or not totp.matches(pending, str(user_code), clock()):
            raise EnableSoftwareTokenMfaError
        result = dict(original(self, access_token, session, user_code, friendly_device_name))
        setattr(user, _VERIFIED, pending)
        setattr(user, _PENDING, None)
        if session:
            return _remember_session(result)
        # Cognito answers a verification by access token without a session.
        result.pop("Session", None)
        return result

    return verify


def _respond(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def respond(
        self: Any,
        session: str,
        client_id: str,
        challenge_name: str,
        challenge_responses: dict[str, str],
    ) -> dict[str, Any]:
        from moto.cognitoidp.exceptions import CodeMismatchException

        if challenge_name != "PASSWORD_VERIFIER":
            _check_session(self, session, client_id)
        if challenge_name == "SOFTWARE_TOKEN_MFA":
            user = _session_user(self, session)
            secret = getattr(user, _VERIFIED, None)
            code = str(challenge_responses.get("SOFTWARE_TOKEN_MFA_CODE") or "")
            if not secret or not totp.matches(secret, code, clock()):
                raise CodeMismatchException("Invalid code received for user")
        return _remember_session(
            original(self, session, client_id, challenge_name, challenge_responses)
        )

    return respond


def _initiate(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def initiate(self: Any, *args: Any, **kwargs: Any) -> Any:
        return _remember_session(original(self, *args, **kwargs))

    return initiate


def install_cognito_mfa() -> None:
    """Patch moto's Cognito backend in this process (idempotent)."""
    from moto.cognitoidp.models import CognitoIdpBackend

    if getattr(CognitoIdpBackend, _APPLIED_MARK, False):
        return
    backend: Any = CognitoIdpBackend
    backend.associate_software_token = _associate(backend.associate_software_token)
    backend.verify_software_token = _verify(backend.verify_software_token)
    backend.respond_to_auth_challenge = _respond(backend.respond_to_auth_challenge)
    backend.initiate_auth = _initiate(backend.initiate_auth)
    setattr(CognitoIdpBackend, _APPLIED_MARK, True)

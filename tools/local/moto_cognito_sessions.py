"""Give moto's Cognito the session behaviour real Cognito has: lifetimes and revocation.

moto 5 (the local stack's and the tests' stand-in) issues every access and id token
for one hour and every refresh token forever, whatever the app client says, and has
no ``RevokeToken``. Real Cognito (API reference: CreateUserPoolClient, RevokeToken,
InitiateAuth) does this, and so does moto once ``install()`` has run:

- **Token lifetimes** come from the app client: ``AccessTokenValidity``,
  ``IdTokenValidity`` and ``RefreshTokenValidity`` in ``TokenValidityUnits``
  (``seconds | minutes | hours | days``). Without them, Cognito's defaults: access and
  id tokens 1 hour, refresh tokens 30 days (units default to hours, hours, days). The
  token's ``exp`` and the answer's ``ExpiresIn`` say the access token's lifetime.
- **An expired refresh token** is refused by ``InitiateAuth``/``AdminInitiateAuth``
  (``REFRESH_TOKEN_AUTH``) with ``NotAuthorizedException`` "Refresh Token has expired".
- **RevokeToken** (``Token``, ``ClientId``, ``ClientSecret``): answers 200 with an empty
  body and revokes the refresh token and the access and id tokens issued from it; a
  later ``REFRESH_TOKEN_AUTH`` with it is ``NotAuthorizedException`` (moto's own "Refresh
  Token has been revoked"). Errors, as documented: ``UnsupportedOperationException``
  when the client has ``EnableTokenRevocation`` false; ``UnauthorizedException`` when a
  client with a secret sends a wrong one, or the token was issued to another client; an
  unknown ``ClientId`` is ``ResourceNotFoundException`` (as moto answers InitiateAuth).
  A token that is unknown or already revoked answers 200, as OAuth revocation does
  (RFC 7009, section 2.2: "invalid tokens do not cause an error response").
- ``GlobalSignOut`` and ``AdminUserGlobalSignOut`` are moto's own: they revoke every
  refresh token of the user (tests pin that they do).

The refresh tokens' age is read from ``clock`` (``time.time`` unless a test sets
another with ``set_clock``), so a test can move past the 12 hours without sleeping.
Like ``moto_isolation``, this fixes the stand-in, not our code; the local stack and
the integration tests call ``install()``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import time
from collections.abc import Callable
from typing import Any

_APPLIED_MARK = "_pendopo_sessions"
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# token use -> (validity parameter, TokenValidityUnits key, default value, default unit)
_VALIDITY = {
    "access": ("AccessTokenValidity", "AccessToken", 1, "hours"),
    "id": ("IdTokenValidity", "IdToken", 1, "hours"),
    "refresh": ("RefreshTokenValidity", "RefreshToken", 30, "days"),
}
_REFRESH_FLOWS = frozenset({"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"})

# When each refresh token was issued, by the token (moto's are unique UUIDs).
_ISSUED: dict[str, float] = {}
_clock: Callable[[], float] = time.time


def set_clock(clock: Callable[[], float]) -> None:
    """Read refresh tokens' age from ``clock`` (seconds since the epoch)."""
    global _clock
    _clock = clock


def validity_seconds(client_config: dict[str, Any], token_use: str) -> int:
    """A token's lifetime as the app client configures it, or Cognito's default."""
    parameter, unit_key, default, default_unit = _VALIDITY[token_use]
    value = client_config.get(parameter)
    units = client_config.get("TokenValidityUnits") or {}
    if value is None:
        value, unit = default, default_unit
    else:
        unit = units.get(unit_key, default_unit)
    return int(value) * _UNIT_SECONDS[unit]


def _client_config(pool: Any, client_id: str) -> dict[str, Any] | None:
    client = pool.clients.get(client_id)
    return dict(client.extended_config) if client is not None else None


def _lifetimes(create_jwt: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(create_jwt)
    def wrapped(
        pool: Any, client_id: str, username: str, token_use: str, *args: Any, **kwargs: Any
    ) -> Any:
        config = _client_config(pool, client_id)
        if config is not None and token_use in ("access", "id"):
            kwargs["expires_in"] = validity_seconds(config, token_use)
            args = args[1:]  # a positional expires_in gives way to the client's
        return create_jwt(pool, client_id, username, token_use, *args, **kwargs)

    return wrapped


def _remember_issue(create_refresh_token: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(create_refresh_token)
    def wrapped(pool: Any, client_id: str, username: str) -> Any:
        token, origin_jti = create_refresh_token(pool, client_id, username)
        _ISSUED[token] = _clock()
        return token, origin_jti

    return wrapped


def _pool_of_client(backend: Any, client_id: str) -> Any:
    return next((p for p in backend.user_pools.values() if client_id in p.clients), None)


def _refuse_expired(pool: Any, client_id: str, auth_flow: str, parameters: Any) -> None:
    from moto.cognitoidp.exceptions import NotAuthorizedError

    if auth_flow not in _REFRESH_FLOWS or pool is None or not isinstance(parameters, dict):
        return
    token = parameters.get("REFRESH_TOKEN")
    issued = _ISSUED.get(str(token))
    config = _client_config(pool, client_id)
    if issued is None or config is None or pool.refresh_tokens.get(token) is None:
        return  # unknown or revoked: moto's own answer
    if _clock() >= issued + validity_seconds(config, "refresh"):
        raise NotAuthorizedError("Refresh Token has expired")


def _initiate_auth(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapped(
        backend: Any, client_id: str, auth_flow: str, auth_parameters: Any, *args: Any
    ) -> Any:
        _refuse_expired(_pool_of_client(backend, client_id), client_id, auth_flow, auth_parameters)
        return method(backend, client_id, auth_flow, auth_parameters, *args)

    return wrapped


def _admin_initiate_auth(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapped(
        backend: Any,
        user_pool_id: str,
        client_id: str,
        auth_flow: str,
        auth_parameters: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        pool = backend.user_pools.get(user_pool_id)
        _refuse_expired(pool, client_id, auth_flow, auth_parameters)
        return method(backend, user_pool_id, client_id, auth_flow, auth_parameters, *args, **kwargs)

    return wrapped


def _claims(token: str) -> dict[str, Any]:
    try:
        payload = token.split(".")[1]
        decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return {}
    return decoded if isinstance(decoded, dict) else {}


def revoke_token(backend: Any, token: str, client_id: str, client_secret: str | None) -> None:
    """RevokeToken on one region's backend, as the API reference describes it."""
    from moto.cognitoidp.exceptions import ResourceNotFoundError
    from moto.core.exceptions import JsonRESTError

    pool = _pool_of_client(backend, client_id)
    if pool is None:
        raise ResourceNotFoundError(client_id)
    client = pool.clients[client_id]
    if not client.extended_config.get("EnableTokenRevocation", True):
        raise JsonRESTError(
            "UnsupportedOperationException", "Token revocation is not enabled for this client."
        )
    if client.generate_secret and client_secret != client.secret:
        raise JsonRESTError("UnauthorizedException", "Invalid client secret.")
    held = pool.refresh_tokens.get(token)
    if held is None:
        return  # unknown or already revoked: nothing to do (RFC 7009, 2.2)
    issued_to, _username, origin_jti = held
    if issued_to != client_id:
        raise JsonRESTError("UnauthorizedException", "The token was issued to another client.")
    pool.refresh_tokens[token] = None
    for issued in (pool.access_tokens, pool.id_tokens):
        for jwt in [t for t in issued if _claims(t).get("origin_jti") == origin_jti]:
            issued.pop(jwt, None)


def _revoke_token_action(responses: Any) -> Any:
    from moto.core.responses import EmptyResult

    token = str(responses._get_param("Token") or "")
    client_id = str(responses._get_param("ClientId") or "")
    secret = responses._get_param("ClientSecret")
    backend = responses._get_region_agnostic_backend()._find_backend_for_clientid(client_id)
    revoke_token(backend, token, client_id, secret)
    return EmptyResult()


def install() -> None:
    """Patch moto's Cognito once (idempotent); the stack and the tests call this."""
    from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUserPool
    from moto.cognitoidp.responses import CognitoIdpResponse

    if getattr(CognitoIdpUserPool, _APPLIED_MARK, False):
        return
    CognitoIdpUserPool.create_jwt = _lifetimes(CognitoIdpUserPool.create_jwt)  # type: ignore[method-assign]
    CognitoIdpUserPool.create_refresh_token = _remember_issue(  # type: ignore[method-assign]
        CognitoIdpUserPool.create_refresh_token
    )
    CognitoIdpBackend.initiate_auth = _initiate_auth(CognitoIdpBackend.initiate_auth)  # type: ignore[method-assign]
    CognitoIdpBackend.admin_initiate_auth = _admin_initiate_auth(  # type: ignore[method-assign]
        CognitoIdpBackend.admin_initiate_auth
    )
    CognitoIdpResponse.revoke_token = _revoke_token_action  # type: ignore[attr-defined]
    setattr(CognitoIdpUserPool, _APPLIED_MARK, True)

"""What the HttpApi JWT authorizer checks, for the local gateway.

API Gateway's workflow for a route with a JWT authorizer: take the token from the
identity source (with or without a "Bearer " prefix), check its RS256 signature
against the issuer's JWKS (by ``kid``), then ``iss`` equal to the configured
issuer, ``aud`` or ``client_id`` one of the configured audiences, ``exp`` after
now, ``nbf`` and ``iat`` before now. Any failure is 401 {"message":"Unauthorized"}
and the function never runs. On success the claims reach the function as strings
(see ``claims_for_event``).

The JWKS is fetched once, on first use, and cached; the clock is injectable so a
test can check an expired token without waiting.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

import jwt

from pendopo.domain.clock import Clock, SystemClock

ALGORITHMS = ["RS256"]


class Unauthorized(Exception):
    """The token is missing or fails a check; the message says which (for logs only)."""


def cognito_issuer(region: str, user_pool_id: str) -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"


class JwtVerifier:
    """Checks bearer tokens against one issuer, its audiences and its key set.

    ``jwks_url`` is fetched once (lazily); or pass ``jwks`` (the key set document).
    """

    def __init__(
        self,
        *,
        issuer: str,
        audiences: Collection[str],
        jwks_url: str | None = None,
        jwks: Mapping[str, Any] | None = None,
        clock: Clock | None = None,
    ) -> None:
        if jwks_url is None and jwks is None:
            raise ValueError("a JWKS URL or a JWKS document is needed")
        self.issuer = issuer
        self.audiences = frozenset(audiences)
        self.clock: Clock = clock or SystemClock()
        self._jwks_url = jwks_url
        self._keys: dict[str, Any] | None = _keys(jwks) if jwks is not None else None
        self._lock = threading.Lock()

    def verify(self, authorization: str | None) -> dict[str, Any]:
        """The token's claims, or Unauthorized."""
        token = _bearer_token(authorization)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthorized("malformed token") from error
        if header.get("alg") not in ALGORITHMS:
            raise Unauthorized("unsupported algorithm")
        key = self._signing_keys().get(str(header.get("kid")))
        if key is None:
            raise Unauthorized("unknown signing key")
        try:
            # Signature (and structure) here; the time claims against our clock below.
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                options={
                    "verify_signature": True,
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_aud": False,
                    "verify_iss": False,
                },
            )
        except jwt.PyJWTError as error:
            raise Unauthorized("bad signature") from error
        if claims.get("iss") != self.issuer:
            raise Unauthorized("wrong issuer")
        if not self._audience_matches(claims):
            raise Unauthorized("wrong audience")
        self._check_times(claims, self.clock.now())
        return claims

    def _audience_matches(self, claims: Mapping[str, Any]) -> bool:
        aud = claims.get("aud")
        audiences = aud if isinstance(aud, list) else [aud] if aud is not None else []
        candidates = [*audiences, claims.get("client_id")]
        return any(isinstance(c, str) and c in self.audiences for c in candidates)

    @staticmethod
    def _check_times(claims: Mapping[str, Any], now: datetime) -> None:
        moment = now.timestamp()
        exp = _number(claims, "exp", required=True)
        if exp is None or moment >= exp:
            raise Unauthorized("expired")
        for name in ("nbf", "iat"):
            value = _number(claims, name, required=False)
            if value is not None and value > moment:
                raise Unauthorized(f"{name} in the future")

    def _signing_keys(self) -> dict[str, Any]:
        with self._lock:
            if self._keys is None:
                assert self._jwks_url is not None
                self._keys = _keys(_fetch_json(self._jwks_url))
            return self._keys


def _bearer_token(authorization: str | None) -> str:
    if not authorization or not authorization.strip():
        raise Unauthorized("no token")
    value = authorization.strip()
    scheme, _, rest = value.partition(" ")
    if scheme.lower() == "bearer":
        value = rest.strip()
    if not value or " " in value:
        raise Unauthorized("malformed authorization header")
    return value


def _number(claims: Mapping[str, Any], name: str, *, required: bool) -> float | None:
    value = claims.get(name)
    if value is None:
        if required:
            raise Unauthorized(f"no {name}")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Unauthorized(f"{name} is not a number")
    return float(value)


def _keys(document: Mapping[str, Any]) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    for entry in document.get("keys", []):
        if entry.get("kty") == "RSA" and entry.get("kid"):
            keys[str(entry["kid"])] = jwt.PyJWK.from_dict(dict(entry), algorithm="RS256").key
    return keys


def _fetch_json(url: str) -> dict[str, Any]:
    if not url.startswith(("http://127.0.0.1", "http://localhost")):
        # The local gateway only ever fetches moto's key set on loopback.
        raise ValueError(f"refusing to fetch a JWKS from {url}")
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        document: dict[str, Any] = json.loads(response.read())
    return document


def claims_for_event(claims: Mapping[str, Any]) -> dict[str, str]:
    """Claims as HTTP APIs hand them to Lambda: every value a string.

    Numbers become their decimal text ("1700000000"), booleans "true"/"false", and
    lists Go-style "[a b]" (so ``cognito:groups`` arrives as "[koordinator BIRO_PLH]").
    """
    return {name: _flatten(value) for name, value in claims.items()}


def _flatten(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | tuple):
        return "[" + " ".join(_flatten(item) for item in value) + "]"
    if isinstance(value, dict):
        inner = " ".join(f"{k}:{_flatten(v)}" for k, v in sorted(value.items()))
        return f"map[{inner}]"
    return "" if value is None else str(value)

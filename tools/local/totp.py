"""RFC 6238 TOTP codes (HMAC-SHA1, 30 s steps, 6 digits), as authenticator apps and
Cognito's software tokens compute them.

A few lines of the standard library rather than a dependency: the local stack's
Cognito stand-in (tools/local/moto_cognito_mfa.py), the demo loader, the benchmarks
and the tests only need to *compute* and *check* codes, and the RFC's own test
vectors pin this (tests/unit/test_totp.py, which also compares it with the
``cryptography`` package's TOTP that moto uses). Nothing in the deployed layer needs
it: Cognito checks the codes there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

STEP_SECONDS = 30
DIGITS = 6


def _key(secret: str) -> bytes:
    """A base32 secret as apps accept it: any case, padding optional."""
    cleaned = secret.strip().replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def code_at(secret: str, unix_time: float, digits: int = DIGITS) -> str:
    """The code for the 30-second step holding ``unix_time`` (RFC 6238 section 4)."""
    return _hotp(_key(secret), int(unix_time // STEP_SECONDS), digits)


def _hotp(key: bytes, counter: int, digits: int) -> str:
    """RFC 4226 section 5.3: HMAC-SHA1 of the counter, dynamically truncated."""
    mac = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def current_code(secret: str) -> str:
    """The code an authenticator app shows now."""
    return code_at(secret, time.time())


def matches(secret: str, code: str, unix_time: float, window: int = 1) -> bool:
    """Whether ``code`` is the code of the step at ``unix_time`` or of one of the
    ``window`` steps either side (RFC 6238 section 5.2: one step of delay allowed)."""
    if len(code) != DIGITS or not code.isdigit():
        return False
    return any(
        hmac.compare_digest(code, code_at(secret, unix_time + step * STEP_SECONDS))
        for step in range(-window, window + 1)
    )


def new_secret() -> str:
    """A random secret as Cognito hands out: 32 base32 characters (160 bits)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")

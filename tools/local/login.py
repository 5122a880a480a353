"""Log a demo officer in over HTTP, as the console does: the password, then, for an
account with TOTP (the demo verifier and admin), a code computed from the published
demo secret. One helper for the tests, the demo loader, the benchmarks and the
screenshots (every login call site that needs tokens)."""

from __future__ import annotations

from typing import Any

import requests

from tools.local import totp
from tools.local.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET


class LoginFailed(RuntimeError):
    """The login did not end with tokens; the message has the status and body."""


def log_in(
    api_url: str,
    email: str,
    password: str = DEMO_PASSWORD,
    *,
    totp_secret: str = DEMO_TOTP_SECRET,
    http: Any = requests,
    timeout: float = 30.0,
) -> dict[str, Any]:
    """The tokens answer of ``/v1/auth/login``, through ``/v1/auth/mfa`` when a code is
    asked for. Raises ``LoginFailed`` on any other answer (MFA_SETUP included)."""
    answer = http.post(
        f"{api_url}/v1/auth/login", json={"email": email, "password": password}, timeout=timeout
    )
    body = _tokens_or_challenge(answer)
    if body.get("challenge") == "SOFTWARE_TOKEN_MFA":
        answer = http.post(
            f"{api_url}/v1/auth/mfa",
            json={
                "email": email,
                "session": body["session"],
                "code": totp.current_code(totp_secret),
            },
            timeout=timeout,
        )
        body = _tokens_or_challenge(answer)
    if "access_token" not in body:
        raise LoginFailed(f"login as {email} ended with the challenge {body.get('challenge')}")
    return body


def _tokens_or_challenge(answer: Any) -> dict[str, Any]:
    if answer.status_code != 200:
        raise LoginFailed(f"login answered {answer.status_code}: {answer.text[:200]}")
    return dict(answer.json())


def bearer(api_url: str, email: str, **kwargs: Any) -> dict[str, str]:
    """The Authorization header of a demo officer."""
    return {"Authorization": f"Bearer {log_in(api_url, email, **kwargs)['access_token']}"}

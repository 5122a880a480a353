"""A function's handler called as API Gateway calls it: the v2 event, the officer's
claims as the JWT authorizer passes them, and the decoded answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tools.local.events import http_api_event, lambda_context


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


def officer_claims(username: str, *groups: str) -> dict[str, str]:
    """Claims as the HttpApi JWT authorizer passes them: every value a string,
    lists flattened to "[a b]"."""
    return {
        "sub": f"sub-{username}",
        "username": username,
        "cognito:groups": "[" + " ".join(groups) + "]",
        "token_use": "access",
        "client_id": "local-client",
        "exp": "4102444800",
    }


def call(module: Any, method: str, path: str, **kwargs: Any) -> Answer:
    """Invoke a function's handler as API Gateway would, and decode its answer.

    ``claims=`` plays the authorizer: the verified token's claims reach the handler.
    """
    if "claims" in kwargs:
        kwargs["authorizer_claims"] = kwargs.pop("claims")
    body = kwargs.pop("json", None)
    headers = dict(kwargs.pop("headers", {}))
    if body is not None:
        kwargs["body"] = json.dumps(body)
        headers.setdefault("content-type", "application/json")
    event = http_api_event(method, path, headers=headers, **kwargs)
    result = module.lambda_handler(event, lambda_context("IntakeFunction"))
    text = result.get("body") or ""
    content_type = {k.lower(): v for k, v in (result.get("headers") or {}).items()}.get(
        "content-type", ""
    )
    decoded = json.loads(text) if text and "json" in content_type else text
    return Answer(status=result["statusCode"], headers=result.get("headers") or {}, body=decoded)

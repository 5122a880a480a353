"""Integration fixtures: moto's DynamoDB in-process, handlers called with real v2 events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.template import create_tables
from pendopo.domain.clock import FixedClock
from pendopo.storage.connection import bind_table
from tests.conftest import TEST_TABLE
from tools.local.events import http_api_event, lambda_context
from tools.local.moto_isolation import serialize_moto_dynamodb

# Tuesday 10 June 2025, 08:00 WIB: the Pendopo desks are open.
DESK_HOURS_MORNING = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    serialize_moto_dynamodb()
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-southeast-3")
        create_tables(client, TEST_TABLE)
        bind_table(TEST_TABLE, "ap-southeast-3", None)
        yield client


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DESK_HOURS_MORNING)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


@pytest.fixture
def intake(dynamodb: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The intake function's module, its clock pinned to ``clock``."""
    from functions.intake import app
    from pendopo.services.intake import IntakeService
    from pendopo.storage.complaints import ComplaintStore

    monkeypatch.setattr(app, "clock", clock)
    monkeypatch.setattr(app, "service", IntakeService(ComplaintStore(), app.rules, clock))
    return app


@pytest.fixture
def route(dynamodb: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The officer route function's module, its clock pinned to ``clock``."""
    from functions.route import app
    from pendopo.services.workflow import WorkflowService
    from pendopo.storage.complaints import ComplaintStore

    monkeypatch.setattr(app, "clock", clock)
    monkeypatch.setattr(app, "service", WorkflowService(ComplaintStore(), app.taxonomy, clock))
    return app


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


# ------------------------------------------------------------------ officer accounts


@dataclass
class OfficerPool:
    cognito: Any
    user_pool_id: str
    client_id: str


@pytest.fixture(scope="module")
def officer_pool() -> Iterator[OfficerPool]:
    """moto's Cognito with the template's pool, client and groups and the demo accounts.

    One pool per test module (creating 16 accounts takes ~0.4 s): tests that change
    an account use an account of their own.
    """
    from tools.local.accounts import provision_accounts

    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="ap-southeast-3")
        created = provision_accounts(cognito, "test")
        yield OfficerPool(cognito, created.user_pool_id, created.client_id)


@pytest.fixture
def auth(officer_pool: OfficerPool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The auth function's module, talking to the test pool's app client."""
    from functions.auth import app
    from pendopo.services.accounts import AccountsService

    monkeypatch.setattr(
        app, "service", AccountsService(officer_pool.cognito, officer_pool.client_id)
    )
    return app

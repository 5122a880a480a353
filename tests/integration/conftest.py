"""Integration fixtures: moto's DynamoDB in-process, handlers called with real v2 events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.template import create_tables
from pendopo.domain.clock import FixedClock
from pendopo.storage.connection import bind_table
from tests.support.constants import DESK_HOURS_MORNING, TEST_TABLE
from tests.support.officer_pool import OfficerPool
from tools.local.moto_isolation import serialize_moto_dynamodb
from tools.local.streams import StreamPoller


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    serialize_moto_dynamodb()
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-southeast-3")
        create_tables(client, TEST_TABLE)
        bind_table(TEST_TABLE, "ap-southeast-3", None)
        yield client


# The notify function's tests (test_notify_stream, test_reporter_messages_stream):
# moto's SES with the sender verified, and the table's stream read from its start.
@pytest.fixture
def ses(dynamodb: Any) -> Any:
    client = boto3.client("ses", region_name="ap-southeast-3")
    client.verify_email_identity(EmailAddress="pendopo@pendopo.example")
    return client


@pytest.fixture
def stream(dynamodb: Any) -> Iterator[StreamPoller]:
    poller = StreamPoller(
        dynamodb_client=dynamodb,
        streams_client=boto3.client("dynamodbstreams", region_name="ap-southeast-3"),
        table_name=TEST_TABLE,
        handler=lambda event, context: None,  # tests read records, they do not deliver here
    )
    poller.attach("TRIM_HORIZON")
    yield poller


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DESK_HOURS_MORNING)


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


# ------------------------------------------------------------------ officer accounts


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

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
from tools.local import moto_cognito_sessions
from tools.local.moto_isolation import serialize_moto_dynamodb


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


@pytest.fixture
def intake(dynamodb: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The intake function's module, its clock pinned to ``clock``."""
    from functions.intake import app
    from pendopo.runtime.bootstrap import open311_read_service
    from pendopo.services.intake import IntakeService
    from pendopo.storage.complaints import ComplaintStore

    monkeypatch.setattr(app, "clock", clock)
    monkeypatch.setattr(app, "service", IntakeService(ComplaintStore(), app.rules, clock))
    monkeypatch.setattr(app, "open311", open311_read_service(app.rules.taxonomy, clock))
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

    One pool per test module (creating 21 accounts takes ~0.5 s): tests that change
    an account use an account of their own.
    """
    from tools.local.accounts import provision_accounts

    moto_cognito_sessions.install()  # token lifetimes and RevokeToken, as Cognito has them
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


# ------------------------------------------------------------------ the notify stream
# (test_notify_stream, test_reporter_messages_stream, test_reporter_loop): moto's SES with
# the sender verified, the notify function's module, the table's stream from its start.


@pytest.fixture
def ses(dynamodb: Any) -> Any:
    from tests.support.notify_stream import verified_ses

    return verified_ses()


@pytest.fixture
def notify(ses: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The notify function's module with a fresh service (real SES v2 on moto)."""
    from tests.support.notify_stream import fresh_notify_app

    app, service = fresh_notify_app(clock)
    monkeypatch.setattr(app, "service", service)
    return app


@pytest.fixture
def stream(dynamodb: Any) -> Iterator[Any]:
    """A poller on the test table's stream; tests read its records and deliver them."""
    from tests.support.notify_stream import attached_poller

    yield attached_poller(dynamodb)

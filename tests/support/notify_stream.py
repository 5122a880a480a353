"""The notify function fed from moto's DynamoDB stream: its settings, a complaint
created as intake creates it, the stream records since the last read, and the
Lambda stream event built from them."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import boto3

from pendopo.domain.clock import FixedClock
from pendopo.domain.complaint import AuditEvent, Channel, PublicSubmission
from pendopo.domain.status import Action, Role, Status
from pendopo.runtime.bootstrap import build_intake_rules
from pendopo.runtime.settings import Settings
from pendopo.services.intake import IntakeService
from pendopo.storage.complaints import ComplaintStore, _event_item, event_sort_key
from pendopo.storage.items import COMPLAINT_SK, ComplaintItem, complaint_pk
from tests.support.citizen import complaint_body
from tests.support.constants import TEST_TABLE
from tests.support.mail import CONSOLE, REGION, SENDER
from tools.local.events import lambda_context
from tools.local.streams import StreamPoller, lambda_stream_event

NAME, NIK, PHONE, EMAIL = "Rahmat Hidayat", "3171012501900003", "0813-9988-7766", "rahmat@mail.id"


def notify_settings() -> Settings:
    return Settings.from_env().model_copy(update={"console_url": CONSOLE})


def verified_ses() -> Any:
    """Moto's SES with the stage's sender verified, as the notify function needs it."""
    client = boto3.client("ses", region_name=REGION)
    client.verify_email_identity(EmailAddress=SENDER)
    return client


def fresh_notify_app(clock: FixedClock) -> Any:
    """The notify function's module with a fresh service (real SES v2 on moto).

    The caller restores ``service`` (a fixture's monkeypatch) after the test.
    """
    from functions.notify import app

    return app, app.build_service(notify_settings(), clock=clock)


def attached_poller(dynamodb: Any) -> StreamPoller:
    """A poller of the test table's stream from its start (TRIM_HORIZON); the tests read
    its records themselves (``read_records``) and deliver them as they need."""
    poller = StreamPoller(
        dynamodb_client=dynamodb,
        streams_client=boto3.client("dynamodbstreams", region_name=REGION),
        table_name=TEST_TABLE,
        handler=lambda event, context: None,
    )
    poller.attach("TRIM_HORIZON")
    return poller


def read_records(stream: StreamPoller) -> list[dict[str, Any]]:
    """Every stream record written since the last read, as the dynamodbstreams API gives it."""
    return [record for shard_id in list(stream._positions) for record in stream._read(shard_id)]


def invoke(app: Any, records: list[dict[str, Any]], stream: StreamPoller) -> dict[str, Any]:
    event = json.loads(json.dumps(lambda_stream_event(records, stream.stream_arn)))
    result: dict[str, Any] = app.lambda_handler(event, lambda_context("NotifyFunction", 60))
    return result


def submit(clock: FixedClock, **overrides: Any) -> str:
    """The citizen's complaint (tests.support.citizen) from this reporter, on the web about a
    road: created as intake creates it; its ticket."""
    reporter = {"name": NAME, "nik": NIK, "phone": PHONE, "email": EMAIL}
    body = complaint_body(channel="web", category="ROAD", reporter=reporter)
    body.update(overrides)
    service = IntakeService(ComplaintStore(), build_intake_rules(notify_settings()), clock)
    submitted = service.submit(
        PublicSubmission.model_validate(body), Channel.WEB, f"key-{uuid.uuid4()}"
    )
    return submitted.receipt.ticket


def officer_event(
    clock: FixedClock,
    ticket: str,
    action: Action,
    to_status: Status,
    unit: str = "BIRO_PLH",
    note: str | None = None,
    **complaint_changes: Any,
) -> None:
    """What the officer workflow writes: the complaint updated, one audit event inserted."""
    clock.advance(timedelta(minutes=5))
    item = ComplaintItem.get(complaint_pk(ticket), COMPLAINT_SK)
    item.update(
        actions=[
            ComplaintItem.status.set(to_status.value),
            ComplaintItem.unit.set(unit),
            ComplaintItem.version.add(1),
            *(getattr(ComplaintItem, k).set(v) for k, v in complaint_changes.items()),
        ]
    )
    event = AuditEvent(
        ticket=ticket,
        at=clock.now(),
        actor="officer-1",
        role=Role.VERIFIER,
        action=action,
        from_status=None,
        to_status=to_status,
        unit=unit,
        note=note,
    )
    _event_item(event).save()
    assert event_sort_key(event).startswith("E#")

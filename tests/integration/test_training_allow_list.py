"""The training stage's email allow-list, where mail is sent: moto's stream -> notify -> SES.

With training on, a recipient not on the list gets nothing: the email is neither sent
nor claimed, it is counted (``dropped_not_allowed``) and logged without the address.
Off (production), the list does not apply.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from pendopo.domain.clock import FixedClock
from tests.support.constants import TEST_TABLE
from tests.support.mail import REGION, SENDER, outbox
from tests.support.notify_stream import (
    attached_poller,
    invoke,
    notify_settings,
    read_records,
    submit,
)
from tools.local.accounts import demo_email
from tools.local.streams import StreamPoller

# recipients.json's addresses for a road complaint (Biro PLH): its coordinator, the verifier.
PLH, VERIFIER = demo_email("koordinator", "BIRO_PLH"), demo_email("verifikator", "BIRO_PEM")


@pytest.fixture
def stream(dynamodb: Any) -> Iterator[StreamPoller]:
    boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)
    yield attached_poller(dynamodb)


def notify_app(monkeypatch: pytest.MonkeyPatch, clock: FixedClock, **settings: Any) -> Any:
    from functions.notify import app

    configured = notify_settings().model_copy(update=settings)
    monkeypatch.setattr(app, "service", app.build_service(configured, clock=clock))
    return app


def _logged(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """Every log record with its extra fields, as the JSON log line would carry them."""
    return [{**vars(r), "message": r.getMessage()} for r in caplog.records]


def test_training_sends_only_to_the_allow_list_and_drops_the_rest_unrecorded(
    dynamodb: Any,
    stream: StreamPoller,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given the training stage, whose allow-list names the verifier only
    notify = notify_app(monkeypatch, clock, training_mode=True, email_allow_list=VERIFIER.upper())
    # When a new complaint (coordinators of Biro PLH and the verifiers are due an email)
    # reaches the notify function, twice (a retried batch)
    ticket = submit(clock)
    records = read_records(stream)
    assert invoke(notify, records, stream) == {"batchItemFailures": []}
    assert invoke(notify, records, stream) == {"batchItemFailures": []}
    # Then only the verifier got it, once; the coordinator's was dropped, not failed
    assert [r for m in outbox() for r in m.destinations["ToAddresses"]] == [VERIFIER]
    logged = _logged(caplog)
    batches = [r for r in logged if r["message"] == "Notification batch"]
    assert [(b["sent"], b["dropped_not_allowed"], b["failed"]) for b in batches] == [
        (1, 1, 0),
        (0, 1, 0),
    ]
    dropped = [r for r in logged if "training allow-list" in r["message"]]
    assert [(r["action"], r["ticket"]) for r in dropped] == [("submit", ticket)] * 2
    # and no log record names the dropped address
    assert PLH not in json.dumps(logged, default=str).lower()
    # Nor was a claim written for it: nothing says it was sent
    claims = dynamodb.query(
        TableName=TEST_TABLE,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": _notify_pk(records)}},
    )["Items"]
    assert [c["sk"]["S"] for c in claims] == [VERIFIER]


def test_an_empty_allow_list_in_training_lets_nothing_out(
    dynamodb: Any, stream: StreamPoller, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    notify = notify_app(monkeypatch, clock, training_mode=True, email_allow_list="")
    submit(clock)
    assert invoke(notify, read_records(stream), stream) == {"batchItemFailures": []}
    assert outbox() == []


def test_without_training_the_list_does_not_apply(
    dynamodb: Any, stream: StreamPoller, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Production: training off, whatever the list says
    notify = notify_app(monkeypatch, clock, training_mode=False, email_allow_list=VERIFIER)
    submit(clock)
    assert invoke(notify, read_records(stream), stream) == {"batchItemFailures": []}
    assert sorted(r for m in outbox() for r in m.destinations["ToAddresses"]) == [PLH, VERIFIER]


def _notify_pk(records: list[dict[str, Any]]) -> str:
    """The notification log's key of the first audit event among the records."""
    for record in records:
        keys = record["dynamodb"]["Keys"]
        if keys["sk"]["S"].startswith("E#"):
            return f"NOTIFY#{keys['pk']['S'].removeprefix('C#')}#{keys['sk']['S']}"
    raise AssertionError("no audit event in the records")

"""Notifications from real stream records: moto's DynamoDB stream -> notify handler -> SES.

The complaint is created as intake creates it (one transaction with its first audit
event); later audit events are written as the officer workflow writes them. The
stream records are read with the dynamodbstreams API and shaped into the Lambda
event by the same code the local stack's poller uses.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import pytest

from pendopo.domain.clock import FixedClock, format_wib
from pendopo.domain.complaint import Channel, PublicSubmission
from pendopo.domain.status import Action, Status
from pendopo.runtime.bootstrap import build_intake_rules
from pendopo.services.intake import IntakeService
from pendopo.storage.complaints import ComplaintStore
from tests.support.constants import TEST_TABLE
from tests.support.mail import CONSOLE, REGION, SENDER, FlakySes, outbox
from tests.support.notify_stream import (
    EMAIL,
    NAME,
    NIK,
    PHONE,
    invoke,
    notify_settings,
    officer_event,
    read_records,
    submit,
)
from tools.local.streams import StreamPoller

PLH = "koordinator.biro-plh@pendopo.example"
VERIFIER = "verifikator.biro-pem@pendopo.example"
KESOS = "koordinator.biro-kesos@pendopo.example"


def test_a_new_complaint_emails_its_unit_coordinators_and_the_verifiers(
    notify: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    # Given a citizen's road complaint (Biro PLH), written with its first audit event
    ticket = submit(clock)
    records = read_records(stream)
    # When the stream delivers the transaction's records to the notify function
    result = invoke(notify, records, stream)
    # Then nothing failed, and one email went to each recipient
    assert result == {"batchItemFailures": []}
    sent = outbox()
    assert sorted(r for m in sent for r in m.destinations["ToAddresses"]) == sorted([PLH, VERIFIER])
    complaint = ComplaintStore().get_complaint(ticket)
    assert complaint is not None
    for message in sent:
        assert message.source == SENDER
        assert message.subject == f"[Pendopo] {ticket}: pengaduan baru, menunggu verifikasi"
        assert ticket in message.body
        assert "Jalan rusak" in message.body  # the category's name
        assert format_wib(complaint.due_at) in message.body
        assert f"{CONSOLE}#/complaints/{ticket}" in message.body
        for personal in (NAME, NIK, "9988", EMAIL):
            assert personal not in message.body


def test_a_retried_batch_sends_no_second_email(
    notify: Any, stream: StreamPoller, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a new complaint whose emails went out
    submit(clock)
    records = read_records(stream)
    invoke(notify, records, stream)
    assert len(outbox()) == 2
    capsys.readouterr()
    # When Lambda delivers the same batch again
    result = invoke(notify, records, stream)
    # Then no email is sent twice, and the skips are counted
    assert result == {"batchItemFailures": []}
    assert len(outbox()) == 2
    assert _metrics(capsys.readouterr().out) == {
        "NotificationSent": 0,
        "NotificationFailed": 0,
        "NotificationSkippedDuplicate": 2,
        # The reporter asked for no messages (tests/integration/test_reporter_messages_stream.py).
        "ReporterSmsSent": 0,
        "ReporterEmailSent": 0,
        "ReporterMessageFailed": 0,
    }


def test_an_ses_failure_fails_only_that_record_and_the_retry_sends_exactly_once(
    ses: Any, stream: StreamPoller, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    from functions.notify import app

    # Given SES refusing the verifier's first email, and two new complaints in one batch
    flaky = FlakySes(VERIFIER, failures=1)
    app.service = app.build_service(notify_settings(), clock=clock, ses_client=flaky)
    first = submit(clock)
    second = submit(clock, category="HEALTH_SERVICES", title="Antrean puskesmas sangat lama")
    records = read_records(stream)
    event_records = [r for r in records if r["dynamodb"]["NewImage"]["kind"]["S"] == "event"]
    capsys.readouterr()
    # When the batch is delivered
    result = invoke(app, records, stream)
    # Then the first complaint's event record is reported failed (and only it),
    # the other emails went out, and the failure is counted
    assert result == {
        "batchItemFailures": [{"itemIdentifier": event_records[0]["dynamodb"]["SequenceNumber"]}]
    }
    assert _metrics(capsys.readouterr().out)["NotificationFailed"] == 1
    assert sorted(r for m in outbox() for r in m.destinations["ToAddresses"]) == sorted(
        [PLH, KESOS, VERIFIER]
    )
    # When Lambda retries from the failed record on (the second complaint's come again)
    failed_at = records.index(event_records[0])
    retry = invoke(app, records[failed_at:], stream)
    # Then only the missing email is sent, once
    assert retry == {"batchItemFailures": []}
    to_verifier = [m for m in outbox() if m.destinations["ToAddresses"] == [VERIFIER]]
    assert sorted(first in m.subject for m in to_verifier) == [False, True]
    assert len(outbox()) == 4
    assert all(second in m.subject or first in m.subject for m in outbox())


def test_other_stream_records_are_ignored(
    notify: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    # Given a complaint whose first emails went out
    ticket = submit(clock)
    invoke(notify, read_records(stream), stream)
    before = len(outbox())
    # When the complaint is modified, with an audit event that emails nobody (reject)
    officer_event(clock, ticket, Action.REJECT, Status.REJECTED, note="Bukan kewenangan")
    records = read_records(stream)
    kinds = sorted(
        (r["eventName"], (r["dynamodb"].get("NewImage") or {}).get("kind", {}).get("S"))
        for r in records
    )
    # (the notification records themselves came through the stream too)
    assert ("MODIFY", "complaint") in kinds
    assert ("INSERT", "event") in kinds
    assert ("INSERT", "notification") in kinds
    result = invoke(notify, records, stream)
    # Then no email is sent
    assert result == {"batchItemFailures": []}
    assert len(outbox()) == before


def test_a_disposition_names_the_agency_and_the_reroute_alerts_the_new_unit(
    notify: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    # Given a verified complaint, re-routed to Biro Kesos, then dispositioned to an agency
    ticket = submit(clock)
    officer_event(clock, ticket, Action.VERIFY, Status.COORDINATION)
    officer_event(
        clock,
        ticket,
        Action.REROUTE,
        Status.COORDINATION,
        unit="BIRO_KESOS",
        note="Menyangkut layanan kesehatan",
    )
    officer_event(
        clock, ticket, Action.DISPOSITION, Status.DISPOSITION, unit="BIRO_KESOS", agency="DINKES"
    )
    # When the stream delivers them all
    assert invoke(notify, read_records(stream), stream) == {"batchItemFailures": []}
    # Then each went to its audience
    by_subject = {m.subject: m for m in outbox()}
    verify = by_subject[f"[Pendopo] {ticket}: terverifikasi, silakan disposisikan"]
    assert verify.destinations["ToAddresses"] == [PLH]
    reroute = by_subject[f"[Pendopo] {ticket}: dialihkan ke unit Anda"]
    assert reroute.destinations["ToAddresses"] == [KESOS]
    assert "Menyangkut layanan kesehatan" in reroute.body
    assert "Biro Kesejahteraan Sosial" in reroute.body
    disposition = next(m for s, m in by_subject.items() if "didisposisikan ke" in s)
    assert disposition.destinations["ToAddresses"] == [KESOS]
    assert "Dinas Kesehatan" in disposition.subject
    assert "Dinas Kesehatan" in disposition.body
    assert len(outbox()) == 5  # 2 (new) + verify + reroute + disposition


def test_a_pending_claim_is_taken_over_after_its_lease(
    notify: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    from pendopo.storage.notifications import NotificationKey, NotificationLog

    # Given a sender that crashed after claiming the coordinator's email
    submit(clock)
    records = read_records(stream)
    event_image = next(
        r["dynamodb"]["NewImage"]
        for r in records
        if r["dynamodb"]["NewImage"]["kind"]["S"] == "event"
    )
    key = NotificationKey(event_image["ticket"]["S"], event_image["sk"]["S"], PLH)
    NotificationLog().claim(key, "submit", clock.now())
    # When the batch is retried within the lease
    first = invoke(notify, records, stream)
    # Then that record waits (the verifier's email went), and after the lease it is sent
    assert len(first["batchItemFailures"]) == 1
    assert [m.destinations["ToAddresses"] for m in outbox()] == [[VERIFIER]]
    clock.advance(timedelta(minutes=3))
    assert invoke(notify, records, stream) == {"batchItemFailures": []}
    assert sorted(r for m in outbox() for r in m.destinations["ToAddresses"]) == sorted(
        [PLH, VERIFIER]
    )


def test_the_poller_retries_like_lambda_and_parks_what_keeps_failing(
    ses: Any, dynamodb: Any, clock: FixedClock
) -> None:
    from functions.notify import app

    # Given SES refusing the verifier's email twice, and a poller that tries 3 times
    app.service = app.build_service(
        notify_settings(), clock=clock, ses_client=FlakySes(VERIFIER, failures=2)
    )
    poller = StreamPoller(
        dynamodb_client=dynamodb,
        streams_client=boto3.client("dynamodbstreams", region_name=REGION),
        table_name=TEST_TABLE,
        handler=app.lambda_handler,
        max_attempts=3,
    )
    poller.attach("LATEST")
    submit(clock)
    # When the poller drains the stream
    poller.drain()
    # Then the filter passed only the event, the third attempt sent it, nothing was parked
    assert poller.invocations == 3
    assert poller.dead_letters == []
    assert len(outbox()) == 2
    # And with SES refusing for good, the record goes to the local DLQ after 3 attempts
    app.service = app.build_service(
        notify_settings(), clock=clock, ses_client=FlakySes(VERIFIER, failures=99)
    )
    submit(clock, title="Lampu jalan padam sepanjang gang")
    poller.drain()
    assert poller.invocations == 6
    assert [r["eventName"] for r in poller.dead_letters] == ["INSERT"]
    assert poller.dead_letters[0]["eventSourceARN"] == poller.stream_arn


def _metrics(printed: str) -> dict[str, float]:
    """The values of the EMF metric lines Powertools printed."""
    values: dict[str, float] = {}
    for line in printed.splitlines():
        if '"_aws"' not in line:
            continue
        document = json.loads(line)
        for definition in document["_aws"]["CloudWatchMetrics"]:
            for metric in definition["Metrics"]:
                value = document[metric["Name"]]
                values[metric["Name"]] = value[0] if isinstance(value, list) else value
    return values


def test_the_poller_keeps_reading_after_moto_rolls_back_a_cancelled_transaction(
    notify: Any, dynamodb: Any, clock: FixedClock
) -> None:
    # moto puts back a deep copy of the table (and of its stream shard) when a
    # transaction is cancelled; an iterator taken before it would read nothing more.
    poller = StreamPoller(
        dynamodb_client=dynamodb,
        streams_client=boto3.client("dynamodbstreams", region_name=REGION),
        table_name=TEST_TABLE,
        handler=notify.lambda_handler,
    )
    poller.attach("LATEST")
    service = IntakeService(ComplaintStore(), build_intake_rules(notify_settings()), clock)
    details = PublicSubmission.model_validate(
        {
            "channel": "web",
            "category": "ROAD",
            "title": "Trotoar rusak di halte",
            "description": "Trotoar di depan halte rusak parah dan membahayakan pejalan kaki.",
            "reporter": {"name": NAME, "phone": PHONE},
        }
    )
    service.submit(details, Channel.WEB, "same-key-0001")
    poller.drain()
    # Given a retry whose transaction is cancelled (the key exists): moto rolls back
    assert service.submit(details, Channel.WEB, "same-key-0001").replayed
    # When a new complaint follows, and the poller drains
    ticket = submit(clock)
    poller.drain()
    # Then its emails went out too
    assert len([m for m in outbox() if ticket in m.subject]) == 2
    assert len(outbox()) == 4

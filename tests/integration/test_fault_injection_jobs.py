"""Fault injection on the jobs that send email: notify (stream), the deadline check and
the monthly recap. Nothing lost, nothing doubled.

Issue #8, with ``test_fault_injection`` (the request paths). Faults come from
``tests.support.faults`` (inside botocore's retry loop, on moto). Each scenario retries as
Lambda does (the stream batch from its failed record, the asynchronous invocation
again with the same event) and ends with an exact check of the emails moto's SES
accepted (each recipient exactly once) and of the notification log's claims (all
``sent``, one per email).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from pynamodb.exceptions import QueryError

from pendopo.domain.clock import FixedClock
from pendopo.runtime.settings import Settings
from tests.support import notify_stream
from tests.support import recap as recap_month
from tests.support.constants import TEST_TABLE
from tests.support.faults import (
    S3_SLOW_DOWN,
    SES_REJECTED,
    SES_THROTTLED,
    THROTTLED,
    THROTTLING,
    FaultInjector,
    install,
)
from tests.support.mail import outbox
from tests.support.sla import sla_check_app, wib
from tools.bench.synthetic import Spec, raw_item, write
from tools.local.events import lambda_context
from tools.local.streams import StreamPoller

DDB = "dynamodb"
ATTEMPTS = 4  # pynamodb's botocore client: 1 + 3 retries ("standard" mode)
SENDER = "pendopo@pendopo.example"
PLH = "koordinator.biro-plh@pendopo.example"
PK = "koordinator.biro-pk@pendopo.example"
VERIFIER = "verifikator.biro-pem@pendopo.example"
KESOS = "koordinator.biro-kesos@pendopo.example"


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> FaultInjector:
    return install(monkeypatch)


def to(address: str) -> Any:
    """A predicate: the request concerns this recipient (a claim, a mark, a send)."""
    return lambda body: address in body


def claims(dynamodb: Any) -> Counter[str]:
    """The notification log's claims by status (a test-only Scan)."""
    items = dynamodb.scan(TableName=TEST_TABLE, ConsistentRead=True)["Items"]
    return Counter(i["status"]["S"] for i in items if i["kind"]["S"] == "notification")


# ================================================================== notify (the stream)


@pytest.fixture
def notify(dynamodb: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Any:
    boto3.client("ses", region_name="ap-southeast-3").verify_email_identity(EmailAddress=SENDER)
    from functions.notify import app

    monkeypatch.setattr(
        app, "service", app.build_service(notify_stream.notify_settings(), clock=clock)
    )
    return app


# The stream fixture: tests/integration/conftest.py.


def mailed() -> Counter[str]:
    """How many emails each address got (SES v2 simple sends)."""
    return Counter(a for m in outbox() for a in m.destinations["ToAddresses"])


def new_complaint_batch(clock: FixedClock, stream: StreamPoller, *categories: str) -> Any:
    """New complaints (one per category); their stream records, and the event records."""
    for n, category in enumerate(categories):
        notify_stream.submit(clock, category=category, title=f"Pengaduan uji nomor {n + 1}")
    records = notify_stream.read_records(stream)
    events = [r for r in records if r["dynamodb"]["NewImage"]["kind"]["S"] == "event"]
    return records, events


def failed_ids(result: dict[str, Any]) -> list[str]:
    return [f["itemIdentifier"] for f in result["batchItemFailures"]]


def seq(record: dict[str, Any]) -> str:
    return str(record["dynamodb"]["SequenceNumber"])


# fault name -> how it is injected for one recipient's email, until healed
NOTIFY_FAULTS: dict[str, tuple[str, str, Any]] = {
    "claim-throttled": (DDB, "PutItem", THROTTLED),
    "claim-throttling": (DDB, "PutItem", THROTTLING),
    "ses-throttled": ("sesv2", "SendEmail", SES_THROTTLED),
    "ses-rejected": ("sesv2", "SendEmail", SES_REJECTED),
}


@pytest.mark.parametrize("fault", list(NOTIFY_FAULTS))
def test_notify_a_failing_email_fails_only_its_record_and_the_retry_sends_only_it(
    notify: Any,
    stream: StreamPoller,
    clock: FixedClock,
    dynamodb: Any,
    faults: FaultInjector,
    fault: str,
) -> None:
    # Given two new complaints in one batch (Biro PLH's road, Biro Kesos's clinic), and
    # the Biro PLH coordinator's email failing (every attempt, botocore's retries included)
    records, events = new_complaint_batch(clock, stream, "ROAD", "HEALTH_SERVICES")
    service, operation, answer = NOTIFY_FAULTS[fault]
    faults.refuse(service, operation, answer, times=None, when=to(PLH))
    # When the batch is delivered
    result = notify_stream.invoke(notify, records, stream)
    # Then only the first failing record is reported (Lambda retries from it), and every
    # other email went out
    assert failed_ids(result) == [seq(events[0])]
    assert mailed() == {KESOS: 1, VERIFIER: 2}
    # When SES and DynamoDB recover and Lambda retries from that record on (the second
    # complaint's records come again)
    faults.heal()
    retry = notify_stream.invoke(notify, records[records.index(events[0]) :], stream)
    # Then only the missing email is sent: every email exactly once, every claim sent
    assert result["batchItemFailures"] and retry == {"batchItemFailures": []}
    assert mailed() == {PLH: 1, KESOS: 1, VERIFIER: 2}
    assert claims(dynamodb) == {"sent": 4}


def test_notify_transient_faults_are_absorbed_by_botocores_retries(
    notify: Any, stream: StreamPoller, clock: FixedClock, dynamodb: Any, faults: FaultInjector
) -> None:
    records, _ = new_complaint_batch(clock, stream, "ROAD")
    # Given each DynamoDB call of the delivery failing once: the complaint's read, the
    # claim, the mark (and SES throttling once)
    faults.refuse(DDB, "GetItem", THROTTLED)
    faults.refuse(DDB, "PutItem", THROTTLING, when=to(PLH))
    faults.fail(DDB, "UpdateItem", "reset", when=to(VERIFIER))
    faults.refuse("sesv2", "SendEmail", SES_THROTTLED, when=to(PLH))
    result = notify_stream.invoke(notify, records, stream)
    assert all(f.fired == 1 for f in faults.faults)
    assert result == {"batchItemFailures": []}
    assert mailed() == {PLH: 1, VERIFIER: 1}
    assert claims(dynamodb) == {"sent": 2}


def test_notify_the_complaints_read_failing_fails_the_record_and_the_retry_sends(
    notify: Any, stream: StreamPoller, clock: FixedClock, dynamodb: Any, faults: FaultInjector
) -> None:
    records, events = new_complaint_batch(clock, stream, "ROAD")
    faults.refuse(DDB, "GetItem", THROTTLED, times=ATTEMPTS)
    assert failed_ids(notify_stream.invoke(notify, records, stream)) == [seq(events[0])]
    assert mailed() == {} and claims(dynamodb) == {}
    assert notify_stream.invoke(notify, records, stream) == {"batchItemFailures": []}
    assert mailed() == {PLH: 1, VERIFIER: 1}
    assert claims(dynamodb) == {"sent": 2}


def test_notify_a_claim_whose_answer_was_lost_is_still_ours_and_sends_at_once(
    notify: Any, stream: StreamPoller, clock: FixedClock, dynamodb: Any, faults: FaultInjector
) -> None:
    # Given the claim of the coordinator's email written, and its answer lost: botocore
    # sends the same conditional put again (same claim token)
    records, _ = new_complaint_batch(clock, stream, "ROAD")
    faults.fail(DDB, "PutItem", "lose_answer", when=to(PLH))
    result = notify_stream.invoke(notify, records, stream)
    # Then the retried put recognises its own claim: the email goes now, not after the lease
    assert faults.faults[0].fired == 1
    assert result == {"batchItemFailures": []}
    assert mailed() == {PLH: 1, VERIFIER: 1}
    assert claims(dynamodb) == {"sent": 2}


def test_notify_the_same_batch_delivered_twice_sends_nothing_twice(
    notify: Any, stream: StreamPoller, clock: FixedClock, dynamodb: Any
) -> None:
    records, _ = new_complaint_batch(clock, stream, "ROAD", "HEALTH_SERVICES")
    assert notify_stream.invoke(notify, records, stream) == {"batchItemFailures": []}
    assert notify_stream.invoke(notify, records, stream) == {"batchItemFailures": []}
    assert mailed() == {PLH: 1, KESOS: 1, VERIFIER: 2}
    assert claims(dynamodb) == {"sent": 4}


def test_notify_a_timeout_after_sending_before_marking_sends_again_only_after_the_lease(
    notify: Any, stream: StreamPoller, clock: FixedClock, dynamodb: Any, faults: FaultInjector
) -> None:
    """The documented at-least-once edge: the email went, the mark never happened."""
    from tests.support.faults import LambdaTimeout

    records, events = new_complaint_batch(clock, stream, "ROAD")
    faults.fail(DDB, "UpdateItem", "kill_before", when=to(PLH))
    with pytest.raises(LambdaTimeout):
        notify_stream.invoke(notify, records, stream)
    assert mailed() == {PLH: 1}
    # Lambda retries the batch within the lease: the pending claim is left alone
    assert failed_ids(notify_stream.invoke(notify, records, stream)) == [seq(events[0])]
    assert mailed() == {PLH: 1, VERIFIER: 1}
    # After the lease the claim is taken over: the one documented duplicate
    clock.advance(timedelta(minutes=3))
    assert notify_stream.invoke(notify, records, stream) == {"batchItemFailures": []}
    assert mailed() == {PLH: 2, VERIFIER: 1}
    assert claims(dynamodb) == {"sent": 2}


# ==================================================================== the deadline check


@pytest.fixture
def sla_app(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    app = sla_check_app(monkeypatch, wib(10, 7, 1))
    # One overdue complaint in Biro PLH and one in Biro PK (neither a day late)
    write(
        dynamodb,
        TEST_TABLE,
        [
            raw_item(Spec(1, "BIRO_PLH", wib(6), wib(9))),
            raw_item(Spec(2, "BIRO_PK", wib(6), wib(9))),
        ],
    )
    return app


SCHEDULE = {"scheduled_time": "2025-06-10T00:00:00Z"}  # 07:00 WIB


def check(app: Any) -> dict[str, Any]:
    summary: dict[str, Any] = app.lambda_handler(SCHEDULE, lambda_context("SlaCheckFunction"))
    return summary


SLA_FAULTS: dict[str, tuple[str, str, Any, Any]] = {
    "unit-read-throttled": (DDB, "Query", THROTTLED, lambda body: '"BIRO_PK"' in body),
    "claim-throttled": (DDB, "PutItem", THROTTLING, to(PK)),
    "ses-throttled": ("sesv2", "SendEmail", SES_THROTTLED, to(PK)),
    "ses-rejected": ("sesv2", "SendEmail", SES_REJECTED, to(PK)),
}


@pytest.mark.parametrize("fault", list(SLA_FAULTS))
def test_sla_check_a_failing_unit_fails_the_run_and_lambdas_retry_sends_only_it(
    sla_app: Any, dynamodb: Any, faults: FaultInjector, fault: str
) -> None:
    service, operation, answer, when = SLA_FAULTS[fault]
    faults.refuse(service, operation, answer, times=None, when=when)
    # When the schedule's event is delivered: Biro PLH's digest goes, the run raises
    with pytest.raises(sla_app.SlaCheckIncomplete):
        check(sla_app)
    assert mailed() == {PLH: 1}
    # When Lambda retries the same event, everything answering again
    faults.heal()
    summary = check(sla_app)
    # Then only Biro PK's digest is sent; each coordinator has one, every claim is sent
    assert (summary["emails_sent"], summary["emails_skipped_duplicate"]) == (1, 1)
    assert summary["complete"] is True
    assert mailed() == {PLH: 1, PK: 1}
    assert claims(dynamodb) == {"sent": 2}


def test_sla_check_the_scheduled_event_delivered_twice_sends_each_digest_once(
    sla_app: Any, dynamodb: Any, faults: FaultInjector
) -> None:
    faults.refuse(DDB, "PutItem", THROTTLED)  # and a transient fault on a claim
    first, second = check(sla_app), check(sla_app)
    assert (first["emails_sent"], first["emails_skipped_duplicate"]) == (2, 0)
    assert (second["emails_sent"], second["emails_skipped_duplicate"]) == (0, 2)
    assert mailed() == {PLH: 1, PK: 1}
    assert claims(dynamodb) == {"sent": 2}


def test_sla_check_a_claim_whose_answer_was_lost_sends_in_the_same_run(
    sla_app: Any, dynamodb: Any, faults: FaultInjector
) -> None:
    faults.fail(DDB, "PutItem", "lose_answer", when=to(PK))
    summary = check(sla_app)
    assert faults.faults[0].fired == 1
    assert summary["complete"] is True and summary["emails_sent"] == 2
    assert mailed() == {PLH: 1, PK: 1}
    assert claims(dynamodb) == {"sent": 2}


# ===================================================================== the monthly recap


@pytest.fixture
def recap(dynamodb: Any, intake: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The recap function on moto, and a June with two complaints (made by intake)."""
    s3 = boto3.client("s3", region_name="ap-southeast-3")
    s3.create_bucket(
        Bucket=recap_month.BUCKET,
        CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"},
    )
    boto3.client("ses", region_name="ap-southeast-3").verify_email_identity(EmailAddress=SENDER)
    monkeypatch.setenv("FILES_BUCKET", recap_month.BUCKET)
    from functions.monthly_recap import app

    service = app.build_service(
        Settings.from_env(),
        bucket=recap_month.BUCKET,
        clock=clock,
        ses_client=boto3.client("sesv2", region_name="ap-southeast-3"),
        s3_client=s3,
    )
    monkeypatch.setattr(app, "service", service)
    desk = recap_month.Desk(intake, None, clock)
    desk.submit(recap_month.wib("06-10", "08:00"), "ROAD")
    desk.submit(recap_month.wib("06-11", "08:00"), "PARKING")
    return app


# 7 unit heads, 4 Asisten and the Sekda: 12 emails, each once
RECAP_RECIPIENTS = 12
SEKDA = "sekda@pendopo.example"


def recap_run(app: Any, clock: FixedClock) -> dict[str, Any]:
    return recap_month.run(app, clock)


def recap_mailed() -> Counter[str]:
    return recap_month.recipients_of(recap_month.sent_messages())


def recap_objects(s3: Any) -> int:
    listed = s3.list_objects_v2(Bucket=recap_month.BUCKET, Prefix="recaps/2025-06/")
    return len(listed.get("Contents", []))


@pytest.mark.parametrize(
    ("operation", "answer", "error"),
    [
        ("Query", THROTTLED, QueryError),  # reading a unit's month
        ("PutObject", S3_SLOW_DOWN, ClientError),  # storing a report
    ],
    ids=["month-read-throttled", "s3-put-slow-down"],
)
def test_recap_a_failed_read_or_store_sends_nothing_and_the_retry_sends_everything_once(
    recap: Any,
    clock: FixedClock,
    dynamodb: Any,
    faults: FaultInjector,
    operation: str,
    answer: Any,
    error: type[Exception],
) -> None:
    service = "s3" if operation == "PutObject" else DDB
    faults.refuse(service, operation, answer, times=None)
    with pytest.raises(error):
        recap_run(recap, clock)
    assert recap_mailed() == {} and claims(dynamodb) == {}
    faults.heal()
    body = recap_run(recap, clock)
    assert (body["sent"], body["already_sent"]) == (RECAP_RECIPIENTS, 0)
    mailed = recap_mailed()
    assert len(mailed) == RECAP_RECIPIENTS and set(mailed.values()) == {1}
    assert claims(dynamodb) == {"sent": RECAP_RECIPIENTS}
    assert recap_objects(boto3.client("s3", region_name="ap-southeast-3")) == body["objects"]


RECAP_FAULTS: dict[str, tuple[str, str, Any]] = {
    "claim-throttled": (DDB, "PutItem", THROTTLED),
    "ses-throttled": ("sesv2", "SendEmail", SES_THROTTLED),
    "ses-rejected": ("sesv2", "SendEmail", SES_REJECTED),
}


@pytest.mark.parametrize("fault", list(RECAP_FAULTS))
def test_recap_a_failed_email_fails_the_run_and_the_retry_sends_only_it(
    recap: Any, clock: FixedClock, dynamodb: Any, faults: FaultInjector, fault: str
) -> None:
    from pendopo.services.recap import RecapIncomplete

    service, operation, answer = RECAP_FAULTS[fault]
    faults.refuse(service, operation, answer, times=None, when=to(SEKDA))
    with pytest.raises(RecapIncomplete):
        recap_run(recap, clock)
    assert SEKDA not in recap_mailed() and len(recap_mailed()) == RECAP_RECIPIENTS - 1
    faults.heal()
    body = recap_run(recap, clock)  # Lambda's retry of the same scheduled event
    assert (body["sent"], body["already_sent"]) == (1, RECAP_RECIPIENTS - 1)
    mailed = recap_mailed()
    assert len(mailed) == RECAP_RECIPIENTS and set(mailed.values()) == {1}
    assert claims(dynamodb) == {"sent": RECAP_RECIPIENTS}


def test_recap_the_scheduled_event_delivered_twice_sends_each_email_once(
    recap: Any, clock: FixedClock, dynamodb: Any, faults: FaultInjector
) -> None:
    faults.refuse("s3", "PutObject", S3_SLOW_DOWN)  # and a transient fault on a report
    first, second = recap_run(recap, clock), recap_run(recap, clock)
    assert (first["sent"], second["sent"], second["already_sent"]) == (
        RECAP_RECIPIENTS,
        0,
        RECAP_RECIPIENTS,
    )
    assert set(recap_mailed().values()) == {1}
    assert claims(dynamodb) == {"sent": RECAP_RECIPIENTS}


def test_recap_a_claim_whose_answer_was_lost_sends_in_the_same_run(
    recap: Any, clock: FixedClock, dynamodb: Any, faults: FaultInjector
) -> None:
    faults.fail(DDB, "PutItem", "lose_answer", when=to(SEKDA))
    body = recap_run(recap, clock)
    assert faults.faults[0].fired == 1
    assert body["sent"] == RECAP_RECIPIENTS
    assert set(recap_mailed().values()) == {1}
    assert claims(dynamodb) == {"sent": RECAP_RECIPIENTS}

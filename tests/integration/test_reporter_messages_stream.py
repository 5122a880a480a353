"""The reporter's SMS and emails from real stream records (issue #16), on moto.

moto's SNS keeps every SMS ``Publish`` in ``sms_messages`` (id -> number, text); its
SES keeps the emails. The complaint is created as intake creates it; officer events
are written as the workflow writes them (``officer_event``).
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from pendopo.domain.clock import FixedClock
from pendopo.domain.status import Action, Status
from pendopo.storage.complaints import event_sort_key
from pendopo.storage.items import (
    RECEIPT_SK,
    ReceiptItem,
    complaint_pk,
)
from pendopo.storage.reporter_messages import ReporterMessageStore
from tests.support import notify_stream as stream_support
from tests.support.constants import TEST_TABLE
from tests.support.intake_domain import REOPEN, synthetic_event
from tests.support.mail import REGION, FlakySes, outbox
from tests.support.notify_stream import EMAIL, PHONE, officer_event, submit
from tools.local.streams import StreamPoller

CITIZEN = "https://pendopo.jakarta.go.id/warga/"
PHONE_E164 = "+6281399887766"
BOTH = {"notify": {"sms": True, "email": True}}


def sms_outbox() -> list[tuple[str, str]]:
    return list(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values())


def to_reporter() -> list[Any]:
    return [m for m in outbox() if m.destinations["ToAddresses"] == [EMAIL]]


class FlakySns:
    """SNS that throttles the first ``failures`` SMS publishes."""

    def __init__(self, failures: int = 1) -> None:
        self.real = boto3.client("sns", region_name=REGION)
        self.failures = failures
        self.calls: list[dict[str, Any]] = []

    def publish(self, **request: Any) -> Any:
        self.calls.append(request)
        if self.failures > 0:
            self.failures -= 1
            raise ClientError({"Error": {"Code": "Throttling", "Message": "Rate"}}, "Publish")
        return self.real.publish(**request)


def deliver(app: Any, stream: StreamPoller) -> dict[str, Any]:
    """The stream's new records, delivered to the notify function as one batch."""
    return stream_support.invoke(app, stream_support.read_records(stream), stream)


def build(clock: FixedClock, training: dict[str, Any] | None = None, **clients: Any) -> Any:
    from functions.notify import app

    settings = stream_support.notify_settings().model_copy(
        update={"citizen_url": CITIZEN, "sms_sender_id": "PENDOPO", **(training or {})}
    )
    app.service = app.build_service(settings, clock=clock, **clients)
    return app


@pytest.fixture
def notify(ses: Any, clock: FixedClock) -> Any:
    return build(clock)


def test_a_consenting_reporter_gets_the_receipt_by_sms_and_email_once(
    notify: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    # Given a web complaint whose reporter asked for SMS and email
    ticket = submit(clock, **BOTH)
    assert ReceiptItem.get(complaint_pk(ticket), RECEIPT_SK).tracking_code
    records = stream_support.read_records(stream)
    # When the stream delivers it
    assert stream_support.invoke(notify, records, stream) == {"batchItemFailures": []}
    # Then one SMS with ticket and code in the tracking link, one email with both
    [(number, text)] = sms_outbox()
    assert number == PHONE_E164
    assert text.startswith("Pendopo: pengaduan diterima, batas ")
    assert (
        f"Tiket & kode lacak: pendopo.jakarta.go.id/warga/lacak.html#tiket={ticket}&kode=" in text
    )
    [email] = to_reporter()
    assert email.subject == f"[Pendopo] Pengaduan {ticket}: diterima"
    assert f"lacak.html#tiket={ticket}&amp;kode=" in email.body
    assert f"/v1/complaints/{ticket}/unsubscribe?token=" in email.body
    # And the officers' emails went as before (coordinators and verifiers)
    assert len(outbox()) == 3
    # And the code is not kept once the receipt went on both channels
    assert ReporterMessageStore().receipt_code(ticket, clock.now()) is None
    # When Lambda delivers the same batch again: nothing doubles
    assert stream_support.invoke(notify, records, stream) == {"batchItemFailures": []}
    assert len(sms_outbox()) == 1 and len(outbox()) == 3


def test_without_consent_the_reporter_gets_nothing(
    notify: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    ticket = submit(clock)
    officer_event(clock, ticket, Action.VERIFY, Status.COORDINATION)
    assert deliver(notify, stream) == {"batchItemFailures": []}
    assert sms_outbox() == [] and to_reporter() == []
    assert len(outbox()) == 3  # the officers': new complaint (2) and verified (1)


def test_on_the_training_stage_the_reporter_is_told_only_on_allow_listed_contacts(
    ses: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    # Given a training stage whose allow-list names the reporter's phone, not their email
    training = {"training_mode": True, "email_allow_list": f"{PHONE}, @latih.example"}
    notify = build(clock, training)
    ticket = submit(clock, **BOTH)
    # When the receipt is delivered
    assert deliver(notify, stream) == {"batchItemFailures": []}
    # Then the SMS went to the listed number, and no email left (nor the officers')
    [(number, text)] = sms_outbox()
    assert number == PHONE_E164 and ticket in text
    assert outbox() == []
    # And a stage whose list names neither texts nobody
    officer_event(clock, ticket, Action.VERIFY, Status.COORDINATION)
    build(clock, {"training_mode": True, "email_allow_list": "@latih.example"})
    assert deliver(notify, stream) == {"batchItemFailures": []}
    assert len(sms_outbox()) == 1 and outbox() == []


def test_a_throttled_sms_never_holds_up_the_emails_and_is_sent_once_on_retry(
    ses: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    # Given SNS throttling the first publish
    flaky = FlakySns(failures=1)
    app = build(clock, sns_client=flaky)
    ticket = submit(clock, **BOTH)
    records = stream_support.read_records(stream)
    # When the batch is delivered: the record fails, every email went
    result = stream_support.invoke(app, records, stream)
    assert len(result["batchItemFailures"]) == 1
    assert sms_outbox() == []
    assert len(outbox()) == 3 and len(to_reporter()) == 1
    # (the code is kept for the SMS still owed)
    assert ReporterMessageStore().receipt_code(ticket, clock.now())
    # When Lambda retries the batch
    assert stream_support.invoke(app, records, stream) == {"batchItemFailures": []}
    # Then the SMS goes once, with the code; no email twice
    [(_, text)] = sms_outbox()
    assert "&kode=" in text
    assert len(outbox()) == 3
    assert [c["MessageAttributes"]["AWS.SNS.SMS.SenderID"]["StringValue"] for c in flaky.calls] == [
        "PENDOPO",
        "PENDOPO",
    ]


def test_ses_failing_for_the_reporter_only_retries_only_their_email(
    ses: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    app = build(clock, ses_client=FlakySes(EMAIL, failures=1))
    submit(clock, **BOTH)
    records = stream_support.read_records(stream)
    assert len(stream_support.invoke(app, records, stream)["batchItemFailures"]) == 1
    assert len(sms_outbox()) == 1 and to_reporter() == [] and len(outbox()) == 2
    assert stream_support.invoke(app, records, stream) == {"batchItemFailures": []}
    assert len(sms_outbox()) == 1 and len(to_reporter()) == 1 and len(outbox()) == 3
    assert "Kode pelacakan</td>" in to_reporter()[0].body  # the code, still kept


def test_each_event_tells_the_reporter_once_and_unsubscribing_stops_it(
    notify: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    ticket = submit(clock, **BOTH)
    officer_event(clock, ticket, Action.VERIFY, Status.COORDINATION, note="internal: cek WA")
    officer_event(clock, ticket, Action.REROUTE, Status.COORDINATION, note="internal")
    assert deliver(notify, stream) == {"batchItemFailures": []}
    texts = [text for _, text in sms_outbox()]
    assert len(texts) == 2  # receipt, verified (a re-route tells the reporter nothing)
    assert texts[1] == (
        f"Pendopo: pengaduan {ticket} telah diverifikasi dan diteruskan ke Biro Pembangunan "
        "dan Lingkungan Hidup untuk ditindaklanjuti."
    )
    assert all("internal" not in m.body for m in to_reporter())
    assert len(to_reporter()) == 2
    # When the reporter follows the unsubscribe link, later events send nothing
    ReporterMessageStore().opt_out(ticket, clock.now())
    officer_event(clock, ticket, Action.REJECT, Status.REJECTED, note="Bukan kewenangan")
    assert deliver(notify, stream) == {"batchItemFailures": []}
    assert len(sms_outbox()) == 2 and len(to_reporter()) == 2


def test_the_verifiers_reopen_tells_the_reporter(
    notify: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    # The verifier's reopen (another branch adds the action): an event given by name.
    ticket = submit(clock, **BOTH)
    stream_support.read_records(stream)
    event = synthetic_event(ticket, REOPEN, clock.now(), "Warga: belum diperbaiki")
    delivery = notify.service.notify(event, event_sort_key(event))
    assert delivery.complete and delivery.reporter.sent == 2
    [(_, text)] = sms_outbox()
    assert text.startswith(f"Pendopo: pengaduan {ticket} dibuka kembali untuk ditindaklanjuti")
    assert to_reporter()[0].subject == f"[Pendopo] Pengaduan {ticket}: dibuka kembali"


def test_the_reporters_contacts_never_reach_the_notification_log_or_the_logs(
    notify: Any,
    stream: StreamPoller,
    clock: FixedClock,
    dynamodb: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    submit(clock, **BOTH)
    caplog.clear()
    deliver(notify, stream)
    logged = " ".join(str(record.__dict__) for record in caplog.records)
    assert "reporter_messages" in logged  # the batch's line, with counts only
    assert "81399887766" not in logged and EMAIL not in logged
    items = dynamodb.scan(TableName=TEST_TABLE)["Items"]  # a test may scan
    claims = [i for i in items if i["kind"]["S"] == "notification"]
    assert sorted(i["sk"]["S"] for i in claims if i["sk"]["S"].startswith("reporter#")) == [
        "reporter#email",
        "reporter#sms",
    ]
    assert PHONE not in str(claims) and "9988" not in str(claims) and EMAIL not in str(claims)

"""send_once: every failure of the claim log or SES is counted, never raised, never lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from pendopo.domain.clock import FixedClock
from pendopo.services.notify import Delivery
from pendopo.services.send_once import Outcome, count, send_once
from pendopo.storage.notifications import AlreadySent, Claimed, InProgress, NotificationKey

KEY = NotificationKey(ticket="SLA", event_sk="2025-06-10#BIRO_PLH", recipient="k@x.example")
CLOCK = FixedClock(datetime(2025, 6, 10, 0, 0, tzinfo=UTC))


class Throttled(Exception):
    response: ClassVar[dict[str, Any]] = {
        "Error": {"Code": "ThrottlingException", "Message": "k@x.example slow down"}
    }


@dataclass
class FakeLog:
    claim_result: Any = None
    claim_error: Exception | None = None
    mark_errors: int = 0
    calls: list[str] = field(default_factory=list)

    def claim(self, key: NotificationKey, action: str, now: datetime) -> Any:
        self.calls.append("claim")
        if self.claim_error:
            raise self.claim_error
        return self.claim_result or Claimed(key=key, token="t")

    def mark_sent(self, claim: Claimed, now: datetime, message_id: str) -> bool:
        self.calls.append("mark")
        if self.mark_errors:
            self.mark_errors -= 1
            raise Throttled()
        return True

    def release(self, claim: Claimed, error_code: str) -> bool:
        self.calls.append(f"release:{error_code}")
        return True


def _send(log: FakeLog, send: Any = lambda: "msg-1") -> Any:
    return send_once(log, KEY, "sla_digest", send, CLOCK)  # type: ignore[arg-type]


def test_a_claimed_email_is_sent_and_marked() -> None:
    log = FakeLog()
    result = _send(log)
    assert result.outcome is Outcome.SENT and not result.unmarked
    assert log.calls == ["claim", "mark"]


def test_sent_before_or_in_progress_elsewhere_sends_nothing() -> None:
    sent: list[str] = []
    for claimed, outcome in (
        (AlreadySent(), Outcome.DUPLICATE),
        (InProgress(), Outcome.IN_PROGRESS),
    ):
        result = _send(FakeLog(claim_result=claimed), lambda: sent.append("x") or "m")
        assert result.outcome is outcome
    assert sent == []


def test_an_unreachable_log_sends_nothing_and_fails_the_email_for_a_retry() -> None:
    sent: list[str] = []
    result = _send(FakeLog(claim_error=Throttled()), lambda: sent.append("x") or "m")
    assert (result.outcome, result.error, sent) == (Outcome.FAILED, "ThrottlingException", [])


def test_a_failed_send_releases_the_claim_with_the_code_only() -> None:
    def refuse() -> str:
        raise Throttled()

    log = FakeLog()
    result = _send(log, refuse)
    assert result.outcome is Outcome.FAILED
    assert log.calls == ["claim", "release:ThrottlingException"]


def test_a_mark_that_fails_is_retried_and_the_email_counts_as_sent() -> None:
    log = FakeLog(mark_errors=2)
    assert _send(log) == type(_send(FakeLog()))(Outcome.SENT)
    assert log.calls == ["claim", "mark", "mark", "mark"]
    # marks failing every time: still sent (it went), flagged as unmarked
    result = _send(FakeLog(mark_errors=99))
    assert (result.outcome, result.unmarked, result.error) == (
        Outcome.SENT,
        True,
        "ThrottlingException",
    )


def test_count_adds_each_outcome_and_keeps_codes_not_messages() -> None:
    counts = Delivery(ticket="SLA", action="sla_digest")  # a real tally: notify's
    for result in (
        _send(FakeLog()),
        _send(FakeLog(claim_result=AlreadySent())),
        _send(FakeLog(claim_result=InProgress())),
        _send(FakeLog(claim_error=Throttled())),
    ):
        count(counts, result)
    assert (counts.sent, counts.duplicates, counts.in_progress, counts.failed) == (1, 1, 1, 1)
    assert counts.errors == ["ThrottlingException"]


def test_error_code_names_what_dynamodb_answered_or_the_lost_connection() -> None:
    from botocore.exceptions import ClientError, ReadTimeoutError
    from pynamodb.exceptions import PutError

    from pendopo.services.send_once import error_code

    throttled = ClientError({"Error": {"Code": "ThrottlingException"}}, "PutItem")
    assert error_code(PutError("put failed", cause=throttled)) == "ThrottlingException"
    # No answer at all: pynamodb's own cause_response_code would raise AttributeError
    lost = ReadTimeoutError(endpoint_url="http://127.0.0.1:1")
    assert error_code(PutError("put failed", cause=lost)) == "ReadTimeoutError"
    assert error_code(ValueError("x")) == "ValueError"

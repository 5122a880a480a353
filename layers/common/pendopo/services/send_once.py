"""Send one email to one recipient at most once, through the notification log's claim.

The notify function, the daily deadline check and the monthly recap all send this
way: claim the (key, recipient) record, send, mark it sent; on an SES failure,
release the claim so the next attempt sends. What each step can meet:

- the claim itself fails (DynamoDB throttled or down): nothing was sent, the run
  counts it ``FAILED`` and goes on with the next recipient; a retry sends it;
- the send fails: the claim is released (``failed``) and counted ``FAILED``;
- the send succeeds but marking it fails, even after retrying: the email *went*, so
  it counts ``SENT``; the claim stays ``pending`` and only a retry after its lease
  could send it again (at-least-once: a rare duplicate, never a lost email). The
  result says so (``unmarked``) for the caller's log line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, NotRequired, TypedDict, TypeVar, Unpack

from pendopo.domain.allow_list import RecipientAllowList
from pendopo.domain.clock import Clock
from pendopo.domain.taxonomy import Recipients, Taxonomy
from pendopo.runtime.observability import logger
from pendopo.services.ports import Tally
from pendopo.storage.notifications import (
    AlreadySent,
    Claimed,
    InProgress,
    NotificationKey,
    NotificationLog,
)

MARK_ATTEMPTS = 3


class Outcome(StrEnum):
    SENT = "sent"
    DUPLICATE = "duplicate"  # sent before: nothing to do
    IN_PROGRESS = "in_progress"  # another invocation holds the claim within its lease
    FAILED = "failed"  # not sent; a retry will send it
    DROPPED = "dropped"  # not on the training allow-list: never sent, never claimed


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    error: str | None = None  # an error code, never a message (it may carry addresses)
    unmarked: bool = False  # sent, but the log still says pending


def send_once(
    log: NotificationLog,
    key: NotificationKey,
    action: str,
    send: Callable[[], str],
    clock: Clock,
) -> SendResult:
    """Claim, send (``send`` returns the SES message id), mark; never raises."""
    try:
        claim = log.claim(key, action, clock.now())
    except Exception as error:  # the log is unreachable: do not send unrecorded
        return SendResult(Outcome.FAILED, error_code(error))
    if isinstance(claim, AlreadySent):
        return SendResult(Outcome.DUPLICATE)
    if isinstance(claim, InProgress):
        return SendResult(Outcome.IN_PROGRESS)
    return _send_claimed(log, claim, send, clock)


def _send_claimed(
    log: NotificationLog, claim: Claimed, send: Callable[[], str], clock: Clock
) -> SendResult:
    try:
        message_id = send()
    except Exception as error:  # any failure: release the claim and let the retry send
        code = error_code(error)
        # Unreleased (the log unreachable too), the claim's lease runs out instead.
        with contextlib.suppress(Exception):
            log.release(claim, code)
        return SendResult(Outcome.FAILED, code)
    # Sent, whatever happens next. The mark is conditional on our claim token, so
    # repeating it is safe; a claim taken over meanwhile returns False (sent anyway).
    for _ in range(MARK_ATTEMPTS):
        try:
            log.mark_sent(claim, clock.now(), message_id)
            return SendResult(Outcome.SENT)
        except Exception as error:
            last = error_code(error)
    return SendResult(Outcome.SENT, last, unmarked=True)


@dataclass(kw_only=True)
class SendCounts:
    """The counts of one batch of emails (a ``Tally``): never addresses."""

    recipients: int = 0
    sent: int = 0
    duplicates: int = 0
    failed: int = 0
    in_progress: int = 0
    dropped: int = 0
    errors: list[str] = field(default_factory=list)


def count(tally: Tally, result: SendResult) -> None:
    """Add one send's outcome to a batch's counts."""
    if result.outcome is Outcome.SENT:
        tally.sent += 1
    elif result.outcome is Outcome.DUPLICATE:
        tally.duplicates += 1
    elif result.outcome is Outcome.IN_PROGRESS:
        tally.in_progress += 1
    elif result.outcome is Outcome.DROPPED:
        tally.dropped += 1
    else:
        tally.failed += 1
    if result.error:
        tally.errors.append(result.error)


def error_code(error: Exception) -> str:
    """SES's or DynamoDB's error code (botocore ClientError, pynamodb's cause) or the
    exception's type; never its message."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        if isinstance(code, str) and code:
            return code
    # pynamodb wraps the botocore failure: its answer's code, or (no answer: a closed or
    # timed-out connection) the failure's own type, e.g. ReadTimeoutError.
    cause = getattr(error, "cause", None)
    if isinstance(cause, Exception) and cause is not error:
        return error_code(cause)
    return type(error).__name__


M = TypeVar("M")


class Emailing(TypedDict, Generic[M]):
    """What every service that sends email is given (keyword arguments)."""

    log: NotificationLog
    mailer: M
    recipients: Recipients
    taxonomy: Taxonomy
    # The real time, for the claims' leases (a run "as of" another time included).
    clock: Clock
    # The training stage's allow-list (None: every recipient, as in production).
    allow_list: NotRequired[RecipientAllowList | None]


class EmailingService(Generic[M]):
    """The base of the notify, deadline check and recap services: each sends this way.

    ``_send_once`` is the one place every email of the three passes through, so it is
    where the training stage's allow-list applies: a recipient not on it is dropped
    before the claim (nothing recorded as sent), counted, and logged without the
    address.
    """

    def __init__(self, **emailing: Unpack[Emailing[M]]) -> None:
        self._log = emailing["log"]
        self._mailer = emailing["mailer"]
        self._recipients = emailing["recipients"]
        self._taxonomy = emailing["taxonomy"]
        self._clock = emailing["clock"]
        self._allow_list = emailing.get("allow_list")

    def _send_once(self, key: NotificationKey, action: str, send: Callable[[], str]) -> SendResult:
        if self._allow_list is not None and not self._allow_list.allows(key.recipient):
            logger.info(
                "Email dropped: recipient not on the training allow-list",
                extra={"ticket": key.ticket, "action": action},
            )
            return SendResult(Outcome.DROPPED)
        return send_once(self._log, key, action, send, self._clock)

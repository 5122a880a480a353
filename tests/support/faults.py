"""Fault injection for the AWS calls our code makes, under moto.

Every botocore client in a ``mock_aws`` block hands each HTTP attempt to moto's
``BotocoreStubber`` in its ``before-send`` event (botocore's hook for answering a
request without the network). ``FaultInjector`` wraps that one hook, so it sees
every attempt of every client (the storage's pynamodb connection, the SES and S3
clients) *after* botocore has built and signed the request and *inside* botocore's
retry loop. A fault then looks to our code exactly as the real failure would:

- ``refuse``: the service answers an error (throttling, 500, a transaction
  cancelled for a conflict) and never applies the request. botocore retries it if
  its retry mode says so (pynamodb: ``standard``, 4 attempts), as it would in AWS.
- ``reset``: the connection drops before the request reaches the service
  (``ConnectionClosedError``, retried by botocore).
- ``lose_answer``: the service applies the request, then the connection drops
  before the answer arrives (``ReadTimeoutError``, retried by botocore).
- ``raise``: the client raises ``error`` for this attempt, as botocore does for a
  fault of ours (``ParamValidationError``, ``NoCredentialsError``) or a transport
  failure (``EndpointConnectionError``); botocore's retry handler decides, as for a
  real one, whether to try again.
- ``kill_before`` / ``kill_after``: Lambda stops the invocation (its timeout) just
  before the request is sent, or just after the service applied it. Raised as
  ``LambdaTimeout``, a ``BaseException``, so no ``except Exception`` in our code can
  catch it: nothing after that point runs, as when Lambda ends the process.

A fault matches a service, an operation and optionally a predicate on the request
(its JSON or raw body as text); ``skip`` lets that many matching attempts through
first (fail the Nth), ``times`` is how many it fails (``None``: until ``heal()``).

DynamoDB's ``ClientRequestToken`` idempotency is emulated, because moto lacks it:
botocore fills the token once per call (it is an ``idempotencyToken`` member of
``TransactWriteItems``), so its retries of one call carry the same token, and real
DynamoDB answers a retry of a transaction that *succeeded* with success, without
applying it again (for 10 minutes). The injector remembers moto's answer to each
successful transaction by token and replays it for a repeated token; without that,
a ``lose_answer`` on a transaction would fail on moto where DynamoDB succeeds.

botocore's back-off between retries is recorded, not slept (``sleeps``): tests
never wait.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ConnectionClosedError, ReadTimeoutError


class LambdaTimeout(BaseException):
    """Lambda ended the invocation here (its timeout): nothing after this point ran."""


# Error answers as each protocol writes them (DynamoDB: JSON 1.0; SES v2: REST-JSON;
# S3: REST-XML). botocore parses them back into the codes our code sees.
def dynamodb_error(code: str, status: int = 400, **extra: Any) -> tuple[int, dict[str, str], bytes]:
    body = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": f"injected {code}"}
    body.update(extra)
    return status, {"x-amzn-ErrorType": code}, json.dumps(body).encode()


def transaction_conflict(items: int) -> tuple[int, dict[str, str], bytes]:
    """A TransactWriteItems cancelled because another transaction held its first item."""
    reasons = [{"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}]
    reasons += [{"Code": "None"}] * (items - 1)
    return dynamodb_error("TransactionCanceledException", CancellationReasons=reasons)


def transaction_throttled(
    items: int, reason: str = "ThrottlingError"
) -> tuple[int, dict[str, str], bytes]:
    """A TransactWriteItems cancelled because an item's table or index was throttled.

    DynamoDB does not answer a throttled transaction with a throttling error code but
    with ``TransactionCanceledException`` and the reason ``ThrottlingError`` (on-demand)
    or ``ProvisionedThroughputExceeded`` (provisioned capacity) on the item concerned;
    botocore does not retry it.
    """
    reasons = [{"Code": reason, "Message": "Throughput exceeds the current capacity"}]
    reasons += [{"Code": "None"}] * (items - 1)
    return dynamodb_error("TransactionCanceledException", CancellationReasons=reasons)


def rest_json_error(code: str, status: int) -> tuple[int, dict[str, str], bytes]:
    return status, {"x-amzn-ErrorType": code}, json.dumps({"message": f"injected {code}"}).encode()


def s3_error(code: str, status: int) -> tuple[int, dict[str, str], bytes]:
    body = f"<Error><Code>{code}</Code><Message>injected {code}</Message></Error>"
    return status, {"Content-Type": "application/xml"}, body.encode()


THROTTLED = dynamodb_error("ProvisionedThroughputExceededException")
THROTTLING = dynamodb_error("ThrottlingException")
INTERNAL = dynamodb_error("InternalServerError", status=500)
SES_THROTTLED = rest_json_error("TooManyRequestsException", 429)
SES_REJECTED = rest_json_error("MessageRejected", 400)
S3_SLOW_DOWN = s3_error("SlowDown", 503)
S3_INTERNAL = s3_error("InternalError", 500)


class _Raw:
    """The raw stream AWSResponse reads its content from."""

    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._content


def _response(url: str, status: int, headers: dict[str, str], body: bytes) -> AWSResponse:
    return AWSResponse(url, status, headers, _Raw(body))


@dataclass
class Fault:
    service: str  # botocore's hyphenized service id: dynamodb, sesv2, s3
    operation: str  # TransactWriteItems, PutItem, SendEmail, PutObject ...
    kind: str  # refuse | reset | raise | lose_answer | kill_before | kill_after
    answer: tuple[int, dict[str, str], bytes] | None = None  # for refuse
    error: Exception | None = None  # for raise
    times: int | None = 1  # None: until healed
    skip: int = 0
    when: Callable[[str], bool] | None = None  # predicate on the request body (text)
    fired: int = 0
    seen: int = 0

    def wants(self, service: str, operation: str, body: str) -> bool:
        if (service, operation) != (self.service, self.operation):
            return False
        if self.when is not None and not self.when(body):
            return False
        if self.times is not None and self.fired >= self.times:
            return False
        self.seen += 1
        return self.seen > self.skip


@dataclass
class Attempt:
    service: str
    operation: str
    body: str
    fault: str | None  # the kind injected, None when passed through


@dataclass
class FaultInjector:
    faults: list[Fault] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)
    _transactions: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)

    def add(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def refuse(
        self, service: str, operation: str, answer: tuple[int, dict[str, str], bytes], **kw: Any
    ) -> Fault:
        return self.add(Fault(service, operation, "refuse", answer=answer, **kw))

    def fail(self, service: str, operation: str, kind: str, **kw: Any) -> Fault:
        return self.add(Fault(service, operation, kind, **kw))

    def heal(self) -> None:
        self.faults.clear()

    def calls(self, service: str, operation: str) -> list[Attempt]:
        return [a for a in self.attempts if (a.service, a.operation) == (service, operation)]

    # -- the wrapped moto hook --------------------------------------------------------

    def handle(
        self, original: Callable[..., Any], stub: Any, event_name: str, request: Any, **kw: Any
    ) -> Any:
        _, service, operation = event_name.split(".", 2)
        body = _text(request.body)
        fault = next((f for f in self.faults if f.wants(service, operation, body)), None)
        self.attempts.append(Attempt(service, operation, body, fault.kind if fault else None))
        token = _transaction_token(service, operation, body)
        if fault is None:
            return self._pass(original, stub, event_name, request, token, **kw)
        fault.fired += 1
        if fault.kind == "refuse":
            assert fault.answer is not None
            return _response(request.url, *fault.answer)
        if fault.kind == "reset":
            raise ConnectionClosedError(endpoint_url=request.url)
        if fault.kind == "raise":
            assert fault.error is not None
            raise fault.error
        if fault.kind == "kill_before":
            raise LambdaTimeout(f"{service}.{operation} not sent")
        self._pass(original, stub, event_name, request, token, **kw)  # applied
        if fault.kind == "kill_after":
            raise LambdaTimeout(f"{service}.{operation} applied, answer never read")
        if fault.kind == "lose_answer":
            raise ReadTimeoutError(endpoint_url=request.url)
        raise AssertionError(f"unknown fault kind {fault.kind}")

    def _pass(
        self,
        original: Callable[..., Any],
        stub: Any,
        event_name: str,
        request: Any,
        token: str | None,
        **kw: Any,
    ) -> Any:
        if token is not None and token in self._transactions:
            # DynamoDB: a repeated token of a transaction that succeeded returns success
            # and applies nothing (ClientRequestToken idempotency).
            return _response(request.url, *self._transactions[token])
        response = original(stub, event_name, request, **kw)
        if token is not None and response is not None and response.status_code < 300:
            self._transactions[token] = (
                response.status_code,
                dict(response.headers),
                response.content,
            )
        return response


def _text(body: Any) -> str:
    if body is None:
        return ""
    if isinstance(body, bytes):
        return body.decode("utf-8", errors="replace")
    if isinstance(body, str):
        return body
    return ""  # a stream (S3 uploads): matched by operation only


def _transaction_token(service: str, operation: str, body: str) -> str | None:
    if (service, operation) != ("dynamodb", "TransactWriteItems"):
        return None
    token = json.loads(body).get("ClientRequestToken")
    return str(token) if token else None


def install(monkeypatch: pytest.MonkeyPatch) -> FaultInjector:
    """A fault injector on every botocore client under moto (undone with ``monkeypatch``);
    botocore's back-off is recorded, never slept."""
    import botocore.endpoint
    from moto.core.botocore_stubber import BotocoreStubber

    injector = FaultInjector()
    original = BotocoreStubber.__call__

    def call(stub: Any, event_name: str, request: Any, **kw: Any) -> Any:
        if not stub.enabled:
            return original(stub, event_name, request, **kw)
        return injector.handle(original, stub, event_name, request, **kw)

    monkeypatch.setattr(BotocoreStubber, "__call__", call)
    monkeypatch.setattr(botocore.endpoint, "time", SimpleNamespace(sleep=injector.sleeps.append))
    return injector

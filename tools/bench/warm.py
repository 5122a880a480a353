"""Warm handler overhead per request, per route: p50 and p99 with AWS answered by a stub.

``tools.bench.calls`` calls every route once on moto and records each AWS answer. Here
moto is off: a botocore ``before-send`` hook on the storage's client (and on the auth
service's Cognito client) hands back the recorded HTTP answer of each call, in order,
without any network or moto, so what is timed is our code: the handler, Powertools'
routing and validation, the domain, pynamodb, and botocore's request building and
response parsing. Each route's request is replayed ``warmup`` times untimed, then
``iterations`` times timed (``time.perf_counter_ns`` around ``lambda_handler``).
Log lines and metrics are still formatted and written, to /dev/null.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

from tools.bench.calls import Answer, RouteCall

WARMUP = 50
ITERATIONS = 500


class _Raw:
    """What botocore reads an AWSResponse's body from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


class Replayer:
    """A ``before-send`` hook answering each call with the next recorded answer."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.queue: list[Answer] = []

    def load(self, answers: list[Answer]) -> None:
        self.queue = [a for a in answers if a.service == self.service]

    def __call__(self, request: Any, **_: Any) -> Any:
        from botocore.awsrequest import AWSResponse, HTTPHeaders

        if not self.queue:
            raise RuntimeError(f"{self.service}: a call the recording does not have")
        answer = self.queue.pop(0)
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        if not target.endswith(f".{answer.operation}"):
            raise RuntimeError(f"{self.service}: expected {answer.operation}, got {target}")
        headers = HTTPHeaders()
        for name, value in answer.headers.items():
            headers[name] = value
        return AWSResponse(request.url, answer.status, headers, _Raw(answer.body))


@dataclass(frozen=True)
class Timing:
    call: RouteCall
    p50_ms: float
    p99_ms: float
    mean_ms: float
    log_bytes: float  # written per request (our log line and metrics)


def run(
    recorded: list[RouteCall], warmup: int = WARMUP, iterations: int = ITERATIONS
) -> list[Timing]:
    import boto3

    from functions.auth import app as auth_app
    from functions.intake import app as intake_app
    from functions.route import app as route_app
    from pendopo.services.accounts import AccountsService
    from pendopo.storage.connection import bind_table
    from tools.bench.calls import REGION, TABLE, apply_environment, quiet_logs
    from tools.local.events import lambda_context

    apply_environment()
    connection = bind_table(TABLE, REGION, None)
    dynamo = Replayer("dynamodb")
    connection.client.meta.events.register_first("before-send.dynamodb", dynamo)
    cognito_client = boto3.client("cognito-idp", region_name=REGION)
    cognito = Replayer("cognito")
    cognito_client.meta.events.register_first("before-send.cognito-idp", cognito)
    deployed_service = auth_app.service
    auth_app.service = AccountsService(cognito_client, "bench-client")
    modules = {"intake": intake_app, "route": route_app, "auth": auth_app}
    timings = []
    try:
        with quiet_logs() as sink:
            for call in recorded:
                handler = modules[call.function].lambda_handler
                samples = []
                logged = 0
                for index in range(warmup + iterations):
                    dynamo.load(call.answers)
                    cognito.load(call.answers)
                    context = lambda_context(call.function)
                    before = sink.bytes
                    started = time.perf_counter_ns()
                    result = handler(call.event, context)
                    elapsed = time.perf_counter_ns() - started
                    if result["statusCode"] != call.status or dynamo.queue or cognito.queue:
                        raise RuntimeError(f"{call.route}: the replay went another way")
                    if index >= warmup:
                        samples.append(elapsed / 1e6)
                        logged += sink.bytes - before
                samples.sort()
                timings.append(
                    Timing(
                        call,
                        p50_ms=statistics.median(samples),
                        p99_ms=samples[min(len(samples) - 1, int(len(samples) * 0.99))],
                        mean_ms=statistics.fmean(samples),
                        log_bytes=logged / iterations,
                    )
                )
    finally:
        auth_app.service = deployed_service
    return timings


def markdown(timings: list[Timing], iterations: int) -> str:
    lines = [
        f"Each route's request replayed {iterations} times after {WARMUP} untimed, in one"
        " warm process, with every AWS answer handed back by a botocore `before-send` stub"
        " (recorded from the moto run above): only our code, Powertools and botocore's"
        " request building and parsing are timed, not DynamoDB or Cognito.",
        "",
        "| route | request | p50 ms | p99 ms | mean ms | log bytes |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for timing in timings:
        lines.append(
            f"| `{timing.call.route}` | {timing.call.label} | {timing.p50_ms:.2f} |"
            f" {timing.p99_ms:.2f} | {timing.mean_ms:.2f} | {timing.log_bytes:.0f} |"
        )
    return "\n".join(lines)


_last: list[list[Timing]] = []


def last_run() -> list[Timing] | None:
    return _last[-1] if _last else None


def section(args: Any = None) -> tuple[str, str]:
    from tools.bench import calls as bench_calls

    iterations = getattr(args, "iterations", ITERATIONS)
    print(f"Warm overhead: {iterations} replays per route ...", flush=True)
    recorded = bench_calls.last_run() or bench_calls.run()
    timings = run(recorded, iterations=iterations)
    _last[:] = [timings]
    for timing in timings:
        print(
            f"  {timing.call.route:<48} p50 {timing.p50_ms:6.2f} ms  p99 {timing.p99_ms:6.2f} ms",
            flush=True,
        )
    return "Warm handler overhead per request", markdown(timings, iterations)

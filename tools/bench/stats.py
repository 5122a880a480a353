"""Benchmark of the live figures (issue #19, ``make bench``): writes per audit event,
reads per answer, and handler time.

A month of complaints is made through the real intake and route handlers on moto (in
this process), each taken a different way through the workflow (verified,
dispositioned, a result returned and sent again, accepted, rejected, re-routed). The
table's stream is then delivered to the aggregator's ``lambda_handler`` in batches of
100, as Lambda would, and once more (a replayed batch). A botocore hook on the
storage's client counts every DynamoDB call by operation; the aggregator reports the
items each transaction wrote. Then every period is asked of the dashboard service
(Queries per answer, items read), and ``GET /v1/statistics`` is timed warm through the
intake handler on moto (an upper bound: moto's own time included; the warm section
times the same route with DynamoDB's answers replayed, our code only).
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from tools.bench.calls import REGION, TABLE, apply_environment, quiet_logs

COMPLAINTS = 70
WARM_CALLS = 50
GOAL_MS = 50.0
PLANS = (
    (),
    ("verify",),
    ("verify", "disposition"),
    ("verify", "disposition", "follow-up"),
    ("verify", "disposition", "follow-up", "accept"),
    ("verify", "disposition", "follow-up", "return", "follow-up", "accept"),
    ("reject",),
    ("verify", "reroute"),
)
BODIES: dict[str, dict[str, Any]] = {
    "verify": {},
    "disposition": {"agency": "BINA_MARGA"},
    "follow-up": {"result": "Lubang sudah ditambal oleh Dinas Bina Marga, foto terlampir."},
    "accept": {},
    "return": {"reason": "Foto bukti belum dilampirkan."},
    "reject": {"reason": "Bukan wilayah DKI Jakarta."},
    "reroute": {"category": "PARKING", "reason": "Soal parkir liar, bukan jalan."},
}


def run(complaints: int = COMPLAINTS) -> dict[str, Any]:
    apply_environment()
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        from infra.template import create_tables

        create_tables(client, TABLE)
        return _run(client, complaints)


def _run(client: Any, complaints: int) -> dict[str, Any]:
    import boto3

    from functions.aggregate import app as aggregate
    from functions.intake import app as intake
    from functions.route import app as route
    from pendopo.domain.clock import WIB, FixedClock
    from pendopo.domain.stats import parse_period
    from pendopo.domain.taxonomy import load_taxonomy
    from pendopo.services.intake import IntakeService
    from pendopo.services.stats import StatsService
    from pendopo.services.workflow import WorkflowService
    from pendopo.storage.complaints import ComplaintStore
    from pendopo.storage.connection import bind_table, shared_connection
    from tools.bench.calls import _claims
    from tools.local.accounts import demo_email
    from tools.local.events import http_api_event, lambda_context
    from tools.local.sample import SAMPLE_COMPLAINT
    from tools.local.streams import (
        StreamPoller,
        filter_patterns,
        lambda_stream_event,
        lambda_stream_record,
        passes,
    )

    bind_table(TABLE, REGION, None)
    taxonomy = load_taxonomy()
    clock = FixedClock(datetime(2025, 6, 2, 8, 0, tzinfo=WIB))
    saved = (intake.service, intake.clock, route.service, route.clock, aggregate.service)
    intake.service = IntakeService(ComplaintStore(), intake.rules, clock)
    intake.clock = route.clock = clock
    route.service = WorkflowService(ComplaintStore(), taxonomy, clock)
    service = StatsService(taxonomy, clock)
    aggregate.service = intake.statistics = service
    stream = StreamPoller(
        dynamodb_client=client,
        streams_client=boto3.client("dynamodbstreams", region_name=REGION),
        table_name=TABLE,
        handler=lambda event, context: None,
    )
    stream.attach("TRIM_HORIZON")
    verifier = _claims(demo_email("verifikator", "BIRO_PEM"), "verifikator", "BIRO_PEM")
    coordinators = {
        unit: _claims(demo_email("koordinator", unit), "koordinator", unit)
        for unit in taxonomy.units
    }

    def handle(module: Any, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        body = kwargs.pop("json", None)
        headers = {"content-type": "application/json", **kwargs.pop("headers", {})}
        event = http_api_event(
            method,
            path,
            headers=headers,
            body=json.dumps(body) if body is not None else None,
            **kwargs,
        )
        with quiet_logs():
            answer: dict[str, Any] = module.lambda_handler(event, lambda_context("bench"))
        if answer["statusCode"] >= 400:
            raise RuntimeError(f"{path}: {answer['statusCode']} {answer.get('body')}")
        return answer

    patterns = filter_patterns("AggregateFunction")
    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    def fresh_records() -> list[Any]:
        return [
            r
            for shard in list(stream._positions)
            for r in stream._read(shard)
            if passes(patterns, lambda_stream_record(r, ""))
        ]

    events = shared_connection().client.meta.events
    records: list[Any] = []
    first: Counter[str] = Counter()
    first_calls: Counter[str] = Counter()

    def deliver_now() -> None:
        """The stream as Lambda delivers it when it keeps up: each change soon after it."""
        batch = fresh_records()
        records.extend(batch)
        calls.clear()
        events.register("before-call.dynamodb", count)
        try:
            first.update(_deliver(aggregate, batch, stream, lambda_stream_event, lambda_context))
        finally:
            events.unregister("before-call.dynamodb", count)
        first_calls.update(calls)

    try:
        actions = 0
        for serial in range(complaints):
            clock.set(datetime(2025, 6, 2, 8, 0, tzinfo=WIB) + timedelta(hours=9 * serial))
            created = handle(
                intake,
                "POST",
                "/v1/complaints",
                json={**SAMPLE_COMPLAINT, "channel": "web" if serial % 3 else "kiosk"},
                headers={"Idempotency-Key": f"bench-stats-{serial:06d}"},
            )
            deliver_now()
            ticket = json.loads(created["body"])["ticket"]
            for step in PLANS[serial % len(PLANS)]:
                clock.advance(timedelta(hours=7))
                path = f"/v1/officer/complaints/{ticket}"
                claims = verifier
                detail = json.loads(handle(route, "GET", path, authorizer_claims=claims)["body"])
                unit = (
                    detail["unit"]["code"] if isinstance(detail.get("unit"), dict) else "BIRO_PLH"
                )
                if step in ("disposition", "follow-up"):
                    claims = coordinators.get(unit, verifier)
                handle(
                    route,
                    "POST",
                    f"{path}/{step}",
                    json=BODIES[step],
                    headers={"If-Match": f'"{detail["version"]}"'},
                    authorizer_claims=claims,
                )
                deliver_now()
                actions += 1
        events.register("before-call.dynamodb", count)
        try:
            calls.clear()
            replay = _deliver(aggregate, records, stream, lambda_stream_event, lambda_context)
            replay_calls = dict(calls)
            clock.set(datetime(2025, 7, 5, 7, 0, tzinfo=WIB))
            answers = {}
            for period in ("today", "7d", "30d", "2025-06"):
                calls.clear()
                started = time.perf_counter()
                service.answer(parse_period(period, clock.now()), list(taxonomy.units))
                answers[period] = (dict(calls), (time.perf_counter() - started) * 1000)
        finally:
            events.unregister("before-call.dynamodb", count)
        # Our code alone on this month's counters: the figures and the answer's model,
        # from the items the 7 Queries returned (read once here).
        from pendopo.domain.stats import dashboard
        from pendopo.views.stats import Statistics

        june = parse_period("2025-06", clock.now())
        items = service.store.counters_of_units(list(taxonomy.units), *june.key_range())
        item_count = sum(len(v) for v in items.values())
        compute = []
        for index in range(WARM_CALLS + 5):
            started = time.perf_counter()
            Statistics.of(dashboard(items, june, clock.now(), taxonomy)).model_dump_json(
                by_alias=True
            )
            if index >= 5:
                compute.append((time.perf_counter() - started) * 1000)
        samples = []
        for index in range(WARM_CALLS + 5):
            started = time.perf_counter()
            handle(intake, "GET", "/v1/statistics", query="period=2025-06")
            if index >= 5:
                samples.append((time.perf_counter() - started) * 1000)
    finally:
        (intake.service, intake.clock, route.service, route.clock, aggregate.service) = saved
        intake.statistics = aggregate.service
    return {
        "complaints": complaints,
        "events": len(records),
        "actions": actions,
        "first": dict(first),
        "first_calls": dict(first_calls),
        "replay": replay,
        "replay_calls": replay_calls,
        "answers": answers,
        "warm_p50_ms": statistics.median(samples),
        "items": item_count,
        "compute_p50_ms": statistics.median(compute),
        "compute_max_ms": max(compute),
        "warm_max_ms": max(samples),
    }


def _deliver(
    app: Any, records: list[Any], stream: Any, event_of: Any, context_of: Any
) -> dict[str, int]:
    outcome: Counter[str] = Counter()
    for start in range(0, len(records), 100):
        event = json.loads(json.dumps(event_of(records[start : start + 100], stream.stream_arn)))
        with quiet_logs():
            result = app.lambda_handler(event, context_of("AggregateFunction", 60))
        if result["batchItemFailures"]:
            raise RuntimeError("the aggregator failed records")
        batch = app._batch
        outcome["applied"] += batch.count("applied")
        outcome["duplicate"] += batch.count("duplicate")
        outcome["written"] += sum(r.writes for r in batch.refreshes)
    return dict(outcome)


def markdown(figures: dict[str, Any]) -> str:
    events, first, replay = figures["events"], figures["first"], figures["replay"]
    fc, rc = figures["first_calls"], figures["replay_calls"]

    def per(n: int) -> str:
        return f"{n / events:.2f}" if events else "-"

    lines = [
        f"{figures['complaints']} complaints made through the intake and route handlers on"
        f" moto, {figures['actions']} officer actions: {events} audit events on the stream,"
        " delivered to the aggregator's `lambda_handler` after each change (a stream that"
        " keeps up), then all of them again in batches of 100 (Lambda's at-least-once).",
        "",
        "| delivery | events applied | duplicates | GetItem | TransactWriteItems | items written |"
        " items written per event |",
        "|---|---|---|---|---|---|---|",
        f"| first | {first.get('applied', 0)} | {first.get('duplicate', 0)} |"
        f" {fc.get('GetItem', 0)} | {fc.get('TransactWriteItems', 0)} |"
        f" {first.get('written', 0)} | {per(first.get('written', 0))} |",
        f"| replayed | {replay.get('applied', 0)} | {replay.get('duplicate', 0)} |"
        f" {rc.get('GetItem', 0)} | {rc.get('TransactWriteItems', 0)} |"
        f" {replay.get('written', 0)} | {per(replay.get('written', 0))} |",
        "",
        "An event applied reads the ledger and the complaint (two GetItems) and writes one"
        " TransactWriteItems: the complaint's ledger and each counter item its change"
        " touches (its received day and month, and the days of its deadline and"
        " completion when those change). A replayed event costs one GetItem (the ledger)"
        " and writes nothing.",
        "",
        "| period | DynamoDB calls per answer (every unit) | time on moto |",
        "|---|---|---|",
        *(
            f"| `{period}` | {', '.join(f'{k} {v}' for k, v in sorted(c.items()))} | {ms:.1f} ms |"
            for period, (c, ms) in figures["answers"].items()
        ),
        "",
        f"The figures and the answer's model from the {figures['items']} counter items the"
        f" 7 Queries of `2025-06` return (our code, no DynamoDB): median"
        f" {figures['compute_p50_ms']:.1f} ms, slowest {figures['compute_max_ms']:.1f} ms.",
        "",
        f"`GET /v1/statistics?period=2025-06` through the intake handler, warm, on moto in"
        f" process ({WARM_CALLS} calls): median {figures['warm_p50_ms']:.1f} ms, slowest"
        f" {figures['warm_max_ms']:.1f} ms, moto's own time included (goal: under"
        f" {GOAL_MS:.0f} ms of handler time; the warm section replays DynamoDB's answers"
        " and times our code alone).",
    ]
    return "\n".join(lines)


def section(_: Any = None) -> tuple[str, str]:
    print("Live figures: the aggregator's writes per audit event, reads per answer", flush=True)
    text = markdown(run())
    print(text, flush=True)
    return "Live figures", text


if __name__ == "__main__":
    section()

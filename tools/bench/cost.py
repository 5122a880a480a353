"""Cost model: US dollars per 1,000,000 complaints through their whole life, us-east-1 list prices.

Built from what the other benchmarks measured in the same run: DynamoDB calls per
request (``tools.bench.calls``), the size of the items each writes and reads (from the
recorded answers), and warm handler durations (``tools.bench.warm``). What cannot be
measured here is an assumption, written in ``ASSUMPTIONS`` and printed in the doc.

The arithmetic is plain functions over plain numbers (``Usage`` -> dollars), with a
unit test (tests/unit/test_bench_cost.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

# us-east-1 list prices (USD), from the AWS pricing pages, as of PRICES_DATE.
PRICES_DATE = "2025-06 (AWS pricing pages; DynamoDB on-demand after the November 2024 cut)"
PRICES: dict[str, tuple[float, str, str]] = {
    # key: (price, unit, source page)
    "lambda_gb_s": (0.0000133334, "GB-second, arm64", "aws.amazon.com/lambda/pricing"),
    "lambda_request": (0.20 / 1e6, "request", "aws.amazon.com/lambda/pricing"),
    "httpapi_request": (
        1.00 / 1e6,
        "request (first 300 M a month)",
        "aws.amazon.com/api-gateway/pricing",
    ),
    "ddb_wru": (
        0.625 / 1e6,
        "write request unit, on-demand",
        "aws.amazon.com/dynamodb/pricing/on-demand",
    ),
    "ddb_rru": (
        0.125 / 1e6,
        "read request unit, on-demand",
        "aws.amazon.com/dynamodb/pricing/on-demand",
    ),
    "ddb_storage_gb_month": (
        0.25,
        "GB-month, table and indexes",
        "aws.amazon.com/dynamodb/pricing/on-demand",
    ),
    "ddb_stream_read": (
        0.0,
        "stream read by a Lambda trigger (free)",
        "aws.amazon.com/dynamodb/pricing/on-demand",
    ),
    "ses_email": (0.10 / 1000, "email sent", "aws.amazon.com/ses/pricing"),
    "s3_put": (0.005 / 1000, "PUT request, S3 Standard", "aws.amazon.com/s3/pricing"),
    "logs_gb": (0.50, "GB of logs ingested (standard)", "aws.amazon.com/cloudwatch/pricing"),
    "scheduler_invocation": (
        1.00 / 1e6,
        "EventBridge Scheduler invocation",
        "aws.amazon.com/eventbridge/pricing",
    ),
    "xray_trace": (5.00 / 1e6, "trace recorded", "aws.amazon.com/xray/pricing"),
}

COMPLAINTS = 1_000_000
# The assumptions of one complaint's life (and of the jobs 1,000,000 complaints need).
ASSUMPTIONS: dict[str, Any] = {
    "complaints_per_year": COMPLAINTS,  # so 365 daily checks and 12 recaps per 1,000,000
    "page_views_per_submission": 2,  # GET categories + GET kiosk/info before submitting
    "submission_retries": 0.05,  # 5% of submissions are retried once (answer lost)
    "tracking_lookups": 3,
    "actions": ["verify", "disposition", "acknowledge", "follow-up", "accept"],
    "officer_reads_per_action": 2,  # one queue page and one detail before each action
    "daily_check_reads_per_complaint": 2,  # open and inside the window on about two checks
    "units": 7,
    "daily_digest_emails": 7 + 4,  # a digest per unit and per Asisten, every day
    "recap_emails": 7 + 4 + 1,  # unit heads, Asisten, the Sekda
    "recap_s3_puts": 7 + 4 + 3,  # unit and Asisten reports, consolidated report, CSV, workbook
    "aws_wait_ms": {"dynamodb": 6.0, "cognito": 60.0, "ses": 40.0, "s3": 30.0},
    "memory_mb": 512,  # every function but the recap (1,024 MB): template.yaml
    "recap_memory_mb": 1024,
    "recap_ms_per_complaint": 0.5,  # build and render, per complaint of the month
    # Not timed by the warm benchmark (it replays HTTP routes only): notify's own work
    # per stream record beside its AWS waits, and one whole daily check run.
    "notify_ms_per_record": 15.0,
    "daily_check_ms": 2000.0,
    "platform_log_bytes": 350,  # Lambda's START/END/REPORT lines per invocation
    "storage_kb_per_complaint": 12.0,  # complaint, events, 4 index copies; kept a year
    "xray_traced_share": 1.0,  # upper bound: every invocation traced
}


def wru(size_bytes: int, transactional: bool = False) -> int:
    """Write request units of one item write: 1 per started KB, doubled in a transaction."""
    units = max(1, math.ceil(size_bytes / 1024))
    return units * (2 if transactional else 1)


def rru(size_bytes: int, consistent: bool = True) -> float:
    """Read request units of reading ``size_bytes``: 1 per started 4 KB, half if eventual."""
    units = max(1, math.ceil(size_bytes / 4096))
    return units * (1.0 if consistent else 0.5)


def item_size(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB bills it (attribute names plus values), from DynamoDB JSON."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: dict[str, Any]) -> int:
    (kind, inner), *_ = value.items()
    if kind == "S":
        return len(str(inner).encode())
    if kind == "N":
        return math.ceil(len(str(inner).lstrip("-").replace(".", "")) / 2) + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + 1 + _value_size(v) for k, v in inner.items())
    if kind == "L":
        return 3 + sum(1 + _value_size(v) for v in inner)
    return len(json.dumps(inner).encode())


@dataclass
class Usage:
    """Billable quantities for 1,000,000 complaints; ``dollars`` prices them."""

    lambda_gb_s: float = 0.0
    lambda_requests: float = 0.0
    httpapi_requests: float = 0.0
    wru: float = 0.0
    rru: float = 0.0
    storage_gb_month: float = 0.0
    emails: float = 0.0
    s3_puts: float = 0.0
    log_gb: float = 0.0
    scheduler_invocations: float = 0.0
    traces: float = 0.0
    parts: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, part: str, **quantities: float) -> None:
        into = self.parts.setdefault(part, {})
        for name, amount in quantities.items():
            setattr(self, name, getattr(self, name) + amount)
            into[name] = into.get(name, 0.0) + amount


_PRICE_OF = {
    "lambda_gb_s": "lambda_gb_s",
    "lambda_requests": "lambda_request",
    "httpapi_requests": "httpapi_request",
    "wru": "ddb_wru",
    "rru": "ddb_rru",
    "storage_gb_month": "ddb_storage_gb_month",
    "emails": "ses_email",
    "s3_puts": "s3_put",
    "log_gb": "logs_gb",
    "scheduler_invocations": "scheduler_invocation",
    "traces": "xray_trace",
}


def dollars(quantities: dict[str, float]) -> float:
    return sum(amount * PRICES[_PRICE_OF[name]][0] for name, amount in quantities.items())


@dataclass(frozen=True)
class Request:
    """What one request of a route costs: duration, calls, units, log bytes."""

    ms: float
    calls: int
    wru: float
    rru: float
    log_bytes: float
    cognito_calls: int = 0


def invocation(usage: Usage, part: str, request: Request, count: float, *, http: bool) -> None:
    """``count`` Lambda invocations of ``request`` (through the HttpApi when ``http``)."""
    waits = ASSUMPTIONS["aws_wait_ms"]
    ms = math.ceil(
        request.ms + request.calls * waits["dynamodb"] + request.cognito_calls * waits["cognito"]
    )
    usage.add(
        part,
        lambda_gb_s=count * ms / 1000 * ASSUMPTIONS["memory_mb"] / 1024,
        lambda_requests=count,
        httpapi_requests=count if http else 0.0,
        wru=count * request.wru,
        rru=count * request.rru,
        log_gb=count * (request.log_bytes + ASSUMPTIONS["platform_log_bytes"]) / 1e9,
        traces=count * ASSUMPTIONS["xray_traced_share"],
    )


# --- from the measured run to the usage of 1,000,000 complaints ---------------------


def _items(answer: Any) -> list[dict[str, Any]]:
    body = json.loads(answer.body or b"{}")
    if "Item" in body:
        return [body["Item"]]
    return list(body.get("Items", []))


def request_of(call: Any, timing: Any | None, written: list[int]) -> Request:
    """The cost of one recorded request. ``written``: sizes of the items its
    TransactWriteItems writes (the complaint first), each also copied into the four
    indexes (ALL projection) when it is the complaint; a status change moves it
    between partitions of two indexes (a delete each)."""
    units_read = 0.0
    for answer in call.answers:
        if answer.service != "dynamodb" or answer.status != 200:
            continue
        sizes = [item_size(item) for item in _items(answer)]
        if answer.operation == "GetItem":
            units_read += rru(sum(sizes), consistent=True)
        elif answer.operation == "Query":
            # the detail reads the table (consistent); queues read indexes (eventual)
            units_read += rru(sum(sizes), consistent=call.route.endswith("{ticket}"))
    units_written = 0.0
    if call.calls.get("TransactWriteItems") and written:
        units_written = sum(wru(size, transactional=True) for size in written)
        units_written += 4 * wru(written[0])
        if call.calls.get("GetItem"):
            # an action (read, then change): the status moves the complaint between
            # partitions of two indexes, a delete each; a create moves nothing
            units_written += 2
    return Request(
        ms=timing.p50_ms if timing else 0.0,
        calls=call.total,
        wru=units_written,
        rru=units_read,
        log_bytes=timing.log_bytes if timing else 600.0,
        cognito_calls=sum(call.cognito.values()),
    )


def _sizes(calls: list[Any]) -> dict[str, int]:
    """Item sizes from the recorded answers: a complaint, an audit event, an idempotency record."""
    measured: dict[str, int] = {}
    for call in calls:
        for answer in call.answers:
            for item in _items(answer) if answer.status == 200 else []:
                kind = item.get("kind", {}).get("S")
                if kind in ("complaint", "event", "idempotency"):
                    measured[kind] = max(measured.get(kind, 0), item_size(item))
    return {"complaint": 2048, "event": 400, "idempotency": 1024, **measured}


def usage(calls: list[Any], timings: list[Any] | None) -> tuple[Usage, dict[str, int]]:
    """The usage of 1,000,000 complaints, from one measured run (calls and warm timings)."""
    from pendopo.domain.notifications import recipients_for
    from pendopo.domain.status import Action
    from pendopo.domain.taxonomy import load_recipients, load_taxonomy

    by_label = {c.label: c for c in calls}
    timing_of = {id(t.call): t for t in timings or []}
    sizes = _sizes(calls)
    n = float(COMPLAINTS)
    a = ASSUMPTIONS
    use = Usage()

    def req(label: str, written: list[int] | None = None) -> Request:
        call = by_label[label]
        return request_of(call, timing_of.get(id(call)), written or [])

    submit = req("a web complaint", [sizes["complaint"], sizes["event"], sizes["idempotency"]])
    invocation(use, "intake", submit, n, http=True)
    invocation(use, "intake", req("categories"), n, http=True)
    invocation(
        use, "intake", req("kiosk info"), n * (a["page_views_per_submission"] - 1), http=True
    )
    invocation(
        use,
        "intake",
        req("the same, retried (answer lost)"),
        n * a["submission_retries"],
        http=True,
    )
    invocation(use, "tracking", req("tracking, right code"), n * a["tracking_lookups"], http=True)
    steps = {"verify": 1, "disposition": 1, "acknowledge": 1, "follow-up": 1, "accept": 1}
    for segment in a["actions"]:
        label = f"{segment} (the complaint's life)"
        action = req(label, [sizes["complaint"], sizes["event"]])
        invocation(use, "officer actions", action, n * steps[segment], http=True)
    reads = len(a["actions"]) * a["officer_reads_per_action"] / 2
    invocation(use, "officer reads", req("a unit's open queue"), n * reads, http=True)
    invocation(use, "officer reads", req("detail with audit trail"), n * reads, http=True)
    # Officers log in per shift, not per complaint: 20 officers, 2 logins a working day.
    invocation(use, "officer reads", req("login (Cognito InitiateAuth)"), 20 * 2 * 250, http=True)

    # Notify: one stream record per audit event (submit + each action), one invocation each.
    recipients = load_recipients(taxonomy=load_taxonomy())
    actions = [Action.SUBMIT] + [
        {
            "verify": Action.VERIFY,
            "disposition": Action.DISPOSITION,
            "acknowledge": Action.ACKNOWLEDGE,
            "follow-up": Action.SUBMIT_FOLLOW_UP,
            "accept": Action.ACCEPT_FOLLOW_UP,
        }[s]
        for s in a["actions"]
    ]
    emails = sum(len(recipients_for(action, "BIRO_PLH", recipients)) for action in actions)
    waits = a["aws_wait_ms"]
    notify_ms = (
        a["notify_ms_per_record"] * len(actions)
        + emails * (2 * waits["dynamodb"] + waits["ses"])
        + len(actions) * waits["dynamodb"]
    )
    use.add(
        "notify (stream)",
        lambda_gb_s=n * notify_ms / 1000 * a["memory_mb"] / 1024,
        lambda_requests=n * len(actions),
        rru=n * len(actions) * rru(sizes["complaint"]),
        wru=n * emails * 2,  # claim (conditional put) and mark sent, per email
        emails=n * emails,
        log_gb=n * len(actions) * (900 + a["platform_log_bytes"]) / 1e9,
        traces=n * len(actions) * a["xray_traced_share"],
    )
    # Daily deadline check: 365 runs; each open complaint read on about two of them.
    runs = 365.0
    digest_ms = a["daily_check_ms"]
    use.add(
        "daily checks",
        lambda_gb_s=runs * digest_ms / 1000 * a["memory_mb"] / 1024,
        lambda_requests=runs,
        scheduler_invocations=runs,
        rru=runs * a["units"] * 0.5 + n * a["daily_check_reads_per_complaint"] * 0.5 * 400 / 4096,
        wru=runs * a["daily_digest_emails"] * 2,
        emails=runs * a["daily_digest_emails"],
        log_gb=runs * 2000 / 1e9,
        traces=runs,
    )
    # Monthly recap: 12 runs, each reading its month's complaints whole from the index.
    months = 12.0
    recap_ms = n / months * a["recap_ms_per_complaint"] + 5000
    use.add(
        "monthly recap",
        lambda_gb_s=months * recap_ms / 1000 * a["recap_memory_mb"] / 1024,
        lambda_requests=months,
        scheduler_invocations=months,
        rru=n * 0.5 * sizes["complaint"] / 4096,
        wru=months * a["recap_emails"] * 2,
        emails=months * a["recap_emails"],
        s3_puts=months * a["recap_s3_puts"],
        log_gb=months * 5000 / 1e9,
        traces=months,
    )
    use.add("storage (a year)", storage_gb_month=n * a["storage_kb_per_complaint"] * 12 / 1e6)
    return use, sizes


def markdown(use: Usage, sizes: dict[str, int]) -> str:
    total = dollars({k: getattr(use, k) for k in _PRICE_OF})
    lines = [
        f"**{total:,.2f} US dollars per 1,000,000 complaints** through their whole life"
        f" ({total / COMPLAINTS * 1000:.3f} dollars per 1,000), at us-east-1 list prices,"
        " from the call counts and warm durations measured above and the assumptions below.",
        "",
        "| part | Lambda GB-s | Lambda req | HttpApi req | WRU | RRU | emails | S3 PUT"
        " | logs GB | USD |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for part, quantities in use.parts.items():
        q = {name: quantities.get(name, 0.0) for name in _PRICE_OF}
        lines.append(
            f"| {part} | {q['lambda_gb_s']:,.0f} | {q['lambda_requests']:,.0f} |"
            f" {q['httpapi_requests']:,.0f} | {q['wru']:,.0f} | {q['rru']:,.0f} |"
            f" {q['emails']:,.0f} | {q['s3_puts']:,.0f} | {q['log_gb']:,.2f} |"
            f" {dollars(quantities):,.2f} |"
        )
    by_service = {
        "Lambda": dollars({"lambda_gb_s": use.lambda_gb_s, "lambda_requests": use.lambda_requests}),
        "HttpApi": dollars({"httpapi_requests": use.httpapi_requests}),
        "DynamoDB requests": dollars({"wru": use.wru, "rru": use.rru}),
        "DynamoDB storage": dollars({"storage_gb_month": use.storage_gb_month}),
        "SES": dollars({"emails": use.emails}),
        "S3": dollars({"s3_puts": use.s3_puts}),
        "CloudWatch Logs": dollars({"log_gb": use.log_gb}),
        "EventBridge Scheduler": dollars({"scheduler_invocations": use.scheduler_invocations}),
        "X-Ray": dollars({"traces": use.traces}),
    }
    lines += ["", "| service | USD per 1,000,000 complaints |", "|---|---:|"]
    lines += [f"| {name} | {amount:,.2f} |" for name, amount in by_service.items()]
    lines += [
        "",
        f"Item sizes from the recorded answers (bytes, as DynamoDB bills them): complaint"
        f" {sizes['complaint']:,}, audit event {sizes['event']:,}, idempotency record"
        f" {sizes['idempotency']:,}. A create is a transaction of the three (2 WRU per KB"
        " each) plus the complaint's copies in the four indexes (ALL projection); an action"
        " writes the complaint and its event in a transaction, four index copies and two"
        " index deletes (its status moves partitions). Stream reads by the notify trigger"
        " are free. Lambda duration: the warm p50 plus an assumed wait per AWS call, rounded"
        " up to the millisecond; cold starts and retries other than the listed ones are left out.",
        "",
        f"Prices ({PRICES_DATE}):",
        "",
        "| item | USD per 1,000,000 | source |",
        "|---|---:|---|",
    ]
    for price, unit, source in PRICES.values():
        lines.append(f"| {unit} | {price * 1e6:,.4f} | {source} |")
    lines += ["", "Assumptions:", ""]
    lines += [f"- `{name}`: {value}" for name, value in ASSUMPTIONS.items()]
    return "\n".join(lines)


def section(_: Any = None) -> tuple[str, str]:
    from tools.bench import calls as bench_calls
    from tools.bench import warm as bench_warm

    print("Cost model ...", flush=True)
    calls = bench_calls.last_run() or bench_calls.run()
    use, sizes = usage(calls, bench_warm.last_run())
    total = dollars({k: getattr(use, k) for k in _PRICE_OF})
    print(f"  {total:,.2f} USD per 1,000,000 complaints", flush=True)
    return "Cost per 1,000,000 complaints", markdown(use, sizes)

"""DynamoDB calls per request, per route of template.yaml, beside the minimum possible.

Every HTTP route is called once, in process, through its function's real
``lambda_handler`` with the API Gateway (payload 2.0) event the local gateway
builds, on moto's DynamoDB (and moto's Cognito for the auth routes): one realistic
life of a complaint (submitted on the web, tracked, verified, dispositioned,
acknowledged, a result returned once, then accepted, rated "not resolved" by its
reporter and reopened), a walk-in, a rejection, a re-route and a reporter's addition.
A botocore ``before-call`` hook on the storage's client counts DynamoDB
calls by operation (and one on the auth service's client counts Cognito calls).

The same run records each request's AWS answers, so ``tools.bench.warm`` can replay
them from a stub and time only our code.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tools.local.sample import SAMPLE_COMPLAINT

REGION = "ap-southeast-3"
TABLE = "pendopo-bench-calls"

# The environment the handler modules read at import (settings), as in the tests.
ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "TABLE_NAME": TABLE,
    "STAGE": "bench",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "Pendopo",
    "SES_SENDER": "pendopo@pendopo.example",
    "CONSOLE_URL": "https://konsol.pendopo.example/console/",
    "FILES_BUCKET": "pendopo-bench-files",
}

ACTION_GOAL = 2


@dataclass(frozen=True)
class Answer:
    """One recorded AWS answer: which call, and the HTTP response botocore parsed."""

    service: str
    operation: str
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class RouteCall:
    """One request to one route, what it cost, and what AWS answered."""

    route: str  # "POST /v1/officer/complaints/{ticket}/verify"
    label: str  # the request, in words
    function: str  # intake | route | auth
    event: dict[str, Any]
    status: int
    minimum: int
    goal: int | None
    why: str
    calls: Counter[str] = field(default_factory=Counter)
    cognito: Counter[str] = field(default_factory=Counter)
    answers: list[Answer] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.total <= self.goal


def apply_environment() -> None:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)


class LogSink(io.TextIOBase):
    """Where the handlers' log lines and metrics go during a benchmark: counted, then dropped."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode())
        return len(text)

    def writable(self) -> bool:
        return True


@contextlib.contextmanager
def quiet_logs() -> Iterator[LogSink]:
    """Handlers log one JSON line and print their metrics per invocation: counted, not shown.

    The lines are still formatted and written (to a counting sink), as in Lambda.
    """
    from pendopo.runtime.observability import SERVICE

    handlers = [
        h for h in logging.getLogger(SERVICE).handlers if isinstance(h, logging.StreamHandler)
    ]
    sink = LogSink()
    previous = [h.setStream(sink) for h in handlers]
    try:
        with contextlib.redirect_stdout(sink):
            yield sink
    finally:
        for handler, stream in zip(handlers, previous, strict=True):
            if stream is not None:
                handler.setStream(stream)


class _Recorder:
    """botocore hooks: count calls by operation and keep each raw answer."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.target: RouteCall | None = None

    def before_call(self, model: Any, **_: Any) -> None:
        if self.target is not None:
            counter = self.target.calls if self.service == "dynamodb" else self.target.cognito
            counter[model.name] += 1

    def after_call(self, http_response: Any, model: Any, **_: Any) -> None:
        if self.target is not None:
            self.target.answers.append(
                Answer(
                    self.service,
                    model.name,
                    http_response.status_code,
                    dict(http_response.headers),
                    http_response.content,
                )
            )

    def attach(self, client: Any, prefix: str) -> None:
        client.meta.events.register(f"before-call.{prefix}", self.before_call)
        client.meta.events.register(f"after-call.{prefix}", self.after_call)


_last: list[list[RouteCall]] = []


def last_run() -> list[RouteCall] | None:
    """The calls of this process's last ``run()`` (the warm bench and the cost model reuse it)."""
    return _last[-1] if _last else None


def run() -> list[RouteCall]:
    """Call every route once on moto; the counts and recorded answers of each request."""
    apply_environment()
    import boto3
    from moto import mock_aws

    from tools.local import moto_cognito_sessions

    moto_cognito_sessions.install()  # RevokeToken, for the logout route
    with mock_aws():
        calls = _run(boto3)
    _last[:] = [calls]
    return calls


def _run(boto3: Any) -> list[RouteCall]:
    from functions.auth import app as auth_app
    from functions.intake import app as intake_app
    from functions.route import app as route_app
    from infra.template import create_tables
    from pendopo.services.accounts import AccountsService
    from pendopo.storage.connection import bind_table
    from tools.local.accounts import provision_accounts

    create_tables(boto3.client("dynamodb", region_name=REGION), TABLE)
    bind_table(TABLE, REGION, None)
    cognito_client = boto3.client("cognito-idp", region_name=REGION)
    pool = provision_accounts(cognito_client, "bench")
    deployed_service = auth_app.service
    auth_app.service = AccountsService(cognito_client, pool.client_id)
    try:
        return _requests(auth_app, intake_app, route_app, cognito_client, pool.user_pool_id)
    finally:
        auth_app.service = deployed_service


def _clean_uploads(owner: str, count: int) -> list[str]:
    """``count`` uploads the checker passed (written to the table directly, outside any
    counted request): what a complaint or a follow-up attaches."""
    from datetime import UTC, datetime

    from pendopo.domain.uploads import UploadOwner, UploadRequest, new_upload
    from pendopo.storage.uploads import UploadStore

    store, ids = UploadStore(), []
    for n in range(count):
        request = UploadRequest(filename=f"foto-{n}.jpg", content_type="image/jpeg", size=2000)
        upload = new_upload(request, UploadOwner(owner), datetime.now(UTC))
        store.create(upload)
        store.mark_clean(upload.upload_id, "image/jpeg", 1500, datetime.now(UTC), 640, 480)
        ids.append(upload.upload_id)
    return ids


def _proof_of(route_app: Any, ticket: str) -> str:
    """The upload id of the complaint's proof photo (read outside any counted request)."""
    complaint = route_app.service._store.get_complaint(ticket)
    return str(complaint.follow_up.attachments[0])


def _requests(
    auth_app: Any, intake_app: Any, route_app: Any, cognito_client: Any, user_pool_id: str
) -> list[RouteCall]:
    from pendopo.storage.connection import shared_connection
    from tools.local import totp
    from tools.local.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_email
    from tools.local.events import http_api_event, lambda_context
    from tools.ops.officers import create_officer, officer_spec

    dynamo = _Recorder("dynamodb")
    dynamo.attach(shared_connection().client, "dynamodb")
    cognito = _Recorder("cognito")
    cognito.attach(cognito_client, "cognito-idp")
    modules = {"intake": intake_app, "route": route_app, "auth": auth_app}
    done: list[RouteCall] = []

    def request(
        function: str,
        method: str,
        path: str,
        route: str,
        label: str,
        minimum: int,
        why: str,
        goal: int | None = None,
        *,
        body: Any = None,
        headers: dict[str, str] | None = None,
        claims: dict[str, str] | None = None,
        query: str = "",
    ) -> Any:
        sent = dict(headers or {})
        text = None
        if body is not None:
            text = json.dumps(body)
            sent.setdefault("content-type", "application/json")
        event = http_api_event(
            method, path, headers=sent, body=text, authorizer_claims=claims, query=query
        )
        call = RouteCall(route, label, function, event, 0, minimum, goal, why)
        dynamo.target = cognito.target = call
        try:
            with quiet_logs():
                result = modules[function].lambda_handler(event, lambda_context(function))
        finally:
            dynamo.target = cognito.target = None
        call.status = int(result["statusCode"])
        if call.status >= 400:
            raise RuntimeError(f"{route} answered {call.status}: {result.get('body')}")
        done.append(call)
        text = result.get("body") or ""
        return json.loads(text) if text.startswith(("{", "[")) else {}

    none = "no table access"
    request("intake", "GET", "/v1/categories", "GET /v1/categories", "categories", 0, none)
    request("intake", "GET", "/v1/kiosk/info", "GET /v1/kiosk/info", "kiosk info", 0, none)
    request("intake", "GET", "/v1/openapi.json", "GET /v1/openapi.json", "spec", 0, none)
    request("intake", "GET", "/v1/docs", "GET /v1/docs", "Swagger UI", 0, none)

    one_write = "one TransactWriteItems: complaint, first audit event, idempotency record"
    receipt = request(
        "intake",
        "POST",
        "/v1/complaints",
        "POST /v1/complaints",
        "a web complaint",
        1,
        one_write,
        1,
        body=_COMPLAINT,
        headers={"Idempotency-Key": "bench-submit-0001"},
    )
    request(
        "intake",
        "POST",
        "/v1/complaints",
        "POST /v1/complaints",
        "the same, retried (answer lost)",
        2,
        "the write is refused (key taken), then one GetItem of the first answer",
        body=_COMPLAINT,
        headers={"Idempotency-Key": "bench-submit-0001"},
    )
    ticket, code = receipt["ticket"], receipt["tracking_code"]
    request(
        "intake",
        "POST",
        "/v1/complaints",
        "POST /v1/complaints",
        "a web complaint with two photos",
        2,
        "one BatchGetItem of its uploads + one TransactWriteItems that also claims them",
        2,
        body={**_COMPLAINT, "attachments": _clean_uploads("public", 2)},
        headers={"Idempotency-Key": "bench-submit-files-0001"},
    )
    request(
        "intake",
        "GET",
        f"/v1/complaints/{ticket}",
        "GET /v1/complaints/{ticket}",
        "tracking, right code",
        1,
        "one GetItem (strongly consistent)",
        1,
        headers={"X-Tracking-Code": code},
    )
    officer = _claims(demo_email("petugas", "BIRO_PLH"), "petugas", "BIRO_PLH")
    coordinator = _claims(demo_email("koordinator", "BIRO_PLH"), "koordinator", "BIRO_PLH")
    verifier = _claims(demo_email("verifikator", "BIRO_PEM"), "verifikator", "BIRO_PEM")
    walk_in = request(
        "intake",
        "POST",
        "/v1/officer/complaints",
        "POST /v1/officer/complaints",
        "a walk-in at the desk",
        1,
        one_write,
        1,
        body={k: v for k, v in _COMPLAINT.items() if k != "channel"},
        headers={"Idempotency-Key": "bench-walkin-0001"},
        claims=officer,
    )
    other = request(
        "intake",
        "POST",
        "/v1/complaints",
        "POST /v1/complaints",
        "a third complaint (to re-route)",
        1,
        one_write,
        1,
        body=_COMPLAINT,
        headers={"Idempotency-Key": "bench-submit-0002"},
    )
    request(
        "route",
        "GET",
        "/v1/officer/me",
        "GET /v1/officer/me",
        "who am I",
        0,
        "token claims only",
        claims=coordinator,
    )
    statuses = 6
    request(
        "route",
        "GET",
        "/v1/officer/complaints",
        "GET /v1/officer/complaints",
        "a unit's open queue",
        statuses,
        f"one Query per open status ({statuses} `unit_status` partitions), merged by deadline",
        claims=coordinator,
    )
    request(
        "route",
        "GET",
        f"/v1/officer/complaints/{ticket}",
        "GET /v1/officer/complaints/{ticket}",
        "detail with audit trail",
        2,
        "one Query of the complaint's partition (complaint and events) + one PutItem: the "
        "access record, as the verifier sees the reporter's identity",
        claims=verifier,
    )
    admin = {**_claims("admin@pendopo.example", "admin", ""), "cognito:groups": "[admin]"}
    request(
        "route",
        "GET",
        "/v1/officer/access-log",
        "GET /v1/officer/access-log",
        "the access log of a complaint (admin)",
        1,
        "one Query of the complaint's access partition",
        claims=admin,
        query=f"ticket={ticket}",
    )
    version = 1
    steps: list[tuple[str, dict[str, str], dict[str, Any]]] = [
        ("verify", verifier, {}),
        ("disposition", coordinator, {"agency": "BINA_MARGA"}),
        ("acknowledge", coordinator, {}),
        ("follow-up", coordinator, _FOLLOW_UP),
        ("return", verifier, {"reason": "Foto bukti belum dilampirkan."}),
        ("follow-up", coordinator, {**_FOLLOW_UP, "attachments": _clean_uploads("officer", 1)}),
        ("accept", verifier, {}),
    ]
    action_why = "one GetItem (the rules need the complaint) + one TransactWriteItems"
    proof_why = (
        "one GetItem + one BatchGetItem of the proof's uploads + one TransactWriteItems "
        "that also claims them"
    )
    for segment, claims, body in steps:
        with_files = bool(body.get("attachments"))
        result = request(
            "route",
            "POST",
            f"/v1/officer/complaints/{ticket}/{segment}",
            f"POST /v1/officer/complaints/{{ticket}}/{segment}",
            f"{segment} (the complaint's life)" + (", with a proof photo" if with_files else ""),
            3 if with_files else 2,
            proof_why if with_files else action_why,
            ACTION_GOAL + 1 if with_files else ACTION_GOAL,
            body=body,
            headers={"If-Match": f'"{version}"'},
            claims=claims,
        )
        version = int(result["version"])
    proof = _proof_of(route_app, ticket)
    result = request(
        "route",
        "POST",
        f"/v1/officer/complaints/{ticket}/files/{proof}/visibility",
        "POST /v1/officer/complaints/{ticket}/files/{upload_id}/visibility",
        "the verifier marks the proof photo internal",
        2,
        action_why,
        ACTION_GOAL,
        body={"internal": True},
        headers={"If-Match": f'"{version}"'},
        claims=verifier,
    )
    version = int(result["version"])
    request(
        "route",
        "POST",
        f"/v1/officer/complaints/{walk_in['ticket']}/reject",
        "POST /v1/officer/complaints/{ticket}/reject",
        "reject at verification",
        2,
        action_why,
        ACTION_GOAL,
        body={"reason": "Bukan kewenangan Pemprov DKI Jakarta."},
        headers={"If-Match": '"1"'},
        claims=verifier,
    )
    request(
        "route",
        "POST",
        f"/v1/officer/complaints/{other['ticket']}/reroute",
        "POST /v1/officer/complaints/{ticket}/reroute",
        "re-route to another unit",
        2,
        action_why,
        ACTION_GOAL,
        body={"category": "PARKING", "reason": "Masalah parkir liar, bukan jalan."},
        headers={"If-Match": '"1"'},
        claims=verifier,
    )
    # The reporter's own steps: the tracking code checked on a GetItem, then one write.
    step_why = "one GetItem (the code's hash, the rules) + one TransactWriteItems"
    request(
        "intake",
        "POST",
        f"/v1/complaints/{other['ticket']}/updates",
        "POST /v1/complaints/{ticket}/updates",
        "the reporter adds information",
        2,
        step_why,
        2,
        body={"text": "Parkir liar kini juga menutup jalur sepeda di depan toko."},
        headers={"X-Tracking-Code": other["tracking_code"]},
    )
    request(
        "intake",
        "POST",
        f"/v1/complaints/{ticket}/feedback",
        "POST /v1/complaints/{ticket}/feedback",
        "the reporter rates it: not resolved",
        2,
        step_why,
        2,
        body={"rating": 2, "resolved": "tidak"},
        headers={"X-Tracking-Code": code},
    )
    units = 7
    request(
        "route",
        "GET",
        "/v1/officer/complaints",
        "GET /v1/officer/complaints",
        "the disputed queue, every unit",
        units,
        f"one Query per unit's partition of the sparse `disputed_by_due` index ({units})",
        query="disputed=true",
        claims=verifier,
    )
    request(
        "route",
        "POST",
        f"/v1/officer/complaints/{ticket}/reopen",
        "POST /v1/officer/complaints/{ticket}/reopen",
        "reopen the disputed complaint",
        2,
        action_why,
        ACTION_GOAL,
        body={"reason": "Pelapor menyatakan masalahnya belum selesai."},
        headers={"If-Match": f'"{version + 1}"'},
        claims=verifier,
    )
    # The live figures (issue #19): the counters filled by the aggregator's own step
    # (not counted here: tools.bench.stats measures it), then both answers read them.
    from pendopo.domain.clock import WIB, SystemClock
    from pendopo.domain.taxonomy import load_taxonomy
    from pendopo.services.stats import StatsService

    aggregator = StatsService(load_taxonomy(), SystemClock())
    for each in (ticket, walk_in["ticket"], other["ticket"]):
        aggregator.refresh(each)
    per_unit = f"one Query per unit of its `STATS#<unit>` counters ({units})"
    request(
        "intake",
        "GET",
        "/v1/statistics",
        "GET /v1/statistics",
        "public statistics, 30 days",
        units,
        per_unit,
        units,
        query="period=30d",
    )
    request(
        "route",
        "GET",
        "/v1/officer/dashboard",
        "GET /v1/officer/dashboard",
        "verifier's dashboard, this month",
        units,
        per_unit,
        units,
        query=f"period={SystemClock().now().astimezone(WIB):%Y-%m}",
        claims=verifier,
    )
    slot = request(
        "intake",
        "POST",
        "/v1/uploads",
        "POST /v1/uploads",
        "an upload slot (presigned POST)",
        1,
        "one conditional PutItem of the upload; the policy is signed without a call",
        1,
        body={"filename": "foto.jpg", "content_type": "image/jpeg", "size": 250_000},
    )
    request(
        "intake",
        "GET",
        f"/v1/uploads/{slot['upload_id']}",
        "GET /v1/uploads/{upload_id}",
        "an upload's status",
        1,
        "one GetItem (strongly consistent)",
        1,
    )
    request(
        "route",
        "POST",
        "/v1/officer/uploads",
        "POST /v1/officer/uploads",
        "an officer's upload slot",
        1,
        "one conditional PutItem of the upload; the policy is signed without a call",
        1,
        body={"filename": "surat.pdf", "content_type": "application/pdf", "size": 80_000},
        claims=coordinator,
    )
    request(
        "route",
        "GET",
        "/v1/officer/openapi.json",
        "GET /v1/officer/openapi.json",
        "officer spec",
        0,
        none,
    )
    tokens = request(
        "auth",
        "POST",
        "/v1/auth/login",
        "POST /v1/auth/login",
        "login (Cognito InitiateAuth)",
        0,
        "Cognito only; no table access",
        body={"email": demo_email("koordinator", "BIRO_PLH"), "password": DEMO_PASSWORD},
    )
    request(
        "auth",
        "POST",
        "/v1/auth/refresh",
        "POST /v1/auth/refresh",
        "refresh (Cognito InitiateAuth)",
        0,
        "Cognito only; no table access",
        body={"refresh_token": tokens["refresh_token"]},
    )
    request(
        "auth",
        "POST",
        "/v1/auth/logout",
        "POST /v1/auth/logout",
        "logout (Cognito RevokeToken)",
        0,
        "Cognito only; no table access",
        body={"refresh_token": tokens["refresh_token"]},
    )
    email = "petugas.baru@pendopo.example"
    create_officer(
        cognito_client,
        user_pool_id,
        officer_spec(email, "petugas", "BIRO_KESOS"),
        temporary_password=_TEMPORARY,
    )
    challenge = _login(modules["auth"], http_api_event, lambda_context, email, _TEMPORARY)
    request(
        "auth",
        "POST",
        "/v1/auth/new-password",
        "POST /v1/auth/new-password",
        "first login: new password",
        0,
        "Cognito only; no table access",
        body={"email": email, "session": challenge["session"], "new_password": _NEW_PASSWORD},
    )
    # The second factor: the demo verifier's code, and a new verifier's first setup.
    verifier_email = demo_email("verifikator", "BIRO_PEM")
    challenge = _login(
        modules["auth"], http_api_event, lambda_context, verifier_email, DEMO_PASSWORD
    )
    request(
        "auth",
        "POST",
        "/v1/auth/mfa",
        "POST /v1/auth/mfa",
        "TOTP code",
        0,
        "Cognito only; no table access",
        body={
            "email": verifier_email,
            "session": challenge["session"],
            "code": totp.current_code(DEMO_TOTP_SECRET),
        },
    )
    email = "verifikator.baru@pendopo.example"
    spec = officer_spec(email, "verifikator", "BIRO_PEM")
    create_officer(cognito_client, user_pool_id, spec, password=DEMO_PASSWORD)
    setup = _login(modules["auth"], http_api_event, lambda_context, email, DEMO_PASSWORD)
    request(
        "auth",
        "POST",
        "/v1/auth/mfa/setup",
        "POST /v1/auth/mfa/setup",
        "TOTP setup: first code",
        0,
        "Cognito only; no table access",
        body={
            "email": email,
            "password": DEMO_PASSWORD,
            "code": totp.current_code(setup["secret_code"]),
        },
    )
    return done


def _login(auth: Any, http_api_event: Any, lambda_context: Any, email: str, password: str) -> Any:
    body = json.dumps({"email": email, "password": password})
    event = http_api_event(
        "POST", "/v1/auth/login", headers={"content-type": "application/json"}, body=body
    )
    with quiet_logs():
        result = auth.lambda_handler(event, lambda_context("auth"))
    return json.loads(result["body"])


def _claims(username: str, group: str, unit: str) -> dict[str, str]:
    """Claims as the HttpApi JWT authorizer passes them (tests/support/handlers.py)."""
    groups = f"[{group} {unit}]"
    return {
        "sub": f"sub-{username}",
        "username": username,
        "cognito:groups": groups,
        "token_use": "access",
        "client_id": "local-client",
        "exp": "4102444800",
    }


_TEMPORARY = "Sementara-2025!x"
_NEW_PASSWORD = "Kata-Sandi-Baru-2025"  # noqa: S105 - idem
_COMPLAINT: dict[str, Any] = {**SAMPLE_COMPLAINT, "channel": "web"}
_FOLLOW_UP = {"result": "Lubang sudah ditambal oleh Dinas Bina Marga pada 11 Juni 2025."}


def markdown(calls: list[RouteCall]) -> str:
    lines = [
        "Each route called once through its function's `lambda_handler`, in process, on"
        " moto; a botocore `before-call` hook on the storage's client counts DynamoDB calls"
        " by operation. Goals: create and tracking 1; officer actions at most"
        f" {ACTION_GOAL}.",
        "",
        "| route | request | DynamoDB calls | by operation | minimum | goal | met | why |",
        "|---|---|---:|---|---:|---|---|---|",
    ]
    for call in calls:
        ops = ", ".join(f"{name} {n}" for name, n in sorted(call.calls.items())) or "-"
        if call.cognito:
            ops += (
                " (Cognito: " + ", ".join(f"{k} {n}" for k, n in sorted(call.cognito.items())) + ")"
            )
        goal = "-" if call.goal is None else f"<= {call.goal}"
        met = "-" if call.met is None else ("met" if call.met else "missed")
        lines.append(
            f"| `{call.route}` | {call.label} | {call.total} | {ops} | {call.minimum} |"
            f" {goal} | {met} | {call.why} |"
        )
    return "\n".join(lines)


def section(_: Any = None) -> tuple[str, str]:
    print("DynamoDB calls per request: every route on moto ...", flush=True)
    calls = run()
    for call in calls:
        print(f"  {call.route:<48} {call.total} ({dict(call.calls)})", flush=True)
    return "DynamoDB calls per request", markdown(calls)

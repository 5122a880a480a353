"""Personal data goes only where the design allows it (issue #8, "Personal data").

One scenario runs every route and job in-process on moto with distinctive values
(``pii_canaries``: NIK 3171994512887777, phone 0812-9999-8888, email
zz.pii.canary@example.test, name "Canaryputri Zzyzx", and the title mark "Kxqvjudul"
in the titles of the anonymous and confidential complaints) on complaints that are
normal, anonymous, confidential, both, and a walk-in; then it searches every output for
those values and their obvious transforms (digits with or without separators, +62 / 0
prefixes, the email's local part, either word of the name in any case).

What the design allows where (DESIGN.md section 3, "Personal data"; README: The API,
Officer workflow, Notifications, Daily deadline check, Monthly recap: now docs/). "-" = never.

| output                                   | name | NIK    | phone  | email | title  |
|------------------------------------------|------|--------|--------|-------|--------|
| log lines (Powertools, logging, print)   | -    | -      | -      | -     | -      |
| metrics (EMF: dimensions, values, meta)  | -    | -      | -      | -     | -      |
| public answers, bodies and headers:      | -    | -      | -      | -     | -      |
|   categories, kiosk info, OpenAPI, docs, |      |        |        |       |        |
|   submit 201/replay/409/413/415/422,     |      |        |        |       |        |
|   tracking 200/404, the reporter's       |      |        |        |       |        |
|   updates and feedback 201/404/409/422   |      |        |        |       |        |
| auth answers: login, new-password,       | -    | -      | -      | -     | -      |
|   refresh (200, 401, 422)                |      |        |        |       |        |
| officer: me, queues, action answers,     | -    | -      | -      | -     | yes    |
|   walk-in receipt, 403-428 errors, spec  |      |        |        |       |        |
| access records (who saw whom): names of  | -    | -      | -      | -     | -      |
|   the fields shown, never their values   |      |        |        |       |        |
| officer detail, its `reporter` only:     |      |        |        |       |        |
|   verifikator                            | yes  | whole  | yes    | yes   | yes    |
|   admin                                  | yes  | masked | yes    | yes   | yes    |
|   petugas, koordinator: not anonymous    | yes  | masked | yes    | yes   | yes    |
|   petugas, koordinator: anonymous        | -    | -      | -      | -     | yes    |
| notification emails (notify)             | -    | -      | -      | -     | yes    |
| deadline digest to a unit's coordinators | -    | -      | -      | -     | (1)    |
| escalation digest to an Asisten          | -    | -      | -      | -     | -      |
| recap HTML reports (S3, attached)        | -    | -      | -      | -     | -      |
| recap CSV and XLSX (S3, attached)        | -    | -      | (2)    | -     | -      |
| recap emails' bodies                     | -    | -      | -      | -     | -      |

masked NIK: ``************7777``. (1) only when the reporter is neither anonymous nor
confidential. (2) masked ``+62*******8888``, and none for an anonymous reporter.

Officers' own addresses (tokens' ``username``, audit actors, recipients) are not
reporter data and are not canaries.

So that the test cannot pass vacuously it also proves, in the same run, that the capture
sees what it should: the verifier's detail of the anonymous complaint carries all four
values (the detector finds them in a real answer), the CSV carries the masked phone once
per non-anonymous complaint, the unit digest carries a normal complaint's title, every
function's log line and metrics were captured, and a canary deliberately logged through
Powertools, ``logging`` and ``print``, and put in a metric, is caught.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest

from infra.template import load_template
from pendopo.domain.clock import WIB, FixedClock
from pendopo.runtime.observability import logger, metrics
from pendopo.runtime.settings import Settings
from tests.support.constants import TEST_TABLE
from tests.support.handlers import Answer, call, officer_claims
from tests.support.notify_stream import attached_poller
from tests.support.notify_stream import invoke as invoke_notify
from tests.support.pii_canaries import (
    EMAIL,
    INVALID_NIK,
    NAME,
    NIK,
    NIK_MASKED,
    PERSONAL,
    PHONE,
    PHONE_E164,
    PHONE_MASKED,
    TITLE_MARK,
    RecordingSes,
    SentEmail,
    file_text,
    leaks,
)
from tools.local.events import lambda_context
from tools.local.streams import StreamPoller

REGION = "ap-southeast-3"
SENDER = "pendopo@pendopo.example"
CONSOLE = "https://konsol.pendopo.example/console/"
BUCKET = "pendopo-test-pii-files"
# A normal complaint's title: the unit digest may carry it, the escalation and recap not.
PLAIN_MARK = "Dxtitikplain"

PETUGAS = officer_claims("petugas.biro-plh@pendopo.example", "petugas", "BIRO_PLH")
PLH = officer_claims("koordinator.biro-plh@pendopo.example", "koordinator", "BIRO_PLH")
PK = officer_claims("koordinator.biro-pk@pendopo.example", "koordinator", "BIRO_PK")
VERIFIER = officer_claims("verifikator.biro-pem@pendopo.example", "verifikator", "BIRO_PEM")
ADMIN = officer_claims("admin@pendopo.example", "admin")
ROLES = {"petugas": PETUGAS, "koordinator": PLH, "koordinator_pk": PK}
ROLES |= {"verifikator": VERIFIER, "admin": ADMIN}

RESULT = {"result": "Jalan sudah ditambal oleh Dinas Bina Marga pada 11 Juni."}
RETURN = {"reason": "Foto bukti perbaikan belum dilampirkan."}


def reporter(*, anonymous: bool = False, confidential: bool = False) -> dict[str, Any]:
    return {
        "name": NAME,
        "nik": NIK,
        "phone": PHONE,
        "email": EMAIL,
        "anonymous": anonymous,
        "confidential": confidential,
    }


def complaint(title: str, channel: str | None = "web", **flags: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "ROAD",
        "title": title,
        "description": "Lubang besar di badan jalan membahayakan pengendara motor setiap malam.",
        "reporter": reporter(**flags),
        "location": {"text": "Jl. Kramat Raya 98", "lat": -6.1862, "lon": 106.8441},
    }
    if channel:
        body["channel"] = channel
    return body


# ------------------------------------------------------------------- what was seen


@dataclass
class Seen:
    """Every output of the scenario, by where it went."""

    public: list[tuple[str, Answer]] = field(default_factory=list)
    officer: list[tuple[str, Answer]] = field(default_factory=list)
    details: list[tuple[str, bool, Answer]] = field(default_factory=list)  # role, anonymous


def answer_text(answer: Answer) -> str:
    body = answer.body if isinstance(answer.body, str) else json.dumps(answer.body)
    return json.dumps(answer.headers) + "\n" + body


@pytest.fixture
def log_stream() -> Iterator[list[str]]:
    """Every Powertools log record, formatted exactly as Lambda would ship it."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep()
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


@dataclass
class Jobs:
    notify: Any
    sla: Any
    recap: Any
    notify_ses: RecordingSes
    sla_ses: RecordingSes
    recap_ses: RecordingSes
    s3: Any


@pytest.fixture
def jobs(dynamodb: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Jobs:
    """notify, sla_check and monthly_recap on moto, each with a recording SES client."""
    boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    monkeypatch.setenv("SES_SENDER", SENDER)
    monkeypatch.setenv("FILES_BUCKET", BUCKET)
    from functions.monthly_recap import app as recap
    from functions.notify import app as notify
    from functions.sla_check import app as sla

    settings = Settings.from_env().model_copy(update={"console_url": CONSOLE})
    sesv2 = boto3.client("sesv2", region_name=REGION)
    recording = [RecordingSes(sesv2) for _ in range(3)]
    monkeypatch.setattr(
        notify, "service", notify.build_service(settings, clock=clock, ses_client=recording[0])
    )
    monkeypatch.setattr(sla, "clock", clock)
    monkeypatch.setattr(
        sla, "service", sla.build_service(settings, clock=clock, ses_client=recording[1])
    )
    monkeypatch.setattr(
        recap,
        "service",
        recap.build_service(
            settings, bucket=BUCKET, clock=clock, ses_client=recording[2], s3_client=s3
        ),
    )
    return Jobs(notify, sla, recap, *recording, s3)


# ------------------------------------------------------------------------ the scenario


class Desk:
    """Citizens, officers and the clock; every answer is kept in ``seen``."""

    def __init__(self, intake: Any, route: Any, auth: Any, clock: FixedClock) -> None:
        self.intake, self.route, self.auth, self.clock = intake, route, auth, clock
        self.seen = Seen()
        self.keys = 0

    def public(self, label: str, method: str, path: str, **kwargs: Any) -> Answer:
        answer = call(self.intake, method, path, **kwargs)
        self.seen.public.append((label, answer))
        assert answer.status < 500, (label, answer.body)
        return answer

    def login(self, label: str, path: str, body: Any) -> Answer:
        answer = call(self.auth, "POST", path, json=body)
        self.seen.public.append((label, answer))
        assert answer.status < 500, (label, answer.body)
        return answer

    def officer(self, label: str, module: Any, method: str, path: str, **kw: Any) -> Answer:
        answer = call(module, method, path, **kw)
        self.seen.officer.append((label, answer))
        assert answer.status < 500, (label, answer.body)
        return answer

    def submit(self, body: dict[str, Any], key: str | None = None) -> dict[str, str]:
        self.keys += 1
        key = key or f"pii-key-{self.keys:04d}"
        headers = {"Idempotency-Key": key}
        answer = self.public("submit", "POST", "/v1/complaints", headers=headers, json=body)
        assert answer.status == 201, answer.body
        return {"ticket": answer.body["ticket"], "code": answer.body["tracking_code"], "key": key}

    def walk_in(self, body: dict[str, Any]) -> dict[str, str]:
        headers = {"Idempotency-Key": "pii-walk-in-0001"}
        path = "/v1/officer/complaints"
        answer = self.officer(
            "walk-in", self.intake, "POST", path, claims=PETUGAS, headers=headers, json=body
        )
        assert answer.status == 201, answer.body
        return {"ticket": answer.body["ticket"], "code": answer.body["tracking_code"]}

    def version(self, ticket: str) -> int:
        shown = call(self.route, "GET", f"/v1/officer/complaints/{ticket}", claims=VERIFIER)
        return int(shown.body["version"])

    def act(self, ticket: str, segment: str, claims: Any, body: Any = None) -> Answer:
        self.clock.advance(timedelta(minutes=7))
        answer = self.officer(
            f"action {segment}",
            self.route,
            "POST",
            f"/v1/officer/complaints/{ticket}/{segment}",
            claims=claims,
            headers={"If-Match": f'"{self.version(ticket)}"'},
            json=body if body is not None else {},
        )
        assert answer.status == 200, (segment, answer.body)
        return answer

    def detail(self, role: str, ticket: str, anonymous: bool) -> Answer:
        path = f"/v1/officer/complaints/{ticket}"
        answer = call(self.route, "GET", path, claims=ROLES[role])
        assert answer.status in (200, 403), (role, answer.body)
        if answer.status == 200:
            self.seen.details.append((role, anonymous, answer))
        else:
            self.seen.officer.append((f"detail {role} 403", answer))
        return answer


def run_the_retries(desk: Desk, a: dict[str, str]) -> None:
    """A retried submission (within the key's 24 hours) and a key reused for another."""
    replay = desk.public(
        "replay",
        "POST",
        "/v1/complaints",
        headers={"Idempotency-Key": a["key"]},
        json=complaint("Jalan berlubang di Jl. Kramat Raya"),
    )
    assert replay.status == 201 and replay.headers["Idempotent-Replayed"] == "true"
    reused = complaint("Judul lain untuk kunci yang sama", anonymous=True)
    headers = {"Idempotency-Key": a["key"]}
    assert (
        desk.public("reused key", "POST", "/v1/complaints", headers=headers, json=reused).status
        == 409
    )


def run_the_public_routes(desk: Desk, tickets: dict[str, dict[str, str]]) -> None:
    """Every public route, with the canaries in valid and invalid input."""
    for path in ("/v1/categories", "/v1/kiosk/info", "/v1/openapi.json", "/v1/docs"):
        assert desk.public(path, "GET", path).status == 200
    a = tickets["A"]
    # Invalid values that contain the canaries: a 422 must name fields, never echo values.
    invalid = complaint("Judul yang cukup panjang")
    invalid["reporter"] = {
        "name": (NAME + " ") * 8,
        "nik": INVALID_NIK,
        "phone": "+44 812 9999 8888",
        "email": "zz.pii.canary@@example",
        "ibu_kandung": NAME,
    }
    bad = desk.public(
        "422", "POST", "/v1/complaints", headers={"Idempotency-Key": "pii-bad-0001"}, json=invalid
    )
    assert bad.status == 422
    assert {e["field"] for e in bad.body["errors"]} >= {
        "reporter.nik",
        "reporter.phone",
        "reporter.email",
    }
    broken = (
        '{"channel": "web", "reporter": {"name": "Canaryputri Zzyzx", "nik": "3171994512887777"'
    )
    headers = {"Idempotency-Key": "pii-bad-0002", "content-type": "application/json"}
    assert (
        desk.public("broken JSON", "POST", "/v1/complaints", headers=headers, body=broken).status
        == 422
    )
    form = f"name={NAME}&nik={NIK}&phone={PHONE}&email={EMAIL}"
    headers = {
        "Idempotency-Key": "pii-bad-0003",
        "content-type": "application/x-www-form-urlencoded",
    }
    assert desk.public("415", "POST", "/v1/complaints", headers=headers, body=form).status == 415
    huge = complaint("Judul yang cukup panjang")
    huge["description"] = (f"{NAME} {NIK} {PHONE} {EMAIL} ") * 1500
    headers = {"Idempotency-Key": "pii-bad-0004"}
    assert desk.public("413", "POST", "/v1/complaints", headers=headers, json=huge).status == 413
    # Tracking: every complaint with its code; wrong codes and canaries as guesses.
    for name, t in tickets.items():
        answer = desk.public(
            f"track {name}",
            "GET",
            f"/v1/complaints/{t['ticket']}",
            headers={"X-Tracking-Code": t["code"]},
        )
        assert answer.status == 200, (name, answer.body)
    wrong = desk.public(
        "track wrong code",
        "GET",
        f"/v1/complaints/{a['ticket']}",
        headers={"X-Tracking-Code": "ZZZZ-ZZZZ"},
    )
    assert wrong.status == 404
    guess = desk.public(
        "track canary", "GET", f"/v1/complaints/{NIK}", headers={"X-Tracking-Code": PHONE}
    )
    assert guess.status == 404
    long_guess = desk.public(
        "track long", "GET", f"/v1/complaints/{EMAIL}", headers={"X-Tracking-Code": NAME + NIK}
    )
    assert long_guess.status == 404  # every guess gets the same 404, an oversized one too
    # Open311: the public list and each complaint, in both formats (a confidential one 404s).
    for ext in ("json", "xml"):
        listed = desk.public(f"open311 list {ext}", "GET", f"/open311/v2/requests.{ext}")
        assert listed.status == 200
        for name, t in tickets.items():
            desk.public(f"open311 {name} {ext}", "GET", f"/open311/v2/requests/{t['ticket']}.{ext}")
    # The reporter's own steps: an addition to C (open), a rating of A (Selesai, "tidak":
    # the verifiers' email), a body with the canaries refused, and canaries as the pair.
    c = tickets["C"]
    step_headers = {"X-Tracking-Code": c["code"]}
    addition = {"text": "Limbahnya kini juga mengalir ke selokan depan sekolah."}
    path = f"/v1/complaints/{c['ticket']}/updates"
    assert desk.public("update", "POST", path, headers=step_headers, json=addition).status == 201
    canary_body = {"text": f"{NAME} {NIK}", "reporter": {"email": EMAIL, "phone": PHONE}}
    refused = desk.public("update 422", "POST", path, headers=step_headers, json=canary_body)
    assert refused.status == 422
    rating = {"rating": 2, "resolved": "tidak", "comment": "Jalannya masih berlubang."}
    path = f"/v1/complaints/{a['ticket']}/feedback"
    rated = desk.public(
        "feedback", "POST", path, headers={"X-Tracking-Code": a["code"]}, json=rating
    )
    assert rated.status == 201, rated.body
    for step in ("updates", "feedback"):
        guess = desk.public(
            f"{step} canary",
            "POST",
            f"/v1/complaints/{NIK}/{step}",
            headers={"X-Tracking-Code": PHONE},
            json=rating if step == "feedback" else addition,
        )
        assert guess.status == 404


def run_the_auth_routes(desk: Desk) -> None:
    from tools.local.accounts import DEMO_PASSWORD, demo_email

    coordinator = demo_email("koordinator", "BIRO_PLH")
    tokens = desk.login(
        "login", "/v1/auth/login", {"email": coordinator, "password": DEMO_PASSWORD}
    )
    assert tokens.status == 200, tokens.body
    refresh = {"refresh_token": tokens.body["refresh_token"]}
    assert desk.login("refresh", "/v1/auth/refresh", refresh).status == 200
    # The canary email as a login name: an unknown account, a bad address, a bad session.
    canary_login = {"email": EMAIL, "password": f"{NAME}-{NIK}!"}
    assert desk.login("login canary", "/v1/auth/login", canary_login).status == 401
    bad = {"email": "zz.pii.canary@@example.test", "password": NIK}
    assert desk.login("login invalid", "/v1/auth/login", bad).status == 422
    session = {"email": EMAIL, "session": "s" * 40, "new_password": "Canaryputri-Zzyzx-2025!"}
    assert desk.login("new password", "/v1/auth/new-password", session).status == 401
    assert desk.login("refresh bad", "/v1/auth/refresh", {"refresh_token": NIK}).status == 401


def run_the_officer_routes(desk: Desk, tickets: dict[str, dict[str, str]]) -> None:
    """Every officer route and action, the error answers, and the detail for every role."""
    a, b, c, f = (tickets[k]["ticket"] for k in "ABCF")
    route = desk.route
    for role, claims in ROLES.items():
        desk.officer(f"me {role}", route, "GET", "/v1/officer/me", claims=claims)
    desk.officer("openapi", route, "GET", "/v1/officer/openapi.json", claims=PLH)
    # A: the whole way to Selesai, sent back once on the way.
    desk.act(a, "verify", VERIFIER, {"note": "Valid, lokasi jelas."})
    desk.act(a, "disposition", PLH, {"agency": "BINA_MARGA", "note": "Mohon segera."})
    desk.act(a, "acknowledge", PLH)
    desk.act(a, "follow-up", PLH, RESULT)
    desk.act(a, "return", VERIFIER, RETURN)
    desk.act(a, "follow-up", PLH, RESULT)
    path = f"/v1/officer/complaints/{a}/accept"
    assert desk.officer("428", route, "POST", path, claims=VERIFIER, json={}).status == 428
    stale = {"If-Match": '"1"'}
    assert (
        desk.officer("412", route, "POST", path, claims=VERIFIER, headers=stale, json={}).status
        == 412
    )
    desk.act(a, "accept", VERIFIER)
    version = {"If-Match": f'"{desk.version(a)}"'}
    path = f"/v1/officer/complaints/{a}/acknowledge"
    assert (
        desk.officer("409", route, "POST", path, claims=PLH, headers=version, json={}).status == 409
    )
    path = f"/v1/officer/complaints/{c}/return"
    assert (
        desk.officer(
            "422",
            route,
            "POST",
            path,
            claims=VERIFIER,
            headers={"If-Match": '"1"'},
            json={"reason": "x"},
        ).status
        == 422
    )
    # B (anonymous): verified, then passed on by the coordinator to Biro PK; left open.
    desk.act(b, "verify", VERIFIER)
    desk.act(b, "reroute", PLH, {"category": "PARKING", "reason": "Soal parkir liar, bukan jalan."})
    # C (confidential): in progress at the agency; left open.
    desk.act(c, "verify", VERIFIER)
    desk.act(c, "disposition", PLH, {"agency": "BINA_MARGA"})
    desk.act(c, "acknowledge", PLH)
    # F: rejected at verification.
    desk.act(f, "reject", VERIFIER, {"reason": "Bukan wilayah DKI Jakarta."})
    kesos = officer_claims("koordinator.biro-kesos@pendopo.example", "koordinator", "BIRO_KESOS")
    assert (
        desk.officer("403", route, "GET", f"/v1/officer/complaints/{a}", claims=kesos).status == 403
    )
    assert (
        desk.officer("404", route, "GET", f"/v1/officer/complaints/{NIK}", claims=VERIFIER).status
        == 404
    )
    admin_walk_in = desk.officer(
        "walk-in by admin",
        desk.intake,
        "POST",
        "/v1/officer/complaints",
        claims=ADMIN,
        headers={"Idempotency-Key": "pii-walk-in-admin"},
        json=complaint("Judul walk-in admin", channel=None),
    )
    assert admin_walk_in.status == 403
    # Queues of every role, filtered and not.
    for role, claims in ROLES.items():
        for query in ("", "unit=ALL", "status=waiting,coordination&limit=2", "overdue=true"):
            desk.officer(
                f"queue {role} {query}",
                route,
                "GET",
                "/v1/officer/complaints",
                claims=claims,
                query=query,
            )
    # The detail, for every role, of every complaint.
    for name, t in tickets.items():
        for role in ROLES:
            desk.detail(role, t["ticket"], anonymous=name in ("B", "E"))


def expected_reporter(role: str, anonymous: bool) -> dict[str, Any]:
    if anonymous and role not in ("verifikator", "admin"):
        return {"name": "Pelapor anonim", "nik": None, "phone": None, "email": None}
    nik = NIK if role == "verifikator" else NIK_MASKED
    return {"name": NAME, "nik": nik, "phone": PHONE_E164, "email": EMAIL}


def access_records(dynamodb: Any, tickets: list[str]) -> list[dict[str, Any]]:
    """Every access record of these complaints (one Query per complaint)."""
    items: list[dict[str, Any]] = []
    for ticket in tickets:
        items += dynamodb.query(
            TableName=TEST_TABLE,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"ACCESS#{ticket}"}},
        )["Items"]
    return items


def stream_records(dynamodb: Any) -> tuple[StreamPoller, list[dict[str, Any]]]:
    poller = attached_poller(dynamodb)
    records: list[dict[str, Any]] = []
    while batch := [r for shard in list(poller._positions) for r in poller._read(shard)]:
        records += batch
    return poller, records


def recap_files(jobs: Jobs) -> dict[str, str]:
    listed = jobs.s3.list_objects_v2(Bucket=BUCKET, Prefix="recaps/")["Contents"]
    return {
        o["Key"]: file_text(
            o["Key"], jobs.s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read()
        )
        for o in listed
    }


def emf_documents(stdout: str) -> list[dict[str, Any]]:
    documents = []
    for line in stdout.splitlines():
        try:
            parsed = json.loads(line)
        except ValueError:
            continue
        if isinstance(parsed, dict) and "_aws" in parsed:
            documents.append(parsed)
    return documents


def all_of(emails: list[SentEmail]) -> str:
    return "\n".join(e.text for e in emails)


# ------------------------------------------------------------------------------ tests


def test_the_detector_catches_the_obvious_transforms() -> None:
    for text in (NIK, "3171 9945 1288 7777", "3171-9945-1288-7777"):
        assert leaks(text) == {"nik"}, text
    for text in (PHONE, PHONE_E164, "6281299998888", "081299998888", "+62 812 9999 8888"):
        assert leaks(text) == {"phone"}, text
    for text in (EMAIL, EMAIL.upper(), "ZZ.PII.CANARY", "zz.pii.canary%40example.test"):
        assert leaks(text) == {"email"}, text
    for text in (NAME, NAME.upper(), NAME.lower(), "ZZYZX, Canaryputri", "canaryputri"):
        assert leaks(text) == {"name"}, text
    assert leaks(INVALID_NIK) == {"nik_invalid_input"}
    assert leaks(f"{NIK_MASKED} {PHONE_MASKED} Pelapor anonim 8888 7777") == set()


def test_the_deployed_functions_log_at_the_level_captured_here() -> None:
    """The scenario captures every record at INFO and up, never the event: so must Lambda."""
    template = load_template()
    assert template["Globals"]["Function"]["Environment"]["Variables"]["POWERTOOLS_LOG_LEVEL"] == (
        "INFO"
    )
    functions = [
        resource["Properties"]
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Function"
    ]
    assert len(functions) >= 6
    for properties in functions:
        variables = set(properties.get("Environment", {}).get("Variables", {}))
        assert not variables & {"POWERTOOLS_LOG_LEVEL", "LOG_LEVEL", "POWERTOOLS_LOGGER_LOG_EVENT"}
        assert "LoggingConfig" not in properties


def test_personal_data_goes_only_where_the_design_allows(
    dynamodb: Any,
    clock: FixedClock,
    intake: Any,
    route: Any,
    auth: Any,
    jobs: Jobs,
    log_stream: list[str],
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.INFO)  # every logger, as a Lambda runtime at INFO would ship
    desk = Desk(intake, route, auth, clock)

    # Given complaints with the canaries: normal, anonymous, confidential, both, a walk-in
    # (Tuesday 10 June 2025, 08:00 WIB), and one received two days later.
    tickets = {
        "A": desk.submit(complaint("Jalan berlubang di Jl. Kramat Raya")),
        "B": desk.submit(complaint(f"Rumah {TITLE_MARK} kebanjiran", "kiosk", anonymous=True)),
        "C": desk.submit(complaint(f"Tetangga {TITLE_MARK} buang limbah", confidential=True)),
        "D": desk.walk_in(complaint(f"Trotoar rusak {PLAIN_MARK}", channel=None)),
        "F": desk.submit(complaint("Parkir liar di trotoar Monas")),
    }
    run_the_retries(desk, tickets["A"])
    clock.set(datetime(2025, 6, 12, 10, 0, tzinfo=WIB))
    flags = {"anonymous": True, "confidential": True}
    tickets["E"] = desk.submit(complaint(f"Keluarga {TITLE_MARK} diancam", **flags))

    # When every public, auth and officer route runs, with valid and invalid input
    run_the_officer_routes(desk, tickets)
    run_the_public_routes(desk, tickets)
    run_the_auth_routes(desk)
    # and the notify function gets the whole stream, twice (a retried batch)
    poller, records = stream_records(dynamodb)
    for _ in range(2):
        assert invoke_notify(jobs.notify, records, poller)["batchItemFailures"] == []
    # and the deadline check runs on 15 June at 07:00 WIB (B, C, D overdue > 1 day: escalated;
    # E due at 10:00: a reminder)
    clock.set(datetime(2025, 6, 15, 7, 0, tzinfo=WIB))
    summary = jobs.sla.lambda_handler(
        {"scheduled_time": "2025-06-15T00:00:00Z"}, lambda_context("SlaCheckFunction")
    )
    assert summary["complete"] and summary["escalated"] == 3 and summary["overdue"] == 3
    # and the monthly recap of June runs on 5 July
    clock.set(datetime(2025, 7, 5, 7, 1, tzinfo=WIB))
    done = jobs.recap.lambda_handler(
        {"scheduled_time": "2025-07-05T00:00:00Z"}, lambda_context("MonthlyRecapFunction")
    )
    assert done["month"] == "2025-06" and done["sent"] > 0

    captured = capfd.readouterr()
    stdlib_records = "\n".join(
        json.dumps(r.__dict__, default=str) for r in caplog.records if r.name != logger.name
    )
    logs = "\n".join([*log_stream, stdlib_records, captured.out, captured.err])

    # Then no log line, printed line or metric holds any canary
    assert leaks(logs) == set(), [line for line in logs.splitlines() if leaks(line)][:5]
    # (and the capture saw every function at work)
    for line in (
        "Complaint created",
        "Complaint changed",
        "Notification batch",
        "SLA check",
        "monthly recap done",
    ):
        assert line in logs, line
    metric_names = {
        metric["Name"]
        for document in emf_documents(captured.out)
        for directive in document["_aws"]["CloudWatchMetrics"]
        for metric in directive["Metrics"]
    }
    assert {
        "ComplaintCreated",
        "ComplaintAction",
        "NotificationSent",
        "SlaDigestSent",
        "RecapEmailsSent",
    } <= metric_names

    # And no public or auth answer (bodies and headers, errors included) holds any
    for label, answer in desk.seen.public:
        assert leaks(answer_text(answer)) == set(), (label, answer.status, answer.body)
    # And officer answers other than the detail hold no reporter data (titles are theirs)
    for label, answer in desk.seen.officer:
        assert leaks(answer_text(answer), PERSONAL) == set(), (label, answer.status)
    # And the detail shows the reporter exactly as far as the role may see it, nowhere else
    found_in_details: set[str] = set()
    for role, anonymous, answer in desk.seen.details:
        shown = answer.body["reporter"]
        assert {k: shown[k] for k in ("name", "nik", "phone", "email")} == expected_reporter(
            role, anonymous
        ), (role, anonymous)
        found_in_details |= leaks(json.dumps(shown))
        rest = Answer(
            answer.status, answer.headers, {k: v for k, v in answer.body.items() if k != "reporter"}
        )
        assert leaks(answer_text(rest), PERSONAL) == set(), (role, anonymous)
    assert found_in_details == {"nik", "phone", "email", "name"}  # the detector sees real data
    shown_to = {(role, anonymous) for role, anonymous, _ in desk.seen.details}
    plh_and_all = ("petugas", "koordinator", "verifikator", "admin")
    assert shown_to == {(r, a) for r in plh_and_all for a in (False, True)} | {
        ("koordinator_pk", True)  # B, re-routed to Biro PK, is its only complaint
    }
    # Verifier and admin see all 6; Biro PLH's petugas and koordinator its 5; Biro PK's 1.
    assert len(desk.seen.details) == 6 + 6 + 5 + 5 + 1

    # And each detail that showed any identity whole left one access record: the field
    # names, never the values (issue #20); a masked view (anonymous, to the unit) none
    records = access_records(dynamodb, [t["ticket"] for t in tickets.values()])
    assert leaks(json.dumps(records)) == set()
    shown_whole = [
        (role, anonymous)
        for role, anonymous, _ in desk.seen.details
        if not (anonymous and role not in ("verifikator", "admin"))
    ]
    assert len(shown_whole) == 6 + 6 + 4 + 4
    assert len(records) >= len(shown_whole)  # the scenario reads some details more often
    anonymous = {tickets["B"]["ticket"], tickets["E"]["ticket"]}
    assert not [
        r
        for r in records
        if r["ticket"]["S"] in anonymous and r["role"]["S"] in ("petugas", "koordinator")
    ]
    assert {tuple(f["S"] for f in r["fields"]["L"]) for r in records} == {
        ("name", "nik", "phone", "email"),  # the verifier
        ("name", "phone", "email"),  # admin, petugas, koordinator: the NIK masked
    }

    # And the notification emails carry no reporter data (their titles are allowed)
    notices = jobs.notify_ses.emails()
    assert len(notices) >= 10 and TITLE_MARK in all_of(notices)
    assert leaks(all_of(notices), PERSONAL) == set()
    # And the deadline digests: none; a unit digest leaves out the anonymous and
    # confidential complaints' titles, an escalation every title
    digests = [e for e in jobs.sla_ses.emails() if "Eskalasi" not in e.subject]
    escalations = [e for e in jobs.sla_ses.emails() if "Eskalasi" in e.subject]
    assert digests and escalations
    assert leaks(all_of(digests)) == set() and leaks(all_of(escalations)) == set()
    assert PLAIN_MARK in all_of(digests) and "tidak dicantumkan" in all_of(digests)
    assert PLAIN_MARK not in all_of(escalations)
    # And the recap files and emails: no NIK, name, email or title; the phone masked, and
    # only for reporters who are not anonymous (A, C, D, F)
    files = recap_files(jobs)
    recap_emails = jobs.recap_ses.emails()
    everything = "\n".join(files.values()) + all_of(recap_emails)
    assert leaks(everything) == set() and PLAIN_MARK not in everything
    (csv_text,) = (text for key, text in files.items() if key.endswith(".csv"))
    assert csv_text.count(PHONE_MASKED) == 4
    (xlsx_text,) = (text for key, text in files.items() if key.endswith(".xlsx"))
    assert PHONE_MASKED in xlsx_text
    assert any(name.endswith(".csv") for e in recap_emails for name in e.attachments)

    # And the capture itself works: a deliberately logged canary is caught on every channel
    before = len(log_stream)
    logger.info("probe", extra={"reporter": NAME})
    logging.getLogger("pii.probe").warning("probe %s", NIK)
    print(f"probe {EMAIL}")
    metrics.add_metadata(key="probe", value=PHONE_E164)
    metrics.add_metric(name="Probe", unit="Count", value=1)
    metrics.flush_metrics()
    probed = capfd.readouterr()
    stdlib_probe = "\n".join(json.dumps(r.__dict__, default=str) for r in caplog.records)
    assert leaks("\n".join(log_stream[before:])) == {"name"}
    assert leaks(stdlib_probe) >= {"nik"}
    assert leaks(probed.out) >= {"email", "phone"}
    assert emf_documents(probed.out)

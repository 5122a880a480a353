"""Fault injection on every request write path: nothing lost, nothing doubled.

Issue #8. Each scenario injects a failure into the AWS calls a handler makes
(``tests.support.faults``: inside botocore's retry loop, as the real failure would arrive),
then behaves as the client does (retries with the same ``Idempotency-Key``, or
reloads and retries with ``If-Match``), and ends with an exact check of the table
(the complaint's status and version, its audit events, the count of every kind of
item) and of the emails: the table's stream, every record once, goes through the
notify function as Lambda delivers it, and each recipient must have had exactly the
emails the audit trail calls for (``AUDIENCE``), nothing doubled, nothing missing.

The other jobs' scenarios (notify, the deadline check, the recap) are in
``test_fault_injection_jobs``.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

import boto3
import pytest
from botocore.exceptions import (
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
)

from pendopo.domain.clock import FixedClock
from pendopo.domain.status import Action
from pendopo.services.workflow import WorkflowService
from pendopo.storage.complaints import ComplaintStore
from tests.support import notify_stream
from tests.support.citizen import complaint_body, submit
from tests.support.constants import TEST_TABLE
from tests.support.fakes import BarrierStore
from tests.support.faults import (
    INTERNAL,
    THROTTLED,
    THROTTLING,
    FaultInjector,
    LambdaTimeout,
    dynamodb_error,
    install,
    transaction_conflict,
    transaction_throttled,
)
from tests.support.handlers import Answer, call, officer_claims
from tests.support.mail import SENDER, outbox
from tests.support.officers import FOLLOW_UP, PLH_COORDINATOR, PLH_OFFICER, VERIFIER, detail
from tools.local.streams import StreamPoller

PLH_SECOND = officer_claims("koordinator2.biro-plh@pendopo.example", "koordinator", "BIRO_PLH")
DDB = "dynamodb"
WRITE = "TransactWriteItems"
# pynamodb's botocore client: "standard" retry mode, 1 + max_retry_attempts (3) attempts.
ATTEMPTS = 4

# Who is emailed (layers/common/pendopo/data/recipients.json). Submissions here have no
# category, so they go to the verifying unit, Biro Pemerintahan; the officer actions act
# on a street-lighting complaint of Biro PLH (a reroute sends it to Biro PK).
PEM_MAIL = "koordinator.biro-pem@pendopo.example"
PLH_MAIL = "koordinator.biro-plh@pendopo.example"
PK_MAIL = "koordinator.biro-pk@pendopo.example"
VERIFIER_MAIL = "verifikator.biro-pem@pendopo.example"
# The design's notification table, written out for that complaint: who gets one email
# about each audit action (reject and acknowledge email nobody).
AUDIENCE: dict[str, tuple[str, ...]] = {
    "submit": (PLH_MAIL, VERIFIER_MAIL),
    "verify": (PLH_MAIL,),
    "reject": (),
    "reroute": (PK_MAIL,),  # the new unit's coordinators
    "disposition": (PLH_MAIL,),
    "acknowledge": (),
    "submit_follow_up": (VERIFIER_MAIL,),
    "accept_follow_up": (PLH_MAIL,),
    "reject_follow_up": (PLH_MAIL,),
}


def emails_for(actions: list[str]) -> Counter[str]:
    """The emails per recipient that the Biro PLH complaint's audit actions call for."""
    return Counter(address for action in actions for address in AUDIENCE[action])


def submitted(complaints: int) -> Counter[str]:
    """The emails per recipient for that many new complaints without a category."""
    return Counter({PEM_MAIL: complaints, VERIFIER_MAIL: complaints})


# ----------------------------------------------------------------------------- helpers


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> FaultInjector:
    return install(monkeypatch)


@pytest.fixture
def emailed(dynamodb: Any, clock: FixedClock, faults: FaultInjector, monkeypatch: Any) -> Any:
    """Deliver the table's whole stream to the notify function once, as Lambda does (the
    faults healed: they were the request's), and return the emails sent per recipient.

    Call it last: the notification claims it writes are items of the table too.
    """
    ses = boto3.client("ses", region_name="ap-southeast-3")
    ses.verify_email_identity(EmailAddress=SENDER)  # the sender, as in every stage
    from functions.notify import app

    monkeypatch.setattr(
        app, "service", app.build_service(notify_stream.notify_settings(), clock=clock)
    )

    def deliver() -> Counter[str]:
        faults.heal()
        stream = StreamPoller(
            dynamodb_client=dynamodb,
            streams_client=boto3.client("dynamodbstreams", region_name="ap-southeast-3"),
            table_name=TEST_TABLE,
            handler=lambda event, context: None,  # delivered here, as one batch
        )
        stream.attach("TRIM_HORIZON")
        records = notify_stream.read_records(stream)
        if records:  # Lambda never delivers an empty batch
            assert notify_stream.invoke(app, records, stream) == {"batchItemFailures": []}
        return Counter(a for m in outbox() for a in m.destinations["ToAddresses"])

    return deliver


def kinds(dynamodb: Any) -> Counter[str]:
    """How many items of each kind the table holds (a test-only Scan).

    Access records (a verifier's reads of the detail, issue #20) are not writes of the
    complaint and are left out.
    """
    items = dynamodb.scan(TableName=TEST_TABLE, ConsistentRead=True)["Items"]
    return Counter(item["kind"]["S"] for item in items if item["kind"]["S"] != "access")


def trail(ticket: str) -> tuple[str, int, list[str]]:
    """The complaint's status and version, and the actions of its audit events in order."""
    complaint, events = ComplaintStore().get_with_events(ticket)
    assert complaint is not None
    return complaint.status.value, complaint.version, [e.action.value for e in events]


def gateway(module: Any, method: str, path: str, **kwargs: Any) -> Answer:
    """What API Gateway answers the client: a function error is a 500 (and logged)."""
    try:
        return call(module, method, path, **kwargs)
    except Exception:  # the function failed; the HTTP API answers 500
        return Answer(500, {}, {"message": "Internal Server Error"})


def submit_public(intake: Any, key: str, **overrides: Any) -> Answer:
    return submit(intake, key, via=gateway, **overrides)


def submit_walk_in(intake: Any, key: str, **overrides: Any) -> Answer:
    body = complaint_body(**overrides)
    del body["channel"]
    return gateway(
        intake,
        "POST",
        "/v1/officer/complaints",
        claims=PLH_OFFICER,
        headers={"Idempotency-Key": key},
        json=body,
    )


SUBMITTERS = {"web": submit_public, "walk-in": submit_walk_in}


def post_action(route: Any, ticket: str, segment: str, claims: Any, body: Any, version: int) -> Any:
    return gateway(
        route,
        "POST",
        f"/v1/officer/complaints/{ticket}/{segment}",
        claims=claims,
        headers={"If-Match": f'"{version}"'},
        json=body,
    )


REASON = {"reason": "Bukan kewenangan Pemerintah Provinsi."}
# segment -> (steps before it, who takes it, body, status after, audit action)
ACTIONS: dict[str, tuple[tuple[str, ...], dict[str, str], dict[str, Any], str, str]] = {
    "verify": ((), VERIFIER, {}, "coordination", "verify"),
    "reject": ((), VERIFIER, REASON, "rejected", "reject"),
    "reroute": (
        (),
        VERIFIER,
        {"category": "PARKING", "reason": "Soal juru parkir liar, bukan lampu."},
        "coordination",
        "reroute",
    ),
    "disposition": (
        ("verify",),
        PLH_COORDINATOR,
        {"agency": "BINA_MARGA"},
        "disposition",
        "disposition",
    ),
    "acknowledge": (("verify", "disposition"), PLH_COORDINATOR, {}, "in_progress", "acknowledge"),
    "follow-up": (
        ("verify", "disposition"),
        PLH_COORDINATOR,
        FOLLOW_UP,
        "awaiting_validation",
        "submit_follow_up",
    ),
    "accept": (("verify", "disposition", "follow-up"), VERIFIER, {}, "done", "accept_follow_up"),
    "return": (
        ("verify", "disposition", "follow-up"),
        VERIFIER,
        {"reason": "Foto bukti belum dilampirkan."},
        "follow_up_rejected",
        "reject_follow_up",
    ),
}


def prepared(intake: Any, route: Any, segment: str) -> tuple[str, int, list[str]]:
    """A street-lighting complaint (Biro PLH) brought to the status ``segment`` acts on.

    Returns its ticket, version and audit actions so far.
    """
    answer = submit_public(intake, "key-faults-00001", category="STREET_LIGHTING")
    assert answer.status == 201, answer.body
    ticket = str(answer.body["ticket"])
    for step in ACTIONS[segment][0]:
        _, claims, body, _, _ = ACTIONS[step]
        version = detail(route, ticket).body["version"]
        assert post_action(route, ticket, step, claims, body, version).status == 200
    _, version, actions = trail(ticket)
    return ticket, version, actions


def assert_applied_once(
    dynamodb: Any, ticket: str, segment: str, version_before: int, actions_before: list[str]
) -> None:
    """The action is in the table exactly once: status, version, one audit event."""
    *_, status, action = ACTIONS[segment]
    assert trail(ticket) == (status, version_before + 1, [*actions_before, action])
    assert kinds(dynamodb) == {"complaint": 1, "event": version_before + 1, "idempotency": 1}


# --------------------------------------------------------- intake: create under faults

# fault name -> (operation, how it is injected, the client's first answer)
TRANSIENT = {
    "throttled-once": ("refuse", THROTTLED),
    "throttling-once": ("refuse", THROTTLING),
    "internal-error-once": ("refuse", INTERNAL),
    "connection-reset": ("reset", None),
    "answer-lost-after-commit": ("lose_answer", None),
}


def inject_once(faults: FaultInjector, operation: str, name: str) -> None:
    kind, answer = TRANSIENT[name]
    if kind == "refuse":
        assert answer is not None
        faults.refuse(DDB, operation, answer)
    else:
        faults.fail(DDB, operation, kind)


@pytest.mark.parametrize("channel", list(SUBMITTERS))
def test_a_transient_dynamodb_fault_on_create_is_retried_inside_the_request(
    intake: Any, dynamodb: Any, emailed: Any, faults: FaultInjector, channel: str
) -> None:
    for created, fault in enumerate(TRANSIENT, start=1):
        # Given DynamoDB failing the create transaction's first attempt
        faults.attempts.clear()
        inject_once(faults, WRITE, fault)
        # When a complaint is submitted
        answer = SUBMITTERS[channel](intake, f"key-faults-{created:05d}", title=f"Lampu {fault}")
        # Then botocore's retry (same ClientRequestToken) makes it one 201 and one complaint
        assert answer.status == 201, (fault, answer.body)
        assert answer.headers["Idempotent-Replayed"] == "false"
        attempts = faults.calls(DDB, WRITE)
        assert [a.fault for a in attempts] == [TRANSIENT[fault][0], None], fault
        assert len({_token(a.body) for a in attempts}) == 1
        assert trail(answer.body["ticket"]) == ("waiting", 1, ["submit"])
        assert kinds(dynamodb) == {"complaint": created, "event": created, "idempotency": created}
    assert emailed() == submitted(len(TRANSIENT))


def _token(body: str) -> str:
    token = json.loads(body)["ClientRequestToken"]
    assert token  # botocore fills it: a retry of one call is idempotent in DynamoDB
    return str(token)


@pytest.mark.parametrize("channel", list(SUBMITTERS))
def test_throttling_beyond_the_retries_fails_cleanly_and_the_clients_retry_creates_once(
    intake: Any, dynamodb: Any, emailed: Any, faults: FaultInjector, channel: str
) -> None:
    # Given DynamoDB throttling every attempt of the first request
    faults.refuse(DDB, WRITE, THROTTLED, times=ATTEMPTS)
    first = SUBMITTERS[channel](intake, "key-faults-00001")
    # Then that request gets the Indonesian "busy, send again" answer, leaving nothing behind
    assert first.status == 503 and first.headers["Retry-After"] == "1"
    assert "Silakan kirim ulang" in first.body["message"]
    assert len(faults.calls(DDB, WRITE)) == ATTEMPTS
    assert kinds(dynamodb) == {}
    # When the client retries with the same key, DynamoDB answering again
    retry = SUBMITTERS[channel](intake, "key-faults-00001")
    assert retry.status == 201 and retry.headers["Idempotent-Replayed"] == "false"
    assert trail(retry.body["ticket"]) == ("waiting", 1, ["submit"])
    assert kinds(dynamodb) == {"complaint": 1, "event": 1, "idempotency": 1}
    assert emailed() == submitted(1)


def test_a_storage_error_that_is_not_transient_stays_a_function_error(
    intake: Any, dynamodb: Any, emailed: Any, faults: FaultInjector
) -> None:
    # A refused request (a bug of ours, not a busy table) must fail loudly: the
    # function errors (500, logged, alarmed), it is not dressed up as "busy, retry".
    faults.refuse(DDB, WRITE, dynamodb_error("ValidationException"), times=1)
    assert submit_public(intake, "key-faults-00009").status == 500
    assert kinds(dynamodb) == {}
    assert emailed() == {}


# DynamoDB's reasons for cancelling a transaction because of throughput (on-demand,
# provisioned): not retried by botocore (TransactionCanceledException), so the request
# fails; the client may send it again as it was.
THROTTLED_REASONS = ("ThrottlingError", "ProvisionedThroughputExceeded")


def assert_busy(answer: Answer) -> None:
    """The "busy, send the same request again" answer of a table that did not take it."""
    assert answer.status == 503, answer.body
    assert answer.headers["Retry-After"] == "1"
    assert answer.body == {"message": "Sistem sedang sibuk. Silakan kirim ulang sebentar lagi."}


@pytest.mark.parametrize("channel", list(SUBMITTERS))
def test_a_create_transaction_cancelled_for_throughput_is_a_503_and_the_retry_creates_once(
    intake: Any, dynamodb: Any, emailed: Any, faults: FaultInjector, channel: str
) -> None:
    for created, reason in enumerate(THROTTLED_REASONS, start=1):
        # Given DynamoDB cancelling the create transaction: its complaint item throttled
        faults.attempts.clear()
        faults.refuse(DDB, WRITE, transaction_throttled(3, reason))
        key, title = f"key-faults-{created:05d}", f"Lampu padam {reason}"
        first = SUBMITTERS[channel](intake, key, title=title)
        # Then botocore did not retry it, and the client is told to send it again (not a 500)
        assert len(faults.calls(DDB, WRITE)) == 1, reason
        assert_busy(first)
        assert kinds(dynamodb).total() == 3 * (created - 1)
        # When the client sends it again with the same key
        retry = SUBMITTERS[channel](intake, key, title=title)
        # Then it is created once
        assert retry.status == 201 and retry.headers["Idempotent-Replayed"] == "false"
        assert trail(retry.body["ticket"]) == ("waiting", 1, ["submit"])
        assert kinds(dynamodb) == {"complaint": created, "event": created, "idempotency": created}
    assert emailed() == submitted(len(THROTTLED_REASONS))


# botocore's exceptions for a transport failure (retried by botocore, then 503) and for a
# fault of ours (a bad request, a function without credentials or region: not retried,
# and not "busy": the function errors, a 500 that is logged and alarmed).
TRANSPORT_FAILURES = {
    "endpoint-unreachable": ("raise", EndpointConnectionError(endpoint_url="https://ddb")),
    "connect-timeout": ("raise", ConnectTimeoutError(endpoint_url="https://ddb")),
    "connection-reset": ("reset", None),
    "answer-lost": ("lose_answer", None),
}
OUR_FAULTS = {
    "param-validation": ParamValidationError(report="Invalid type for parameter Item"),
    "no-credentials": NoCredentialsError(),
    "no-region": NoRegionError(),
}


@pytest.mark.parametrize("failure", list(TRANSPORT_FAILURES))
def test_a_transport_failure_through_the_retries_is_a_503_and_the_retry_settles_it(
    intake: Any, route: Any, dynamodb: Any, emailed: Any, faults: FaultInjector, failure: str
) -> None:
    kind, error = TRANSPORT_FAILURES[failure]
    # A lost answer means the first attempt was applied (its retries carried its token)
    applied = kind == "lose_answer"
    # On an action: the officer's retry (same If-Match) applies it, or its 412 shows it was
    ticket, version, actions = prepared(intake, route, "verify")
    faults.attempts.clear()
    faults.fail(DDB, WRITE, kind, error=error, times=ATTEMPTS)
    assert_busy(post_action(route, ticket, "verify", VERIFIER, {}, version))
    assert len(faults.calls(DDB, WRITE)) == ATTEMPTS
    retry = post_action(route, ticket, "verify", VERIFIER, {}, version)
    if applied:
        assert retry.status == 412 and retry.body["current_version"] == version + 1
    else:
        assert retry.status == 200 and retry.body["version"] == version + 1
    assert_applied_once(dynamodb, ticket, "verify", version, actions)
    # On a create: the client's retry (same Idempotency-Key) creates it, or replays it
    faults.attempts.clear()
    faults.fail(DDB, WRITE, kind, error=error, times=ATTEMPTS)
    assert_busy(submit_public(intake, "key-faults-00002"))
    assert len(faults.calls(DDB, WRITE)) == ATTEMPTS
    one = {"complaint": 1, "event": version + 1, "idempotency": 1}
    two = {"complaint": 2, "event": version + 2, "idempotency": 2}
    assert kinds(dynamodb) == (two if applied else one)
    created = submit_public(intake, "key-faults-00002")
    assert created.status == 201
    assert created.headers["Idempotent-Replayed"] == ("true" if applied else "false")
    assert trail(created.body["ticket"]) == ("waiting", 1, ["submit"])
    assert kinds(dynamodb) == two
    assert emailed() == emails_for([*actions, "verify"]) + submitted(1)


@pytest.mark.parametrize("fault", list(OUR_FAULTS))
def test_a_client_fault_of_ours_stays_a_function_error_on_create_and_on_an_action(
    intake: Any, route: Any, dynamodb: Any, emailed: Any, faults: FaultInjector, fault: str
) -> None:
    faults.fail(DDB, WRITE, "raise", error=OUR_FAULTS[fault])
    assert submit_public(intake, "key-faults-00009").status == 500
    assert len(faults.calls(DDB, WRITE)) == 1  # not retried by botocore
    assert kinds(dynamodb) == {}
    ticket, version, actions = prepared(intake, route, "verify")
    faults.fail(DDB, WRITE, "raise", error=OUR_FAULTS[fault])
    assert post_action(route, ticket, "verify", VERIFIER, {}, version).status == 500
    assert trail(ticket)[1:] == (version, actions)
    assert emailed() == emails_for(actions)


@pytest.mark.parametrize("channel", list(SUBMITTERS))
def test_a_transaction_conflict_on_create_is_retried_by_the_service(
    intake: Any, dynamodb: Any, emailed: Any, faults: FaultInjector, channel: str, monkeypatch: Any
) -> None:
    monkeypatch.setattr("pendopo.services.intake._back_off", lambda attempt: None)
    # Given two create transactions cancelled for a conflict (not retried by botocore)
    faults.refuse(DDB, WRITE, transaction_conflict(3), times=2)
    answer = SUBMITTERS[channel](intake, "key-faults-00001")
    # Then the service's own retry creates it once
    assert answer.status == 201
    assert len(faults.calls(DDB, WRITE)) == 3
    assert trail(answer.body["ticket"]) == ("waiting", 1, ["submit"])
    assert kinds(dynamodb) == {"complaint": 1, "event": 1, "idempotency": 1}
    assert emailed() == submitted(1)


@pytest.mark.parametrize("channel", list(SUBMITTERS))
def test_conflicts_that_never_clear_are_a_503_and_the_retry_creates_once(
    intake: Any, dynamodb: Any, emailed: Any, faults: FaultInjector, channel: str, monkeypatch: Any
) -> None:
    from pendopo.services.intake import MAX_ATTEMPTS

    monkeypatch.setattr("pendopo.services.intake._back_off", lambda attempt: None)
    faults.refuse(DDB, WRITE, transaction_conflict(3), times=MAX_ATTEMPTS)
    busy = SUBMITTERS[channel](intake, "key-faults-00001")
    assert busy.status == 503 and busy.headers["Retry-After"] == "1"
    assert "Idempotency-Key yang sama" in busy.body["message"]
    assert kinds(dynamodb) == {}
    retry = SUBMITTERS[channel](intake, "key-faults-00001")
    assert retry.status == 201
    assert kinds(dynamodb) == {"complaint": 1, "event": 1, "idempotency": 1}
    assert emailed() == submitted(1)


# ------------------------------------------- the kiosk retrying a submission whose answer was lost


@pytest.mark.parametrize("channel", list(SUBMITTERS))
def test_a_retry_after_the_first_answer_was_lost_gets_the_same_ticket(
    intake: Any, dynamodb: Any, emailed: Any, faults: FaultInjector, channel: str
) -> None:
    # Given the create committed, then the invocation timed out before answering
    faults.fail(DDB, WRITE, "kill_after")
    with pytest.raises(LambdaTimeout):
        SUBMITTERS[channel](intake, "key-faults-00001")
    assert kinds(dynamodb) == {"complaint": 1, "event": 1, "idempotency": 1}
    # When the kiosk retries the same body with the same key
    retry = SUBMITTERS[channel](intake, "key-faults-00001")
    # Then it gets the first answer (the same ticket and tracking code), and still one complaint
    assert retry.status == 201 and retry.headers["Idempotent-Replayed"] == "true"
    assert trail(retry.body["ticket"]) == ("waiting", 1, ["submit"])
    assert kinds(dynamodb) == {"complaint": 1, "event": 1, "idempotency": 1}
    if channel == "web":  # the replayed tracking code opens the complaint
        tracked = call(
            intake,
            "GET",
            f"/v1/complaints/{retry.body['ticket']}",
            headers={"X-Tracking-Code": retry.body["tracking_code"]},
        )
        assert tracked.status == 200
    # And the same key with a different body is the documented 409, creating nothing
    other = SUBMITTERS[channel](intake, "key-faults-00001", title="Pohon tumbang di trotoar")
    assert other.status == 409
    assert "sudah dipakai untuk pengaduan lain" in other.body["message"]
    assert kinds(dynamodb) == {"complaint": 1, "event": 1, "idempotency": 1}
    # And the complaint's emails went once each, however often it was sent
    assert emailed() == submitted(1)


@pytest.mark.parametrize("channel", list(SUBMITTERS))
def test_a_timeout_before_the_create_was_sent_leaves_nothing_and_the_retry_creates_once(
    intake: Any, dynamodb: Any, emailed: Any, faults: FaultInjector, channel: str
) -> None:
    faults.fail(DDB, WRITE, "kill_before")
    with pytest.raises(LambdaTimeout):
        SUBMITTERS[channel](intake, "key-faults-00001")
    assert kinds(dynamodb) == {}
    retry = SUBMITTERS[channel](intake, "key-faults-00001")
    assert retry.status == 201 and retry.headers["Idempotent-Replayed"] == "false"
    assert kinds(dynamodb) == {"complaint": 1, "event": 1, "idempotency": 1}
    assert emailed() == submitted(1)


def test_a_replay_read_that_is_throttled_is_retried_and_replays(
    intake: Any, dynamodb: Any, emailed: Any, faults: FaultInjector
) -> None:
    # Given a complaint made, and the retry's read of the idempotency record throttled once
    first = submit_public(intake, "key-faults-00001")
    faults.refuse(DDB, "GetItem", THROTTLED)
    retry = submit_public(intake, "key-faults-00001")
    assert retry.status == 201 and retry.headers["Idempotent-Replayed"] == "true"
    assert retry.body == first.body
    assert kinds(dynamodb) == {"complaint": 1, "event": 1, "idempotency": 1}
    assert emailed() == submitted(1)


# ----------------------------------------------------- officer actions under DynamoDB faults


# Each action meets every kind of write fault in turn; the transient fault of its last,
# successful attempt rotates so that every kind meets the actions.
LAST_FAULT = dict(zip(ACTIONS, [*TRANSIENT, *TRANSIENT], strict=False))
# ... and the two throughput reasons for cancelling a transaction alternate.
THROTTLED_REASON = dict(zip(ACTIONS, THROTTLED_REASONS * 4, strict=True))


@pytest.mark.parametrize("segment", list(ACTIONS))
def test_an_action_under_dynamodb_faults_is_applied_exactly_once(
    intake: Any, route: Any, dynamodb: Any, emailed: Any, faults: FaultInjector, segment: str
) -> None:
    ticket, version, actions = prepared(intake, route, segment)
    _, claims, body, status, _ = ACTIONS[segment]
    unchanged = (trail(ticket)[0], version, actions)
    # Given DynamoDB throttling every attempt (botocore's retries included)
    faults.refuse(DDB, WRITE, THROTTLING, times=ATTEMPTS)
    busy = post_action(route, ticket, segment, claims, body, version)
    assert busy.status == 503 and busy.headers["Retry-After"] == "1"
    assert trail(ticket) == unchanged
    # and then cancelling the transaction for throughput (not retried by botocore)
    faults.attempts.clear()
    faults.refuse(DDB, WRITE, transaction_throttled(2, THROTTLED_REASON[segment]))
    assert_busy(post_action(route, ticket, segment, claims, body, version))
    assert len(faults.calls(DDB, WRITE)) == 1
    assert trail(ticket) == unchanged
    # and then cancelling the transaction for a conflict: the documented 409
    faults.refuse(DDB, WRITE, transaction_conflict(2))
    conflict = post_action(route, ticket, segment, claims, body, version)
    assert conflict.status == 409
    assert "diubah oleh petugas lain" in conflict.body["message"]
    assert trail(ticket) == unchanged
    # When the officer reloads (nothing changed: the same version) and acts again, the
    # first attempt of the transaction failing once more (botocore retries it)
    assert detail(route, ticket).body["version"] == version
    faults.attempts.clear()
    inject_once(faults, WRITE, LAST_FAULT[segment])
    answer = post_action(route, ticket, segment, claims, body, version)
    # Then it succeeds, and the action is in the table exactly once
    assert answer.status == 200, answer.body
    assert answer.body["status"]["code"] == status and answer.body["version"] == version + 1
    assert [a.fault for a in faults.calls(DDB, WRITE)] == [TRANSIENT[LAST_FAULT[segment]][0], None]
    assert_applied_once(dynamodb, ticket, segment, version, actions)
    # And its emails (and those of the steps before it) went once each
    assert emailed() == emails_for([*actions, ACTIONS[segment][4]])


def test_the_actions_read_throttled_beyond_the_retries_fails_before_writing(
    intake: Any, route: Any, dynamodb: Any, emailed: Any, faults: FaultInjector
) -> None:
    ticket, version, actions = prepared(intake, route, "verify")
    faults.attempts.clear()
    faults.refuse(DDB, "GetItem", THROTTLED, times=ATTEMPTS)
    busy = post_action(route, ticket, "verify", VERIFIER, {}, version)
    assert busy.status == 503 and busy.headers["Retry-After"] == "1"
    assert len(faults.calls(DDB, "GetItem")) == ATTEMPTS
    assert faults.calls(DDB, WRITE) == []
    assert post_action(route, ticket, "verify", VERIFIER, {}, version).status == 200
    assert_applied_once(dynamodb, ticket, "verify", version, actions)
    assert emailed() == emails_for([*actions, "verify"])


# ------------------------------------------------------ a Lambda timeout in the middle of an action

# Where Lambda stops the invocation: after the read answered (the domain deciding),
# just before the transaction is sent, and after it committed (before the answer).
KILL_POINTS = {
    "after-the-read": ("GetItem", "kill_after", False),
    "before-the-transaction": (WRITE, "kill_before", False),
    "after-the-transaction": (WRITE, "kill_after", True),
}


@pytest.mark.parametrize("segment", list(ACTIONS))
def test_a_timeout_mid_action_leaves_it_whole_or_absent_and_the_retry_settles_it(
    intake: Any, route: Any, dynamodb: Any, emailed: Any, faults: FaultInjector, segment: str
) -> None:
    ticket, version, actions = prepared(intake, route, segment)
    _, claims, body, status, _ = ACTIONS[segment]
    for point, (operation, kind, applied) in KILL_POINTS.items():
        faults.fail(DDB, operation, kind)
        with pytest.raises(LambdaTimeout):
            call(route, "POST", f"/v1/officer/complaints/{ticket}/{segment}", claims=claims,
                 headers={"If-Match": f'"{version}"'}, json=body)  # fmt: skip
        # Then the action is either applied whole or not at all, never half
        if applied:
            assert_applied_once(dynamodb, ticket, segment, version, actions)
        else:
            assert trail(ticket)[1:] == (version, actions), point
            assert kinds(dynamodb) == {"complaint": 1, "event": version, "idempotency": 1}
    # When the officer's client retries the same request (same If-Match) after the last
    # timeout (the one after the commit), the 412 shows the action is in (status, version)
    retry = post_action(route, ticket, segment, claims, body, version)
    assert retry.status == 412
    assert retry.body["current_version"] == version + 1
    assert retry.body["current_status"]["code"] == status
    assert retry.headers["ETag"] == f'"{version + 1}"'
    assert_applied_once(dynamodb, ticket, segment, version, actions)
    assert emailed() == emails_for([*actions, ACTIONS[segment][4]])


# ------------------------------------------------------------------ two officers at once


def test_two_coordinators_acting_at_once_in_two_threads_one_wins_one_409(
    intake: Any, route: Any, dynamodb: Any, emailed: Any, clock: Any, monkeypatch: Any
) -> None:
    # In process: two threads call the route function's handler with API Gateway events
    # at the same time (moto's DynamoDB in between); no HTTP server, no sockets.
    ticket, version, actions = prepared(intake, route, "disposition")
    # Both requests read version 2 before either writes (a barrier after the read)
    racing = WorkflowService(BarrierStore(parties=2), route.taxonomy, clock)
    monkeypatch.setattr(route, "service", racing)
    answers: dict[str, Answer] = {}

    def post(name: str, claims: dict[str, str], agency: str) -> None:
        answers[name] = post_action(
            route, ticket, "disposition", claims, {"agency": agency}, version
        )

    threads = [
        threading.Thread(target=post, args=("first", PLH_COORDINATOR, "BINA_MARGA")),
        threading.Thread(target=post, args=("second", PLH_SECOND, "DINAS_SDA")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(a.status for a in answers.values()) == [200, 409]
    winner = next(name for name, a in answers.items() if a.status == 200)
    assert_applied_once(dynamodb, ticket, "disposition", version, actions)
    complaint, events = ComplaintStore().get_with_events(ticket)
    assert complaint is not None
    expected = {"first": "BINA_MARGA", "second": "DINAS_SDA"}[winner]
    assert complaint.agency == expected
    winners_claims = PLH_COORDINATOR if winner == "first" else PLH_SECOND
    assert [e.actor for e in events if e.action is Action.DISPOSITION] == [
        winners_claims["username"]
    ]
    assert emailed() == emails_for([*actions, "disposition"])  # the winner's only


def test_two_verifiers_one_after_the_other_with_the_same_if_match_the_second_gets_412(
    intake: Any, route: Any, dynamodb: Any, emailed: Any
) -> None:
    ticket, version, actions = prepared(intake, route, "verify")
    first = post_action(route, ticket, "verify", VERIFIER, {}, version)
    second = post_action(route, ticket, "reject", VERIFIER, REASON, version)
    assert (first.status, second.status) == (200, 412)
    assert second.body["current_version"] == version + 1
    assert_applied_once(dynamodb, ticket, "verify", version, actions)
    assert emailed() == emails_for([*actions, "verify"])


def test_the_injector_fails_the_nth_matching_attempt_times_times(faults: FaultInjector) -> None:
    """The injector itself: a fault fires only on its Nth matching attempt, ``times`` times."""
    fault = faults.refuse(DDB, WRITE, THROTTLED, skip=1, times=2)
    assert [fault.wants(DDB, WRITE, "{}") for _ in range(4)] == [False, True, True, True]
    fault.fired = 2
    assert fault.wants(DDB, WRITE, "{}") is False
    assert fault.wants(DDB, "PutItem", "{}") is False

"""The officer workflow through the route function's handler, on moto's DynamoDB.

Given / When / Then: a citizen's complaint, then officers acting on it with the
claims the HttpApi JWT authorizer would pass on.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.support.citizen import NIK, complaint_body, submit
from tests.support.handlers import call
from tests.support.officers import (
    ADMIN,
    FOLLOW_UP,
    PK_COORDINATOR,
    PLH_COORDINATOR,
    PLH_OFFICER,
    QUEUE,
    VERIFIER,
    complaints_a_minute_apart,
    detail,
    finished,
    new_complaint,
    take,
)


def test_the_whole_workflow_from_verification_to_done(intake: Any, route: Any, clock: Any) -> None:
    ticket = new_complaint(intake)
    steps = [
        ("verify", VERIFIER, {}, "coordination"),
        ("disposition", PLH_COORDINATOR, {"agency": "BINA_MARGA"}, "disposition"),
        ("acknowledge", PLH_COORDINATOR, {}, "in_progress"),
        ("follow-up", PLH_COORDINATOR, FOLLOW_UP, "awaiting_validation"),
        ("return", VERIFIER, {"reason": "Foto bukti belum dilampirkan."}, "follow_up_rejected"),
        ("follow-up", PLH_COORDINATOR, FOLLOW_UP, "awaiting_validation"),
        ("accept", VERIFIER, {}, "done"),
    ]
    for segment, claims, body, expected in steps:
        clock.advance(timedelta(minutes=10))
        answer = take(route, ticket, segment, claims, body)
        assert answer.status == 200, (segment, answer.body)
        assert answer.body["status"]["code"] == expected
        assert answer.headers["ETag"] == f'"{answer.body["version"]}"'

    shown = detail(route, ticket).body
    assert shown["status"]["label"] == "Selesai"
    assert shown["version"] == 8
    assert shown["agency"] == {"code": "BINA_MARGA", "name": shown["agency"]["name"]}
    assert shown["validation_rejections"] == 1
    assert [e["action"]["code"] for e in shown["events"]] == [
        "submit",
        "verify",
        "disposition",
        "acknowledge",
        "submit_follow_up",
        "reject_follow_up",
        "submit_follow_up",
        "accept_follow_up",
    ]
    assert shown["events"][5]["note"] == "Foto bukti belum dilampirkan."
    assert shown["events"][1]["actor"] == "verifikator.biro-pem@pendopo.example"
    assert shown["allowed_actions"] == []


def test_the_citizen_sees_the_public_timeline_and_the_validated_result(
    intake: Any, route: Any, clock: Any
) -> None:
    ticket, code = finished(intake, route, clock, key="key-public-timeline")
    tracked = call(intake, "GET", f"/v1/complaints/{ticket}", headers={"X-Tracking-Code": code})
    assert tracked.status == 200
    assert [step["status"]["label"] for step in tracked.body["timeline"]] == [
        "Menunggu",
        "Koordinasi",
        "Disposisi",
        "Menunggu Validasi",
        "Selesai",
    ]
    assert tracked.body["result"] == FOLLOW_UP["result"]
    # Officers' names and notes stay inside.
    assert "biro-plh" not in str(tracked.body)


def test_the_public_timeline_shows_no_unit_or_agency_of_its_steps(
    intake: Any, route: Any, clock: Any, dynamodb: Any
) -> None:
    answer = submit(intake, key="key-public-no-unit", category="STREET_LIGHTING")
    ticket, code = answer.body["ticket"], answer.body["tracking_code"]
    for segment, claims, body in [
        ("verify", VERIFIER, {}),
        ("disposition", PLH_COORDINATOR, {"agency": "BINA_MARGA"}),
        ("reroute", VERIFIER, {"category": "PARKING", "reason": "Soal parkir liar."}),
    ]:
        clock.advance(timedelta(minutes=5))
        assert take(route, ticket, segment, claims, body).status == 200
    # Stored: the steps record the units and the agency (for the monthly recap) ...
    stored = [step["M"] for step in _item(dynamodb, ticket)["timeline"]["L"]]
    assert [(s.get("unit", {}).get("S"), s.get("agency", {}).get("S")) for s in stored] == [
        ("BIRO_PLH", None),
        (None, None),
        (None, "BINA_MARGA"),
        ("BIRO_PK", None),
    ]
    # ... which the citizen's tracking JSON leaves out of every step.
    tracked = call(intake, "GET", f"/v1/complaints/{ticket}", headers={"X-Tracking-Code": code})
    assert tracked.status == 200
    steps = tracked.body["timeline"]
    assert len(steps) == 4
    for step in steps:
        # ``text`` is only ever a verifier's reason or note for the reporter (a dispute).
        assert set(step) == {"at", "at_text", "status", "description", "text"}
        assert step["text"] is None
    assert "BINA_MARGA" not in str(steps) and "BIRO_PLH" not in str(steps)


def test_the_follow_up_stops_the_clock_and_a_rejection_starts_it_again(
    intake: Any, route: Any, clock: Any, dynamodb: Any
) -> None:
    ticket = new_complaint(intake)
    take(route, ticket, "verify", VERIFIER)
    take(route, ticket, "disposition", PLH_COORDINATOR, {"agency": "BINA_MARGA"})
    take(route, ticket, "follow-up", PLH_COORDINATOR, FOLLOW_UP)
    assert "open_unit" not in _item(dynamodb, ticket)
    take(route, ticket, "return", VERIFIER, {"reason": "Belum ada bukti foto."})
    assert _item(dynamodb, ticket)["open_unit"] == {"S": "BIRO_PLH"}
    clock.advance(timedelta(days=4))
    queue = call(
        route, "GET", "/v1/officer/complaints", claims=PLH_COORDINATOR, query="overdue=true"
    )
    assert [i["ticket"] for i in queue.body["items"]] == [ticket]
    assert queue.body["items"][0]["overdue_text"].startswith("1 hari")


def _item(dynamodb: Any, ticket: str) -> dict[str, Any]:
    from tests.support.constants import TEST_TABLE

    got = dynamodb.get_item(
        TableName=TEST_TABLE, Key={"pk": {"S": f"C#{ticket}"}, "sk": {"S": "C"}}
    )
    return dict(got["Item"])


def test_a_verifier_reroutes_a_wrong_category_and_the_new_unit_sees_it_at_once(
    intake: Any, route: Any
) -> None:
    ticket = new_complaint(intake)  # street lighting: Biro PLH
    answer = take(
        route,
        ticket,
        "reroute",
        VERIFIER,
        {"category": "PARKING", "reason": "Ini soal juru parkir liar, bukan lampu."},
    )
    assert answer.status == 200, answer.body
    assert answer.body["status"]["code"] == "coordination"
    assert answer.body["event"]["previous_unit"] == "BIRO_PLH"
    queue = call(route, "GET", "/v1/officer/complaints", claims=PK_COORDINATOR)
    assert [i["ticket"] for i in queue.body["items"]] == [ticket]
    assert call(route, "GET", "/v1/officer/complaints", claims=PLH_COORDINATOR).body["items"] == []
    # The old unit's coordinator can no longer act on it or see it.
    assert detail(route, ticket, PLH_COORDINATOR).status == 403


def test_a_reroute_to_the_same_unit_is_a_clear_422(intake: Any, route: Any) -> None:
    ticket = new_complaint(intake)
    answer = take(route, ticket, "reroute", VERIFIER, {"category": "ROAD", "reason": "Salah"})
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "category"


def test_disposition_to_an_agency_of_another_unit_is_refused(intake: Any, route: Any) -> None:
    ticket = new_complaint(intake)
    take(route, ticket, "verify", VERIFIER)
    answer = take(route, ticket, "disposition", PLH_COORDINATOR, {"agency": "DINKES"})
    assert answer.status == 422
    assert "koordinasi unit ini" in answer.body["message"]


def test_an_action_in_the_wrong_status_is_409_naming_the_status(intake: Any, route: Any) -> None:
    ticket = new_complaint(intake)
    answer = take(route, ticket, "disposition", PLH_COORDINATOR, {"agency": "BINA_MARGA"})
    assert answer.status == 409
    assert answer.body["current_status"] == {"code": "waiting", "label": "Menunggu"}
    assert "Menunggu" in answer.body["message"]


def test_a_stale_version_is_412_and_a_missing_one_428(intake: Any, route: Any) -> None:
    ticket = new_complaint(intake)
    stale = take(route, ticket, "verify", VERIFIER, version=7)
    assert stale.status == 412
    assert stale.body["current_version"] == 1
    assert stale.headers["ETag"] == '"1"'
    missing = call(
        route, "POST", f"/v1/officer/complaints/{ticket}/verify", claims=VERIFIER, json={}
    )
    assert missing.status == 428
    assert detail(route, ticket).body["status"]["code"] == "waiting"


def test_an_anonymous_reporter_is_hidden_from_coordinators_and_nik_masked(
    intake: Any, route: Any
) -> None:
    body = complaint_body(category="STREET_LIGHTING")
    body["reporter"] = {**body["reporter"], "anonymous": True}
    anonymous = submit(
        intake, key="key-anon-000001", category="STREET_LIGHTING", reporter=body["reporter"]
    )
    named = new_complaint(intake, key="key-named-00001")
    ticket = anonymous.body["ticket"]
    seen_by_coordinator = detail(route, ticket, PLH_COORDINATOR).body["reporter"]
    assert seen_by_coordinator["identity_hidden"] is True
    assert seen_by_coordinator["nik"] is None and seen_by_coordinator["phone"] is None
    assert NIK not in str(detail(route, ticket, PLH_COORDINATOR).body)
    assert detail(route, ticket, VERIFIER).body["reporter"]["nik"] == NIK
    assert detail(route, ticket, ADMIN).body["reporter"]["nik"] == "*" * 12 + NIK[-4:]
    assert detail(route, named, PLH_OFFICER).body["reporter"]["nik"] == "*" * 12 + NIK[-4:]


def test_the_queue_is_sorted_by_due_time_and_pages_with_a_cursor(
    intake: Any, route: Any, clock: Any
) -> None:
    tickets = complaints_a_minute_apart(intake, clock, [f"key-queue-{n:06d}" for n in range(7)])
    # Spread them over two statuses, so the page merges two index partitions.
    for ticket in tickets[::2]:
        take(route, ticket, "verify", VERIFIER)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = "limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = call(route, "GET", "/v1/officer/complaints", claims=PLH_COORDINATOR, query=query)
        assert page.status == 200, page.body
        seen += [item["ticket"] for item in page.body["items"]]
        pages += 1
        cursor = page.body["next_cursor"]
        if not cursor:
            break
    assert seen == tickets  # due time order = receipt order; no repeats, no gaps
    assert pages == 3

    waiting = call(
        route, "GET", "/v1/officer/complaints", claims=PLH_COORDINATOR, query="status=waiting"
    )
    assert [i["ticket"] for i in waiting.body["items"]] == tickets[1::2]


def test_a_cursor_from_another_query_or_tampered_is_422(intake: Any, route: Any) -> None:
    for n in range(3):
        new_complaint(intake, key=f"key-cursor-{n:05d}")
    first = call(route, "GET", "/v1/officer/complaints", claims=VERIFIER, query="limit=1")
    cursor = first.body["next_cursor"]
    assert cursor
    other = call(
        route,
        "GET",
        "/v1/officer/complaints",
        claims=VERIFIER,
        query=f"limit=1&status=done&cursor={cursor}",
    )
    assert other.status == 422
    for bad in ("xyz", "e30", cursor[:-4]):
        answer = call(
            route, "GET", "/v1/officer/complaints", claims=VERIFIER, query=f"cursor={bad}"
        )
        assert answer.status == 422, bad


def test_verifiers_see_every_unit_and_coordinators_only_their_own(intake: Any, route: Any) -> None:
    plh = new_complaint(intake, key="key-unit-plh-01")
    pk = new_complaint(intake, key="key-unit-pk-001", category="PARKING")
    everyone = call(route, "GET", "/v1/officer/complaints", claims=VERIFIER)
    assert sorted(i["ticket"] for i in everyone.body["items"]) == sorted([plh, pk])
    other = call(
        route, "GET", "/v1/officer/complaints", claims=PLH_COORDINATOR, query="unit=BIRO_PK"
    )
    assert other.status == 403
    every = call(route, "GET", "/v1/officer/complaints", claims=PLH_OFFICER, query="unit=ALL")
    assert every.status == 403


@pytest.mark.parametrize(
    "query",
    ["status=finished", "limit=0", "limit=101", "unit=NOPE", "due_before=2025-06-12T09:00"],
)
def test_bad_queue_filters_are_422(route: Any, query: str) -> None:
    assert call(route, "GET", "/v1/officer/complaints", claims=VERIFIER, query=query).status == 422


def test_an_action_costs_at_most_two_dynamodb_calls(intake: Any, route: Any) -> None:
    import boto3  # noqa: F401 - the session the hook attaches to

    from pendopo.storage.connection import shared_connection

    ticket = new_complaint(intake)
    calls: list[str] = []
    client = shared_connection().client
    client.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )
    answer = take(route, ticket, "verify", VERIFIER, version=1)
    assert answer.status == 200
    assert calls == ["GetItem", "TransactWriteItems"]
    calls.clear()
    assert detail(route, ticket).status == 200
    # one Query, and the verifier sees the reporter's identity: one access record
    assert calls == ["Query", "PutItem"]


def test_the_overdue_queue_pages_with_the_first_pages_cut_off(
    intake: Any, route: Any, clock: Any
) -> None:
    tickets = complaints_a_minute_apart(intake, clock, [f"key-overdue-{n:05d}" for n in range(3)])
    clock.advance(timedelta(days=4))
    first = call(route, "GET", QUEUE, claims=PLH_COORDINATOR, query="overdue=true&limit=2")
    assert [i["ticket"] for i in first.body["items"]] == tickets[:2]
    # Time passes between pages, and a new complaint comes in (not overdue): page 2
    # still continues the same list.
    clock.advance(timedelta(minutes=5))
    new_complaint(intake, key="key-overdue-later")
    cursor = first.body["next_cursor"]
    second = call(
        route, "GET", QUEUE, claims=PLH_COORDINATOR, query=f"overdue=true&limit=2&cursor={cursor}"
    )
    assert second.status == 200, second.body
    assert [i["ticket"] for i in second.body["items"]] == tickets[2:]
    assert second.body["next_cursor"] is None


@pytest.mark.parametrize(
    "due_before", ["0001-01-01T00:00:00%2B07:00", "9999-12-31T23:59:59-07:00", "0005-01-01T00:00Z"]
)
def test_due_before_out_of_range_is_422_not_500(route: Any, due_before: str) -> None:
    answer = call(route, "GET", QUEUE, claims=VERIFIER, query=f"due_before={due_before}")
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "due_before"


def test_a_cursor_with_forged_key_values_is_422(intake: Any, route: Any) -> None:
    import base64
    import json

    for n in range(3):
        new_complaint(intake, key=f"key-forged-{n:05d}")
    cursor = call(route, "GET", QUEUE, claims=VERIFIER, query="limit=1").body["next_cursor"]
    document = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    for name, forged in [("due_at", ""), ("pk", "C#" + "9" * 3000), ("sk", "E#x")]:
        tampered = json.loads(json.dumps(document))
        for position in tampered["p"].values():
            if position:
                position[name] = {"S": forged}
        text = base64.urlsafe_b64encode(json.dumps(tampered).encode()).decode().rstrip("=")
        answer = call(route, "GET", QUEUE, claims=VERIFIER, query=f"limit=1&cursor={text}")
        assert answer.status == 422, name


def test_a_weak_etag_does_not_match(intake: Any, route: Any) -> None:
    ticket = new_complaint(intake)
    answer = call(
        route,
        "POST",
        f"/v1/officer/complaints/{ticket}/verify",
        claims=VERIFIER,
        headers={"If-Match": 'W/"1"'},
        json={},
    )
    assert answer.status == 412


def test_two_desks_may_use_the_same_idempotency_key(intake: Any, route: Any) -> None:
    body = complaint_body(category="STREET_LIGHTING")
    del body["channel"]
    tickets = []
    for claims in (PLH_OFFICER, PLH_COORDINATOR):
        answer = call(
            intake,
            "POST",
            "/v1/officer/complaints",
            claims=claims,
            headers={"Idempotency-Key": "desk-key-0001"},
            json=body,
        )
        assert answer.status == 201, answer.body
        tickets.append(answer.body["ticket"])
    assert tickets[0] != tickets[1]
    # and each desk's retry replays its own
    again = call(
        intake,
        "POST",
        "/v1/officer/complaints",
        claims=PLH_OFFICER,
        headers={"Idempotency-Key": "desk-key-0001"},
        json=body,
    )
    assert again.body["ticket"] == tickets[0]
    assert again.headers["Idempotent-Replayed"] == "true"

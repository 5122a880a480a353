"""Who saw whom (issue #20): access records of the officer detail, and the admins' reads.

A detail that shows any of the reporter's identity whole writes one access record
(the names of the fields, never their values); one that shows none writes nothing.
Only admins read the log, per complaint or per officer and month.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from tests.support.citizen import EMAIL, NAME, NIK, PHONE
from tests.support.handlers import call
from tests.support.officers import (
    ADMIN,
    PLH_COORDINATOR,
    PLH_OFFICER,
    VERIFIER,
    detail,
    new_complaint,
)

LOG = "/v1/officer/access-log"
ROUTE_KEY = "GET /v1/officer/complaints/{ticket}"


def access_items(dynamodb: Any, ticket: str) -> list[dict[str, Any]]:
    from tests.support.constants import TEST_TABLE

    answer = dynamodb.query(
        TableName=TEST_TABLE,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"ACCESS#{ticket}"}},
    )
    return list(answer["Items"])


def read_log(route: Any, query: str, claims: dict[str, str] = ADMIN) -> Any:
    return call(route, "GET", LOG, claims=claims, query=query)


def test_a_verifiers_detail_adds_one_record_with_field_names_and_no_values(
    intake: Any, route: Any, dynamodb: Any
) -> None:
    # Given a complaint whose reporter gave name, NIK, phone and email
    ticket = new_complaint(intake)
    # When the verifier opens it
    answer = detail(route, ticket, VERIFIER)
    assert answer.status == 200 and answer.body["reporter"]["nik"] == NIK
    # Then exactly one access record: who, when, which complaint, which fields, which route
    (item,) = access_items(dynamodb, ticket)
    assert item["kind"]["S"] == "access"
    assert item["officer"]["S"] == "verifikator.biro-pem@pendopo.example"
    assert item["role"]["S"] == "verifikator"
    assert item["ticket"]["S"] == ticket
    assert [f["S"] for f in item["fields"]["L"]] == ["name", "nik", "phone", "email"]
    assert item["route"]["S"] == ROUTE_KEY
    assert item["officer_month"]["S"].startswith("verifikator.biro-pem@pendopo.example#")
    # And never the values
    text = json.dumps(item)
    for value in (NAME, NIK, PHONE.replace("-", "")[1:], EMAIL, NAME.split()[0]):
        assert value not in text
    # And nothing in the complaint's own partition (its trail) changed
    assert [e["action"]["code"] for e in detail(route, ticket, VERIFIER).body["events"]] == [
        "submit"
    ]


def test_a_masked_view_adds_none(intake: Any, route: Any, dynamodb: Any) -> None:
    # Given an anonymous reporter (hidden from the unit's officers)
    ticket = new_complaint(
        intake,
        key="key-anon-0001",
        reporter={"name": NAME, "nik": NIK, "phone": PHONE, "anonymous": True},
    )
    # When the unit's coordinator and officer open it
    for claims in (PLH_COORDINATOR, PLH_OFFICER):
        shown = detail(route, ticket, claims).body["reporter"]
        assert shown["identity_hidden"] is True
    # Then no access record
    assert access_items(dynamodb, ticket) == []
    # While the admin, who sees the identity (NIK masked), adds one without the NIK
    assert detail(route, ticket, ADMIN).status == 200
    (item,) = access_items(dynamodb, ticket)
    assert [f["S"] for f in item["fields"]["L"]] == ["name", "phone"]


def test_a_coordinator_who_sees_contact_data_is_recorded_too(
    intake: Any, route: Any, dynamodb: Any
) -> None:
    # A reporter who is not anonymous: the unit's coordinator sees name, phone and email
    # (the NIK masked), which is identity shown unmasked.
    ticket = new_complaint(intake, key="key-coord-0001")
    detail(route, ticket, PLH_COORDINATOR)
    (item,) = access_items(dynamodb, ticket)
    assert [f["S"] for f in item["fields"]["L"]] == ["name", "phone", "email"]
    assert item["role"]["S"] == "koordinator"


def test_a_refused_detail_adds_none(intake: Any, route: Any, dynamodb: Any) -> None:
    from tests.support.officers import PK_COORDINATOR

    ticket = new_complaint(intake, key="key-refused-0001")
    assert detail(route, ticket, PK_COORDINATOR).status == 403
    assert access_items(dynamodb, ticket) == []


def test_admins_read_the_log_per_complaint_and_per_officer_month(
    intake: Any, route: Any, clock: Any
) -> None:
    # Given two complaints the verifier opened, one twice
    first = new_complaint(intake, key="key-log-0001")
    second = new_complaint(intake, key="key-log-0002")
    for ticket in (first, first, second):
        clock.advance(timedelta(minutes=1))
        detail(route, ticket, VERIFIER)
    month = clock.now().strftime("%Y-%m")
    # When the admin reads the complaint's log, and the verifier's month
    per_ticket = read_log(route, f"ticket={first}")
    per_officer = read_log(
        route, f"officer=verifikator.biro-pem@pendopo.example&month={month}&limit=2"
    )
    # Then the records, oldest first, with field names only; pages continue by cursor
    assert per_ticket.status == 200, per_ticket.body
    assert [r["ticket"] for r in per_ticket.body["items"]] == [first, first]
    assert per_ticket.body["items"][0]["fields"] == ["name", "nik", "phone", "email"]
    assert per_ticket.body["items"][0]["route"] == ROUTE_KEY
    assert per_ticket.headers["Cache-Control"] == "no-store"
    assert per_officer.status == 200 and len(per_officer.body["items"]) == 2
    cursor = per_officer.body["next_cursor"]
    rest = read_log(
        route,
        f"officer=verifikator.biro-pem@pendopo.example&month={month}&limit=2&cursor={cursor}",
    )
    assert [r["ticket"] for r in rest.body["items"]] == [second]
    assert rest.body["next_cursor"] is None
    # And reading the log writes no record of its own
    assert len(read_log(route, f"ticket={first}").body["items"]) == 2


@pytest.mark.parametrize("claims", [VERIFIER, PLH_COORDINATOR, PLH_OFFICER])
def test_only_admins_read_the_log(route: Any, claims: dict[str, str]) -> None:
    answer = read_log(route, "ticket=2506-0000-0011", claims)
    assert answer.status == 403
    assert "admin" in answer.body["message"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "officer"),
        ("officer=a@pendopo.example", "officer"),
        ("officer=a@pendopo.example&month=2025-13", "month"),
        ("officer=bukan-email&month=2025-06", "officer"),
        ("ticket=1234", "ticket"),
        ("ticket=2506-0000-0011&month=2025-06", "ticket"),
        ("ticket=2506-0000-0011&cursor=bukan-cursor", "cursor"),
    ],
)
def test_unusable_queries_are_422_in_indonesian(route: Any, query: str, field: str) -> None:
    answer = read_log(route, query)
    assert answer.status == 422, answer.body
    assert answer.body["errors"][0]["field"] == field


def test_when_the_record_cannot_be_written_the_identity_is_not_shown(
    intake: Any, route: Any, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.faults import dynamodb_error, install

    # Given a complaint, and DynamoDB refusing every PutItem (throttled through the retries)
    ticket = new_complaint(intake, key="key-closed-0001")
    faults = install(monkeypatch)
    faults.refuse("dynamodb", "PutItem", dynamodb_error("ThrottlingException"), times=None)
    # When the verifier opens it
    answer = detail(route, ticket, VERIFIER)
    # Then a 503 with no reporter data: the read fails closed
    assert answer.status == 503
    text = json.dumps(answer.body)
    assert NIK not in text and NAME not in text
    faults.heal()
    assert access_items(dynamodb, ticket) == []

"""Open311 GeoReport v2, the reading side, inside the intake function on moto's DynamoDB.

Every JSON answer is validated against the specification's field lists and every XML
answer parsed; each route is asked in both formats and must carry the same data.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.support.citizen import EMAIL, NAME, NIK, complaint_body
from tests.support.handlers import call
from tests.support.officers import FOLLOW_UP, new_complaint, work_to_done
from tests.support.open311 import (
    DISCOVERY,
    ERRORS,
    SERVICE_DEFINITION,
    SERVICE_REQUESTS,
    SERVICES,
    assert_same_data,
    validate,
)

BASE = "/open311/v2"


def both(intake: Any, path: str, schema: dict[str, Any], **query: str) -> tuple[int, Any]:
    """GET ``path`` as .json and .xml: the same status and data; the JSON returned."""
    text = urlencode(query)
    as_json, as_xml = (
        call(intake, "GET", f"{BASE}/{path}.{ext}", query=text) for ext in ("json", "xml")
    )
    assert as_json.status == as_xml.status
    assert as_json.headers["Content-Type"].startswith("application/json")
    assert as_xml.headers["Content-Type"].startswith("text/xml")
    text = as_json.body if isinstance(as_json.body, str) else json.dumps(as_json.body)
    return as_json.status, assert_same_data(text, as_xml.body, schema)


def confidential_complaint(intake: Any, key: str) -> str:
    body = complaint_body(category="STREET_LIGHTING")
    body["reporter"] = {**body["reporter"], "confidential": True}
    answer = call(intake, "POST", "/v1/complaints", headers={"Idempotency-Key": key}, json=body)
    assert answer.status == 201, answer.body
    return str(answer.body["ticket"])


def test_discovery_names_this_endpoint_and_both_formats(intake: Any) -> None:
    status, data = both(intake, "discovery", DISCOVERY)
    assert status == 200
    endpoint = data["endpoints"][0]
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_one_service_per_category_grouped_by_unit(intake: Any) -> None:
    status, services = both(intake, "services", SERVICES)
    assert status == 200
    assert len(services) == len(intake.rules.taxonomy.categories)
    road = next(s for s in services if s["service_code"] == "ROAD")
    assert road["group"] == "Biro Pembangunan dan Lingkungan Hidup"
    assert road["type"] == "realtime" and road["metadata"] is False
    assert road["service_name"] and road["keywords"]


def test_a_service_definition_and_an_unknown_code(intake: Any) -> None:
    status, definition = both(intake, "services/ROAD", SERVICE_DEFINITION)
    assert (status, definition) == (200, {"service_code": "ROAD", "attributes": []})
    status, errors = both(intake, "services/NO_SUCH_CODE", ERRORS)
    assert status == 404 and errors[0]["code"] == 404


def test_requests_show_public_facts_and_never_the_reporter(intake: Any) -> None:
    ticket = new_complaint(intake, key="key-open311-public")
    status, listed = both(intake, "requests", SERVICE_REQUESTS)
    assert status == 200
    assert [r["service_request_id"] for r in listed] == [ticket]
    request = listed[0]
    assert request["status"] == "open"
    assert request["status_notes"] == "Menunggu"
    assert request["service_code"] == "STREET_LIGHTING"
    assert request["requested_datetime"] == "2025-06-10T08:00:00+07:00"
    assert request["expected_datetime"] == "2025-06-13T08:00:00+07:00"
    assert (request["lat"], request["long"]) == (-6.1826, 106.8283)
    assert request["agency_responsible"] == "Biro Pembangunan dan Lingkungan Hidup"
    text = json.dumps(listed)
    for secret in (NAME, NIK, EMAIL, "813"):
        assert secret not in text
    status, one = both(intake, f"requests/{ticket}", SERVICE_REQUESTS)
    assert (status, one) == (200, listed)


def test_a_confidential_complaint_is_neither_listed_nor_readable(intake: Any) -> None:
    public = new_complaint(intake, key="key-open311-public-2")
    secret = confidential_complaint(intake, "key-open311-secret")
    _, listed = both(intake, "requests", SERVICE_REQUESTS)
    assert [r["service_request_id"] for r in listed] == [public]
    status, errors = both(intake, f"requests/{secret}", ERRORS)
    assert status == 404 and len(errors) == 1
    _, by_ids = both(intake, "requests", SERVICE_REQUESTS, service_request_id=f"{secret},{public}")
    assert [r["service_request_id"] for r in by_ids] == [public]


def test_a_closed_request_carries_the_validated_result(intake: Any, route: Any, clock: Any) -> None:
    ticket = new_complaint(intake, key="key-open311-done")
    work_to_done(route, ticket, clock)
    _, [request] = both(intake, f"requests/{ticket}", SERVICE_REQUESTS)
    assert request["status"] == "closed"
    assert request["status_notes"] == f"Selesai. Hasil tindak lanjut: {FOLLOW_UP['result']}"
    assert request["agency_responsible"].endswith("; Dinas Bina Marga")
    assert request["updated_datetime"] == "2025-06-10T08:20:00+07:00"
    _, closed = both(intake, "requests", SERVICE_REQUESTS, status="closed")
    _, still_open = both(intake, "requests", SERVICE_REQUESTS, status="open")
    assert ([r["service_request_id"] for r in closed], still_open) == ([ticket], [])


def test_the_list_is_open_first_newest_first_and_pages(intake: Any, clock: Any) -> None:
    tickets = []
    for n in range(5):
        clock.advance(timedelta(minutes=1))
        tickets.append(new_complaint(intake, key=f"key-open311-page-{n}"))
    _, first = both(intake, "requests", SERVICE_REQUESTS, page_size="2")
    _, third = both(intake, "requests", SERVICE_REQUESTS, page_size="2", page="3")
    assert [r["service_request_id"] for r in first] == tickets[::-1][:2]
    assert [r["service_request_id"] for r in third] == [tickets[0]]
    _, other = both(intake, "requests", SERVICE_REQUESTS, service_code="ROAD,SCHOOLS")
    assert other == []


def test_dates_outside_the_range_and_a_range_over_90_days(intake: Any) -> None:
    new_complaint(intake, key="key-open311-dates")
    _, before = both(
        intake,
        "requests",
        SERVICE_REQUESTS,
        start_date="2025-05-01T00:00:00Z",
        end_date="2025-06-01T00:00:00+07:00",
    )
    assert before == []
    _, within = both(intake, "requests", SERVICE_REQUESTS, start_date="2025-06-10")
    assert len(within) == 1
    status, errors = both(
        intake,
        "requests",
        ERRORS,
        start_date="2025-01-01T00:00:00Z",
        end_date="2025-07-20T00:00:00Z",
    )
    assert status == 400
    assert errors == [
        {
            "code": 400,
            "description": "end_date: Rentang start_date sampai end_date paling lama 90 hari.",
        }
    ]


def test_several_wrong_parameters_are_reported_at_once(intake: Any) -> None:
    status, errors = both(
        intake,
        "requests",
        ERRORS,
        service_code="NOPE",
        status="pending",
        start_date="kemarin",
    )
    assert status == 400
    assert len(errors) >= 2 and {e["code"] for e in errors} == {400}
    status, errors = both(intake, "requests", ERRORS, page="0", page_size="5000")
    assert status == 400 and len(errors) == 2


@pytest.mark.parametrize(
    "path",
    ["tokens/abc", "services/ROAD", "requests/2506-0000-0000"],
)
def test_unknown_things_and_tokens_are_404_in_both_formats(intake: Any, path: str) -> None:
    if path == "services/ROAD":
        path = "services/LAINNYA_TIDAK_ADA"
    status, errors = both(intake, path, ERRORS)
    assert status == 404 and errors[0]["code"] == 404


def test_another_jurisdiction_and_an_unknown_extension(intake: Any) -> None:
    status, _ = both(intake, "services", ERRORS, jurisdiction_id="bandung.go.id")
    assert status == 404
    answer = call(intake, "GET", f"{BASE}/services/ROAD.html")
    assert answer.status == 404
    validate(answer.body, ERRORS)


def test_a_body_over_64_kb_is_413_in_the_specifications_shape(intake: Any) -> None:
    answer = call(intake, "GET", f"{BASE}/services.xml", body="x" * (64 * 1024 + 1))
    assert answer.status == 413
    assert answer.body.startswith('<?xml version="1.0" encoding="utf-8"?><errors><error>')

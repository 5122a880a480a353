"""Open311 GeoReport v2 over HTTP on the local stack, read by a real client library.

``georeport`` (PyPI, an Open311 GeoReport v2 client written independently of us, for
Boston, Chicago and other cities) reads our services and requests in JSON and in XML
(through xmltodict); the two must agree. Then, over plain HTTP: a confidential
complaint filed through the native API is never visible, an officer works a complaint
to Selesai and Open311 shows it closed with its result, and a wrong code and a 200-day
range answer as the specification says.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests
from georeport import GeoReport

from tests.support.open311 import (
    ERRORS,
    SERVICE_REQUESTS,
    SERVICES,
    validate,
    xml_data,
)
from tests.support.over_http import street_light_at_kiosk, submitted, work_to_done
from tests.support.stack import RunningStack

pytestmark = pytest.mark.e2e

FOLLOW_UP = "Lampu penerangan jalan sudah diganti oleh Dinas Bina Marga."


def clients(stack: RunningStack) -> tuple[GeoReport, GeoReport]:
    root = f"{stack.api_url}/open311/v2"
    return GeoReport(root, output_format="json"), GeoReport(root, output_format="xml")


def as_text(value: Any) -> Any:
    """JSON values as xmltodict reads XML: text, None for an empty element."""
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def one_or_many(value: Any) -> list[Any]:
    # xmltodict gives a single child as a mapping, several as a list.
    return value if isinstance(value, list) else [value]


def kiosk_complaint(stack: RunningStack, *, confidential: bool = False) -> str:
    body = street_light_at_kiosk("Warga Uji Open311")
    body["reporter"] = {**body["reporter"], "confidential": confidential}
    body["location"] = {"text": "Jl. Kebon Sirih 22", "lat": -6.1826, "lon": 106.8283}
    return str(submitted(stack.api_url, f"e2e-open311-{uuid.uuid4().hex}", body)["ticket"])


def get(stack: RunningStack, path: str, **params: str) -> requests.Response:
    return requests.get(f"{stack.api_url}/open311/v2/{path}", params=params, timeout=30)


def test_a_real_client_reads_services_in_json_and_xml(local_stack: RunningStack) -> None:
    as_json, as_xml = clients(local_stack)
    services = validate(as_json.get_service_list(), SERVICES)
    assert as_text(services) == one_or_many(as_xml.get_service_list())
    road = as_json.get_service_definition("ROAD")
    assert road == {"service_code": "ROAD", "attributes": []}
    assert as_xml.get_service_definition("ROAD") == {"service_code": "ROAD", "attributes": None}


def test_a_real_client_reads_requests_in_json_and_xml(local_stack: RunningStack) -> None:
    ticket = kiosk_complaint(local_stack)
    as_json, as_xml = clients(local_stack)
    listed = validate(as_json.get_service_requests(), SERVICE_REQUESTS)
    assert ticket in {r["service_request_id"] for r in listed}
    assert as_text(listed) == one_or_many(as_xml.get_service_requests())
    one = as_json.get_service_request(ticket)
    assert one["status"] == "open" and one["lat"] == -6.1826
    assert as_text(one) == as_xml.get_service_request(ticket)
    chosen = as_json.get_service_requests(service_request_id=ticket)
    assert chosen == [one]


def test_a_confidential_complaint_filed_natively_is_never_visible(
    local_stack: RunningStack,
) -> None:
    secret = kiosk_complaint(local_stack, confidential=True)
    public = kiosk_complaint(local_stack)
    for ext in ("json", "xml"):
        listed = get(local_stack, f"requests.{ext}")
        assert listed.status_code == 200
        assert public in listed.text and secret not in listed.text
        assert get(local_stack, f"requests/{secret}.{ext}").status_code == 404
        chosen = get(local_stack, f"requests.{ext}", service_request_id=f"{secret},{public}")
        assert public in chosen.text and secret not in chosen.text
    assert validate(get(local_stack, f"requests/{secret}.json").json(), ERRORS)[0]["code"] == 404


def test_worked_to_selesai_the_request_is_closed_with_its_result(
    local_stack: RunningStack,
) -> None:
    api = local_stack.api_url
    ticket = kiosk_complaint(local_stack)
    work_to_done(api, ticket, FOLLOW_UP)
    [request] = validate(get(local_stack, f"requests/{ticket}.json").json(), SERVICE_REQUESTS)
    assert request["status"] == "closed"
    assert request["status_notes"] == f"Selesai. Hasil tindak lanjut: {FOLLOW_UP}"
    xml = xml_data(get(local_stack, f"requests/{ticket}.xml").text, "service_requests")
    assert xml[0]["status"] == "closed"
    closed = get(local_stack, "requests.json", status="closed").json()
    assert ticket in {r["service_request_id"] for r in closed}


def test_a_wrong_code_and_a_200_day_range_answer_as_the_specification_says(
    local_stack: RunningStack,
) -> None:
    for ext in ("json", "xml"):
        unknown = get(local_stack, f"services/TIDAK_ADA.{ext}")
        assert unknown.status_code == 404
        wide = get(
            local_stack,
            f"requests.{ext}",
            start_date="2025-01-01T00:00:00+07:00",
            end_date="2025-07-20T00:00:00+07:00",
        )
        assert wide.status_code == 400
        wrong_filter = get(local_stack, f"requests.{ext}", service_code="TIDAK_ADA")
        assert wrong_filter.status_code == 400
        if ext == "xml":
            for answer in (unknown, wide, wrong_filter):
                assert xml_data(answer.text, "errors")
        else:
            assert validate(unknown.json(), ERRORS)[0]["code"] == 404
            [error] = validate(wide.json(), ERRORS)
            assert error["code"] == 400 and "90 hari" in error["description"]
            assert validate(wrong_filter.json(), ERRORS)[0]["code"] == 400
    token = get(local_stack, "tokens/abc123.json")
    assert token.status_code == 404

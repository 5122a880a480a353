"""Open311 GeoReport v2: the format layer, the spec's errors and the list's rules, without AWS."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest

from pendopo.api.errors import ErrorReply
from pendopo.api.open311_errors import OPEN311_ERRORS, open311_error_response
from pendopo.api.open311_format import Format, format_of, render, split_format, to_xml
from pendopo.domain.clock import WIB, FixedClock
from pendopo.domain.complaint import FollowUp
from pendopo.domain.status import Status
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.services.open311 import (
    InvalidQuery,
    NotFound,
    Open311ReadService,
    RequestFilter,
    parse_datetime,
)
from pendopo.storage.public_requests import OPEN311_STATES, PublicQuery, months_back
from pendopo.views.open311 import agency_responsible, service_request, status_notes
from tests.support.open311 import xml_data
from tools.bench.synthetic import Spec, complaint, ticket_number

NOW = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)


class FakeReader:
    """Public complaints in memory; records the queries asked."""

    def __init__(self) -> None:
        self.queries: list[PublicQuery] = []
        self.asked_ids: list[str] = []

    def page(self, query: PublicQuery) -> list:
        self.queries.append(query)
        return []

    def get(self, ticket: str):
        return None

    def get_many(self, tickets):
        self.asked_ids.extend(tickets)
        return []


def service() -> tuple[Open311ReadService, FakeReader]:
    reader = FakeReader()
    return Open311ReadService(reader, load_taxonomy(), FixedClock(NOW)), reader


# --- the format layer ------------------------------------------------------------------


def test_xml_uses_the_specifications_element_names_and_escapes_text() -> None:
    rows = [{"service_request_id": "2506-0000-0001", "description": "a < b & c", "lat": None}]
    text = to_xml("service_requests", rows)
    assert text == (
        '<?xml version="1.0" encoding="utf-8"?><service_requests><request>'
        "<service_request_id>2506-0000-0001</service_request_id>"
        "<description>a &lt; b &amp; c</description><lat/></request></service_requests>"
    )
    assert xml_data(text, "service_requests") == [
        {"service_request_id": "2506-0000-0001", "description": "a < b & c", "lat": ""}
    ]


def test_nested_lists_and_booleans() -> None:
    data = {"endpoints": [{"formats": ["text/xml", "application/json"], "metadata": False}]}
    assert to_xml("discovery", data).endswith(
        "<discovery><endpoints><endpoint><formats><format>text/xml</format>"
        "<format>application/json</format></formats><metadata>false</metadata>"
        "</endpoint></endpoints></discovery>"
    )
    assert json.loads(render(Format.JSON, "discovery", data)) == data


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ROAD.json", ("ROAD", Format.JSON)),
        ("2506-0000-0001.xml", ("2506-0000-0001", Format.XML)),
        ("ROAD.html", None),
        ("ROAD", None),
    ],
)
def test_the_extension_chooses_the_format(name: str, expected: object) -> None:
    assert split_format(name) == expected


def test_errors_are_a_list_of_code_and_description_in_either_format() -> None:
    answer = open311_error_response(HTTPStatus.UNPROCESSABLE_ENTITY, Format.JSON, ["a", "b"])
    assert answer.status_code == 400  # the specification's status for what was sent wrong
    assert json.loads(answer.body) == [
        {"code": 400, "description": "a"},
        {"code": 400, "description": "b"},
    ]
    too_large = ErrorReply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "x")
    raw = OPEN311_ERRORS.raw("/open311/v2/services.xml", too_large)
    assert raw["statusCode"] == 413
    assert xml_data(raw["body"], "errors") == [{"code": "413", "description": "x"}]
    assert OPEN311_ERRORS.claims("/prod/open311/v2/requests.json")
    assert not OPEN311_ERRORS.claims("/v1/complaints")
    assert format_of("/open311/v2/requests") is None


# --- the list's rules ----------------------------------------------------------------


def test_without_dates_the_last_90_days_both_statuses_first_1000() -> None:
    read, reader = service()
    read.requests(RequestFilter())
    assert reader.queries == [
        PublicQuery(start=NOW - timedelta(days=90), end=NOW, states=OPEN311_STATES)
    ]


def test_one_date_gives_90_days_from_or_to_it() -> None:
    read, reader = service()
    read.requests(RequestFilter(start_date="2025-05-01"))
    read.requests(RequestFilter(end_date="2025-05-01T00:00:00Z"))
    start, end = reader.queries
    assert (start.start, start.end) == (datetime(2025, 5, 1, tzinfo=WIB), NOW)
    assert end.end - end.start == timedelta(days=90)


def test_every_wrong_parameter_is_reported_at_once() -> None:
    read, _ = service()
    with pytest.raises(InvalidQuery) as refused:
        read.requests(
            RequestFilter(
                service_code="ROAD,NOPE",
                status="open,pending",
                start_date="2025-01-01T00:00:00Z",
                end_date="2025-06-01T00:00:00Z",
                page="0",
                page_size="1001",
            )
        )
    fields = [field for field, _ in refused.value.errors]
    assert fields == ["service_code", "status", "end_date", "page", "page_size"]


def test_paging_and_the_deepest_page() -> None:
    read, reader = service()
    read.requests(RequestFilter(page="3", page_size="50", status="closed", service_code="road"))
    query = reader.queries[0]
    assert (query.offset, query.limit, query.states, query.categories) == (
        100,
        50,
        ("closed",),
        ("ROAD",),
    )
    with pytest.raises(InvalidQuery):
        read.requests(RequestFilter(page="11", page_size="1000"))


def test_ids_override_everything_and_are_capped() -> None:
    read, reader = service()
    ticket = ticket_number(NOW, 1)
    spoken = ticket.replace("-", " ")
    read.requests(RequestFilter(service_request_id=f"{spoken}, nope", status="bogus"))
    assert reader.asked_ids == [ticket]
    assert reader.queries == []
    with pytest.raises(InvalidQuery):
        read.requests(RequestFilter(service_request_id=",".join(["2506-0000-0001"] * 101)))


def test_unknown_service_request_and_service_are_404() -> None:
    read, _ = service()
    with pytest.raises(NotFound):
        read.request("2506-0000-0001")
    with pytest.raises(NotFound):
        read.service_definition("NOPE")


def test_a_plus_sent_unencoded_is_read_back() -> None:
    assert parse_datetime("2025-06-01T00:00:00 07:00") == datetime(2025, 6, 1, tzinfo=WIB)
    assert parse_datetime("kemarin") is None


def test_months_back_span_the_range_in_wib() -> None:
    start = datetime(2025, 3, 31, 18, 0, tzinfo=UTC)  # 1 April 01:00 WIB
    assert list(months_back(start, datetime(2025, 6, 10, tzinfo=UTC))) == [
        "2025-06",
        "2025-05",
        "2025-04",
    ]


# --- the fields ------------------------------------------------------------------------


def test_status_notes_and_agency_carry_only_public_outcomes() -> None:
    taxonomy = load_taxonomy()
    received = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)
    base = complaint(Spec(1, "BIRO_PLH", received, received + timedelta(days=3)))
    done = base.model_copy(
        update={
            "status": Status.DONE,
            "agency": "BINA_MARGA",
            "follow_up": FollowUp(result="Sudah diperbaiki.", at=received, by="petugas@x"),
        }
    )
    rejected = base.model_copy(update={"status": Status.REJECTED, "decision_reason": "Ganda."})
    assert status_notes(base) == "Koordinasi"
    assert status_notes(done) == "Selesai. Hasil tindak lanjut: Sudah diperbaiki."
    assert status_notes(rejected) == "Ditolak. Alasan: Ganda."
    assert agency_responsible(done, taxonomy).endswith("; Dinas Bina Marga")
    shown = service_request(done, taxonomy).model_dump(mode="json")
    assert shown["status"] == "closed"
    assert shown["requested_datetime"] == "2025-06-10T08:00:00+07:00"
    assert "petugas@x" not in json.dumps(shown) and "Warga Contoh" not in json.dumps(shown)


def test_every_open311_route_has_its_own_throttle_in_the_template_and_the_local_gateway() -> None:
    from tests.support.public_routes import PUBLIC_ROUTES
    from tools.local.throttle import RouteThrottle, ThrottleLimits

    throttle = RouteThrottle.from_template()
    routes = sorted(route for route in PUBLIC_ROUTES if "/open311/" in route)
    assert len(routes) == 11  # 9 to read, 2 to file (POST requests.json and .xml)
    limits = {route: throttle.limits_for(route) for route in routes}
    assert all(limit is not None and limit != throttle.default for limit in limits.values())
    assert limits["GET /open311/v2/requests.json"] == ThrottleLimits(rate=5.0, burst=10)
    assert limits["POST /open311/v2/requests.xml"] == ThrottleLimits(rate=5.0, burst=10)

"""The local stack answers over HTTP: API document, 404s, demo data through intake."""

from __future__ import annotations

import re

import pytest
import requests

from pendopo.domain.taxonomy import load_taxonomy
from tests.support.stack import RunningStack
from tools.local.accounts import demo_email
from tools.local.demo import DEMO_COMPLAINTS, load_demo
from tools.local.demo_workflow import PLAN, advance_demo
from tools.local.login import bearer

pytestmark = pytest.mark.e2e


def test_openapi_document_is_served(local_stack: RunningStack) -> None:
    # Given the local stack is running
    # When a client asks for the API description
    response = requests.get(f"{local_stack.api_url}/v1/openapi.json", timeout=30)
    # Then it gets an OpenAPI document listing the intake routes
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/v1/complaints" in document["paths"]


def test_unknown_path_is_404(local_stack: RunningStack) -> None:
    response = requests.get(f"{local_stack.api_url}/nope", timeout=30)
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}


def test_demo_complaints_go_through_the_intake_api(local_stack: RunningStack) -> None:
    # Given the running stack and its real intake function
    # When the demo loader submits its complaints over HTTP
    results = load_demo(local_stack.api_url)
    # Then each gets a ticket and tracking code, in the category it was written for
    assert len(results) == len(DEMO_COMPLAINTS)
    assert all(re.fullmatch(r"\d{4}-\d{4}-\d{4}", r.ticket) for r in results)
    assert len({r.ticket for r in results}) == len(results)
    assert [r.category for r in results] == [c.category_hints[0] for c in DEMO_COMPLAINTS]
    # And loading again replays the same receipts instead of duplicating complaints
    assert [r.ticket for r in load_demo(local_stack.api_url)] == [r.ticket for r in results]


def test_demo_complaints_reach_every_stage_through_the_officer_routes(
    local_stack: RunningStack,
) -> None:
    # Given the demo complaints loaded through intake
    results = load_demo(local_stack.api_url)
    # When the demo officers work on them over HTTP, twice (a second load changes nothing)
    first = advance_demo(local_stack.api_url, results)
    again = advance_demo(local_stack.api_url, results)
    # Then the actions were taken once, and the verifier's queue shows every stage
    assert first == sum(len(steps) for steps in PLAN.values())
    assert again == 0
    headers = bearer(local_stack.api_url, demo_email("verifikator", "BIRO_PEM"))
    statuses = {}
    for result in results:
        detail = requests.get(
            f"{local_stack.api_url}/v1/officer/complaints/{result.ticket}",
            headers=headers,
            timeout=30,
        ).json()
        statuses[detail["status"]["code"]] = statuses.get(detail["status"]["code"], 0) + 1
        if detail["agency"]:  # dispositioned to the agency its category names
            category = load_taxonomy().categories[detail["category"]["code"]]
            assert detail["agency"]["code"] in category.agencies, detail["title"]
    assert set(statuses) >= {
        "waiting",
        "coordination",
        "disposition",
        "in_progress",
        "awaiting_validation",
        "follow_up_rejected",
        "done",
        "rejected",
    }

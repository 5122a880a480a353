"""Bugs the OpenAPI fuzz (tests/e2e/test_fuzz_openapi.py) found, each pinned here.

Given/When/Then through the handlers, with API Gateway's event shape.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.support.bodies import INVALID_JSON, NOT_UTF8
from tests.support.citizen import complaint_body, submit_raw
from tests.support.handlers import call, officer_claims
from tools.local.events import http_api_event, lambda_context


@pytest.mark.parametrize("content_type", ["application/json", None])
def test_a_json_body_that_is_not_utf8_is_422_not_500(intake: Any, content_type: str | None):
    # Given a body whose bytes are not UTF-8, declared JSON or not declared at all
    # When it is submitted
    answer = submit_raw(intake, NOT_UTF8, "not-utf8-0001", content_type)
    # Then it is refused as unreadable JSON, as any other unreadable body
    assert answer.status == 422, answer.body
    assert answer.body["errors"] == [{"field": "body", "in": "body", "message": INVALID_JSON}]


def test_an_officer_action_with_a_body_that_is_not_utf8_is_422(route: Any):
    claims = officer_claims("verifikator.biro-pem@pendopo.example", "verifikator", "BIRO_PEM")
    answer = call(
        route,
        "POST",
        "/v1/officer/complaints/2506-0000-0001/verify",
        headers={"content-type": "application/json", "If-Match": '"1"'},
        body=NOT_UTF8,
        claims=claims,
    )
    assert answer.status == 422, answer.body


def test_a_utf8_json_body_sent_base64_encoded_is_still_accepted(intake: Any):
    # Given a valid complaint whose JSON body arrives base64-encoded
    event = http_api_event(
        "POST",
        "/v1/complaints",
        headers={"Idempotency-Key": "base64-ok-0001", "content-type": "application/json"},
        body=json.dumps(complaint_body()),
    )
    event["body"] = base64.b64encode(event["body"].encode("utf-8")).decode("ascii")
    event["isBase64Encoded"] = True
    # When it is submitted
    result = intake.lambda_handler(event, lambda_context("IntakeFunction"))
    # Then the guard lets it through and it is accepted
    assert result["statusCode"] == 201, result["body"]


def test_the_longest_real_cursor_fits_the_documented_limit_and_api_gateways(route: Any) -> None:
    # The fuzz sent cursors up to the documented 8,000 characters, URL-encoded to
    # ~96 KB: more than any gateway takes (the local one answered 414, undocumented).
    # API Gateway takes 10,240 bytes of request line and headers in all.
    from datetime import UTC, datetime

    from pendopo.domain.status import Status
    from pendopo.storage.cursor import encode_cursor as _encode_cursor

    unit = "BIRO_DIKMENTAL"  # the longest unit code
    positions = {
        f"unit_status:{unit}#{status.value}": {
            "pk": {"S": "C#2506-4821-7734"},
            "sk": {"S": "C"},
            "due_at": {"S": "2025-06-12T03:00:00.000Z"},
            "unit_status": {"S": f"{unit}#{status.value}"},
        }
        for status in Status
    }
    longest = _encode_cursor(positions, "f" * 16, datetime(2025, 6, 1, tzinfo=UTC))
    assert len(longest) <= route.CURSOR_MAX_LENGTH <= 4096

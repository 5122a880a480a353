"""A citizen's path over HTTP against the running local stack: submit, retry, track."""

from __future__ import annotations

import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from tests.support.over_http import NAME, NIK, PHONE, complaint, post, track
from tests.support.stack import RunningStack

pytestmark = pytest.mark.e2e


def complaints_in_table(stack: RunningStack) -> list[dict]:
    client = boto3.client("dynamodb", endpoint_url=stack.moto_url, region_name="ap-southeast-3")
    items = client.scan(TableName=stack.table_name)["Items"]  # verification only
    return [item for item in items if item["kind"]["S"] == "complaint"]


def test_submit_then_track_over_http(local_stack: RunningStack) -> None:
    # Given a citizen submitting a flooding complaint on the web
    created = post(local_stack, f"e2e-{uuid.uuid4()}", complaint())
    assert created.status_code == 201, created.text
    receipt = created.json()
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}", receipt["ticket"])
    assert receipt["unit"]["code"] == "BIRO_PLH"
    # When they track it with the ticket and the code (in a header, never the URL)
    tracked = track(local_stack.api_url, receipt["ticket"], receipt["tracking_code"])
    # Then they see its status and timeline, and none of their personal data
    assert tracked.status_code == 200
    assert tracked.json()["status"]["label"] == "Menunggu"
    for personal in (NAME, NIK, "1122"):
        assert personal not in tracked.text


def test_ten_concurrent_retries_over_http_make_one_complaint(local_stack: RunningStack) -> None:
    # The local gateway runs one event at a time per function, like a single Lambda
    # instance, so here the retries queue at the gateway; truly overlapping requests
    # in the handler are covered by the integration test with threads.
    # Given a kiosk that sends the same submission ten times at once
    key = f"e2e-burst-{uuid.uuid4()}"
    body = complaint(title="Pohon tumbang menutup jalan", category="TREES_URBAN_FOREST")
    before = len(complaints_in_table(local_stack))
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _: post(local_stack, key, body), range(10)))
    # Then all ten answers carry the one ticket, and one complaint was stored
    assert [a.status_code for a in answers] == [201] * 10
    assert len({a.json()["ticket"] for a in answers}) == 1
    assert len(complaints_in_table(local_stack)) == before + 1


def test_bad_input_is_a_422_with_field_messages(local_stack: RunningStack) -> None:
    answer = post(local_stack, f"e2e-{uuid.uuid4()}", complaint(reporter={"name": "B"}))
    assert answer.status_code == 422
    fields = {error["field"] for error in answer.json()["errors"]}
    assert {"reporter.name", "reporter.phone"} <= fields


def test_the_stack_logs_no_personal_data(local_stack: RunningStack) -> None:
    post(local_stack, f"e2e-{uuid.uuid4()}", complaint(title="Got sampah meluber"))
    printed = local_stack.printed()
    assert "Complaint created" in printed
    for personal in (NAME, NIK, PHONE, "+6285711223344"):
        assert personal not in printed

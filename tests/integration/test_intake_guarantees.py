"""Exactly-once intake under concurrency, DynamoDB call budgets, and no personal data in logs."""

from __future__ import annotations

import io
import logging
import threading
from collections import Counter

import pytest
from botocore.client import BaseClient

from pendopo.runtime.observability import logger
from pendopo.storage.complaints import ComplaintStore
from pendopo.storage.connection import shared_connection
from tests.support.citizen import (
    EMAIL,
    NAME,
    NIK,
    PHONE,
    complaint_items,
    submit,
    track,
)
from tests.support.constants import TEST_TABLE
from tests.support.handlers import call


@pytest.fixture
def dynamodb_calls(intake):
    """Every DynamoDB operation our code sends, counted by a botocore event hook."""
    seen: Counter[str] = Counter()

    def count(model, **_kwargs):
        seen[model.name] += 1

    events = shared_connection().client.meta.events
    events.register("before-call.dynamodb.*", count)
    yield seen
    events.unregister("before-call.dynamodb.*", count)


@pytest.fixture
def every_aws_call(monkeypatch):
    """Every AWS operation any botocore client in this process makes, whatever its service."""
    seen: Counter[str] = Counter()
    original = BaseClient._make_api_call

    def recording(client, operation_name, api_params):
        seen[f"{client.meta.service_model.service_name}:{operation_name}"] += 1
        return original(client, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", recording)
    return seen


def test_a_new_complaint_is_written_with_its_audit_event_and_idempotency_record(intake, dynamodb):
    receipt = submit(intake).body
    store = ComplaintStore()
    # The complaint and its first audit event share a partition
    (event,) = store.events_of(receipt["ticket"])
    assert (event.action.value, event.to_status.value, event.role.value) == (
        "submit",
        "waiting",
        "pelapor",
    )
    assert store.get_complaint(receipt["ticket"]) is not None
    record = store.get_idempotency("key-0001-abcdef")
    assert record is not None and record.ticket == receipt["ticket"]


def test_a_refused_submission_leaves_nothing_behind(intake, dynamodb):
    submit(intake)
    before = dynamodb.scan(TableName=TEST_TABLE)["Count"]  # test-only check
    refused = submit(intake, title="Judul yang lain sekali")
    assert refused.status == 409
    assert dynamodb.scan(TableName=TEST_TABLE)["Count"] == before == 3


def test_ten_concurrent_retries_create_exactly_one_complaint(intake, dynamodb):
    # Given ten copies of one submission with the same Idempotency-Key, sent at once
    start = threading.Barrier(10)
    answers = []

    def send():
        start.wait()
        answers.append(submit(intake, key="same-key-for-all-ten"))

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then every answer is a 201 with the same ticket, and one complaint exists
    assert [answer.status for answer in answers] == [201] * 10
    assert len({answer.body["ticket"] for answer in answers}) == 1
    assert len({answer.body["tracking_code"] for answer in answers}) == 1
    assert len(complaint_items(dynamodb)) == 1


def test_creating_a_complaint_is_one_transaction(intake, dynamodb_calls):
    answer = submit(intake)
    assert answer.status == 201
    assert dict(dynamodb_calls) == {"TransactWriteItems": 1}


def test_tracking_is_one_get_item(intake, dynamodb_calls):
    receipt = submit(intake).body
    dynamodb_calls.clear()
    track(intake, receipt["ticket"], receipt["tracking_code"])
    assert dict(dynamodb_calls) == {"GetItem": 1}


def test_a_replayed_retry_costs_a_failed_transaction_and_one_read(intake, dynamodb_calls):
    submit(intake)
    dynamodb_calls.clear()
    submit(intake)
    assert dict(dynamodb_calls) == {"TransactWriteItems": 1, "GetItem": 1}


def test_no_request_path_ever_scans(intake, dynamodb_calls, every_aws_call):
    receipt = submit(intake).body
    submit(intake)  # replay
    submit(intake, title="Judul yang lain sekali")  # reused key
    for path in ("/v1/categories", "/v1/kiosk/info", "/v1/openapi.json", "/v1/docs"):
        call(intake, "GET", path)
    track(intake, receipt["ticket"], "ZZZZ-ZZZZ")
    assert dynamodb_calls["Scan"] == 0
    assert set(dynamodb_calls) <= {"TransactWriteItems", "GetItem"}
    # And no other client of any service was used behind our back
    assert set(every_aws_call) <= {"dynamodb:TransactWriteItems", "dynamodb:GetItem"}
    assert sum(every_aws_call.values()) == sum(dynamodb_calls.values())


@pytest.fixture
def log_lines():
    """Every log line the functions write, formatted exactly as Lambda would ship it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_personal_data_never_reaches_the_logs(intake, capsys, log_lines):
    # Given requests that carry a distinctive name, NIK and phone number
    receipt = submit(intake).body
    submit(intake)
    submit(intake, title="x")
    track(intake, receipt["ticket"], receipt["tracking_code"])
    # Then no log line or metric printed by the function contains them
    output = capsys.readouterr()  # metrics are printed to stdout
    logged = log_lines.getvalue() + output.out + output.err
    assert "Complaint created" in logged  # the logs were captured
    phone_digits = PHONE.replace("-", "")[1:]
    for personal in (NAME, NIK, phone_digits, EMAIL, receipt["tracking_code"]):
        assert personal not in logged, personal

"""Open311 ``POST requests.{json,xml}`` inside the intake function, on moto's DynamoDB.

A partner files a request with its key; the answer, and every error, is in the
specification's shape, in both formats; the complaint then lives like any other.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest

from pendopo.domain.clock import FixedClock
from pendopo.runtime.bootstrap import partner_service
from pendopo.storage.complaints import ComplaintStore
from tests.support.handlers import Answer, call
from tests.support.officers import FOLLOW_UP, PLH_COORDINATOR, VERIFIER, detail, take
from tests.support.open311 import CREATED, ERRORS, SERVICE_REQUESTS, assert_same_data, validate
from tests.support.pii_canaries import EMAIL, NAME, PHONE, leaks

BASE = "/open311/v2"
FORM = {
    "service_code": "STREET_LIGHTING",
    "lat": "-6.1812",
    "long": "106.8283",
    "description": "Lampu jalan di depan halte mati sejak tiga hari, jalan gelap di malam hari.",
}
FORM_TYPE = {"content-type": "application/x-www-form-urlencoded"}


def answer_text(answer: Answer) -> str:
    body = answer.body if isinstance(answer.body, str) else json.dumps(answer.body)
    return body + json.dumps(answer.headers)


def post(intake: Any, fields: dict[str, str], ext: str = "json", raw: str | None = None) -> Answer:
    body = raw if raw is not None else urlencode(fields)
    return call(intake, "POST", f"{BASE}/requests.{ext}", body=body, headers=FORM_TYPE)


@pytest.fixture
def key(intake: Any, clock: FixedClock) -> str:
    return partner_service(clock).create("Aplikasi JAKI").key


def test_a_partner_files_a_request_and_follows_it_to_closed(
    intake: Any, route: Any, key: str
) -> None:
    # When the partner posts a request
    answer = post(intake, {**FORM, "api_key": key, "media_url": "https://foto.example/a.jpg"})
    assert answer.status == 200, answer.body
    ticket = validate(answer.body, CREATED)[0]["service_request_id"]
    # Then it is a complaint of channel open311 recording the partner
    complaint = ComplaintStore().get_complaint(ticket)
    assert complaint is not None and complaint.channel.value == "open311"
    assert complaint.partner == "Aplikasi JAKI"
    # And when officers work it to Selesai
    for segment, claims, body in [
        ("verify", VERIFIER, {}),
        ("disposition", PLH_COORDINATOR, {"agency": "BINA_MARGA"}),
        ("follow-up", PLH_COORDINATOR, FOLLOW_UP),
        ("accept", VERIFIER, {}),
    ]:
        assert take(route, ticket, segment, claims, body).status == 200
    # Then GET requests/{id} shows it closed, with the result and the media link
    read = call(intake, "GET", f"{BASE}/requests/{ticket}.json")
    shown = validate(read.body, SERVICE_REQUESTS)[0]
    assert shown["status"] == "closed"
    assert shown["status_notes"] == f"Selesai. Hasil tindak lanjut: {FOLLOW_UP['result']}"
    assert shown["media_url"] == "https://foto.example/a.jpg"


def test_json_and_xml_answers_carry_the_same_data(intake: Any, key: str) -> None:
    as_json = post(intake, {**FORM, "api_key": key})
    # The same form again: answered with the first id (no second complaint), here as XML
    as_xml = post(intake, {**FORM, "api_key": key}, ext="xml")
    assert as_xml.status == as_json.status == 200
    assert as_xml.headers["Content-Type"].startswith("text/xml")
    assert_same_data(json.dumps(as_json.body), as_xml.body, CREATED)


def test_a_retried_request_is_not_a_second_complaint(intake: Any, key: str) -> None:
    first = post(intake, {**FORM, "api_key": key}).body[0]["service_request_id"]
    again = post(intake, {**FORM, "api_key": key}).body[0]["service_request_id"]
    assert again == first
    changed = post(intake, {**FORM, "api_key": key, "lat": "-6.1813"}).body
    assert changed[0]["service_request_id"] != first


@pytest.mark.parametrize("ext", ["json", "xml"])
@pytest.mark.parametrize(
    "api_key", [None, "", "salah", "demo0311.kunci-demo-lokal-open311", "x" * 300]
)
def test_a_missing_or_wrong_key_is_403(intake: Any, ext: str, api_key: str | None) -> None:
    fields = {**FORM, **({"api_key": api_key} if api_key is not None else {})}
    answer = post(intake, fields, ext=ext)
    assert answer.status == 403
    if ext == "json":
        assert validate(answer.body, ERRORS)[0]["code"] == 403
    else:
        assert "<errors><error><code>403</code>" in answer.body


def test_a_revoked_key_is_403_from_the_next_request(
    intake: Any, clock: FixedClock, key: str
) -> None:
    assert post(intake, {**FORM, "api_key": key}).status == 200
    partner_service(clock).revoke(key.split(".")[0])
    assert post(intake, {**FORM, "api_key": key}).status == 403


def test_a_wrong_key_is_403_before_any_field_is_judged(intake: Any) -> None:
    answer = post(intake, {"api_key": "salah", "service_code": "NOPE"})
    assert answer.status == 403 and len(answer.body) == 1


def test_a_missing_location_is_400_in_both_formats(intake: Any, key: str) -> None:
    fields = {"api_key": key, "service_code": "STREET_LIGHTING", "description": "Gelap."}
    as_json, as_xml = post(intake, fields), post(intake, fields, ext="xml")
    assert as_json.status == as_xml.status == 400
    errors = assert_same_data(json.dumps(as_json.body), as_xml.body, ERRORS)
    assert [e["code"] for e in errors] == [400]
    assert errors[0]["description"].startswith("lat/long:")


def test_an_unknown_service_code_is_404_and_other_errors_come_with_it(
    intake: Any, key: str
) -> None:
    answer = post(intake, {"api_key": key, "service_code": "POTHOLE", "email": "x"})
    assert answer.status == 404
    errors = validate(answer.body, ERRORS)
    assert [e["code"] for e in errors] == [404, 400, 400]
    assert [e["description"].split(":")[0] for e in errors][1:] == ["lat/long", "email"]


def test_a_form_of_thousands_of_fields_and_a_body_over_64_kb(intake: Any, key: str) -> None:
    many = post(intake, {}, raw="&".join(f"f{i}=1" for i in range(1000)))
    assert many.status == 400
    big = post(intake, {}, raw=urlencode({**FORM, "api_key": key, "description": "x" * 70_000}))
    assert big.status == 413
    validate(big.body, ERRORS)


def test_a_description_over_4000_characters_is_400(intake: Any, key: str) -> None:
    answer = post(intake, {**FORM, "api_key": key, "description": "x" * 4001})
    assert answer.status == 400
    assert validate(answer.body, ERRORS)[0]["description"].startswith("description:")


def test_a_partners_reporter_data_reaches_officers_only(
    intake: Any,
    route: Any,
    key: str,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.INFO)
    first, *rest = NAME.split()
    contact = {"first_name": first, "last_name": rest[0], "email": EMAIL, "phone": PHONE}
    answer = post(intake, {**FORM, "api_key": key, **contact})
    ticket = answer.body[0]["service_request_id"]
    replay = post(intake, {**FORM, "api_key": key, **contact}, ext="xml")
    invalid = post(intake, {**contact, "api_key": key, "email": EMAIL + "@"})
    read = call(intake, "GET", f"{BASE}/requests/{ticket}.xml")
    listed = call(intake, "GET", f"{BASE}/requests.json")
    # The partner's answers, the public reads and the logs hold none of it
    for shown in (answer, replay, read, listed):
        assert leaks(answer_text(shown)) == set(), shown.body
    assert invalid.status == 400 and leaks(answer_text(invalid)) == set(), invalid.body
    captured = capfd.readouterr()
    logs = "\n".join([*(r.getMessage() for r in caplog.records), captured.out, captured.err])
    assert "Complaint created" in logs and leaks(logs) == set()
    # And the officer's detail shows it, as it shows a kiosk reporter's
    shown = detail(route, ticket, PLH_COORDINATOR).body["reporter"]
    assert (shown["name"], shown["email"], shown["phone"]) == (NAME, EMAIL, "+6281299998888")


def test_a_request_is_one_key_read_and_one_transaction(intake: Any, key: str) -> None:
    from pendopo.storage.connection import shared_connection

    calls: list[str] = []
    handler = lambda model, **_: calls.append(model.name)  # noqa: E731
    events = shared_connection().client.meta.events
    events.register("before-call.dynamodb.*", handler)
    try:
        assert post(intake, {**FORM, "api_key": key}).status == 200
        assert calls == ["GetItem", "TransactWriteItems"]
        calls.clear()
        assert post(intake, {**FORM, "api_key": "salahkey.kunci-kunci-kunci-kunci"}).status == 403
        assert calls == ["GetItem"]
        calls.clear()
        assert post(intake, {**FORM, "api_key": "bukan-kunci"}).status == 403
        assert calls == []  # not even shaped like a key: no read
    finally:
        events.unregister("before-call.dynamodb.*", handler)

"""The public intake routes, end to end inside the function, on moto's DynamoDB."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from tests.support.citizen import (
    NAME,
    NIK,
    complaint_body,
    complaint_items,
    submit,
    submit_raw,
    track,
)
from tests.support.handlers import call

TICKET = re.compile(r"^\d{4}-\d{4}-\d{4}$")


def test_categories_are_grouped_by_unit_with_indonesian_labels(intake):
    answer = call(intake, "GET", "/v1/categories")
    assert answer.status == 200
    units = {unit["code"]: unit for unit in answer.body["units"]}
    assert set(units) == {
        "BPBUMD",
        "BIRO_PEM",
        "BIRO_ORB",
        "BIRO_PLH",
        "BIRO_PK",
        "BIRO_KESOS",
        "BIRO_DIKMENTAL",
    }
    assert "LAINNYA" in {c["code"] for c in units["BIRO_PEM"]["categories"]}
    assert units["BIRO_PLH"]["name"].startswith("Biro Pembangunan")
    assert answer.body["topics"]


def test_kiosk_info_says_the_desks_are_open_during_the_morning_session(intake):
    answer = call(intake, "GET", "/v1/kiosk/info")
    assert answer.status == 200
    assert answer.body["desks_open"] is True
    assert answer.body["programs"]
    assert "07.30" in answer.body["desk_hours"]


def test_kiosk_info_on_a_saturday_points_to_monday(intake, clock):
    clock.set(datetime(2025, 6, 14, 3, 0, tzinfo=UTC))  # Saturday 10:00 WIB
    answer = call(intake, "GET", "/v1/kiosk/info")
    assert answer.body["desks_open"] is False
    assert answer.body["next_session"]["opens_at"].startswith("2025-06-16T07:30:00+07:00")


def test_a_new_complaint_gets_a_ticket_a_tracking_code_and_a_due_time_in_wib(intake, dynamodb):
    # Given a kiosk submission at Tuesday 08:00 WIB with the "Lainnya" category
    # When it is submitted
    answer = submit(intake, category="LAINNYA")
    # Then it is created with a readable ticket and a due time 3 days later in WIB
    assert answer.status == 201, answer.body
    receipt = answer.body
    assert TICKET.match(receipt["ticket"]) and receipt["ticket"].startswith("2506-")
    assert re.match(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$", receipt["tracking_code"])
    assert receipt["status"] == {"code": "waiting", "label": "Menunggu"}
    assert receipt["unit"]["code"] == "BIRO_PEM"
    assert receipt["received_at"] == "2025-06-10T08:00:00+07:00"
    assert receipt["due_at"] == "2025-06-13T08:00:00+07:00"
    assert receipt["due_at_text"] == "13 Jun 2025 08:00 WIB"
    assert answer.headers["Idempotent-Replayed"] == "false"
    assert len(complaint_items(dynamodb)) == 1


def test_a_complaint_without_a_category_goes_to_biro_pemerintahan(intake):
    body = complaint_body()
    del body["category"]
    answer = call(
        intake, "POST", "/v1/complaints", headers={"Idempotency-Key": "no-category-1"}, json=body
    )
    assert answer.status == 201
    assert answer.body["unit"]["code"] == "BIRO_PEM"
    assert answer.body["category"]["code"] == "LAINNYA"


def test_a_category_routes_to_its_unit(intake):
    categories = call(intake, "GET", "/v1/categories").body["units"]
    for unit in categories:
        code = unit["categories"][0]["code"]
        answer = submit(intake, key=f"route-{code}-{unit['code']}", category=code)
        assert answer.status == 201, answer.body
        assert answer.body["unit"]["code"] == unit["code"]


def test_a_retry_with_the_same_key_and_body_returns_the_first_answer(intake, dynamodb):
    first = submit(intake)
    again = submit(intake)
    assert again.status == 201
    assert again.body == first.body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(complaint_items(dynamodb)) == 1


def test_the_same_key_for_a_different_complaint_is_a_clear_409(intake, dynamodb):
    submit(intake)
    other = submit(intake, title="Trotoar rusak parah")
    assert other.status == 409
    assert "Idempotency-Key" in other.body["message"]
    assert len(complaint_items(dynamodb)) == 1


def test_an_expired_idempotency_record_lets_the_key_start_afresh(intake, clock, dynamodb):
    first = submit(intake)
    clock.advance(timedelta(hours=25))
    later = submit(intake)
    assert later.status == 201
    assert later.body["ticket"] != first.body["ticket"]
    assert len(complaint_items(dynamodb)) == 2


def test_a_missing_or_malformed_idempotency_key_is_a_422(intake):
    missing = call(intake, "POST", "/v1/complaints", json=complaint_body())
    assert missing.status == 422
    assert missing.body["errors"][0]["field"] == "idempotency-key"
    short = submit(intake, key="abc")
    assert short.status == 422


def test_invalid_fields_get_field_level_indonesian_messages(intake, dynamodb):
    answer = submit(intake, title="abc", reporter={"name": "A", "phone": "12345", "hobi": "x"})
    assert answer.status == 422
    errors = {error["field"]: error["message"] for error in answer.body["errors"]}
    assert errors["title"] == "Terlalu pendek: minimal 5 karakter."
    assert "telepon" in errors["reporter.phone"]
    assert errors["reporter.hobi"] == "Kolom ini tidak dikenal."
    assert answer.body["message"].startswith("Data yang dikirim belum benar")
    assert complaint_items(dynamodb) == []


def test_invalid_json_and_non_objects_are_422_not_500(intake):
    for raw in ("{not json", "[]", '"teks"', "null", "123"):
        answer = submit_raw(intake, raw, "bad-json-1")
        assert answer.status == 422, (raw, answer.body)
        assert answer.body["message"]


def test_a_body_over_64_kb_is_413(intake):
    answer = submit(intake, description="x" * (65 * 1024))
    assert answer.status == 413
    assert "terlalu besar" in answer.body["message"]


def test_tracking_shows_status_and_timeline_but_no_personal_data(intake):
    receipt = submit(intake).body
    answer = track(intake, receipt["ticket"], receipt["tracking_code"])
    assert answer.status == 200
    assert answer.body["status"]["label"] == "Menunggu"
    assert answer.body["timeline"][0]["description"] == "Pengaduan diterima"
    assert answer.body["overdue"] is False
    text = json.dumps(answer.body)
    for personal in (NAME, NIK, "9876", receipt["tracking_code"]):
        assert personal not in text
    assert answer.headers["Cache-Control"] == "no-store"


def test_tracking_is_overdue_after_the_deadline(intake, clock):
    receipt = submit(intake).body
    clock.advance(timedelta(days=3, minutes=1))
    answer = track(intake, receipt["ticket"], receipt["tracking_code"])
    assert answer.body["overdue"] is True


def test_unknown_ticket_and_wrong_code_look_the_same(intake):
    receipt = submit(intake).body
    wrong_code = track(intake, receipt["ticket"], "AAAA-AAAA")
    unknown = track(intake, "2506-0000-0001", "AAAA-AAAA")
    malformed = track(intake, "abc", "AAAA-AAAA")
    assert wrong_code.status == unknown.status == malformed.status == 404
    assert wrong_code.body == unknown.body == malformed.body


def test_tracking_without_the_code_header_is_the_same_404(intake):
    # Was a 422; every tracking guess now gets the one 404 (issue #8, abuse of public routes).
    receipt = submit(intake).body
    answer = call(intake, "GET", f"/v1/complaints/{receipt['ticket']}")
    unknown = track(intake, "2506-0000-0001", "AAAA-AAAA")
    assert answer.status == 404
    assert answer.body == unknown.body


def test_a_complaint_outside_desk_hours_is_accepted_and_flagged(intake, clock, dynamodb):
    clock.set(datetime(2025, 6, 14, 13, 0, tzinfo=UTC))  # Saturday 20:00 WIB
    answer = submit(intake, channel="web")
    assert answer.status == 201
    (item,) = complaint_items(dynamodb)
    assert item["outside_hours"] == {"BOOL": True}
    assert item["open_unit"] == {"S": "BIRO_PEM"}
    assert item["unit_month"] == {"S": "BIRO_PEM#2025-06"}


def test_openapi_document_and_swagger_ui_are_served(intake):
    spec = call(intake, "GET", "/v1/openapi.json")
    assert spec.status == 200
    assert "/v1/complaints" in spec.body["paths"]
    docs = call(intake, "GET", "/v1/docs")
    assert docs.status == 200 and "swagger" in docs.body.lower()


def test_an_unknown_path_is_a_json_404(intake):
    answer = call(intake, "GET", "/v1/nothing-here")
    assert answer.status == 404
    assert answer.body["message"]


def test_unreadable_json_is_422_not_500(intake):
    for raw in ("[" * 60_000, '{"title": ' + "1" * 5000 + "}"):
        answer = submit_raw(intake, raw, "deep-json-1")
        assert answer.status == 422, answer.body
        assert answer.body["errors"][0]["message"] == "Isi permintaan bukan JSON yang valid."


def test_bodies_that_are_not_json_are_415_with_a_message(intake):
    for content_type in ("multipart/form-data", "text/plain", "application/x-www-form-urlencoded"):
        answer = submit_raw(intake, "title=x", "not-json-1", content_type)
        assert answer.status == 415, (content_type, answer.body)
        assert "JSON" in answer.body["message"]


def test_the_json_content_type_is_matched_without_regard_to_case(intake):
    answer = call(
        intake,
        "POST",
        "/v1/complaints",
        headers={
            "Idempotency-Key": "case-json-1",
            "Content-Type": "Application/JSON; charset=UTF-8",
        },
        body=json.dumps(complaint_body()),
    )
    assert answer.status == 201, answer.body


def test_a_wrong_channel_names_the_choices_in_plain_words(intake):
    answer = submit(intake, channel="pendopo")
    assert answer.status == 422
    (error,) = answer.body["errors"]
    assert error == {
        "field": "channel",
        "in": "body",
        "message": "Pilihan tidak valid: 'kiosk' or 'web'.",
    }


def test_control_characters_and_foreign_digits_are_refused(intake):
    for overrides in (
        {"title": "Lampu\u202emati total"},
        {"description": "Uraian dengan karakter NUL \x00 yang disisipkan di tengah."},
        {"reporter": {"name": NAME, "phone": "0812\u0663\u0664\u0665\u0666\u0667\u0668\u0669"}},
    ):
        answer = submit(intake, key="bad-chars-0001", **overrides)
        assert answer.status == 422, (overrides, answer.body)
        assert all(error["message"] for error in answer.body["errors"])


def test_a_ticket_typed_with_spaces_is_found(intake):
    receipt = submit(intake).body
    spaced = receipt["ticket"].replace("-", "%20")
    answer = track(intake, spaced, receipt["tracking_code"])
    assert answer.status == 200


def test_the_idempotency_record_replays_up_to_its_last_second_and_no_longer(
    intake, clock, dynamodb
):
    # Given a complaint submitted at 08:00:00 with a 24-hour idempotency record
    first = submit(intake).body
    # When the same request comes exactly 24 h later, and half a second after that
    clock.advance(timedelta(hours=24))
    at_expiry = submit(intake)
    clock.advance(timedelta(milliseconds=500))
    within_the_second = submit(intake)
    # Then both still replay the first answer
    assert at_expiry.status == within_the_second.status == 201
    assert at_expiry.body["ticket"] == within_the_second.body["ticket"] == first["ticket"]
    # And one second past expiry the key starts a new complaint, without a 503
    clock.advance(timedelta(milliseconds=500))
    after = submit(intake)
    assert after.status == 201
    assert after.body["ticket"] != first["ticket"]
    assert len(complaint_items(dynamodb)) == 2

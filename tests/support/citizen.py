"""A citizen's complaint through the intake function's handler: the body, submitting
it with an idempotency key, tracking it, and the complaints the table then holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support.handlers import Answer, call

NIK, PHONE, NAME = "3171014501900042", "0813-9876-5432", "Rahmat Hidayatullah"
EMAIL = "rahmat.hidayatullah77@contoh.id"


def complaint_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "channel": "kiosk",
        "category": None,
        "title": "Lampu jalan mati",
        "description": "Lampu penerangan jalan di Jl. Kebon Sirih sudah mati seminggu, rawan.",
        "reporter": {"name": NAME, "nik": NIK, "phone": PHONE, "email": EMAIL},
        "location": {"text": "Jl. Kebon Sirih No. 22", "lat": -6.1826, "lon": 106.8283},
    }
    body.update(overrides)
    return body


def submit(
    intake: Any,
    key: str = "key-0001-abcdef",
    via: Callable[..., Answer] = call,
    **overrides: Any,
) -> Answer:
    """Submit the complaint, the handler invoked ``via`` ``call`` or a wrapper of it."""
    return via(
        intake,
        "POST",
        "/v1/complaints",
        headers={"Idempotency-Key": key},
        json=complaint_body(**overrides),
    )


def submit_raw(
    intake: Any, body: str | bytes, key: str, content_type: str | None = "application/json"
) -> Answer:
    """Submit a body as it is written, not encoded by the test (no content type: None)."""
    headers = {"Idempotency-Key": key}
    if content_type is not None:
        headers["content-type"] = content_type
    return call(intake, "POST", "/v1/complaints", headers=headers, body=body)


def track(intake: Any, ticket: str, code: str) -> Answer:
    """Track as a client must: the code travels in a header, never in the URL."""
    return call(intake, "GET", f"/v1/complaints/{ticket}", headers={"X-Tracking-Code": code})


def complaint_items(dynamodb: Any) -> list[dict[str, Any]]:
    items = dynamodb.scan(TableName="pendopo-test-complaints")["Items"]  # test-only check
    return [item for item in items if item["kind"]["S"] == "complaint"]


def add_update(intake: Any, ticket: str, code: str, text: str) -> Answer:
    """The reporter's addition to their complaint, the code in its header."""
    return call(
        intake,
        "POST",
        f"/v1/complaints/{ticket}/updates",
        headers={"X-Tracking-Code": code},
        json={"text": text},
    )


def rate(intake: Any, ticket: str, code: str, **body: Any) -> Answer:
    """The reporter's rating (``rating``, ``resolved``, ``comment``), the code in its header."""
    return call(
        intake,
        "POST",
        f"/v1/complaints/{ticket}/feedback",
        headers={"X-Tracking-Code": code},
        json=body,
    )

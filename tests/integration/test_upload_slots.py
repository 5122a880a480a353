"""Upload slots through the intake and route handlers, on moto: the presigned POST
answered, the upload item written, the 422s in Indonesian, the status and its 404."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pendopo.domain.clock import WIB
from pendopo.domain.uploads import MAX_UPLOAD_BYTES, Refusal, UploadOwner, UploadStatus
from pendopo.storage.uploads import UploadStore
from tests.support.handlers import call
from tests.support.officers import PLH_OFFICER

JPEG = {"filename": "jalan-rusak.jpg", "content_type": "image/jpeg", "size": 123_456}
NOT_FOUND = "Unggahan tidak ditemukan atau sudah kedaluwarsa."


@pytest.fixture
def uploads_intake(intake: Any, clock: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    from pendopo.runtime.bootstrap import upload_slots
    from pendopo.runtime.settings import get_settings

    monkeypatch.setattr(intake, "uploads", upload_slots(get_settings(), clock))
    return intake


@pytest.fixture
def uploads_route(route: Any, clock: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    from pendopo.runtime.bootstrap import upload_slots
    from pendopo.runtime.settings import get_settings

    monkeypatch.setattr(route, "uploads", upload_slots(get_settings(), clock))
    return route


def policy_of(fields: dict[str, str]) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(base64.b64decode(fields["policy"]))
    return decoded


def test_a_slot_is_a_presigned_post_for_exactly_that_file(uploads_intake: Any, clock: Any) -> None:
    # Given a citizen's photo of 123,456 bytes
    # When they ask for a slot
    answer = call(uploads_intake, "POST", "/v1/uploads", json=JPEG)

    # Then a 201 names the upload, S3's form and when the slot closes (WIB)
    assert answer.status == 201, answer.body
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.body
    assert set(body) == {"upload_id", "url", "fields", "expires_at"}
    upload_id = body["upload_id"]
    assert len(upload_id) == 32 and int(upload_id, 16) >= 0
    expires = datetime.fromisoformat(body["expires_at"])
    assert expires.utcoffset() == timedelta(hours=7)
    assert expires == (clock.now() + timedelta(minutes=15)).astimezone(WIB).replace(microsecond=0)
    assert body["url"].endswith("pendopo-test-files.s3.ap-southeast-3.amazonaws.com/")
    fields = body["fields"]
    assert fields["key"] == f"uploads/incoming/{upload_id}"
    assert fields["Content-Type"] == "image/jpeg"
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert {"policy", "x-amz-credential", "x-amz-date", "x-amz-signature"} <= set(fields)

    # And the policy S3 checks allows that key, that type and at most the declared size
    policy = policy_of(fields)
    conditions = policy["conditions"]
    assert {"bucket": "pendopo-test-files"} in conditions
    assert {"key": f"uploads/incoming/{upload_id}"} in conditions
    assert {"Content-Type": "image/jpeg"} in conditions
    assert ["content-length-range", 1, 123_456] in conditions
    # botocore signs with the real time: 15 minutes from now
    expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    left = expiration - datetime.now(UTC)
    assert timedelta(minutes=14) < left <= timedelta(minutes=15)

    # And the upload is recorded, being checked, a citizen's
    upload = UploadStore().get(upload_id)
    assert upload is not None
    assert upload.status is UploadStatus.CHECKING and upload.owner is UploadOwner.PUBLIC
    assert (upload.filename, upload.declared_type, upload.declared_size) == (
        "jalan-rusak.jpg",
        "image/jpeg",
        123_456,
    )
    assert upload.officer is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"size": 11 * 1024 * 1024}, "size", "Berkas lebih besar dari 10 MB."),
        ({"size": MAX_UPLOAD_BYTES + 1}, "size", "Berkas lebih besar dari 10 MB."),
        ({"size": 0}, "size", "Berkas kosong."),
        ({"size": "besar"}, "size", "Harus berupa bilangan bulat."),
        (
            {"content_type": "application/x-msdownload"},
            "content_type",
            "Jenis berkas harus foto (JPEG, PNG, WebP) atau dokumen PDF.",
        ),
        (
            {"content_type": "image/gif"},
            "content_type",
            "Jenis berkas harus foto (JPEG, PNG, WebP) atau dokumen PDF.",
        ),
        ({"filename": None}, "filename", "Wajib diisi."),
        ({"filename": "x" * 201}, "filename", "Terlalu panjang: maksimal 200 karakter."),
        ({"key": "uploads/clean/x"}, "key", "Kolom ini tidak dikenal."),
    ],
)
def test_a_slot_asked_wrongly_is_422_in_indonesian(
    uploads_intake: Any, dynamodb: Any, change: dict[str, Any], field: str, message: str
) -> None:
    body = {**JPEG, **change}
    body = {name: value for name, value in body.items() if value is not None}
    answer = call(uploads_intake, "POST", "/v1/uploads", json=body)
    assert answer.status == 422, answer.body
    assert {"field": field, "in": "body", "message": message} in answer.body["errors"]
    # And nothing was recorded
    assert dynamodb.scan(TableName=_table())["Count"] == 0


def test_exactly_10_mb_is_allowed(uploads_intake: Any) -> None:
    body = {"filename": "scan.pdf", "content_type": "application/pdf", "size": MAX_UPLOAD_BYTES}
    answer = call(uploads_intake, "POST", "/v1/uploads", json=body)
    assert answer.status == 201, answer.body
    assert ["content-length-range", 1, MAX_UPLOAD_BYTES] in policy_of(answer.body["fields"])[
        "conditions"
    ]


def test_the_status_follows_the_checker(uploads_intake: Any, clock: Any) -> None:
    # Given two slots handed out
    first = call(uploads_intake, "POST", "/v1/uploads", json=JPEG).body["upload_id"]
    second = call(uploads_intake, "POST", "/v1/uploads", json=JPEG).body["upload_id"]

    # Then both are being checked
    answer = call(uploads_intake, "GET", f"/v1/uploads/{first}")
    assert (answer.status, answer.body) == (200, {"status": "checking"})
    assert answer.headers["Cache-Control"] == "no-store"

    # When the checker accepts one and refuses the other
    UploadStore().mark_clean(first, "image/jpeg", 100_000, clock.now(), width=800, height=600)
    UploadStore().mark_refused(second, Refusal.POLYGLOT, clock.now())

    # Then each status says so, the refusal with its reason
    assert call(uploads_intake, "GET", f"/v1/uploads/{first}").body == {"status": "clean"}
    assert call(uploads_intake, "GET", f"/v1/uploads/{second}").body == {
        "status": "refused",
        "reason": Refusal.POLYGLOT.message,
    }


def test_an_upload_is_forgotten_after_two_days(uploads_intake: Any, clock: Any) -> None:
    upload_id = call(uploads_intake, "POST", "/v1/uploads", json=JPEG).body["upload_id"]
    clock.advance(timedelta(days=2))
    answer = call(uploads_intake, "GET", f"/v1/uploads/{upload_id}")
    assert (answer.status, answer.body["message"]) == (404, NOT_FOUND)


@pytest.mark.parametrize(
    "upload_id",
    ["0" * 32, "F" * 32, "abc", "0" * 33, "..%2F..%2Fetc", "%00", "x" * 500],
)
def test_an_unknown_or_malformed_id_is_the_same_404(uploads_intake: Any, upload_id: str) -> None:
    answer = call(uploads_intake, "GET", f"/v1/uploads/{upload_id}")
    assert (answer.status, answer.body) == (404, {"message": NOT_FOUND})


def test_an_officer_slot_records_the_officer(uploads_route: Any) -> None:
    body = {"filename": "C:\\scan\\surat-warga.pdf", "content_type": "application/pdf", "size": 9}
    answer = call(uploads_route, "POST", "/v1/officer/uploads", json=body, claims=PLH_OFFICER)
    assert answer.status == 201, answer.body
    upload = UploadStore().get(answer.body["upload_id"])
    assert upload is not None and upload.owner is UploadOwner.OFFICER
    assert upload.officer == "petugas.biro-plh@pendopo.example"
    assert upload.filename == "surat-warga.pdf"  # no path
    assert ["content-length-range", 1, 9] in policy_of(answer.body["fields"])["conditions"]


def test_an_officer_slot_needs_a_token_and_an_officer(uploads_route: Any) -> None:
    body = {"filename": "bukti.png", "content_type": "image/png", "size": 10}
    # No verified claims reached the handler: 401
    assert call(uploads_route, "POST", "/v1/officer/uploads", json=body).status == 401
    # A token whose groups make no officer: 403
    from tests.support.handlers import officer_claims

    nobody = officer_claims("tamu@pendopo.example")
    answer = call(uploads_route, "POST", "/v1/officer/uploads", json=body, claims=nobody)
    assert answer.status == 403, answer.body
    # A wrong body: 422 in Indonesian
    wrong = {**body, "size": MAX_UPLOAD_BYTES * 2}
    answer = call(uploads_route, "POST", "/v1/officer/uploads", json=wrong, claims=PLH_OFFICER)
    assert answer.status == 422
    assert answer.body["errors"][0]["message"] == "Berkas lebih besar dari 10 MB."


def _table() -> str:
    from tests.support.constants import TEST_TABLE

    return TEST_TABLE


def test_a_slot_whose_upload_cannot_be_recorded_is_503_and_hands_out_nothing(
    uploads_intake: Any, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.faults import THROTTLED, install

    # Given the table throttling every attempt of the upload's PutItem
    faults = install(monkeypatch)
    faults.refuse("dynamodb", "PutItem", THROTTLED, times=4)  # botocore's 4 attempts
    # When a citizen asks for a slot
    answer = call(uploads_intake, "POST", "/v1/uploads", json=JPEG)
    # Then a 503 to retry, no form, nothing recorded; botocore retried (no sleeping)
    assert answer.status == 503, answer.body
    assert answer.headers["Retry-After"] == "1"
    assert set(answer.body) == {"message"}
    assert len(faults.calls("dynamodb", "PutItem")) == 4
    faults.heal()
    assert dynamodb.scan(TableName=_table())["Count"] == 0

"""Upload slots over HTTP on the local stack: ask the API for a slot, post the file to
moto's S3 as a browser does (multipart/form-data, from the web origin), and S3's
policy checks (tools/local/moto_s3_post_policy.py) refusing what the slot does not allow.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from tests.support.over_http import as_officer, moto_s3, poll
from tests.support.stack import RunningStack
from tools.local.stack import FILES_BUCKET

pytestmark = pytest.mark.e2e

# Not a real photo: the slot and S3 check only the declared type and the size (the
# checker function reads the content afterwards).
PHOTO = b"\xff\xd8\xff\xe0" + b"foto jalan berlubang " * 50
WAIT_SECONDS = 10.0


def ask_slot(stack: RunningStack, size: int, content_type: str = "image/jpeg") -> dict[str, Any]:
    body = {"filename": "foto-jalan.jpg", "content_type": content_type, "size": size}
    answer = requests.post(f"{stack.api_url}/v1/uploads", json=body, timeout=30)
    assert answer.status_code == 201, answer.text
    slot: dict[str, Any] = answer.json()
    return slot


def post_file(
    slot: dict[str, Any], content: bytes, origin: str | None = None, **changed: str
) -> requests.Response:
    """The browser's POST: every field of the slot as given, then the file, last."""
    headers = {"Origin": origin} if origin else {}
    files = {"file": ("foto-jalan.jpg", content, changed.get("Content-Type", "image/jpeg"))}
    fields = {**slot["fields"], **changed}
    return requests.post(slot["url"], data=fields, files=files, headers=headers, timeout=30)


def status(stack: RunningStack, upload_id: str) -> requests.Response:
    return requests.get(f"{stack.api_url}/v1/uploads/{upload_id}", timeout=30)


def incoming(stack: RunningStack, upload_id: str) -> dict[str, Any] | None:
    try:
        head: dict[str, Any] = moto_s3(stack).head_object(
            Bucket=FILES_BUCKET, Key=f"uploads/incoming/{upload_id}"
        )
    except ClientError:
        return None
    return head


def arrived(stack: RunningStack, upload_id: str) -> bool:
    """The file reached S3: it is under uploads/incoming/<id>, or a checker (the
    bucket's object-created event, when the stack runs one) has already taken it."""

    def taken() -> bool:
        if incoming(stack, upload_id) is not None:
            return True
        return bool(status(stack, upload_id).json()["status"] != "checking")

    return poll(taken, bool, WAIT_SECONDS)


def error_code(answer: requests.Response) -> tuple[int, str, str]:
    code = answer.text.split("<Code>")[1].split("</Code>")[0]
    message = answer.text.split("<Message>")[1].split("</Message>")[0]
    return answer.status_code, code, message


def test_a_citizen_sends_a_photo_through_a_slot(local_stack: RunningStack) -> None:
    # Given a slot for a photo of the size the browser reports
    slot = ask_slot(local_stack, len(PHOTO))
    upload_id = slot["upload_id"]

    # Then it points at the local stack's S3 (moto on 127.0.0.1), never at AWS
    assert slot["url"] == f"{local_stack.moto_url}/{FILES_BUCKET}"
    assert slot["fields"]["key"] == f"uploads/incoming/{upload_id}"
    # And the upload is being checked (nothing has arrived yet)
    answer = status(local_stack, upload_id)
    assert (answer.status_code, answer.json()) == (200, {"status": "checking"})

    # When the browser posts the form and the file
    answer = post_file(slot, PHOTO)

    # Then S3 stores it under uploads/incoming/<id>, as declared
    assert answer.status_code == 204, answer.text
    assert arrived(local_stack, upload_id)
    head = incoming(local_stack, upload_id)
    if head is not None:  # not yet taken by a checker
        assert (head["ContentLength"], head["ContentType"]) == (len(PHOTO), "image/jpeg")


def test_the_browsers_cross_origin_post_is_allowed_by_the_buckets_cors(
    local_stack: RunningStack,
) -> None:
    # The web clients are on the gateway's origin; XMLHttpRequest with progress
    # listeners sends a preflight first
    origin = local_stack.api_url
    slot = ask_slot(local_stack, len(PHOTO))
    preflight = requests.options(
        slot["url"],
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]

    answer = post_file(slot, PHOTO, origin=origin)
    assert answer.status_code == 204, answer.text
    assert answer.headers["Access-Control-Allow-Origin"] == origin

    # A page of another origin gets no preflight through
    other = requests.options(
        slot["url"],
        headers={
            "Origin": "https://bukan-pendopo.example",
            "Access-Control-Request-Method": "POST",
        },
        timeout=30,
    )
    assert other.status_code == 403


def test_a_file_bigger_than_declared_is_refused_by_s3(local_stack: RunningStack) -> None:
    slot = ask_slot(local_stack, len(PHOTO))
    answer = post_file(slot, PHOTO + b"x")
    assert error_code(answer) == (
        400,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
    )
    assert incoming(local_stack, slot["upload_id"]) is None


def test_11_mb_is_refused_by_the_api_and_by_s3(local_stack: RunningStack) -> None:
    eleven = 11 * 1024 * 1024
    # Declared: the API refuses the slot
    body = {"filename": "video.jpg", "content_type": "image/jpeg", "size": eleven}
    answer = requests.post(f"{local_stack.api_url}/v1/uploads", json=body, timeout=30)
    assert answer.status_code == 422
    assert {"field": "size", "in": "body", "message": "Berkas lebih besar dari 10 MB."} in (
        answer.json()["errors"]
    )
    # Declared as 10 MB and sent as 11 MB: S3 refuses the file
    slot = ask_slot(local_stack, 10 * 1024 * 1024)
    answer = post_file(slot, b"\xff" * eleven)
    assert error_code(answer)[:2] == (400, "EntityTooLarge")
    assert incoming(local_stack, slot["upload_id"]) is None


def test_a_changed_content_type_is_refused_by_s3(local_stack: RunningStack) -> None:
    slot = ask_slot(local_stack, len(PHOTO))
    answer = post_file(slot, PHOTO, **{"Content-Type": "text/html"})
    assert error_code(answer) == (
        403,
        "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: "
        '["eq", "$Content-Type", "image/jpeg"]',
    )
    assert incoming(local_stack, slot["upload_id"]) is None


def test_another_key_is_refused_by_s3(local_stack: RunningStack) -> None:
    mine, other = ask_slot(local_stack, len(PHOTO)), ask_slot(local_stack, len(PHOTO))
    answer = post_file(mine, PHOTO, key=other["fields"]["key"])
    assert error_code(answer)[:2] == (403, "AccessDenied")
    assert incoming(local_stack, other["upload_id"]) is None


def test_an_expired_policy_is_refused_by_s3(local_stack: RunningStack) -> None:
    # A slot's form signed as the stack signs them, with an expiration already past
    slot = ask_slot(local_stack, len(PHOTO))
    expired = moto_s3(local_stack).generate_presigned_post(
        Bucket=FILES_BUCKET,
        Key=slot["fields"]["key"],
        Fields={"Content-Type": "image/jpeg"},
        Conditions=[{"Content-Type": "image/jpeg"}, ["content-length-range", 1, len(PHOTO)]],
        ExpiresIn=-1,
    )
    answer = post_file({**slot, "fields": expired["fields"]}, PHOTO)
    assert error_code(answer) == (
        403,
        "AccessDenied",
        "Invalid according to Policy: Policy expired.",
    )
    assert incoming(local_stack, slot["upload_id"]) is None


def test_an_unknown_upload_is_404(local_stack: RunningStack) -> None:
    for upload_id in ("0" * 32, "bukan-nomor"):
        answer = status(local_stack, upload_id)
        assert answer.status_code == 404
        assert answer.json() == {"message": "Unggahan tidak ditemukan atau sudah kedaluwarsa."}


def test_an_officer_uploads_a_scanned_document(local_stack: RunningStack) -> None:
    api = local_stack.api_url
    document = b"%PDF-1.4\n" + b"0" * 200
    body = {"filename": "surat-warga.pdf", "content_type": "application/pdf", "size": len(document)}
    # Without a token: the authorizer's 401
    assert requests.post(f"{api}/v1/officer/uploads", json=body, timeout=30).status_code == 401
    # As the desk officer
    headers = as_officer(api, "petugas", "BIRO_PLH")
    answer = requests.post(f"{api}/v1/officer/uploads", json=body, headers=headers, timeout=30)
    assert answer.status_code == 201, answer.text
    slot = answer.json()
    sent = post_file(slot, document, **{"Content-Type": "application/pdf"})
    assert sent.status_code == 204, sent.text
    assert arrived(local_stack, slot["upload_id"])

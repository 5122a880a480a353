"""Issue #17's acceptance over HTTP on the local stack: a citizen uploads a JPEG that
carries GPS EXIF and a PDF, submits a complaint referencing both; the stored image has
no EXIF; the coordinator sees both files in the detail and fetches both links (served
through the gateway with nosniff, as the web distribution serves them); the coordinator
uploads a proof photo with the follow-up; once the verifier accepts, the citizen's
tracking shows the proof photo and not their own files.

The checker runs in the stack (the bucket's object-created event), in its own thread:
polling the upload's status is the only way to know it finished.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
import requests
from PIL import Image

from tests.support.over_http import (
    as_officer,
    moto_s3,
    poll,
    submitted,
    track,
    upload_status,
)
from tests.support.stack import RunningStack
from tests.support.upload_files import clean_pdf, jpeg, jpeg_with_gps
from tools.local.stack import FILES_BUCKET

pytestmark = pytest.mark.e2e

GPS_IFD = 0x8825


def uploaded(
    stack: RunningStack,
    name: str,
    content: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> str:
    """A file through a slot (public, or an officer's with ``headers``), once checked
    clean: its upload id."""
    route = "/v1/officer/uploads" if headers else "/v1/uploads"
    body = {"filename": name, "content_type": content_type, "size": len(content)}
    slot = requests.post(f"{stack.api_url}{route}", json=body, headers=headers, timeout=30)
    assert slot.status_code == 201, slot.text
    form = slot.json()
    sent = requests.post(
        form["url"],
        data=form["fields"],
        files={"file": (name, content, content_type)},
        timeout=30,
    )
    assert sent.status_code == 204, sent.text
    status = upload_status(stack, form["upload_id"])
    assert status == {"status": "clean"}, (name, status)
    return str(form["upload_id"])


def claimed_tags(stack: RunningStack, upload_ids: list[str]) -> list[str | None]:
    """The ``pendopo-upload`` tags of clean copies, once all read ``claimed`` (or after
    the wait): the stream poller runs the notify function in the stack's own thread."""
    s3 = moto_s3(stack)

    def tags() -> list[str | None]:
        found = []
        for upload_id in upload_ids:
            tag_set = s3.get_object_tagging(Bucket=FILES_BUCKET, Key=f"uploads/clean/{upload_id}")
            found.append(
                next((t["Value"] for t in tag_set["TagSet"] if t["Key"] == "pendopo-upload"), None)
            )
        return found

    return poll(tags, lambda found: found == ["claimed"] * len(upload_ids))


def act(stack: RunningStack, ticket: str, segment: str, headers: dict[str, str], body: Any) -> Any:
    current = requests.get(
        f"{stack.api_url}/v1/officer/complaints/{ticket}", headers=headers, timeout=30
    )
    assert current.status_code == 200, current.text
    answer = requests.post(
        f"{stack.api_url}/v1/officer/complaints/{ticket}/{segment}",
        headers={**headers, "If-Match": current.headers["ETag"]},
        json=body,
        timeout=30,
    )
    assert answer.status_code == 200, (segment, answer.text)
    return answer.json()


def test_photos_and_documents_from_the_citizen_to_the_proof_on_the_tracking_page(
    local_stack: RunningStack,
) -> None:
    stack = local_stack
    # Given a citizen's photo that carries its GPS position, and a PDF, each checked clean
    photo_id = uploaded(stack, "jalan-berlubang.jpg", jpeg_with_gps(), "image/jpeg")
    letter_id = uploaded(stack, "surat-rt.pdf", clean_pdf(), "application/pdf")

    # When the citizen submits a complaint referencing both
    body = {
        "channel": "web",
        "category": "STREET_LIGHTING",
        "title": "Lampu jalan mati dan jalan berlubang",
        "description": "Lampu penerangan jalan mati sejak seminggu; foto dan surat RT terlampir.",
        "reporter": {"name": "Warga Uji Lampiran", "phone": "081234567890"},
        "attachments": [photo_id, letter_id],
    }
    receipt = submitted(stack.api_url, f"e2e-files-{uuid.uuid4().hex}", body)
    ticket, code = receipt["ticket"], receipt["tracking_code"]

    # Then the stored photo has no EXIF (no GPS): the checker re-encoded it
    stored = moto_s3(stack).get_object(Bucket=FILES_BUCKET, Key=f"uploads/clean/{photo_id}")
    image = Image.open(io.BytesIO(stored["Body"].read()))
    assert image.format == "JPEG"
    exif = image.getexif()
    assert len(exif) == 0 and not exif.get_ifd(GPS_IFD)

    # And the table's stream (the notify function) tags both clean copies claimed,
    # so the bucket's lifecycle keeps them
    assert claimed_tags(stack, [photo_id, letter_id]) == ["claimed", "claimed"]

    # And the unit's coordinator sees both files in the detail and opens both links,
    # served by the gateway with nosniff and the checked type
    coordinator = as_officer(stack.api_url, "koordinator", "BIRO_PLH")
    shown = requests.get(
        f"{stack.api_url}/v1/officer/complaints/{ticket}", headers=coordinator, timeout=30
    ).json()
    files = {f["upload_id"]: f for f in shown["files"]}
    assert set(files) == {photo_id, letter_id}
    expected = {photo_id: "image/jpeg", letter_id: "application/pdf"}
    for upload_id, content_type in expected.items():
        link = files[upload_id]["url"]
        assert link.startswith(stack.api_url + "/")  # through the gateway, not moto
        got = requests.get(link, timeout=30)
        assert got.status_code == 200, got.text
        assert got.headers["Content-Type"] == content_type
        assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert files[letter_id]["content_type"] == "application/pdf"
    disposition = requests.get(files[letter_id]["url"], timeout=30).headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="surat-rt.pdf"')

    # When the complaint is worked and the coordinator's follow-up carries a proof photo
    verifier = as_officer(stack.api_url, "verifikator", "BIRO_PEM")
    act(stack, ticket, "verify", verifier, {})
    act(stack, ticket, "disposition", coordinator, {"agency": "BINA_MARGA"})
    proof_id = uploaded(stack, "lampu-menyala.jpg", jpeg(), "image/jpeg", coordinator)
    result = "Lampu sudah diganti oleh Dinas Bina Marga; foto bukti terlampir."
    act(stack, ticket, "follow-up", coordinator, {"result": result, "attachments": [proof_id]})
    # Then, before validation, the tracking page shows no file
    assert track(stack.api_url, ticket, code).json()["files"] == []

    # And once the verifier accepts, it shows the proof photo, not the citizen's files
    act(stack, ticket, "accept", verifier, {})
    public = track(stack.api_url, ticket, code).json()
    assert [f["upload_id"] for f in public["files"]] == [proof_id]
    proof = requests.get(public["files"][0]["url"], timeout=30)
    assert proof.status_code == 200
    assert proof.headers["X-Content-Type-Options"] == "nosniff"
    assert proof.headers["Content-Type"] == "image/jpeg"


def test_one_upload_referenced_by_two_complaints_belongs_to_the_first(
    local_stack: RunningStack,
) -> None:
    stack = local_stack
    photo_id = uploaded(stack, "foto.jpg", jpeg(), "image/jpeg")
    body = {
        "channel": "web",
        "category": "STREET_LIGHTING",
        "title": "Lampu jalan mati",
        "description": "Lampu penerangan jalan mati sejak seminggu di depan sekolah.",
        "reporter": {"name": "Warga Uji Lampiran", "phone": "081234567890"},
        "attachments": [photo_id],
    }
    submitted(stack.api_url, f"e2e-files-{uuid.uuid4().hex}", body)
    second = requests.post(
        f"{stack.api_url}/v1/complaints",
        json=body,
        headers={"Idempotency-Key": f"e2e-files-{uuid.uuid4().hex}"},
        timeout=30,
    )
    assert second.status_code == 422, second.text
    assert second.json()["errors"] == [
        {
            "field": "attachments",
            "upload_id": photo_id,
            "message": "Lampiran foto.jpg sudah dipakai di pengaduan lain.",
        }
    ]

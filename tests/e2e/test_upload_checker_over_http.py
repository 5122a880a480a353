"""The upload checker over HTTP on the local stack: a slot from the API, the file posted
to moto's S3 as a browser posts it, the checker run by the bucket's event (the stack's
S3 event poller), and the verdict read back from ``GET /v1/uploads/{upload_id}``."""

from __future__ import annotations

import io
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError
from PIL import Image

from pendopo.domain.uploads import Refusal
from tests.support import upload_files as files
from tests.support.over_http import moto_s3, upload_status
from tests.support.stack import RunningStack
from tools.local.stack import FILES_BUCKET

pytestmark = pytest.mark.e2e


def upload(stack: RunningStack, content: bytes, content_type: str, filename: str) -> str:
    """Ask a slot, then post the file as the browser does; the upload's id."""
    body = {"filename": filename, "content_type": content_type, "size": len(content)}
    slot = requests.post(f"{stack.api_url}/v1/uploads", json=body, timeout=30)
    assert slot.status_code == 201, slot.text
    form = slot.json()
    sent = requests.post(
        form["url"],
        data=form["fields"],
        files={"file": (filename, content, content_type)},
        timeout=30,
    )
    assert sent.status_code == 204, sent.text
    upload_id: str = form["upload_id"]
    return upload_id


def verdict(stack: RunningStack, upload_id: str) -> dict[str, Any]:
    """The upload's status once the checker gave it (or "checking" after 20 s)."""
    return upload_status(stack, upload_id)


def test_a_photo_with_gps_comes_out_clean_without_it(local_stack: RunningStack) -> None:
    upload_id = upload(
        local_stack, files.jpeg_with_gps(300, 200, orientation=6), "image/jpeg", "jalan.jpg"
    )
    assert verdict(local_stack, upload_id) == {"status": "clean"}
    client = moto_s3(local_stack)
    stored = client.get_object(Bucket=FILES_BUCKET, Key=f"uploads/clean/{upload_id}")
    image = Image.open(io.BytesIO(stored["Body"].read()))
    assert image.size == (200, 300) and not image.getexif()
    assert stored["ContentType"] == "image/jpeg"
    tags = client.get_object_tagging(Bucket=FILES_BUCKET, Key=f"uploads/clean/{upload_id}")
    assert tags["TagSet"] == [{"Key": "pendopo-upload", "Value": "unclaimed"}]
    with pytest.raises(ClientError):
        client.head_object(Bucket=FILES_BUCKET, Key=f"uploads/incoming/{upload_id}")


def test_a_clean_pdf_is_clean(local_stack: RunningStack) -> None:
    upload_id = upload(local_stack, files.clean_pdf(), "application/pdf", "surat.pdf")
    assert verdict(local_stack, upload_id) == {"status": "clean"}


@pytest.mark.parametrize(
    ("content", "content_type", "filename", "refusal"),
    [
        (files.elf_executable(), "image/jpeg", "foto.jpg", Refusal.UNKNOWN_TYPE),
        (files.pdf_with_javascript(), "application/pdf", "surat.pdf", Refusal.ACTIVE_PDF),
        (files.jpeg() + files.a_zip(), "image/jpeg", "foto.jpg", Refusal.POLYGLOT),
        (files.noisy_jpeg(300, 200)[:-500], "image/jpeg", "foto.jpg", Refusal.DAMAGED_IMAGE),
        (files.encrypted_pdf(), "application/pdf", "kunci.pdf", Refusal.ENCRYPTED_PDF),
    ],
)
def test_a_refused_file_gets_its_reason_and_nothing_is_stored(
    local_stack: RunningStack, content: bytes, content_type: str, filename: str, refusal: Refusal
) -> None:
    upload_id = upload(local_stack, content, content_type, filename)
    assert verdict(local_stack, upload_id) == {"status": "refused", "reason": refusal.message}
    listed = moto_s3(local_stack).list_objects_v2(
        Bucket=FILES_BUCKET, Prefix=f"uploads/clean/{upload_id}"
    )
    assert listed.get("KeyCount", 0) == 0

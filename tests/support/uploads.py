"""Uploads as the checker leaves them, for the tests of attaching them: the upload item
(clean, refused, still checking) and, for a clean one, its clean copy in the files
bucket tagged ``pendopo-upload=unclaimed``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pendopo.domain.uploads import (
    UPLOAD_TAG,
    Refusal,
    Upload,
    UploadOwner,
    UploadRequest,
    clean_key,
    new_upload,
)
from pendopo.storage.uploads import UploadStore

FILES_BUCKET = "pendopo-test-files"
REGION = "ap-southeast-3"

# The smallest files of each kind the views tell apart (the checker is not run here).
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def files_bucket(s3: Any) -> str:
    s3.create_bucket(Bucket=FILES_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    return FILES_BUCKET


def upload(
    now: datetime,
    owner: UploadOwner = UploadOwner.PUBLIC,
    filename: str = "foto.jpg",
    content_type: str = "image/jpeg",
    *,
    state: str = "clean",
    s3: Any = None,
    officer: str | None = None,
) -> Upload:
    """An upload created ``now`` and left in ``state``: clean, refused or checking.

    A clean one with ``s3`` also gets its clean copy, tagged unclaimed, as the checker
    writes it.
    """
    size = len(JPEG if content_type.startswith("image/") else PDF)
    request = UploadRequest(filename=filename, content_type=content_type, size=size)  # type: ignore[arg-type]
    created = new_upload(request, owner, now, officer=officer)
    store = UploadStore()
    store.create(created)
    if state == "clean":
        store.mark_clean(created.upload_id, content_type, size, now)
        if s3 is not None:
            s3.put_object(
                Bucket=FILES_BUCKET,
                Key=clean_key(created.upload_id),
                Body=JPEG if content_type.startswith("image/") else PDF,
                ContentType=content_type,
                Tagging=f"{UPLOAD_TAG}=unclaimed",
            )
    elif state == "refused":
        store.mark_refused(created.upload_id, Refusal.ACTIVE_PDF, now)
    found = store.get(created.upload_id)
    assert found is not None
    return found


def tag_of(s3: Any, upload_id: str) -> str | None:
    tags = s3.get_object_tagging(Bucket=FILES_BUCKET, Key=clean_key(upload_id))["TagSet"]
    return next((t["Value"] for t in tags if t["Key"] == UPLOAD_TAG), None)

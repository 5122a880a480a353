"""The files bucket (``FilesBucket``): recap reports under ``recaps/YYYY-MM/``, and the
presigned POSTs that put uploads under ``uploads/incoming/`` (``UploadSigner``).

The bucket encrypts with the stage's KMS key by default (SSE-KMS, bucket key on), so
a put names no key of its own; the writer's role needs ``kms:GenerateDataKey`` on
that key. A put of the same key replaces the object (the bucket keeps old versions
30 days), so a repeated recap overwrites its reports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

# SigV4 allows at most 7 days. A URL signed with a Lambda role's temporary
# credentials stops working when those credentials expire (within hours), whatever
# the expiry says: which is why the recap attaches its reports and links them only
# when they are too big to attach.
MAX_LINK_SECONDS = 7 * 24 * 3600


class FileStore:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self.bucket = bucket

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self._client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)

    def get(self, key: str) -> bytes:
        body: bytes = self._client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return body

    def link(self, key: str, seconds: int = MAX_LINK_SECONDS) -> str:
        url: str = self._client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key},
            ExpiresIn=min(seconds, MAX_LINK_SECONDS),
        )
        return url


class UploadForm(NamedTuple):
    """A presigned POST: where the client posts, and the form fields it sends first."""

    url: str
    fields: dict[str, str]


class UploadSigner:
    """Presigned POSTs for the files bucket: the client sends a file straight to S3.

    S3 checks the signed policy: the exact key, the exact ``Content-Type`` and the
    file's size (``content-length-range``), until the policy's expiration. The policy
    is signed with the caller's credentials, so S3 also checks that the signer may
    ``s3:PutObject`` that key (and, with SSE-KMS by default, ``kms:GenerateDataKey``).
    """

    def __init__(self, client: Callable[[], Any], bucket: str) -> None:
        # The client is made on first use (see runtime.bootstrap.upload_slots).
        self._make_client = client
        self._client: Any = None
        self.bucket = bucket

    def form(self, key: str, content_type: str, max_bytes: int, seconds: int) -> UploadForm:
        if not self.bucket:
            raise RuntimeError("FILES_BUCKET is not set: upload slots have no bucket")
        if self._client is None:
            self._client = self._make_client()
        post: dict[str, Any] = self._client.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=seconds,
        )
        return UploadForm(url=post["url"], fields={k: str(v) for k, v in post["fields"].items()})

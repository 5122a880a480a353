"""The files bucket (``FilesBucket``): recap reports under ``recaps/YYYY-MM/``.

The bucket encrypts with the stage's KMS key by default (SSE-KMS, bucket key on), so
a put names no key of its own; the writer's role needs ``kms:GenerateDataKey`` on
that key. A put of the same key replaces the object (the bucket keeps old versions
30 days), so a repeated recap overwrites its reports.
"""

from __future__ import annotations

from typing import Any

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

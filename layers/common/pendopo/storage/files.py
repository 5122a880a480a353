"""The files bucket (``FilesBucket``): recap reports under ``recaps/YYYY-MM/``, the
presigned POSTs that put uploads under ``uploads/incoming/`` (``UploadSigner``), the
checker's reads and writes of uploads as sent (``uploads/incoming/``) and as checked
(``uploads/clean/``), and the clean copies' view links and claim tags (``UploadFiles``).

The bucket encrypts with the stage's KMS key by default (SSE-KMS, bucket key on), so
a put names no key of its own; the writer's role needs ``kms:GenerateDataKey`` on
that key. A put of the same key replaces the object (the bucket keeps old versions
30 days), so a repeated recap overwrites its reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

from botocore.exceptions import ClientError

from pendopo.domain.uploads import (
    CLAIMED_TAG,
    UPLOAD_TAG,
    VIEW_LINK_SECONDS,
    ComplaintFile,
    clean_key,
    content_disposition,
)

# SigV4 allows at most 7 days. A URL signed with a Lambda role's temporary
# credentials stops working when those credentials expire (within hours), whatever
# the expiry says: which is why the recap attaches its reports and links them only
# when they are too big to attach.
MAX_LINK_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class StoredObject:
    """An object as read: its bytes (None when it was too big to read), its size, when S3
    stored it, and the version read (the bucket is versioned)."""

    body: bytes | None
    size: int
    last_modified: datetime
    version_id: str | None


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


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

    def read_at_most(self, key: str, max_bytes: int) -> StoredObject | None:
        """The object's current version, its bytes only if it is at most ``max_bytes``
        (a bigger one is not read: its size says enough); None if there is no object."""
        try:
            answer = self._client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _code(error) in ("NoSuchKey", "404"):
                return None
            raise
        stream = answer["Body"]
        size = int(answer["ContentLength"])
        try:
            body: bytes | None = stream.read() if size <= max_bytes else None
        finally:
            stream.close()
        return StoredObject(
            body=body,
            size=size,
            last_modified=answer["LastModified"],
            version_id=answer.get("VersionId"),
        )

    def put_new(self, key: str, body: bytes, content_type: str, tagging: str) -> bool:
        """Write ``key`` only if it does not exist (``If-None-Match: *``), with its tags
        (``Tagging``, URL query form); False if it existed, which is left as it was."""
        try:
            self._client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=body,
                ContentType=content_type,
                Tagging=tagging,
                IfNoneMatch="*",
            )
        except ClientError as error:
            # 409 ConditionalRequestConflict: a concurrent write of the same key.
            if _code(error) in ("PreconditionFailed", "ConditionalRequestConflict"):
                return False
            raise
        return True

    def delete_current(self, key: str) -> None:
        """Delete the current version of ``key`` for good, if there is one (an event of
        an unversioned bucket, or one that names no version, says which it is not)."""
        try:
            answer = self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _code(error) in ("NoSuchKey", "404", "NotFound"):
                return
            raise
        self.delete(key, answer.get("VersionId"))

    def delete(self, key: str, version_id: str | None = None) -> None:
        """Delete a key (a delete marker) or, given ``version_id``, that version for good.
        A key or version that is gone already is no error (S3 answers 204 for it)."""
        extra = {"VersionId": version_id} if version_id else {}
        self._client.delete_object(Bucket=self.bucket, Key=key, **extra)


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


class UploadFiles:
    """The clean copies of uploads (``uploads/clean/<id>``): view links and claim tags.

    ``link_base`` (``FILES_LINK_BASE``): the origin the links are served from instead of
    the bucket's own host, e.g. ``https://pendopo.example``: the web distribution, whose
    ``/uploads/clean/*`` behaviour forwards the request, query string and all, to the
    bucket and adds ``X-Content-Type-Options: nosniff`` (S3 cannot). The signature is
    made for the bucket's host, which is the Host CloudFront sends to an S3 origin, so
    it still holds. Only scheme and host change; the path stays the bucket's.
    """

    def __init__(self, client: Any, bucket: str, link_base: str | None = None) -> None:
        # A botocore S3 client, or a function making one on first use (cold starts).
        made = hasattr(client, "generate_presigned_url")
        self._made: Any = client if made else None
        self._make: Callable[[], Any] | None = None if made else client
        self.bucket = bucket
        self._link_base = link_base.rstrip("/") if link_base else None

    @property
    def _client(self) -> Any:
        if self._made is None and self._make is not None:
            self._made = self._make()
        return self._made

    def view_link(self, file: ComplaintFile, seconds: int = VIEW_LINK_SECONDS) -> str:
        """A presigned GET of the clean copy: shown inline (images) or downloaded (PDF),
        with the checked type, never the type the client claimed."""
        url: str = self._client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": clean_key(file.upload_id),
                "ResponseContentDisposition": content_disposition(file),
                "ResponseContentType": file.content_type,
            },
            ExpiresIn=seconds,
        )
        if self._link_base is None:
            return url
        parts = urlsplit(url)
        return self._link_base + urlunsplit(("", "", parts.path, parts.query, ""))

    def mark_claimed(self, upload_id: str) -> bool:
        """Tag the clean copy ``claimed`` (the lifecycle keeps it); False if it is gone."""
        try:
            self._client.put_object_tagging(
                Bucket=self.bucket,
                Key=clean_key(upload_id),
                Tagging={"TagSet": [{"Key": UPLOAD_TAG, "Value": CLAIMED_TAG}]},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return False
            raise
        return True

"""The upload checker's use case (``functions/check_upload``): one verdict per upload.

For an object-created event under ``uploads/incoming/<id>``:

1. the upload item (``UploadStore.get``); no item, or a key that is no upload's: nothing
   to decide (logged). An upload that has its verdict already (a redelivered event):
   only the incoming object is deleted again.
2. the object (its current version; the bytes only when it is at most 10 MB); gone: the
   verdict was given and the object deleted by an earlier delivery, or it never was.
3. arrival: stored too long after the slot closed (``EXPIRED``), empty, too big;
4. the content, by the function's own ``inspect`` (``FileInspector``: magic bytes,
   Pillow, pypdf; not in the layer): a ``CleanFile`` or a ``Refusal``;
5. clean: the file is written under ``clean_key`` with the tag ``pendopo-upload=unclaimed``,
   only if that key is new (``If-None-Match: *``), then the item is marked clean; refused:
   the item is marked refused. Both marks are conditional on ``checking``;
6. the incoming version read is deleted for good (the sent file, with its metadata, is
   kept nowhere).

At-least-once delivery: a second delivery finds the verdict and changes nothing. A crash
after the clean object was written but before the mark leaves the item ``checking`` and
the incoming object in place, so Lambda's retry checks the file again, finds the clean key
taken (the first write, not overwritten: a claim may have re-tagged it meanwhile) and
marks the item; the inspection is deterministic, so the mark describes what was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pendopo.domain.clock import Clock
from pendopo.domain.uploads import (
    MAX_UPLOAD_BYTES,
    UNCLAIMED_TAG,
    CleanFile,
    Refusal,
    UploadStatus,
    arrival_refusal,
    clean_key,
    upload_id_of_incoming,
    upload_tagging,
)
from pendopo.runtime.observability import logger
from pendopo.services.ports import FileInspector
from pendopo.storage.files import FileStore
from pendopo.storage.uploads import UploadNotChecking, UploadStore


class CheckOutcome(StrEnum):
    CLEAN = "clean"
    REFUSED = "refused"
    ALREADY_DECIDED = "already_decided"  # a redelivered event, or a concurrent one won
    SKIPPED = "skipped"  # not an upload's key, no upload item, or no object


@dataclass(frozen=True, slots=True)
class CheckResult:
    key: str
    outcome: CheckOutcome
    upload_id: str | None = None
    refusal: Refusal | None = None


class UploadCheckService:
    def __init__(
        self, uploads: UploadStore, files: FileStore, inspect: FileInspector, clock: Clock
    ) -> None:
        self.uploads = uploads
        self.files = files
        self.inspect = inspect
        self.clock = clock

    def check(
        self, key: str, version_id: str | None = None, event_time: datetime | None = None
    ) -> CheckResult:
        """The verdict on the object at ``key`` (the event's version, if it names one)."""
        upload_id = upload_id_of_incoming(key)
        if upload_id is None:
            logger.warning("upload check: not an upload's key, skipped", extra={"key": key})
            return CheckResult(key, CheckOutcome.SKIPPED)
        upload = self.uploads.get(upload_id)
        if upload is None:
            logger.warning("upload check: no upload item, skipped", extra={"upload_id": upload_id})
            return CheckResult(key, CheckOutcome.SKIPPED, upload_id)
        if upload.status is not UploadStatus.CHECKING:
            if version_id:
                self.files.delete(key, version_id)
            else:
                self.files.delete_current(key)
            logger.info(
                "upload check: verdict given before",
                extra={"upload_id": upload_id, "status": upload.status.value},
            )
            return CheckResult(key, CheckOutcome.ALREADY_DECIDED, upload_id)
        stored = self.files.read_at_most(key, MAX_UPLOAD_BYTES)
        if stored is None:
            logger.warning("upload check: no object, skipped", extra={"upload_id": upload_id})
            return CheckResult(key, CheckOutcome.SKIPPED, upload_id)
        arrived_at = stored.last_modified or event_time or self.clock.now()
        verdict: CleanFile | Refusal | None = arrival_refusal(upload, stored.size, arrived_at)
        if verdict is None:
            assert stored.body is not None  # read: at most MAX_UPLOAD_BYTES
            verdict = self.inspect(stored.body, upload.declared_type)
        result = self._decide(key, upload_id, verdict)
        # The file as sent is deleted for good (its version), whatever the verdict.
        self.files.delete(key, stored.version_id)
        return result

    def _decide(self, key: str, upload_id: str, verdict: CleanFile | Refusal) -> CheckResult:
        now = self.clock.now()
        try:
            if isinstance(verdict, Refusal):
                self.uploads.mark_refused(upload_id, verdict, now)
                logger.info(
                    "upload refused", extra={"upload_id": upload_id, "refusal": verdict.value}
                )
                return CheckResult(key, CheckOutcome.REFUSED, upload_id, verdict)
            written = self.files.put_new(
                clean_key(upload_id),
                verdict.body,
                verdict.content_type,
                upload_tagging(UNCLAIMED_TAG),
            )
            self.uploads.mark_clean(
                upload_id,
                verdict.content_type,
                len(verdict.body),
                now,
                width=verdict.width,
                height=verdict.height,
            )
        except UploadNotChecking:
            logger.info("upload check: verdict given meanwhile", extra={"upload_id": upload_id})
            return CheckResult(key, CheckOutcome.ALREADY_DECIDED, upload_id)
        logger.info(
            "upload clean",
            extra={
                "upload_id": upload_id,
                "content_type": verdict.content_type,
                "size": len(verdict.body),
                "written": written,
            },
        )
        return CheckResult(key, CheckOutcome.CLEAN, upload_id)

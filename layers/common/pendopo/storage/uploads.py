"""Upload items in the table (``UPLOAD#<id>``): slots, the checker's verdict, claims.

Reads are one GetItem (a status) or one BatchGetItem (the uploads a write references);
the checker's verdict is one conditional UpdateItem (only from ``checking``, so an S3
event delivered twice changes nothing the second time); a claim is part of the
complaint's own transaction (``claim_in``), conditional on clean and unclaimed, so a
file belongs to exactly one complaint.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.transactions import TransactWrite

from pendopo.domain.clock import from_iso, to_utc_iso
from pendopo.domain.uploads import Refusal, Upload, UploadOwner, UploadStatus
from pendopo.storage.errors import response_code
from pendopo.storage.items import UPLOAD_SK, UploadItem, upload_pk

# BatchGetItem takes at most 100 keys; a write references at most 5 uploads.
_BATCH_LIMIT = 100


class UploadNotChecking(Exception):
    """The upload has a verdict already (or does not exist): the checker leaves it."""


class UploadStore:
    def create(self, upload: Upload) -> None:
        _item(upload).save(condition=UploadItem.pk.does_not_exist())

    def get(self, upload_id: str) -> Upload | None:
        try:
            item = UploadItem.get(upload_pk(upload_id), UPLOAD_SK, consistent_read=True)
        except DoesNotExist:
            return None
        return upload_from_item(item)

    def get_many(self, upload_ids: Iterable[str]) -> dict[str, Upload]:
        """The uploads that exist among ``upload_ids``: one BatchGetItem (consistent)."""
        keys = [(upload_pk(upload_id), UPLOAD_SK) for upload_id in dict.fromkeys(upload_ids)]
        if not keys:
            return {}
        if len(keys) > _BATCH_LIMIT:
            raise ValueError("too many uploads for one batch read")
        found = UploadItem.batch_get(keys, consistent_read=True)
        return {item.upload_id: upload_from_item(item) for item in found}

    def mark_clean(
        self,
        upload_id: str,
        content_type: str,
        size: int,
        at: datetime,
        width: int | None = None,
        height: int | None = None,
    ) -> None:
        actions = [
            UploadItem.status.set(UploadStatus.CLEAN.value),
            UploadItem.content_type.set(content_type),
            UploadItem.size.set(size),
            UploadItem.checked_at.set(to_utc_iso(at)),
        ]
        if width is not None and height is not None:
            actions += [UploadItem.width.set(width), UploadItem.height.set(height)]
        self._verdict(upload_id, actions)

    def mark_refused(self, upload_id: str, refusal: Refusal, at: datetime) -> None:
        self._verdict(
            upload_id,
            [
                UploadItem.status.set(UploadStatus.REFUSED.value),
                UploadItem.refusal.set(refusal.value),
                UploadItem.checked_at.set(to_utc_iso(at)),
            ],
        )

    def _verdict(self, upload_id: str, actions: list[Any]) -> None:
        item = UploadItem(upload_pk(upload_id), UPLOAD_SK)
        try:
            item.update(
                actions=actions,
                condition=UploadItem.pk.exists()
                & (UploadItem.status == UploadStatus.CHECKING.value),
            )
        except UpdateError as error:
            if response_code(error) == "ConditionalCheckFailedException":
                raise UploadNotChecking(upload_id) from None
            raise


def claim_in(transaction: TransactWrite, upload: Upload, ticket: str, now: datetime) -> None:
    """Add the claim of one clean upload by ``ticket`` to a complaint's transaction.

    Conditional on the upload being clean, unclaimed and not yet forgotten; it removes
    the TTL, so the upload item lives with the complaint. A failed condition cancels
    the whole transaction (``CancellationReasons`` say which item).
    """
    item = UploadItem(upload_pk(upload.upload_id), UPLOAD_SK)
    transaction.update(
        item,
        actions=[UploadItem.claimed_by.set(ticket), UploadItem.expires_at.remove()],
        condition=(UploadItem.status == UploadStatus.CLEAN.value)
        & UploadItem.claimed_by.does_not_exist()
        & (UploadItem.expires_at > int(now.timestamp())),
    )


def _item(upload: Upload) -> UploadItem:
    return UploadItem(
        upload_pk(upload.upload_id),
        UPLOAD_SK,
        upload_id=upload.upload_id,
        owner=upload.owner.value,
        officer=upload.officer,
        filename=upload.filename,
        declared_type=upload.declared_type,
        declared_size=upload.declared_size,
        created_at=to_utc_iso(upload.created_at),
        slot_expires_at=to_utc_iso(upload.slot_expires_at),
        status=upload.status.value,
        refusal=upload.refusal.value if upload.refusal else None,
        content_type=upload.content_type,
        size=upload.size,
        width=upload.width,
        height=upload.height,
        checked_at=to_utc_iso(upload.checked_at) if upload.checked_at else None,
        claimed_by=upload.claimed_by,
        expires_at=None if upload.claimed_by else int(upload.forget_at.timestamp()),
    )


def upload_from_item(item: UploadItem) -> Upload:
    return Upload(
        upload_id=item.upload_id,
        owner=UploadOwner(item.owner),
        filename=item.filename,
        declared_type=item.declared_type,
        declared_size=int(item.declared_size),
        created_at=from_iso(item.created_at),
        slot_expires_at=from_iso(item.slot_expires_at),
        status=UploadStatus(item.status),
        officer=item.officer,
        refusal=Refusal(item.refusal) if item.refusal else None,
        content_type=item.content_type,
        size=int(item.size) if item.size is not None else None,
        width=int(item.width) if item.width is not None else None,
        height=int(item.height) if item.height is not None else None,
        checked_at=from_iso(item.checked_at) if item.checked_at else None,
        claimed_by=item.claimed_by,
    )

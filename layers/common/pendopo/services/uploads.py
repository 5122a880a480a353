"""Upload slots: a client asks for one, then sends the file straight to S3.

``open_slot`` records the upload (``checking``) and answers a presigned POST for
``uploads/incoming/<id>``: the file never passes through Lambda or API Gateway. The
policy S3 checks allows exactly that key, exactly the declared ``Content-Type``, and a
file of 1 byte up to the **declared size** (itself at most 10 MB, checked at the edge):
the slot is for the file the client described, so a client that sends something bigger
than it said is refused by S3 (``EntityTooLarge``), not only one over 10 MB. A client
that changes the file (shrinks a photo again) asks for a new slot. The policy expires
after ``SLOT_SECONDS`` (15 minutes), as the item's ``slot_expires_at`` says.

``get_status`` answers what the checker found; an unknown id and a malformed one are
the same 404.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Protocol

from pendopo.domain.clock import Clock, wib_to_the_second
from pendopo.domain.errors import PendopoError
from pendopo.domain.uploads import (
    SLOT_SECONDS,
    Upload,
    UploadOwner,
    UploadRequest,
    incoming_key,
    is_upload_id,
    new_upload,
)
from pendopo.storage.files import UploadForm
from pendopo.views.uploads import UploadSlot, UploadStatusView

UPLOAD_NOT_FOUND = "Unggahan tidak ditemukan atau sudah kedaluwarsa."


class UploadNotFound(PendopoError):
    """No upload with this id (or the id is not one): the one 404."""

    status = HTTPStatus.NOT_FOUND
    message = UPLOAD_NOT_FOUND


class Uploads(Protocol):
    def create(self, upload: Upload) -> None: ...

    def get(self, upload_id: str) -> Upload | None: ...


class PostSigner(Protocol):
    def form(self, key: str, content_type: str, max_bytes: int, seconds: int) -> UploadForm: ...


class UploadSlots:
    def __init__(self, store: Uploads, signer: PostSigner, clock: Clock) -> None:
        self._store = store
        self._signer = signer
        self._clock = clock

    def open_slot(
        self, request: UploadRequest, owner: UploadOwner, officer: str | None = None
    ) -> UploadSlot:
        upload = new_upload(request, owner, self._clock.now(), officer=officer)
        # Signed first: a policy is computed locally, so an item exists only for a
        # slot that was handed out.
        form = self._signer.form(
            incoming_key(upload.upload_id),
            upload.declared_type,
            upload.declared_size,
            SLOT_SECONDS,
        )
        self._store.create(upload)
        return UploadSlot(
            upload_id=upload.upload_id,
            url=form.url,
            fields=form.fields,
            expires_at=wib_to_the_second(upload.slot_expires_at),
        )

    def get_status(self, upload_id: str) -> UploadStatusView:
        upload = self._store.get(upload_id) if is_upload_id(upload_id) else None
        if upload is None or self._clock.now() >= upload.forget_at:
            raise UploadNotFound(upload_id)
        return UploadStatusView.model_validate(upload.public_status())

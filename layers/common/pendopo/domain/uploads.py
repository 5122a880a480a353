"""Uploads (photos and documents): the rules, pure, so each is tested without AWS.

An upload goes through three states:

- ``checking``: a slot was handed out (``POST /v1/uploads``); the file goes straight to
  S3 with a presigned POST under ``incoming_key``; the checker function
  (``functions/check_upload``) is run by the bucket's object-created event.
- ``clean``: the checker found the type by its magic bytes, re-encoded an image
  (orientation applied, at most ``MAX_IMAGE_SIDE`` px, no EXIF/GPS) or opened a PDF
  and found nothing active, and wrote the result under ``clean_key``.
- ``refused``: the checker refused it, with a ``Refusal`` whose message a client shows.

A complaint, a follow-up or a reporter update then *claims* clean uploads by id, in its
own transaction (conditional on clean and unclaimed), so a file belongs to exactly one
complaint. An unclaimed upload is forgotten after ``UNCLAIMED_SECONDS`` (the item's TTL
and the bucket's lifecycle).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from http import HTTPStatus
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
)
from pydantic_core import PydanticCustomError

from pendopo.domain.complaint import CUSTOM_ERROR_PREFIX
from pendopo.domain.errors import PendopoError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
SLOT_SECONDS = 15 * 60
UNCLAIMED_SECONDS = 2 * 24 * 3600
MAX_IMAGE_SIDE = 2560
# What the presigned GET links of officers' views are valid for.
VIEW_LINK_SECONDS = 5 * 60

ContentType = Literal["image/jpeg", "image/png", "image/webp", "application/pdf"]
CONTENT_TYPES: tuple[str, ...] = ("image/jpeg", "image/png", "image/webp", "application/pdf")
IMAGE_TYPES: tuple[str, ...] = ("image/jpeg", "image/png", "image/webp")

# 128 random bits as 32 lower-case hex digits: unguessable, so a public upload's status
# is readable with its id alone.
UPLOAD_ID_PATTERN = r"^[0-9a-f]{32}$"
_UPLOAD_ID = re.compile(UPLOAD_ID_PATTERN)
UploadId = Annotated[str, StringConstraints(pattern=UPLOAD_ID_PATTERN)]

INCOMING_PREFIX = "uploads/incoming/"
CLEAN_PREFIX = "uploads/clean/"


def new_upload_id() -> str:
    return secrets.token_hex(16)


def is_upload_id(value: str) -> bool:
    return bool(_UPLOAD_ID.match(value))


def incoming_key(upload_id: str) -> str:
    """Where the client's presigned POST puts the file as sent (never shown to anyone)."""
    return f"{INCOMING_PREFIX}{upload_id}"


def clean_key(upload_id: str) -> str:
    """Where the checker writes the file it accepted (the only copy anyone is shown)."""
    return f"{CLEAN_PREFIX}{upload_id}"


def upload_id_of_incoming(key: str) -> str | None:
    """The upload id an object-created event's key names, or None for any other key."""
    if not key.startswith(INCOMING_PREFIX):
        return None
    upload_id = key[len(INCOMING_PREFIX) :]
    return upload_id if is_upload_id(upload_id) else None


class UploadStatus(StrEnum):
    CHECKING = "checking"
    CLEAN = "clean"
    REFUSED = "refused"


class UploadOwner(StrEnum):
    """Who asked for the slot: a citizen (public route) or an officer (officer route)."""

    PUBLIC = "public"
    OFFICER = "officer"


class Refusal(StrEnum):
    """Why the checker refused a file; ``message`` is what a client shows."""

    UNKNOWN_TYPE = "unknown_type"
    TYPE_MISMATCH = "type_mismatch"
    TOO_LARGE = "too_large"
    EMPTY = "empty"
    DAMAGED_IMAGE = "damaged_image"
    IMAGE_TOO_LARGE = "image_too_large"
    DAMAGED_PDF = "damaged_pdf"
    ENCRYPTED_PDF = "encrypted_pdf"
    ACTIVE_PDF = "active_pdf"
    POLYGLOT = "polyglot"
    EXPIRED = "expired"

    @property
    def message(self) -> str:
        return _REFUSAL_MESSAGES[self]


_REFUSAL_MESSAGES: dict[Refusal, str] = {
    Refusal.UNKNOWN_TYPE: "Berkas bukan foto (JPEG, PNG, WebP) atau dokumen PDF.",
    Refusal.TYPE_MISMATCH: "Isi berkas tidak sesuai dengan jenis yang disebutkan.",
    Refusal.TOO_LARGE: "Berkas lebih besar dari 10 MB.",
    Refusal.EMPTY: "Berkas kosong.",
    Refusal.DAMAGED_IMAGE: "Foto rusak atau tidak lengkap dan tidak dapat dibuka.",
    Refusal.IMAGE_TOO_LARGE: "Ukuran foto terlalu besar untuk diproses.",
    Refusal.DAMAGED_PDF: "Dokumen PDF rusak dan tidak dapat dibuka.",
    Refusal.ENCRYPTED_PDF: "Dokumen PDF dikunci dengan kata sandi; kirim tanpa kata sandi.",
    Refusal.ACTIVE_PDF: (
        "Dokumen PDF berisi skrip, tindakan otomatis, atau berkas sisipan; "
        "cetak ulang sebagai PDF biasa lalu kirim lagi."
    ),
    Refusal.POLYGLOT: "Berkas berisi data lain yang tersembunyi dan tidak dapat diterima.",
    Refusal.EXPIRED: "Waktu unggah sudah habis (15 menit); minta slot unggah baru.",
}


TYPE_MESSAGE = "Jenis berkas harus foto (JPEG, PNG, WebP) atau dokumen PDF."


# The body of ``POST /v1/uploads`` and ``POST /v1/officer/uploads``. No docstring: it
# would be the schema's description in the OpenAPI documents, read in Bahasa Indonesia.
class UploadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    filename: Annotated[
        str,
        StringConstraints(min_length=1, max_length=200),
        Field(description="Nama berkas di perangkat pengirim"),
    ]
    content_type: Annotated[
        ContentType, Field(description="Jenis berkas; dikirim sama persis sebagai Content-Type")
    ]
    size: Annotated[
        int,
        Field(ge=1, le=MAX_UPLOAD_BYTES, description="Ukuran berkas yang akan dikirim, dalam byte"),
    ]

    # Wrap validators: the schema (the enum, the maximum) stays the annotation's, and
    # the edge answers these two refusals in a citizen's words.
    @field_validator("content_type", mode="wrap")
    @classmethod
    def _known_type(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise PydanticCustomError(CUSTOM_ERROR_PREFIX + "upload_type", TYPE_MESSAGE) from None

    @field_validator("size", mode="wrap")
    @classmethod
    def _allowed_size(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError as error:
            kinds = {detail["type"] for detail in error.errors()}
            if "less_than_equal" in kinds:
                message = Refusal.TOO_LARGE.message
            elif "greater_than_equal" in kinds:
                message = Refusal.EMPTY.message
            else:
                raise
            raise PydanticCustomError(CUSTOM_ERROR_PREFIX + "upload_size", message) from None


def safe_filename(filename: str) -> str:
    """The name shown and sent in Content-Disposition: no path, no control characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name.strip()[:200] or "berkas"


@dataclass(frozen=True, slots=True)
class Upload:
    upload_id: str
    owner: UploadOwner
    filename: str
    declared_type: str
    declared_size: int
    created_at: datetime
    slot_expires_at: datetime  # the presigned POST is refused after this
    status: UploadStatus = UploadStatus.CHECKING
    officer: str | None = None  # the officer's email, for an officer's upload
    refusal: Refusal | None = None
    content_type: str | None = None  # as found by the checker (clean only)
    size: int | None = None  # of the clean file
    width: int | None = None
    height: int | None = None
    checked_at: datetime | None = None
    claimed_by: str | None = None  # the ticket that claimed it

    @property
    def forget_at(self) -> datetime:
        """When an unclaimed upload is forgotten (item TTL; the bucket's lifecycle too)."""
        return self.created_at + timedelta(seconds=UNCLAIMED_SECONDS)

    def public_status(self) -> dict[str, Any]:
        """The answer of ``GET /v1/uploads/{upload_id}``."""
        answer: dict[str, Any] = {"status": self.status.value}
        if self.refusal is not None:
            answer["reason"] = self.refusal.message
        return answer

    def claimed(self, ticket: str) -> Upload:
        return replace(self, claimed_by=ticket)


def new_upload(
    request: UploadRequest, owner: UploadOwner, now: datetime, officer: str | None = None
) -> Upload:
    return Upload(
        upload_id=new_upload_id(),
        owner=owner,
        filename=safe_filename(request.filename),
        declared_type=request.content_type,
        declared_size=request.size,
        created_at=now,
        slot_expires_at=now + timedelta(seconds=SLOT_SECONDS),
        officer=officer,
    )


class AttachmentsRefused(PendopoError):
    """Some referenced uploads cannot be attached (HTTP 422), with a message per file."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    message = "Sebagian lampiran tidak dapat dipakai."

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems

    def details(self) -> dict[str, Any]:
        return {
            "errors": [
                {"field": "attachments", "upload_id": upload_id, "message": message}
                for upload_id, message in self.problems.items()
            ]
        }


def claim_problem(
    upload_id: str, upload: Upload | None, owner: UploadOwner, now: datetime
) -> str | None:
    """Why this upload cannot be claimed by a write of ``owner``'s kind, or None.

    A citizen's write may claim only public uploads, an officer's write only officers'
    uploads: an id from the other side reads as unknown, as a missing one does.
    """
    if upload is None or upload.owner is not owner or now >= upload.forget_at:
        return f"Lampiran {upload_id} tidak ditemukan atau sudah kedaluwarsa."
    name = upload.filename
    if upload.claimed_by is not None:
        return f"Lampiran {name} sudah dipakai di pengaduan lain."
    if upload.status is UploadStatus.REFUSED:
        reason = upload.refusal.message if upload.refusal else "berkas ditolak"
        return f"Lampiran {name} ditolak: {reason}"
    if upload.status is UploadStatus.CHECKING:
        if now >= upload.slot_expires_at + timedelta(minutes=5):
            # Nothing arrived (or the check never finished) long after the slot closed.
            return f"Lampiran {name} tidak pernah selesai diunggah; unggah ulang."
        return f"Lampiran {name} masih diperiksa; tunggu sebentar lalu kirim lagi."
    return None


def check_claims(
    upload_ids: list[str], uploads: dict[str, Upload], owner: UploadOwner, now: datetime
) -> list[Upload]:
    """The uploads to claim, in the order given, or AttachmentsRefused naming each problem."""
    problems: dict[str, str] = {}
    if len(upload_ids) > MAX_ATTACHMENTS:
        raise AttachmentsRefused(
            {"*": f"Paling banyak {MAX_ATTACHMENTS} lampiran untuk satu kiriman."}
        )
    if len(set(upload_ids)) != len(upload_ids):
        raise AttachmentsRefused({"*": "Lampiran yang sama dikirim lebih dari sekali."})
    for upload_id in upload_ids:
        problem = claim_problem(upload_id, uploads.get(upload_id), owner, now)
        if problem is not None:
            problems[upload_id] = problem
    if problems:
        raise AttachmentsRefused(problems)
    return [uploads[upload_id] for upload_id in upload_ids]

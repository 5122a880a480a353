"""What the upload routes answer: a slot (the presigned POST) and an upload's status.

These models are the response schemas of the OpenAPI documents too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from pendopo.domain.model import ViewModel


class UploadSlot(ViewModel):
    upload_id: str = Field(description="Nomor unggahan; sebutkan di `attachments` pengaduan")
    url: str = Field(description="Alamat S3 tujuan POST multipart/form-data")
    fields: dict[str, str] = Field(
        description="Kolom formulir yang dikirim apa adanya sebelum kolom `file`"
    )
    expires_at: datetime = Field(description="Batas waktu unggah (WIB), 15 menit")


class UploadStatusView(ViewModel):
    status: Literal["checking", "clean", "refused"] = Field(
        description="checking: sedang diperiksa; clean: boleh dilampirkan; refused: ditolak"
    )
    # Left out of the answer unless refused (``"reason"?``), not sent as null.
    reason: str | None = Field(
        default=None,
        description="Alasan penolakan (hanya bila refused)",
        exclude_if=lambda reason: reason is None,
    )

"""The upload slots service with fakes: what it signs, what it records, what it answers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest

from pendopo.domain.clock import FixedClock
from pendopo.domain.uploads import (
    MAX_UPLOAD_BYTES,
    SLOT_SECONDS,
    Refusal,
    Upload,
    UploadOwner,
    UploadRequest,
    UploadStatus,
)
from pendopo.services.uploads import UPLOAD_NOT_FOUND, UploadNotFound, UploadSlots
from pendopo.storage.files import UploadForm

NOW = datetime(2025, 6, 10, 2, 0, tzinfo=UTC)  # 09:00 WIB


@dataclass
class FakeUploads:
    items: dict[str, Upload] = field(default_factory=dict)
    reads: list[str] = field(default_factory=list)

    def create(self, upload: Upload) -> None:
        assert upload.upload_id not in self.items
        self.items[upload.upload_id] = upload

    def get(self, upload_id: str) -> Upload | None:
        self.reads.append(upload_id)
        return self.items.get(upload_id)


@dataclass
class FakeSigner:
    signed: list[tuple[str, str, int, int]] = field(default_factory=list)
    fails: bool = False

    def form(self, key: str, content_type: str, max_bytes: int, seconds: int) -> UploadForm:
        if self.fails:
            raise RuntimeError("no credentials")
        self.signed.append((key, content_type, max_bytes, seconds))
        return UploadForm("https://files.example/", {"key": key, "Content-Type": content_type})


def service() -> tuple[UploadSlots, FakeUploads, FakeSigner, FixedClock]:
    uploads, signer, clock = FakeUploads(), FakeSigner(), FixedClock(NOW)
    return UploadSlots(uploads, signer, clock), uploads, signer, clock


def test_a_slot_signs_exactly_the_declared_file_and_records_it() -> None:
    slots, uploads, signer, _ = service()
    request = UploadRequest(filename="../../foto.jpg", content_type="image/png", size=4242)

    slot = slots.open_slot(request, UploadOwner.PUBLIC)

    key = f"uploads/incoming/{slot.upload_id}"
    assert signer.signed == [(key, "image/png", 4242, SLOT_SECONDS)]
    assert (slot.url, slot.fields) == (
        "https://files.example/",
        {"key": key, "Content-Type": "image/png"},
    )
    assert slot.expires_at.isoformat() == "2025-06-10T09:15:00+07:00"
    upload = uploads.items[slot.upload_id]
    assert upload.status is UploadStatus.CHECKING and upload.owner is UploadOwner.PUBLIC
    assert (upload.filename, upload.declared_size, upload.officer) == ("foto.jpg", 4242, None)
    assert upload.slot_expires_at == NOW + timedelta(minutes=15)


def test_an_officer_slot_names_the_officer() -> None:
    slots, uploads, _, _ = service()
    request = UploadRequest(filename="scan.pdf", content_type="application/pdf", size=1)
    slot = slots.open_slot(request, UploadOwner.OFFICER, officer="petugas@pendopo.example")
    assert uploads.items[slot.upload_id].officer == "petugas@pendopo.example"


def test_every_slot_is_a_new_upload() -> None:
    slots, uploads, _, _ = service()
    request = UploadRequest(filename="a.jpg", content_type="image/jpeg", size=MAX_UPLOAD_BYTES)
    ids = {slots.open_slot(request, UploadOwner.PUBLIC).upload_id for _ in range(20)}
    assert len(ids) == 20 == len(uploads.items)


def test_nothing_is_recorded_when_the_slot_cannot_be_signed() -> None:
    slots, uploads, signer, _ = service()
    signer.fails = True
    with pytest.raises(RuntimeError):
        slots.open_slot(
            UploadRequest(filename="a.jpg", content_type="image/jpeg", size=1), UploadOwner.PUBLIC
        )
    assert uploads.items == {}


def test_the_status_is_the_checkers_verdict() -> None:
    slots, uploads, _, _ = service()
    request = UploadRequest(filename="a.jpg", content_type="image/jpeg", size=10)
    upload_id = slots.open_slot(request, UploadOwner.PUBLIC).upload_id
    assert slots.get_status(upload_id).model_dump(exclude_none=True) == {"status": "checking"}
    uploads.items[upload_id] = replace(
        uploads.items[upload_id], status=UploadStatus.REFUSED, refusal=Refusal.ACTIVE_PDF
    )
    answer = slots.get_status(upload_id)
    assert (answer.status, answer.reason) == ("refused", Refusal.ACTIVE_PDF.message)


@pytest.mark.parametrize("upload_id", ["abc", "G" * 32, "0" * 31, "", "../" * 11])
def test_a_malformed_id_is_not_found_without_a_read(upload_id: str) -> None:
    slots, uploads, _, _ = service()
    with pytest.raises(UploadNotFound) as error:
        slots.get_status(upload_id)
    assert error.value.message == UPLOAD_NOT_FOUND and error.value.status == 404
    assert uploads.reads == []


def test_an_unknown_or_forgotten_upload_is_the_same_not_found() -> None:
    slots, _, _, clock = service()
    with pytest.raises(UploadNotFound):
        slots.get_status("0" * 32)
    request = UploadRequest(filename="a.jpg", content_type="image/jpeg", size=10)
    upload_id = slots.open_slot(request, UploadOwner.PUBLIC).upload_id
    clock.advance(timedelta(days=2) - timedelta(seconds=1))
    assert slots.get_status(upload_id).status == "checking"
    clock.advance(timedelta(seconds=1))  # the item's TTL may not have removed it yet
    with pytest.raises(UploadNotFound):
        slots.get_status(upload_id)

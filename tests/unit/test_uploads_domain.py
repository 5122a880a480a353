"""The upload rules (``pendopo.domain.uploads``): ids, keys, names, claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from pendopo.domain.uploads import (
    MAX_ATTACHMENTS,
    AttachmentsRefused,
    Refusal,
    UploadOwner,
    UploadRequest,
    UploadStatus,
    check_claims,
    incoming_key,
    is_upload_id,
    new_upload,
    safe_filename,
    upload_id_of_incoming,
)

NOW = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)


def _upload(**changes: object):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    upload = new_upload(
        UploadRequest(filename="foto.jpg", content_type="image/jpeg", size=1000),
        UploadOwner.PUBLIC,
        NOW,
    )
    return replace(upload, **changes)


def test_upload_ids_are_128_random_bits_and_name_their_incoming_key() -> None:
    upload = _upload()
    assert is_upload_id(upload.upload_id) and len(upload.upload_id) == 32
    assert upload_id_of_incoming(incoming_key(upload.upload_id)) == upload.upload_id
    assert upload_id_of_incoming("recaps/2025-06/x.csv") is None
    assert upload_id_of_incoming("uploads/incoming/../x") is None
    assert upload.slot_expires_at == NOW + timedelta(minutes=15)


def test_a_request_over_10_mb_or_of_another_type_is_refused() -> None:
    with pytest.raises(ValidationError):
        UploadRequest(filename="a.jpg", content_type="image/jpeg", size=11 * 1024 * 1024)
    with pytest.raises(ValidationError):
        UploadRequest(filename="a.exe", content_type="application/octet-stream", size=10)


def test_filenames_lose_paths_and_quotes() -> None:
    assert safe_filename('C:\\Users\\x\\"foto".jpg') == "foto.jpg"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("\x00\x01") == "berkas"


def test_claims_name_each_unusable_upload() -> None:
    clean = _upload(status=UploadStatus.CLEAN)
    checking = _upload()
    refused = _upload(status=UploadStatus.REFUSED, refusal=Refusal.ACTIVE_PDF)
    taken = _upload(status=UploadStatus.CLEAN, claimed_by="2506-0000-0000")
    officer = _upload(status=UploadStatus.CLEAN, owner=UploadOwner.OFFICER)
    uploads = {u.upload_id: u for u in (clean, checking, refused, taken, officer)}
    assert check_claims([clean.upload_id], uploads, UploadOwner.PUBLIC, NOW) == [clean]
    with pytest.raises(AttachmentsRefused) as refusal:
        check_claims([*uploads, "f" * 32], uploads, UploadOwner.PUBLIC, NOW)
    assert "Paling banyak" in refusal.value.problems["*"]
    ids = [checking.upload_id, refused.upload_id, taken.upload_id, officer.upload_id]
    with pytest.raises(AttachmentsRefused) as refusal:
        check_claims(ids, uploads, UploadOwner.PUBLIC, NOW)
    problems = refusal.value.problems
    assert "masih diperiksa" in problems[checking.upload_id]
    assert Refusal.ACTIVE_PDF.message in problems[refused.upload_id]
    assert "sudah dipakai" in problems[taken.upload_id]
    assert "tidak ditemukan" in problems[officer.upload_id]
    assert len(ids) <= MAX_ATTACHMENTS


def test_an_upload_is_forgotten_after_two_days() -> None:
    clean = _upload(status=UploadStatus.CLEAN)
    later = NOW + timedelta(days=2)
    with pytest.raises(AttachmentsRefused):
        check_claims([clean.upload_id], {clean.upload_id: clean}, UploadOwner.PUBLIC, later)

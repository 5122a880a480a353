"""The upload items on moto: verdicts once, batch reads, claims inside a transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from pendopo.domain.uploads import Refusal, UploadOwner, UploadRequest, UploadStatus, new_upload
from pendopo.storage.connection import shared_connection
from pendopo.storage.uploads import UploadNotChecking, UploadStore, claim_in

NOW = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)


def _new() -> Any:
    request = UploadRequest(filename="foto.jpg", content_type="image/jpeg", size=1000)
    return new_upload(request, UploadOwner.PUBLIC, NOW)


def test_a_verdict_is_given_once(dynamodb: Any) -> None:
    store = UploadStore()
    upload = _new()
    store.create(upload)
    store.mark_clean(upload.upload_id, "image/jpeg", 900, NOW, width=10, height=20)
    with pytest.raises(UploadNotChecking):
        store.mark_refused(upload.upload_id, Refusal.POLYGLOT, NOW)
    with pytest.raises(UploadNotChecking):
        store.mark_clean("0" * 32, "image/jpeg", 1, NOW)
    found = store.get(upload.upload_id)
    assert found is not None and found.status is UploadStatus.CLEAN
    assert (found.size, found.width, found.height) == (900, 10, 20)


def test_many_are_read_in_one_batch(dynamodb: Any) -> None:
    store = UploadStore()
    uploads = [_new() for _ in range(3)]
    for upload in uploads:
        store.create(upload)
    found = store.get_many([u.upload_id for u in uploads] + ["f" * 32])
    assert set(found) == {u.upload_id for u in uploads}


def test_an_upload_is_claimed_once(dynamodb: Any) -> None:
    store = UploadStore()
    upload = _new()
    store.create(upload)
    with pytest.raises(TransactWriteError), TransactWrite(connection=shared_connection()) as t:
        claim_in(t, upload, "2506-0000-0001", NOW)  # still checking
    store.mark_clean(upload.upload_id, "image/jpeg", 900, NOW)
    with TransactWrite(connection=shared_connection()) as t:
        claim_in(t, upload, "2506-0000-0001", NOW)
    with pytest.raises(TransactWriteError), TransactWrite(connection=shared_connection()) as t:
        claim_in(t, upload, "2506-0000-0002", NOW)
    claimed = store.get(upload.upload_id)
    assert claimed is not None and claimed.claimed_by == "2506-0000-0001"
    item = dynamodb.get_item(
        TableName=dynamodb.list_tables()["TableNames"][0],
        Key={"pk": {"S": f"UPLOAD#{upload.upload_id}"}, "sk": {"S": "UPLOAD"}},
    )["Item"]
    assert "expires_at" not in item  # claimed: lives with the complaint


def test_an_expired_upload_cannot_be_claimed(dynamodb: Any) -> None:
    store = UploadStore()
    upload = _new()
    store.create(upload)
    store.mark_clean(upload.upload_id, "image/jpeg", 900, NOW)
    later = NOW + timedelta(days=2, seconds=1)
    with pytest.raises(TransactWriteError), TransactWrite(connection=shared_connection()) as t:
        claim_in(t, upload, "2506-0000-0001", later)

"""The upload checker on moto: S3's own event (bucket notification -> SQS, as the local
stack delivers it) in, one verdict out, the clean copy tagged, the file as sent gone;
an event delivered twice, a checker killed mid-file and retried."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from PIL import Image

from pendopo.domain.clock import FixedClock
from pendopo.domain.uploads import (
    MAX_UPLOAD_BYTES,
    Refusal,
    Upload,
    UploadOwner,
    UploadRequest,
    UploadStatus,
    clean_key,
    incoming_key,
    new_upload,
)
from pendopo.storage.uploads import UploadStore
from tests.support import upload_files as files
from tests.support.faults import LambdaTimeout, install
from tools.local.events import lambda_context
from tools.local.uploads import S3EventPoller, route_bucket_events_to_queue

REGION = "ap-southeast-3"
BUCKET = "pendopo-test-files"


@dataclass
class Rig:
    s3: Any
    sqs: Any
    queue: str
    poller: S3EventPoller
    app: Any
    clock: FixedClock
    store: UploadStore

    def slot(self, content_type: str = "image/jpeg", filename: str = "foto.jpg") -> Upload:
        request = UploadRequest(filename=filename, content_type=content_type, size=1000)
        upload = new_upload(request, UploadOwner.PUBLIC, self.clock.now())
        self.store.create(upload)
        return upload

    def send(self, upload: Upload, body: bytes) -> None:
        """The client's upload: an object created under the slot's key (S3 -> the queue)."""
        self.s3.put_object(Bucket=BUCKET, Key=incoming_key(upload.upload_id), Body=body)

    def next_event(self) -> dict[str, Any]:
        """The S3 event moto sent for the last object, taken off the queue (not delivered)."""
        messages = self.sqs.receive_message(QueueUrl=self.queue).get("Messages", [])
        assert len(messages) == 1
        self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=messages[0]["ReceiptHandle"])
        event: dict[str, Any] = json.loads(messages[0]["Body"])
        assert event["Records"][0]["eventName"] == "ObjectCreated:Put"
        return event

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        """One invocation of the checker, as Lambda makes it (a retry is another one)."""
        answer: dict[str, Any] = self.app.lambda_handler(event, lambda_context("CheckUpload"))
        return answer

    def verdict(self, upload: Upload) -> Upload:
        found = self.store.get(upload.upload_id)
        assert found is not None
        return found

    def keys(self, prefix: str = "uploads/") -> list[str]:
        listed = self.s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
        return [o["Key"] for o in listed]

    def versions(self, key: str) -> list[dict[str, Any]]:
        listed = self.s3.list_object_versions(Bucket=BUCKET, Prefix=key)
        return [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]

    def tags(self, key: str) -> dict[str, str]:
        tagging = self.s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"]
        return {t["Key"]: t["Value"] for t in tagging}


@pytest.fixture
def rig(dynamodb: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Rig]:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    # Versioned, as FilesBucket is: the checker deletes the version it read.
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    sqs = boto3.client("sqs", region_name=REGION)
    queue = route_bucket_events_to_queue(s3, sqs, BUCKET)
    monkeypatch.setenv("FILES_BUCKET", BUCKET)
    from functions.check_upload import app
    from pendopo.runtime.settings import Settings

    service = app.build_service(Settings.from_env(), bucket=BUCKET, clock=clock, s3_client=s3)
    monkeypatch.setattr(app, "service", service)
    poller = S3EventPoller(sqs_client=sqs, queue_url=queue, handler=app.lambda_handler)
    poller.drain()  # S3's s3:TestEvent, sent when the notification was set
    # moto stamps LastModified with the real time, as S3 does: slots are handed out then.
    clock.set(datetime.now(UTC).replace(microsecond=0))
    yield Rig(s3, sqs, queue, poller, app, clock, UploadStore())


def test_a_photo_comes_out_clean_tagged_and_without_its_gps(rig: Rig) -> None:
    upload = rig.slot()
    rig.send(upload, files.jpeg_with_gps(300, 200, orientation=6))
    assert rig.poller.drain() == 1
    checked = rig.verdict(upload)
    assert checked.status is UploadStatus.CLEAN
    assert (checked.content_type, checked.width, checked.height) == ("image/jpeg", 200, 300)
    assert checked.checked_at == rig.clock.now()
    stored = rig.s3.get_object(Bucket=BUCKET, Key=clean_key(upload.upload_id))
    body = stored["Body"].read()
    assert stored["ContentType"] == "image/jpeg" and checked.size == len(body)
    assert rig.tags(clean_key(upload.upload_id)) == {"pendopo-upload": "unclaimed"}
    assert not Image.open(io.BytesIO(body)).getexif()
    # The file as sent is gone for good: no version of it is left.
    assert rig.keys() == [clean_key(upload.upload_id)]
    assert rig.versions(incoming_key(upload.upload_id)) == []
    assert rig.poller.dead_letters == []


def test_a_refused_file_stores_nothing(rig: Rig) -> None:
    upload = rig.slot()
    rig.send(upload, files.elf_executable())
    rig.poller.drain()
    checked = rig.verdict(upload)
    assert (checked.status, checked.refusal) == (UploadStatus.REFUSED, Refusal.UNKNOWN_TYPE)
    assert checked.public_status() == {"status": "refused", "reason": Refusal.UNKNOWN_TYPE.message}
    assert rig.keys() == []


@pytest.mark.parametrize(
    ("content_type", "body", "refusal"),
    [
        ("application/pdf", files.pdf_with_javascript(), Refusal.ACTIVE_PDF),
        ("image/jpeg", files.jpeg() + files.a_zip(), Refusal.POLYGLOT),
        ("image/jpeg", files.noisy_jpeg(300, 200)[:-400], Refusal.DAMAGED_IMAGE),
        ("image/png", files.jpeg(), Refusal.TYPE_MISMATCH),
        ("application/pdf", b"", Refusal.EMPTY),
    ],
)
def test_each_refusal_is_recorded(
    rig: Rig, content_type: str, body: bytes, refusal: Refusal
) -> None:
    upload = rig.slot(content_type)
    rig.send(upload, body)
    rig.poller.drain()
    assert rig.verdict(upload).refusal is refusal
    assert rig.keys() == []


def test_an_11_mb_file_is_refused_without_being_read(rig: Rig) -> None:
    upload = rig.slot()
    rig.send(upload, files.jpeg() + bytes(MAX_UPLOAD_BYTES + 1024 * 1024))
    rig.poller.drain()
    assert rig.verdict(upload).refusal is Refusal.TOO_LARGE
    assert rig.keys() == []


def test_a_file_stored_after_the_slot_closed_is_refused(rig: Rig) -> None:
    # The slot was handed out 15 minutes plus the grace and a second before S3 stored
    # the object (moto stamps LastModified with the real time).
    rig.clock.set(rig.clock.now().replace(year=2020))
    upload = rig.slot()
    rig.send(upload, files.jpeg())
    rig.poller.drain()
    assert rig.verdict(upload).refusal is Refusal.EXPIRED
    assert rig.keys() == []


def test_a_clean_pdf_is_kept_byte_for_byte(rig: Rig) -> None:
    upload = rig.slot("application/pdf", "surat.pdf")
    pdf = files.clean_pdf()
    rig.send(upload, pdf)
    rig.poller.drain()
    assert rig.verdict(upload).status is UploadStatus.CLEAN
    stored = rig.s3.get_object(Bucket=BUCKET, Key=clean_key(upload.upload_id))
    assert stored["Body"].read() == pdf and stored["ContentType"] == "application/pdf"


def test_an_event_delivered_twice_gives_one_verdict(rig: Rig) -> None:
    upload = rig.slot()
    rig.send(upload, files.jpeg())
    event = rig.next_event()
    first = rig.invoke(event)
    clean = rig.s3.get_object(Bucket=BUCKET, Key=clean_key(upload.upload_id))
    rig.clock.advance(timedelta(minutes=1))
    second = rig.invoke(event)
    assert (first["clean"], second["already_decided"]) == (1, 1)
    checked = rig.verdict(upload)
    assert checked.checked_at == rig.clock.now() - timedelta(minutes=1)  # the first verdict
    again = rig.s3.get_object(Bucket=BUCKET, Key=clean_key(upload.upload_id))
    assert again["VersionId"] == clean["VersionId"]  # not written again
    assert rig.keys() == [clean_key(upload.upload_id)]


def test_a_second_delivery_does_not_overwrite_a_claimed_file(rig: Rig) -> None:
    upload = rig.slot()
    rig.send(upload, files.jpeg())
    event = rig.next_event()
    rig.invoke(event)
    # A complaint claimed it: the claiming write flips the tag.
    rig.s3.put_object_tagging(
        Bucket=BUCKET,
        Key=clean_key(upload.upload_id),
        Tagging={"TagSet": [{"Key": "pendopo-upload", "Value": "claimed"}]},
    )
    rig.invoke(event)
    assert rig.tags(clean_key(upload.upload_id)) == {"pendopo-upload": "claimed"}


@pytest.mark.parametrize("killed_at", ["PutObject", "UpdateItem", "DeleteObject"])
def test_a_checker_killed_mid_file_converges_on_the_retry(
    rig: Rig, monkeypatch: pytest.MonkeyPatch, killed_at: str
) -> None:
    """Lambda ends the invocation right after S3/DynamoDB applied a call (its timeout);
    the asynchronous invocation's retry gives the one verdict and cleans up."""
    upload = rig.slot()
    rig.send(upload, files.jpeg_with_gps())
    event = rig.next_event()
    faults = install(monkeypatch)
    service = "dynamodb" if killed_at == "UpdateItem" else "s3"
    faults.fail(service, killed_at, "kill_after")
    with pytest.raises(LambdaTimeout):
        rig.invoke(event)
    faults.heal()
    rig.invoke(event)  # Lambda's retry of the same event
    checked = rig.verdict(upload)
    assert checked.status is UploadStatus.CLEAN
    stored = rig.s3.get_object(Bucket=BUCKET, Key=clean_key(upload.upload_id))
    assert checked.size == len(stored["Body"].read())
    assert rig.tags(clean_key(upload.upload_id)) == {"pendopo-upload": "unclaimed"}
    assert rig.keys() == [clean_key(upload.upload_id)]
    assert rig.versions(incoming_key(upload.upload_id)) == []
    assert len(rig.versions(clean_key(upload.upload_id))) == 1  # written once


def test_an_error_is_retried_by_the_local_invoker_then_dead_lettered(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.faults import dynamodb_error

    upload = rig.slot()
    rig.send(upload, files.jpeg())
    faults = install(monkeypatch)
    faults.refuse("dynamodb", "UpdateItem", dynamodb_error("InternalServerError", 500), times=None)
    rig.poller.drain()
    assert rig.poller.invocations == 3 and len(rig.poller.dead_letters) == 1
    assert rig.verdict(upload).status is UploadStatus.CHECKING
    faults.heal()
    # The file as sent is still there: a re-drive of the dead letter decides it.
    rig.invoke(rig.poller.dead_letters[0])
    assert rig.verdict(upload).status is UploadStatus.CLEAN


def test_keys_that_are_no_uploads_are_skipped(rig: Rig) -> None:
    rig.s3.put_object(Bucket=BUCKET, Key="uploads/incoming/not-an-id", Body=b"x")
    rig.s3.put_object(Bucket=BUCKET, Key=incoming_key("a" * 32), Body=files.jpeg())  # no item
    rig.s3.put_object(Bucket=BUCKET, Key="recaps/2025-06/x.csv", Body=b"x")  # not notified
    assert rig.poller.drain() == 2
    assert rig.poller.dead_letters == []
    assert sorted(rig.keys("uploads/")) == [incoming_key("a" * 32), "uploads/incoming/not-an-id"]

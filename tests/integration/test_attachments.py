"""Attaching uploads (issue #17) on moto: a complaint, a walk-in, a follow-up and a
reporter's addition claim clean uploads in their one transaction; what is refused, per
file, with nothing written; who sees which file; the verifier's internal marking; the
claimed tag flipped from the table's stream."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests

from pendopo.domain.uploads import UploadOwner, clean_key
from pendopo.services.intake import IntakeService
from pendopo.services.workflow import WorkflowService
from pendopo.storage.complaints import ComplaintStore
from pendopo.storage.files import UploadFiles
from pendopo.storage.uploads import UploadStore
from tests.support.citizen import complaint_body, track
from tests.support.handlers import Answer, call, officer_claims
from tests.support.officers import PLH_COORDINATOR, PLH_OFFICER, VERIFIER, detail, take
from tests.support.uploads import FILES_BUCKET, JPEG, PDF, REGION, files_bucket, tag_of, upload

PK_COORDINATOR = officer_claims("koordinator.biro-pk@pendopo.example", "koordinator", "BIRO_PK")
RESULT = "Lampu sudah diganti oleh Dinas Bina Marga pada 11 Juni 2025."
LINK_BASE = "https://pendopo.example"


@pytest.fixture
def s3(dynamodb: Any) -> Any:
    client = boto3.client("s3", region_name=REGION)
    files_bucket(client)
    return client


@pytest.fixture
def services(intake: Any, route: Any, s3: Any, clock: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The intake and route functions with the files bucket's links (on S3's own host)."""
    files = UploadFiles(s3, FILES_BUCKET)
    monkeypatch.setattr(
        intake, "service", IntakeService(ComplaintStore(), intake.rules, clock, files=files)
    )
    monkeypatch.setattr(
        route, "service", WorkflowService(ComplaintStore(), route.taxonomy, clock, files=files)
    )
    return intake, route


def submit(intake: Any, key: str, attachments: list[str], **overrides: Any) -> Answer:
    body = complaint_body(category="STREET_LIGHTING", attachments=attachments, **overrides)
    return call(intake, "POST", "/v1/complaints", headers={"Idempotency-Key": key}, json=body)


def walk_in(intake: Any, key: str, attachments: list[str], claims: dict[str, str]) -> Answer:
    body = complaint_body(category="STREET_LIGHTING", attachments=attachments)
    body.pop("channel")
    return call(
        intake,
        "POST",
        "/v1/officer/complaints",
        headers={"Idempotency-Key": key},
        json=body,
        claims=claims,
    )


def kinds(dynamodb: Any) -> dict[str, int]:
    """How many items of each kind the table holds (test-only scan)."""
    counted: dict[str, int] = {}
    for item in dynamodb.scan(TableName="pendopo-test-complaints")["Items"]:
        kind = item["kind"]["S"]
        counted[kind] = counted.get(kind, 0) + 1
    return counted


def claimed_by(upload_id: str) -> str | None:
    found = UploadStore().get(upload_id)
    assert found is not None
    return found.claimed_by


def to_disposition(route: Any, ticket: str) -> None:
    for segment, claims, body in [
        ("verify", VERIFIER, {}),
        ("disposition", PLH_COORDINATOR, {"agency": "BINA_MARGA"}),
    ]:
        assert take(route, ticket, segment, claims, body).status == 200, segment


# --------------------------------------------------------------------- claiming


def test_a_complaint_claims_its_uploads_and_officers_see_them(services, s3, clock, dynamodb):
    intake, route = services
    # Given a citizen's photo and PDF, both checked clean
    photo = upload(clock.now(), filename="jalan rusak.jpg", s3=s3)
    letter = upload(clock.now(), filename="surat.pdf", content_type="application/pdf", s3=s3)
    # When the complaint references both
    answer = submit(intake, "key-files-0001", [photo.upload_id, letter.upload_id])
    # Then it is created, and each upload now belongs to it
    assert answer.status == 201, answer.body
    ticket = answer.body["ticket"]
    assert claimed_by(photo.upload_id) == claimed_by(letter.upload_id) == ticket
    # And the unit's coordinator sees both files, with links valid 5 minutes
    shown = detail(route, ticket, PLH_COORDINATOR).body
    files = {f["filename"]: f for f in shown["files"]}
    assert set(files) == {"jalan rusak.jpg", "surat.pdf"}
    assert files["surat.pdf"]["content_type"] == "application/pdf"
    assert files["jalan rusak.jpg"]["source"]["code"] == "complaint"
    assert files["jalan rusak.jpg"]["role"] == "pelapor"
    assert not any(f["internal"] for f in files.values())
    query = parse_qs(urlsplit(files["jalan rusak.jpg"]["url"]).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert query["response-content-type"] == ["image/jpeg"]
    assert query["response-content-disposition"][0].startswith('inline; filename="jalan rusak.jpg"')
    pdf_query = parse_qs(urlsplit(files["surat.pdf"]["url"]).query)
    assert pdf_query["response-content-disposition"][0].startswith("attachment;")
    # And the links fetch the clean copies, as checked
    got = requests.get(files["surat.pdf"]["url"], timeout=5)
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert requests.get(files["jalan rusak.jpg"]["url"], timeout=5).content == JPEG
    # And the submit's audit event names the uploads it claimed
    submit_event = shown["events"][0]
    assert submit_event["attachments"] == [photo.upload_id, letter.upload_id]


def test_a_link_is_served_from_the_files_link_base(s3, clock, dynamodb):
    photo = upload(clock.now(), s3=s3)
    from pendopo.domain.status import Role
    from pendopo.domain.uploads import FileSource, file_of

    link = UploadFiles(s3, FILES_BUCKET, LINK_BASE + "/").view_link(
        file_of(photo, FileSource.COMPLAINT, Role.CITIZEN, clock.now())
    )
    parts = urlsplit(link)
    # Only scheme and host change: the path and the signed query are the bucket's.
    assert f"{parts.scheme}://{parts.netloc}" == LINK_BASE
    assert parts.path.endswith(clean_key(photo.upload_id))
    assert "X-Amz-Signature" in parse_qs(parts.query)


def test_a_retried_complaint_with_attachments_replays(services, s3, clock, dynamodb):
    intake, _ = services
    photo = upload(clock.now(), s3=s3)
    first = submit(intake, "key-files-0002", [photo.upload_id])
    assert first.status == 201, first.body
    # When the kiosk retries with the same key (its answer was lost)
    again = submit(intake, "key-files-0002", [photo.upload_id])
    # Then it gets the first answer, not a refusal of its (now claimed) upload
    assert again.status == 201, again.body
    assert again.body["ticket"] == first.body["ticket"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert kinds(dynamodb)["complaint"] == 1


def test_a_walk_in_claims_the_officers_upload(services, s3, clock, dynamodb):
    intake, route = services
    scan = upload(
        clock.now(),
        UploadOwner.OFFICER,
        "ktp-dan-surat.pdf",
        "application/pdf",
        s3=s3,
        officer="petugas.biro-plh@pendopo.example",
    )
    answer = walk_in(intake, "key-files-walk-0001", [scan.upload_id], PLH_OFFICER)
    assert answer.status == 201, answer.body
    files = detail(route, answer.body["ticket"], PLH_COORDINATOR).body["files"]
    assert [(f["upload_id"], f["role"]) for f in files] == [(scan.upload_id, "petugas")]


def test_an_officers_upload_referenced_by_a_citizen_is_422(services, s3, clock, dynamodb):
    intake, _ = services
    scan = upload(clock.now(), UploadOwner.OFFICER, s3=s3)
    answer = submit(intake, "key-files-0003", [scan.upload_id])
    assert answer.status == 422, answer.body
    assert answer.body["errors"] == [
        {
            "field": "attachments",
            "upload_id": scan.upload_id,
            "message": f"Lampiran {scan.upload_id} tidak ditemukan atau sudah kedaluwarsa.",
        }
    ]
    assert kinds(dynamodb) == {"upload": 1}
    assert claimed_by(scan.upload_id) is None


def test_a_citizens_upload_referenced_at_the_desk_is_422(services, s3, clock, dynamodb):
    intake, _ = services
    photo = upload(clock.now(), s3=s3)
    answer = walk_in(intake, "key-files-walk-0002", [photo.upload_id], PLH_OFFICER)
    assert answer.status == 422, answer.body
    assert claimed_by(photo.upload_id) is None


def test_each_unusable_upload_is_named_and_nothing_is_written(services, s3, clock, dynamodb):
    intake, _ = services
    now = clock.now()
    good = upload(now, filename="baik.jpg", s3=s3)
    checking = upload(now, filename="masih.jpg", state="checking")
    refused = upload(now, filename="aktif.pdf", content_type="application/pdf", state="refused")
    stale = upload(now - timedelta(days=3), filename="lama.jpg", s3=s3)
    taken = upload(now, filename="dipakai.jpg", s3=s3)
    assert submit(intake, "key-files-0004", [taken.upload_id]).status == 201
    before = kinds(dynamodb)
    missing = "d" * 32
    ids = [
        good.upload_id,
        checking.upload_id,
        refused.upload_id,
        stale.upload_id,
        taken.upload_id,
        missing,
    ][:5]
    # Five at most per body: the sixth (missing) gets its own request.
    answer = submit(intake, "key-files-0005", ids)
    assert answer.status == 422, answer.body
    messages = {e["upload_id"]: e["message"] for e in answer.body["errors"]}
    assert messages == {
        checking.upload_id: "Lampiran masih.jpg masih diperiksa; tunggu sebentar lalu kirim lagi.",
        refused.upload_id: (
            "Lampiran aktif.pdf ditolak: Dokumen PDF berisi skrip, tindakan otomatis, atau "
            "berkas sisipan; cetak ulang sebagai PDF biasa lalu kirim lagi."
        ),
        stale.upload_id: f"Lampiran {stale.upload_id} tidak ditemukan atau sudah kedaluwarsa.",
        taken.upload_id: "Lampiran dipakai.jpg sudah dipakai di pengaduan lain.",
    }
    missing_answer = submit(intake, "key-files-0006", [good.upload_id, missing])
    assert [e["upload_id"] for e in missing_answer.body["errors"]] == [missing]
    # And nothing was written or claimed
    assert kinds(dynamodb) == before
    assert claimed_by(good.upload_id) is None


def test_six_uploads_are_422(services, s3, clock, dynamodb):
    intake, _ = services
    ids = [upload(clock.now(), s3=s3).upload_id for _ in range(6)]
    answer = submit(intake, "key-files-0007", ids)
    assert answer.status == 422
    assert answer.body["errors"][0]["message"] == "Terlalu banyak: maksimal 5."
    assert not any(claimed_by(i) for i in ids)


# ------------------------------------------------------------------------ races


def _read_before_the_other_write(monkeypatch: pytest.MonkeyPatch, stale: dict[str, Any]) -> None:
    """The next batch read answers what it would have read just before another complaint
    claimed the uploads: both writes passed their checks, one transaction must lose."""
    monkeypatch.setattr(UploadStore, "get_many", lambda self, ids: stale)


def test_two_complaints_race_for_one_upload_and_one_wins(
    services, s3, clock, dynamodb, monkeypatch
):
    intake, _ = services
    photo = upload(clock.now(), filename="sama.jpg", s3=s3)
    stale = UploadStore().get_many([photo.upload_id])
    first = submit(intake, "key-race-0001", [photo.upload_id])
    assert first.status == 201
    before = kinds(dynamodb)
    _read_before_the_other_write(monkeypatch, stale)
    second = submit(intake, "key-race-0002", [photo.upload_id])
    # Then the loser's transaction was cancelled on the claim: a 422 naming the file
    assert second.status == 422, second.body
    assert second.body["errors"] == [
        {
            "field": "attachments",
            "upload_id": photo.upload_id,
            "message": "Lampiran sama.jpg sudah dipakai di pengaduan lain.",
        }
    ]
    # And nothing of it was written: no complaint, no event, no idempotency record
    assert kinds(dynamodb) == before
    assert claimed_by(photo.upload_id) == first.body["ticket"]


def test_a_follow_up_losing_the_race_for_its_proof_is_422(
    services, s3, clock, dynamodb, monkeypatch
):
    intake, route = services
    a = submit(intake, "key-race-0003", []).body["ticket"]
    b = submit(intake, "key-race-0004", []).body["ticket"]
    for ticket in (a, b):
        to_disposition(route, ticket)
    proof = upload(clock.now(), UploadOwner.OFFICER, s3=s3)
    stale = UploadStore().get_many([proof.upload_id])
    body = {"result": RESULT, "attachments": [proof.upload_id]}
    assert take(route, a, "follow-up", PLH_COORDINATOR, body).status == 200
    _read_before_the_other_write(monkeypatch, stale)
    lost = take(route, b, "follow-up", PLH_COORDINATOR, body)
    assert lost.status == 422, lost.body
    assert lost.body["errors"][0]["upload_id"] == proof.upload_id
    shown = detail(route, b).body
    assert (shown["status"]["code"], shown["version"], shown["files"]) == ("disposition", 3, [])


# ------------------------------------------------------- follow-up, update, tracking


def test_tracking_shows_the_proof_photo_only_once_validated(services, s3, clock, dynamodb):
    intake, route = services
    own = upload(clock.now(), filename="foto-saya.jpg", s3=s3)
    receipt = submit(intake, "key-proof-0001", [own.upload_id]).body
    ticket, code = receipt["ticket"], receipt["tracking_code"]
    to_disposition(route, ticket)
    photo = upload(clock.now(), UploadOwner.OFFICER, "bukti.jpg", s3=s3)
    report = upload(clock.now(), UploadOwner.OFFICER, "berita-acara.pdf", "application/pdf", s3=s3)
    body = {"result": RESULT, "attachments": [photo.upload_id, report.upload_id]}
    assert take(route, ticket, "follow-up", PLH_COORDINATOR, body).status == 200
    # Before the verifier accepts, the tracking page shows no file
    assert track(intake, ticket, code).body["files"] == []
    assert take(route, ticket, "accept", VERIFIER, {}).status == 200
    # After: only the proof photo (not the PDF, not the citizen's own photo)
    shown = track(intake, ticket, code).body["files"]
    assert [(f["upload_id"], f["filename"]) for f in shown] == [(photo.upload_id, "bukti.jpg")]
    assert requests.get(shown[0]["url"], timeout=5).content == JPEG
    # And the officers see all three, by source
    files = detail(route, ticket).body["files"]
    assert [(f["filename"], f["source"]["code"], f["role"]) for f in files] == [
        ("foto-saya.jpg", "complaint", "pelapor"),
        ("bukti.jpg", "follow_up", "koordinator"),
        ("berita-acara.pdf", "follow_up", "koordinator"),
    ]


def test_a_returned_results_proof_is_not_shown_after_a_new_result(services, s3, clock, dynamodb):
    intake, route = services
    receipt = submit(intake, "key-proof-0002", []).body
    ticket, code = receipt["ticket"], receipt["tracking_code"]
    to_disposition(route, ticket)
    old = upload(clock.now(), UploadOwner.OFFICER, "salah.jpg", s3=s3)
    new = upload(clock.now(), UploadOwner.OFFICER, "benar.jpg", s3=s3)
    first = {"result": RESULT, "attachments": [old.upload_id]}
    assert take(route, ticket, "follow-up", PLH_COORDINATOR, first).status == 200
    assert take(route, ticket, "return", VERIFIER, {"reason": "Foto bukan lokasi."}).status == 200
    second = {"result": RESULT, "attachments": [new.upload_id]}
    assert take(route, ticket, "follow-up", PLH_COORDINATOR, second).status == 200
    assert take(route, ticket, "accept", VERIFIER, {}).status == 200
    assert [f["filename"] for f in track(intake, ticket, code).body["files"]] == ["benar.jpg"]


def test_a_reporter_update_claims_its_uploads(services, s3, clock, dynamodb):
    intake, route = services
    receipt = submit(intake, "key-update-0001", []).body
    ticket, code = receipt["ticket"], receipt["tracking_code"]
    photo = upload(clock.now(), filename="tambahan.jpg", s3=s3)
    answer = call(
        intake,
        "POST",
        f"/v1/complaints/{ticket}/updates",
        headers={"X-Tracking-Code": code},
        json={"text": "Foto terbaru lampu yang mati.", "attachments": [photo.upload_id]},
    )
    assert answer.status == 201, answer.body
    assert claimed_by(photo.upload_id) == ticket
    files = detail(route, ticket).body["files"]
    assert [(f["source"]["code"], f["role"]) for f in files] == [("update", "pelapor")]
    # An officer's upload is not the reporter's to attach
    scan = upload(clock.now(), UploadOwner.OFFICER, s3=s3)
    refused = call(
        intake,
        "POST",
        f"/v1/complaints/{ticket}/updates",
        headers={"X-Tracking-Code": code},
        json={"text": "Satu foto lagi dari saya.", "attachments": [scan.upload_id]},
    )
    assert refused.status == 422
    assert len(detail(route, ticket).body["files"]) == 1


def test_an_update_with_uploads_on_a_done_complaint_reads_no_upload(
    services, s3, clock, dynamodb, monkeypatch
):
    intake, route = services
    receipt = submit(intake, "key-update-0002", []).body
    ticket, code = receipt["ticket"], receipt["tracking_code"]
    to_disposition(route, ticket)
    assert take(route, ticket, "follow-up", PLH_COORDINATOR, {"result": RESULT}).status == 200
    assert take(route, ticket, "accept", VERIFIER, {}).status == 200
    photo = upload(clock.now(), s3=s3)

    def no_read(self: Any, ids: Any) -> Any:
        raise AssertionError("the step's own refusal comes before any upload is read")

    monkeypatch.setattr(UploadStore, "get_many", no_read)
    answer = call(
        intake,
        "POST",
        f"/v1/complaints/{ticket}/updates",
        headers={"X-Tracking-Code": code},
        json={"text": "Masih mati lampunya.", "attachments": [photo.upload_id]},
    )
    assert answer.status == 409


# ----------------------------------------------------------------- internal marking


def _visibility(route: Any, ticket: str, upload_id: str, internal: bool, claims: Any) -> Answer:
    version = detail(route, ticket).body["version"]
    return call(
        route,
        "POST",
        f"/v1/officer/complaints/{ticket}/files/{upload_id}/visibility",
        claims=claims,
        headers={"If-Match": f'"{version}"'},
        json={"internal": internal, "note": "Wajah warga terlihat jelas."},
    )


def test_the_verifier_marks_a_proof_photo_internal_and_back(services, s3, clock, dynamodb):
    intake, route = services
    receipt = submit(intake, "key-internal-0001", []).body
    ticket, code = receipt["ticket"], receipt["tracking_code"]
    to_disposition(route, ticket)
    photo = upload(clock.now(), UploadOwner.OFFICER, "bukti.jpg", s3=s3)
    body = {"result": RESULT, "attachments": [photo.upload_id]}
    assert take(route, ticket, "follow-up", PLH_COORDINATOR, body).status == 200
    assert take(route, ticket, "accept", VERIFIER, {}).status == 200
    assert len(track(intake, ticket, code).body["files"]) == 1
    # A coordinator may not; the verifier may
    assert _visibility(route, ticket, photo.upload_id, True, PLH_COORDINATOR).status == 403
    marked = _visibility(route, ticket, photo.upload_id, True, VERIFIER)
    assert marked.status == 200, marked.body
    assert marked.body["event"]["action"]["code"] == "file_visibility"
    assert track(intake, ticket, code).body["files"] == []
    shown = detail(route, ticket).body
    assert shown["files"][0]["internal"] is True
    last = shown["events"][-1]
    assert (last["action"]["code"], last["role"]) == ("file_visibility", "verifikator")
    assert last["note"].startswith("Berkas bukti.jpg ditandai internal.")
    # Not a step of the public timeline
    timeline = track(intake, ticket, code).body["timeline"]
    assert all("berkas" not in step["description"].lower() for step in timeline)
    # The same again is a 409; public again shows it again
    assert _visibility(route, ticket, photo.upload_id, True, VERIFIER).status == 409
    assert _visibility(route, ticket, photo.upload_id, False, VERIFIER).status == 200
    assert len(track(intake, ticket, code).body["files"]) == 1
    # An id the complaint has no file of is a 404
    assert _visibility(route, ticket, "e" * 32, True, VERIFIER).status == 404


# ------------------------------------------------------------- the claimed tag


def test_the_stream_tags_claimed_copies_claimed(services, s3, clock, dynamodb, monkeypatch):
    from tests.support.notify_stream import attached_poller, invoke, read_records, verified_ses

    intake, _ = services
    verified_ses()
    stream = attached_poller(dynamodb)
    photo = upload(clock.now(), s3=s3)
    other = upload(clock.now(), s3=s3)
    assert submit(intake, "key-tag-0001", [photo.upload_id]).status == 201
    assert tag_of(s3, photo.upload_id) == "unclaimed"  # nothing in the request tags it
    from functions.notify import app
    from tests.support.notify_stream import notify_settings

    settings = notify_settings().model_copy(update={"files_bucket": FILES_BUCKET})
    monkeypatch.setattr(app, "service", app.build_service(settings, clock=clock, s3_client=s3))
    records = read_records(stream)
    result = invoke(app, records, stream)
    assert result == {"batchItemFailures": []}
    assert tag_of(s3, photo.upload_id) == "claimed"
    assert tag_of(s3, other.upload_id) == "unclaimed"
    # Delivered again (at least once), it tags again and changes nothing
    assert invoke(app, records, stream) == {"batchItemFailures": []}
    assert tag_of(s3, photo.upload_id) == "claimed"

"""A complaint's files, pure: attaching claimed uploads, what the public page shows,
the verifier's internal marking, and how a link names the file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pendopo.domain.attachments import (
    FileNotFound,
    FileVisibilityCommand,
    VisibilityUnchanged,
    attach,
    public_files,
    set_file_visibility,
)
from pendopo.domain.complaint import Complaint
from pendopo.domain.status import Action, Role, Status
from pendopo.domain.uploads import (
    ComplaintFile,
    FileSource,
    Upload,
    UploadOwner,
    UploadRequest,
    UploadStatus,
    content_disposition,
    file_of,
    new_upload,
)
from pendopo.domain.workflow import Change, FollowUpCommand, Forbidden, NoteCommand, act
from tests.support.workflow_domain import (
    COORDINATOR,
    T0,
    TAXONOMY,
    VERIFIER,
    in_progress,
    waiting,
)


def clean(name: str = "foto.jpg", content_type: str = "image/jpeg") -> Upload:
    request = UploadRequest(filename=name, content_type=content_type, size=100)  # type: ignore[arg-type]
    upload = new_upload(request, UploadOwner.OFFICER, T0)
    from dataclasses import replace

    return replace(upload, status=UploadStatus.CLEAN, content_type=content_type, size=80)


def with_result(uploads: list[Upload], accepted: bool) -> Complaint:
    """A complaint whose result carries ``uploads`` as proof, accepted or awaiting."""
    complaint = in_progress()
    at = complaint.timeline[-1].at + timedelta(minutes=10)
    command = FollowUpCommand(
        result="Sampah sudah diangkut oleh dinas.", attachments=[u.upload_id for u in uploads]
    )
    change = act(
        complaint, COORDINATOR, Action.SUBMIT_FOLLOW_UP, command, now=at, taxonomy=TAXONOMY
    )
    complaint = attach(change, uploads, FileSource.FOLLOW_UP, Role.COORDINATOR).complaint
    if accepted:
        later = at + timedelta(minutes=10)
        complaint = act(
            complaint,
            VERIFIER,
            Action.ACCEPT_FOLLOW_UP,
            NoteCommand(),
            now=later,
            taxonomy=TAXONOMY,
        ).complaint
    return complaint


def test_attaching_adds_files_and_names_them_on_the_event():
    complaint = waiting()
    photo, letter = clean(), clean("surat.pdf", "application/pdf")
    change = Change(complaint, _event_of(complaint))
    attached = attach(change, [photo, letter], FileSource.COMPLAINT, Role.CITIZEN)
    assert [f.upload_id for f in attached.complaint.files] == [photo.upload_id, letter.upload_id]
    assert attached.complaint.files[0].content_type == "image/jpeg"  # as checked
    assert attached.complaint.files[0].size == 80  # the clean copy's size
    assert attached.complaint.files[1].role is Role.CITIZEN
    assert attached.event.attachments == (photo.upload_id, letter.upload_id)
    assert attach(change, [], FileSource.COMPLAINT, Role.CITIZEN) is change


def _event_of(complaint: Complaint):  # type: ignore[no-untyped-def]
    from pendopo.domain.complaint import AuditEvent

    return AuditEvent(
        ticket=complaint.ticket,
        at=T0,
        actor="pelapor",
        role=Role.CITIZEN,
        action=Action.SUBMIT,
        from_status=None,
        to_status=Status.WAITING,
        unit=complaint.unit,
    )


def test_the_public_sees_proof_photos_only_once_the_result_is_validated():
    photo, pdf = clean(), clean("berita-acara.pdf", "application/pdf")
    assert public_files(with_result([photo, pdf], accepted=False)) == []
    shown = public_files(with_result([photo, pdf], accepted=True))
    assert [f.upload_id for f in shown] == [photo.upload_id]


def test_the_reporters_own_files_are_never_public():
    complaint = with_result([], accepted=True)
    own = file_of(clean(), FileSource.COMPLAINT, Role.CITIZEN, T0)
    update = file_of(clean(), FileSource.UPDATE, Role.CITIZEN, T0)
    complaint = complaint.model_copy(update={"files": (own, update)})
    assert public_files(complaint) == []


def test_an_internal_proof_photo_is_not_public():
    photo = clean()
    complaint = with_result([photo], accepted=True)
    marked = set_file_visibility(
        complaint, VERIFIER, photo.upload_id, FileVisibilityCommand(internal=True), now=T0
    )
    assert public_files(marked.complaint) == []
    assert marked.complaint.version == complaint.version + 1
    assert marked.complaint.timeline == complaint.timeline  # no public step
    assert marked.event.action is Action.FILE_VISIBILITY
    assert marked.event.from_status is marked.event.to_status is Status.DONE
    assert marked.event.note == "Berkas foto.jpg ditandai internal."


def test_only_a_verifier_marks_files():
    photo = clean()
    complaint = with_result([photo], accepted=True)
    with pytest.raises(Forbidden):
        set_file_visibility(
            complaint, COORDINATOR, photo.upload_id, FileVisibilityCommand(internal=True), now=T0
        )
    with pytest.raises(FileNotFound):
        set_file_visibility(
            complaint, VERIFIER, "f" * 32, FileVisibilityCommand(internal=True), now=T0
        )
    with pytest.raises(VisibilityUnchanged):
        set_file_visibility(
            complaint, VERIFIER, photo.upload_id, FileVisibilityCommand(internal=False), now=T0
        )


@pytest.mark.parametrize(
    "name, content_type, expected",
    [
        ("foto.jpg", "image/jpeg", "inline; filename=\"foto.jpg\"; filename*=UTF-8''foto.jpg"),
        (
            "surat kuasa.pdf",
            "application/pdf",
            "attachment; filename=\"surat kuasa.pdf\"; filename*=UTF-8''surat%20kuasa.pdf",
        ),
        (
            "jalan-rusak-é.png",
            "image/png",
            "inline; filename=\"jalan-rusak-_.png\"; filename*=UTF-8''jalan-rusak-%C3%A9.png",
        ),
        (
            'laporan "final";v2.pdf',
            "application/pdf",
            'attachment; filename="laporan final;v2.pdf"; '
            "filename*=UTF-8''laporan%20final%3Bv2.pdf",
        ),
        (
            "..\\..\\c.pdf",
            "application/pdf",
            "attachment; filename=\"c.pdf\"; filename*=UTF-8''c.pdf",
        ),
    ],
)
def test_a_link_names_the_file_safely(name, content_type, expected):
    file = ComplaintFile(
        upload_id="a" * 32,
        filename=name,
        content_type=content_type,
        size=1,
        source=FileSource.COMPLAINT,
        role=Role.CITIZEN,
        at=T0,
    )
    assert content_disposition(file) == expected

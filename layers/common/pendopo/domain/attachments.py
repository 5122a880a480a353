"""A complaint's files: attaching claimed uploads to a write, who sees which, and the
verifier's internal marking. Pure, like ``workflow.act``.

A write that references uploads (the complaint itself, a follow-up result, a reporter's
addition) adds one ``ComplaintFile`` per upload to the complaint and names the upload
ids on its audit event; storage claims the uploads in the same transaction.

Who sees a file:
- every officer who may read the complaint sees all its files (``internal`` flagged);
- the reporter's tracking page shows only the officers' follow-up proof **images** of
  the result that was validated (status Selesai), never a file marked internal, never
  the reporter's own uploads (``public_files``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from http import HTTPStatus

from pydantic import Field

from pendopo.domain.complaint import AuditEvent, Complaint, StrictModel
from pendopo.domain.errors import PendopoError
from pendopo.domain.officer import Officer
from pendopo.domain.status import Action, Role, Status
from pendopo.domain.uploads import ComplaintFile, FileSource, Upload, file_of
from pendopo.domain.workflow import Change, Forbidden, Note, to_the_millisecond


def attach(change: Change, uploads: Sequence[Upload], source: FileSource, role: Role) -> Change:
    """The change with the claimed uploads as the complaint's files, named on its event."""
    if not uploads:
        return change
    at = change.event.at
    files = tuple(file_of(upload, source, role, at) for upload in uploads)
    complaint = change.complaint.model_copy(update={"files": (*change.complaint.files, *files)})
    event = change.event.model_copy(
        update={"attachments": tuple(upload.upload_id for upload in uploads)}
    )
    return Change(complaint=complaint, event=event)


def public_files(complaint: Complaint) -> list[ComplaintFile]:
    """What the reporter's tracking page shows: the validated result's proof images."""
    follow_up = complaint.follow_up
    if complaint.status is not Status.DONE or follow_up is None:
        return []
    proof = set(follow_up.attachments)
    return [
        file
        for file in complaint.files
        if file.upload_id in proof
        and file.source is FileSource.FOLLOW_UP
        and file.role is not Role.CITIZEN
        and file.is_image
        and not file.internal
    ]


class FileNotFound(PendopoError):
    """No file with this id on the complaint (HTTP 404)."""

    status = HTTPStatus.NOT_FOUND
    message = "Berkas tidak ditemukan pada pengaduan ini."


class VisibilityUnchanged(PendopoError):
    """The file already has the asked visibility (HTTP 409)."""

    status = HTTPStatus.CONFLICT

    def __init__(self, internal: bool) -> None:
        self.message = (
            "Berkas ini sudah ditandai internal."
            if internal
            else "Berkas ini sudah dapat ditampilkan untuk publik."
        )
        super().__init__(self.message)


class FileVisibilityCommand(StrictModel):
    internal: bool = Field(
        description="true: berkas internal (tidak pernah tampil di halaman lacak pelapor); "
        "false: boleh tampil bila berkas itu foto bukti tindak lanjut yang sudah divalidasi"
    )
    note: Note | None = Field(default=None, description="Catatan (opsional), di jejak audit")


def set_file_visibility(
    complaint: Complaint,
    officer: Officer,
    upload_id: str,
    command: FileVisibilityCommand,
    *,
    now: datetime,
) -> Change:
    """A verifier marks one file internal, or public again: version + 1 and an audit event.

    No timeline step: the timeline is public, and this is an internal decision.
    """
    if officer.role is not Role.VERIFIER:
        raise Forbidden("Hanya verifikator yang dapat menandai berkas sebagai internal.")
    found = next((f for f in complaint.files if f.upload_id == upload_id), None)
    if found is None:
        raise FileNotFound
    if found.internal == command.internal:
        raise VisibilityUnchanged(command.internal)
    at = to_the_millisecond(now)
    files = tuple(
        f.model_copy(update={"internal": command.internal}) if f.upload_id == upload_id else f
        for f in complaint.files
    )
    version = complaint.version + 1
    what = "ditandai internal" if command.internal else "boleh ditampilkan untuk publik"
    note = f"Berkas {found.filename} {what}."
    if command.note:
        note = f"{note}\n{command.note}"
    changed = complaint.model_copy(update={"files": files, "version": version})
    event = AuditEvent(
        ticket=complaint.ticket,
        at=at,
        actor=officer.actor,
        role=officer.role,
        action=Action.FILE_VISIBILITY,
        from_status=complaint.status,
        to_status=complaint.status,
        unit=complaint.unit,
        note=note,
        version=version,
    )
    return Change(complaint=changed, event=event)

"""The reporter's own steps on their complaint: additions, and the rating once Selesai.

Pure: each function takes the complaint and the request body and returns the change
(the complaint with its version bumped and a timeline step) with its audit event, as
``workflow.act`` does for officers; storage writes both in one transaction. The
reporter proves who they are with the tracking code (``services.citizen``), so these
rules only say what the complaint's state allows. A refusal is a 409 with a message
the tracking page shows as it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Annotated

from pydantic import Field

from pendopo.domain.clock import format_wib
from pendopo.domain.complaint import (
    RESOLVED_LABELS,
    AuditEvent,
    Complaint,
    Feedback,
    Resolved,
    StrictModel,
    Text,
    TimelineEntry,
)
from pendopo.domain.errors import PendopoError
from pendopo.domain.intake import CITIZEN_ACTOR
from pendopo.domain.status import Action, Role, Status
from pendopo.domain.uploads import MAX_ATTACHMENTS, UploadId
from pendopo.domain.workflow import Change, to_the_millisecond

MAX_UPDATES = 10
MAX_UPDATE_CHARS = 2000
MAX_COMMENT_CHARS = 1000
FEEDBACK_WINDOW = timedelta(days=30)


# What the reporter is told once a step is taken.
UPDATE_TAKEN = "Tambahan informasi Anda sudah diterima dan diteruskan ke unit yang menangani."


def feedback_thanks(body: FeedbackBody) -> str:
    thanks = "Terima kasih atas penilaian Anda."
    if body.resolved is Resolved.NO:
        thanks += " Verifikator Biro Pemerintahan akan memeriksa kembali pengaduan Anda."
    return thanks


class UpdateBody(StrictModel):
    """A text addition by the reporter to their open complaint."""

    text: Annotated[Text, Field(min_length=5, max_length=MAX_UPDATE_CHARS)] = Field(
        description="Tambahan informasi dari pelapor"
    )
    attachments: list[UploadId] = Field(
        default_factory=list,
        max_length=MAX_ATTACHMENTS,
        description="Lampiran: upload_id dari POST /v1/uploads (status clean); paling banyak 5",
    )


class FeedbackBody(StrictModel):
    """The reporter's rating of the result, once the complaint is Selesai."""

    rating: int = Field(ge=1, le=5, description="Penilaian 1 (buruk) sampai 5 (sangat baik)")
    resolved: Resolved = Field(description="Apakah masalahnya selesai: ya, sebagian, tidak")
    comment: Annotated[Text, Field(max_length=MAX_COMMENT_CHARS)] | None = Field(
        default=None, description="Komentar (opsional)"
    )


class NotAllowedNow(PendopoError):
    """The complaint's state refuses the reporter's step (HTTP 409), with the reason."""

    status = HTTPStatus.CONFLICT

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def updates_made(complaint: Complaint) -> int:
    return sum(1 for step in complaint.timeline if step.action is Action.REPORTER_UPDATE)


def done_at(complaint: Complaint) -> datetime | None:
    """When the complaint last became Selesai (its result accepted); None if it is not."""
    if complaint.status is not Status.DONE:
        return None
    for step in reversed(complaint.timeline):
        if step.action is Action.ACCEPT_FOLLOW_UP:
            return step.at
    return None


def feedback_deadline(complaint: Complaint) -> datetime | None:
    finished = done_at(complaint)
    return finished + FEEDBACK_WINDOW if finished else None


def may_update(complaint: Complaint) -> bool:
    return not complaint.status.is_terminal and updates_made(complaint) < MAX_UPDATES


def may_rate(complaint: Complaint, now: datetime) -> bool:
    deadline = feedback_deadline(complaint)
    return complaint.feedback is None and deadline is not None and now <= deadline


def add_update(complaint: Complaint, body: UpdateBody, *, now: datetime) -> Change:
    if complaint.status is Status.DONE:
        raise NotAllowedNow(
            "Pengaduan ini sudah selesai, jadi tidak dapat ditambah lagi. "
            "Bila masalahnya belum selesai, sampaikan melalui penilaian."
        )
    if complaint.status is Status.REJECTED:
        raise NotAllowedNow(
            "Pengaduan ini ditolak, jadi tidak dapat ditambah. Sampaikan pengaduan baru."
        )
    if updates_made(complaint) >= MAX_UPDATES:
        raise NotAllowedNow(
            f"Tambahan informasi sudah {MAX_UPDATES} kali, batas untuk satu pengaduan. "
            "Hubungi petugas di Pendopo Balai Kota bila masih ada yang perlu disampaikan."
        )
    # The text goes to the audit trail (officers, and the coordinators' email) only: like
    # the title, what a citizen types may carry names and addresses, so the public
    # tracking page shows the step and its time, never the text.
    return _change(complaint, Action.REPORTER_UPDATE, now, note=body.text)


def give_feedback(complaint: Complaint, body: FeedbackBody, *, now: datetime) -> Change:
    deadline = feedback_deadline(complaint)
    if deadline is None:
        raise NotAllowedNow("Penilaian dapat diberikan setelah pengaduan berstatus Selesai.")
    if complaint.feedback is not None:
        raise NotAllowedNow("Anda sudah memberikan penilaian untuk pengaduan ini.")
    if now > deadline:
        raise NotAllowedNow(
            "Penilaian hanya dapat diberikan dalam 30 hari setelah pengaduan selesai "
            f"(paling lambat {format_wib(deadline)})."
        )
    at = to_the_millisecond(now)
    feedback = Feedback(rating=body.rating, resolved=body.resolved, comment=body.comment, at=at)
    disputed = body.resolved is Resolved.NO
    note = f"Nilai {body.rating} dari 5; masalah selesai: {RESOLVED_LABELS[body.resolved]}."
    if body.comment:
        note = f"{note}\n{body.comment}"
    return _change(
        complaint,
        Action.FEEDBACK,
        now,
        note=note,
        fields={"feedback": feedback, "disputed": disputed},
        disputed=disputed,
    )


def _change(
    complaint: Complaint,
    action: Action,
    now: datetime,
    *,
    note: str,
    fields: dict[str, object] | None = None,
    disputed: bool = False,
) -> Change:
    at = to_the_millisecond(now)
    version = complaint.version + 1
    step = TimelineEntry(at=at, action=action, status=complaint.status)
    changed = complaint.model_copy(
        update={
            **(fields or {}),
            "version": version,
            "timeline": (*complaint.timeline, step),
        }
    )
    event = AuditEvent(
        ticket=complaint.ticket,
        at=at,
        actor=CITIZEN_ACTOR,
        role=Role.CITIZEN,
        action=action,
        from_status=complaint.status,
        to_status=complaint.status,
        unit=complaint.unit,
        note=note,
        version=version,
        disputed=disputed,
    )
    return Change(complaint=changed, event=event)

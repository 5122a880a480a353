"""What the public routes answer: receipts and tracking pages, never personal data.

These models are the response schemas of the OpenAPI document too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import Field

from pendopo.domain.attachments import public_files
from pendopo.domain.citizen import (
    MAX_UPDATES,
    feedback_deadline,
    may_rate,
    may_update,
    updates_made,
)
from pendopo.domain.clock import format_wib, wib_to_the_second
from pendopo.domain.complaint import RESOLVED_LABELS, Complaint, Resolved
from pendopo.domain.model import ViewModel
from pendopo.domain.sla import is_overdue
from pendopo.domain.status import ACTION_LABELS, Status
from pendopo.domain.taxonomy import Taxonomy
from pendopo.domain.uploads import ComplaintFile

# Signs a view link of one file (storage.files.UploadFiles.view_link); None: no link.
FileLink = Callable[[ComplaintFile], str | None]


class CodeLabel(ViewModel):
    code: str
    label: str


class UnitRef(ViewModel):
    code: str
    name: str


class PublicStep(ViewModel):
    at: datetime = Field(description="Waktu (WIB)")
    at_text: str
    status: CodeLabel
    description: str
    text: str | None = Field(
        default=None,
        description="Tambahan dari pelapor, atau alasan/catatan verifikator untuk pelapor",
    )


class PublicFile(ViewModel):
    """A follow-up proof photo, once the result is validated (never the reporter's own)."""

    upload_id: str
    filename: str
    content_type: str
    url: str | None = Field(
        description="Tautan untuk melihat foto, berlaku 5 menit (muat ulang halaman lacak "
        "untuk tautan baru)"
    )


class FeedbackView(ViewModel):
    rating: int
    resolved: CodeLabel
    at_text: str


class ReporterStepAnswer(ViewModel):
    """The answer to the reporter's addition or rating: nothing they sent is echoed."""

    ticket: str
    status: CodeLabel
    message: str
    updates_left: int = Field(description="Sisa tambahan informasi yang boleh dikirim")
    can_rate: bool = Field(description="Pelapor masih dapat memberi penilaian")


def reporter_answer(view: Tracking, message: str) -> ReporterStepAnswer:
    return ReporterStepAnswer(
        ticket=view.ticket,
        status=view.status,
        message=message,
        updates_left=view.updates_left,
        can_rate=view.can_rate,
    )


class Messages(ViewModel):
    """What the reporter will be told of progress by (their consent, as recorded)."""

    sms: bool = False
    email: bool = False


class Receipt(ViewModel):
    """The answer to a new complaint: what the reporter keeps."""

    ticket: str = Field(description="Nomor tiket, mudah dibacakan", examples=["2506-4821-7734"])
    tracking_code: str = Field(description="Kode pelacakan rahasia", examples=["K7QM-2XPD"])
    status: CodeLabel
    unit: UnitRef
    category: CodeLabel
    channel: str
    received_at: datetime = Field(description="Waktu diterima (WIB)")
    due_at: datetime = Field(description="Batas waktu tindak lanjut (WIB)")
    received_at_text: str
    due_at_text: str
    message: str
    notify: Messages = Field(
        default_factory=Messages,
        description="Kabar perkembangan yang akan dikirim kepada pelapor (sesuai persetujuannya)",
    )


class Tracking(ViewModel):
    """A complaint as its reporter may see it: status and public timeline only."""

    ticket: str
    status: CodeLabel
    unit: UnitRef
    category: CodeLabel
    received_at: datetime
    due_at: datetime
    received_at_text: str
    due_at_text: str
    overdue: bool
    timeline: list[PublicStep]
    result: str | None = Field(
        default=None, description="Hasil tindak lanjut, setelah divalidasi (status Selesai)"
    )
    reason: str | None = Field(default=None, description="Alasan, bila pengaduan ditolak")
    can_update: bool = Field(description="Pelapor masih dapat menambah informasi")
    updates_left: int = Field(description="Sisa tambahan informasi yang boleh dikirim")
    can_rate: bool = Field(description="Pelapor dapat memberi penilaian sekarang")
    rate_until_text: str | None = Field(description="Batas waktu penilaian (WIB), bila ada")
    feedback: FeedbackView | None = Field(description="Penilaian yang sudah diberikan pelapor")
    files: list[PublicFile] = Field(
        default_factory=list,
        description="Foto bukti tindak lanjut, setelah hasilnya divalidasi (status Selesai)",
    )


def resolved_view(resolved: Resolved) -> CodeLabel:
    return CodeLabel(code=resolved.value, label=RESOLVED_LABELS[resolved])


def _status(status: Status) -> CodeLabel:
    return CodeLabel(code=status.value, label=status.label)


def _unit(complaint: Complaint, taxonomy: Taxonomy) -> UnitRef:
    unit = taxonomy.units.get(complaint.unit)
    return UnitRef(code=complaint.unit, name=unit.name if unit else complaint.unit)


def _category(complaint: Complaint, taxonomy: Taxonomy) -> CodeLabel:
    category = taxonomy.category(complaint.category)
    label = category.label if category else complaint.category
    return CodeLabel(code=complaint.category, label=label)


def receipt(complaint: Complaint, tracking_code: str, taxonomy: Taxonomy) -> Receipt:
    unit = _unit(complaint, taxonomy)
    due_text = format_wib(complaint.due_at)
    return Receipt(
        ticket=complaint.ticket,
        tracking_code=tracking_code,
        status=_status(complaint.status),
        unit=unit,
        category=_category(complaint, taxonomy),
        channel=complaint.channel.value,
        received_at=wib_to_the_second(complaint.received_at),
        due_at=wib_to_the_second(complaint.due_at),
        received_at_text=format_wib(complaint.received_at),
        due_at_text=due_text,
        message=(
            f"Pengaduan Anda telah diterima dan diteruskan ke {unit.name}. "
            f"Hasil tindak lanjut paling lambat {due_text}. "
            "Simpan nomor tiket dan kode pelacakan untuk memantau pengaduan Anda."
            + _messages_sentence(complaint)
        ),
        notify=Messages(sms=complaint.notify.sms, email=complaint.notify.email),
    )


def _messages_sentence(complaint: Complaint) -> str:
    channels = [
        name
        for name, chosen in (("SMS", complaint.notify.sms), ("email", complaint.notify.email))
        if chosen
    ]
    if not channels:
        return ""
    return (
        f" Nomor tiket, kode pelacakan dan kabar perkembangannya juga kami kirim lewat "
        f"{' dan '.join(channels)}."
    )


def tracking(
    complaint: Complaint, taxonomy: Taxonomy, now: datetime, link: FileLink | None = None
) -> Tracking:
    feedback = complaint.feedback
    rate_until = feedback_deadline(complaint) if feedback is None else None
    return Tracking(
        ticket=complaint.ticket,
        status=_status(complaint.status),
        unit=_unit(complaint, taxonomy),
        category=_category(complaint, taxonomy),
        received_at=wib_to_the_second(complaint.received_at),
        due_at=wib_to_the_second(complaint.due_at),
        received_at_text=format_wib(complaint.received_at),
        due_at_text=format_wib(complaint.due_at),
        overdue=complaint.status.clock_running and is_overdue(complaint.due_at, now),
        timeline=[
            PublicStep(
                at=wib_to_the_second(step.at),
                at_text=format_wib(step.at),
                status=_status(step.status),
                description=ACTION_LABELS[step.action],
                text=step.text,
            )
            for step in complaint.timeline
        ],
        # Only what has been validated or decided reaches the public page.
        result=complaint.follow_up.result
        if complaint.status is Status.DONE and complaint.follow_up
        else None,
        reason=complaint.decision_reason if complaint.status is Status.REJECTED else None,
        can_update=may_update(complaint),
        updates_left=max(0, MAX_UPDATES - updates_made(complaint))
        if not complaint.status.is_terminal
        else 0,
        can_rate=may_rate(complaint, now),
        rate_until_text=format_wib(rate_until) if rate_until and rate_until >= now else None,
        feedback=FeedbackView(
            rating=feedback.rating,
            resolved=resolved_view(feedback.resolved),
            at_text=format_wib(feedback.at),
        )
        if feedback
        else None,
        files=[
            PublicFile(
                upload_id=file.upload_id,
                filename=file.filename,
                content_type=file.content_type,
                url=link(file) if link else None,
            )
            for file in public_files(complaint)
        ],
    )


class CategoryView(ViewModel):
    code: str
    label: str
    topic: str
    hint: str | None = None


class UnitCategories(ViewModel):
    code: str
    name: str
    asisten: str
    categories: list[CategoryView]


class TopicView(ViewModel):
    code: str
    label: str
    categories: list[str]


class Categories(ViewModel):
    """The complaint form's choices: by unit, and by the topics citizens think in."""

    units: list[UnitCategories]
    topics: list[TopicView]


def categories(taxonomy: Taxonomy) -> Categories:
    units = [
        UnitCategories(
            code=unit.code,
            name=unit.name,
            asisten=taxonomy.asisten_of(unit.code).name,
            categories=[
                CategoryView(code=c.code, label=c.label, topic=c.topic, hint=c.hint)
                for c in taxonomy.categories_of(unit.code)
            ],
        )
        for unit in taxonomy.units.values()
    ]
    topics = [
        TopicView(
            code=topic.code,
            label=topic.label,
            categories=[c.code for c in taxonomy.categories.values() if c.topic == topic.code],
        )
        for topic in taxonomy.topics.values()
    ]
    return Categories(units=units, topics=topics)

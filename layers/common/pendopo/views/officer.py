"""What the officer routes answer: queues and complaint details, shaped by who asks.

An anonymous reporter's identity is shown only to verifiers and administrators;
a NIK is shown whole only to verifiers (everyone else sees its last four digits).
An action answers with ``ActionResult``. These models are the response schemas of the
officer API's OpenAPI document too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import Field

from pendopo.domain.access import AccessRecord
from pendopo.domain.clock import format_wib, wib_to_the_second
from pendopo.domain.complaint import (
    AuditEvent,
    Complaint,
    Feedback,
    PartnerReporter,
    Reporter,
)
from pendopo.domain.model import ViewModel
from pendopo.domain.officer import Officer
from pendopo.domain.sla import is_overdue, overdue_by
from pendopo.domain.status import ACTION_LABELS, Action, Role, Status
from pendopo.domain.taxonomy import Taxonomy
from pendopo.domain.uploads import ComplaintFile, FileSource
from pendopo.domain.workflow import available_actions
from pendopo.views.public import CodeLabel, FileLink, UnitRef, resolved_view

ANONYMOUS_NAME = "Pelapor anonim"
# A partner (Open311) may pass on no name at all.
UNNAMED = "Tidak disebutkan (dari aplikasi mitra)"
_NIK_VISIBLE_DIGITS = 4


class ReporterView(ViewModel):
    name: str
    nik: str | None = Field(description="NIK; disamarkan kecuali untuk verifikator")
    phone: str | None
    email: str | None
    anonymous: bool
    confidential: bool
    identity_hidden: bool = Field(description="Identitas disembunyikan karena pelapor anonim")


class AgencyRef(ViewModel):
    code: str
    name: str


class FollowUpView(ViewModel):
    result: str
    attachments: list[str]
    at: datetime
    at_text: str
    by: str


class FileView(ViewModel):
    upload_id: str
    filename: str
    content_type: str = Field(description="Jenis berkas menurut pemeriksaan isinya")
    size: int = Field(description="Ukuran dalam byte")
    source: CodeLabel = Field(description="complaint, follow_up, atau update")
    role: str = Field(description="Peran yang melampirkannya")
    at: datetime
    at_text: str
    internal: bool = Field(description="Tidak pernah tampil di halaman lacak pelapor")
    url: str | None = Field(
        description="Tautan presigned (GET) berlaku 5 menit; gambar tampil di peramban, PDF diunduh"
    )


FILE_SOURCE_LABELS: dict[FileSource, str] = {
    FileSource.COMPLAINT: "Lampiran pengaduan",
    FileSource.FOLLOW_UP: "Bukti tindak lanjut",
    FileSource.UPDATE: "Lampiran tambahan pelapor",
}


def file_view(file: ComplaintFile, link: FileLink | None) -> FileView:
    return FileView(
        upload_id=file.upload_id,
        filename=file.filename,
        content_type=file.content_type,
        size=file.size,
        source=CodeLabel(code=file.source.value, label=FILE_SOURCE_LABELS[file.source]),
        role=file.role.value,
        at=wib_to_the_second(file.at),
        at_text=format_wib(file.at),
        internal=file.internal,
        url=link(file) if link else None,
    )


class FeedbackDetail(ViewModel):
    rating: int
    resolved: CodeLabel
    comment: str | None
    at: datetime
    at_text: str


class EventView(ViewModel):
    at: datetime
    at_text: str
    actor: str
    role: str
    action: CodeLabel
    from_status: CodeLabel | None
    to_status: CodeLabel
    unit: str
    previous_unit: str | None
    note: str | None
    version: int
    attachments: list[str] = Field(
        default_factory=list, description="upload_id berkas yang dilampirkan tindakan ini"
    )


class QueueItem(ViewModel):
    ticket: str
    title: str
    status: CodeLabel
    unit: UnitRef
    category: CodeLabel
    channel: str
    agency: AgencyRef | None
    received_at: datetime
    received_at_text: str
    due_at: datetime
    due_at_text: str
    overdue: bool
    overdue_text: str | None = Field(description="Berapa lama terlambat, bila terlambat")
    outside_hours: bool
    disputed: bool = Field(description="Pelapor menyatakan masalahnya belum selesai")
    version: int


class QueuePage(ViewModel):
    items: list[QueueItem]
    next_cursor: str | None = Field(description="Kirim sebagai `cursor` untuk halaman berikutnya")


class ComplaintDetail(QueueItem):
    description: str
    reporter: ReporterView
    location: dict[str, object] | None
    entered_by: str | None
    entered_unit: str | None
    follow_up: FollowUpView | None
    first_follow_up_at: datetime | None
    decision_reason: str | None
    validation_rejections: int
    feedback: FeedbackDetail | None = Field(description="Penilaian pelapor, bila sudah ada")
    partner: str | None = Field(description="Aplikasi mitra (Open311) yang mengirimkannya")
    media_url: str | None = Field(description="Tautan media dari mitra; tidak pernah diunduh")
    allowed_actions: list[CodeLabel] = Field(
        description="Tindakan yang boleh Anda lakukan sekarang"
    )
    agencies: list[AgencyRef] = Field(description="Perangkat daerah/BUMD unit ini, untuk disposisi")
    events: list[EventView] = Field(description="Jejak audit lengkap, terlama dahulu")
    files: list[FileView] = Field(
        default_factory=list, description="Berkas pengaduan, tindak lanjut, dan tambahan pelapor"
    )


def _status(status: Status) -> CodeLabel:
    return CodeLabel(code=status.value, label=status.label)


def _action(action: Action) -> CodeLabel:
    return CodeLabel(code=action.value, label=ACTION_LABELS[action])


def mask_nik(nik: str) -> str:
    return "*" * (len(nik) - _NIK_VISIBLE_DIGITS) + nik[-_NIK_VISIBLE_DIGITS:]


def reporter_view(reporter: Reporter | PartnerReporter, officer: Officer) -> ReporterView:
    hidden = reporter.anonymous and officer.role not in (Role.VERIFIER, Role.ADMIN)
    if hidden:
        return ReporterView(
            name=ANONYMOUS_NAME,
            nik=None,
            phone=None,
            email=None,
            anonymous=True,
            confidential=reporter.confidential,
            identity_hidden=True,
        )
    nik = reporter.nik
    if nik is not None and officer.role is not Role.VERIFIER:
        nik = mask_nik(nik)
    return ReporterView(
        name=reporter.name or UNNAMED,
        nik=nik,
        phone=reporter.phone,
        email=reporter.email,
        anonymous=reporter.anonymous,
        confidential=reporter.confidential,
        identity_hidden=False,
    )


def describe_delay(delay: timedelta) -> str:
    """'2 hari 3 jam', '5 jam', '40 menit': how late, the way officers say it."""
    minutes = int(delay.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} hari {hours} jam" if hours else f"{days} hari"
    if hours:
        return f"{hours} jam"
    return f"{max(minutes, 1)} menit"


def queue_item(complaint: Complaint, taxonomy: Taxonomy, now: datetime) -> QueueItem:
    late = complaint.status.clock_running and is_overdue(complaint.due_at, now)
    return _summary(complaint, taxonomy, late, now)


def _summary(complaint: Complaint, taxonomy: Taxonomy, late: bool, now: datetime) -> QueueItem:
    unit = taxonomy.units.get(complaint.unit)
    category = taxonomy.category(complaint.category)
    return QueueItem(
        ticket=complaint.ticket,
        title=complaint.title,
        status=_status(complaint.status),
        unit=UnitRef(code=complaint.unit, name=unit.name if unit else complaint.unit),
        category=CodeLabel(
            code=complaint.category, label=category.label if category else complaint.category
        ),
        channel=complaint.channel.value,
        agency=_agency(complaint.agency, taxonomy),
        received_at=wib_to_the_second(complaint.received_at),
        received_at_text=format_wib(complaint.received_at),
        due_at=wib_to_the_second(complaint.due_at),
        due_at_text=format_wib(complaint.due_at),
        overdue=late,
        overdue_text=describe_delay(overdue_by(complaint.due_at, now)) if late else None,
        outside_hours=complaint.outside_hours,
        disputed=complaint.disputed,
        version=complaint.version,
    )


def _agency(code: str | None, taxonomy: Taxonomy) -> AgencyRef | None:
    if code is None:
        return None
    agency = taxonomy.agencies.get(code)
    return AgencyRef(code=code, name=agency.name if agency else code)


def event_view(event: AuditEvent) -> EventView:
    return EventView(
        at=wib_to_the_second(event.at),
        at_text=format_wib(event.at),
        actor=event.actor,
        role=event.role.value,
        action=_action(event.action),
        from_status=_status(event.from_status) if event.from_status else None,
        to_status=_status(event.to_status),
        unit=event.unit,
        previous_unit=event.previous_unit,
        note=event.note,
        version=event.version,
        attachments=list(event.attachments),
    )


def complaint_detail(
    complaint: Complaint,
    events: list[AuditEvent],
    officer: Officer,
    taxonomy: Taxonomy,
    now: datetime,
    link: FileLink | None = None,
) -> ComplaintDetail:
    late = complaint.status.clock_running and is_overdue(complaint.due_at, now)
    follow_up = complaint.follow_up
    return ComplaintDetail(
        **dict(_summary(complaint, taxonomy, late, now)),
        description=complaint.description,
        partner=complaint.partner,
        media_url=complaint.media_url,
        reporter=reporter_view(complaint.reporter, officer),
        location=complaint.location.model_dump(mode="json", exclude_none=True)
        if complaint.location
        else None,
        entered_by=complaint.entered_by,
        entered_unit=complaint.entered_unit,
        follow_up=FollowUpView(
            result=follow_up.result,
            attachments=list(follow_up.attachments),
            at=wib_to_the_second(follow_up.at),
            at_text=format_wib(follow_up.at),
            by=follow_up.by,
        )
        if follow_up
        else None,
        first_follow_up_at=wib_to_the_second(complaint.first_follow_up_at)
        if complaint.first_follow_up_at
        else None,
        decision_reason=complaint.decision_reason,
        validation_rejections=complaint.validation_rejections,
        feedback=_feedback(complaint.feedback) if complaint.feedback else None,
        allowed_actions=[_action(a) for a in available_actions(officer, complaint)],
        agencies=[AgencyRef(code=a.code, name=a.name) for a in taxonomy.agencies_of(complaint.unit)]
        if complaint.unit in taxonomy.units
        else [],
        events=[event_view(event) for event in events],
        files=[file_view(file, link) for file in complaint.files],
    )


def _feedback(feedback: Feedback) -> FeedbackDetail:
    return FeedbackDetail(
        rating=feedback.rating,
        resolved=resolved_view(feedback.resolved),
        comment=feedback.comment,
        at=wib_to_the_second(feedback.at),
        at_text=format_wib(feedback.at),
    )


class ActionResult(ViewModel):
    ticket: str
    status: CodeLabel
    version: int
    message: str
    event: EventView
    allowed_actions: list[CodeLabel] = Field(
        description="Tindakan berikutnya yang boleh Anda ambil"
    )


class AccessRecordView(ViewModel):
    at: datetime
    at_text: str
    officer: str = Field(description="Akun petugas yang melihat")
    role: str
    ticket: str
    fields: list[str] = Field(
        description="Nama data identitas yang ditampilkan utuh (tanpa isinya)"
    )
    route: str


class AccessLogPage(ViewModel):
    items: list[AccessRecordView]
    next_cursor: str | None = Field(description="Kirim sebagai `cursor` untuk halaman berikutnya")


def access_record_view(record: AccessRecord) -> AccessRecordView:
    return AccessRecordView(
        at=wib_to_the_second(record.at),
        at_text=format_wib(record.at),
        officer=record.officer,
        role=record.role,
        ticket=record.ticket,
        fields=list(record.fields),
        route=record.route,
    )

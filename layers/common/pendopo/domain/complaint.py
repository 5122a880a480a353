"""The complaint: what a citizen submits, what we store, what we show.

Request models reject unknown fields, so a client typo is a clear 422 and not
silently dropped data. Messages are Bahasa Indonesia: clients show them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from pendopo.domain.errors import CUSTOM_ERROR_PREFIX
from pendopo.domain.status import Action, Role, Status
from pendopo.domain.taxonomy import CODE_PATTERN, EMAIL_PATTERN, load_taxonomy
from pendopo.domain.uploads import MAX_ATTACHMENTS, ComplaintFile, UploadId

# The Jakarta area, Kepulauan Seribu included: a generous bounding box, so a
# point in Bekasi or the sea off Ancol is not refused for a few metres.
JAKARTA_LAT = (-6.40, -5.10)
JAKARTA_LON = (106.30, 107.00)


# Control and format characters (NUL, bidi overrides...) have no place in text a
# person typed; line breaks and tabs do, and the zero-width joiner inside emoji.
_ALLOWED_CONTROLS = frozenset("\n\r\t\u200d")


def _invalid(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(CUSTOM_ERROR_PREFIX + kind, message)


def reject_control_characters(value: str) -> str:
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs") and char not in _ALLOWED_CONTROLS:
            raise _invalid("text", "Teks mengandung karakter yang tidak diperbolehkan.")
    return value


def normalize_phone(value: str) -> str:
    """Indonesian numbers in any common spelling to +62 form.

    0812-3456-7890, 62 812 3456 7890, +62 (21) 382-2255 -> +6281234567890 ...
    """
    compact = re.sub(r"[\s().\-]", "", value)
    if compact.startswith("+62"):
        national = compact[3:]
    elif compact.startswith("62"):
        national = compact[2:]
    elif compact.startswith("0"):
        national = compact[1:]
    else:
        raise _invalid("phone", "Nomor telepon harus nomor Indonesia, misalnya 0812 3456 7890.")
    if not re.fullmatch(r"[1-9][0-9]{7,11}", national):
        raise _invalid("phone", "Nomor telepon tidak valid. Contoh: 0812 3456 7890.")
    return "+62" + national


def validate_nik(value: str) -> str:
    """A NIK is 16 digits: region (6), birth date (6, women +40 on the day), serial (4)."""
    nik = re.sub(r"[\s.\-]", "", value)
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
        raise _invalid("nik", "NIK harus terdiri dari 16 angka.")
    day, month = int(nik[6:8]), int(nik[8:10])
    province = int(nik[0:2])
    if not (11 <= province <= 96 and 1 <= month <= 12 and (1 <= day <= 31 or 41 <= day <= 71)):
        raise _invalid("nik", "NIK tidak valid. Periksa kembali 16 angka NIK Anda.")
    return nik


def validate_email(value: str) -> str:
    email = value.strip()
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        raise _invalid("email", "Alamat email tidak valid.")
    return email.lower()


def validate_category_code(value: str) -> str:
    code = value.strip().upper()
    if not CODE_PATTERN.match(code) or load_taxonomy().category(code) is None:
        raise _invalid("category", "Kategori tidak dikenal. Pilih kategori dari daftar.")
    return code


Phone = Annotated[str, Field(max_length=25), AfterValidator(normalize_phone)]
Nik = Annotated[str, Field(max_length=25), AfterValidator(validate_nik)]
Email = Annotated[str, Field(max_length=254), AfterValidator(validate_email)]
CategoryCode = Annotated[str, Field(max_length=41), AfterValidator(validate_category_code)]
Text = Annotated[str, AfterValidator(reject_control_characters)]


class Channel(StrEnum):
    PENDOPO = "pendopo"  # walk-in at the Pendopo desks, entered by an officer
    KIOSK = "kiosk"
    WEB = "web"
    OPEN311 = "open311"  # a partner app, through Open311 GeoReport v2 (docs/api.md)

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    Channel.PENDOPO: "Pendopo Balai Kota (tatap muka)",
    Channel.KIOSK: "E-kiosk Pendopo",
    Channel.WEB: "Situs web",
    Channel.OPEN311: "Aplikasi mitra (Open311)",
}


class StrictModel(BaseModel):
    # defer_build: see pendopo.domain.model (built by the first request that validates one).
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True
    )


class Reporter(StrictModel):
    name: Text = Field(min_length=2, max_length=100, description="Nama pelapor")
    nik: Nik | None = Field(default=None, description="NIK (16 angka), boleh dikosongkan")
    phone: Phone = Field(description="Nomor telepon Indonesia; disimpan dalam bentuk +62")
    email: Email | None = None
    anonymous: bool = Field(default=False, description="Identitas disembunyikan dari petugas")
    confidential: bool = Field(
        default=False, description="Pengaduan tidak pernah ditampilkan publik"
    )


class PartnerReporter(StrictModel):
    """The reporter as an Open311 partner passes them on: every field optional.

    Only a complaint of channel ``open311`` carries one (``Complaint`` checks it), so
    the kiosk, web and walk-in rules (``Reporter``: name and phone required) stay as
    they are. Each field a partner does send is validated as our own forms validate
    it. With no contact at all the complaint has no one to tell: it is worked like
    any other and followed by the partner through ``GET requests/{id}``.
    """

    name: Text | None = Field(default=None, min_length=2, max_length=100)
    nik: None = None  # Open311 has no NIK; the field keeps the two reporters alike
    phone: Phone | None = None
    email: Email | None = None
    anonymous: bool = False
    confidential: bool = False  # a partner's requests are public (GET requests)


class Location(StrictModel):
    text: Text | None = Field(default=None, max_length=300, description="Alamat atau patokan")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _inside_jakarta(self) -> Location:
        if (self.lat is None) != (self.lon is None):
            raise _invalid("coordinates", "Koordinat harus berisi lintang dan bujur sekaligus.")
        if self.lat is not None and self.lon is not None:
            inside = (
                JAKARTA_LAT[0] <= self.lat <= JAKARTA_LAT[1]
                and JAKARTA_LON[0] <= self.lon <= JAKARTA_LON[1]
            )
            if not inside:
                raise _invalid("coordinates", "Lokasi harus berada di wilayah DKI Jakarta.")
        return self


def is_mobile(phone: str) -> bool:
    """An Indonesian mobile number (normalized +62 form): SMS reaches only these."""
    return phone.startswith("+628")


SMS_NEEDS_MOBILE = (
    "SMS hanya dapat dikirim ke nomor ponsel Indonesia (awalan 08 atau +62 8). "
    "Ganti nomor telepon dengan nomor ponsel, atau jangan pilih SMS."
)
EMAIL_NEEDS_ADDRESS = (
    "Isi alamat email Anda untuk menerima kabar lewat email, atau jangan pilih email."
)


class NotifyChoice(StrictModel):
    """The reporter's consent (UU PDP) to be told of progress, per channel."""

    sms: bool = Field(default=False, description="Kabar lewat SMS ke nomor ponsel pelapor")
    email: bool = Field(default=False, description="Kabar lewat email ke alamat pelapor")

    @property
    def any(self) -> bool:
        return self.sms or self.email


class ComplaintDetails(StrictModel):
    """What every channel asks of the reporter."""

    category: CategoryCode | None = Field(
        default=None,
        description="Kode kategori; kosong berarti 'Lainnya' (diverifikasi Biro Pemerintahan)",
    )
    title: Text = Field(min_length=5, max_length=150, description="Judul singkat pengaduan")
    description: Text = Field(min_length=20, max_length=4000, description="Uraian pengaduan")
    reporter: Reporter
    location: Location | None = None
    notify: NotifyChoice = Field(
        default_factory=NotifyChoice,
        description="Persetujuan pelapor untuk menerima kabar perkembangan (SMS, email)",
    )
    attachments: list[UploadId] = Field(
        default_factory=list,
        max_length=MAX_ATTACHMENTS,
        description=(
            "Lampiran: upload_id dari POST /v1/uploads (web) atau POST /v1/officer/uploads "
            "(petugas), yang sudah diperiksa (status clean); paling banyak 5"
        ),
    )

    @field_validator("notify")
    @classmethod
    def _consent_needs_contact(cls, notify: NotifyChoice, info: ValidationInfo) -> NotifyChoice:
        # Consent without the contact it needs is refused, not silently dropped.
        reporter = info.data.get("reporter")
        if not isinstance(reporter, Reporter):
            return notify  # the reporter's own errors are reported already
        if notify.sms and not is_mobile(reporter.phone):
            raise _invalid("notify_sms", SMS_NEEDS_MOBILE)
        if notify.email and not reporter.email:
            raise _invalid("notify_email", EMAIL_NEEDS_ADDRESS)
        return notify


MEDIA_URL_PATTERN = r"^https?://[^\s]+$"


class PartnerDetails(StrictModel):
    """A complaint an Open311 partner files (``pendopo.api.open311_form`` builds it).

    The category is required (the request's ``service_code``), and so is a location:
    coordinates inside Jakarta or an address. The description may be empty, as the
    specification allows; the title is derived from the category and the description.
    ``media_url`` is kept as a link and never fetched. ``partner`` is the partner's
    name, from its key, never from the form.
    """

    category: CategoryCode
    title: Text = Field(min_length=1, max_length=150)
    description: Text = Field(default="", max_length=4000)
    reporter: PartnerReporter
    location: Location
    media_url: str | None = Field(default=None, max_length=2000, pattern=MEDIA_URL_PATTERN)
    partner: str = Field(min_length=1, max_length=100)


class PublicSubmission(ComplaintDetails):
    """A complaint from the e-kiosk or the web, without an account."""

    channel: Literal["kiosk", "web"] = Field(description="kiosk atau web")


class TimelineEntry(StrictModel):
    """One step of a complaint: when, what, and the status it led to.

    ``unit`` is recorded on a SUBMIT (the receiving unit) and a REROUTE (the new
    unit), ``agency`` on a DISPOSITION, so the monthly recap can tell which unit
    and agency held the complaint at a month end (``domain.recap``). Both are
    internal: the citizen's tracking view maps entries field by field and leaves
    them out (``views.public.tracking``). Items stored before these fields existed
    have neither (None).
    """

    at: datetime
    action: Action
    status: Status
    unit: str | None = None
    agency: str | None = None
    # Text the reporter sees on their tracking page, written for them by a verifier:
    # why the complaint was reopened, or why it stays closed.
    text: str | None = None


class AuditEvent(StrictModel):
    """An immutable record of one state change: who, in which role, when, from, to."""

    ticket: str
    at: datetime
    actor: str
    role: Role
    action: Action
    from_status: Status | None
    to_status: Status
    unit: str  # the complaint's unit after the change (the new unit of a re-route)
    note: str | None = None
    version: int = Field(default=1, ge=1)  # the complaint's version this change produced
    previous_unit: str | None = None  # set by a re-route
    disputed: bool = False  # feedback saying the problem is not resolved (verifiers emailed)
    # The uploads this change claimed (their S3 objects are tagged claimed from the stream).
    attachments: tuple[str, ...] = ()


class Resolved(StrEnum):
    """The reporter's answer to "is the problem resolved?" (Indonesian codes, as sent)."""

    YES = "ya"
    PARTLY = "sebagian"
    NO = "tidak"


class Feedback(StrictModel):
    """The reporter's rating of a finished complaint (once per complaint)."""

    rating: int = Field(ge=1, le=5)
    resolved: Resolved
    comment: str | None = None
    at: datetime


# How the reporter's answer reads on the tracking page, in the console and in emails.
RESOLVED_LABELS: dict[Resolved, str] = {
    Resolved.YES: "Ya, selesai",
    Resolved.PARTLY: "Sebagian",
    Resolved.NO: "Tidak, belum selesai",
}


class FollowUp(StrictModel):
    """The latest follow-up result, recorded by the coordinator on the agency's behalf."""

    result: str
    attachments: tuple[str, ...] = ()  # the upload ids of the result's files (proof)
    at: datetime
    by: str


class Complaint(StrictModel):
    ticket: str
    tracking_hash: str
    channel: Channel
    category: str
    unit: str
    title: str
    description: str
    reporter: Reporter | PartnerReporter
    location: Location | None
    received_at: datetime
    due_at: datetime
    status: Status
    version: int = Field(ge=1)
    outside_hours: bool
    timeline: tuple[TimelineEntry, ...]
    entered_by: str | None = None  # the officer who entered a walk-in complaint
    entered_unit: str | None = None  # and that officer's unit
    agency: str | None = None  # the agency or BUMD it is dispositioned to
    follow_up: FollowUp | None = None
    first_follow_up_at: datetime | None = None  # when the first result was delivered
    validation_rejections: int = Field(default=0, ge=0)  # results sent back (TL Ditolak)
    decision_reason: str | None = None  # why it was rejected, or its result sent back
    notify: NotifyChoice = NotifyChoice()  # the reporter's consent to messages
    # Random, unguessable: the unsubscribe link of the reporter's emails carries it.
    # Set only when the reporter consented; never shown in any view.
    unsubscribe_token: str | None = None
    feedback: Feedback | None = None  # the reporter's rating, once Selesai
    disputed: bool = False  # the reporter says it is not resolved; a verifier decides
    partner: str | None = None  # the Open311 partner that filed it (channel open311)
    media_url: str | None = None  # a partner's link to a photo; a link, never fetched
    # The files its writes claimed (complaint, follow-ups, reporter updates), in order.
    files: tuple[ComplaintFile, ...] = ()

    @model_validator(mode="after")
    def _reporter_fits_channel(self) -> Complaint:
        # Only a partner may pass on a reporter without name or phone.
        if self.channel is not Channel.OPEN311 and not isinstance(self.reporter, Reporter):
            raise ValueError(f"a {self.channel.value} complaint needs a full Reporter")
        return self

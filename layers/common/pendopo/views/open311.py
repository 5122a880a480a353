"""What the Open311 GeoReport v2 routes answer: the specification's fields, never personal data.

The models are the specification's field lists (they document the JSON answers in
the OpenAPI document too); the builders fill them from the taxonomy and a complaint.
A service request carries the complaint's public facts only: ticket, status, the
Indonesian status label with the validated result or the rejection reason, category,
description, unit and agency, times, and where. Never the reporter (name, NIK, phone,
email), never an officer's name or note, never the tracking code. Times are WIB
(``+07:00``), to the second.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from pendopo.domain.clock import wib_to_the_second
from pendopo.domain.complaint import Complaint
from pendopo.domain.model import ViewModel
from pendopo.domain.status import Status
from pendopo.domain.taxonomy import Category, Taxonomy

SPECIFICATION_URL = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint last changed what it serves (the discovery's changeset).
CHANGESET = datetime.fromisoformat("2026-12-06T00:00:00+07:00")
CONTACT = "Diskominfotik Provinsi DKI Jakarta, Balai Kota, Jl. Medan Merdeka Selatan 8-9, Jakarta"
KEY_SERVICE = (
    "Kunci API (api_key) untuk mengirim laporan diberikan oleh Diskominfotik Provinsi DKI "
    "Jakarta kepada aplikasi mitra; membaca layanan dan laporan tidak memerlukan kunci."
)
FORMATS = ("text/xml", "application/json")


class Open311Endpoint(ViewModel):
    specification: str
    url: str
    changeset: datetime
    type: str
    formats: list[str]


class Open311Discovery(ViewModel):
    changeset: datetime
    contact: str
    key_service: str
    endpoints: list[Open311Endpoint]


class Open311Service(ViewModel):
    service_code: str = Field(description="Kode kategori pengaduan")
    service_name: str
    description: str
    metadata: bool = Field(description="true bila layanan meminta atribut tambahan")
    type: str = Field(description="realtime: laporan langsung menjadi pengaduan bertiket")
    keywords: str
    group: str = Field(description="Unit koordinator yang menerima kategori ini")


class Open311AttributeValue(ViewModel):
    key: str
    name: str


class Open311Attribute(ViewModel):
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str | None = None
    order: int
    description: str
    values: list[Open311AttributeValue] = Field(default_factory=list)


class Open311ServiceDefinition(ViewModel):
    service_code: str
    attributes: list[Open311Attribute]


class Open311Request(ViewModel):
    service_request_id: str = Field(description="Nomor tiket pengaduan")
    status: str = Field(description="open atau closed")
    status_notes: str = Field(description="Status (istilah CRM) dan hasil atau alasan penolakan")
    service_name: str
    service_code: str
    description: str
    agency_responsible: str = Field(description="Unit koordinator, dan perangkat daerah/BUMD")
    service_notice: str | None = None
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime = Field(description="Batas waktu tindak lanjut (3 hari)")
    address: str | None = None
    lat: float | None = None
    long: float | None = None
    media_url: str | None = None


class Open311ErrorItem(ViewModel):
    code: int = Field(description="Kode status HTTP")
    description: str


# --- builders ----------------------------------------------------------------------


def discovery(url: str) -> Open311Discovery:
    """The discovery document of this endpoint, whose base is ``url``."""
    return Open311Discovery(
        changeset=CHANGESET,
        contact=CONTACT,
        key_service=KEY_SERVICE,
        endpoints=[
            Open311Endpoint(
                specification=SPECIFICATION_URL,
                url=url,
                changeset=CHANGESET,
                type="production",
                formats=list(FORMATS),
            )
        ],
    )


def service(category: Category, taxonomy: Taxonomy) -> Open311Service:
    unit = taxonomy.units[category.unit]
    topic = taxonomy.topics.get(category.topic)
    return Open311Service(
        service_code=category.code,
        service_name=category.label,
        description=category.hint or f"Pengaduan urusan {category.area}.",
        metadata=False,
        type="realtime",
        keywords=", ".join(
            word for word in (topic.label if topic else None, unit.short_name) if word
        ),
        group=unit.name,
    )


def services(taxonomy: Taxonomy) -> list[Open311Service]:
    """One service per category, in the taxonomy's order."""
    return [service(category, taxonomy) for category in taxonomy.categories.values()]


def service_definition(category: Category) -> Open311ServiceDefinition:
    """No category asks for attributes (``metadata`` false): the list is empty."""
    return Open311ServiceDefinition(service_code=category.code, attributes=[])


def status_notes(complaint: Complaint) -> str:
    """The Indonesian status label, and what is public of the outcome."""
    if complaint.status is Status.DONE and complaint.follow_up is not None:
        return f"{complaint.status.label}. Hasil tindak lanjut: {complaint.follow_up.result}"
    if complaint.status is Status.REJECTED and complaint.decision_reason:
        return f"{complaint.status.label}. Alasan: {complaint.decision_reason}"
    return complaint.status.label


def agency_responsible(complaint: Complaint, taxonomy: Taxonomy) -> str:
    unit = taxonomy.units.get(complaint.unit)
    names = [unit.name if unit else complaint.unit]
    if complaint.agency:
        agency = taxonomy.agencies.get(complaint.agency)
        names.append(agency.name if agency else complaint.agency)
    return "; ".join(names)


def service_request(complaint: Complaint, taxonomy: Taxonomy) -> Open311Request:
    category = taxonomy.category(complaint.category)
    location = complaint.location
    updated = complaint.timeline[-1].at if complaint.timeline else complaint.received_at
    return Open311Request(
        service_request_id=complaint.ticket,
        status=complaint.status.open311,
        status_notes=status_notes(complaint),
        service_name=category.label if category else complaint.category,
        service_code=complaint.category,
        description=complaint.description,
        agency_responsible=agency_responsible(complaint, taxonomy),
        requested_datetime=wib_to_the_second(complaint.received_at),
        updated_datetime=wib_to_the_second(max(updated, complaint.received_at)),
        expected_datetime=wib_to_the_second(complaint.due_at),
        address=location.text if location else None,
        lat=location.lat if location else None,
        long=location.lon if location else None,
        media_url=complaint.media_url,
    )

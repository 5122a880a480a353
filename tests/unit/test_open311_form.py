"""An Open311 POST requests form -> a partner's complaint, or every field error at once."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from pendopo.api.open311_form import (
    Open311Error,
    Open311Invalid,
    Open311ServiceNotFound,
    derived_title,
    partner_details,
    read_form,
)
from pendopo.domain.complaint import Location, PartnerReporter
from pendopo.domain.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
GOOD = {
    "api_key": "demo0311.kunci-demo-lokal-open311",
    "service_code": "STREET_LIGHTING",
    "lat": "-6.1812",
    "long": "106.8283",
    "description": "Lampu jalan di depan halte mati sejak tiga hari, jalan gelap di malam hari.",
}


def details(**fields: str | None) -> object:
    form = {k: v for k, v in {**GOOD, **fields}.items() if v is not None}
    return partner_details(read_form(urlencode(form)), "Aplikasi Mitra", TAXONOMY)


def errors_of(**fields: str | None) -> tuple[int, list[Open311Error]]:
    with pytest.raises(Open311Invalid) as raised:
        details(**fields)
    return raised.value.status.value, raised.value.errors


def test_a_complete_form_becomes_a_partner_complaint() -> None:
    # Given a partner's form with contact data, as the specification's example sends it
    contact = {"first_name": "Siti", "last_name": "Aminah", "email": "Siti@Example.com"}
    ignored = {"jurisdiction_id": "jakarta.go.id", "attribute[WHISPAWN]": "123456"}
    made = details(
        **contact, **ignored, phone="0812-3456-7890", media_url="https://foto.example/lampu.jpg"
    )
    # Then each field lands where our own forms put it, normalised the same way
    assert made.category == "STREET_LIGHTING"
    assert made.location == Location(lat=-6.1812, lon=106.8283)
    assert made.reporter == PartnerReporter(
        name="Siti Aminah", phone="+6281234567890", email="siti@example.com"
    )
    assert made.media_url == "https://foto.example/lampu.jpg"
    assert made.partner == "Aplikasi Mitra"
    # And the title is the category's name and the description's start
    label = TAXONOMY.categories["STREET_LIGHTING"].label
    assert made.title.startswith(f"{label}: Lampu jalan di depan halte")


def test_no_contact_and_an_address_instead_of_coordinates_is_enough() -> None:
    made = details(lat=None, long=None, address_string="Jl. Medan Merdeka Selatan 8-9")
    assert made.reporter == PartnerReporter()
    assert made.location == Location(text="Jl. Medan Merdeka Selatan 8-9")


def test_the_description_may_be_left_out_as_the_specification_allows() -> None:
    made = details(description=None)
    assert made.description == ""
    assert made.title == TAXONOMY.categories["STREET_LIGHTING"].label


def test_every_wrong_field_is_reported_at_once() -> None:
    status, errors = errors_of(
        lat="-6.2",
        long=None,
        email="bukan-email",
        phone="+1 555 0100",
        first_name="A",
        media_url="javascript:alert(1)",
        description="x" * 4001,
    )
    assert status == 400
    fields = [e.description.split(":")[0] for e in errors]
    assert sorted(fields) == sorted(
        ["lat", "email", "phone", "first_name", "media_url", "description"]
    )
    assert all(e.code == 400 for e in errors)


def test_an_unknown_service_code_is_404_beside_the_other_errors() -> None:
    status, errors = errors_of(service_code="POTHOLE", lat=None, long=None)
    assert status == 404
    assert errors[0] == Open311Error(404, "service_code tidak ditemukan: POTHOLE")
    assert errors[1].code == 400 and errors[1].description.startswith("lat/long:")


def test_a_missing_service_code_or_location_is_400() -> None:
    status, errors = errors_of(service_code=None, lat=None, long=None)
    assert status == 400
    assert [e.description.split(":")[0] for e in errors] == ["service_code", "lat/long"]


def test_coordinates_outside_jakarta_are_refused_as_our_forms_refuse_them() -> None:
    status, errors = errors_of(lat="-6.9175", long="107.6191")  # Bandung
    assert (status, errors) == (
        400,
        [Open311Error(400, "lat: Lokasi harus berada di wilayah DKI Jakarta.")],
    )


def test_address_id_alone_is_not_a_location_here() -> None:
    status, errors = errors_of(lat=None, long=None, address_id="123")
    assert status == 400
    assert "address_id tidak didukung" in errors[0].description


def test_a_field_sent_twice_is_refused() -> None:
    sent = read_form(urlencode({**GOOD, "phone": "0812"}) + "&service_code=WASTE")
    assert sent.api_key == GOOD["api_key"]
    with pytest.raises(Open311Invalid) as raised:
        partner_details(sent, "Mitra", TAXONOMY)
    assert raised.value.errors[0] == Open311Error(400, "service_code: dikirim lebih dari sekali.")
    assert [e.description.split(":")[0] for e in raised.value.errors] == ["service_code", "phone"]


def test_a_key_sent_twice_is_no_key() -> None:
    assert read_form("api_key=a&api_key=b").api_key is None
    assert read_form("api_key=+a+").api_key == "a"
    assert read_form("service_code=A").api_key is None


def test_a_form_with_thousands_of_fields_is_refused() -> None:
    with pytest.raises(Open311Invalid):
        read_form("&".join(f"f{i}=1" for i in range(1000)))


def test_the_not_found_error_is_its_own_kind() -> None:
    with pytest.raises(Open311ServiceNotFound):
        details(service_code="NOPE")


def test_a_derived_title_cuts_a_long_description_at_a_word() -> None:
    title = derived_title("Penerangan jalan", "kata " * 100)
    assert title.startswith("Penerangan jalan: kata kata")
    assert title.endswith("…") and len(title) <= 150
    assert derived_title("Penerangan jalan", "baris satu\nbaris dua") == (
        "Penerangan jalan: baris satu baris dua"
    )

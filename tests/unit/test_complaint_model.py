"""Validation at the edge: what a reporter may send, in words they understand."""

import pytest
from pydantic import ValidationError

from pendopo.domain.complaint import Location, PublicSubmission, Reporter, normalize_phone


def _reporter(**overrides):
    return {"name": "Siti Aminah", "phone": "0812-3456-7890", **overrides}


def _submission(**overrides):
    body = {
        "channel": "kiosk",
        "title": "Jalan berlubang",
        "description": "Ada lubang besar di depan sekolah yang membahayakan pengendara motor.",
        "reporter": _reporter(),
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 789", "+628123456789"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(021) 382-2255", "+62213822255"),
    ],
)
def test_indonesian_phone_numbers_are_normalised_to_plus_62(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["12345", "+1 415 555 0100", "0812", "08123456789012345", "0812abc4567", "0812٣٤٥٦٧٨٩٠"],
)
def test_other_phone_numbers_are_refused_with_an_indonesian_message(typed):
    with pytest.raises(ValidationError) as raised:
        Reporter.model_validate(_reporter(phone=typed))
    assert "telepon" in raised.value.errors()[0]["msg"]


def test_a_nik_has_16_digits_and_a_plausible_birth_date():
    assert Reporter.model_validate(_reporter(nik="3171 0145 0190 0001")).nik == "3171014501900001"
    assert Reporter.model_validate(_reporter(nik="3171015501900001")).nik  # women: day + 40
    for bad in ("317101450190000", "31710145019000011", "3171013201900001", "3171011513900001"):
        with pytest.raises(ValidationError) as raised:
            Reporter.model_validate(_reporter(nik=bad))
        assert "NIK" in raised.value.errors()[0]["msg"]


def test_email_is_optional_but_checked_when_given():
    assert Reporter.model_validate(_reporter(email="Warga@Contoh.id")).email == "warga@contoh.id"
    with pytest.raises(ValidationError):
        Reporter.model_validate(_reporter(email="bukan-email"))


def test_unknown_fields_are_rejected_not_dropped():
    with pytest.raises(ValidationError) as raised:
        PublicSubmission.model_validate(_submission(priority="tinggi"))
    assert raised.value.errors()[0]["type"] == "extra_forbidden"


def test_title_and_description_have_length_limits():
    for field, value in (("title", "abc"), ("title", "x" * 151), ("description", "pendek")):
        with pytest.raises(ValidationError):
            PublicSubmission.model_validate(_submission(**{field: value}))


def test_public_clients_cannot_claim_the_walk_in_channel():
    assert PublicSubmission.model_validate(_submission(channel="web")).channel == "web"
    with pytest.raises(ValidationError):
        PublicSubmission.model_validate(_submission(channel="pendopo"))


def test_coordinates_must_fall_in_jakarta_and_come_in_pairs():
    assert Location(text="Monas", lat=-6.1754, lon=106.8272).lat == -6.1754
    assert Location(lat=-5.60, lon=106.55)  # Kepulauan Seribu
    for bad in ({"lat": -7.25, "lon": 112.75}, {"lat": -6.2}, {"lat": 6.2, "lon": 106.8}):
        with pytest.raises(ValidationError) as raised:
            Location.model_validate(bad)
        assert raised.value.errors()[0]["msg"]


def test_anonymous_and_confidential_default_to_false():
    reporter = Reporter.model_validate(_reporter())
    assert (reporter.anonymous, reporter.confidential) == (False, False)


@pytest.mark.parametrize("text", ["Jalan\u202erusak parah", "Jalan\x00rusak", "Jalan\u200brusak"])
def test_control_and_format_characters_are_refused_in_typed_text(text):
    with pytest.raises(ValidationError) as raised:
        PublicSubmission.model_validate(_submission(title=text))
    assert "karakter" in raised.value.errors()[0]["msg"]


def test_line_breaks_and_tabs_are_fine_in_a_description():
    body = _submission(description="Baris pertama uraian.\nBaris kedua:\tdengan tab.")
    assert "\n" in PublicSubmission.model_validate(body).description

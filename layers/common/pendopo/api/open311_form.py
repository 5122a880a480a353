"""An Open311 ``POST requests`` form, read into a partner's complaint, or every error at once.

GeoReport v2 sends ``application/x-www-form-urlencoded`` fields: ``api_key``,
``service_code`` (our category code), a location (``lat`` and ``long``, or
``address_string``; we have no address register, so ``address_id`` alone is not
enough), ``description`` (at most 4,000 characters, optional in the specification),
and the optional ``first_name``, ``last_name``, ``email``, ``phone`` and ``media_url``.
Fields the specification allows and we do not use (``jurisdiction_id``,
``device_id``, ``account_id``, ``attribute[...]``) are ignored.

Errors follow the specification: a list of ``(code, description)``; 404 for a
``service_code`` we do not have, 400 for the rest (a missing ``service_code`` too).
The answer's status is 404 when one error is a 404, else 400. The descriptions name
the field and say what is wrong in Bahasa Indonesia. A missing or wrong ``api_key``
(403) is checked before the form is read (``PartnerService.authenticate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from pydantic import ValidationError

from pendopo.api.messages import field_errors
from pendopo.domain.complaint import PartnerDetails
from pendopo.domain.errors import PendopoError
from pendopo.domain.taxonomy import Taxonomy

FIELDS = (
    "api_key",
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "description",
    "first_name",
    "last_name",
    "email",
    "phone",
    "media_url",
)
MAX_FIELDS = 200  # a form with more fields than this is not an Open311 request
TITLE_LENGTH = 150
_TITLE_EXCERPT = 80  # characters of the description in the derived title

# Where a field of PartnerDetails came from in the form.
_FORM_FIELD = {
    "category": "service_code",
    "title": "description",
    "description": "description",
    "reporter.name": "first_name",
    "reporter.phone": "phone",
    "reporter.email": "email",
    "location": "lat",
    "location.lat": "lat",
    "location.lon": "long",
    "location.text": "address_string",
    "media_url": "media_url",
}


@dataclass(frozen=True, slots=True)
class Open311Error:
    code: int
    description: str


class Open311Invalid(PendopoError):
    """The form cannot become a complaint: every field error, in the specification's terms.

    The POST route renders ``errors`` itself (each error keeps its own code).
    """

    status = HTTPStatus.BAD_REQUEST
    message = "Permintaan Open311 belum benar."

    def __init__(self, errors: list[Open311Error]) -> None:
        self.errors = errors
        super().__init__("; ".join(e.description for e in errors))


class Open311ServiceNotFound(Open311Invalid):
    """As ``Open311Invalid``, one of its errors an unknown ``service_code`` (HTTP 404)."""

    status = HTTPStatus.NOT_FOUND


@dataclass(frozen=True, slots=True)
class Form:
    """The fields we read from a form: one value each, blank ones left out."""

    values: dict[str, str]
    repeated: tuple[str, ...] = ()  # fields we read that were sent more than once

    @property
    def api_key(self) -> str | None:
        """The key, if sent once (a key sent twice is no key: 403)."""
        return None if "api_key" in self.repeated else self.values.get("api_key")


def read_form(body: str) -> Form:
    """The form's fields we read. A field sent twice is an error of its own (which would
    the partner mean?), reported by ``partner_details`` after the key is checked."""
    try:
        pairs = parse_qs(body, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise Open311Invalid(
            [Open311Error(400, f"Formulir terlalu banyak kolom (maksimal {MAX_FIELDS}).")]
        ) from None
    values = {name: pairs[name][0].strip() for name in FIELDS if pairs.get(name, [""])[0].strip()}
    return Form(values, tuple(name for name in FIELDS if len(pairs.get(name, ())) > 1))


def partner_details(sent: Form, partner: str, taxonomy: Taxonomy) -> PartnerDetails:
    """The complaint a partner's form asks for; Open311Invalid with every error otherwise."""
    errors: dict[str, Open311Error] = {  # by form field: the first error of each
        name: Open311Error(400, f"{name}: dikirim lebih dari sekali.") for name in sent.repeated
    }
    form = sent.values
    code = form.get("service_code")
    category = taxonomy.category(code.upper()) if code else None
    if code is None:
        errors.setdefault(
            "service_code", Open311Error(400, "service_code: wajib diisi (kode dari services).")
        )
    elif category is None:
        errors.setdefault(
            "service_code", Open311Error(404, f"service_code tidak ditemukan: {code[:50]}")
        )
    location: dict[str, Any] = {}
    if "lat" in form or "long" in form:
        location.update(lat=form.get("lat"), lon=form.get("long"))
    if "address_string" in form:
        location["text"] = form["address_string"]
    if not location:
        what = "address_id tidak didukung; " if "address_id" in form else ""
        errors.setdefault(
            "lat", Open311Error(400, f"lat/long: {what}kirim lat dan long, atau address_string.")
        )
    name = " ".join(form[n] for n in ("first_name", "last_name") if n in form)
    description = form.get("description", "")
    candidate: dict[str, Any] = {
        "category": category.code if category else None,
        "title": derived_title(category.label if category else "Pengaduan", description),
        "description": description,
        "reporter": {"name": name or None, "phone": form.get("phone"), "email": form.get("email")},
        "location": location or None,
        "media_url": form.get("media_url"),
        "partner": partner,
    }
    try:
        details = PartnerDetails.model_validate(candidate)
    except ValidationError as invalid:
        for error in field_errors(invalid.errors()):
            field = _FORM_FIELD.get(error["field"], error["field"])
            errors.setdefault(field, Open311Error(400, f"{field}: {error['message']}"))
    if errors:
        found = list(errors.values())
        kind = Open311ServiceNotFound if any(e.code == 404 for e in found) else Open311Invalid
        raise kind(found)
    return details


def derived_title(label: str, description: str) -> str:
    """'<category>: <start of the description>', cut at a word, at most 150 characters."""
    first_line = " ".join(description.split())
    if not first_line:
        return label[:TITLE_LENGTH]
    excerpt = first_line[:_TITLE_EXCERPT]
    if len(first_line) > _TITLE_EXCERPT:
        excerpt = excerpt.rsplit(" ", 1)[0] + "…"
    return f"{label}: {excerpt}"[:TITLE_LENGTH]

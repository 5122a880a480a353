"""Open311 GeoReport v2 ``POST requests.{json,xml}``: a partner files a complaint.

The route reads the form itself (``pendopo.api.open311_form``), in this order: the key
(403 when missing, unknown or revoked: nothing else is said to a caller without one),
then every field at once (404 for an unknown ``service_code``, 400 for the rest, each
error with its own code), then the complaint is created once
(``IntakeService.submit_for_partner``) and answered ``[{service_request_id,
service_notice}]`` in the path's format. The form fields are declared as ``Form()``
parameters only so that the OpenAPI document shows them; their values are read from
the raw body, so a field sent twice is seen and refused. A body over 64 KB is refused
with 413 before the resolver runs (``pendopo.api.resolver``).
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Form

from pendopo.api.open311 import BASE, TAG
from pendopo.api.open311 import _responses as open311_responses
from pendopo.api.open311_errors import ERRORS_ROOT
from pendopo.api.open311_form import Open311Invalid, partner_details, read_form
from pendopo.api.open311_format import Format, open311_response
from pendopo.domain.taxonomy import Taxonomy
from pendopo.services.intake import IntakeService
from pendopo.services.partners import PartnerService
from pendopo.views.partner import ServiceRequestCreated, created

FormText = Annotated[str | None, Form()]

ERRORS = {
    400: "Kolom tidak valid (satu galat per kolom)",
    403: "api_key tidak ada, tidak dikenal, atau sudah dicabut",
    404: "service_code tidak dikenal (galat kolom lain ikut disebut)",
    413: "Isi permintaan lebih dari 64 KB",
    503: "Sistem sibuk; kirim ulang permintaan yang sama",
}
FILED = "Pengaduan diterima; service_request_id adalah nomor tiket"


def register_open311_post(
    app: APIGatewayHttpResolver,
    intake_of: Callable[[], IntakeService],
    partners_of: Callable[[], PartnerService],
    taxonomy: Taxonomy,
) -> None:
    """``POST requests.json`` and ``POST requests.xml`` on ``app``.

    ``intake_of`` and ``partners_of`` give the function's services at each request
    (a test swaps them).
    """
    for fmt in Format:
        _register(app, intake_of, partners_of, taxonomy, fmt)


def _register(
    app: APIGatewayHttpResolver,
    intake_of: Callable[[], IntakeService],
    partners_of: Callable[[], PartnerService],
    taxonomy: Taxonomy,
    fmt: Format,
) -> None:
    @app.post(
        f"{BASE}/requests.{fmt.value}",
        summary=f"Open311: kirim laporan sebagai aplikasi mitra ({fmt.value.upper()})",
        description=(
            "Formulir (application/x-www-form-urlencoded) dengan api_key mitra. Lokasi: "
            "lat dan long di DKI Jakarta, atau address_string. Kiriman ulang yang sama "
            "dalam 24 jam dijawab dengan service_request_id yang pertama."
        ),
        tags=[TAG],
        responses=open311_responses(fmt, list[ServiceRequestCreated], FILED, ERRORS),
    )
    def open311_post_request(
        api_key: FormText = None,
        service_code: FormText = None,
        lat: FormText = None,
        long: FormText = None,
        address_string: FormText = None,
        description: FormText = None,
        first_name: FormText = None,
        last_name: FormText = None,
        email: FormText = None,
        phone: FormText = None,
        media_url: FormText = None,
    ) -> Response[str]:
        # The parameters document the form; the raw body is what is read (see above).
        try:
            sent = read_form(app.current_event.decoded_body or "")
            partner = partners_of().authenticate(sent.api_key)  # 403 through the error map
            details = partner_details(sent, partner.name, taxonomy)
        except Open311Invalid as invalid:
            errors = [{"code": e.code, "description": e.description} for e in invalid.errors]
            return open311_response(invalid.status, fmt, ERRORS_ROOT, errors)
        submitted = intake_of().submit_for_partner(details, partner)
        answer = [item.model_dump(mode="json") for item in created(submitted.receipt)]
        return open311_response(HTTPStatus.OK, fmt, "service_requests", answer)

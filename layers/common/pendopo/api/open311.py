"""The Open311 GeoReport v2 routes, under ``/open311/v2/``, on the intake function's resolver.

``register_open311_reads(app, service_of)`` adds the reading routes: discovery, services,
a service definition, service requests (list and one) and tokens (always 404: we are
realtime). Each answers ``.json`` or ``.xml`` through one format layer
(``pendopo.api.open311_format.open311_response``), and every error on these paths in
the specification's shape (``pendopo.api.open311_errors``, wired into the error map by
``json_api(..., dialect=OPEN311_ERRORS)``). No route needs a key.

Static routes come in pairs (``services.json``, ``services.xml``); a route with an id
takes the whole last segment (``services/{service_file}``: ``ROAD.json``), as HTTP API
path variables span whole segments.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from pendopo.api.errors import STORAGE_BUSY_MESSAGE, THROTTLED
from pendopo.api.open311_format import Format, open311_response, split_format
from pendopo.services.open311 import (
    MAX_RESULTS,
    NotFound,
    Open311ReadService,
    RequestFilter,
)
from pendopo.views.open311 import (
    Open311Discovery,
    Open311ErrorItem,
    Open311Request,
    Open311Service,
    Open311ServiceDefinition,
    discovery,
)

BASE = "/open311/v2"
TAG = "Open311 GeoReport v2"
# The one jurisdiction this endpoint serves; any other named is a 404 (the specification's).
JURISDICTION_ID = "jakarta.go.id"
XML_CONTENT = "text/xml"
JSON_CONTENT = "application/json"


def _query(max_length: int, description: str) -> Any:
    """A query parameter as text (the service checks its meaning, every error at once)."""
    return Query(max_length=max_length, description=description)


PAGE_SIZE = f"Laporan per halaman, 1 sampai {MAX_RESULTS}"
Jurisdiction = Annotated[
    str | None, _query(100, f"Opsional; satu-satunya yurisdiksi: {JURISDICTION_ID}")
]

ServiceFile = Annotated[
    str, Path(max_length=80, description="Kode layanan dan format, mis. ROAD.json")
]
RequestFile = Annotated[
    str, Path(max_length=80, description="Nomor tiket dan format, mis. 2512-1234-5678.json")
]
TokenFile = Annotated[str, Path(max_length=80, description="Token dan format, mis. abc.json")]


def _content(fmt: Format | None, model: Any) -> dict[str, Any]:
    """The documented content of an answer in ``fmt`` (both when None)."""
    content: dict[str, Any] = {}
    if fmt in (None, Format.JSON):
        content[JSON_CONTENT] = {"model": model}
    if fmt in (None, Format.XML):
        content[XML_CONTENT] = {"schema": {"type": "string"}}
    return content


def _responses(
    fmt: Format | None, model: Any, description: str, errors: dict[int, str]
) -> dict[int, OpenAPIResponse]:
    documented: dict[int, OpenAPIResponse] = {
        200: {"description": description, "content": _content(fmt, model)}
    }
    for status, text in errors.items():
        documented[status] = {
            "description": text,
            "content": _content(fmt, list[Open311ErrorItem]),
        }
    # API Gateway's own throttling answer, before any handler: {"message": ...} in JSON.
    return {**documented, **THROTTLED}


INVALID_PARAMETERS = "Parameter tidak valid (satu galat per parameter)"
UNKNOWN_JURISDICTION = "jurisdiction_id tidak dikenal"
BUSY = STORAGE_BUSY_MESSAGE


def _check_jurisdiction(jurisdiction_id: str | None) -> None:
    if jurisdiction_id is not None and jurisdiction_id != JURISDICTION_ID:
        raise NotFound(f"jurisdiction_id {jurisdiction_id!r} tidak dikenal.")


def _dumped(value: BaseModel | list[Any]) -> Any:
    if isinstance(value, list):
        return [item.model_dump(mode="json") for item in value]
    return value.model_dump(mode="json")


def _answer(fmt: Format, root: str, value: BaseModel | list[Any]) -> Response[str]:
    return open311_response(HTTPStatus.OK, fmt, root, _dumped(value))


def _file(name: str, what: str, jurisdiction_id: str | None) -> tuple[str, Format]:
    """``ROAD.json`` -> (``ROAD``, JSON); 404 for any other extension or jurisdiction."""
    split = split_format(name)
    if split is None or not split[0]:
        raise NotFound(f"{what} tidak ditemukan: pakai akhiran .json atau .xml.")
    _check_jurisdiction(jurisdiction_id)
    return split


def endpoint_url(app: APIGatewayHttpResolver) -> str:
    """This endpoint's base URL, as the caller reached it (domain, stage, scheme)."""
    event = app.current_event
    context = event.raw_event.get("requestContext") or {}
    headers = event.headers or {}
    scheme = headers.get("x-forwarded-proto", "https").split(",")[0].strip() or "https"
    domain = context.get("domainName") or headers.get("host", "localhost")
    stage = context.get("stage") or "$default"
    prefix = "" if stage == "$default" else f"/{stage}"
    return f"{scheme}://{domain}{prefix}{BASE}"


ServiceOf = Callable[[], Open311ReadService]


def register_open311_reads(app: APIGatewayHttpResolver, service_of: ServiceOf) -> None:
    """The reading routes of Open311 GeoReport v2 on ``app``.

    ``service_of`` gives the function's service at each request (a test swaps it).
    """
    for fmt in Format:
        _register_static(app, service_of, fmt)
    _register_by_id(app, service_of)


def _register_static(app: APIGatewayHttpResolver, service_of: ServiceOf, fmt: Format) -> None:
    ext = fmt.value
    errors = {400: INVALID_PARAMETERS, 404: UNKNOWN_JURISDICTION}

    @app.get(
        f"{BASE}/discovery.{ext}",
        summary=f"Open311: discovery ({ext.upper()})",
        tags=[TAG],
        responses=_responses(fmt, Open311Discovery, "Titik akhir dan formatnya", errors),
    )
    def open311_discovery(jurisdiction_id: Jurisdiction = None) -> Response[str]:
        _check_jurisdiction(jurisdiction_id)
        return _answer(fmt, "discovery", discovery(endpoint_url(app)))

    @app.get(
        f"{BASE}/services.{ext}",
        summary=f"Open311: daftar layanan, satu per kategori ({ext.upper()})",
        tags=[TAG],
        responses=_responses(fmt, list[Open311Service], "Layanan (kategori pengaduan)", errors),
    )
    def open311_services(jurisdiction_id: Jurisdiction = None) -> Response[str]:
        _check_jurisdiction(jurisdiction_id)
        return _answer(fmt, "services", service_of().services())

    @app.get(
        f"{BASE}/requests.{ext}",
        summary=f"Open311: daftar laporan publik ({ext.upper()})",
        description=(
            "Laporan publik (pengaduan rahasia tidak pernah tampil), paling banyak 1.000: "
            "status open lebih dulu, lalu closed; masing-masing terbaru lebih dulu."
        ),
        tags=[TAG],
        responses={
            **_responses(fmt, list[Open311Request], "Laporan publik", errors),
            503: {"description": BUSY, "content": _content(fmt, list[Open311ErrorItem])},
        },
    )
    def open311_requests(
        jurisdiction_id: Jurisdiction = None,
        service_request_id: Annotated[
            str | None, _query(2000, "Nomor tiket, dipisah koma; mengabaikan yang lain")
        ] = None,
        service_code: Annotated[str | None, _query(2000, "Kode layanan, dipisah koma")] = None,
        start_date: Annotated[
            str | None, _query(40, "Awal (w3), mis. 2025-06-01T00:00:00+07:00")
        ] = None,
        end_date: Annotated[str | None, _query(40, "Akhir (w3); paling lama 90 hari")] = None,
        status: Annotated[str | None, _query(40, "open, closed, atau keduanya (koma)")] = None,
        page: Annotated[str | None, _query(10, "Halaman, bilangan bulat mulai 1")] = None,
        page_size: Annotated[str | None, _query(10, PAGE_SIZE)] = None,
    ) -> Response[str]:
        _check_jurisdiction(jurisdiction_id)
        found = service_of().requests(
            RequestFilter(
                service_request_id, service_code, start_date, end_date, status, page, page_size
            )
        )
        return _answer(fmt, "service_requests", found)


def _register_by_id(app: APIGatewayHttpResolver, service_of: ServiceOf) -> None:
    by_id_errors = {400: INVALID_PARAMETERS, 404: "Tidak ditemukan"}

    @app.get(
        f"{BASE}/services/<service_file>",
        summary="Open311: definisi satu layanan",
        tags=[TAG],
        responses=_responses(None, Open311ServiceDefinition, "Definisi layanan", by_id_errors),
    )
    def open311_service_definition(
        service_file: ServiceFile,
        jurisdiction_id: Jurisdiction = None,
    ) -> Response[str]:
        code, fmt = _file(service_file, "Layanan", jurisdiction_id)
        return _answer(fmt, "service_definition", service_of().service_definition(code))

    @app.get(
        f"{BASE}/requests/<request_file>",
        summary="Open311: satu laporan publik",
        tags=[TAG],
        responses={
            **_responses(None, list[Open311Request], "Laporan (daftar berisi satu)", by_id_errors),
            503: {"description": BUSY, "content": _content(None, list[Open311ErrorItem])},
        },
    )
    def open311_request(
        request_file: RequestFile,
        jurisdiction_id: Jurisdiction = None,
    ) -> Response[str]:
        ticket, fmt = _file(request_file, "Laporan", jurisdiction_id)
        return _answer(fmt, "service_requests", [service_of().request(ticket)])

    @app.get(
        f"{BASE}/tokens/<token_file>",
        summary="Open311: token (selalu 404: laporan langsung bernomor tiket)",
        tags=[TAG],
        responses=_responses(None, list[Open311Request], "Tidak pernah", by_id_errors),
    )
    def open311_token(
        token_file: TokenFile,
        jurisdiction_id: Jurisdiction = None,
    ) -> Response[str]:
        _file(token_file, "Token", jurisdiction_id)
        raise NotFound(
            "Token tidak dikenal: layanan ini realtime, service_request_id langsung diberikan."
        )

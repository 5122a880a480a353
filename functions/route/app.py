"""Officer routes: queues, complaint details, and the workflow actions.

Every route sits behind the HttpApi JWT authorizer (template.yaml); the handler
reads the officer from the verified claims, calls one use case, and shapes the
answer. Who may do what, and what an action changes, live in the domain.

This module deliberately does not use ``from __future__ import annotations``: the
action routes are registered by a factory, and Powertools reads the parameter
types of those closures at registration time.
"""

import pendopo.runtime.coldstart  # first: the init runs without GC passes (see there)

# isort: split
import re
from datetime import datetime
from http import HTTPStatus
from typing import Annotated
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from pendopo.api import errors
from pendopo.api.identity import current_officer
from pendopo.api.resolver import json_api, lambda_handler_for
from pendopo.api.responses import json_response
from pendopo.domain.clock import Clock, SystemClock
from pendopo.domain.officer import DashboardNotAllowed, Officer, dashboard_units
from pendopo.domain.stats import parse_period
from pendopo.domain.status import Action, Status
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.domain.workflow import COMMANDS, Command
from pendopo.runtime.bootstrap import (
    access_log_service,
    connect,
    stats_service,
    workflow_service,
)
from pendopo.runtime.settings import get_settings
from pendopo.services.access_log import AccessQuery
from pendopo.services.workflow import InvalidQuery, QueueFilters, Request
from pendopo.views.officer import AccessLogPage, ActionResult, ComplaintDetail, QueuePage
from pendopo.views.public import CodeLabel, UnitRef
from pendopo.views.stats import Statistics

API_TITLE = "Pendopo - Layanan Petugas"
API_VERSION = "1.0.0"

app = json_api(API_TITLE, API_VERSION, "/v1/officer/openapi.json", storage=True)

settings = get_settings()
taxonomy = load_taxonomy()
clock: Clock = SystemClock()
connect(settings)
service = workflow_service(taxonomy, clock)
access_log = access_log_service()
statistics = stats_service(taxonomy, clock)

# Who may call at all: the authorizer's 401, the stage's 429, and the 403 of a token
# whose groups do not make one officer (every route reads the officer).
CALLER_ERRORS: dict[int, OpenAPIResponse] = {
    **errors.UNAUTHENTICATED,
    403: errors.error_doc("Peran atau unit tidak berwenang"),
    **errors.THROTTLED,
}
# The account route reads no complaint: the caller's answers and a refused query.
ME_ERRORS: dict[int, OpenAPIResponse] = {**CALLER_ERRORS, **errors.INVALID}
OFFICER_ERRORS: dict[int, OpenAPIResponse] = {
    **CALLER_ERRORS,
    404: errors.error_doc("Pengaduan tidak ditemukan"),
    **errors.INVALID,
    **errors.STORAGE_BUSY,
}
# The access log reads no complaint: no 404.
ACCESS_LOG_ERRORS: dict[int, OpenAPIResponse] = {
    **CALLER_ERRORS,
    **errors.INVALID,
    **errors.STORAGE_BUSY,
}
ACTION_ERRORS: dict[int, OpenAPIResponse] = {
    **OFFICER_ERRORS,
    **errors.BODY_REFUSED,
    409: errors.error_doc("Status tidak memungkinkan tindakan ini, atau diubah petugas lain"),
    412: errors.error_doc("Pengaduan sudah berubah sejak Anda membukanya (If-Match)"),
    428: errors.error_doc("Header If-Match (versi yang Anda lihat) wajib dikirim"),
}
# A sane range for due_before: storage keeps four-digit years, and the extremes of
# datetime overflow when converted to UTC.
EARLIEST_DUE, LATEST_DUE = 2000, 2100
CURSOR_MAX_LENGTH = 4096
_ETAG = re.compile(r'^\s*"?(\d{1,9})"?\s*$')


def officer(*, allow_leader: bool = False) -> Officer:
    """The caller. Leaders (pimpinan) are refused (403) unless ``allow_leader``: a route
    that shows a complaint, a queue or the access log never serves them."""
    return current_officer(app.current_event, taxonomy.units, allow_leader=allow_leader)


def this_request(route: str) -> Request:
    """The route (as the template names it) and the request id an access record names."""
    context = app.current_event.raw_event.get("requestContext") or {}
    return Request(route=route, request_id=str(context.get("requestId") or "-"))


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str | None) -> int | None:
    """The version in an If-Match header: "3" or 3. None when absent or "*".

    A weak tag (W/"3") never matches: If-Match compares strongly (RFC 9110).
    """
    if value is None or value.strip() == "*":
        return None
    found = _ETAG.match(value)
    return int(found.group(1)) if found else -1  # -1 matches no version: 412


# --- who am I ---------------------------------------------------------------------


class Me(BaseModel):
    username: str
    role: str
    unit: UnitRef | None
    # Leaders (pimpinan) only: SEKDA or an Asisten's code; their console shows the dashboard.
    scope: str | None = None
    sees_every_unit: bool
    units: list[UnitRef]
    statuses: list[CodeLabel]


@app.get(
    "/v1/officer/me",
    summary="Akun yang sedang masuk",
    tags=["Petugas"],
    responses={200: {"description": "Akun, unit, dan pilihan filter"}, **ME_ERRORS},
)
def who_am_i() -> Me:
    # Leaders too: the account, nothing of any complaint (their console needs the role).
    me = officer(allow_leader=True)
    unit = taxonomy.units.get(me.unit) if me.unit else None
    return Me(
        username=me.username,
        role=me.role.value,
        unit=UnitRef(code=unit.code, name=unit.name) if unit else None,
        scope=me.scope,
        sees_every_unit=me.sees_every_unit,
        units=[UnitRef(code=u.code, name=u.name) for u in taxonomy.units.values()],
        statuses=[CodeLabel(code=s.value, label=s.label) for s in Status],
    )


# --- queue and detail -------------------------------------------------------------


def _statuses(text: str | None) -> tuple[Status, ...]:
    if not text:
        return ()
    codes = [part.strip() for part in text.split(",") if part.strip()]
    known = {s.value for s in Status}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise InvalidQuery("status", f"Status tidak dikenal: {', '.join(unknown)}.")
    return tuple(dict.fromkeys(Status(code) for code in codes))


@app.get(
    "/v1/officer/complaints",
    summary="Antrean pengaduan unit saya, diurutkan menurut batas waktu",
    tags=["Petugas"],
    responses={200: {"description": "Satu halaman antrean"}, **OFFICER_ERRORS},
)
def list_queue(
    status: Annotated[
        str | None, Query(max_length=200, description="Kode status, dipisah koma")
    ] = None,
    overdue: Annotated[bool, Query(description="Hanya yang melewati batas waktu")] = False,
    disputed: Annotated[
        bool, Query(description="Hanya yang disanggah pelapor (menurutnya belum selesai)")
    ] = False,
    due_before: Annotated[datetime | None, Query(description="Batas waktu sebelum")] = None,
    unit: Annotated[
        str | None, Query(max_length=41, description="Kode unit; ALL untuk semua unit")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    # A real cursor is at most ~2 KB (every status's partition); 4 KB keeps the URL,
    # with a token, well inside API Gateway's 10,240 bytes of request line and headers.
    cursor: Annotated[str | None, Query(max_length=CURSOR_MAX_LENGTH)] = None,
) -> Response[QueuePage]:
    if due_before is not None and due_before.tzinfo is None:
        raise InvalidQuery("due_before", "Sertakan zona waktu, misalnya 2025-06-12T09:00+07:00.")
    if due_before is not None and not EARLIEST_DUE <= due_before.year <= LATEST_DUE:
        raise InvalidQuery("due_before", f"Tahun harus antara {EARLIEST_DUE} dan {LATEST_DUE}.")
    filters = QueueFilters(
        unit=unit,
        statuses=_statuses(status),
        overdue=overdue,
        disputed=disputed,
        due_before=due_before,
        limit=limit,
        cursor=cursor,
    )
    page = service.queue(officer(), filters)
    return json_response(HTTPStatus.OK, page, {"Cache-Control": "no-store"})


@app.get(
    "/v1/officer/complaints/<ticket>",
    summary="Rincian pengaduan dengan jejak audit lengkap",
    tags=["Petugas"],
    responses={
        200: {"description": "Pengaduan, jejak audit, tindakan yang boleh"},
        **OFFICER_ERRORS,
    },
)
def get_detail(ticket: Annotated[str, Path(max_length=40)]) -> Response[ComplaintDetail]:
    detail = service.detail(
        officer(), unquote(ticket), this_request("GET /v1/officer/complaints/{ticket}")
    )
    return json_response(
        HTTPStatus.OK, detail, {"ETag": etag(detail.version), "Cache-Control": "no-store"}
    )


# --- the live figures (issue #19) ---------------------------------------------------


@app.get(
    "/v1/officer/dashboard",
    summary="Dasbor angka pengaduan unit yang boleh Anda lihat (koordinator, verifikator, "
    "admin, pimpinan)",
    tags=["Petugas"],
    responses={
        200: {"description": "Angka per unit, per Asisten dan seluruhnya; tren 90 hari"},
        **ACCESS_LOG_ERRORS,
    },
)
def get_dashboard(
    period: Annotated[
        str | None,
        Query(max_length=10, description="today, 7d, 30d (bawaan), atau bulan YYYY-MM"),
    ] = None,
    unit: Annotated[str | None, Query(max_length=40, description="Satu unit (kode)")] = None,
) -> Response[Statistics]:
    allowed = dashboard_units(officer(allow_leader=True), taxonomy)
    chosen = parse_period(period, statistics.clock.now())
    if unit is not None and unit not in allowed:
        raise DashboardNotAllowed("Anda tidak berwenang melihat angka unit ini.")
    units = [unit] if unit is not None else list(allowed)
    answer = Statistics.of(statistics.answer(chosen, units))
    return json_response(HTTPStatus.OK, answer, {"Cache-Control": "private, no-store"})


# --- the access log (admins) -------------------------------------------------------


ACCESS_LOG_ROUTE = {
    "summary": "Log akses data identitas pelapor: per pengaduan, atau per petugas dan bulan",
    "tags": ["Admin"],
    "responses": {200: {"description": "Satu halaman log akses"}, **ACCESS_LOG_ERRORS},
}


@app.get("/v1/officer/access-log", **ACCESS_LOG_ROUTE)  # type: ignore[arg-type]
def read_access_log(
    ticket: Annotated[str | None, Query(max_length=40, description="Nomor tiket")] = None,
    officer_email: Annotated[
        str | None, Query(alias="officer", max_length=128, description="Email petugas")
    ] = None,
    month: Annotated[str | None, Query(max_length=7, description="Bulan WIB, YYYY-MM")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=CURSOR_MAX_LENGTH)] = None,
) -> Response[AccessLogPage]:
    query = AccessQuery(
        ticket=ticket, officer=officer_email, month=month, limit=limit, cursor=cursor
    )
    page = access_log.read(officer(), query)
    return json_response(HTTPStatus.OK, page, {"Cache-Control": "no-store"})


# --- actions ----------------------------------------------------------------------

# URL segment, action, summary. The body each takes is the domain's COMMANDS[action].
ACTION_ROUTES: tuple[tuple[str, Action, str], ...] = (
    ("verify", Action.VERIFY, "Verifikasi: pengaduan valid, diteruskan ke unit (verifikator)"),
    ("reject", Action.REJECT, "Tolak pengaduan dengan alasan (verifikator)"),
    ("reroute", Action.REROUTE, "Alihkan ke unit lain melalui kategori yang benar"),
    ("disposition", Action.DISPOSITION, "Disposisi ke perangkat daerah atau BUMD (koordinator)"),
    ("acknowledge", Action.ACKNOWLEDGE, "Perangkat daerah mulai menindaklanjuti (koordinator)"),
    ("follow-up", Action.SUBMIT_FOLLOW_UP, "Sampaikan hasil tindak lanjut (koordinator)"),
    ("accept", Action.ACCEPT_FOLLOW_UP, "Terima hasil tindak lanjut: selesai (verifikator)"),
    ("return", Action.REJECT_FOLLOW_UP, "Tolak hasil tindak lanjut dengan alasan (verifikator)"),
    ("reopen", Action.REOPEN, "Buka kembali pengaduan yang disanggah pelapor (verifikator)"),
    (
        "keep-closed",
        Action.KEEP_CLOSED,
        "Tetapkan selesai pengaduan yang disanggah, dengan catatan untuk pelapor (verifikator)",
    ),
)


def _register_action(segment: str, action: Action, summary: str) -> None:
    command_type = COMMANDS[action]

    def take_action(
        ticket: Annotated[str, Path(max_length=40)],
        command: Annotated[command_type, Body()],  # type: ignore[valid-type]
        if_match: Annotated[
            str | None,
            Header(max_length=40, description='Versi yang Anda lihat (ETag), misalnya "3"'),
        ] = None,
    ) -> Response[ActionResult]:
        result = service.act(
            officer(), unquote(ticket), action, _as_command(command), parse_if_match(if_match)
        )
        return json_response(HTTPStatus.OK, result, {"ETag": etag(result.version)})

    take_action.__name__ = f"action_{segment.replace('-', '_')}"
    app.post(
        f"/v1/officer/complaints/<ticket>/{segment}",
        summary=summary,
        tags=["Petugas"],
        operation_id=f"{action.value}",
        responses={200: {"description": "Status dan versi baru"}, **ACTION_ERRORS},
    )(take_action)


def _as_command(value: object) -> Command:
    if not isinstance(value, BaseModel):
        raise TypeError("the validated body is not a command model")
    return value  # type: ignore[return-value]


for _segment, _action, _summary in ACTION_ROUTES:
    _register_action(_segment, _action, _summary)


lambda_handler = lambda_handler_for(app, settings.max_body_bytes)


pendopo.runtime.coldstart.end_init()  # the last statement of the init

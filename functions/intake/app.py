"""Public intake routes for the e-kiosk and web clients (no account needed).

It serves Open311 GeoReport v2 for partner apps too (``pendopo.api.open311``).

Thin by design: parse and validate the request, call one use case, shape the
answer. Rules live in ``pendopo.domain``; DynamoDB lives in ``pendopo.storage``.

This module deliberately does not use ``from __future__ import annotations``: the
reporter's routes are registered by a factory, and Powertools reads the parameter
types of those closures at registration time (as in ``functions/route/app.py``).
"""

import pendopo.runtime.coldstart  # first: the init runs without GC passes (see there)

# isort: split
from http import HTTPStatus
from typing import Annotated, Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from pendopo.api.errors import (
    BODY_REFUSED,
    INVALID,
    STORAGE_BUSY,
    THROTTLED,
    UNAUTHENTICATED,
    error_doc,
)
from pendopo.api.identity import current_officer
from pendopo.api.open311 import register_open311_reads
from pendopo.api.open311_errors import OPEN311_ERRORS
from pendopo.api.open311_post import register_open311_post
from pendopo.api.resolver import json_api, lambda_handler_for
from pendopo.api.responses import json_response
from pendopo.domain.citizen import FeedbackBody, UpdateBody
from pendopo.domain.clock import Clock, SystemClock
from pendopo.domain.complaint import Channel, ComplaintDetails, PublicSubmission
from pendopo.domain.errors import ComplaintNotFound
from pendopo.domain.kiosk import KioskInfo, kiosk_info, load_kiosk_content
from pendopo.domain.stats import parse_period
from pendopo.domain.status import Role
from pendopo.domain.workflow import Forbidden
from pendopo.runtime.bootstrap import (
    build_intake_rules,
    connect,
    intake_service,
    open311_read_service,
    partner_service,
    stats_service,
)
from pendopo.runtime.settings import get_settings
from pendopo.services.intake import Submitted
from pendopo.views.public import Categories, Receipt, ReporterStepAnswer, Tracking, categories
from pendopo.views.stats import Statistics

API_TITLE = "Pendopo - Layanan Pengaduan Masyarakat Balai Kota Jakarta"
API_VERSION = "1.0.0"
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_\-]{8,128}$"
# The longest ticket text worth reading: 12 digits with spaces, dots or dashes
# ("2506%204821%207734" as sent is 18); anything longer is not a ticket.
MAX_TICKET_TEXT = 40
# The same answer for an unknown ticket and a wrong code: nothing to probe.
NOT_FOUND_MESSAGE = "Pengaduan tidak ditemukan. Periksa nomor tiket dan kode pelacakan."
ERROR_RESPONSES: dict[int, OpenAPIResponse] = {
    **BODY_REFUSED,
    **INVALID,
    **THROTTLED,
    **STORAGE_BUSY,
}

app = json_api(
    API_TITLE,
    API_VERSION,
    "/v1/openapi.json",
    storage=True,
    swagger_path="/v1/docs",
    dialect=OPEN311_ERRORS,
)

settings = get_settings()
clock: Clock = SystemClock()
rules = build_intake_rules(settings)
# Created at cold start, when Lambda gives the init phase a full CPU.
connect(settings)
service = intake_service(settings, rules=rules, clock=clock)
# Open311 GeoReport v2 (/open311/v2/): partner apps read services and public requests.
open311 = open311_read_service(rules.taxonomy, clock)
register_open311_reads(app, lambda: open311)
# ... and partners file requests with their key (POST requests.json / .xml).
partners = partner_service(clock)
register_open311_post(app, lambda: service, lambda: partners, rules.taxonomy)
# The public statistics (issue #19): the live figures' counters, one Query per unit.
statistics = stats_service(rules.taxonomy, clock)
# The edge and browsers keep an answer 5 minutes (the CloudFront behaviour does too).
STATISTICS_CACHE = "public, max-age=300"


@app.get(
    "/v1/categories",
    summary="Daftar kategori pengaduan, dikelompokkan per unit",
    responses={200: {"description": "Kategori per unit dan topik warga"}, **INVALID, **THROTTLED},
)
def list_categories() -> Categories:
    return categories(rules.taxonomy)


@app.get(
    "/v1/kiosk/info",
    summary="Informasi program dan jam layanan Pendopo",
    responses={200: {"description": "Jam layanan dan program"}, **INVALID, **THROTTLED},
)
def get_kiosk_info() -> KioskInfo:
    return kiosk_info(clock.now(), rules.sessions, load_kiosk_content())


@app.get(
    "/v1/statistics",
    summary="Statistik pengaduan untuk publik: angka agregat semua unit (tanpa login)",
    responses={
        200: {"description": "Angka per unit, per Asisten dan seluruhnya; tren 90 hari"},
        **INVALID,
        **THROTTLED,
        **STORAGE_BUSY,
    },
)
def get_statistics(
    period: Annotated[
        str | None,
        Query(max_length=10, description="today, 7d, 30d (bawaan), atau bulan YYYY-MM"),
    ] = None,
) -> Response[Statistics]:
    chosen = parse_period(period, statistics.clock.now())
    answer = Statistics.of(statistics.answer(chosen, list(rules.taxonomy.units)))
    return json_response(HTTPStatus.OK, answer, {"Cache-Control": STATISTICS_CACHE})


# What both submit routes share: the retry key, its answers, and the 201 receipt.
IdempotencyKey = Annotated[
    str,
    Header(
        pattern=IDEMPOTENCY_KEY_PATTERN,
        description="Kunci unik dari klien; kirim ulang dengan kunci yang sama bila gagal",
    ),
]
SUBMIT_RESPONSES: dict[int, OpenAPIResponse] = {
    409: error_doc("Idempotency-Key sudah dipakai untuk pengaduan lain"),
    503: error_doc("Sistem sibuk; kirim ulang dengan Idempotency-Key yang sama"),
    **ERROR_RESPONSES,
}


def receipt_response(submitted: Submitted) -> Response[Receipt]:
    return json_response(
        HTTPStatus.CREATED,
        submitted.receipt,
        {"Idempotent-Replayed": str(submitted.replayed).lower()},
    )


@app.post(
    "/v1/complaints",
    summary="Sampaikan pengaduan (e-kiosk dan web)",
    responses={
        201: {"description": "Pengaduan diterima"},
        **SUBMIT_RESPONSES,
    },
)
def submit_complaint(
    submission: Annotated[PublicSubmission, Body()],
    idempotency_key: IdempotencyKey,
) -> Response[Receipt]:
    submitted = service.submit(submission, Channel(submission.channel), idempotency_key)
    return receipt_response(submitted)


# Every unit officer may enter a walk-in complaint at the desk; administrators run
# accounts, not the desk.
WALK_IN_ROLES = frozenset({Role.OFFICER, Role.COORDINATOR, Role.VERIFIER})


@app.post(
    "/v1/officer/complaints",
    summary="Catat pengaduan tatap muka di Pendopo (petugas)",
    tags=["Petugas"],
    responses={
        201: {"description": "Pengaduan dicatat"},
        **UNAUTHENTICATED,
        403: error_doc("Peran tidak berwenang"),
        **SUBMIT_RESPONSES,
    },
)
def submit_walk_in(
    details: Annotated[ComplaintDetails, Body()],
    idempotency_key: IdempotencyKey,
) -> Response[Receipt]:
    # Who entered it and for which unit come from the verified token, never the body.
    officer = current_officer(app.current_event, rules.taxonomy.units)
    if officer.role not in WALK_IN_ROLES:
        raise Forbidden("Administrator tidak mencatat pengaduan; gunakan akun petugas.")
    # Outside the desk hours it is still accepted (a citizen who queued at 09:25 is
    # served); the complaint is flagged, not refused.
    submitted = service.submit(
        details,
        Channel.PENDOPO,
        idempotency_key,
        actor=officer.actor,
        role=officer.role,
        actor_unit=officer.unit,
    )
    return receipt_response(submitted)


TrackingCode = Annotated[
    str | None, Header(description="Kode pelacakan (wajib; tidak pernah di URL)")
]


def checked_pair(ticket: str, code: str | None) -> str:
    """The code when the pair is worth checking; the one 404 otherwise (as tracking)."""
    if code is None or len(ticket) > MAX_TICKET_TEXT or len(code) > 20:
        raise ComplaintNotFound(NOT_FOUND_MESSAGE)
    return code


@app.get(
    "/v1/complaints/<ticket>",
    summary="Lacak pengaduan dengan nomor tiket dan kode pelacakan",
    responses={
        200: {"description": "Status dan linimasa pengaduan"},
        # Every guess, a malformed ticket or code too, is this one 404 (never a 422).
        404: error_doc("Tidak ditemukan"),
        **THROTTLED,
        **STORAGE_BUSY,
    },
)
def track_complaint(
    ticket: Annotated[str, Path()],
    x_tracking_code: TrackingCode = None,
) -> Response[Tracking]:
    # Every guess gets the same 404, a missing or oversized code and a ticket of the
    # wrong shape too: no other status tells a prober anything (docs/api.md).
    code = checked_pair(ticket, x_tracking_code)
    # The path segment arrives as sent: "2506%204821%207734" for a ticket typed with spaces.
    view = service.track(unquote(ticket), code)
    if view is None:
        raise ComplaintNotFound(NOT_FOUND_MESSAGE)
    return json_response(HTTPStatus.OK, view, {"Cache-Control": "no-store"})


# The reporter's unsubscribe link (their emails): a page with a button on GET, since
# mail scanners follow links; the POST stops every further SMS and email about the
# complaint. Any wrong ticket/token pair is the one 404.
UNSUBSCRIBED = "Anda tidak akan menerima SMS atau email lagi tentang pengaduan ini."
UnsubscribeToken = Annotated[
    str, Query(min_length=1, max_length=64, description="Token dari tautan di email pelapor")
]
UNSUBSCRIBE_RESPONSES: dict[int, OpenAPIResponse] = {
    404: error_doc("Tidak ditemukan"),
    **ERROR_RESPONSES,
}


# --- the reporter's own steps: tracking code in a header, the same 404 for any wrong pair


REPORTER_STEP_RESPONSES: dict[int, OpenAPIResponse] = {
    404: error_doc("Tidak ditemukan (nomor tiket atau kode pelacakan salah)"),
    409: error_doc("Status pengaduan tidak memungkinkan langkah ini; pesannya menjelaskan"),
    **ERROR_RESPONSES,
}


def _register_step(segment: str, body_type: type[BaseModel], summary: str, created: str) -> None:
    """POST /v1/complaints/<ticket>/<segment>: the service's method of that name, once the
    pair is worth checking; one 404 for any wrong pair, 201 with what to tell the reporter."""

    def reporter_step(
        ticket: Annotated[str, Path()],
        body: Annotated[body_type, Body()],  # type: ignore[valid-type]
        x_tracking_code: TrackingCode = None,
    ) -> Response[ReporterStepAnswer]:
        code = checked_pair(ticket, x_tracking_code)
        answer = getattr(service, segment)(unquote(ticket), code, body)
        if answer is None:
            raise ComplaintNotFound(NOT_FOUND_MESSAGE)
        return json_response(HTTPStatus.CREATED, answer, {"Cache-Control": "no-store"})

    reporter_step.__name__ = f"reporter_{segment}"
    app.post(
        f"/v1/complaints/<ticket>/{segment}",
        summary=summary,
        responses={201: {"description": created}, **REPORTER_STEP_RESPONSES},
    )(reporter_step)


_register_step(
    "updates",
    UpdateBody,
    "Tambahkan informasi pada pengaduan yang masih berjalan (pelapor)",
    "Tambahan informasi diterima",
)
_register_step(
    "feedback",
    FeedbackBody,
    "Beri penilaian atas pengaduan yang sudah selesai (pelapor)",
    "Penilaian diterima",
)


def _unsubscribe_page(ticket: str, *, done: bool) -> Response[str]:
    # Imported here: jinja2 is not worth a cold start for a page this rare.
    from pendopo.notifications.reporter import render_unsubscribe_page

    return Response(
        status_code=HTTPStatus.OK.value,
        content_type="text/html; charset=utf-8",
        body=render_unsubscribe_page(ticket, done=done),
        headers={"Cache-Control": "no-store"},
    )


@app.get(
    "/v1/complaints/<ticket>/unsubscribe",
    summary="Halaman berhenti menerima kabar pengaduan (tautan di email pelapor)",
    responses={
        200: {"description": "Halaman konfirmasi", "content": {"text/html": {}}},
        **UNSUBSCRIBE_RESPONSES,
    },
)
def unsubscribe_page(ticket: Annotated[str, Path()], token: UnsubscribeToken) -> Response[str]:
    allowed = len(ticket) <= MAX_TICKET_TEXT and service.unsubscribe_allowed(unquote(ticket), token)
    if not allowed:
        raise ComplaintNotFound(NOT_FOUND_MESSAGE)
    return _unsubscribe_page(allowed, done=False)


@app.post(
    "/v1/complaints/<ticket>/unsubscribe",
    summary="Berhenti menerima kabar (SMS dan email) tentang pengaduan ini",
    responses={
        200: {"description": "Tidak ada kabar lagi (JSON, atau halaman untuk peramban)"},
        **UNSUBSCRIBE_RESPONSES,
    },
)
def unsubscribe(ticket: Annotated[str, Path()], token: UnsubscribeToken) -> Response[Any]:
    stopped = len(ticket) <= MAX_TICKET_TEXT and service.unsubscribe(unquote(ticket), token)
    if not stopped:
        raise ComplaintNotFound(NOT_FOUND_MESSAGE)
    if "text/html" in (app.current_event.headers.get("accept") or ""):
        return _unsubscribe_page(stopped, done=True)
    return json_response(HTTPStatus.OK, {"message": UNSUBSCRIBED}, {"Cache-Control": "no-store"})


lambda_handler = lambda_handler_for(app, settings.max_body_bytes)


lambda_handler = lambda_handler_for(app, settings.max_body_bytes, OPEN311_ERRORS)


pendopo.runtime.coldstart.end_init()  # the last statement of the init

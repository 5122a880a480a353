"""The one error map: every error a client gets, and what the OpenAPI documents say of it.

Every error answer is JSON with a ``message`` a client can show (Bahasa Indonesia)
and, for some, more fields (``errors`` per invalid field, ``current_status``).
``register_error_map`` maps, in one place: every ``PendopoError`` (domain, services,
storage and the caller's identity carry their own status, message, fields and
headers), request validation (422), a body that is not JSON (415), an unknown path
(404), and, for functions that use the table, a table that stays busy (503).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Protocol

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, Field

from pendopo.api.messages import INVALID_REQUEST_MESSAGE, NOT_JSON_MESSAGE, field_errors
from pendopo.api.responses import error_response
from pendopo.domain.errors import PendopoError

# --- what the OpenAPI documents say about errors -----------------------------------


# No docstrings on these models: pydantic would put them in the documents, which
# people read in Bahasa Indonesia (Swagger UI).
class FieldError(BaseModel):
    # One invalid field: where it is and what is wrong.
    field: str
    location: str | None = Field(
        default=None, alias="in", description="body, header, path atau query"
    )
    message: str
    upload_id: str | None = Field(
        default=None, description="Lampiran (upload_id) yang tidak dapat dipakai (attachments)"
    )


class CurrentStatus(BaseModel):
    code: str | None
    label: str


class ErrorBody(BaseModel):
    # Every error answer: a message a client can show, and details for some. The same
    # shape comes from our handlers, the body-size and content-type guard, and API
    # Gateway itself (its JWT authorizer's 401 and its throttling's 429 carry only
    # "message").
    message: str = Field(description="Pesan yang dapat ditampilkan kepada pengguna")
    errors: list[FieldError] | None = Field(
        default=None, description="Kolom yang belum benar (422)"
    )
    current_status: CurrentStatus | None = Field(
        default=None, description="Status pengaduan sekarang (409, 412)"
    )
    current_version: int | None = Field(default=None, description="Versi sekarang (412)")


def error_doc(description: str) -> OpenAPIResponse:
    """An error response for ``responses=``, documented with the error body.

    Without ``content`` Powertools documents every listed status with the route's
    return model, so a 404 would claim to be a receipt.
    """
    return {"description": description, "content": {"application/json": {"model": ErrorBody}}}


# Answers API Gateway gives before a handler runs: the stage's throttling (every
# route has at least the default limit) and, on authorized routes, the JWT authorizer.
THROTTLED: dict[int, OpenAPIResponse] = {
    429: error_doc("Terlalu banyak permintaan; coba lagi sebentar lagi")
}
UNAUTHENTICATED: dict[int, OpenAPIResponse] = {
    401: error_doc("Belum masuk, atau token tidak valid atau kedaluwarsa")
}
# The guard in resolve_json_api, on routes that take a body.
BODY_REFUSED: dict[int, OpenAPIResponse] = {
    413: error_doc("Isi permintaan terlalu besar"),
    415: error_doc("Isi permintaan bukan JSON"),
}
INVALID: dict[int, OpenAPIResponse] = {
    422: error_doc("Data tidak valid; `errors` menyebut kolom dan pesannya")
}
STORAGE_BUSY_MESSAGE = "Sistem sedang sibuk. Silakan kirim ulang sebentar lagi."
STORAGE_BUSY: dict[int, OpenAPIResponse] = {
    503: error_doc("Sistem sedang sibuk; kirim ulang permintaan yang sama sebentar lagi")
}


# --- the map ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErrorReply:
    """What the map answers: status, message, field errors (``{field, message}``), headers."""

    status: HTTPStatus
    message: str
    field_errors: Sequence[Mapping[str, Any]] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


class ErrorDialect(Protocol):
    """Another shape of error answer for some paths (Open311's ``{code, description}``)."""

    def claims(self, path: str) -> bool: ...

    def answer(self, path: str, reply: ErrorReply) -> Response[str]:
        """The answer inside the resolver."""
        ...

    def raw(self, path: str, reply: ErrorReply) -> dict[str, Any]:
        """The same answer as an HTTP API response, before the resolver runs."""
        ...


class ErrorAnswer(Protocol):
    """How the map answers: in the error body, or in the dialect of the path."""

    def __call__(
        self,
        status: HTTPStatus,
        message: str,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Response[Any]: ...


def register_error_map(
    app: APIGatewayHttpResolver, *, storage: bool, dialect: ErrorDialect | None = None
) -> None:
    """The error answers of an API function, in one place.

    ``storage``: the function uses the table, so a table busy or unreachable through
    the retries is a 503 (pynamodb is imported only then, not by every API).
    ``dialect``: the paths it claims get every error in its shape instead (same status,
    same message and field errors).
    """

    def answer(
        status: HTTPStatus, message: str, headers: Mapping[str, str] | None = None, **extra: Any
    ) -> Response[Any]:
        path = app.current_event.path
        if dialect is not None and dialect.claims(path):
            reply = ErrorReply(status, message, extra.get("errors"), dict(headers or {}))
            return dialect.answer(path, reply)
        response = error_response(status, message, **extra)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(PendopoError)
    def pendopo_error(error: PendopoError) -> Response[Any]:
        return answer(error.status, error.message, error.headers(), **error.details())

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response[Any]:
        return answer(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            INVALID_REQUEST_MESSAGE,
            errors=field_errors(error.errors()),
        )

    @app.exception_handler(RequestUnsupportedContentType)
    def unsupported_content_type(_: RequestUnsupportedContentType) -> Response[Any]:
        return answer(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, NOT_JSON_MESSAGE)

    @app.not_found
    def not_found(_: Exception) -> Response[Any]:
        return answer(HTTPStatus.NOT_FOUND, "Alamat tidak ditemukan.")

    if storage:
        _register_storage_busy(app, answer)


def _register_storage_busy(app: APIGatewayHttpResolver, answer: ErrorAnswer) -> None:
    """503 with Retry-After for a table that stays busy or unreachable through the retries.

    Any other storage error is a fault of ours and stays a function error (a 500 that
    is logged and alarmed).
    """
    import botocore.exceptions
    from pynamodb.exceptions import PynamoDBException

    from pendopo.runtime.observability import logger
    from pendopo.storage.errors import (
        TRANSIENT_CANCELLATION_REASONS,
        TRANSIENT_STORAGE_CODES,
        TRANSIENT_TRANSPORT_ERRORS,
        cancellation_codes,
        response_code,
    )

    transport = tuple(getattr(botocore.exceptions, name) for name in TRANSIENT_TRANSPORT_ERRORS)

    @app.exception_handler(PynamoDBException)
    def storage_unavailable(error: PynamoDBException) -> Response[Any]:
        code = response_code(error)
        throttled = TRANSIENT_CANCELLATION_REASONS.intersection(cancellation_codes(error))
        unanswered = isinstance(error.cause, transport)
        if code not in TRANSIENT_STORAGE_CODES and not throttled and not unanswered:
            raise error
        logger.warning(
            "Storage unavailable after retries",
            extra={
                "error_code": code or type(error.cause).__name__,
                "cancellation_reasons": sorted(throttled),
            },
        )
        return answer(HTTPStatus.SERVICE_UNAVAILABLE, STORAGE_BUSY_MESSAGE, {"Retry-After": "1"})

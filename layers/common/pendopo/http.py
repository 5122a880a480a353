"""HTTP edge helpers shared by the API functions: error bodies and guards.

Every error a client gets is JSON with a ``message`` it can show (Bahasa
Indonesia) and, for invalid input, field-level ``errors``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Collection, Iterable, Mapping
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any, TypeVar

import aws_lambda_powertools.event_handler
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
from pydantic import BaseModel, Field

from pendopo.auth import NotAnOfficer, Officer, officer_from_claims
from pendopo.domain.complaint import CUSTOM_ERROR_PREFIX
from pendopo.domain.workflow import Forbidden

T = TypeVar("T")

# Pydantic's built-in error types, in words a citizen or officer understands.
_BUILTIN_MESSAGES: dict[str, str] = {
    "missing": "Wajib diisi.",
    "extra_forbidden": "Kolom ini tidak dikenal.",
    "string_type": "Harus berupa teks.",
    "string_too_short": "Terlalu pendek: minimal {min_length} karakter.",
    "string_too_long": "Terlalu panjang: maksimal {max_length} karakter.",
    "string_pattern_mismatch": "Formatnya tidak sesuai.",
    "bool_type": "Harus bernilai ya atau tidak (true/false).",
    "bool_parsing": "Harus bernilai ya atau tidak (true/false).",
    "float_type": "Harus berupa angka.",
    "float_parsing": "Harus berupa angka.",
    "int_type": "Harus berupa bilangan bulat.",
    "int_parsing": "Harus berupa bilangan bulat.",
    "greater_than_equal": "Minimal {ge}.",
    "less_than_equal": "Maksimal {le}.",
    "literal_error": "Pilihan tidak valid: {expected}.",
    "enum": "Pilihan tidak valid: {expected}.",
    "model_type": "Harus berupa objek JSON.",
    "model_attributes_type": "Harus berupa objek JSON.",
    "dict_type": "Harus berupa objek JSON.",
    "json_invalid": "Isi permintaan bukan JSON yang valid.",
    "json_type": "Isi permintaan bukan JSON yang valid.",
    "finite_number": "Harus berupa angka.",
    "string_unicode": "Teks mengandung karakter yang tidak valid.",
    "list_type": "Harus berupa daftar.",
    # A list with too many or too few items (the attachments of a follow-up result).
    "too_long": "Terlalu banyak: maksimal {max_length}.",
    "too_short": "Terlalu sedikit: minimal {min_length}.",
}
GENERIC_INVALID = "Nilai tidak valid."
INVALID_REQUEST_MESSAGE = "Data yang dikirim belum benar. Periksa kembali isian yang ditandai."

_LOCATION_PREFIX = {"body", "header", "path", "query"}


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Pydantic errors as ``[{"field": "reporter.phone", "message": "..."}]``."""
    shaped = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in _LOCATION_PREFIX:
            source, location = location[0], location[1:]
        else:
            source = "body"
        field = ".".join(location) or source
        shaped.append({"field": field, "in": source, "message": _message(error)})
    return shaped


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type"))
    if kind.startswith(CUSTOM_ERROR_PREFIX):
        # Our own validators raise PydanticCustomError with an Indonesian message.
        return str(error.get("msg"))
    context = error.get("ctx") or {}
    if kind in ("too_long", "too_short") and context.get("field_type") != "List":
        # A length limit on an optional text (location.text) is checked as a value's.
        kind = "string_" + kind
    template = _BUILTIN_MESSAGES.get(kind, GENERIC_INVALID)
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split(":")[0] + "."


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


def json_response(
    status: HTTPStatus, body: T, headers: Mapping[str, str] | None = None
) -> Response[T]:
    """A JSON answer; the resolver serializes pydantic models in ``body``."""
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        headers=dict(headers or {}),
    )


def error_response(status: HTTPStatus, message: str, **extra: Any) -> Response[Any]:
    return json_response(status, {"message": message, **extra})


# The Swagger UI version the docs page loads when the layer leaves out Powertools'
# bundled copy (jsDelivr serves npm packages, and minified files on request).
SWAGGER_UI_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14"


def swagger_base_url() -> str | None:
    """None to inline Powertools' bundled Swagger UI; the CDN when the layer left it out.

    The deployed layer drops the 1.7 MB of assets (layers/common/Makefile); a
    development install keeps them, so the local docs page works offline.
    """
    bundled = (
        Path(aws_lambda_powertools.event_handler.__file__).parent
        / "openapi"
        / "swagger_ui"
        / "swagger-ui-bundle.min.js"
    )
    return None if bundled.is_file() else SWAGGER_UI_CDN


def resolve_json_api(
    app: APIGatewayHttpResolver, event: dict[str, Any], context: Any, max_body_bytes: int
) -> dict[str, Any]:
    """Refuse oversized or non-JSON bodies before the resolver parses them, then resolve."""
    event, refused = guard_json_request(event, max_body_bytes)
    if refused is not None:
        return refused
    return app.resolve(event, context)


# What Powertools adds to every operation of a validating resolver: a 422 "Validation
# Error" with its own English schema (HTTPValidationError), which our handlers never
# send (register_error_handlers answers 422 with ErrorBody); and to the components,
# whether used or not, ResponseValidationError. Both refer to ValidationError.
_INJECTED_422 = {"$ref": "#/components/schemas/HTTPValidationError"}
_INJECTED_SCHEMAS = ("HTTPValidationError", "ResponseValidationError", "ValidationError")


def without_injected_validation_errors(document: dict[str, Any]) -> dict[str, Any]:
    """The document without Powertools' own 422 where a route declares none.

    A route that can refuse input declares its 422 (``INVALID``, with ErrorBody),
    which replaces Powertools' one; a route that declares none never answers 422
    (the tracking route answers every guess with one 404), so the injected answer
    is dropped rather than documented in English with a body we never send. The
    schemas it referenced go too once nothing refers to them.
    """
    for item in document.get("paths", {}).values():
        for operation in item.values():
            responses = operation.get("responses", {})
            injected = responses.get("422", {}).get("content", {}).get("application/json", {})
            if injected.get("schema") == _INJECTED_422:
                del responses["422"]
    schemas = document.get("components", {}).get("schemas", {})
    for name in _INJECTED_SCHEMAS:  # the last is referred to by the others
        if f'"#/components/schemas/{name}"' not in json.dumps(document):
            schemas.pop(name, None)
    return document


def serve_openapi(app: APIGatewayHttpResolver, path: str, title: str, version: str) -> None:
    """Answer ``path`` with the app's OpenAPI document, generated once per cold start."""

    @cache
    def document() -> str:
        generated = json.loads(app.get_openapi_json_schema(title=title, version=version))
        return json.dumps(without_injected_validation_errors(generated), ensure_ascii=False)

    @app.get(path, include_in_schema=False)
    def openapi_document() -> Response[str]:
        return json_response(HTTPStatus.OK, document())


def body_size(event: Mapping[str, Any]) -> int:
    """The decoded size of an HTTP API event's body in bytes."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return len(base64.b64decode(body, validate=False))
        except (binascii.Error, ValueError):
            return len(body)
    return len(body.encode("utf-8"))


def _raw_error(status: HTTPStatus, message: str, **extra: Any) -> dict[str, Any]:
    """An HTTP API response built before the resolver runs."""
    return {
        "statusCode": status.value,
        "headers": {"Content-Type": content_types.APPLICATION_JSON},
        "body": json.dumps({"message": message, **extra}),
    }


def guard_json_request(
    event: dict[str, Any], max_bytes: int
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Refuse what the JSON API cannot take before anything parses it.

    Returns the event to resolve (its content type normalised to lower case,
    which the resolver compares case-sensitively) or an error response: 413 for
    a body over ``max_bytes``, 415 for a body that is not declared JSON.
    """
    if body_size(event) > max_bytes:
        return event, _raw_error(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            f"Isi permintaan terlalu besar (maksimal {max_bytes // 1024} KB).",
        )
    headers = event.get("headers") or {}
    declared = headers.get("content-type", "")
    media_type = declared.split(";", 1)[0].strip().lower()
    if event.get("body") and media_type not in ("", content_types.APPLICATION_JSON):
        return event, _raw_error(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "Kirim data dalam format JSON (Content-Type: application/json).",
        )
    if event.get("body") and event.get("isBase64Encoded") and not _utf8(event["body"]):
        # API Gateway base64-encodes a body that is not UTF-8 text; JSON must be UTF-8
        # (RFC 8259), and the resolver would fail decoding it (a 500).
        return event, _raw_error(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            INVALID_REQUEST_MESSAGE,
            errors=[{"field": "body", "in": "body", "message": _BUILTIN_MESSAGES["json_invalid"]}],
        )
    if declared and declared != media_type:
        event = {**event, "headers": {**headers, "content-type": media_type}}
    return event, None


def _utf8(encoded: str) -> bool:
    """Whether a base64-encoded body decodes to UTF-8 text."""
    try:
        base64.b64decode(encoded, validate=False).decode("utf-8")
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        return False
    return True


def parse_json_body(text: str) -> Any:
    """json.loads for request bodies: every unreadable body is a JSONDecodeError.

    Deeply nested arrays (RecursionError) and integers longer than Python's
    4,300-digit limit (ValueError) would otherwise escape as a 500. An object that
    names a key twice is refused too: json.loads would keep the last value and
    silently drop what the client sent first.
    """
    try:
        return json.loads(text, object_pairs_hook=_object_without_duplicate_keys)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError) as error:
        raise json.JSONDecodeError(f"unreadable JSON: {type(error).__name__}", text, 0) from None


def _object_without_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        raise ValueError("an object names the same key twice")
    return document


# --- shared handlers and the caller's identity ----------------------------------------


class Unauthenticated(Exception):
    """No verified token reached the handler (the authorizer passed no claims)."""


def current_officer(event: APIGatewayProxyEventV2, unit_codes: Collection[str]) -> Officer:
    """The officer whose token the HttpApi JWT authorizer verified for this request."""
    claims = event.request_context.authorizer.jwt_claim
    if not claims:
        raise Unauthenticated
    return officer_from_claims(claims, unit_codes)


# Storage answers that mean "not now" once botocore's own retries are spent: the
# request may be sent again as it was (officer actions keep If-Match, submissions
# their Idempotency-Key), so the client gets 503 and Retry-After, not a bare 500.
TRANSIENT_STORAGE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionInProgressException",
    }
)
# DynamoDB does not answer a throttled transaction with a throttling code: it cancels it
# (TransactionCanceledException, which botocore does not retry) and gives the reason on
# the item concerned, ThrottlingError (on-demand) or ProvisionedThroughputExceeded.
TRANSIENT_CANCELLATION_REASONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded"})
# botocore's failures of the connection itself, after its retries: the table did not
# answer (unreachable, refused, closed or timed out). Every other BotoCoreError
# (ParamValidationError, NoCredentialsError, NoRegionError ...) is a fault of ours.
TRANSIENT_TRANSPORT_ERRORS = (
    "EndpointConnectionError",
    "ConnectTimeoutError",
    "ConnectionClosedError",
    "ReadTimeoutError",
)
STORAGE_BUSY_MESSAGE = "Sistem sedang sibuk. Silakan kirim ulang sebentar lagi."
STORAGE_BUSY: dict[int, OpenAPIResponse] = {
    503: error_doc("Sistem sedang sibuk; kirim ulang permintaan yang sama sebentar lagi")
}


def register_storage_error_handler(app: APIGatewayHttpResolver) -> None:
    """503 with Retry-After for a table that stays busy or unreachable through the retries.

    Only for functions that use the table: pynamodb and botocore are imported here, not
    by every API. Any other storage error is a fault of ours and stays a function error
    (a 500 that is logged and alarmed).
    """
    import botocore.exceptions
    from pynamodb.exceptions import PynamoDBException

    from pendopo.runtime.observability import logger
    from pendopo.storage.errors import cancellation_codes, response_code

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
        response = error_response(HTTPStatus.SERVICE_UNAVAILABLE, STORAGE_BUSY_MESSAGE)
        response.headers["Retry-After"] = "1"
        return response


def register_error_handlers(app: APIGatewayHttpResolver) -> None:
    """The error answers every API function gives, in one place."""

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response[Any]:
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            INVALID_REQUEST_MESSAGE,
            errors=field_errors(error.errors()),
        )

    @app.exception_handler(RequestUnsupportedContentType)
    def unsupported_content_type(_: RequestUnsupportedContentType) -> Response[Any]:
        return error_response(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "Kirim data dalam format JSON (Content-Type: application/json).",
        )

    @app.exception_handler(Unauthenticated)
    def unauthenticated(_: Unauthenticated) -> Response[Any]:
        return error_response(HTTPStatus.UNAUTHORIZED, "Silakan masuk terlebih dahulu.")

    @app.exception_handler(NotAnOfficer)
    def not_an_officer(error: NotAnOfficer) -> Response[Any]:
        return error_response(HTTPStatus.FORBIDDEN, error.reason)

    @app.exception_handler(Forbidden)
    def forbidden(error: Forbidden) -> Response[Any]:
        return error_response(HTTPStatus.FORBIDDEN, error.message)

    @app.not_found
    def not_found(_: Exception) -> Response[Any]:
        return error_response(HTTPStatus.NOT_FOUND, "Alamat tidak ditemukan.")

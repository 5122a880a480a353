"""JSON answers built inside the resolver: a route's body, or an error body with ``message``."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import Response, content_types

T = TypeVar("T")


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
    """The one error body: a ``message`` a client can show, and ``extra`` fields for some."""
    return json_response(status, {"message": message, **extra})

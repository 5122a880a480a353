"""What a request body must be before anything parses it, and how it is parsed.

The guard answers oversized, non-JSON and non-UTF-8 bodies (413, 415, 422) before the
resolver runs; ``parse_json_body`` makes every unreadable body a JSONDecodeError, which
the resolver answers as invalid input (422) instead of a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import content_types

from pendopo.api.messages import BUILTIN_MESSAGES, INVALID_REQUEST_MESSAGE, NOT_JSON_MESSAGE


def body_size(event: Mapping[str, Any]) -> int:
    """The decoded size of an HTTP API event's body in bytes."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return len(base64.b64decode(body, validate=False))
        except (binascii.Error, ValueError):
            return len(body)
    return len(body.encode("utf-8"))


def too_large_message(max_bytes: int) -> str:
    return f"Isi permintaan terlalu besar (maksimal {max_bytes // 1024} KB)."


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
        return event, _raw_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, too_large_message(max_bytes))
    headers = event.get("headers") or {}
    declared = headers.get("content-type", "")
    media_type = declared.split(";", 1)[0].strip().lower()
    if event.get("body") and media_type not in ("", content_types.APPLICATION_JSON):
        return event, _raw_error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, NOT_JSON_MESSAGE)
    if event.get("body") and event.get("isBase64Encoded") and not _utf8(event["body"]):
        # API Gateway base64-encodes a body that is not UTF-8 text; JSON must be UTF-8
        # (RFC 8259), and the resolver would fail decoding it (a 500).
        return event, _raw_error(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            INVALID_REQUEST_MESSAGE,
            errors=[{"field": "body", "in": "body", "message": BUILTIN_MESSAGES["json_invalid"]}],
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

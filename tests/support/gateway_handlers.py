"""Handlers the gateway tests route to: they echo the event or return what they are told."""

from __future__ import annotations

import base64
import json
from typing import Any


def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The event and the context attributes, as a JSON response."""
    seen_context = {
        "function_name": context.function_name,
        "function_version": context.function_version,
        "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "aws_request_id": context.aws_request_id,
        "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name,
        "remaining_ms": context.get_remaining_time_in_millis(),
    }
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"event": event, "context": seen_context}),
    }


def scripted(event: dict[str, Any], context: Any) -> Any:
    """Returns the JSON document in the request body as the Lambda result, verbatim."""
    body = event["body"]
    if event["isBase64Encoded"]:
        body = base64.b64decode(body).decode("utf-8")
    return json.loads(body)["result"]


def plain_string(event: dict[str, Any], context: Any) -> str:
    return "halo dari Lambda"


def plain_dict(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"ok": True, "items": [1, 2]}


def boom(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise RuntimeError("handler failed on purpose")


def unserializable(event: dict[str, Any], context: Any) -> Any:
    return {"statusCode": 200, "body": object()}


# How many times counted_echo ran: the JWT tests check that refused requests never do.
COUNTED_CALLS: list[str] = []


def counted_echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    COUNTED_CALLS.append(event["requestContext"]["requestId"])
    return echo(event, context)

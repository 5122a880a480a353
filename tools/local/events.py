"""API Gateway HTTP API (payload format 2.0) events and Lambda contexts, built locally.

This is the one builder of such events: the local gateway uses it for every request
and the integration tests use it to call handlers directly, so both see exactly the
shape AWS sends (see "Working with AWS Lambda proxy integrations for HTTP APIs").
"""

from __future__ import annotations

import base64
import secrets
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

# moto's default account, so ARNs in events and contexts match the local AWS stand-in.
ACCOUNT_ID = "123456789012"
REGION = "ap-southeast-3"
API_ID = "pendopo001"
DEFAULT_DOMAIN = f"{API_ID}.execute-api.{REGION}.amazonaws.com"

# Month abbreviations spelled out: strftime("%b") follows the process locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Content types HTTP APIs hand to Lambda as text; every other body arrives base64-encoded
# (form posts and uploads included), so handlers must decode exactly as they will in AWS.
_TEXT_SUBTYPES = ("json", "xml", "javascript")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

HeaderInput = Mapping[str, str] | Iterable[tuple[str, str]]


def http_api_event(
    method: str,
    path: str,
    *,
    route_key: str | None = None,
    path_parameters: dict[str, str] | None = None,
    headers: HeaderInput | None = None,
    query: str = "",
    body: bytes | str | None = None,
    source_ip: str = "127.0.0.1",
    stage: str = "$default",
    authorizer_claims: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The event an HTTP API with a Lambda proxy integration (payload 2.0) sends.

    ``path`` is the path after the stage, as routes are written ("/v1/complaints");
    for a named stage AWS prefixes rawPath and http.path with "/<stage>", so we do too.
    ``query`` is the raw query string without "?". ``headers`` may be a mapping or a
    sequence of (name, value) pairs, so repeated headers can be passed as received.
    """
    method = method.upper()
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)  # a naive time is taken as UTC, like AWS's clock
    raw_path = path if stage == "$default" else f"/{stage}{path}"
    route_key = route_key or "$default"
    body_bytes = body.encode("utf-8") if isinstance(body, str) else body
    merged_headers, cookies = _event_headers(headers, source_ip, body_bytes)

    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = merged_headers
    query_parameters = _query_string_parameters(query)
    if query_parameters:
        event["queryStringParameters"] = query_parameters
    event["requestContext"] = _request_context(
        method, raw_path, route_key, stage, merged_headers, source_ip, now, authorizer_claims
    )
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    is_base64 = False
    if body_bytes is not None:
        event["body"], is_base64 = _encode_body(body_bytes, merged_headers.get("content-type", ""))
    event["isBase64Encoded"] = is_base64
    return event


def _event_headers(
    headers: HeaderInput | None, source_ip: str, body: bytes | None
) -> tuple[dict[str, str], list[str]]:
    """Lowercased headers with repeats comma-joined, and the cookies split out of them.

    In payload 2.0 the cookie header leaves ``headers`` and becomes the ``cookies`` list.
    """
    pairs = headers.items() if isinstance(headers, Mapping) else (headers or ())
    merged: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in pairs:
        key = name.lower()
        if key == "cookie":
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
        elif key in merged:
            merged[key] = f"{merged[key]},{value}"
        else:
            merged[key] = value
    merged.setdefault("host", DEFAULT_DOMAIN)
    # API Gateway appends the caller's address to any X-Forwarded-For it received.
    forwarded = merged.get("x-forwarded-for")
    merged["x-forwarded-for"] = f"{forwarded}, {source_ip}" if forwarded else source_ip
    merged.setdefault("x-amzn-trace-id", _trace_id())
    if body is not None:
        merged.setdefault("content-length", str(len(body)))
    return merged, cookies


def _query_string_parameters(query: str) -> dict[str, str]:
    """Decoded parameters; a repeated key becomes one comma-joined value, as in AWS."""
    parameters: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        parameters[key] = f"{parameters[key]},{value}" if key in parameters else value
    return parameters


def _request_context(
    method: str,
    raw_path: str,
    route_key: str,
    stage: str,
    headers: Mapping[str, str],
    source_ip: str,
    now: datetime,
    authorizer_claims: dict[str, Any] | None,
) -> dict[str, Any]:
    domain_name = headers["host"].split(":", 1)[0]
    context: dict[str, Any] = {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": domain_name,
        "domainPrefix": domain_name.split(".", 1)[0],
        "http": {
            "method": method,
            "path": raw_path,
            "protocol": "HTTP/1.1",
            "sourceIp": source_ip,
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": str(uuid.uuid4()),
        "routeKey": route_key,
        "stage": stage,
        "time": _clf_time(now),
        # Integer arithmetic: float timestamps can be a millisecond off when truncated.
        "timeEpoch": (now - _EPOCH) // timedelta(milliseconds=1),
    }
    if authorizer_claims is not None:
        context["authorizer"] = {"jwt": {"claims": dict(authorizer_claims), "scopes": None}}
    return context


def _encode_body(body: bytes, content_type: str) -> tuple[str, bool]:
    if _is_textual(content_type):
        try:
            return body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(body).decode("ascii"), True


def _is_textual(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not media_type:
        return True
    main_type, _, subtype = media_type.partition("/")
    if main_type == "text":
        return True
    return main_type == "application" and any(
        subtype == name or subtype.endswith(f"+{name}") for name in _TEXT_SUBTYPES
    )


def _clf_time(moment: datetime) -> str:
    """The Common Log Format time AWS puts in events: 29/Nov/2026:04:54:32 +0000."""
    utc = moment.astimezone(UTC)
    return f"{utc:%d}/{_MONTHS[utc.month - 1]}/{utc:%Y:%H:%M:%S} +0000"


def _trace_id() -> str:
    return f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)}"


@dataclass
class LocalLambdaContext:
    """The attributes of the Lambda context object that handlers and Powertools read."""

    function_name: str
    timeout_s: int = 10
    memory_mb: int = 512
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_stream_name: str = field(init=False)
    _deadline: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # One stream per "execution environment"; AWS names them date/[version]hex.
        today = datetime.now(UTC)
        self.log_stream_name = f"{today:%Y/%m/%d}/[{self.function_version}]{uuid.uuid4().hex}"
        self._deadline = time.monotonic() + self.timeout_s

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"

    @property
    def memory_limit_in_mb(self) -> int:
        return self.memory_mb

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def lambda_context(
    function_name: str, timeout_s: int = 10, memory_mb: int = 512
) -> LocalLambdaContext:
    """A fresh context for one invocation; the timeout clock starts now."""
    return LocalLambdaContext(function_name=function_name, timeout_s=timeout_s, memory_mb=memory_mb)

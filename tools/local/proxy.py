"""The Lambda proxy integration of an HTTP API, as API Gateway applies it.

A request and a response as the gateway sees them, the handler of a template function
imported into this process and invoked one event at a time (``Functions``), and the
payload-2.0 rules that turn what the handler returns into an HTTP response
(``lambda_result_to_response``).
"""

from __future__ import annotations

import base64
import importlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from infra.template import HttpRoute, load_template
from tools.local.events import lambda_context

log = logging.getLogger(__name__)

# Framing headers are the gateway's business, never the handler's (AWS drops them too).
_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass(frozen=True)
class GatewayRequest:
    method: str
    raw_path: str
    query: str
    headers: list[tuple[str, str]]
    body: bytes | None
    source_ip: str


@dataclass
class GatewayResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def json_message(status: int, message: str) -> GatewayResponse:
    """The small JSON error bodies API Gateway itself answers with."""
    body = json.dumps({"message": message}).encode()
    return GatewayResponse(status, [("content-type", "application/json")], body)


# ------------------------------------------------------------------------ functions


@dataclass(frozen=True)
class FunctionSpec:
    """What the Lambda runtime would know about a function: name and limits."""

    name: str
    timeout_s: int
    memory_mb: int


def function_spec(logical_id: str, stage: str = "local") -> FunctionSpec:
    """Name, timeout and memory of a template function; defaults for unknown ones."""
    template = load_template()
    defaults = template.get("Globals", {}).get("Function", {})
    props = template.get("Resources", {}).get(logical_id, {}).get("Properties", {})
    timeout = props.get("Timeout", defaults.get("Timeout", 10))
    memory = props.get("MemorySize", defaults.get("MemorySize", 512))
    name = props.get("FunctionName", logical_id)
    if isinstance(name, dict) and isinstance(name.get("Fn::Sub"), str):
        name = name["Fn::Sub"].replace("${Stage}", stage)
    return FunctionSpec(
        name=name if isinstance(name, str) else logical_id,
        timeout_s=timeout if isinstance(timeout, int) else 10,
        memory_mb=memory if isinstance(memory, int) else 512,
    )


class Functions:
    """Handlers imported lazily, once, and invoked one event at a time per function.

    Lambda runs one event at a time per execution environment; handler modules keep
    per-invocation state in globals (Powertools' logger context, for one), so two
    concurrent requests must not run the same function at once in this process.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._specs: dict[str, FunctionSpec] = {}
        self._import_lock = threading.Lock()
        self._run_locks: dict[str, threading.Lock] = {}

    def invoke(self, route: HttpRoute, event: dict[str, Any]) -> Any:
        handler, spec, run_lock = self._load(route)
        with run_lock:
            context = lambda_context(spec.name, spec.timeout_s, spec.memory_mb)
            started = time.monotonic()
            result = handler(event, context)
            elapsed = time.monotonic() - started
        if elapsed > spec.timeout_s:
            log.warning(
                "%s ran %.1f s, over its %d s timeout: AWS would have answered 500",
                spec.name,
                elapsed,
                spec.timeout_s,
            )
        return result

    def _load(self, route: HttpRoute) -> tuple[Handler, FunctionSpec, threading.Lock]:
        with self._import_lock:
            if route.handler not in self._handlers:
                module_name, _, attribute = route.handler.rpartition(".")
                module = importlib.import_module(module_name)
                self._handlers[route.handler] = getattr(module, attribute)
            if route.function not in self._specs:
                self._specs[route.function] = function_spec(route.function)
                self._run_locks[route.function] = threading.Lock()
            return (
                self._handlers[route.handler],
                self._specs[route.function],
                self._run_locks[route.function],
            )


# ----------------------------------------------------------------- lambda results


class MalformedLambdaResponse(ValueError):
    """The handler returned something API Gateway cannot turn into a response."""


def lambda_result_to_response(result: Any) -> GatewayResponse:
    """Apply the HTTP API payload-2.0 response rules to a handler's return value.

    A dict with statusCode is a proxy response; anything else (a string, a dict
    without statusCode, a list...) becomes a 200 application/json with that body.
    """
    # The result crosses the Lambda boundary as JSON: whatever would not serialize
    # there must fail here too.
    try:
        result = json.loads(json.dumps(result))
    except (TypeError, ValueError) as error:
        raise MalformedLambdaResponse(f"result is not JSON-serializable: {error}") from error
    if isinstance(result, dict) and "statusCode" in result:
        return _proxy_response(result)
    body = result if isinstance(result, str) else json.dumps(result)
    return GatewayResponse(200, [("content-type", "application/json")], body.encode("utf-8"))


def _proxy_response(result: dict[str, Any]) -> GatewayResponse:
    status = result["statusCode"]
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise MalformedLambdaResponse(f"statusCode must be an HTTP status, got {status!r}")
    headers = _response_headers(result.get("headers"))
    cookies = result.get("cookies") or []
    if not isinstance(cookies, list) or not all(isinstance(c, str) for c in cookies):
        raise MalformedLambdaResponse("cookies must be a list of strings")
    headers.extend(("set-cookie", cookie) for cookie in cookies)
    if "multiValueHeaders" in result:
        # Payload 1.0 only: an HTTP API with payload 2.0 silently drops it.
        log.warning("multiValueHeaders is ignored by HTTP API payload 2.0; use headers/cookies")
    return GatewayResponse(status, headers, _response_body(result))


def _response_headers(raw: Any) -> list[tuple[str, str]]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise MalformedLambdaResponse("headers must be an object")
    headers: list[tuple[str, str]] = []
    for name, value in raw.items():
        if isinstance(value, dict | list) or value is None:
            raise MalformedLambdaResponse(f"header {name!r} must be a string")
        if name.lower() not in _HOP_BY_HOP:
            headers.append((name, value if isinstance(value, str) else json.dumps(value)))
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("content-type", "application/json"))
    return headers


def _response_body(result: dict[str, Any]) -> bytes:
    body = result.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise MalformedLambdaResponse("body must be a string")
    if result.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except ValueError as error:
            raise MalformedLambdaResponse("body is not valid base64") from error
    return body.encode("utf-8")

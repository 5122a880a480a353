"""A local stand-in for API Gateway HTTP API: every route of template.yaml, in-process.

Each request is matched to a route the way HTTP APIs match them, turned into a real
payload-2.0 event (tools.local.events), handed to the route's Lambda handler imported
into this process, and the handler's result is turned back into an HTTP response by
the same rules AWS applies. Paths that match no route fall through to the static web
clients under ``web/``.

Routes with an authorizer (``Auth: {Authorizer: OfficerAuthorizer}`` in the template)
get the HttpApi JWT authorizer's checks first (tools.local.jwt_check): a missing or
invalid token is 401 {"message":"Unauthorized"} and the handler never runs. Without
a verifier (no user pool) such routes always answer 401: fail closed.

Only one access line per request is logged: method, path without the query string,
status and duration. Headers, query strings and bodies carry personal data and
tracking codes, so they are never logged.
"""

from __future__ import annotations

import base64
import functools
import importlib
import json
import logging
import mimetypes
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from infra.template import REPO_ROOT, HttpRoute, http_routes, load_template
from tools.local.events import http_api_event, lambda_context
from tools.local.jwt_check import JwtVerifier, Unauthorized, claims_for_event

log = logging.getLogger(__name__)

DEFAULT_STATIC_DIR = REPO_ROOT / "web"
# API Gateway HTTP APIs refuse request bodies over 10 MB with 413.
MAX_BODY_BYTES = 10 * 1024 * 1024
# A refused body is still read (up to this much) so the client sees the 413 instead of
# a connection reset while it is still sending.
_MAX_DRAIN_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024
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


# --------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class RouteMatch:
    route: HttpRoute
    path_parameters: dict[str, str]

    @property
    def route_key(self) -> str:
        return f"{self.route.method} {self.route.path}"


@dataclass(frozen=True)
class _CompiledRoute:
    route: HttpRoute
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    specificity: tuple[Any, ...]


_VARIABLE = re.compile(r"\{([^{}+]+)(\+?)\}")


def _compile(route: HttpRoute) -> _CompiledRoute:
    """A path template ("/v1/complaints/{ticket}", "/files/{proxy+}") as a regex.

    Specificity orders candidates as HTTP APIs do: routes without a greedy variable
    first, literal segments before variables; among greedy routes, the longest prefix.
    """
    segments = [part for part in route.path.split("/") if part]
    regex, names, ranks, greedy = "", [], [], False
    for index, segment in enumerate(segments):
        variable = _VARIABLE.fullmatch(segment)
        if variable is None:
            regex += "/" + re.escape(segment)
            ranks.append(0)
            continue
        names.append(variable.group(1))
        greedy = bool(variable.group(2))
        if greedy and index != len(segments) - 1:
            raise ValueError(f"greedy variable must be the last segment: {route.path}")
        regex += "/(.+)" if greedy else "/([^/]+)"
        ranks.append(1)
    specificity = (1, -len(ranks), tuple(ranks)) if greedy else (0, 0, tuple(ranks))
    return _CompiledRoute(route, re.compile(regex or "/"), tuple(names), specificity)


class RouteTable:
    """The routes of one API, matched most specific first."""

    def __init__(self, routes: Sequence[HttpRoute]) -> None:
        compiled = [_compile(route) for route in routes]
        self._routes = sorted(compiled, key=lambda c: (c.specificity, c.route.method == "ANY"))

    def match(self, method: str, raw_path: str) -> RouteMatch | None:
        for candidate in self._routes:
            if candidate.route.method not in (method, "ANY"):
                continue
            found = candidate.pattern.fullmatch(raw_path)
            if found:
                values = (unquote(value) for value in found.groups())
                return RouteMatch(candidate.route, dict(zip(candidate.names, values, strict=True)))
        return None

    def serves_path(self, raw_path: str) -> bool:
        """Whether any route, whatever its method, owns this path."""
        return any(candidate.pattern.fullmatch(raw_path) for candidate in self._routes)


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


class _Functions:
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


# ----------------------------------------------------------------------- the app


LocalPage = Callable[[GatewayRequest], GatewayResponse]


class GatewayApp:
    """Routes a request to a function or a static file; knows nothing about sockets.

    ``local_pages`` maps exact paths to callables that answer GET requests
    themselves: the local stack's own pages (the email outbox), never deployed.
    """

    def __init__(
        self,
        routes: Sequence[HttpRoute],
        static_dir: Path | None = DEFAULT_STATIC_DIR,
        stage: str = "$default",
        verifier: JwtVerifier | None = None,
        local_pages: Mapping[str, LocalPage] | None = None,
        throttle: RouteThrottle | None = None,
    ) -> None:
        self.routes = RouteTable(routes)
        self.throttle = throttle
        self.static_dir = static_dir.resolve() if static_dir else None
        self.stage = stage
        self.verifier = verifier
        self.local_pages = dict(local_pages or {})
        self._functions = _Functions()

    def handle(self, request: GatewayRequest) -> GatewayResponse:
        page = self.local_pages.get(request.raw_path)
        if page is not None and request.method in ("GET", "HEAD"):
            return page(request)
        matched = self.routes.match(request.method, request.raw_path)
        if matched is not None:
            return self._invoke(matched, request)
        if self.routes.serves_path(request.raw_path):
            return json_message(404, "Not Found")
        return self._static(request)

    def _authorize(
        self, route: HttpRoute, request: GatewayRequest
    ) -> tuple[dict[str, str] | None, GatewayResponse | None]:
        """The claims for the event of an authorized route, or AWS's 401."""
        if not route.authorized:
            return None, None
        authorization = next(
            (value for name, value in request.headers if name.lower() == "authorization"), None
        )
        try:
            if self.verifier is None:
                raise Unauthorized("no user pool: authorized routes are closed")
            claims = self.verifier.verify(authorization)
        except Unauthorized as refusal:
            # The reason only, never the token.
            log.info("%s %s refused by the JWT check: %s", route.method, route.path, refusal)
            response = json_message(401, "Unauthorized")
            response.headers.append(("www-authenticate", "Bearer"))
            return None, response
        return claims_for_event(claims), None

    def _invoke(self, matched: RouteMatch, request: GatewayRequest) -> GatewayResponse:
        # API Gateway throttles a route before its authorizer or integration runs.
        if self.throttle is not None and not self.throttle.admit(matched.route_key):
            return throttled_response()
        claims, refused = self._authorize(matched.route, request)
        if refused is not None:
            return refused
        event = http_api_event(
            request.method,
            request.raw_path,
            route_key=matched.route_key,
            path_parameters=matched.path_parameters or None,
            headers=request.headers,
            query=request.query,
            body=request.body,
            source_ip=request.source_ip,
            stage=self.stage,
            authorizer_claims=claims,
        )
        request_id = event["requestContext"]["requestId"]  # read before the handler can touch it
        try:
            response = lambda_result_to_response(self._functions.invoke(matched.route, event))
        except MalformedLambdaResponse as error:
            log.error("%s returned a malformed response: %s", matched.route.function, error)
            return json_message(500, "Internal Server Error")
        except Exception:
            # What AWS does: the traceback goes to the function's log, the caller gets 500.
            log.exception("%s raised while handling %s", matched.route.function, matched.route_key)
            return json_message(500, "Internal Server Error")
        response.headers.append(("apigw-requestid", request_id))
        return response

    def _static(self, request: GatewayRequest) -> GatewayResponse:
        if request.method not in ("GET", "HEAD") or self.static_dir is None:
            return json_message(404, "Not Found")
        target = self._static_target(request.raw_path)
        if target is None:
            return json_message(404, "Not Found")
        if target.is_dir():
            if not request.raw_path.endswith("/"):
                # Relative links in index.html only resolve under the directory's URL.
                return GatewayResponse(301, [("location", request.raw_path + "/")])
            target = target / "index.html"
        if not target.is_file():
            return json_message(404, "Not Found")
        return GatewayResponse(200, _static_headers(target), target.read_bytes())

    def _static_target(self, raw_path: str) -> Path | None:
        """The file under static_dir that a URL path names, or None if it escapes it."""
        assert self.static_dir is not None
        relative = unquote(raw_path).lstrip("/")
        if "\x00" in relative or not self.static_dir.is_dir():
            return None
        # resolve() also follows symlinks, so a link pointing outside is refused too.
        target = (self.static_dir / relative).resolve()
        return target if target.is_relative_to(self.static_dir) else None


def _static_headers(path: Path) -> list[tuple[str, str]]:
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript",):
        content_type += "; charset=utf-8"
    # Local development: always revalidate, so edits to the web clients show at once.
    return [
        ("content-type", content_type),
        ("cache-control", "no-cache"),
        *web_security_headers(),
    ]


@functools.cache
def web_security_headers() -> tuple[tuple[str, str], ...]:
    """The headers CloudFront adds to every web file (template.yaml's
    WebSecurityHeadersPolicy), so the pages meet the same Content-Security-Policy
    locally and in the browser tests as deployed. HSTS is left out: local is HTTP.
    """
    resource = load_template()["Resources"].get("WebSecurityHeadersPolicy", {})
    config = resource.get("Properties", {}).get("ResponseHeadersPolicyConfig", {})
    security = config.get("SecurityHeadersConfig", {})
    headers: list[tuple[str, str]] = [("x-content-type-options", "nosniff")]
    if "ContentSecurityPolicy" in security:
        policy = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
        headers.append(("content-security-policy", " ".join(str(policy).split())))
    if "FrameOptions" in security:
        headers.append(("x-frame-options", security["FrameOptions"]["FrameOption"]))
    if "ReferrerPolicy" in security:
        headers.append(("referrer-policy", security["ReferrerPolicy"]["ReferrerPolicy"]))
    for item in config.get("CustomHeadersConfig", {}).get("Items", []):
        headers.append((str(item["Header"]).lower(), str(item["Value"])))
    return tuple(headers)


# ---------------------------------------------------------------------- throttling
#
# API Gateway throttles each route of a stage with a token bucket: the bucket holds
# up to ``burst`` requests and refills at ``rate`` per second; a request that finds it
# empty is refused with 429 before the authorizer or the function runs. The limits
# are the stage's: a route's own RouteSettings (SAM: ``RouteSettings`` on the
# HttpApi event) or else DefaultRouteSettings. They count every caller together, not
# per client address. The numbers are read from template.yaml, never repeated here.
#
# One difference from AWS, on purpose: API Gateway's own 429 body is
# {"message":"Too Many Requests"} (HTTP APIs cannot customise it), so the web
# clients map a 429 to their own Indonesian text (web/console/js/api.js; the kiosk
# outbox retries it). Locally the body carries an Indonesian message a client can show.

THROTTLED_MESSAGE = "Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi."


@dataclass(frozen=True)
class ThrottleLimits:
    rate: float  # requests per second, the steady refill
    burst: int  # the bucket's size: requests accepted at once


def _limits(settings: Mapping[str, Any], fallback: ThrottleLimits | None) -> ThrottleLimits | None:
    """ThrottlingRateLimit/ThrottlingBurstLimit of a RouteSettings block (each falls back)."""
    rate = settings.get("ThrottlingRateLimit", fallback.rate if fallback else None)
    burst = settings.get("ThrottlingBurstLimit", fallback.burst if fallback else None)
    if not isinstance(rate, int | float) or not isinstance(burst, int):
        return fallback
    return ThrottleLimits(rate=float(rate), burst=burst)


def template_throttle_limits(
    template: Mapping[str, Any] | None = None,
) -> tuple[ThrottleLimits | None, dict[str, ThrottleLimits]]:
    """The default limits of the HttpApi and each route's own, keyed "METHOD /path"."""
    template = template or load_template()
    resources = template.get("Resources", {})
    default: ThrottleLimits | None = None
    for resource in resources.values():
        if resource.get("Type") == "AWS::Serverless::HttpApi":
            settings = resource.get("Properties", {}).get("DefaultRouteSettings", {})
            default = _limits(settings, None)
    per_route: dict[str, ThrottleLimits] = {}
    for resource in resources.values():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        for event in resource.get("Properties", {}).get("Events", {}).values():
            props = event.get("Properties", {})
            if event.get("Type") != "HttpApi" or "RouteSettings" not in props:
                continue
            own = _limits(props["RouteSettings"], default)
            if own is not None:
                per_route[f"{props['Method'].upper()} {props['Path']}"] = own
    return default, per_route


class TokenBucket:
    """``burst`` tokens, refilled at ``rate`` per second of ``clock``; starts full."""

    def __init__(self, limits: ThrottleLimits, now: float) -> None:
        self.limits = limits
        self._tokens = float(limits.burst)
        self._updated = now

    def take(self, now: float) -> bool:
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(float(self.limits.burst), self._tokens + elapsed * self.limits.rate)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class RouteThrottle:
    """One token bucket per route key, as an HTTP API stage keeps them.

    ``clock`` returns seconds (monotonic); tests pass their own to move time on.
    A route with no limits of its own and no default is never throttled.
    """

    def __init__(
        self,
        default: ThrottleLimits | None,
        per_route: Mapping[str, ThrottleLimits] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.default = default
        self.per_route = dict(per_route or {})
        self._clock = clock
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_template(
        cls, template: Mapping[str, Any] | None = None, clock: Callable[[], float] = time.monotonic
    ) -> RouteThrottle:
        default, per_route = template_throttle_limits(template)
        return cls(default, per_route, clock)

    def limits_for(self, route_key: str) -> ThrottleLimits | None:
        return self.per_route.get(route_key, self.default)

    def admit(self, route_key: str) -> bool:
        """Whether a request to this route may go on now (it takes a token if so)."""
        limits = self.limits_for(route_key)
        if limits is None:
            return True
        with self._lock:
            now = self._clock()
            bucket = self._buckets.get(route_key)
            if bucket is None:
                bucket = self._buckets[route_key] = TokenBucket(limits, now)
            return bucket.take(now)


def throttled_response() -> GatewayResponse:
    """429 in the API's JSON error shape (``message``), in Indonesian."""
    return json_message(429, THROTTLED_MESSAGE)


# -------------------------------------------------------------------- HTTP server


class _BodyTooLarge(Exception):
    pass


class _BadRequest(Exception):
    pass


def _announced_length(raw: str | None) -> int:
    """Content-Length as a number; 0 when absent or unreadable (read_body rejects those)."""
    try:
        return int(raw) if raw is not None else 0
    except ValueError:
        return 0


class _GatewayServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: GatewayApp) -> None:
        self.app = app
        super().__init__(address, _RequestHandler)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pendopo-local-gateway"
    sys_version = ""
    server: _GatewayServer

    def _serve(self) -> None:
        started = time.perf_counter()
        raw_path, _, query = self.path.partition("?")
        try:
            body = self._read_body()
        except _BodyTooLarge:
            response = json_message(413, "Request Entity Too Large")
            self.close_connection = True
        except _BadRequest:
            response = json_message(400, "Bad Request")
            self.close_connection = True
        else:
            request = GatewayRequest(
                method=self.command,
                raw_path=raw_path,
                query=query,
                headers=list(self.headers.items()),
                body=body,
                source_ip=self.client_address[0],
            )
            response = self.server.app.handle(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        # Logged before the response is written, so a client that has its answer can
        # rely on the line being there (the tests do).
        log.info("%s %s %d %.1fms", self.command, raw_path, response.status, elapsed_ms)
        self._send(response)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve

    def handle_expect_100(self) -> bool:
        """Refuse an announced oversized body before the client sends it (curl does this)."""
        if _announced_length(self.headers.get("content-length")) <= MAX_BODY_BYTES:
            return super().handle_expect_100()
        self.close_connection = True
        log.info("%s %s %d %.1fms", self.command, self.path.partition("?")[0], 413, 0.0)
        self._send(json_message(413, "Request Entity Too Large"))
        return False

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            body = self._read_chunked()
        else:
            body = self._read_sized()
        return body or None

    def _read_sized(self) -> bytes:
        raw_length = self.headers.get("content-length")
        if raw_length is None:
            return b""
        try:
            length = int(raw_length)
        except ValueError as error:
            raise _BadRequest from error
        if length < 0:
            raise _BadRequest
        if length > MAX_BODY_BYTES:
            self._drain(length)
            raise _BodyTooLarge
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = self.rfile.readline(1024)
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError as error:
                raise _BadRequest from error
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass  # trailers: none of our business
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                raise _BodyTooLarge
            chunks.append(self.rfile.read(size))
            self.rfile.readline(3)

    def _drain(self, length: int) -> None:
        remaining = min(length, _MAX_DRAIN_BYTES)
        while remaining > 0:
            chunk = self.rfile.read(min(_CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)

    def _send(self, response: GatewayResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("content-length", str(len(response.body)))
        if self.close_connection:
            self.send_header("connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Silenced: the default line holds the query string; _serve logs its own."""

    def log_error(self, format: str, *args: Any) -> None:
        # The default message can echo the request line (and so a query string).
        code = args[0] if args and isinstance(args[0], int) else "-"
        log.warning("refused a malformed HTTP request (%s)", code)


# ------------------------------------------------------------------------ gateway


class LocalGateway:
    """The HTTP gateway on a local port, served from a background thread.

    ``routes`` defaults to every HttpApi route of template.yaml; tests pass their own.
    ``verifier`` checks the tokens of authorized routes (none: they answer 401).
    ``port=0`` picks a free port; ``url`` tells which one after ``start()``.
    ``throttle`` applies per-route rate limits (``RouteThrottle.from_template()``: the
    template's); none: nothing is throttled.
    """

    def __init__(
        self,
        routes: Sequence[HttpRoute] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        static_dir: Path | None = DEFAULT_STATIC_DIR,
        stage: str = "$default",
        verifier: JwtVerifier | None = None,
        local_pages: Mapping[str, LocalPage] | None = None,
        throttle: RouteThrottle | None = None,
    ) -> None:
        self.app = GatewayApp(
            http_routes() if routes is None else routes,
            static_dir,
            stage,
            verifier=verifier,
            local_pages=local_pages,
            throttle=throttle,
        )
        self._address = (host, port)
        self._server: _GatewayServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Bind and serve; returns once the socket is listening."""
        # The constructor binds and listens, so requests queue from here on.
        self._server = _GatewayServer(self._address, self.app)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="pendopo-gateway", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the gateway is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> LocalGateway:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

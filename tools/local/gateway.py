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

The parts: ``tools.local.routes`` (route matching), ``tools.local.throttle`` (per-route
rate limits), ``tools.local.proxy`` (invoking a handler and the payload-2.0 response
rules), this module (the request's way through them, static files) and
``tools.local.server`` (the HTTP server on a port: ``LocalGateway``).
"""

from __future__ import annotations

import functools
import logging
import mimetypes
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypedDict
from urllib.parse import unquote

from infra.template import REPO_ROOT, HttpRoute, load_template
from tools.local.events import http_api_event
from tools.local.jwt_check import JwtVerifier, Unauthorized, claims_for_event
from tools.local.proxy import (
    Functions,
    GatewayRequest,
    GatewayResponse,
    MalformedLambdaResponse,
    json_message,
    lambda_result_to_response,
)
from tools.local.routes import RouteMatch, RouteTable
from tools.local.throttle import RouteThrottle, throttled_response

log = logging.getLogger(__name__)

DEFAULT_STATIC_DIR = REPO_ROOT / "web"

LocalPage = Callable[[GatewayRequest], GatewayResponse]


class GatewayOptions(TypedDict, total=False):
    """GatewayApp's settings besides its routes (LocalGateway passes them on)."""

    static_dir: Path | None
    stage: str
    verifier: JwtVerifier | None
    local_pages: Mapping[str, LocalPage] | None
    throttle: RouteThrottle | None
    local_prefixes: Mapping[str, LocalPage] | None
    storage_origin: str | None


class GatewayApp:
    """Routes a request to a function or a static file; knows nothing about sockets.

    ``local_pages`` maps exact paths to callables that answer GET requests
    themselves: the local stack's own pages (the email outbox), never deployed;
    ``local_prefixes`` does the same for every path under a prefix (the file links that
    CloudFront sends to the files bucket: tools.local.file_links). ``storage_origin``
    stands for the files bucket's host in the pages' Content-Security-Policy (moto's
    origin locally; see ``web_security_headers``).
    """

    def __init__(
        self,
        routes: Sequence[HttpRoute],
        static_dir: Path | None = DEFAULT_STATIC_DIR,
        stage: str = "$default",
        verifier: JwtVerifier | None = None,
        local_pages: Mapping[str, LocalPage] | None = None,
        throttle: RouteThrottle | None = None,
        local_prefixes: Mapping[str, LocalPage] | None = None,
        storage_origin: str | None = None,
    ) -> None:
        self.routes = RouteTable(routes)
        self.local_prefixes = dict(local_prefixes or {})
        self.storage_origin = storage_origin
        self.throttle = throttle
        self.static_dir = static_dir.resolve() if static_dir else None
        self.stage = stage
        self.verifier = verifier
        self.local_pages = dict(local_pages or {})
        self._functions = Functions()

    def handle(self, request: GatewayRequest) -> GatewayResponse:
        page = self.local_pages.get(request.raw_path)
        if page is not None and request.method in ("GET", "HEAD"):
            return page(request)
        for prefix, prefixed in self.local_prefixes.items():
            if request.raw_path.startswith(prefix) and request.method in ("GET", "HEAD"):
                return prefixed(request)
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
        headers = _static_headers(target, self.storage_origin)
        return GatewayResponse(200, headers, target.read_bytes())

    def _static_target(self, raw_path: str) -> Path | None:
        """The file under static_dir that a URL path names, or None if it escapes it."""
        assert self.static_dir is not None
        relative = unquote(raw_path).lstrip("/")
        if "\x00" in relative or not self.static_dir.is_dir():
            return None
        # resolve() also follows symlinks, so a link pointing outside is refused too.
        target = (self.static_dir / relative).resolve()
        return target if target.is_relative_to(self.static_dir) else None


def _static_headers(path: Path, storage_origin: str | None = None) -> list[tuple[str, str]]:
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript",):
        content_type += "; charset=utf-8"
    # Local development: always revalidate, so edits to the web clients show at once.
    return [
        ("content-type", content_type),
        ("cache-control", "no-cache"),
        *web_security_headers(storage_origin),
    ]


# How the pages' CSP names the files bucket's host (template.yaml, WebSecurityHeadersPolicy:
# the presigned POSTs go there). Locally the bucket is moto's, at another origin.
FILES_BUCKET_ORIGIN = "https://${FilesBucket}.s3.${AWS::Region}.${AWS::URLSuffix}"


def _policy_text(policy: object, storage_origin: str | None) -> str:
    """The CSP as a browser gets it: a !Sub resolved for the local stack (the bucket's
    origin is ``storage_origin``; without one, left out), refused if anything else is
    left to substitute (it would mean something the local stack does not know)."""
    if isinstance(policy, dict) and "Fn::Sub" in policy:
        text = str(policy["Fn::Sub"]).replace(FILES_BUCKET_ORIGIN, storage_origin or "")
        if "${" in text:
            raise ValueError(f"the web CSP names what the local stack cannot fill in: {text}")
        policy = text
    return " ".join(str(policy).split()).replace(" ;", ";")


@functools.cache
def web_security_headers(storage_origin: str | None = None) -> tuple[tuple[str, str], ...]:
    """The headers CloudFront adds to every web file (template.yaml's
    WebSecurityHeadersPolicy), so the pages meet the same Content-Security-Policy
    locally and in the browser tests as deployed. HSTS is left out: local is HTTP.
    ``storage_origin``: the files bucket's origin the CSP allows uploads to (moto's).
    """
    resource = load_template()["Resources"].get("WebSecurityHeadersPolicy", {})
    config = resource.get("Properties", {}).get("ResponseHeadersPolicyConfig", {})
    security = config.get("SecurityHeadersConfig", {})
    headers: list[tuple[str, str]] = [("x-content-type-options", "nosniff")]
    if "ContentSecurityPolicy" in security:
        policy = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
        headers.append(("content-security-policy", _policy_text(policy, storage_origin)))
    if "FrameOptions" in security:
        headers.append(("x-frame-options", security["FrameOptions"]["FrameOption"]))
    if "ReferrerPolicy" in security:
        headers.append(("referrer-policy", security["ReferrerPolicy"]["ReferrerPolicy"]))
    for item in config.get("CustomHeadersConfig", {}).get("Items", []):
        headers.append((str(item["Header"]).lower(), str(item["Value"])))
    return tuple(headers)

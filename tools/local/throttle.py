"""Per-route throttling, as an HTTP API stage applies it.

API Gateway throttles each route of a stage with a token bucket: the bucket holds
up to ``burst`` requests and refills at ``rate`` per second; a request that finds it
empty is refused with 429 before the authorizer or the function runs. The limits
are the stage's: a route's own RouteSettings (SAM: ``RouteSettings`` on the
HttpApi event) or else DefaultRouteSettings. They count every caller together, not
per client address. The numbers are read from template.yaml, never repeated here.

One difference from AWS, on purpose: API Gateway's own 429 body is
{"message":"Too Many Requests"} (HTTP APIs cannot customise it), so the web
clients map a 429 to their own Indonesian text (web/console/js/api.js; the kiosk
outbox retries it). Locally the body carries an Indonesian message a client can show.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from infra.template import load_template
from tools.local.proxy import GatewayResponse, json_message

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

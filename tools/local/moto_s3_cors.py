"""Give moto's S3 the CORS preflight evaluation that Amazon S3 documents.

A browser's upload with ``XMLHttpRequest`` and progress listeners (the web clients')
sends an ``OPTIONS`` preflight to the bucket first. moto 5.2.5 answers it from the
bucket's CORS configuration but not as S3 does: it refuses the preflight when *any*
rule's origins miss the request's origin (not only when none matches), ignores
``Access-Control-Request-Method`` and ``Access-Control-Request-Headers`` altogether,
and merges every rule's headers into one answer. A preflight for ``PUT`` against a
POST-only rule passes there, so a rule that would break browsers in AWS works locally.

S3's rule ("How does Amazon S3 evaluate the CORS configuration on a bucket?", in
"Using cross-origin resource sharing (CORS)", AmazonS3/latest/userguide/cors.html):
it uses **the first CORSRule that matches**: the ``Origin`` matches an AllowedOrigin
(``*`` wildcards allowed), the ``Access-Control-Request-Method`` is one of the
AllowedMethods, and **every** header of ``Access-Control-Request-Headers`` matches an
AllowedHeader (``*`` wildcards allowed; case-insensitive). No rule matching is 403 with
"CORSResponse: This CORS request is not allowed. This is usually because the evalution
of Origin, request method / Access-Control-Request-Method or
Access-Control-Request-Headers are not whitelisted by the resource's CORS spec." (S3's
own spelling, which moto keeps). A match answers 200 with that rule's
``Access-Control-Allow-Methods``, the requested headers as
``Access-Control-Allow-Headers``, its ``Access-Control-Expose-Headers`` and
``Access-Control-Max-Age``, ``Access-Control-Allow-Origin`` (the origin, or ``*`` for a
rule allowing any) and ``Vary``.

Only the preflight is replaced; moto's own headers on the actual request (the first
rule whose origin matches) are kept. moto's server also adds permissive CORS headers to
answers that carry none (its global CORS), which a preflight refused with 403 does not
make a browser accept. Pinned by ``tests/integration/test_moto_s3_cors.py``.
"""

from __future__ import annotations

import fnmatch
import functools
import threading
from collections.abc import Callable, Mapping
from typing import Any

_APPLIED_MARK = "_pendopo_cors_preflight"
_LOCK = threading.Lock()

NOT_ALLOWED = (
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution "
    "of Origin, request method / Access-Control-Request-Method or "
    "Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."
)


def _listed(header: str | None) -> list[str]:
    return [part.strip().lower() for part in (header or "").split(",") if part.strip()]


def matching_rule(rules: list[Any], headers: Mapping[str, str]) -> Any | None:
    """The first rule that allows this preflight, as S3 chooses it, or None."""
    from moto.s3.utils import cors_matches_origin

    origin = headers.get("Origin")
    method = headers.get("Access-Control-Request-Method")
    requested = _listed(headers.get("Access-Control-Request-Headers"))
    if not origin or not method:
        return None
    for rule in rules:
        if not cors_matches_origin(origin, rule.allowed_origins or []):
            continue
        if method not in (rule.allowed_methods or []):
            continue
        allowed = [pattern.lower() for pattern in rule.allowed_headers or []]
        if all(any(fnmatch.fnmatchcase(h, p) for p in allowed) for h in requested):
            return rule
    return None


def preflight_headers(rule: Any, headers: Mapping[str, str]) -> dict[str, str]:
    origin = headers["Origin"]
    answer = {
        "Access-Control-Allow-Origin": "*" if "*" in (rule.allowed_origins or []) else origin,
        "Access-Control-Allow-Methods": ", ".join(rule.allowed_methods),
        "Vary": "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
    }
    requested = headers.get("Access-Control-Request-Headers")
    if requested:
        answer["Access-Control-Allow-Headers"] = requested
    if rule.exposed_headers:
        answer["Access-Control-Expose-Headers"] = ", ".join(rule.exposed_headers)
    if rule.max_age_seconds is not None:
        answer["Access-Control-Max-Age"] = str(rule.max_age_seconds)
    return answer


def _preflight(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def options(self: Any, headers: Mapping[str, str], bucket_name: str) -> Any:
        from moto.s3.exceptions import AccessForbidden, MissingBucket

        self._authenticate_and_authorize_s3_action(bucket_name=bucket_name)
        try:
            bucket = self.backend.head_bucket(bucket_name)
        except MissingBucket:
            return 403, {}, ""  # as moto answers: S3 gives 403 on OPTIONS
        rule = matching_rule(bucket.cors, headers)
        if rule is None:
            raise AccessForbidden(NOT_ALLOWED)
        self.response_headers.update(preflight_headers(rule, headers))
        return 200, self.response_headers, ""

    return options


def install() -> None:
    """Patch moto's S3 preflight in this process (idempotent)."""
    from moto.s3.responses import S3Response

    with _LOCK:
        if getattr(S3Response, _APPLIED_MARK, False):
            return
        response: Any = S3Response
        response._response_options = _preflight(response._response_options)
        setattr(S3Response, _APPLIED_MARK, True)

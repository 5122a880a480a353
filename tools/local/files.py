"""The web distribution's ``/uploads/clean/*`` behaviour, locally: file links through the
gateway to moto's S3, with the headers CloudFront's response headers policy adds.

In AWS (template.yaml, ``WebDistribution``) a file link is a presigned GET of the files
bucket whose host is swapped for the distribution's (``FILES_LINK_BASE``); CloudFront
forwards the path and every query string to the bucket, which checks the signature,
and adds ``X-Content-Type-Options: nosniff`` (S3 cannot send it). Locally moto is
addressed path-style (``/<bucket>/<key>``), so the link's path starts with the bucket's
name; the gateway forwards ``/<bucket>/uploads/clean/...`` to moto as it came, query
string and all, and adds the same headers. Nothing is cached; nothing but GET and HEAD.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Callable

from tools.local.proxy import GatewayRequest, GatewayResponse, json_message

log = logging.getLogger(__name__)

# pendopo.domain.uploads.CLEAN_PREFIX (not imported: the stack imports this before it
# knows where pendopo comes from, the source or the built artifacts; a test pins it).
CLEAN_PREFIX = "uploads/clean/"

# What FilesResponseHeadersPolicy (template.yaml) sets on every file link.
FILE_LINK_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    (
        "Content-Security-Policy",
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    ),
    ("Cache-Control", "private, no-store"),
)
# The S3 answer's headers a browser needs; the rest (x-amz-*, server) stays behind.
_PASSED = {
    "content-type",
    "content-disposition",
    "content-length",
    "etag",
    "last-modified",
    "accept-ranges",
}


def files_prefix(bucket: str) -> str:
    """The path prefix of local file links: path-style, the bucket first."""
    return f"/{bucket}/{CLEAN_PREFIX}"


def files_proxy(moto_url: str) -> Callable[[GatewayRequest], GatewayResponse]:
    """A handler that forwards a file link's GET to moto and adds the distribution's
    headers to whatever S3 answers (an expired or forged link is S3's own 403)."""

    def forward(request: GatewayRequest) -> GatewayResponse:
        if request.method not in ("GET", "HEAD"):
            return json_message(405, "Method Not Allowed")
        url = moto_url + request.raw_path + (f"?{request.query}" if request.query else "")
        outgoing = urllib.request.Request(url, method=request.method)  # noqa: S310 - loopback
        try:
            with urllib.request.urlopen(outgoing, timeout=10) as answer:  # noqa: S310
                status, headers, body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as refused:
            status, headers, body = refused.code, refused.headers, refused.read()
        passed = [(k, v) for k, v in headers.items() if k.lower() in _PASSED]
        passed = [(k, v) for k, v in passed if k.lower() != "content-length"]
        return GatewayResponse(status, [*passed, *FILE_LINK_HEADERS], body)

    return forward

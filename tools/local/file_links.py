"""The file links of the local stack: what the web distribution's ``/uploads/clean/*``
behaviour does deployed (template.yaml, ``WebDistribution``), served by the gateway.

Deployed, an officer's or a reporter's file link is a presigned GET of the files bucket
sent to the web's own origin (``FILES_LINK_BASE``): CloudFront forwards it, query string
and all, to the bucket and adds ``FilesResponseHeadersPolicy`` (``nosniff``, a locked-down
CSP, ``Cache-Control: private, no-store``). Locally the bucket is moto's, path-style, so a
link is ``<gateway>/<bucket>/uploads/clean/<id>?X-Amz-...``: the gateway forwards the GET
to moto with moto's own Host (the host the URL was signed for) and adds the same headers,
so the pages load files from their own origin (``img-src 'self'``) as they do deployed.
"""

from __future__ import annotations

import functools
import urllib.error
import urllib.request

from infra.template import load_template
from tools.local.proxy import GatewayRequest, GatewayResponse, json_message

# What S3 answers that the browser needs; the rest (x-amz-*) stays behind, as CloudFront's
# origin request policy forwards no header either way.
_PASSED_HEADERS = ("content-type", "content-disposition", "etag", "last-modified")


@functools.cache
def files_security_headers() -> tuple[tuple[str, str], ...]:
    """The headers of template.yaml's ``FilesResponseHeadersPolicy`` (HSTS left out: HTTP)."""
    resource = load_template()["Resources"].get("FilesResponseHeadersPolicy", {})
    config = resource.get("Properties", {}).get("ResponseHeadersPolicyConfig", {})
    security = config.get("SecurityHeadersConfig", {})
    headers: list[tuple[str, str]] = []
    if security.get("ContentTypeOptions", {}).get("Override"):
        headers.append(("x-content-type-options", "nosniff"))
    if "ContentSecurityPolicy" in security:
        policy = str(security["ContentSecurityPolicy"]["ContentSecurityPolicy"])
        headers.append(("content-security-policy", " ".join(policy.split())))
    if "ReferrerPolicy" in security:
        headers.append(("referrer-policy", security["ReferrerPolicy"]["ReferrerPolicy"]))
    for item in config.get("CustomHeadersConfig", {}).get("Items", []):
        headers.append((str(item["Header"]).lower(), str(item["Value"])))
    return tuple(headers)


class FileLinks:
    """A gateway page for every path under ``prefix()``: the GET forwarded to moto."""

    def __init__(self, moto_url: str, bucket: str) -> None:
        self.moto_url = moto_url.rstrip("/")
        self.bucket = bucket

    def prefix(self) -> str:
        return f"/{self.bucket}/uploads/clean/"

    def __call__(self, request: GatewayRequest) -> GatewayResponse:
        url = self.moto_url + request.raw_path + (f"?{request.query}" if request.query else "")
        forwarded = urllib.request.Request(url, method=request.method)  # noqa: S310 - moto on loopback
        try:
            with urllib.request.urlopen(forwarded, timeout=30) as answer:  # noqa: S310
                status, headers, body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        except OSError:
            return json_message(502, "Bad Gateway")
        passed = [(name, headers[name]) for name in _PASSED_HEADERS if headers.get(name)]
        return GatewayResponse(status, [*passed, *files_security_headers()], body)

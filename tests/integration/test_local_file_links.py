"""The local stack's stand-ins for what the web distribution does with uploads (issue #17):
the pages' Content-Security-Policy naming the files bucket's host (moto's locally), and the
file links (``/uploads/clean/*`` deployed) forwarded to the bucket with the
``FilesResponseHeadersPolicy`` headers (tools/local/file_links.py, tools/local/gateway.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config
from moto.server import ThreadedMotoServer

from infra.template import load_template
from tools.local.file_links import FileLinks, files_security_headers
from tools.local.gateway import FILES_BUCKET_ORIGIN, _policy_text, web_security_headers
from tools.local.server import LocalGateway

BUCKET = "pendopo-test-files"


def test_the_template_csp_lets_the_pages_post_to_the_files_bucket_only() -> None:
    policy = load_template()["Resources"]["WebSecurityHeadersPolicy"]["Properties"][
        "ResponseHeadersPolicyConfig"
    ]["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    # The presigned POSTs are virtual-hosted on the region's endpoint
    # (runtime.bootstrap.upload_slots): that host, and no other, besides this origin.
    assert f"connect-src 'self' {FILES_BUCKET_ORIGIN};" in policy["Fn::Sub"]
    assert "img-src 'self' data: blob:;" in policy["Fn::Sub"]


def test_the_local_csp_names_moto_for_the_bucket() -> None:
    local = dict(web_security_headers("http://127.0.0.1:5123"))["content-security-policy"]
    assert "connect-src 'self' http://127.0.0.1:5123; font-src 'self';" in local
    assert "${" not in local
    # Without a bucket (a gateway with no stack), this origin only
    alone = dict(web_security_headers())["content-security-policy"]
    assert "connect-src 'self'; font-src" in alone


def test_a_csp_naming_anything_else_to_substitute_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot fill in"):
        _policy_text({"Fn::Sub": "connect-src 'self' https://${OtherBucket}.example"}, None)


@pytest.fixture(scope="module")
def moto_s3() -> Iterator[tuple[str, Any]]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="ap-southeast-3",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}),
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"}
    )
    yield url, client
    server.stop()


@pytest.fixture(scope="module")
def gateway(moto_s3: tuple[str, Any]) -> Iterator[str]:
    links = FileLinks(moto_s3[0], BUCKET)
    server = LocalGateway(routes=[], static_dir=None, local_prefixes={links.prefix(): links})
    server.start()
    yield server.url
    server.stop()


def test_a_file_link_is_served_by_the_gateway_with_the_files_headers(
    moto_s3: tuple[str, Any], gateway: str
) -> None:
    moto_url, client = moto_s3
    client.put_object(
        Bucket=BUCKET, Key="uploads/clean/abc", Body=b"\x89PNG fake", ContentType="image/png"
    )
    signed = client.generate_presigned_url(
        "get_object",
        Params={
            "Bucket": BUCKET,
            "Key": "uploads/clean/abc",
            "ResponseContentDisposition": 'inline; filename="foto.png"',
        },
        ExpiresIn=300,
    )
    assert signed.startswith(f"{moto_url}/{BUCKET}/uploads/clean/abc?")
    # The link as the API gives it locally: the gateway's origin, the bucket's path
    answer = requests.get(gateway + signed.removeprefix(moto_url), timeout=10)
    assert answer.status_code == 200
    assert answer.content == b"\x89PNG fake"
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["content-disposition"] == 'inline; filename="foto.png"'
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "private, no-store"
    assert "sandbox" in answer.headers["content-security-policy"]
    assert dict(files_security_headers())["x-content-type-options"] == "nosniff"


def test_a_missing_file_and_other_paths_are_not_served(gateway: str) -> None:
    missing = requests.get(f"{gateway}/{BUCKET}/uploads/clean/nothing-here", timeout=10)
    assert missing.status_code == 404
    assert "x-content-type-options" in missing.headers
    # Only clean copies: the files as sent, and the recaps, are not under the prefix
    assert requests.get(f"{gateway}/{BUCKET}/uploads/incoming/abc", timeout=10).status_code == 404
    assert requests.get(f"{gateway}/{BUCKET}/recaps/x", timeout=10).status_code == 404
    # Nothing but reads
    assert requests.delete(f"{gateway}/{BUCKET}/uploads/clean/abc", timeout=10).status_code != 204

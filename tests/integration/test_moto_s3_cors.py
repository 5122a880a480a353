"""moto's S3 CORS preflight, as Amazon S3 evaluates it (tools/local/moto_s3_cors.py).

"Using cross-origin resource sharing (CORS)" (AmazonS3/latest/userguide/cors.html), "How
does Amazon S3 evaluate the CORS configuration on a bucket?": the first rule whose
AllowedOrigin matches the Origin, whose AllowedMethods hold the
Access-Control-Request-Method and whose AllowedHeaders match every requested header;
none: 403. A moto server on 127.0.0.1 answers real OPTIONS requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config

from tools.local import moto_s3_cors

BUCKET = "pendopo-cors-files"
ONE_RULE = "pendopo-cors-one-rule"
WEB = "http://127.0.0.1:3000"
CONSOLE = "https://konsol.pendopo.example"


@pytest.fixture(scope="module")
def bucket_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    moto_s3_cors.install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    s3 = boto3.client(
        "s3",
        region_name="ap-southeast-3",
        endpoint_url=f"http://{host}:{port}",
        config=Config(s3={"addressing_style": "path"}),
    )
    s3.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"}
    )  # type: ignore[typeddict-item]
    s3.put_bucket_cors(
        Bucket=BUCKET,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": [WEB],
                    "AllowedMethods": ["POST"],
                    "AllowedHeaders": ["content-type", "x-amz-*"],
                },
                {
                    "AllowedOrigins": [CONSOLE],
                    "AllowedMethods": ["GET", "HEAD"],
                    "ExposeHeaders": ["ETag"],
                    "MaxAgeSeconds": 100,
                },
            ]
        },
    )
    # A bucket of one rule: moto alone checks its origin only
    s3.create_bucket(
        Bucket=ONE_RULE, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"}
    )  # type: ignore[typeddict-item]
    rule = {"AllowedOrigins": [WEB], "AllowedMethods": ["POST"], "AllowedHeaders": ["content-type"]}
    s3.put_bucket_cors(Bucket=ONE_RULE, CORSConfiguration={"CORSRules": [rule]})  # type: ignore[typeddict-item]
    yield f"http://{host}:{port}/{BUCKET}"
    server.stop()


def preflight(url: str, origin: str, method: str, headers: str | None = None) -> Any:
    sent = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        sent["Access-Control-Request-Headers"] = headers
    return requests.options(url, headers=sent, timeout=10)


def test_moto_alone_refuses_any_origin_one_rule_misses(
    bucket_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.s3.responses import S3Response

    patched: Any = S3Response._response_options
    monkeypatch.setattr(S3Response, "_response_options", patched.__wrapped__)
    # The web origin's own POST is refused: the console's rule does not name that origin
    assert preflight(bucket_url, WEB, "POST", "content-type").status_code == 403
    assert preflight(bucket_url, CONSOLE, "GET").status_code == 403
    # And with one rule, a method and a header the rule does not allow pass
    one_rule = bucket_url.replace(BUCKET, ONE_RULE)
    assert preflight(one_rule, WEB, "PUT", "authorization").status_code == 200


def test_one_rule_allows_only_its_methods_and_headers(bucket_url: str) -> None:
    one_rule = bucket_url.replace(BUCKET, ONE_RULE)
    assert preflight(one_rule, WEB, "POST", "Content-Type").status_code == 200
    assert preflight(one_rule, WEB, "PUT").status_code == 403
    assert preflight(one_rule, WEB, "POST", "authorization").status_code == 403


def test_the_first_matching_rule_answers_the_preflight(bucket_url: str) -> None:
    answer = preflight(bucket_url, WEB, "POST", "content-type, X-Amz-Date")
    assert answer.status_code == 200, answer.text
    assert answer.headers["Access-Control-Allow-Origin"] == WEB
    assert answer.headers["Access-Control-Allow-Methods"] == "POST"
    assert answer.headers["Access-Control-Allow-Headers"] == "content-type, X-Amz-Date"
    # The second rule, for its own origin and methods, with its exposed headers and age
    answer = preflight(f"{bucket_url}/uploads/clean/x", CONSOLE, "GET")
    assert answer.status_code == 200, answer.text
    assert answer.headers["Access-Control-Allow-Origin"] == CONSOLE
    assert answer.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert answer.headers["Access-Control-Expose-Headers"] == "ETag"
    assert answer.headers["Access-Control-Max-Age"] == "100"


@pytest.mark.parametrize(
    ("origin", "method", "headers"),
    [
        (WEB, "PUT", None),  # a method no rule of the origin allows
        (WEB, "POST", "content-type, authorization"),  # a header no rule allows
        (CONSOLE, "POST", None),  # the console's rule is GET/HEAD only
        ("https://bukan-pendopo.example", "POST", None),  # another origin
    ],
)
def test_a_preflight_no_rule_allows_is_403(
    bucket_url: str, origin: str, method: str, headers: str | None
) -> None:
    answer = preflight(bucket_url, origin, method, headers)
    assert answer.status_code == 403
    assert "CORSResponse: This CORS request is not allowed." in answer.text

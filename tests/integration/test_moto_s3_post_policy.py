"""moto's S3 and browser uploads (POST Object with a policy), as Amazon S3 documents them.

Each test names the S3 documentation it pins (tools/local/moto_s3_post_policy.py):
"POST Policy" (AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html), "Browser-Based
Uploads Using POST" (sigv4-UsingHTTPPOST.html, sigv4-post-example.html) and the error
codes of "Error Responses" (ErrorResponses.html). A moto server on 127.0.0.1 takes the
forms, posted with ``requests`` as a browser posts them (multipart/form-data).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from tools.local import moto_s3_post_policy
from tools.local.moto_s3_post_policy import check_form

BUCKET = "pendopo-policy-files"
KEY = "uploads/incoming/0123456789abcdef0123456789abcdef"
REGION = "ap-southeast-3"


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    moto_s3_post_policy.install({"testing": "testing"})
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    s3(url).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})  # type: ignore[typeddict-item]
    yield url
    server.stop()


@pytest.fixture(autouse=True)
def real_clock() -> Iterator[None]:
    yield
    moto_s3_post_policy.set_clock(time.time)


def s3(url: str, key: str = "testing") -> Any:
    return boto3.client(
        "s3",
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=key,
        aws_secret_access_key=key,
        config=Config(s3={"addressing_style": "path"}),
    )


def slot(url: str, size: int = 10, seconds: int = 900, key: str = "testing") -> dict[str, Any]:
    """A presigned POST as the upload service signs it: one key, one type, 1..size bytes."""
    post: dict[str, Any] = s3(url, key).generate_presigned_post(
        Bucket=BUCKET,
        Key=KEY,
        Fields={"Content-Type": "image/jpeg"},
        Conditions=[{"Content-Type": "image/jpeg"}, ["content-length-range", 1, size]],
        ExpiresIn=seconds,
    )
    return post


def send(post: dict[str, Any], content: bytes = b"x" * 10, **changed: str) -> requests.Response:
    fields = {**post["fields"], **changed}
    return requests.post(
        post["url"], data=fields, files={"file": ("foto.jpg", content)}, timeout=10
    )


def error(answer: requests.Response) -> tuple[int, str, str]:
    code = answer.text.split("<Code>")[1].split("</Code>")[0]
    message = answer.text.split("<Message>")[1].split("</Message>")[0]
    return answer.status_code, code, message.replace("&quot;", '"')


def stored(url: str) -> bool:
    try:
        s3(url).head_object(Bucket=BUCKET, Key=KEY)
    except ClientError:
        return False
    return True


@pytest.fixture(autouse=True)
def empty_bucket(moto_url: str) -> None:
    s3(moto_url).delete_object(Bucket=BUCKET, Key=KEY)


def test_moto_alone_stores_any_form(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given moto's own POST (the patch taken off): the quirk this module fixes
    from moto.s3.responses import S3Response

    checked: Any = S3Response._bucket_response_post
    monkeypatch.setattr(S3Response, "_bucket_response_post", checked.__wrapped__)
    # When an expired policy carries a file too big, of another type
    answer = send(slot(moto_url, size=5, seconds=-60), b"x" * 50, **{"Content-Type": "text/html"})
    # Then moto stored it anyway
    assert answer.status_code == 204
    head = s3(moto_url).head_object(Bucket=BUCKET, Key=KEY)
    assert (head["ContentLength"], head["ContentType"]) == (50, "text/html")


def test_a_form_within_its_policy_is_stored(moto_url: str) -> None:
    # POST Policy: every condition met, before the expiration: 204, the object as sent
    answer = send(slot(moto_url))
    assert answer.status_code == 204, answer.text
    head = s3(moto_url).head_object(Bucket=BUCKET, Key=KEY)
    assert (head["ContentLength"], head["ContentType"]) == (10, "image/jpeg")


def test_an_expired_policy_is_refused(moto_url: str) -> None:
    # POST Policy, "Expiration": not valid after it; S3: 403 AccessDenied
    expected = (403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    # Given a policy whose expiration has passed when it was signed
    assert error(send(slot(moto_url, seconds=-1))) == expected
    # And one used 15 minutes and a second after it was handed out (the clock moved)
    post = slot(moto_url, seconds=900)
    moto_s3_post_policy.set_clock(lambda: time.time() + 901)
    assert error(send(post)) == expected
    assert not stored(moto_url)


def test_a_file_outside_the_length_range_is_refused(moto_url: str) -> None:
    # POST Policy, content-length-range; S3: 400 EntityTooLarge / EntityTooSmall
    too_large = send(slot(moto_url, size=10), b"x" * 11)
    assert error(too_large) == (
        400,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
    )
    assert "<ProposedSize>11</ProposedSize><MaxSizeAllowed>10</MaxSizeAllowed>" in too_large.text
    empty = send(slot(moto_url, size=10), b"")
    assert error(empty) == (
        400,
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed size",
    )
    assert not stored(moto_url)
    # The bounds are inclusive
    assert send(slot(moto_url, size=10), b"x" * 10).status_code == 204


def test_a_changed_field_breaks_its_condition(moto_url: str) -> None:
    # POST Policy, "Condition Matching": exact matches; S3: 403 AccessDenied
    prefix = "Invalid according to Policy: Policy Condition failed: "
    answer = send(slot(moto_url), **{"Content-Type": "text/html"})
    assert error(answer) == (403, "AccessDenied", prefix + '["eq", "$Content-Type", "image/jpeg"]')
    answer = send(slot(moto_url), key="uploads/clean/0123456789abcdef0123456789abcdef")
    assert error(answer) == (403, "AccessDenied", prefix + f'["eq", "$key", "{KEY}"]')
    assert not stored(moto_url)


def test_a_field_no_condition_names_is_refused(moto_url: str) -> None:
    # POST Policy, "Conditions": every form field but x-amz-signature, file, policy and
    # x-ignore-* must appear in the conditions
    answer = send(slot(moto_url), acl="public-read")
    assert error(answer) == (
        403,
        "AccessDenied",
        "Invalid according to Policy: Extra input fields: acl",
    )
    assert send(slot(moto_url), **{"x-ignore-progress": "1"}).status_code == 204


def test_a_tampered_policy_fails_its_signature(moto_url: str) -> None:
    # Browser-Based Uploads Using POST (SigV4): the signature covers the base64 policy
    post = slot(moto_url, size=10)
    policy = json.loads(base64.b64decode(post["fields"]["policy"]))
    policy["conditions"] = [
        ["content-length-range", 1, 10**9] if isinstance(c, list) else c
        for c in policy["conditions"]
    ]
    forged = base64.b64encode(json.dumps(policy).encode()).decode()
    answer = send(post, b"x" * 100, policy=forged)
    assert error(answer)[:2] == (403, "SignatureDoesNotMatch")
    assert not stored(moto_url)


def test_a_form_without_a_policy_is_an_anonymous_write(moto_url: str) -> None:
    # A private bucket (no public write): a form with no policy is refused, 403
    answer = requests.post(
        f"{moto_url}/{BUCKET}", data={"key": KEY}, files={"file": ("a", b"x")}, timeout=10
    )
    assert error(answer) == (403, "AccessDenied", "Access Denied")


def test_other_posts_are_untouched(moto_url: str) -> None:
    # DeleteObjects is a POST too (?delete), and not a form
    send(slot(moto_url))
    s3(moto_url).delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": KEY}]})
    assert not stored(moto_url)


@pytest.mark.parametrize(
    ("condition", "value", "ok"),
    [
        (["starts-with", "$key", "uploads/incoming/"], KEY, True),
        (["starts-with", "$key", "uploads/incoming/"], "recaps/2025-06/x", False),
        (["starts-with", "$Content-Type", "image/"], "image/png, image/jpeg", True),
        (["starts-with", "$Content-Type", "image/"], "image/png, text/html", False),
        (["eq", "$key", KEY], KEY, True),
        ({"bucket": BUCKET}, None, True),
        ({"bucket": "another-bucket"}, None, False),
    ],
)
def test_condition_matching(condition: Any, value: str | None, ok: bool) -> None:
    # POST Policy, "Condition Matching" (eq, starts-with; a Content-Type list: each one)
    policy = {"expiration": "2100-01-01T00:00:00.000Z", "conditions": [condition]}
    form = {"policy": base64.b64encode(json.dumps(policy).encode()).decode()}
    if value is not None:
        form[condition[1][1:]] = value
    if ok:
        check_form(BUCKET, form, 1)
    else:
        with pytest.raises(moto_s3_post_policy.PolicyRefused) as refused:
            check_form(BUCKET, form, 1)
        assert (refused.value.status, refused.value.code) == (403, "AccessDenied")


@pytest.mark.parametrize(
    "policy",
    ["not base64!", base64.b64encode(b"[1, 2]").decode(), base64.b64encode(b'{"c": []}').decode()],
)
def test_an_unreadable_policy_is_invalid(policy: str) -> None:
    # POST Policy: a base64 JSON document that always contains expiration and conditions
    with pytest.raises(moto_s3_post_policy.PolicyRefused) as refused:
        check_form(BUCKET, {"policy": policy}, 1)
    assert (refused.value.status, refused.value.code) == (400, "InvalidPolicyDocument")

"""Give moto's S3 the POST policy checks that real S3 makes on a browser upload.

A presigned POST (``generate_presigned_post``) is a form: the fields, a base64 JSON
``policy`` with an ``expiration`` and ``conditions``, its SigV4 signature, and the
``file``. moto 5.2.5 stores whatever such a form sends: it never reads the policy, so
an expired slot, a file bigger than ``content-length-range``, a changed
``Content-Type`` or another key are all accepted (``tests/integration/
test_moto_s3_post_policy.py`` shows it, then pins what this module changes). Upload
tests could not fail, so the local stack and the tests check the form as Amazon S3
documents it:

- "POST Policy" (AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html):
  the policy always has ``expiration`` (ISO 8601, UTC) and ``conditions``; after the
  expiration the form is refused. Conditions are exact matches (``{"field": value}``
  or ``["eq", "$field", value]``), ``["starts-with", "$field", prefix]`` (a
  ``Content-Type`` holding a comma-separated list: every one must start so) and
  ``["content-length-range", min, max]`` on the file's size. "Each form field that you
  specify in a form (except x-amz-signature, file, policy, and field names that have an
  x-ignore- prefix) must appear in the list of conditions." ``bucket`` is matched
  against the bucket the form is posted to.
- "Authenticating Requests in Browser-Based Uploads Using POST (AWS Signature Version
  4)" (sigv4-UsingHTTPPOST.html) and "Calculating a Signature"
  (sigv4-post-example.html): the signature is HMAC-SHA256 of the base64 policy with
  the key derived from the secret, the credential's date, region and ``s3``.

What S3 answers (its error XML, as S3 returns it; the codes are in the "Error
Responses" list of the S3 API reference, ErrorResponses.html):

- policy expired: 403 ``AccessDenied`` "Invalid according to Policy: Policy expired."
- a condition not met: 403 ``AccessDenied`` "Invalid according to Policy: Policy
  Condition failed: ["eq", "$Content-Type", "image/jpeg"]"
- a field no condition names: 403 ``AccessDenied`` "Invalid according to Policy:
  Extra input fields: <name>"
- the file larger than the range: 400 ``EntityTooLarge`` "Your proposed upload
  exceeds the maximum allowed size" (with ``ProposedSize`` and ``MaxSizeAllowed``);
  smaller: 400 ``EntityTooSmall`` "Your proposed upload is smaller than the minimum
  allowed size" (``ProposedSize``, ``MinSizeAllowed``)
- a policy that is not base64 JSON, or has no expiration: 400 ``InvalidPolicyDocument``
- a form without a policy on a private bucket (an anonymous write): 403
  ``AccessDenied`` "Access Denied"
- a signature that does not match (checked only for access keys whose secret was
  given to ``install``: moto itself knows no secrets): 403 ``SignatureDoesNotMatch``

Not modelled: the credential's own expiry (a session token's), and the order in
which S3 reports several failures of one form (one error is answered, as S3 does).
Expiry is read from ``clock`` (``time.time`` unless a test sets another with
``set_clock``).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

_APPLIED_MARK = "_pendopo_post_policy"
_LOCK = threading.Lock()
_SECRETS: dict[str, str] = {}
# Fields a condition need not name (POST Policy, "Conditions").
_EXEMPT_FIELDS = frozenset({"x-amz-signature", "file", "policy"})
_IGNORED_PREFIX = "x-ignore-"

_clock: Callable[[], float] = time.time

POLICY_EXPIRED = "Invalid according to Policy: Policy expired."
CONDITION_FAILED = "Invalid according to Policy: Policy Condition failed: "
EXTRA_FIELDS = "Invalid according to Policy: Extra input fields: "
TOO_LARGE = "Your proposed upload exceeds the maximum allowed size"
TOO_SMALL = "Your proposed upload is smaller than the minimum allowed size"
SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your key and signing method."
)


def set_clock(clock: Callable[[], float]) -> None:
    """Read the policies' expiry against ``clock`` (seconds since the epoch)."""
    global _clock
    _clock = clock


class PolicyRefused(Exception):
    """The form breaks its policy: S3's status, code, message and extra elements."""

    def __init__(self, status: int, code: str, message: str, **extra: object) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def response(self, bucket: str) -> tuple[int, dict[str, str], str]:
        elements = "".join(
            f"<{name}>{escape(str(value))}</{name}>" for name, value in self.extra.items()
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{self.code}</Code><Message>{escape(self.message)}</Message>"
            f"{elements}<BucketName>{escape(bucket)}</BucketName>"
            "<RequestId>0000000000000000</RequestId><HostId>pendopo-local</HostId></Error>"
        )
        return self.status, {"Content-Type": "application/xml"}, body


def check_form(
    bucket: str,
    form: Mapping[str, str],
    file_size: int,
    *,
    now: float | None = None,
    secrets: Mapping[str, str] | None = None,
) -> None:
    """Raise PolicyRefused as S3 would refuse this POST form; return if S3 would store it.

    ``form``: every field but ``file``; ``file_size``: the file's length in bytes.
    """
    fields = {name.lower(): value for name, value in form.items()}
    encoded = fields.get("policy")
    if not encoded:
        raise PolicyRefused(403, "AccessDenied", "Access Denied")
    policy = _decode(encoded)
    _check_signature(fields, encoded, _SECRETS if secrets is None else secrets)
    _check_expiration(policy, _clock() if now is None else now)
    conditions = policy.get("conditions")
    if not isinstance(conditions, list):
        raise PolicyRefused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid 'conditions'.")
    named: set[str] = set()
    for condition in conditions:
        named |= _check_condition(condition, fields, bucket, file_size)
    extra = sorted(
        name
        for name in fields
        if name not in _EXEMPT_FIELDS
        and not name.startswith(_IGNORED_PREFIX)
        and name not in named
        and name != "bucket"
    )
    if extra:
        raise PolicyRefused(403, "AccessDenied", EXTRA_FIELDS + ", ".join(extra))


def _decode(encoded: str) -> dict[str, Any]:
    try:
        policy = json.loads(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError):
        raise PolicyRefused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.") from None
    if not isinstance(policy, dict):
        raise PolicyRefused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.")
    return policy


def _check_expiration(policy: Mapping[str, Any], now: float) -> None:
    text = policy.get("expiration")
    if not isinstance(text, str):
        raise PolicyRefused(
            400, "InvalidPolicyDocument", "Invalid Policy: Policy missing expiration."
        )
    try:
        expires = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise PolicyRefused(
            400, "InvalidPolicyDocument", "Invalid Policy: Invalid 'expiration' value."
        ) from None
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if now >= expires.timestamp():
        raise PolicyRefused(403, "AccessDenied", POLICY_EXPIRED)


def _check_signature(fields: Mapping[str, str], encoded: str, secrets: Mapping[str, str]) -> None:
    """SigV4 of the policy, for the access keys whose secret we were given."""
    credential = fields.get("x-amz-credential", "")
    parts = credential.split("/")
    if len(parts) != 5 or parts[0] not in secrets:
        return
    access_key, day, region, service, terminal = parts
    key = ("AWS4" + secrets[access_key]).encode()
    for part in (day, region, service, terminal):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, encoded.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields.get("x-amz-signature", "")):
        raise PolicyRefused(403, "SignatureDoesNotMatch", SIGNATURE_MISMATCH)


def _failed(condition: object) -> PolicyRefused:
    return PolicyRefused(403, "AccessDenied", CONDITION_FAILED + json.dumps(condition))


def _check_condition(
    condition: object, fields: Mapping[str, str], bucket: str, file_size: int
) -> set[str]:
    """Check one condition; the (lower-case) field names it covers."""
    if isinstance(condition, dict):
        covered: set[str] = set()
        for name, value in condition.items():
            _match("eq", name.lower(), str(value), fields, bucket, ["eq", f"${name}", value])
            covered.add(name.lower())
        return covered
    if not isinstance(condition, list) or not condition:
        raise PolicyRefused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid Condition.")
    operator = str(condition[0]).lower()
    if operator == "content-length-range" and len(condition) == 3:
        low, high = int(condition[1]), int(condition[2])
        if file_size > high:
            raise PolicyRefused(
                400, "EntityTooLarge", TOO_LARGE, ProposedSize=file_size, MaxSizeAllowed=high
            )
        if file_size < low:
            raise PolicyRefused(
                400, "EntityTooSmall", TOO_SMALL, ProposedSize=file_size, MinSizeAllowed=low
            )
        return set()
    if operator in ("eq", "starts-with") and len(condition) == 3:
        name = str(condition[1])
        if not name.startswith("$"):
            raise PolicyRefused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid Condition.")
        field = name[1:].lower()
        _match(operator, field, str(condition[2]), fields, bucket, condition)
        return {field}
    raise PolicyRefused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid Condition.")


def _match(
    operator: str,
    field: str,
    expected: str,
    fields: Mapping[str, str],
    bucket: str,
    condition: object,
) -> None:
    actual = bucket if field == "bucket" else fields.get(field)
    if actual is None:
        raise _failed(condition)
    if operator == "eq":
        ok = actual == expected
    elif field == "content-type":
        ok = all(part.strip().startswith(expected) for part in actual.split(","))
    else:
        ok = actual.startswith(expected)
    if not ok:
        raise _failed(condition)


def _form_of(response: Any, request: Any) -> tuple[dict[str, str], int] | None:
    """The form fields and the file's size of a POST Object, or None for other POSTs."""
    form = getattr(request, "form", None)
    if form is None or "key" not in form:
        return None
    if "delete" in getattr(response, "querystring", {}):
        return None
    fields = {name: value for name, value in form.items() if name != "file"}
    body = response.raw_body if hasattr(response, "raw_body") else response.body
    size = len(body.encode() if isinstance(body, str) else body or b"")
    return fields, size


def _checked_post(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def post(self: Any, request: Any, bucket_name: str) -> Any:
        found = _form_of(self, request)
        if found is not None:
            fields, size = found
            try:
                check_form(bucket_name, fields, size)
            except PolicyRefused as refused:
                return refused.response(bucket_name)
        return original(self, request, bucket_name)

    return post


def install(secrets: Mapping[str, str] | None = None) -> None:
    """Patch moto's S3 in this process (idempotent); ``secrets``: access key -> secret
    whose policy signatures are checked too (the local stack's dummy credential)."""
    from moto.s3.responses import S3Response

    with _LOCK:
        _SECRETS.update(secrets or {})
        if getattr(S3Response, _APPLIED_MARK, False):
            return
        response: Any = S3Response
        response._bucket_response_post = _checked_post(response._bucket_response_post)
        setattr(S3Response, _APPLIED_MARK, True)

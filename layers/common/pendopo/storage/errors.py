"""What a failed DynamoDB call answered: its error code and a transaction's cancellation reasons.

pynamodb wraps every botocore failure in a ``PynamoDBException`` whose ``cause`` is the
botocore exception. Its own ``cause_response_code`` raises ``AttributeError`` when no
answer came through a connection that closed or timed out (botocore's
``HTTPClientError`` has ``response = None``), so the code is read here instead.

The tables at the end say which answers mean "busy, send it again": the API's error
map answers those 503 (``pendopo.api.errors``).
"""

from __future__ import annotations

from pynamodb.exceptions import PynamoDBException


def response_code(error: PynamoDBException) -> str | None:
    """DynamoDB's error code (``ThrottlingException`` ...); None when no answer came."""
    response = getattr(error.cause, "response", None)
    if not isinstance(response, dict):
        return None
    code = response.get("Error", {}).get("Code")
    return code if isinstance(code, str) and code else None


def cancellation_codes(error: PynamoDBException) -> list[str | None]:
    """A cancelled transaction's reasons, one per item in the order written (None: no reason).

    Empty for anything but a ``TransactionCanceledException``.
    """
    reasons = getattr(error, "cancellation_reasons", None) or []
    return [reason.code if reason else None for reason in reasons]


# Answers that mean "not now" once botocore's own retries are spent: the request may
# be sent again as it was (officer actions keep If-Match, submissions their
# Idempotency-Key), so the API answers 503 and Retry-After, not a bare 500.
TRANSIENT_STORAGE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionInProgressException",
    }
)
# DynamoDB does not answer a throttled transaction with a throttling code: it cancels it
# (TransactionCanceledException, which botocore does not retry) and gives the reason on
# the item concerned, ThrottlingError (on-demand) or ProvisionedThroughputExceeded.
TRANSIENT_CANCELLATION_REASONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded"})
# botocore's failures of the connection itself, after its retries: the table did not
# answer (unreachable, refused, closed or timed out). Every other BotoCoreError
# (ParamValidationError, NoCredentialsError, NoRegionError ...) is a fault of ours.
TRANSIENT_TRANSPORT_ERRORS = (
    "EndpointConnectionError",
    "ConnectTimeoutError",
    "ConnectionClosedError",
    "ReadTimeoutError",
)

"""What a failed DynamoDB call answered: its error code and a transaction's cancellation reasons.

pynamodb wraps every botocore failure in a ``PynamoDBException`` whose ``cause`` is the
botocore exception. Its own ``cause_response_code`` raises ``AttributeError`` when no
answer came through a connection that closed or timed out (botocore's
``HTTPClientError`` has ``response = None``), so the code is read here instead.
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

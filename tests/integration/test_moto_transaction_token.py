"""The stand-in honours ``ClientRequestToken`` on TransactWriteItems, as DynamoDB does.

botocore fills the token once per call and resends it on each of its retries. When
an answer is lost (a read timeout under load) and botocore retries, real DynamoDB
answers the repeat with success and applies nothing; moto applied the conditions
again and cancelled the transaction, so an officer action that had succeeded came
back as a 409 "changed by another officer" in the local stack.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.support.moto_tables import create_pk_table

TABLE = "isolation-token"


@pytest.fixture
def client(dynamodb: Any) -> Any:
    client = boto3.client("dynamodb", region_name="ap-southeast-3")
    create_pk_table(client, TABLE)
    client.put_item(TableName=TABLE, Item={"pk": {"S": "C"}, "version": {"N": "1"}})
    return client


def _bump(client: Any, token: str, read_version: int = 1) -> None:
    client.transact_write_items(
        ClientRequestToken=token,
        TransactItems=[
            {
                "Update": {
                    "TableName": TABLE,
                    "Key": {"pk": {"S": "C"}},
                    "UpdateExpression": "SET version = :next",
                    "ConditionExpression": "version = :read",
                    "ExpressionAttributeValues": {
                        ":read": {"N": str(read_version)},
                        ":next": {"N": str(read_version + 1)},
                    },
                }
            },
            {
                "Put": {
                    "TableName": TABLE,
                    "Item": {"pk": {"S": f"E#{read_version + 1}"}},
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ],
    )


def _version(client: Any) -> int:
    item = client.get_item(TableName=TABLE, Key={"pk": {"S": "C"}}, ConsistentRead=True)["Item"]
    return int(item["version"]["N"])


def test_a_repeated_token_succeeds_and_applies_nothing(client: Any) -> None:
    # Given a transaction that succeeded (its answer lost on the way back)
    _bump(client, token="retry-of-one-call")
    # When botocore resends the very same call with the same token
    _bump(client, token="retry-of-one-call")
    # Then it succeeds, and the change is applied once
    assert _version(client) == 2


def test_a_new_token_with_stale_conditions_is_still_cancelled(client: Any) -> None:
    _bump(client, token="first-call")
    # A different call (a second officer, or a new click) with the same read version
    with pytest.raises(ClientError, match="TransactionCanceled"):
        _bump(client, token="second-call")
    assert _version(client) == 2


def test_a_token_reused_with_other_items_is_refused(client: Any) -> None:
    _bump(client, token="reused-token")
    # DynamoDB refuses a token it has seen with different parameters
    with pytest.raises(ClientError, match="IdempotentParameterMismatch"):
        _bump(client, token="reused-token", read_version=2)
    assert _version(client) == 2

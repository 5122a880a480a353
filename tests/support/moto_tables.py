"""A bare table on moto's DynamoDB (key ``pk``, on demand), for tests of the stand-in itself."""

from __future__ import annotations

from typing import Any


def create_pk_table(client: Any, table: str, **options: Any) -> None:
    """Create ``table`` with a string hash key ``pk``; ``options`` go to CreateTable."""
    client.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        **options,
    )

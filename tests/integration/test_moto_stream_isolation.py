"""The stand-in's stream shows no record of a cancelled transaction (as real streams).

moto writes a transaction's items into the live table and, on a failed condition,
swaps in a copy taken before; an iterator handed out earlier kept reading the
discarded shard and its phantom records. ``tools.local.moto_isolation`` makes
``GetRecords`` read the table's current shard.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.support.moto_tables import create_pk_table

TABLE = "isolation-stream"


@pytest.fixture
def stream_table(dynamodb: Any) -> tuple[Any, Any, str, str]:
    client = boto3.client("dynamodb", region_name="ap-southeast-3")
    streams = boto3.client("dynamodbstreams", region_name="ap-southeast-3")
    create_pk_table(
        client,
        TABLE,
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    arn = next(s["StreamArn"] for s in streams.list_streams()["Streams"] if s["TableName"] == TABLE)
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    return client, streams, arn, shard


def _keys(streams: Any, iterator: str) -> list[str]:
    return [
        r["dynamodb"]["Keys"]["pk"]["S"]
        for r in streams.get_records(ShardIterator=iterator)["Records"]
    ]


def test_an_iterator_taken_before_a_cancelled_transaction_reads_no_phantom(
    stream_table: tuple[Any, Any, str, str],
) -> None:
    client, streams, arn, shard = stream_table
    client.put_item(TableName=TABLE, Item={"pk": {"S": "IDEM"}})
    # Given an iterator handed out before the transaction (the poller's next read)
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    # When a transaction writes a new item, then fails on its second condition
    with pytest.raises(ClientError, match="TransactionCanceled"):
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": {"pk": {"S": "PHANTOM"}}}},
                {
                    "Put": {
                        "TableName": TABLE,
                        "Item": {"pk": {"S": "IDEM"}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )
    client.put_item(TableName=TABLE, Item={"pk": {"S": "REAL"}})
    # Then the stream shows what happened, and nothing of the cancelled transaction
    assert _keys(streams, iterator) == ["IDEM", "REAL"]

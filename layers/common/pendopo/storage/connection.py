"""The one DynamoDB connection of a function, set up at cold start.

``bind_table`` points every item model (``storage.items``) at the deployment's table
and creates the botocore client they share, while Lambda gives the init phase a full
CPU; transactions across models and the clients of other services (SES, S3) come
from that same connection and session.
"""

from __future__ import annotations

from typing import Any

from pynamodb.connection import Connection

from pendopo.storage.items import (
    AccessItem,
    AccountEventItem,
    AuditEventItem,
    ComplaintItem,
    IdempotencyItem,
    NotificationItem,
    PartnerItem,
    TableItem,
    TableMeta,
    UploadItem,
)


def bind_table(table_name: str, region: str, host: str | None) -> Connection:
    """Point every item model at one table and give them one shared connection.

    Subclasses look ``_connection`` up on TableItem, so creating it there once
    makes every model (and every transaction) use the same botocore client.
    """
    TableMeta.table_name = table_name
    TableMeta.region = region
    TableMeta.host = host
    models = (
        TableItem,
        ComplaintItem,
        AuditEventItem,
        IdempotencyItem,
        NotificationItem,
        PartnerItem,
        AccessItem,
        AccountEventItem,
        UploadItem,
    )
    for model in models:
        if "_connection" in vars(model):
            delattr(model, "_connection")
    TableItem._connection = None
    connection = shared_connection()
    connection.client  # noqa: B018 - create the botocore client now, at cold start
    return connection


def shared_connection() -> Connection:
    """The connection every item model uses, for transactions across them."""
    return TableItem._get_connection().connection


def aws_client(service: str, region: str, endpoint_url: str | None, config: Any = None) -> Any:
    """A botocore client for another service (SES, S3), from the table's botocore session.

    ``boto3.client`` would import boto3 (and s3transfer) and start a second botocore
    session, loading the endpoint and retry data again: about 65 ms of every cold
    start of the functions that send email, for a client that is the same botocore
    client either way. Credentials, region and ``AWS_ENDPOINT_URL`` resolve as in boto3.
    """
    return shared_connection().session.create_client(
        service, region_name=region, endpoint_url=endpoint_url, config=config
    )

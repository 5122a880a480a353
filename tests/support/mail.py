"""Email on moto's SES: the stage's sender and console, what was sent, and SES
clients that refuse sends to one recipient."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

REGION = "ap-southeast-3"
SENDER = "pendopo@pendopo.example"
CONSOLE = "https://konsol.pendopo.example/console/"


def outbox() -> list[Any]:
    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


class FlakySes:
    """SES v2 that refuses the first ``failures`` sends to one recipient."""

    def __init__(self, recipient: str, failures: int = 1) -> None:
        self.real = boto3.client("sesv2", region_name=REGION)
        self.recipient = recipient
        self.failures = failures

    def send_email(self, **request: Any) -> Any:
        if request["Destination"]["ToAddresses"] == [self.recipient] and self.failures > 0:
            self.failures -= 1
            raise ClientError(
                {"Error": {"Code": "TooManyRequestsException", "Message": "slow down"}},
                "SendEmail",
            )
        return self.real.send_email(**request)


class SesDownFor:
    """SES v2 that refuses every send to one recipient until told otherwise."""

    def __init__(self, recipient: str) -> None:
        self.real = boto3.client("sesv2", region_name=REGION)
        self.recipient = recipient
        self.down = True

    def send_email(self, **request: Any) -> Any:
        if self.down and request["Destination"]["ToAddresses"] == [self.recipient]:
            raise ClientError(
                {"Error": {"Code": "TooManyRequestsException", "Message": "slow"}}, "SendEmail"
            )
        return self.real.send_email(**request)

"""Where an operator command acts: the local stack (``--local``) or a deployed stage
(``--stage``).

One definition for every command in ``tools/ops``: the stages, the default region,
the local stack's moto endpoint, the names a stage's stack and functions carry, the
``--local | --stage`` arguments, and the one-shot Lambda invoke of the commands that
run a deployed function on demand.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import boto3

STAGES = ("dev", "training", "prod")
DEFAULT_REGION = "ap-southeast-3"
# moto of the local stack (`make run`).
LOCAL_ENDPOINT = "http://127.0.0.1:5000"
LOCAL_STAGE = "local"
# moto takes any credentials; dummy ones keep real ones from reaching it.
DUMMY_CREDENTIAL = "testing"


def stack_name(stage: str) -> str:
    """The CloudFormation stack of a stage."""
    return f"pendopo-{stage}"


# The local stack's complaints table (tools.local.stack's default).
LOCAL_TABLE = "pendopo-local-complaints"


def function_name(stage: str, function: str) -> str:
    """A deployed function (template.yaml: ``FunctionName: pendopo-${Stage}-<function>``)."""
    return f"pendopo-{stage}-{function}"


def command_parser(prog: str, description: str, epilog: str | None) -> argparse.ArgumentParser:
    """A command's parser; its help ends with the module's docstring, as written."""
    return argparse.ArgumentParser(
        prog=prog,
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=epilog,
    )


def add_target(
    container: argparse.ArgumentParser | argparse._ArgumentGroup,
    *,
    local_help: str,
    stage_help: str,
    endpoint_help: str,
) -> None:
    """``--local`` or ``--stage`` (exactly one), then ``--region`` and ``--endpoint-url``."""
    where = container.add_mutually_exclusive_group(required=True)
    where.add_argument("--local", action="store_true", help=local_help)
    where.add_argument("--stage", choices=STAGES, help=stage_help)
    container.add_argument("--region", default=DEFAULT_REGION)
    container.add_argument("--endpoint-url", default=LOCAL_ENDPOINT, help=endpoint_help)


def local_session(region: str) -> boto3.session.Session:
    """A boto3 session for the local stack's moto: dummy credentials only."""
    import boto3

    return boto3.session.Session(
        aws_access_key_id=DUMMY_CREDENTIAL,
        aws_secret_access_key=DUMMY_CREDENTIAL,
        aws_session_token=DUMMY_CREDENTIAL,
        region_name=region,
    )


def invoke_once_client(region: str, read_timeout: int) -> Any:
    """A Lambda client that waits ``read_timeout`` seconds for an invoke and makes it once.

    botocore's default (60 s read timeout, then retries) would invoke a slow run a
    second time.
    """
    import boto3
    from botocore.config import Config

    return boto3.client(
        "lambda",
        region_name=region,
        config=Config(
            read_timeout=read_timeout, retries={"mode": "standard", "total_max_attempts": 1}
        ),
    )


def invoke(client: Any, name: str, event: dict[str, Any]) -> tuple[Any, bool]:
    """Run a function with ``event`` and wait: (its answer, whether it failed)."""
    response = client.invoke(
        FunctionName=name,
        InvocationType="RequestResponse",
        Payload=json.dumps(event).encode(),
    )
    payload = json.loads(response["Payload"].read() or b"{}")
    return payload, bool(response.get("FunctionError"))


def exit_status(command: Callable[[], int], *, refused: type[Exception]) -> int:
    """Run a command: its own refusal (``refused``, an Indonesian message) exits 2, a
    failure to reach AWS exits 1, each printed in one line without a traceback."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return command()
    except refused as error:
        print(error, file=sys.stderr)
        return 2
    except (ClientError, BotoCoreError) as error:
        print(f"Gagal menghubungi AWS: {error}", file=sys.stderr)
        return 1

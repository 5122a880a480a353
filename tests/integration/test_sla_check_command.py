"""The deadline check's command against a deployed stage (``--stage``), with the Lambda
API stubbed in-process (botocore's Stubber: no network): one invoke that waits for the
function, and an Indonesian message instead of a traceback when it fails or is refused."""

from __future__ import annotations

import io
import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.response import StreamingBody
from botocore.stub import Stubber

from infra.template import load_template
from tools.ops import sla_check as command

ARGS = ["--stage", "dev", "--now", "2025-06-10T07:00+07:00"]
FUNCTION = "pendopo-dev-sla-check"
ARGS_PAYLOAD = json.dumps({"now": "2025-06-10T07:00:00+07:00"}).encode()


def body(document: object) -> StreamingBody:
    data = json.dumps(document).encode()
    return StreamingBody(io.BytesIO(data), len(data))


def function_error(error: dict[str, str]) -> dict[str, Any]:
    """Lambda's answer to a synchronous invoke whose function raised ``error``."""
    return {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": body(error)}


@pytest.fixture
def stubbed() -> Any:
    client = boto3.client("lambda", region_name="ap-southeast-3")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_the_invoke_waits_for_the_function_and_is_made_once() -> None:
    timeout = load_template()["Resources"]["SlaCheckFunction"]["Properties"]["Timeout"]
    assert timeout == command.FUNCTION_TIMEOUT_SECONDS
    config = command.stage_client("ap-southeast-3").meta.config
    assert config.read_timeout == timeout + 30
    assert config.retries["total_max_attempts"] == 1


def test_the_margin_is_the_functions(dynamodb: Any) -> None:
    from functions.sla_check import app

    assert app.MAX_AHEAD.total_seconds() == command.MAX_AHEAD_MINUTES * 60


def test_a_throttled_invoke_says_so(stubbed: Any, capsys: pytest.CaptureFixture[str]) -> None:
    client, stubber = stubbed
    stubber.add_client_error(
        "invoke", service_error_code="TooManyRequestsException", http_status_code=429
    )
    assert command.main(ARGS, lambda_client=client) == 1
    out = capsys.readouterr()
    assert "sedang sibuk" in out.err and FUNCTION in out.err and "Traceback" not in out.err


def test_a_refused_later_as_of_time_is_explained(
    stubbed: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    client, stubber = stubbed
    error = {"errorType": "AsOfInTheFuture", "errorMessage": "as of ... is later than ..."}
    stubber.add_response(
        "invoke",
        function_error(error),
        {"FunctionName": FUNCTION, "InvocationType": "RequestResponse", "Payload": ARGS_PAYLOAD},
    )
    assert command.main(ARGS, lambda_client=client) == 1
    err = capsys.readouterr().err
    assert "Pemeriksaan ditolak" in err and "10 menit" in err and "Tidak ada email" in err


def test_an_incomplete_run_says_to_run_it_again(
    stubbed: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    client, stubber = stubbed
    error = {"errorType": "SlaCheckIncomplete", "errorMessage": "as of ...: 1 emails failed"}
    stubber.add_response("invoke", function_error(error))
    assert command.main(ARGS, lambda_client=client) == 1
    err = capsys.readouterr().err
    assert err.startswith("Pemeriksaan belum lengkap: as of ...: 1 emails failed")


def test_a_read_timeout_is_a_message_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    class Slow:
        def invoke(self, **_: Any) -> Any:
            raise ReadTimeoutError(endpoint_url="https://lambda.example/invoke")

    assert command.main(ARGS, lambda_client=Slow()) == 1
    err = capsys.readouterr().err
    assert "ReadTimeoutError" in err and "masih berjalan" in err


def test_a_complete_run_prints_its_summary(
    stubbed: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    client, stubber = stubbed
    summary = {
        "as_of": "2025-06-10T07:00:00+07:00",
        "day": "2025-06-10",
        "items_read": 3,
        "units": {"BIRO_PLH": {"reminders": 1, "overdue": 2, "escalated": 1}},
        "emails_sent": 2,
        "emails_skipped_duplicate": 0,
        "emails_failed": 0,
        "digests": 2,
        "read_failures": [],
        "withheld_escalations": [],
        "complete": True,
    }
    stubber.add_response("invoke", {"StatusCode": 200, "Payload": body(summary)})
    assert command.main(ARGS, lambda_client=client) == 0
    out = capsys.readouterr().out
    assert "Email: 2 terkirim" in out and "BIRO_PLH" in out

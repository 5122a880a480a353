"""The deadline check's handler: the schedule's input, its summary, a failing run raising."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from infra.template import load_template
from pendopo.domain.clock import WIB
from pendopo.runtime.settings import Settings
from tests.support.constants import TEST_TABLE
from tests.support.mail import SesDownFor, outbox
from tests.support.sla import sla_check_app, wib
from tools.bench.synthetic import Spec, raw_item, write
from tools.local.events import lambda_context

SENDER = "pendopo@pendopo.example"


@pytest.fixture
def sla_app(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    app = sla_check_app(monkeypatch, wib(12, 8, 0))
    write(dynamodb, TEST_TABLE, [raw_item(Spec(1, "BIRO_PLH", wib(6), wib(9)))])
    return app


def test_the_schedules_time_is_the_as_of_time(sla_app: Any) -> None:
    # Given Scheduler's input for 07:00 WIB on June 10, delivered (late) on June 12
    event = {"scheduled_time": "2025-06-10T00:00:00Z"}
    summary = sla_app.lambda_handler(event, lambda_context("SlaCheckFunction"))
    # Then the run counts as of June 10, 07:00 WIB, and belongs to that day
    assert summary["as_of"] == "2025-06-10T00:00:00+00:00" and summary["day"] == "2025-06-10"
    assert summary["units"]["BIRO_PLH"] == {"reminders": 0, "overdue": 1, "escalated": 0}
    assert summary["emails_sent"] == 1 and summary["complete"] is True


def test_now_overrides_and_no_input_means_the_clock(sla_app: Any) -> None:
    summary = sla_app.lambda_handler({"now": "2025-06-09T07:00:00+07:00"}, lambda_context("X"))
    assert summary["units"]["BIRO_PLH"] == {"reminders": 1, "overdue": 0, "escalated": 0}
    summary = sla_app.lambda_handler({}, lambda_context("X"))
    assert summary["as_of"] == wib(12, 8, 0).isoformat() and summary["day"] == "2025-06-12"


def test_an_incomplete_run_raises_so_lambda_retries_it(
    sla_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(table_name=TEST_TABLE, ses_sender=SENDER, console_url="https://k/c/")
    flaky = SesDownFor("koordinator.biro-plh@pendopo.example")
    monkeypatch.setattr(
        sla_app, "service", sla_app.build_service(settings, clock=sla_app.clock, ses_client=flaky)
    )
    with pytest.raises(sla_app.SlaCheckIncomplete, match="1 emails failed"):
        sla_app.lambda_handler({"now": "2025-06-10T07:00:00+07:00"}, lambda_context("X"))
    flaky.down = False
    summary = sla_app.lambda_handler({"now": "2025-06-10T07:00:00+07:00"}, lambda_context("X"))
    assert summary["emails_sent"] == 1 and summary["complete"]


def test_the_claim_lease_outlasts_the_function_timeout() -> None:
    from functions.sla_check import app

    timeout = load_template()["Resources"]["SlaCheckFunction"]["Properties"]["Timeout"]
    assert timeout == app.TIMEOUT_SECONDS
    assert app.LEASE.total_seconds() > timeout


def test_a_bad_input_is_refused(sla_app: Any) -> None:
    with pytest.raises(ValueError, match="timezone"):
        sla_app.CheckRequest.model_validate({"now": "2025-06-10T07:00:00"})
    assert sla_app.CheckRequest.model_validate({"now": "2025-06-10T07:00+07:00"}).now == wib(
        10, 7, 0
    ).astimezone(WIB)


def test_the_deployed_function_refuses_a_run_as_of_a_later_time(sla_app: Any) -> None:
    # Given the real time is June 12, 08:00 WIB (the fixture's clock); the digest keys of
    # a run are SLA#<WIB day of its as-of time>#<unit>
    # When the deployed function is asked for June 13, 07:00 (or a schedule time ahead)
    for event in (
        {"now": "2025-06-13T07:00:00+07:00"},
        {"now": "2025-06-12T08:11:00+07:00"},
        {"scheduled_time": "2025-06-13T00:00:00Z"},
    ):
        with pytest.raises(sla_app.AsOfInTheFuture, match="later than the real time"):
            sla_app.lambda_handler(event, lambda_context("X"))
    # Then nothing was sent or claimed: the real run of June 13 still sends its digests
    assert outbox() == []
    sla_app.clock.advance(timedelta(hours=23))  # June 13, 07:00 WIB
    summary = sla_app.lambda_handler({"now": "2025-06-13T07:00:00+07:00"}, lambda_context("X"))
    # (Biro PLH's digest and, more than a day overdue, its Asisten's escalation)
    assert summary["emails_sent"] == 2 and summary["complete"]


def test_a_run_a_few_minutes_ahead_is_allowed(sla_app: Any) -> None:
    # Within the margin (a caller's clock a little ahead, Scheduler firing early)
    summary = sla_app.lambda_handler({"now": "2025-06-12T08:09:00+07:00"}, lambda_context("X"))
    assert summary["day"] == "2025-06-12" and summary["complete"]
    assert timedelta(minutes=10) == sla_app.MAX_AHEAD


def test_the_local_command_path_still_runs_as_of_any_time(sla_app: Any) -> None:
    # The local demo (make sla-check NOW=<a later date>) calls check(), not the handler
    run = sla_app.check({"now": "2025-06-20T07:00:00+07:00"})
    assert run.day == "2025-06-20" and run.complete and run.total("sent") == 2

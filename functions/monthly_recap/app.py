"""The monthly recap, on the 5th at 07:00 WIB (EventBridge Scheduler) or on demand.

The schedule's Input is ``{"scheduled_time": "<aws.scheduler.scheduled-time>"}``:
the recap is of the calendar month (WIB) before the **scheduled** time, so a late
or repeated delivery still recaps the right month. On demand: ``{"month":
"2025-06", "resend": false}`` (``pendopo-recap``).

Thin: the event is validated (pydantic), a month that has not ended (WIB) is
refused (``MonthNotEnded``: its claims would use up the month's emails before the
run on the 5th), then ``RecapService.run``. A run that
could not send every email raises, so Lambda's retries of the asynchronous
invocation send what is missing (the notification log skips what was sent) and
the Errors alarm tells ops. Logs carry counts and the month, never addresses.
"""

from __future__ import annotations

import pendopo.runtime.coldstart  # first: the init runs without GC passes (see there)

# isort: split
from datetime import datetime
from functools import partial
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from functions.monthly_recap.xlsx import render_xlsx
from pendopo.domain.recap import MonthNotEnded, RecapMonth
from pendopo.notifications.raw import RawSesMailer
from pendopo.runtime.bootstrap import connect, recap_service
from pendopo.runtime.observability import logger, metrics
from pendopo.runtime.settings import get_settings
from pendopo.services.recap import RecapIncomplete, RecapResult


class RecapEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scheduled_time: datetime | None = None
    month: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}$")
    resend: bool = False

    @field_validator("month")
    @classmethod
    def _a_month(cls, value: str | None) -> str | None:
        return None if value is None else RecapMonth.parse(value).key

    @model_validator(mode="after")
    def _one_of(self) -> RecapEvent:
        if (self.scheduled_time is None) == (self.month is None):
            raise ValueError("give exactly one of scheduled_time and month")
        if self.scheduled_time is not None and self.scheduled_time.tzinfo is None:
            raise ValueError("scheduled_time needs a time zone")
        return self

    def recap_month(self) -> RecapMonth:
        if self.month is not None:
            return RecapMonth.parse(self.month)
        assert self.scheduled_time is not None  # checked by the validator
        return RecapMonth.before(self.scheduled_time)


# The function's service, with its own XLSX renderer and its raw MIME mailer (the
# reports go as attachments); tests and the command line pass their own clients.
build_service = partial(recap_service, xlsx=render_xlsx, mailer=RawSesMailer)


def result_body(result: RecapResult) -> dict[str, Any]:
    return {
        "month": result.month,
        "items_read": result.items_read,
        "objects": len(result.keys),
        "sent": result.sent,
        "already_sent": result.already_sent,
        "dropped_not_allowed": result.dropped,
        "attached": result.attached,
        "linked": result.linked,
    }


settings = get_settings()
connect(settings)
service = build_service(settings)


@metrics.log_metrics
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = RecapEvent.model_validate(event)
    month = request.recap_month()
    if not month.has_ended(service.clock.now()):
        # A recap of a month still running would claim (use up) that month's emails
        # with partial figures, and the run on the 5th would then send nothing.
        logger.error("monthly recap refused: the month has not ended", extra={"month": month.key})
        raise MonthNotEnded(month)
    try:
        result = service.run(month, resend=request.resend)
    except RecapIncomplete as incomplete:
        # Raised on: Lambda retries the asynchronous invocation, sending only what is missing.
        body = result_body(incomplete.result)
        logger.error("monthly recap incomplete", extra={**body, **_unsent(incomplete.result)})
        metrics.add_metric(name="RecapEmailsSent", unit=MetricUnit.Count, value=body["sent"])
        raise
    body = result_body(result)
    logger.info("monthly recap done", extra=body)
    metrics.add_metric(name="RecapEmailsSent", unit=MetricUnit.Count, value=result.sent)
    return body


def _unsent(result: RecapResult) -> dict[str, int]:
    return {"failed": result.failed, "in_progress": result.in_progress}


pendopo.runtime.coldstart.end_init()  # the last statement of the init

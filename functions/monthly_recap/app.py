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

import pendopo.coldstart  # first: the init runs without GC passes (see there)

# isort: split
import os
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from functions.monthly_recap.xlsx import render_xlsx
from pendopo.domain.clock import Clock, SystemClock
from pendopo.domain.recap import MonthNotEnded, RecapMonth
from pendopo.domain.taxonomy import load_recipients, load_taxonomy
from pendopo.notifications.raw import RawSesMailer
from pendopo.observability import logger, metrics
from pendopo.services.recap import RecapIncomplete, RecapResult, RecapService
from pendopo.settings import Settings, get_settings
from pendopo.storage.files import FileStore
from pendopo.storage.items import aws_client, bind_table
from pendopo.storage.notifications import NotificationLog
from pendopo.storage.recap import RecapReader

# The function's timeout (template.yaml) plus 5 s: a claim still pending after this
# was abandoned by an invocation Lambda has stopped, and may be taken over.
DEFAULT_LEASE_SECONDS = 305
# Recap claims outlive any re-run of the month worth guarding against.
RECAP_RETENTION = timedelta(days=400)


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


def build_service(
    settings: Settings,
    *,
    bucket: str,
    clock: Clock | None = None,
    ses_client: Any = None,
    s3_client: Any = None,
    lease_seconds: int = DEFAULT_LEASE_SECONDS,
) -> RecapService:
    """The service of a deployment (tests and the command line pass their own clients)."""
    if not settings.ses_sender:
        raise RuntimeError("SES_SENDER is not set: the recap has no sender address")
    taxonomy = load_taxonomy()
    ses = ses_client or aws_client("sesv2", settings.region, settings.endpoint_url)
    s3 = s3_client or aws_client("s3", settings.region, settings.endpoint_url)
    return RecapService(
        reader=RecapReader(),
        files=FileStore(s3, bucket),
        mailer=RawSesMailer(ses, settings.ses_sender, settings.ses_configuration_set),
        log=NotificationLog(lease=timedelta(seconds=lease_seconds), retention=RECAP_RETENTION),
        recipients=load_recipients(override_json=settings.recipients_json, taxonomy=taxonomy),
        taxonomy=taxonomy,
        xlsx=render_xlsx,
        clock=clock or SystemClock(),
    )


def result_body(result: RecapResult) -> dict[str, Any]:
    return {
        "month": result.month,
        "items_read": result.items_read,
        "objects": len(result.keys),
        "sent": result.sent,
        "already_sent": result.already_sent,
        "attached": result.attached,
        "linked": result.linked,
    }


settings = get_settings()
bind_table(settings.table_name, settings.region, settings.endpoint_url)
service = build_service(
    settings,
    bucket=os.environ.get("FILES_BUCKET", ""),
    lease_seconds=int(os.environ.get("RECAP_LEASE_SECONDS") or DEFAULT_LEASE_SECONDS),
)


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


pendopo.coldstart.end_init()  # the last statement of the init

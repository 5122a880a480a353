"""The daily deadline check (EventBridge Scheduler, 07:00 WIB): reminders, overdue, escalation.

The schedule passes its own time (``<aws.scheduler.scheduled-time>``) as
``{"scheduled_time": "2025-06-09T00:00:00Z"}``, so a late or retried delivery reports
"as of" the time it was due, and its digests belong to that WIB day. ``{"now": ...}``
runs it as of another time (``pendopo-sla-check``); with neither, as of now.

The handler (the deployed path: the schedule, or ``--stage`` on demand) refuses an
"as of" time later than the real time plus ``MAX_AHEAD`` (10 minutes): a run's digests
are claimed per WIB day of its "as of" time, so a run "as of" tomorrow would use up
tomorrow's digests today and the real run tomorrow would send nothing. Earlier times
stay allowed (a late delivery, a re-run of a missed day). ``check`` itself, which the
``--local`` command calls against the local stack's demo data, takes any time.

Thin by design: the event becomes one ``SlaCheckService.run``. A run that could not
read a unit or send a digest raises after finishing the others, so Lambda retries the
invocation (asynchronous: twice, then the on-failure queue) and the retry sends only
what is missing (the notification log's claims).

One log line per run (``SLA check``) with counts per unit; never addresses or
reporter data. Metrics: ``OverdueComplaints`` (total, and per unit with a ``unit``
dimension), ``EscalatedComplaints``, ``SlaDigestSent``, ``SlaDigestFailed``.
"""

from __future__ import annotations

import pendopo.coldstart  # first: the init runs without GC passes (see there)

# isort: split
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import AwareDatetime, BaseModel, ConfigDict

from pendopo.domain.clock import Clock, SystemClock
from pendopo.domain.sla import from_settings as sla_from_settings
from pendopo.domain.taxonomy import load_recipients, load_taxonomy
from pendopo.notifications.ses import SesMailer
from pendopo.observability import SERVICE, logger, metrics
from pendopo.services.sla_check import CheckRun, SlaCheckService
from pendopo.settings import Settings, get_settings
from pendopo.storage.items import aws_client, bind_table
from pendopo.storage.notifications import NotificationLog
from pendopo.storage.open_complaints import OpenComplaintReader

NAMESPACE = "Pendopo"
# The function's timeout (template.yaml: SlaCheckFunction) plus 5 s: a digest claim
# still pending after that was abandoned by an invocation Lambda has already stopped,
# and the retry (Lambda's, a minute or more later) takes it over.
TIMEOUT_SECONDS = 120
LEASE = timedelta(seconds=TIMEOUT_SECONDS + 5)
# How far past the real time the handler still takes an "as of" time: a caller's clock
# a little ahead, or Scheduler delivering a moment before its scheduled time.
MAX_AHEAD = timedelta(minutes=10)


class CheckRequest(BaseModel):
    """The invocation's input: the schedule's time, or an "as of" time on demand."""

    model_config = ConfigDict(extra="ignore")

    scheduled_time: AwareDatetime | None = None
    now: AwareDatetime | None = None

    def as_of(self, clock: Clock) -> datetime:
        return self.now or self.scheduled_time or clock.now()


class AsOfInTheFuture(ValueError):
    """The deployed function was asked to run "as of" a time that has not come yet."""


class SlaCheckIncomplete(Exception):
    """Some units were not read or some digests not sent: the invocation is retried."""


def build_service(
    settings: Settings, *, clock: Clock | None = None, ses_client: Any = None
) -> SlaCheckService:
    """The service of a deployment (tests pass their own clock or SES client)."""
    if not settings.ses_sender:
        raise RuntimeError("SES_SENDER is not set: the deadline check has no sender address")
    taxonomy = load_taxonomy()
    client = ses_client or aws_client("sesv2", settings.region, settings.endpoint_url)
    return SlaCheckService(
        reader=OpenComplaintReader(),
        log=NotificationLog(
            lease=LEASE, retention=timedelta(days=settings.notification_retention_days)
        ),
        mailer=SesMailer(client, settings.ses_sender, settings.ses_configuration_set),
        recipients=load_recipients(override_json=settings.recipients_json, taxonomy=taxonomy),
        taxonomy=taxonomy,
        policy=sla_from_settings(settings.sla_mode, settings.sla_days, settings.extra_holidays),
        escalation_days=settings.sla_escalation_days,
        console_url=settings.console_url,
        clock=clock or SystemClock(),
    )


settings = get_settings()
# Created at cold start, when Lambda gives the init phase a full CPU.
bind_table(settings.table_name, settings.region, settings.endpoint_url)
clock: Clock = SystemClock()
service = build_service(settings, clock=clock)


def check(event: dict[str, Any] | None, *, latest: datetime | None = None) -> CheckRun:
    """One run for an invocation's input; logs its summary line and records its metrics.

    With ``latest``, an "as of" time after it is refused (``AsOfInTheFuture``) before
    anything is read, claimed or sent.
    """
    request = CheckRequest.model_validate(event or {})
    as_of = request.as_of(clock)
    if latest is not None and as_of > latest:
        logger.error(
            "SLA check refused: as of a later time",
            extra={"as_of": as_of.isoformat(), "latest": latest.isoformat()},
        )
        raise AsOfInTheFuture(
            f"as of {as_of.isoformat()} is later than the real time plus "
            f"{int(MAX_AHEAD.total_seconds() // 60)} minutes ({latest.isoformat()}): it would "
            "use up that day's digests before the day; nothing was sent"
        )
    run = service.run(as_of)
    report(run)
    return run


def report(run: CheckRun) -> None:
    summary = run.summary()
    # Powertools' single_metric prints even when metrics are disabled (the on-demand
    # command disables them to keep its terminal readable), so it is asked first.
    per_unit = {} if is_metrics_disabled() else run.counts
    for unit, counts in per_unit.items():
        with single_metric(
            name="OverdueComplaints",
            unit=MetricUnit.Count,
            value=counts.overdue,
            namespace=NAMESPACE,
            default_dimensions={"service": SERVICE, "unit": unit},
        ):
            pass
    metrics.add_metric(name="OverdueComplaints", unit=MetricUnit.Count, value=summary["overdue"])  # type: ignore[arg-type]
    metrics.add_metric(
        name="EscalatedComplaints",
        unit=MetricUnit.Count,
        value=summary["escalated"],  # type: ignore[arg-type]
    )
    metrics.add_metric(name="SlaDigestSent", unit=MetricUnit.Count, value=run.total("sent"))
    metrics.add_metric(name="SlaDigestFailed", unit=MetricUnit.Count, value=run.total("failed"))
    logger.info("SLA check", extra=summary)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    run = check(event, latest=clock.now() + MAX_AHEAD)
    if not run.complete:
        raise SlaCheckIncomplete(
            f"as of {run.as_of.isoformat()}: {run.total('failed')} emails failed, "
            f"{run.total('in_progress')} in progress elsewhere, "
            f"units not read: {', '.join(run.read_failures) or 'none'}, "
            f"escalations withheld: {', '.join(run.withheld) or 'none'}"
        )
    return run.summary()


pendopo.coldstart.end_init()  # the last statement of the init

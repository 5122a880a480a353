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

import pendopo.runtime.coldstart  # first: the init runs without GC passes (see there)

# isort: split
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import AwareDatetime, BaseModel, ConfigDict

from pendopo.domain.clock import Clock, SystemClock
from pendopo.runtime.bootstrap import connect
from pendopo.runtime.bootstrap import sla_check_service as build_service
from pendopo.runtime.observability import SERVICE, logger, metrics
from pendopo.runtime.settings import get_settings
from pendopo.services.sla_check import CheckRun

NAMESPACE = "Pendopo"
# The function's timeout (template.yaml: SlaCheckFunction); the claims' lease
# (settings: sla_check_lease_seconds) outlasts it by 5 s.
TIMEOUT_SECONDS = 120
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


settings = get_settings()
# A digest claim still pending after this was abandoned by an invocation Lambda has
# already stopped, and the retry (Lambda's, a minute or more later) takes it over.
LEASE = timedelta(seconds=settings.sla_check_lease_seconds)
# Created at cold start, when Lambda gives the init phase a full CPU.
connect(settings)
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


pendopo.runtime.coldstart.end_init()  # the last statement of the init

"""The daily deadline check: read open complaints by deadline, send each digest once.

One run "as of" a time (the schedule's time, so a late or retried delivery reports
as of when it was due):

1. per unit, one Query of the sparse ``open_by_due`` index for deadlines up to
   ``now + 24 h`` (``OpenComplaintReader``): no scans;
2. ``plan_check`` sorts them into one digest per unit and one per Asisten;
3. each digest goes to each of its recipients through the notification log, keyed
   ``NOTIFY#SLA#<WIB day>#<unit or Asisten>`` / recipient: claimed with a conditional
   put, sent, marked sent. A second run on the same WIB day finds the claims
   ``sent`` and sends nothing; a claim whose send failed is ``failed``, and the
   next run (Lambda's retry, or a run on demand) takes it and sends it.

A unit whose read or send fails does not stop the others; the run reports itself
incomplete so the caller can fail the invocation and have it retried. An Asisten's
escalation digest is neither claimed nor sent while one of the Asisten's units could
not be read: its key is per Asisten and day, so a digest sent without that unit's
lines would make the retry skip them ("already sent") and report itself complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Unpack

from pendopo.domain.sla import SlaPolicy
from pendopo.domain.sla_digest import (
    DIGEST_NAMESPACE,
    ESCALATION_DIGEST_ACTION,
    UNIT_DIGEST_ACTION,
    CheckPlan,
    OpenComplaint,
    UnitCounts,
    plan_check,
    window_end,
)
from pendopo.notifications.digest import render_escalation_digest, render_unit_digest
from pendopo.notifications.render import RenderedEmail
from pendopo.services.ports import Mailer, OpenComplaints
from pendopo.services.send_once import Emailing, EmailingService, SendCounts, count
from pendopo.storage.notifications import (
    NotificationKey,
)


@dataclass
class DigestOutcome(SendCounts):
    """What happened to one digest (a unit's or an Asisten's): counts, no addresses."""

    to: str  # the unit or Asisten code
    action: str


@dataclass
class CheckRun:
    """One run's result, for its log line, its metrics and the on-demand command."""

    as_of: datetime
    day: str
    counts: dict[str, UnitCounts] = field(default_factory=dict)
    items_read: int = 0
    ignored_stopped: int = 0
    read_failures: list[str] = field(default_factory=list)  # "<unit>:<error type>"
    unread_units: list[str] = field(default_factory=list)  # the units whose Query failed
    # The Asisten whose escalation digest waits for a run that reads all their units.
    withheld: list[str] = field(default_factory=list)
    digests: list[DigestOutcome] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(outcome, name) for outcome in self.digests)

    @property
    def complete(self) -> bool:
        """Every unit was read, and every digest has reached every recipient (now or before)."""
        return not self.read_failures and not any(
            outcome.failed or outcome.in_progress for outcome in self.digests
        )

    def summary(self) -> dict[str, object]:
        """The run as plain data (no addresses, no personal data)."""
        return {
            "as_of": self.as_of.isoformat(),
            "day": self.day,
            "items_read": self.items_read,
            "ignored_clock_stopped": self.ignored_stopped,
            "units": {
                unit: {
                    "reminders": c.reminders,
                    "overdue": c.overdue,
                    "escalated": c.escalated,
                }
                for unit, c in self.counts.items()
            },
            "reminders": sum(c.reminders for c in self.counts.values()),
            "overdue": sum(c.overdue for c in self.counts.values()),
            "escalated": sum(c.escalated for c in self.counts.values()),
            "digests": len(self.digests),
            "emails_sent": self.total("sent"),
            "emails_skipped_duplicate": self.total("duplicates"),
            "emails_failed": self.total("failed"),
            "emails_in_progress_elsewhere": self.total("in_progress"),
            "emails_dropped_not_allowed": self.total("dropped"),
            "read_failures": self.read_failures,
            "withheld_escalations": self.withheld,
            "errors": sorted({e for outcome in self.digests for e in outcome.errors}),
            "sent_to": [
                {"to": o.to, "action": o.action, "sent": o.sent, "skipped_duplicate": o.duplicates}
                for o in self.digests
            ],
            "complete": self.complete,
        }


class SlaCheckService(EmailingService[Mailer]):
    def __init__(
        self,
        *,
        reader: OpenComplaints,
        policy: SlaPolicy,
        escalation_days: int,
        console_url: str,
        **emailing: Unpack[Emailing[Mailer]],
    ) -> None:
        super().__init__(**emailing)
        self._reader = reader
        self._policy = policy
        self._escalation_days = escalation_days
        self._console_url = console_url

    def plan(self, now: datetime, run: CheckRun | None = None) -> CheckPlan:
        """Read every unit's open complaints due by ``now + 24 h`` and plan the digests."""
        end = window_end(now)
        complaints: list[OpenComplaint] = []
        for unit in self._taxonomy.units:
            try:
                found = self._reader.due_by(unit, end)
            except Exception as error:  # one unit's failure must not stop the others
                if run is None:
                    raise
                run.read_failures.append(f"{unit}:{type(error).__name__}")
                run.unread_units.append(unit)
                continue
            complaints.extend(found)
        if run is not None:
            run.items_read = len(complaints)
        return plan_check(
            complaints,
            now,
            policy=self._policy,
            escalation_days=self._escalation_days,
            taxonomy=self._taxonomy,
            recipients=self._recipients,
            console_url=self._console_url,
        )

    def run(self, now: datetime) -> CheckRun:
        """One check as of ``now`` (the claims are stamped with the service's clock)."""
        run = CheckRun(as_of=now, day="")
        plan = self.plan(now, run)
        run.day = plan.day.isoformat()
        run.counts = dict(plan.counts)
        run.ignored_stopped = plan.ignored_stopped
        run.withheld = sorted({self._taxonomy.asisten_of(u).code for u in run.unread_units})
        for digest in plan.unit_digests:
            outcome = DigestOutcome(to=digest.unit, action=UNIT_DIGEST_ACTION)
            self._deliver(render_unit_digest(digest), digest.recipients, digest.unit, plan, outcome)
            run.digests.append(outcome)
        for escalation in plan.escalation_digests:
            if escalation.asisten in run.withheld:
                continue  # not claimed: the retry sends it with every unit's lines
            outcome = DigestOutcome(to=escalation.asisten, action=ESCALATION_DIGEST_ACTION)
            self._deliver(
                render_escalation_digest(escalation),
                escalation.recipients,
                escalation.asisten,
                plan,
                outcome,
            )
            run.digests.append(outcome)
        return run

    def _deliver(
        self,
        email: RenderedEmail,
        recipients: Iterable[str],
        to: str,
        plan: CheckPlan,
        outcome: DigestOutcome,
    ) -> None:
        for address in recipients:
            outcome.recipients += 1
            key = NotificationKey(
                ticket=DIGEST_NAMESPACE, event_sk=f"{plan.day.isoformat()}#{to}", recipient=address
            )
            result = self._send_once(
                key, outcome.action, partial(self._mailer.send, address, email)
            )
            count(outcome, result)

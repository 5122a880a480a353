"""The daily deadline check: which open complaints each unit and each Asisten hears about.

Pure Python, no AWS. The check reads the open complaints whose 3-day clock runs and
whose deadline falls before ``now + 24 h`` (storage: the sparse ``open_by_due`` index)
and sorts them out here:

- **overdue**: ``now`` is strictly after the deadline (``sla.is_overdue``: exactly at
  the deadline is still on time), shown with how long, in Indonesian
  ("terlambat 2 hari 3 jam"), most overdue first;
- **reminder**: the deadline is at ``now`` or within the next 24 hours, soonest first;
- **escalated**: overdue by more than N days (``SLA_ESCALATION_DAYS``, default 1),
  counted the way the deployment counts the deadline itself: N x 24 hours in
  calendar-day mode, N working days in working-day mode (a complaint due Friday
  10:00 is escalated after Monday 10:00, not on Saturday). Escalated complaints
  also go to the unit's Asisten, one digest per Asisten across its units.

A complaint whose clock is stopped (a follow-up result awaiting validation) or that
is closed is never reported: storage removes it from the index when its clock stops,
and ``classify`` checks the status again, because an index read can lag a write.

One unit gets one digest (reminders and overdue together); a unit with nothing due
gets none. Digests show ticket, category, agency, status label, deadline and a
console link: never the reporter's data. The citizen-written title (it often carries
a name or an address) is shown only in the unit's own digest, to the coordinators
who handle the complaint, and not even there when the reporter asked for anonymity
or confidentiality; the Asisten's escalation digest never carries it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from pendopo.domain.clock import MONTHS_ID_SHORT, format_wib, require_aware, to_wib
from pendopo.domain.notifications import SUBJECT_PREFIX, console_link
from pendopo.domain.sla import SlaMode, SlaPolicy, is_overdue, overdue_by
from pendopo.domain.status import Status
from pendopo.domain.taxonomy import Recipients, Taxonomy

REMINDER_WINDOW = timedelta(hours=24)
# The claim log's "ticket" for digests (see pendopo.storage.notifications): the key is
# NOTIFY#SLA#<YYYY-MM-DD>#<unit or Asisten code>, one record per recipient.
DIGEST_NAMESPACE = "SLA"
UNIT_DIGEST_ACTION = "sla_digest"
ESCALATION_DIGEST_ACTION = "sla_escalation"


@dataclass(frozen=True, slots=True)
class OpenComplaint:
    """What the check needs of one complaint (the index item, trimmed)."""

    ticket: str
    unit: str
    category: str
    status: Status
    due_at: datetime
    title: str
    agency: str | None = None
    # The reporter's choices (complaint ``reporter.anonymous`` / ``.confidential``):
    # either one keeps the title out of every email.
    anonymous: bool = False
    confidential: bool = False


class Standing(StrEnum):
    REMINDER = "reminder"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class DigestLine:
    """One complaint in a digest, as the email shows it."""

    ticket: str
    title: str | None  # None: not shown (anonymous/confidential, or the Asisten's digest)
    category: str
    unit: str
    agency: str | None
    status: str
    due: str
    due_at: datetime
    standing: Standing
    lateness: timedelta  # how long overdue; zero for a reminder
    when: str  # "terlambat 2 hari 3 jam" or "sisa 5 jam 10 menit"
    escalated: bool
    link: str | None


@dataclass(frozen=True, slots=True)
class UnitDigest:
    unit: str
    unit_name: str
    day: date
    overdue: tuple[DigestLine, ...]
    reminders: tuple[DigestLine, ...]
    recipients: tuple[str, ...]
    subject: str

    @property
    def escalated(self) -> int:
        return sum(1 for line in self.overdue if line.escalated)


@dataclass(frozen=True, slots=True)
class EscalationDigest:
    asisten: str
    asisten_name: str
    day: date
    escalation_days: int
    lines: tuple[DigestLine, ...]
    recipients: tuple[str, ...]
    subject: str


@dataclass(frozen=True, slots=True)
class UnitCounts:
    reminders: int = 0
    overdue: int = 0
    escalated: int = 0


@dataclass(frozen=True)
class CheckPlan:
    """Every digest of one run "as of" ``now``, and the counts per unit."""

    now: datetime
    day: date
    unit_digests: tuple[UnitDigest, ...]
    escalation_digests: tuple[EscalationDigest, ...]
    counts: Mapping[str, UnitCounts] = field(default_factory=dict)
    ignored_stopped: int = 0  # read, but the clock is stopped (a lagging index read)


def window_end(now: datetime) -> datetime:
    """The latest deadline the check reads: reminders reach 24 hours ahead."""
    return require_aware(now) + REMINDER_WINDOW


def escalation_at(due_at: datetime, policy: SlaPolicy, escalation_days: int) -> datetime:
    """When an overdue complaint is escalated to the Asisten (strictly after this).

    The threshold counts days as the deadline does: the same rule that turns a
    receipt into a deadline turns the deadline into the escalation time.
    """
    if escalation_days <= 0:
        return require_aware(due_at)
    if policy.mode is SlaMode.CALENDAR_DAYS:
        return require_aware(due_at) + timedelta(days=escalation_days)
    return SlaPolicy(mode=policy.mode, days=escalation_days, calendar=policy.calendar).due_at(
        due_at
    )


def digest_day(now: datetime) -> date:
    """The WIB day a run belongs to: one digest per unit and day."""
    return to_wib(now).date()


def format_duration(span: timedelta) -> str:
    """'2 hari 3 jam', '5 jam 10 menit', '45 menit', 'kurang dari 1 menit'."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} hari")
    if hours:
        parts.append(f"{hours} jam")
    if minutes and not days:
        parts.append(f"{minutes} menit")
    return " ".join(parts) if parts else "kurang dari 1 menit"


def format_day(day: date) -> str:
    """'09 Jun 2025'."""
    return f"{day.day:02d} {MONTHS_ID_SHORT[day.month - 1]} {day.year}"


def plan_check(
    complaints: Iterable[OpenComplaint],
    now: datetime,
    *,
    policy: SlaPolicy,
    escalation_days: int,
    taxonomy: Taxonomy,
    recipients: Recipients,
    console_url: str,
) -> CheckPlan:
    """Sort the open complaints read for ``now`` into the run's digests."""
    require_aware(now)
    day = digest_day(now)
    end = window_end(now)
    overdue: dict[str, list[DigestLine]] = {}
    reminders: dict[str, list[DigestLine]] = {}
    ignored = 0
    for complaint in complaints:
        if not complaint.status.clock_running:
            ignored += 1
            continue
        if complaint.due_at > end:
            continue
        line = _line(complaint, now, policy, escalation_days, taxonomy, console_url)
        target = overdue if line.standing is Standing.OVERDUE else reminders
        target.setdefault(complaint.unit, []).append(line)

    unit_digests: list[UnitDigest] = []
    counts: dict[str, UnitCounts] = {}
    for code, unit in taxonomy.units.items():
        late = sorted(overdue.get(code, []), key=lambda x: (-x.lateness, x.ticket))
        soon = sorted(reminders.get(code, []), key=lambda x: (x.due_at, x.ticket))
        counts[code] = UnitCounts(
            reminders=len(soon), overdue=len(late), escalated=sum(1 for x in late if x.escalated)
        )
        if not late and not soon:
            continue
        subject = (
            f"{SUBJECT_PREFIX} Batas waktu tindak lanjut {unit.short_name}, {format_day(day)}: "
            f"{len(late)} terlambat, {len(soon)} jatuh tempo dalam 24 jam"
        )
        unit_digests.append(
            UnitDigest(
                unit=code,
                unit_name=unit.name,
                day=day,
                overdue=tuple(late),
                reminders=tuple(soon),
                recipients=_unique(recipients.coordinators(code)),
                subject=subject,
            )
        )
    return CheckPlan(
        now=now,
        day=day,
        unit_digests=tuple(unit_digests),
        escalation_digests=_escalations(unit_digests, day, escalation_days, taxonomy, recipients),
        counts=counts,
        ignored_stopped=ignored,
    )


def _escalations(
    unit_digests: list[UnitDigest],
    day: date,
    escalation_days: int,
    taxonomy: Taxonomy,
    recipients: Recipients,
) -> tuple[EscalationDigest, ...]:
    by_asisten: dict[str, list[DigestLine]] = {}
    for digest in unit_digests:
        # Without the citizen's title: the Asisten does not handle the complaint.
        by_asisten.setdefault(taxonomy.asisten_of(digest.unit).code, []).extend(
            replace(x, title=None) for x in digest.overdue if x.escalated
        )
    digests = []
    for code, asisten in taxonomy.asisten.items():
        lines = sorted(by_asisten.get(code, []), key=lambda x: (-x.lateness, x.ticket))
        if not lines:
            continue
        subject = (
            f"{SUBJECT_PREFIX} Eskalasi {format_day(day)}: {len(lines)} pengaduan terlambat "
            f"lebih dari {escalation_days} hari"
        )
        digests.append(
            EscalationDigest(
                asisten=code,
                asisten_name=asisten.name,
                day=day,
                escalation_days=escalation_days,
                lines=tuple(lines),
                recipients=_unique([recipients.asisten(code)]),
                subject=subject,
            )
        )
    return tuple(digests)


def _line(
    complaint: OpenComplaint,
    now: datetime,
    policy: SlaPolicy,
    escalation_days: int,
    taxonomy: Taxonomy,
    console_url: str,
) -> DigestLine:
    category = taxonomy.category(complaint.category)
    unit = taxonomy.units.get(complaint.unit)
    agency = taxonomy.agencies.get(complaint.agency) if complaint.agency else None
    late = is_overdue(complaint.due_at, now)
    lateness = overdue_by(complaint.due_at, now)
    if late:
        when = f"terlambat {format_duration(lateness)}"
    elif complaint.due_at == now:
        when = "jatuh tempo sekarang"
    else:
        when = f"sisa {format_duration(complaint.due_at - now)}"
    return DigestLine(
        ticket=complaint.ticket,
        title=None if complaint.anonymous or complaint.confidential else complaint.title,
        category=category.label if category else complaint.category,
        unit=unit.short_name if unit else complaint.unit,
        agency=(agency.name if agency else complaint.agency) if complaint.agency else None,
        status=complaint.status.label,
        due=format_wib(complaint.due_at),
        due_at=complaint.due_at,
        standing=Standing.OVERDUE if late else Standing.REMINDER,
        lateness=lateness,
        when=when,
        escalated=late and now > escalation_at(complaint.due_at, policy, escalation_days),
        link=console_link(console_url, complaint.ticket),
    )


def _unique(addresses: Iterable[str]) -> tuple[str, ...]:
    """Each address once, whatever its letter case (first spelling kept)."""
    seen: dict[str, str] = {}
    for address in addresses:
        seen.setdefault(address.lower(), address)
    return tuple(seen.values())

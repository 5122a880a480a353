"""The monthly recap, end to end: read, compute, store the reports, email them once.

1. One paginated Query of the ``unit_month`` index per unit (``storage.recap``).
2. The figures (``domain.recap``): a snapshot at the month's end.
3. The reports under ``recaps/YYYY-MM/`` in the files bucket: HTML per unit, per
   Asisten and consolidated, the complaints as CSV, and an XLSX workbook. The keys
   depend on the month only, so a repeated run overwrites the same objects.
4. The emails: each unit's head gets the unit's report; each Asisten a summary of
   their units with the unit reports; the Sekda the consolidated report, the CSV
   and the workbook. Reports are **attached** (SES v2 raw MIME) while they fit in
   ``ATTACH_LIMIT_BYTES``; beyond that the email carries pre-signed links instead.
   A link signed with a Lambda role's temporary credentials stops working when
   those credentials expire (hours), whatever its expiry says: attachments do not.
5. Once per recipient: each email is claimed in the notification log
   (``NotificationKey(ticket="RECAP", event_sk="<YYYY-MM>#<report>", recipient)``,
   a conditional put, pending -> sent with a lease), so a repeated run or a retried
   invocation sends nothing twice and only what is still missing. ``resend=True``
   sends again on purpose, under keys of its own (``...#resend#<WIB date>``), so the
   first sends stay on record, and a partly failed resend repeated the same day
   sends only what it missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Unpack

from pendopo.domain.clock import Clock, to_wib
from pendopo.domain.recap import MonthRecap, RecapMonth, recap_month
from pendopo.notifications.raw import Attachment
from pendopo.reports.recap import (
    ReportNames,
    render_asisten,
    render_consolidated,
    render_csv,
    render_email,
    render_unit,
)
from pendopo.services.ports import MailerWithAttachments as Mailer
from pendopo.services.ports import XlsxRenderer
from pendopo.services.send_once import Emailing, EmailingService, Outcome, count
from pendopo.storage.files import MAX_LINK_SECONDS, FileStore
from pendopo.storage.notifications import (
    NotificationKey,
)
from pendopo.storage.recap import RecapReader

RECAP_TICKET = "RECAP"
RECAP_ACTION = "monthly_recap"
# Attach while the attachments of one email stay under this (base64 adds a third,
# so about 9.5 MB on the wire): SES v2 takes 40 MB, but many receiving mail servers
# refuse more than 10 MB. A unit report is tens of kilobytes.
ATTACH_LIMIT_BYTES = 7_000_000
HTML = "text/html"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class ReportFile:
    """One report as stored and sent: file name, key in the files bucket, bytes, type."""

    name: str
    key: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class Outgoing:
    """One email (the same to each of its recipients)."""

    report: str  # unit-<U>, asisten-<A> or sekda: the claim key's report part
    kind: str  # unit, asisten, sekda: the template pair
    recipients: tuple[str, ...]
    context: dict[str, object]
    files: tuple[ReportFile, ...]


@dataclass
class RecapResult:
    month: str
    items_read: int = 0
    keys: list[str] = field(default_factory=list)
    sent: int = 0
    already_sent: int = 0
    in_progress: int = 0
    failed: int = 0
    dropped: int = 0  # not on the training stage's allow-list
    attached: int = 0  # emails that carried their reports as attachments
    linked: int = 0  # emails that carried links instead
    errors: list[str] = field(default_factory=list)  # error codes, never messages

    @property
    def duplicates(self) -> int:
        """``already_sent`` under the name the shared send counter uses."""
        return self.already_sent

    @duplicates.setter
    def duplicates(self, value: int) -> None:
        self.already_sent = value

    @property
    def complete(self) -> bool:
        return not self.failed and not self.in_progress


class RecapIncomplete(Exception):
    """Some emails were not sent (SES failed, or another run holds their claim)."""

    def __init__(self, result: RecapResult) -> None:
        self.result = result
        super().__init__(
            f"recap {result.month}: {result.failed} email(s) failed, "
            f"{result.in_progress} held by another run"
        )


class RecapService(EmailingService[Mailer]):
    def __init__(
        self,
        *,
        reader: RecapReader,
        files: FileStore,
        xlsx: XlsxRenderer,
        attach_limit: int = ATTACH_LIMIT_BYTES,
        **emailing: Unpack[Emailing[Mailer]],
    ) -> None:
        super().__init__(**emailing)
        self._reader = reader
        self._files = files
        self._xlsx = xlsx
        self._attach_limit = attach_limit

    @property
    def clock(self) -> Clock:
        return self._clock

    def build(self, month: RecapMonth) -> MonthRecap:
        """Read every unit's month (one paginated Query each) and compute the figures."""
        by_unit = {unit: self._reader.complaints_of(unit, month) for unit in self._taxonomy.units}
        return recap_month(month, by_unit, self._taxonomy)

    def run(self, month: RecapMonth, *, resend: bool = False) -> RecapResult:
        """Build, store and email the month's recap; raises RecapIncomplete if emails remain."""
        before = self._reader.stats.items
        recap = self.build(month)
        now = self._clock.now()
        result = RecapResult(month=month.key, items_read=self._reader.stats.items - before)
        files = self.store(recap, now)
        result.keys = [f.key for f in files.all]
        for outgoing in self._outgoing(recap, files):
            self._send(outgoing, month, now, resend, result)
        if not result.complete:
            raise RecapIncomplete(result)
        return result

    # ------------------------------------------------------------------ reports

    def store(self, recap: MonthRecap, now: datetime) -> _Files:
        """Render every report and put it in the bucket (same keys on every run)."""
        names = ReportNames(recap.month.key)
        taxonomy = self._taxonomy

        def html(name: str, text: str) -> ReportFile:
            return ReportFile(name, names.key(name), text.encode("utf-8"), HTML)

        files = _Files(
            units={
                u.unit: html(names.unit(u.unit), render_unit(recap, u, taxonomy, now))
                for u in recap.units
            },
            asisten={
                a.code: html(names.asisten(a.code), render_asisten(recap, a, taxonomy, now))
                for a in recap.asisten
            },
            consolidated=html(names.consolidated, render_consolidated(recap, taxonomy, now)),
            csv=ReportFile(names.csv, names.key(names.csv), render_csv(recap, taxonomy), CSV),
            xlsx=ReportFile(names.xlsx, names.key(names.xlsx), self._xlsx(recap, taxonomy), XLSX),
        )
        for file in files.all:
            self._files.put(file.key, file.content, file.content_type)
        return files

    def _outgoing(self, recap: MonthRecap, files: _Files) -> list[Outgoing]:
        taxonomy = self._taxonomy
        emails = [
            Outgoing(
                report=f"unit-{u.unit}",
                kind="unit",
                recipients=self._recipients.unit_head(u.unit),
                context={"month": recap.month, "unit": u, "asisten": taxonomy.asisten[u.asisten]},
                files=(files.units[u.unit],),
            )
            for u in recap.units
        ]
        emails += [
            Outgoing(
                report=f"asisten-{a.code}",
                kind="asisten",
                recipients=(self._recipients.asisten(a.code),),
                context={"month": recap.month, "asisten": a},
                files=(files.asisten[a.code], *(files.units[u.unit] for u in a.units)),
            )
            for a in recap.asisten
        ]
        emails.append(
            Outgoing(
                report="sekda",
                kind="sekda",
                recipients=(self._recipients.sekda,),
                context={"month": recap.month, "recap": recap},
                files=(files.consolidated, files.csv, files.xlsx),
            )
        )
        return emails

    # ------------------------------------------------------------------- emails

    def _send(
        self,
        outgoing: Outgoing,
        month: RecapMonth,
        now: datetime,
        resend: bool,
        result: RecapResult,
    ) -> None:
        attached = sum(len(f.content) for f in outgoing.files) <= self._attach_limit
        listed = [
            {"name": f.name, "url": "" if attached else self._files.link(f.key)}
            for f in outgoing.files
        ]
        email = render_email(
            outgoing.kind,
            attached=attached,
            files=listed,
            links_until=now + timedelta(seconds=MAX_LINK_SECONDS),
            **outgoing.context,
        )
        attachments = (
            tuple(Attachment(f.name, f.content, f.content_type) for f in outgoing.files)
            if attached
            else ()
        )
        event_sk = f"{month.key}#{outgoing.report}"
        if resend:
            # One resend per WIB day: repeating a partly failed resend the same day
            # finds its sent claims and completes only what is missing.
            event_sk += f"#resend#{to_wib(now).date().isoformat()}"
        for recipient in _unique(outgoing.recipients):
            key = NotificationKey(ticket=RECAP_TICKET, event_sk=event_sk, recipient=recipient)
            sent = self._send_once(
                key, RECAP_ACTION, partial(self._mailer.send, recipient, email, attachments)
            )
            count(result, sent)
            if sent.outcome is Outcome.SENT:
                if attached:
                    result.attached += 1
                else:
                    result.linked += 1


@dataclass(frozen=True)
class _Files:
    units: dict[str, ReportFile]
    asisten: dict[str, ReportFile]
    consolidated: ReportFile
    csv: ReportFile
    xlsx: ReportFile

    @property
    def all(self) -> list[ReportFile]:
        return [
            *self.units.values(),
            *self.asisten.values(),
            self.consolidated,
            self.csv,
            self.xlsx,
        ]


def _unique(addresses: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for address in addresses:
        seen.setdefault(address.lower(), None)
    return list(seen)

"""Notify the right people about one audit event: one email per recipient, each once.

For every recipient the rule table names (``pendopo.domain.notifications``), the
service claims the email in the notification log, sends it, and marks it sent;
when SES fails it releases the claim so the stream's retry sends it. Nothing
here can affect the officer action that wrote the event: it committed before
the stream delivered it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Unpack

from pendopo.domain.complaint import AuditEvent
from pendopo.domain.notifications import build_notice, recipients_for
from pendopo.domain.reporter_messages import message_for
from pendopo.notifications.render import RenderedEmail, render_notice
from pendopo.runtime.observability import logger
from pendopo.services.ports import Mailer
from pendopo.services.reporter import ReporterCounts, ReporterMessenger
from pendopo.services.send_once import Emailing, EmailingService, SendCounts, count
from pendopo.storage.complaints import ComplaintStore
from pendopo.storage.files import UploadFiles
from pendopo.storage.notifications import (
    NotificationKey,
)


@dataclass
class Delivery(SendCounts):
    """What happened to the emails of one audit event (counts only: no addresses)."""

    ticket: str
    action: str
    complaint_missing: bool = False
    reporter: ReporterCounts = field(default_factory=ReporterCounts)

    @property
    def complete(self) -> bool:
        """Every recipient has had the email (now or before), the reporter their messages."""
        return (
            self.failed == 0
            and self.in_progress == 0
            and self.reporter.failed == 0
            and self.reporter.in_progress == 0
        )


class NotificationsIncomplete(Exception):
    """Some emails of an event were not sent; the stream record must be retried."""

    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery
        super().__init__(
            f"{delivery.ticket} {delivery.action}: {delivery.failed} failed, "
            f"{delivery.in_progress} in progress elsewhere; reporter: "
            f"{delivery.reporter.failed} failed, {delivery.reporter.in_progress} in progress"
        )


class NotifyService(EmailingService[Mailer]):
    def __init__(
        self,
        *,
        complaints: ComplaintStore,
        console_url: str,
        reporter: ReporterMessenger | None = None,
        files: UploadFiles | None = None,
        **emailing: Unpack[Emailing[Mailer]],
    ) -> None:
        super().__init__(**emailing)
        self._complaints = complaints
        self._console_url = console_url
        self._reporter = reporter
        self._files = files

    def tag_claimed(self, event: AuditEvent) -> int:
        """Tag the clean copies of the uploads the event's write claimed ``claimed``, so the
        bucket's lifecycle (which deletes ``unclaimed`` ones after 2 days) keeps them.

        Idempotent (a stream retry tags again); an S3 error raises, so the record is
        retried. A copy already gone is logged (the claim came after its lifecycle).
        """
        if not event.attachments or self._files is None:
            return 0
        tagged = 0
        for upload_id in event.attachments:
            if self._files.mark_claimed(upload_id):
                tagged += 1
            else:
                logger.warning(
                    "Claimed upload has no clean copy",
                    extra={"ticket": event.ticket, "upload_id": upload_id},
                )
        return tagged

    def notify(self, event: AuditEvent, event_sk: str) -> Delivery:
        """Send what is due for this event; never sends an email twice once marked sent.

        The officers' emails first, then the reporter's messages: a failing SMS
        cannot hold up an officer's email (each send is claimed and counted apart).
        """
        delivery = Delivery(ticket=event.ticket, action=event.action.value)
        audience = recipients_for(
            event.action, event.unit, self._recipients, disputed=event.disputed
        )
        delivery.recipients = len(audience)
        tells_reporter = self._reporter is not None and message_for(event.action.value) is not None
        if not audience and not tells_reporter:
            return delivery
        complaint = self._complaints.get_complaint(event.ticket)
        if complaint is None:
            # Cannot happen for events written with their complaint; nothing to show.
            delivery.complaint_missing = True
            return delivery
        if audience:
            email = render_notice(build_notice(event, complaint, self._taxonomy, self._console_url))
            for address in audience:
                key = NotificationKey(event.ticket, event_sk, address)
                self._deliver(key, event, email, delivery)
        if self._reporter is not None:
            delivery.reporter = self._reporter.deliver(event, event_sk, complaint)
        return delivery

    def _deliver(
        self, key: NotificationKey, event: AuditEvent, email: RenderedEmail, delivery: Delivery
    ) -> None:
        result = self._send_once(
            key, event.action.value, lambda: self._mailer.send(key.recipient, email)
        )
        count(delivery, result)

"""Tell the reporter about their complaint: one SMS and/or one email per event, each once.

Called by the notify service for every audit event, after the officers' emails, so a
throttled or failing SMS never holds those up. Only a reporter who consented
(``Complaint.notify``) and has not unsubscribed is told; which events and what they
say is ``pendopo.domain.reporter_messages``.

Each message is claimed in the notification log like an officer's email
(``services.send_once``), under the recipient ``reporter#sms`` or ``reporter#email``:
the log never holds the reporter's number or address. A failed send releases its
claim and fails the stream record, whose retry sends only what is missing.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from pendopo.domain.allow_list import RecipientAllowList
from pendopo.domain.clock import Clock
from pendopo.domain.complaint import AuditEvent, Complaint
from pendopo.domain.reporter_messages import (
    Links,
    MessageChannel,
    MessageKind,
    ReporterMessage,
    build_message,
    channels_for,
    message_for,
)
from pendopo.domain.taxonomy import Taxonomy
from pendopo.notifications.reporter import render_email, render_sms
from pendopo.runtime.observability import logger
from pendopo.services.ports import Mailer, SmsSender
from pendopo.services.send_once import Outcome, SendCounts, count, send_once
from pendopo.storage.notifications import NotificationKey, NotificationLog
from pendopo.storage.reporter_messages import ReporterMessageStore

REPORTER_RECIPIENT = "reporter#{channel}"  # the claim's sort key: never the contact itself


@dataclass(kw_only=True)
class ReporterCounts(SendCounts):
    """The reporter's messages of one event: counts per channel, never a contact."""

    sms_sent: int = 0
    sms_failed: int = 0
    email_sent: int = 0
    email_failed: int = 0
    opted_out: bool = False


@dataclass(frozen=True, kw_only=True)
class ReporterMessenger:
    """Built by ``runtime.bootstrap``: the stores, the senders (ports), links and clock."""

    store: ReporterMessageStore
    sms: SmsSender
    mailer: Mailer
    links: Links
    taxonomy: Taxonomy
    log: NotificationLog
    clock: Clock
    # The training stage's allow-list (None in production): phones and addresses.
    allow_list: RecipientAllowList | None = None

    def deliver(self, event: AuditEvent, event_sk: str, complaint: Complaint) -> ReporterCounts:
        """Send the event's message on every channel the reporter chose; never raises on a send."""
        counts = ReporterCounts()
        kind = message_for(event.action.value)
        channels = channels_for(complaint)
        if kind is None or not channels:
            return counts
        if self.store.opted_out(complaint.ticket):
            counts.opted_out = True
            return counts
        receipt = kind is MessageKind.RECEIPT
        code = self.store.receipt_code(complaint.ticket, self.clock.now()) if receipt else None
        message = build_message(kind, event, complaint, self.taxonomy, self.links, code)
        counts.recipients = len(channels)
        for channel in channels:
            self._send(channel, message, complaint, event_sk, event.action.value, counts)
        if receipt and code and counts.failed == 0 and counts.in_progress == 0:
            # Sent everywhere: the code is not kept (the TTL removes it if this fails).
            with contextlib.suppress(Exception):
                self.store.forget_receipt(complaint.ticket)
        return counts

    def _send(
        self,
        channel: MessageChannel,
        message: ReporterMessage,
        complaint: Complaint,
        event_sk: str,
        action: str,
        counts: ReporterCounts,
    ) -> None:
        key = NotificationKey(
            complaint.ticket, event_sk, REPORTER_RECIPIENT.format(channel=channel)
        )
        reporter = complaint.reporter
        contact = reporter.phone if channel is MessageChannel.SMS else reporter.email
        if self.allow_list is not None and not self.allow_list.allows(str(contact or "")):
            logger.info(
                "Reporter message dropped: contact not on the training allow-list",
                extra={"ticket": complaint.ticket, "action": action, "channel": channel.value},
            )
            counts.dropped += 1
            return

        def send() -> str:
            # Rendered inside the claim: a template that breaks the SMS rule fails the send.
            if channel is MessageChannel.SMS:
                # Consent to SMS needs a phone (validated at intake); a partner's
                # complaint, whose reporter may have none, never carries consent.
                if not reporter.phone:
                    raise ValueError("SMS consent without a phone number")
                return self.sms.send(reporter.phone, render_sms(message))
            return self.mailer.send(str(reporter.email), render_email(message))

        result = send_once(self.log, key, action, send, self.clock)
        count(counts, result)
        sent = result.outcome is Outcome.SENT
        failed = result.outcome is Outcome.FAILED
        if channel is MessageChannel.SMS:
            counts.sms_sent += sent
            counts.sms_failed += failed
        else:
            counts.email_sent += sent
            counts.email_failed += failed

"""The composition root: how each scheduled or stream function's service is built.

One place wires settings, storage, SES/S3 clients, recipients and the clock into the
services of ``functions/notify``, ``functions/sla_check`` and
``functions/monthly_recap``; each function calls its builder once at cold start, and
tests call the same builder with their own clock or AWS clients. Every notification
log's lease comes from settings (``*_lease_seconds``), so a lease is set one way.

A builder imports the service it builds (and that service's readers and stores) when
called: each function imports this module, and notify has no use for the deadline
check's or the recap's modules at its cold start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from pendopo.domain.clock import Clock, SystemClock
from pendopo.domain.sla import from_settings as sla_from_settings
from pendopo.domain.taxonomy import load_recipients, load_taxonomy
from pendopo.notifications.ses import SesMailer
from pendopo.runtime.settings import Settings
from pendopo.services.notify import NotifyService
from pendopo.services.send_once import Emailing
from pendopo.storage.complaints import ComplaintStore
from pendopo.storage.connection import aws_client, bind_table
from pendopo.storage.notifications import NotificationLog

if TYPE_CHECKING:
    from pendopo.services.ports import MailerWithAttachments, XlsxRenderer
    from pendopo.services.recap import RecapService
    from pendopo.services.sla_check import SlaCheckService

# Recap claims outlive any re-run of the month worth guarding against.
RECAP_RETENTION_DAYS = 400

M = TypeVar("M")


def connect(settings: Settings) -> None:
    """Point the item models at the deployment's table (cold start: a full CPU)."""
    bind_table(settings.table_name, settings.region, settings.endpoint_url)


def _log(lease_seconds: int, retention_days: int) -> NotificationLog:
    return NotificationLog(
        lease=timedelta(seconds=lease_seconds), retention=timedelta(days=retention_days)
    )


def _emailing(
    settings: Settings,
    sender_of: str,
    mailer: Callable[[Any, str, str | None], M],
    ses_client: Any,
    clock: Clock | None,
    log: NotificationLog,
) -> Emailing[M]:
    """What every emailing service is given: the log, the mailer, who gets what, the clock."""
    if not settings.ses_sender:
        raise RuntimeError(f"SES_SENDER is not set: {sender_of} has no sender address")
    taxonomy = load_taxonomy()
    client = ses_client or aws_client("sesv2", settings.region, settings.endpoint_url)
    return Emailing(
        log=log,
        mailer=mailer(client, settings.ses_sender, settings.ses_configuration_set),
        recipients=load_recipients(override_json=settings.recipients_json, taxonomy=taxonomy),
        taxonomy=taxonomy,
        clock=clock or SystemClock(),
    )


def notify_service(
    settings: Settings, *, clock: Clock | None = None, ses_client: Any = None
) -> NotifyService:
    """functions/notify: emails for the audit events in the table's stream."""
    log = _log(settings.notify_lease_seconds, settings.notification_retention_days)
    emailing = _emailing(settings, "the notify function", SesMailer, ses_client, clock, log)
    return NotifyService(complaints=ComplaintStore(), console_url=settings.console_url, **emailing)


def sla_check_service(
    settings: Settings, *, clock: Clock | None = None, ses_client: Any = None
) -> SlaCheckService:
    """functions/sla_check: the daily deadline check's reminders, digests, escalations."""
    from pendopo.services.sla_check import SlaCheckService
    from pendopo.storage.open_complaints import OpenComplaintReader

    log = _log(settings.sla_check_lease_seconds, settings.notification_retention_days)
    emailing = _emailing(settings, "the deadline check", SesMailer, ses_client, clock, log)
    return SlaCheckService(
        reader=OpenComplaintReader(),
        policy=sla_from_settings(settings.sla_mode, settings.sla_days, settings.extra_holidays),
        escalation_days=settings.sla_escalation_days,
        console_url=settings.console_url,
        **emailing,
    )


def recap_service(
    settings: Settings,
    *,
    xlsx: XlsxRenderer,
    mailer: Callable[[Any, str, str | None], MailerWithAttachments],
    bucket: str | None = None,
    clock: Clock | None = None,
    ses_client: Any = None,
    s3_client: Any = None,
) -> RecapService:
    """functions/monthly_recap: the month's files in S3 and the recap emails.

    The function names its own ``xlsx`` renderer (XlsxWriter is in the function's
    package, not the layer) and its ``mailer`` (``RawSesMailer``: raw MIME, which
    its role must allow, tests/infra checks it); ``bucket`` defaults to ``FILES_BUCKET``.
    """
    from pendopo.services.recap import RecapService
    from pendopo.storage.files import FileStore
    from pendopo.storage.recap import RecapReader

    log = _log(settings.recap_lease_seconds, RECAP_RETENTION_DAYS)
    emailing = _emailing(settings, "the recap", mailer, ses_client, clock, log)
    s3 = s3_client or aws_client("s3", settings.region, settings.endpoint_url)
    bucket = settings.files_bucket if bucket is None else bucket
    return RecapService(reader=RecapReader(), files=FileStore(s3, bucket), xlsx=xlsx, **emailing)

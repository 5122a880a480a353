"""The composition root: how each function's service is built.

One place wires settings, storage, the Cognito, SES and S3 clients, recipients and the
clock into the services of every function: the API's ``functions/intake``,
``functions/route`` and ``functions/auth``, the stream and scheduled
``functions/notify``, ``functions/sla_check`` and ``functions/monthly_recap``, and the
files bucket's ``functions/check_upload``. Each
function calls its builder once at cold start, and tests call the same builder with
their own clock or AWS clients. Every notification log's lease comes from settings
(``*_lease_seconds``), so a lease is set one way.

Each builder imports what its service needs, when it is called: a function loads its
own collaborators, not the other five's. The auth function has no table, and importing
this module loads neither pynamodb nor SES (see ``accounts_service``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from pendopo.runtime.settings import Settings, SlaSettings

if TYPE_CHECKING:
    from pendopo.domain.clock import Clock
    from pendopo.domain.intake import IntakeRules
    from pendopo.domain.taxonomy import Taxonomy
    from pendopo.services.access_log import AccessLogService
    from pendopo.services.accounts import AccountsService
    from pendopo.services.intake import IntakeService
    from pendopo.services.notify import NotifyService
    from pendopo.services.open311 import Open311ReadService
    from pendopo.services.partners import PartnerService
    from pendopo.services.ports import FileInspector, MailerWithAttachments, XlsxRenderer
    from pendopo.services.recap import RecapService
    from pendopo.services.reporter import ReporterMessenger
    from pendopo.services.send_once import Emailing
    from pendopo.services.sla_check import SlaCheckService
    from pendopo.services.stats import StatsService
    from pendopo.services.upload_check import UploadCheckService
    from pendopo.services.uploads import UploadSlots
    from pendopo.services.workflow import WorkflowService
    from pendopo.storage.files import UploadFiles
    from pendopo.storage.notifications import NotificationLog

# Recap claims outlive any re-run of the month worth guarding against.
RECAP_RETENTION_DAYS = 400

M = TypeVar("M")


def connect(settings: Settings) -> None:
    """Point the item models at the deployment's table (cold start: a full CPU)."""
    from pendopo.storage.connection import bind_table

    bind_table(settings.table_name, settings.region, settings.endpoint_url)


# --- the API -----------------------------------------------------------------------


def build_intake_rules(settings: SlaSettings) -> IntakeRules:
    """The rules of a deployment; the SLA clock and the desks share one calendar."""
    from pendopo.domain.intake import IntakeRules
    from pendopo.domain.sessions import SessionCalendar
    from pendopo.domain.sla import from_settings as sla_from_settings
    from pendopo.domain.taxonomy import load_taxonomy

    sla = sla_from_settings(settings.sla_mode, settings.sla_days, settings.extra_holidays)
    return IntakeRules(taxonomy=load_taxonomy(), sla=sla, sessions=SessionCalendar(sla.calendar))


def intake_service(settings: Settings, *, rules: IntakeRules, clock: Clock) -> IntakeService:
    """functions/intake: submit a complaint exactly once, and track it."""
    from pendopo.services.intake import IntakeService
    from pendopo.storage.complaints import ComplaintStore

    return IntakeService(
        store=ComplaintStore(),
        rules=rules,
        clock=clock,
        idempotency_ttl=timedelta(hours=settings.idempotency_ttl_hours),
        files=upload_files(settings),
    )


def upload_slots(settings: Settings, clock: Clock, *, s3_client: Any = None) -> UploadSlots:
    """functions/intake and functions/route: upload slots (presigned POSTs) and statuses.

    The S3 client is made on the first slot asked for, not at cold start: most
    invocations of both functions never sign one, and an S3 client's models and
    endpoint rules cost every cold start otherwise. ``FILES_BUCKET`` names the bucket
    (unset, a slot asked for fails, but the function still serves its other routes).
    """
    from pendopo.services.uploads import UploadSlots
    from pendopo.storage.connection import aws_client
    from pendopo.storage.files import UploadSigner
    from pendopo.storage.uploads import UploadStore

    def client() -> Any:
        from botocore.config import Config

        # Virtual-hosted on the region's endpoint (https://<bucket>.s3.<region>.amazonaws.com/):
        # botocore would otherwise sign presigned POSTs for the global endpoint, which
        # a bucket in a region opened after March 2019 (ap-southeast-3) does not
        # answer. The local stack's moto on 127.0.0.1 takes path-style only.
        config = Config(s3={"addressing_style": "path" if settings.endpoint_url else "virtual"})
        return s3_client or aws_client("s3", settings.region, settings.endpoint_url, config)

    return UploadSlots(UploadStore(), UploadSigner(client, settings.files_bucket), clock)


def upload_files(settings: Settings, s3_client: Any = None) -> UploadFiles | None:
    """The uploads' clean copies in the files bucket (links, claim tags); None without
    ``FILES_BUCKET``. Signing a link is local: it costs no call. ``s3_client``: a test's."""
    from pendopo.storage.connection import aws_client
    from pendopo.storage.files import UploadFiles

    if not settings.files_bucket:
        return None

    def client() -> Any:
        from botocore.config import Config

        # Signed for the bucket's regional virtual host, which is the web distribution's
        # files origin (template.yaml: FilesBucket.RegionalDomainName); moto: path-style.
        config = Config(s3={"addressing_style": "path" if settings.endpoint_url else "virtual"})
        return s3_client or aws_client("s3", settings.region, settings.endpoint_url, config)

    # Made on the first link or tag, not at cold start (as upload_slots' client).
    return UploadFiles(client, settings.files_bucket, settings.files_link_base)


def partner_service(clock: Clock) -> PartnerService:
    """functions/intake (Open311) and pendopo-admin: partners and their keys."""
    from pendopo.services.partners import PartnerService
    from pendopo.storage.partners import PartnerStore

    return PartnerService(PartnerStore(), clock)


def workflow_service(
    taxonomy: Taxonomy, clock: Clock, settings: Settings | None = None
) -> WorkflowService:
    """functions/route: the officers' queues, details and workflow actions (and, with
    ``settings``, the detail's file links)."""
    from pendopo.services.workflow import WorkflowService
    from pendopo.storage.complaints import ComplaintStore

    files = upload_files(settings) if settings is not None else None
    return WorkflowService(ComplaintStore(), taxonomy, clock, files=files)


def stats_service(taxonomy: Taxonomy, clock: Clock) -> StatsService:
    """functions/aggregate (the counters), functions/intake and functions/route (the
    statistics and the dashboard), and the backfill command: the live figures."""
    from pendopo.services.stats import StatsService

    return StatsService(taxonomy, clock)


def access_log_service() -> AccessLogService:
    """functions/route: the access log, as administrators read it."""
    from pendopo.services.access_log import AccessLogService

    return AccessLogService()


def accounts_service(settings: Settings) -> AccountsService:
    """functions/auth: officer login through Cognito's public app client.

    A botocore client, not boto3.client: the same client without importing boto3 and
    s3transfer (about 45 ms of every cold start), which nothing there uses; and not
    ``aws_client`` either, since the function has no table (no pynamodb, no table's
    session). The endpoint comes from AWS_ENDPOINT_URL locally (moto).
    """
    from botocore.session import get_session

    from pendopo.services.accounts import AccountsService

    return AccountsService(
        get_session().create_client("cognito-idp", region_name=settings.region),
        settings.user_pool_client_id,
    )


# --- the stream and the schedules --------------------------------------------------


def _log(lease_seconds: int, retention_days: int) -> NotificationLog:
    from pendopo.storage.notifications import NotificationLog

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
    from pendopo.domain.allow_list import RecipientAllowList
    from pendopo.domain.clock import SystemClock
    from pendopo.domain.taxonomy import load_recipients, load_taxonomy
    from pendopo.services.send_once import Emailing
    from pendopo.storage.connection import aws_client

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
        # The training stage: only the trainees' addresses (never set in prod).
        allow_list=(
            RecipientAllowList.parse(settings.email_allow_list) if settings.training_mode else None
        ),
    )


def notify_service(
    settings: Settings,
    *,
    clock: Clock | None = None,
    ses_client: Any = None,
    sns_client: Any = None,
    s3_client: Any = None,
) -> NotifyService:
    """functions/notify: emails for the audit events in the table's stream, and the
    reporter's SMS and emails (when ``CITIZEN_URL`` says where the tracking page is)."""
    from pendopo.notifications.ses import SesMailer
    from pendopo.services.notify import NotifyService
    from pendopo.storage.complaints import ComplaintStore

    log = _log(settings.notify_lease_seconds, settings.notification_retention_days)
    emailing = _emailing(settings, "the notify function", SesMailer, ses_client, clock, log)
    reporter = _reporter_messenger(settings, emailing, sns_client) if settings.citizen_url else None
    return NotifyService(
        complaints=ComplaintStore(),
        console_url=settings.console_url,
        reporter=reporter,
        files=upload_files(settings, s3_client),
        **emailing,
    )


def _reporter_messenger(
    settings: Settings, emailing: Emailing[Any], sns_client: Any
) -> ReporterMessenger:
    """The reporter's messages: SMS through SNS, email through the notify function's mailer."""
    from urllib.parse import urlsplit

    from pendopo.domain.reporter_messages import MAX_SMS_BASE, Links, sms_link
    from pendopo.notifications.sms import SnsSmsSender
    from pendopo.services.reporter import ReporterMessenger
    from pendopo.storage.connection import aws_client
    from pendopo.storage.reporter_messages import ReporterMessageStore

    if len(sms_link(settings.citizen_url.rstrip("/") + "/")) > MAX_SMS_BASE:
        # Every SMS is one segment only with a base this short (tests/unit).
        raise RuntimeError(f"CITIZEN_URL is longer than {MAX_SMS_BASE} characters without scheme")
    parts = urlsplit(settings.citizen_url)
    sns = sns_client or aws_client("sns", settings.region, settings.endpoint_url)
    return ReporterMessenger(
        store=ReporterMessageStore(),
        sms=SnsSmsSender(sns, settings.sms_sender_id, settings.sms_origination_number),
        mailer=emailing["mailer"],
        links=Links(citizen_url=settings.citizen_url, api_url=f"{parts.scheme}://{parts.netloc}"),
        taxonomy=emailing["taxonomy"],
        log=emailing["log"],
        clock=emailing["clock"],
        allow_list=emailing.get("allow_list"),
    )


def sla_check_service(
    settings: Settings, *, clock: Clock | None = None, ses_client: Any = None
) -> SlaCheckService:
    """functions/sla_check: the daily deadline check's reminders, digests, escalations."""
    from pendopo.domain.sla import from_settings as sla_from_settings
    from pendopo.notifications.ses import SesMailer
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
    from pendopo.storage.connection import aws_client
    from pendopo.storage.files import FileStore
    from pendopo.storage.recap import RecapReader

    log = _log(settings.recap_lease_seconds, RECAP_RETENTION_DAYS)
    emailing = _emailing(settings, "the recap", mailer, ses_client, clock, log)
    s3 = s3_client or aws_client("s3", settings.region, settings.endpoint_url)
    bucket = settings.files_bucket if bucket is None else bucket
    return RecapService(reader=RecapReader(), files=FileStore(s3, bucket), xlsx=xlsx, **emailing)


def open311_read_service(taxonomy: Taxonomy, clock: Clock) -> Open311ReadService:
    """functions/intake, /open311/v2/: services and public service requests (read only)."""
    from pendopo.services.open311 import Open311ReadService
    from pendopo.storage.public_requests import PublicRequestReader

    return Open311ReadService(reader=PublicRequestReader(), taxonomy=taxonomy, clock=clock)


# --- the files bucket's events -----------------------------------------------------


def upload_check_service(
    settings: Settings,
    *,
    inspect: FileInspector,
    bucket: str | None = None,
    clock: Clock | None = None,
    s3_client: Any = None,
) -> UploadCheckService:
    """functions/check_upload: the verdict on each uploaded file.

    The function names its own ``inspect`` (Pillow and pypdf are in the function's
    package, not the layer); ``bucket`` defaults to ``FILES_BUCKET``.
    """
    from pendopo.domain.clock import SystemClock
    from pendopo.services.upload_check import UploadCheckService
    from pendopo.storage.connection import aws_client
    from pendopo.storage.files import FileStore
    from pendopo.storage.uploads import UploadStore

    s3 = s3_client or aws_client("s3", settings.region, settings.endpoint_url)
    bucket = settings.files_bucket if bucket is None else bucket
    return UploadCheckService(
        uploads=UploadStore(),
        files=FileStore(s3, bucket),
        inspect=inspect,
        clock=clock or SystemClock(),
    )

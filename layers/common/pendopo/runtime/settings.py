"""Settings: the environment, read and validated once at cold start, by concern.

Every environment variable the layer and the functions read is a field of one of the
models below, next to the variable it comes from (``Env("TABLE_NAME")``); nothing
else reads ``os.environ``. Each concern can be read on its own
(``ObservabilitySettings.from_env()`` needs no table name), and ``Settings`` is all of
them together: it inherits every concern, so one validation at cold start checks the
whole environment, a function's wiring can ask for just the concern it needs
(``EmailSettings``), and the flat names (``settings.table_name``) stay what the
handlers and tests use.

An empty variable counts as unset (the template passes empty parameters through), and
of several variable names the first non-empty one wins.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Env:
    """The environment variables a field is read from, first non-empty wins."""

    def __init__(self, *names: str) -> None:
        self.names = names


class _Concern(BaseModel):
    """A group of settings read from the environment (the fields' ``Env`` names).

    Each concern's validator is built when it first validates (``defer_build``): a
    function validates ``Settings`` (every concern) once at cold start, so building the
    schema of each concern on its own at import was work no function used.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Self:
        env = os.environ if env is None else env
        raw: dict[str, Any] = {}
        for name, field in cls.model_fields.items():
            for variable in (m for m in field.metadata if isinstance(m, Env)):
                value = next((env[n] for n in variable.names if env.get(n)), None)
                if value:
                    raw[name] = value
        return cls.model_validate(raw)


class AwsSettings(_Concern):
    """Where the function runs: the stage, the region, and the local stack's endpoint."""

    stage: Annotated[str, Env("STAGE")] = "local"
    region: Annotated[str, Env("AWS_REGION", "AWS_DEFAULT_REGION")] = "ap-southeast-3"
    # Only the local stack and tests set an endpoint (moto on loopback).
    endpoint_url: Annotated[str | None, Env("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL")] = None


class TableSettings(_Concern):
    """The complaints table (every function)."""

    table_name: Annotated[str, Env("TABLE_NAME"), Field(min_length=3)]


class SlaSettings(_Concern):
    """The SLA clock (intake sets the deadline, sla_check counts overdue days)."""

    sla_mode: Annotated[str, Env("SLA_MODE")] = "calendar_days"
    sla_days: Annotated[int, Env("SLA_DAYS"), Field(ge=1, le=30)] = 3
    extra_holidays: Annotated[tuple[date, ...], Env("EXTRA_HOLIDAYS")] = ()
    # The daily deadline check (functions/sla_check): overdue by more than this many
    # days (counted as SLA_MODE counts) also goes to the unit's Asisten.
    sla_escalation_days: Annotated[int, Env("SLA_ESCALATION_DAYS"), Field(ge=0, le=30)] = 1
    # A digest claim still pending after this was abandoned by an invocation Lambda has
    # already stopped: the function's timeout (template.yaml: SlaCheckFunction, 120 s)
    # plus 5 s. Not configurable: it follows the template's timeout.
    sla_check_lease_seconds: int = 125

    @field_validator("extra_holidays", mode="before")
    @classmethod
    def _split_dates(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value


class ApiSettings(_Concern):
    """The HTTP functions: idempotency records of submissions, the largest body taken."""

    idempotency_ttl_hours: Annotated[int, Env("IDEMPOTENCY_TTL_HOURS"), Field(ge=1, le=24 * 30)] = (
        24
    )
    max_body_bytes: int = 64 * 1024


class CognitoSettings(_Concern):
    """The officers' Cognito user pool and its public app client (the auth function)."""

    user_pool_id: Annotated[str | None, Env("USER_POOL_ID")] = None
    user_pool_client_id: Annotated[str | None, Env("USER_POOL_CLIENT_ID")] = None
    # Who must log in with TOTP (template.yaml: MfaRequiredFor): "privileged" = verifiers
    # and admins (pendopo.domain.officer.MFA_ROLES), "all" = every officer.
    mfa_required_for: Annotated[Literal["privileged", "all"], Env("MFA_REQUIRED_FOR")] = (
        "privileged"
    )


class EmailSettings(_Concern):
    """Emails (notify, sla_check, monthly_recap): the SES sender and who gets what."""

    ses_sender: Annotated[str | None, Env("SES_SENDER")] = None
    ses_configuration_set: Annotated[str | None, Env("SES_CONFIGURATION_SET")] = None
    # The officer console; emails link to "<console_url>#/complaints/<t>".
    console_url: Annotated[str, Env("CONSOLE_URL")] = ""
    # Replaces pendopo/data/recipients.json when set.
    recipients_json: Annotated[str | None, Env("RECIPIENTS_JSON")] = None
    # The training stage (template: TrainingMode, "on"/"off"; never on in prod): email
    # goes only to the allow-list's addresses and @domains (pendopo/domain/allow_list.py).
    training_mode: Annotated[bool, Env("TRAINING_MODE")] = False
    email_allow_list: Annotated[str, Env("EMAIL_ALLOW_LIST")] = ""

    @field_validator("email_allow_list")
    @classmethod
    def _valid_allow_list(cls, value: str) -> str:
        from pendopo.domain.allow_list import RecipientAllowList

        RecipientAllowList.parse(value)  # raises on an entry that is not an address
        return value


class NotificationSettings(_Concern):
    """The notification log's claims (notify) and how long its records are kept."""

    notify_lease_seconds: Annotated[int, Env("NOTIFY_LEASE_SECONDS"), Field(ge=10, le=3600)] = 65
    notification_retention_days: Annotated[
        int, Env("NOTIFICATION_RETENTION_DAYS"), Field(ge=2, le=365)
    ] = 30


class ReporterMessageSettings(_Concern):
    """The reporter's own messages (notify): the citizen web's URL, the SMS sender."""

    # The citizen web (the tracking page is "<citizen_url>lacak.html"); the API is on
    # the same origin (the unsubscribe link). Empty: the reporter is told nothing.
    citizen_url: Annotated[str, Env("CITIZEN_URL")] = ""
    # SNS SMS message attributes per stage (empty: not sent; see notifications/sms.py).
    sms_sender_id: Annotated[
        str | None, Env("SMS_SENDER_ID"), Field(pattern=r"^[A-Za-z0-9]{1,11}$")
    ] = None
    sms_origination_number: Annotated[
        str | None, Env("SMS_ORIGINATION_NUMBER"), Field(pattern=r"^\+[1-9][0-9]{3,14}$")
    ] = None


class RecapSettings(_Concern):
    """The monthly recap: the bucket of its files, the lease of its email claims."""

    # The files bucket: the recap's reports, and the uploads that the intake and route
    # functions sign slots for (presigned POSTs under uploads/incoming/).
    files_bucket: Annotated[str, Env("FILES_BUCKET")] = ""
    # The function's timeout (template.yaml) plus 5 s: a claim still pending after this
    # was abandoned by an invocation Lambda has stopped, and may be taken over.
    recap_lease_seconds: Annotated[int, Env("RECAP_LEASE_SECONDS")] = 305


class ObservabilitySettings(_Concern):
    """Logs and metrics: the stage's own service name (template.yaml: pendopo-<stage>)."""

    service_name: Annotated[str, Env("POWERTOOLS_SERVICE_NAME")] = "pendopo"


class Settings(
    ObservabilitySettings,
    RecapSettings,
    ReporterMessageSettings,
    NotificationSettings,
    EmailSettings,
    CognitoSettings,
    ApiSettings,
    SlaSettings,
    TableSettings,
    AwsSettings,
):
    """Every concern at once: what a function validates at cold start."""


@cache
def get_settings() -> Settings:
    return Settings.from_env()

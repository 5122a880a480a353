"""Settings: the environment, read once at cold start through one model."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    stage: str = "local"
    table_name: str = Field(min_length=3)
    region: str = "ap-southeast-3"
    # Only the local stack and tests set an endpoint (moto on loopback).
    endpoint_url: str | None = None
    sla_mode: str = "calendar_days"
    sla_days: int = Field(default=3, ge=1, le=30)
    extra_holidays: tuple[date, ...] = ()
    idempotency_ttl_hours: int = Field(default=24, ge=1, le=24 * 30)
    max_body_bytes: int = 64 * 1024
    # The officers' Cognito user pool and its public app client (the auth function).
    user_pool_id: str | None = None
    user_pool_client_id: str | None = None
    # Notifications (the notify function).
    ses_sender: str | None = None
    ses_configuration_set: str | None = None
    console_url: str = ""  # the officer console; emails link to "<console_url>#/complaints/<t>"
    recipients_json: str | None = None  # replaces pendopo/data/recipients.json when set
    notify_lease_seconds: int = Field(default=65, ge=10, le=3600)
    notification_retention_days: int = Field(default=30, ge=2, le=365)
    # The daily deadline check (functions/sla_check): overdue by more than this many
    # days (counted as SLA_MODE counts) also goes to the unit's Asisten.
    sla_escalation_days: int = Field(default=1, ge=0, le=30)

    @field_validator("extra_holidays", mode="before")
    @classmethod
    def _split_dates(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        raw = {
            "stage": env.get("STAGE"),
            "table_name": env.get("TABLE_NAME"),
            "region": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
            "endpoint_url": env.get("AWS_ENDPOINT_URL_DYNAMODB") or env.get("AWS_ENDPOINT_URL"),
            "sla_mode": env.get("SLA_MODE"),
            "sla_days": env.get("SLA_DAYS"),
            "extra_holidays": env.get("EXTRA_HOLIDAYS"),
            "idempotency_ttl_hours": env.get("IDEMPOTENCY_TTL_HOURS"),
            "user_pool_id": env.get("USER_POOL_ID"),
            "user_pool_client_id": env.get("USER_POOL_CLIENT_ID"),
            "ses_sender": env.get("SES_SENDER"),
            "ses_configuration_set": env.get("SES_CONFIGURATION_SET"),
            "console_url": env.get("CONSOLE_URL"),
            "recipients_json": env.get("RECIPIENTS_JSON"),
            "notify_lease_seconds": env.get("NOTIFY_LEASE_SECONDS"),
            "notification_retention_days": env.get("NOTIFICATION_RETENTION_DAYS"),
            "sla_escalation_days": env.get("SLA_ESCALATION_DAYS"),
        }
        return cls.model_validate({k: v for k, v in raw.items() if v})


@cache
def get_settings() -> Settings:
    return Settings.from_env()

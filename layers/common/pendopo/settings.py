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
        }
        return cls.model_validate({k: v for k, v in raw.items() if v})


@cache
def get_settings() -> Settings:
    return Settings.from_env()

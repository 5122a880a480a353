"""The deadline check's tests: June 2025 in WIB, and the function on moto at a moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import boto3
import pytest

from pendopo.domain.clock import WIB, FixedClock
from pendopo.runtime.settings import Settings
from tests.support.constants import TEST_TABLE
from tests.support.mail import SENDER


def wib(day: int, hour: int = 10, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=WIB)


def sla_check_app(monkeypatch: pytest.MonkeyPatch, now: datetime) -> Any:
    """The deadline check function's module, sending from a verified sender, its clock at
    ``now`` (call it inside the ``dynamodb`` fixture's moto)."""
    boto3.client("ses", region_name="ap-southeast-3").verify_email_identity(EmailAddress=SENDER)
    from functions.sla_check import app

    clock = FixedClock(now)
    settings = Settings(table_name=TEST_TABLE, ses_sender=SENDER, console_url="https://k/c/")
    monkeypatch.setattr(app, "clock", clock)
    monkeypatch.setattr(app, "service", app.build_service(settings, clock=clock))
    return app

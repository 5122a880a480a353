"""Moments of the deadline-check tests: June 2025 in WIB."""

from __future__ import annotations

from datetime import datetime

from pendopo.domain.clock import WIB


def wib(day: int, hour: int = 10, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=WIB)

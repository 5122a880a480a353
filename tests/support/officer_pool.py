"""The officer accounts on moto's Cognito that the ``officer_pool`` fixture yields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class OfficerPool:
    cognito: Any
    user_pool_id: str
    client_id: str

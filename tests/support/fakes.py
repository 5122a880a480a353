"""Fakes standing in for a collaborator to make a test's situation certain."""

from __future__ import annotations

import threading
from typing import Any

from pendopo.storage.complaints import ComplaintStore


class BarrierStore(ComplaintStore):
    """Every reader waits until both have read: they then race to write."""

    def __init__(self, parties: int) -> None:
        self.barrier = threading.Barrier(parties, timeout=10)

    def get_complaint(self, ticket: str) -> Any:
        complaint = super().get_complaint(ticket)
        self.barrier.wait()
        return complaint

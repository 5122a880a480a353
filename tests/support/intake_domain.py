"""The intake rules and a complaint's details, for the domain tests without AWS."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pendopo.domain.complaint import AuditEvent, ComplaintDetails
from pendopo.domain.holidays_id import WorkingCalendar
from pendopo.domain.intake import IntakeRules
from pendopo.domain.sessions import SessionCalendar
from pendopo.domain.sla import SlaPolicy
from pendopo.domain.status import Role, Status
from pendopo.domain.taxonomy import load_taxonomy

CALENDAR = WorkingCalendar()
RULES = IntakeRules(taxonomy=load_taxonomy(), sla=SlaPolicy(), sessions=SessionCalendar(CALENDAR))


def details(category=None):
    return ComplaintDetails.model_validate(
        {
            "category": category,
            "title": "Sampah menumpuk",
            "description": "Sampah di TPS belum diangkut selama empat hari dan berbau.",
            "reporter": {"name": "Budi Santoso", "phone": "081298765432"},
        }
    )


# The verifier's reopen (issue #16, section 3), added by another branch: its audit
# action is matched by its value, "reopen", so tests give it as this stand-in.
REOPEN = StrEnum("Reopen", {"REOPEN": "reopen"}).REOPEN


def synthetic_event(
    ticket: str, action: Any, at: datetime, note: str | None = None, unit: str = "BIRO_PLH"
) -> AuditEvent:
    """A verifier's audit event; ``action`` set unvalidated (``REOPEN`` or any Action)."""
    event = AuditEvent.model_validate(
        {
            "ticket": ticket,
            "at": at,
            "actor": "verifikator.biro-pem@pendopo.example",
            "role": Role.VERIFIER,
            "action": "verify",
            "from_status": None,
            "to_status": Status.FOLLOW_UP_REJECTED,
            "unit": unit,
            "note": note,
            "version": 5,
        }
    )
    return event.model_copy(update={"action": action})

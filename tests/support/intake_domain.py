"""The intake rules and a complaint's details, for the domain tests without AWS."""

from pendopo.domain.complaint import ComplaintDetails
from pendopo.domain.holidays_id import WorkingCalendar
from pendopo.domain.intake import IntakeRules
from pendopo.domain.sessions import SessionCalendar
from pendopo.domain.sla import SlaPolicy
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

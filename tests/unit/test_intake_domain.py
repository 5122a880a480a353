"""Registering a complaint, without AWS: unit, due time, flags, first audit event."""

from datetime import UTC, date, datetime

from pendopo.domain.complaint import Channel
from pendopo.domain.identifiers import tracking_code_matches
from pendopo.domain.intake import IntakeRules, register_complaint, with_new_ticket
from pendopo.domain.sla import SlaMode, SlaPolicy
from pendopo.domain.status import Action, Role, Status
from tests.support.intake_domain import CALENDAR, RULES, details


def test_a_kiosk_complaint_goes_to_the_category_unit_and_waits_for_verification():
    received = datetime(2025, 6, 10, 1, 15, tzinfo=UTC)  # Tuesday 08:15 WIB
    new = register_complaint(details("WASTE"), Channel.KIOSK, now=received, rules=RULES)
    complaint = new.complaint
    assert complaint.unit == "BIRO_PLH"
    assert complaint.status is Status.WAITING
    assert complaint.due_at == datetime(2025, 6, 13, 1, 15, tzinfo=UTC)
    assert complaint.outside_hours is False
    assert complaint.entered_by is None
    assert [step.action for step in complaint.timeline] == [Action.SUBMIT]
    assert complaint.timeline[0].unit == "BIRO_PLH"  # the receiving unit, for the recap
    assert new.event.role is Role.CITIZEN and new.event.from_status is None
    assert tracking_code_matches(complaint.ticket, new.tracking_code, complaint.tracking_hash)


def test_an_unknown_category_goes_to_biro_pemerintahan_for_verification():
    new = register_complaint(
        details(), Channel.WEB, now=datetime(2025, 6, 10, 1, 0, tzinfo=UTC), rules=RULES
    )
    assert (new.complaint.category, new.complaint.unit) == ("LAINNYA", "BIRO_PEM")


def test_a_walk_in_entered_by_an_officer_after_09_30_is_flagged_not_refused():
    received = datetime(2025, 6, 10, 2, 40, tzinfo=UTC)  # 09:40 WIB
    new = register_complaint(
        details("HEALTH_SERVICES"),
        Channel.PENDOPO,
        now=received,
        rules=RULES,
        actor="petugas.kesos@pendopo.example",
        role=Role.OFFICER,
    )
    assert new.complaint.outside_hours is True
    assert new.complaint.entered_by == "petugas.kesos@pendopo.example"
    assert new.event.role is Role.OFFICER


def test_working_day_mode_skips_the_weekend():
    rules = IntakeRules(
        taxonomy=RULES.taxonomy,
        sla=SlaPolicy(mode=SlaMode.WORKING_DAYS, calendar=CALENDAR),
        sessions=RULES.sessions,
    )
    friday = datetime(2025, 6, 13, 1, 0, tzinfo=UTC)
    new = register_complaint(details("WASTE"), Channel.KIOSK, now=friday, rules=rules)
    assert new.complaint.due_at.date() == date(2025, 6, 18)


def test_a_ticket_collision_draws_a_new_ticket_and_keeps_the_tracking_code_valid():
    new = register_complaint(
        details(), Channel.WEB, now=datetime(2025, 6, 10, 1, 0, tzinfo=UTC), rules=RULES
    )
    again = with_new_ticket(new)
    assert again.complaint.ticket != new.complaint.ticket
    assert again.event.ticket == again.complaint.ticket
    assert again.tracking_code == new.tracking_code
    assert tracking_code_matches(
        again.complaint.ticket, again.tracking_code, again.complaint.tracking_hash
    )

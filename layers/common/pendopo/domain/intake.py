"""Registering a new complaint: pure, so every rule here is tested without AWS."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from pendopo.domain.complaint import (
    AuditEvent,
    Channel,
    Complaint,
    ComplaintDetails,
    NotifyChoice,
    PartnerDetails,
    TimelineEntry,
)
from pendopo.domain.identifiers import new_ticket, new_tracking_code, tracking_hash
from pendopo.domain.sessions import SessionCalendar
from pendopo.domain.sla import SlaPolicy
from pendopo.domain.status import Action, Role, next_status
from pendopo.domain.taxonomy import FALLBACK_CATEGORY, Taxonomy

CITIZEN_ACTOR = "pelapor"


@dataclass(frozen=True, slots=True)
class NewComplaint:
    complaint: Complaint
    event: AuditEvent
    tracking_code: str  # shown once to the reporter; only its hash is stored


@dataclass(frozen=True, slots=True)
class IntakeRules:
    taxonomy: Taxonomy
    sla: SlaPolicy
    sessions: SessionCalendar


def register_complaint(
    details: ComplaintDetails | PartnerDetails,
    channel: Channel,
    *,
    now: datetime,
    rules: IntakeRules,
    actor: str = CITIZEN_ACTOR,
    role: Role = Role.CITIZEN,
    actor_unit: str | None = None,
) -> NewComplaint:
    """A new complaint, its first audit event and its tracking code.

    ``actor`` and ``actor_unit`` are the officer who entered a walk-in complaint,
    taken from their token; a citizen's own submission has neither. A partner's
    complaint (``PartnerDetails``, channel ``open311``) records the partner and its link.
    """
    partner = details if isinstance(details, PartnerDetails) else None
    # A partner's complaint carries no consent to messages: Open311 has no way to ask.
    notify = details.notify if not isinstance(details, PartnerDetails) else NotifyChoice()
    # Milliseconds are what storage keeps, so a complaint reads back as written.
    received_at = now.astimezone(UTC).replace(microsecond=now.microsecond // 1000 * 1000)
    status = next_status(Action.SUBMIT, None, role)
    category = details.category or FALLBACK_CATEGORY
    unit = rules.taxonomy.unit_for(category).code
    ticket = new_ticket(received_at)
    tracking_code = new_tracking_code()
    complaint = Complaint(
        ticket=ticket,
        tracking_hash=tracking_hash(ticket, tracking_code),
        channel=channel,
        category=category,
        unit=unit,
        title=details.title,
        description=details.description,
        reporter=details.reporter,
        location=details.location,
        received_at=received_at,
        due_at=rules.sla.due_at(received_at),
        status=status,
        version=1,
        outside_hours=rules.sessions.is_outside_hours(received_at),
        timeline=(TimelineEntry(at=received_at, action=Action.SUBMIT, status=status, unit=unit),),
        entered_by=None if role is Role.CITIZEN else actor,
        entered_unit=None if role is Role.CITIZEN else actor_unit,
        partner=partner.partner if partner else None,
        media_url=partner.media_url if partner else None,
        notify=notify,
        unsubscribe_token=new_unsubscribe_token() if notify.any else None,
    )
    event = AuditEvent(
        ticket=ticket,
        at=received_at,
        actor=actor,
        role=role,
        action=Action.SUBMIT,
        from_status=None,
        to_status=status,
        unit=unit,
        note=f"Kanal: {channel.label}" + (f" ({partner.partner})" if partner else ""),
    )
    return NewComplaint(complaint=complaint, event=event, tracking_code=tracking_code)


def new_unsubscribe_token() -> str:
    """128 random bits, URL-safe: the unsubscribe link's proof (never derived, never shown)."""
    return secrets.token_urlsafe(16)


def with_new_ticket(new: NewComplaint) -> NewComplaint:
    """The same complaint under a fresh ticket, after a (rare) ticket collision."""
    old = new.complaint
    ticket = new_ticket(old.received_at)
    complaint = old.model_copy(
        update={"ticket": ticket, "tracking_hash": tracking_hash(ticket, new.tracking_code)}
    )
    event = new.event.model_copy(update={"ticket": ticket})
    return NewComplaint(complaint=complaint, event=event, tracking_code=new.tracking_code)

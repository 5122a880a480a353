"""Who is emailed about which audit event, and what the email says.

One table (``NOTIFICATION_RULES``) decides, for every action, whether the
coordinators of the complaint's unit and/or the verifiers are told. The unit is
the event's ``unit``: the unit after the action, so a re-routed complaint alerts
its new unit. ``build_notice`` gathers what the email shows from the audit
event and the complaint, and nothing else: no reporter data ever (coordinators
open the officer console for the details).

Pure Python: no AWS, no templates (``pendopo.notifications.render`` turns a
``Notice`` into the HTML and text parts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pendopo.domain.clock import format_wib
from pendopo.domain.complaint import AuditEvent, Complaint
from pendopo.domain.status import Action
from pendopo.domain.taxonomy import Recipients, Taxonomy

SUBJECT_PREFIX = "[Pendopo]"


@dataclass(frozen=True, slots=True)
class NotificationRule:
    unit_coordinators: bool  # the coordinators of the event's unit
    verifiers: bool  # the verifiers of Biro Pemerintahan
    subject: str  # what happened, after the ticket in the subject line
    headline: str  # the first sentence of the email
    note_label: str = "Catatan"
    only_disputed: bool = False  # only for an event that flags the complaint disputed


def _to_coordinators(subject: str, headline: str, note_label: str) -> NotificationRule:
    """A rule that emails the coordinators of the complaint's unit only."""
    return NotificationRule(True, False, subject, headline, note_label)


NOTIFICATION_RULES: Mapping[Action, NotificationRule | None] = MappingProxyType(
    {
        Action.SUBMIT: NotificationRule(
            unit_coordinators=True,
            verifiers=True,
            subject="pengaduan baru, menunggu verifikasi",
            headline="Pengaduan baru telah diterima dan menunggu verifikasi Biro Pemerintahan.",
        ),
        Action.VERIFY: NotificationRule(
            unit_coordinators=True,
            verifiers=False,
            subject="terverifikasi, silakan disposisikan",
            headline=(
                "Pengaduan telah terverifikasi. Silakan disposisikan ke perangkat daerah "
                "atau BUMD yang berwenang."
            ),
        ),
        Action.REJECT: None,
        Action.REROUTE: NotificationRule(
            unit_coordinators=True,
            verifiers=False,
            subject="dialihkan ke unit Anda",
            headline="Pengaduan dialihkan ke unit Anda. Silakan tindak lanjuti.",
            note_label="Alasan pengalihan",
        ),
        Action.DISPOSITION: NotificationRule(
            unit_coordinators=True,
            verifiers=False,
            subject="didisposisikan",
            headline=(
                "Pengaduan telah didisposisikan. Pantau tindak lanjutnya agar selesai "
                "sebelum batas waktu."
            ),
        ),
        Action.ACKNOWLEDGE: None,
        Action.SUBMIT_FOLLOW_UP: NotificationRule(
            unit_coordinators=False,
            verifiers=True,
            subject="hasil tindak lanjut menunggu validasi",
            headline="Hasil tindak lanjut telah disampaikan dan menunggu validasi.",
        ),
        Action.REJECT_FOLLOW_UP: NotificationRule(
            unit_coordinators=True,
            verifiers=False,
            subject="TL ditolak, perlu tindak lanjut ulang",
            headline=(
                "Hasil tindak lanjut (TL) ditolak oleh verifikator. Mohon koordinasikan "
                "tindak lanjut ulang dengan perangkat daerah atau BUMD terkait."
            ),
            note_label="Alasan penolakan",
        ),
        Action.ACCEPT_FOLLOW_UP: NotificationRule(
            unit_coordinators=True,
            verifiers=False,
            subject="selesai",
            headline="Hasil tindak lanjut telah divalidasi. Pengaduan dinyatakan selesai.",
        ),
        # The reporter's own steps, and a verifier's answer to their dispute.
        Action.REPORTER_UPDATE: _to_coordinators(
            "tambahan informasi dari pelapor",
            "Pelapor menambahkan informasi pada pengaduan ini. Mohon diperhatikan dalam "
            "tindak lanjutnya.",
            "Tambahan dari pelapor",
        ),
        # A rating is emailed only when the reporter says the problem is not resolved.
        Action.FEEDBACK: NotificationRule(
            False,
            True,
            "pelapor menyatakan belum selesai",
            "Pelapor menyatakan masalahnya belum selesai. Mohon periksa kembali: buka "
            "kembali pengaduan ini, atau tetapkan selesai dengan catatan untuk pelapor.",
            "Penilaian pelapor",
            only_disputed=True,
        ),
        Action.REOPEN: _to_coordinators(
            "dibuka kembali, perlu tindak lanjut ulang",
            "Pengaduan dibuka kembali oleh verifikator karena pelapor menyatakan masalahnya "
            "belum selesai. Mohon koordinasikan tindak lanjut ulang.",
            "Alasan dibuka kembali",
        ),
        Action.KEEP_CLOSED: None,
        Action.FILE_VISIBILITY: None,
    }
)


def rule_for(action: Action) -> NotificationRule | None:
    return NOTIFICATION_RULES.get(action)


def recipients_for(
    action: Action, unit: str, recipients: Recipients, *, disputed: bool = False
) -> tuple[str, ...]:
    """The addresses to email about ``action`` on a complaint now at ``unit``, each once.

    ``disputed``: the event flagged the complaint disputed (``AuditEvent.disputed``).
    """
    rule = rule_for(action)
    if rule is None or (rule.only_disputed and not disputed):
        return ()
    addresses: list[str] = []
    if rule.unit_coordinators:
        addresses.extend(recipients.coordinators(unit))
    if rule.verifiers:
        addresses.extend(recipients.verifiers)
    # The same person may be listed twice (a coordinator who also verifies), in any
    # letter case: one email.
    unique: dict[str, str] = {}
    for address in addresses:
        unique.setdefault(address.lower(), address)
    return tuple(unique.values())


@dataclass(frozen=True, slots=True)
class Notice:
    """Everything an email about one audit event shows; no personal data of the reporter."""

    ticket: str
    action: Action
    subject: str
    headline: str
    category: str
    unit: str
    title: str
    status: str
    due: str
    note_label: str
    note: str | None
    agency: str | None
    link: str | None


def console_link(console_url: str, ticket: str) -> str | None:
    """The complaint in the officer console; None when no console URL is configured."""
    return f"{console_url}#/complaints/{ticket}" if console_url else None


def build_notice(
    event: AuditEvent, complaint: Complaint, taxonomy: Taxonomy, console_url: str
) -> Notice:
    """The email's content for an audit event that has a rule (see ``rule_for``)."""
    rule = rule_for(event.action)
    if rule is None:
        raise ValueError(f"no notification for action {event.action.value!r}")
    category = taxonomy.category(complaint.category)
    unit = taxonomy.units.get(event.unit)
    agency = _agency_name(complaint.agency, taxonomy) if complaint.agency else None
    what = rule.subject
    if event.action is Action.DISPOSITION and agency:
        what = f"{what} ke {agency}"
    return Notice(
        ticket=complaint.ticket,
        action=event.action,
        subject=f"{SUBJECT_PREFIX} {complaint.ticket}: {what}",
        headline=rule.headline,
        category=category.label if category else complaint.category,
        unit=unit.name if unit else event.unit,
        title=complaint.title,
        status=event.to_status.label,
        due=format_wib(complaint.due_at),
        note_label=rule.note_label,
        note=event.note.strip() if event.note and event.note.strip() else None,
        agency=agency if event.action is Action.DISPOSITION else None,
        link=console_link(console_url, complaint.ticket),
    )


def _agency_name(code: str, taxonomy: Taxonomy) -> str:
    agency = taxonomy.agencies.get(code)
    return agency.name if agency else code

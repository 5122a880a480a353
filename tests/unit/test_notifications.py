"""Who is emailed about what, and what the email says (pure domain and templates)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from infra.template import load_template
from pendopo.domain.complaint import AuditEvent, Channel, Complaint, Reporter
from pendopo.domain.notifications import (
    NOTIFICATION_RULES,
    build_notice,
    recipients_for,
)
from pendopo.domain.status import Action, Role, Status
from pendopo.domain.taxonomy import Recipients, load_recipients, load_taxonomy
from pendopo.notifications.render import render_notice

PLH = ("koordinator.biro-plh@pendopo.example",)
KESOS = ("koordinator.biro-kesos@pendopo.example",)
VERIFIERS = ("verifikator.biro-pem@pendopo.example",)
RECEIVED = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)  # 08:00 WIB
CONSOLE = "https://konsol.pendopo.example/console/"
NAME, NIK, PHONE, EMAIL = "Siti Aminah", "3171014501900001", "+6281234567890", "siti@mail.id"


def test_every_action_has_a_rule_or_says_nobody() -> None:
    assert set(NOTIFICATION_RULES) == set(Action)
    assert NOTIFICATION_RULES[Action.REJECT] is None
    assert NOTIFICATION_RULES[Action.ACKNOWLEDGE] is None


@pytest.mark.parametrize(
    ("action", "unit", "expected"),
    [
        (Action.SUBMIT, "BIRO_PLH", PLH + VERIFIERS),
        (Action.VERIFY, "BIRO_PLH", PLH),
        (Action.REROUTE, "BIRO_KESOS", KESOS),  # the unit after the action: the new one
        (Action.DISPOSITION, "BIRO_PLH", PLH),
        (Action.SUBMIT_FOLLOW_UP, "BIRO_PLH", VERIFIERS),
        (Action.REJECT_FOLLOW_UP, "BIRO_PLH", PLH),
        (Action.ACCEPT_FOLLOW_UP, "BIRO_PLH", PLH),
        (Action.REJECT, "BIRO_PLH", ()),
        (Action.ACKNOWLEDGE, "BIRO_PLH", ()),
        (Action.REPORTER_UPDATE, "BIRO_PLH", PLH),  # the reporter's addition: the unit
        (Action.FEEDBACK, "BIRO_PLH", ()),  # a rating that disputes nothing: nobody
        (Action.REOPEN, "BIRO_PLH", PLH),
        (Action.KEEP_CLOSED, "BIRO_PLH", ()),
    ],
)
def test_the_audience_of_each_action(action: Action, unit: str, expected: tuple[str, ...]) -> None:
    assert recipients_for(action, unit, load_recipients()) == expected


def test_a_disputing_rating_goes_to_the_verifiers_only() -> None:
    recipients = load_recipients()
    assert recipients_for(Action.FEEDBACK, "BIRO_PLH", recipients, disputed=True) == VERIFIERS
    # The flag means nothing to the other rules.
    assert recipients_for(Action.VERIFY, "BIRO_PLH", recipients, disputed=True) == PLH


def test_a_person_listed_twice_gets_one_email() -> None:
    packaged = load_recipients()
    both = Recipients(
        unit_coordinators={**packaged.unit_coordinators, "BIRO_PEM": VERIFIERS},
        asisten_emails=packaged.asisten_emails,
        sekda_email=packaged.sekda_email,
        verifiers=VERIFIERS,
    )
    assert recipients_for(Action.SUBMIT, "BIRO_PEM", both) == VERIFIERS
    # however the address is capitalised
    shouting = Recipients(
        unit_coordinators={
            **packaged.unit_coordinators,
            "BIRO_PEM": tuple(a.upper() for a in VERIFIERS),
        },
        asisten_emails=packaged.asisten_emails,
        sekda_email=packaged.sekda_email,
        verifiers=VERIFIERS,
    )
    assert len(recipients_for(Action.SUBMIT, "BIRO_PEM", shouting)) == len(VERIFIERS)


def complaint(**changes: object) -> Complaint:
    fields: dict[str, object] = {
        "ticket": "2506-4821-7734",
        "tracking_hash": "0" * 64,
        "channel": Channel.WEB,
        "category": "ROAD",
        "unit": "BIRO_PLH",
        "title": "Jalan berlubang <script>alert(1)</script>",
        "description": "Lubang besar di Jl. Kramat Raya membahayakan pengendara motor.",
        "reporter": Reporter(name=NAME, nik=NIK, phone=PHONE, email=EMAIL),
        "location": None,
        "received_at": RECEIVED,
        "due_at": RECEIVED + timedelta(days=3),
        "status": Status.WAITING,
        "version": 1,
        "outside_hours": False,
        "timeline": (),
    }
    fields.update(changes)
    return Complaint.model_validate(fields)


def event(action: Action, to_status: Status, note: str | None = None) -> AuditEvent:
    return AuditEvent(
        ticket="2506-4821-7734",
        at=RECEIVED,
        actor="officer-1",
        role=Role.VERIFIER,
        action=action,
        from_status=None,
        to_status=to_status,
        unit="BIRO_PLH",
        note=note,
    )


def test_a_new_complaint_email_in_both_parts_without_personal_data() -> None:
    # Given a new complaint whose reporter gave every personal detail
    notice = build_notice(
        event(Action.SUBMIT, Status.WAITING), complaint(), load_taxonomy(), CONSOLE
    )
    # When it is rendered
    email = render_notice(notice)
    # Then the subject names the ticket and what happened
    assert email.subject == "[Pendopo] 2506-4821-7734: pengaduan baru, menunggu verifikasi"
    # And both parts show the ticket, category, unit, status, due time (WIB) and link
    for part in (email.text, email.html):
        assert "Pengaduan baru telah diterima dan menunggu verifikasi" in part
        assert "2506-4821-7734" in part
        assert "Jalan rusak" in part
        assert "Biro Pembangunan dan Lingkungan Hidup" in part
        assert "Menunggu" in part
        assert "13 Jun 2025 08:00 WIB" in part
        assert f"{CONSOLE}#/complaints/2506-4821-7734" in part
        assert "Batas waktu" in part
        # And nothing about the reporter
        for personal in (NAME, NIK, PHONE, "1234567890", EMAIL):
            assert personal not in part


def test_html_escapes_what_citizens_typed_and_text_keeps_it() -> None:
    email = render_notice(
        build_notice(event(Action.SUBMIT, Status.WAITING), complaint(), load_taxonomy(), CONSOLE)
    )
    assert "<script>" not in email.html
    assert "Jalan berlubang &lt;script&gt;alert(1)&lt;/script&gt;" in email.html
    assert "Jalan berlubang <script>alert(1)</script>" in email.text
    assert email.html.lstrip().startswith("<!DOCTYPE html>")
    assert "http" not in email.html.replace(CONSOLE, "")  # no external assets


def test_a_rejected_follow_up_shows_the_reason() -> None:
    email = render_notice(
        build_notice(
            event(Action.REJECT_FOLLOW_UP, Status.FOLLOW_UP_REJECTED, note="Foto <tidak> jelas"),
            complaint(status=Status.FOLLOW_UP_REJECTED),
            load_taxonomy(),
            CONSOLE,
        )
    )
    assert email.subject == "[Pendopo] 2506-4821-7734: TL ditolak, perlu tindak lanjut ulang"
    assert "Alasan penolakan:\nFoto <tidak> jelas" in email.text
    assert "Foto &lt;tidak&gt; jelas" in email.html
    assert "TL Ditolak" in email.text


def test_a_disposition_names_the_agency() -> None:
    notice = build_notice(
        event(Action.DISPOSITION, Status.DISPOSITION),
        complaint(status=Status.DISPOSITION, agency="DINAS_SDA"),
        load_taxonomy(),
        CONSOLE,
    )
    agency = load_taxonomy().agencies["DINAS_SDA"].name
    assert notice.subject == f"[Pendopo] 2506-4821-7734: didisposisikan ke {agency}"
    email = render_notice(notice)
    assert f"PD/BUMD       : {agency}" in email.text
    assert agency in email.html


def test_without_a_console_url_the_email_says_where_to_look() -> None:
    email = render_notice(
        build_notice(event(Action.VERIFY, Status.COORDINATION), complaint(), load_taxonomy(), "")
    )
    assert "#/complaints/" not in email.text + email.html
    assert "konsol petugas Pendopo dengan nomor tiket" in email.text


def test_the_claim_lease_outlasts_the_notify_function() -> None:
    # Only a claim whose sender is surely gone (timed out) may be taken over.
    props = load_template()["Resources"]["NotifyFunction"]["Properties"]
    lease = int(props["Environment"]["Variables"]["NOTIFY_LEASE_SECONDS"])
    assert lease > props["Timeout"]

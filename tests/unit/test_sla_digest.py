"""The deadline check's pure part: durations in Indonesian, escalation times, digests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from pendopo.domain.clock import WIB
from pendopo.domain.sla import SlaMode, SlaPolicy
from pendopo.domain.sla_digest import (
    OpenComplaint,
    Standing,
    escalation_at,
    format_duration,
    plan_check,
)
from pendopo.domain.status import Status
from pendopo.domain.taxonomy import load_recipients, load_taxonomy
from pendopo.notifications.digest import render_escalation_digest, render_unit_digest

NOW = datetime(2025, 6, 10, 7, 0, tzinfo=WIB)  # Tuesday


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(days=2, hours=3, minutes=10), "2 hari 3 jam"),
        (timedelta(days=1), "1 hari"),
        (timedelta(hours=5, minutes=10), "5 jam 10 menit"),
        (timedelta(minutes=45), "45 menit"),
        (timedelta(seconds=30), "kurang dari 1 menit"),
    ],
)
def test_durations_in_indonesian(span: timedelta, text: str) -> None:
    assert format_duration(span) == text


def test_escalation_counts_days_as_the_deadline_does() -> None:
    friday = datetime(2025, 6, 13, 10, 0, tzinfo=WIB)
    assert escalation_at(friday, SlaPolicy(), 1) == friday + timedelta(days=1)
    working = SlaPolicy(mode=SlaMode.WORKING_DAYS)
    assert escalation_at(friday, working, 1) == datetime(2025, 6, 16, 10, 0, tzinfo=WIB)
    assert escalation_at(friday, working, 0) == friday


def complaint(ticket: str, due: datetime, status: Status = Status.DISPOSITION) -> OpenComplaint:
    return OpenComplaint(
        ticket=ticket,
        unit="BIRO_PLH",
        category="ROAD",
        status=status,
        due_at=due,
        title="Jalan <b>berlubang</b>",
        agency="BINA_MARGA",
    )


def plan(*complaints: OpenComplaint) -> object:
    taxonomy = load_taxonomy()
    return plan_check(
        complaints,
        NOW,
        policy=SlaPolicy(),
        escalation_days=1,
        taxonomy=taxonomy,
        recipients=load_recipients(taxonomy=taxonomy),
        console_url="https://konsol.example/",
    )


def test_a_digest_orders_most_overdue_first_and_skips_stopped_clocks() -> None:
    result = plan(
        complaint("2506-0000-0011", NOW - timedelta(hours=3)),
        complaint("2506-0000-0022", NOW - timedelta(days=2, hours=1)),
        complaint("2506-0000-0033", NOW + timedelta(hours=2)),
        complaint("2506-0000-0044", NOW + timedelta(hours=25)),  # outside the window
        complaint("2506-0000-0055", NOW - timedelta(days=4), Status.AWAITING_VALIDATION),
    )
    (digest,) = result.unit_digests  # type: ignore[attr-defined]
    assert [x.ticket for x in digest.overdue] == ["2506-0000-0022", "2506-0000-0011"]
    assert [x.when for x in digest.overdue] == ["terlambat 2 hari 1 jam", "terlambat 3 jam"]
    assert [x.escalated for x in digest.overdue] == [True, False]
    assert [(x.ticket, x.standing) for x in digest.reminders] == [
        ("2506-0000-0033", Standing.REMINDER)
    ]
    assert digest.recipients == ("koordinator.biro-plh@pendopo.example",)
    assert result.ignored_stopped == 1  # type: ignore[attr-defined]
    (escalation,) = result.escalation_digests  # type: ignore[attr-defined]
    assert escalation.recipients == ("asisten.pembangunan-lh@pendopo.example",)
    assert [x.ticket for x in escalation.lines] == ["2506-0000-0022"]


def test_nothing_due_means_no_digest() -> None:
    result = plan(complaint("2506-0000-0044", NOW + timedelta(days=2)))
    assert result.unit_digests == () and result.escalation_digests == ()  # type: ignore[attr-defined]


def test_the_emails_escape_html_and_link_the_console() -> None:
    result = plan(complaint("2506-0000-0022", NOW - timedelta(days=2)))
    email = render_unit_digest(result.unit_digests[0])  # type: ignore[attr-defined]
    assert "Jalan &lt;b&gt;berlubang&lt;/b&gt;" in email.html
    assert "Jalan <b>berlubang</b>" in email.text
    assert 'href="https://konsol.example/#/complaints/2506-0000-0022"' in email.html
    assert "Dinas Bina Marga" in email.text and "terlambat 2 hari" in email.text
    assert "<img" not in email.html and "http://" not in email.html
    escalation = render_escalation_digest(result.escalation_digests[0])  # type: ignore[attr-defined]
    assert "Yth. Asisten Pembangunan dan Lingkungan Hidup" in escalation.text
    assert escalation.subject == (
        "[Pendopo] Eskalasi 10 Jun 2025: 1 pengaduan terlambat lebih dari 1 hari"
    )


def test_the_asisten_digest_leaves_out_the_citizens_title() -> None:
    # Titles are written by the citizen and often carry names or addresses; the Asisten
    # gets ticket, category, agency, status, deadline and link (issue #4)
    result = plan(complaint("2506-0000-0022", NOW - timedelta(days=2)))
    (escalation,) = result.escalation_digests  # type: ignore[attr-defined]
    assert [x.title for x in escalation.lines] == [None]
    email = render_escalation_digest(escalation)
    for part in (email.text, email.html):
        assert "berlubang" not in part and "Judul" not in part and "judul" not in part
        assert "2506-0000-0022" in part and "Dinas Bina Marga" in part
        assert "Jalan rusak / jalan" in part  # the category
    # while the unit's own digest, to the coordinators who handle it, keeps the title
    unit_email = render_unit_digest(result.unit_digests[0])  # type: ignore[attr-defined]
    assert "Jalan <b>berlubang</b>" in unit_email.text


@pytest.mark.parametrize("flag", ["anonymous", "confidential"])
def test_an_anonymous_or_confidential_complaints_title_stays_out_of_every_email(
    flag: str,
) -> None:
    marked = replace(complaint("2506-0000-0022", NOW - timedelta(days=2)), **{flag: True})
    result = plan(marked, complaint("2506-0000-0033", NOW + timedelta(hours=2)))
    (digest,) = result.unit_digests  # type: ignore[attr-defined]
    assert [x.title for x in digest.overdue] == [None]
    assert [x.title for x in digest.reminders] == ["Jalan <b>berlubang</b>"]
    email = render_unit_digest(digest)
    assert email.text.count("berlubang") == 1 and email.html.count("berlubang") == 1
    assert "tidak dicantumkan (pengaduan anonim/rahasia)" in email.text
    assert "tidak dicantumkan (pengaduan anonim/rahasia)" in email.html

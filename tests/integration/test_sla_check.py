"""The daily deadline check on moto: a month of synthetic complaints, read through the
sparse open_by_due index, counted per unit at chosen times; digests sent once a day.

The complaints are written as the complaint store writes them (``tools.bench.synthetic``), so
the index keys are the production ones: a complaint awaiting validation or done has no
``open_unit`` and is not in the index at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest

from pendopo.domain.clock import FixedClock
from pendopo.domain.sla import SlaMode, SlaPolicy
from pendopo.domain.sla_digest import UnitCounts
from pendopo.domain.status import Status
from pendopo.domain.taxonomy import load_recipients, load_taxonomy
from pendopo.notifications.ses import SesMailer
from pendopo.services.sla_check import SlaCheckService
from pendopo.storage.connection import shared_connection
from pendopo.storage.items import ComplaintItem, OpenByDueIndex
from pendopo.storage.notifications import NotificationLog
from pendopo.storage.open_complaints import _ATTRIBUTES, OpenComplaintReader
from tests.support.constants import TEST_TABLE
from tests.support.mail import CONSOLE, REGION, SENDER, SesDownFor, outbox
from tests.support.sla import wib
from tools.bench.synthetic import AGENCY_OF_UNIT, Spec, raw_item, write

UNITS = list(load_taxonomy().units)  # BPBUMD, BIRO_PEM, ... BIRO_DIKMENTAL (index k = 0..6)


def month_of_complaints() -> Iterator[Spec]:
    """Unit k receives one complaint a day, June (1 + k) to June 30, at 10:00 WIB, due 3
    calendar days later at 10:00. Received on a day divisible by 5: its follow-up result
    awaits validation (clock stopped). On a day divisible by 7: the result was sent back
    (TL Ditolak, clock running again). Every unit also has one complaint done."""
    serial = 0
    for k, unit in enumerate(UNITS):
        for day in range(1 + k, 31):
            serial += 1
            status = Status.COORDINATION
            if day % 5 == 0:
                status = Status.AWAITING_VALIDATION
            elif day % 7 == 0:
                status = Status.FOLLOW_UP_REJECTED
            received = wib(day)
            yield Spec(
                serial, unit, received, received + timedelta(days=3), status, AGENCY_OF_UNIT[unit]
            )
        serial += 1
        yield Spec(serial, unit, wib(2), wib(5), Status.DONE)


@pytest.fixture
def ses(dynamodb: Any) -> Any:
    client = boto3.client("ses", region_name=REGION)
    client.verify_email_identity(EmailAddress=SENDER)
    return client


def service(
    clock: FixedClock, mode: SlaMode = SlaMode.CALENDAR_DAYS, mailer: Any = None
) -> SlaCheckService:
    taxonomy = load_taxonomy()
    return SlaCheckService(
        reader=OpenComplaintReader(),
        log=NotificationLog(lease=timedelta(seconds=125)),
        mailer=mailer or SesMailer(boto3.client("sesv2", region_name=REGION), SENDER),
        recipients=load_recipients(taxonomy=taxonomy),
        taxonomy=taxonomy,
        policy=SlaPolicy(mode=mode),
        escalation_days=1,
        console_url=CONSOLE,
        clock=clock,
    )


def counts(plan_counts: Any) -> dict[str, tuple[int, int, int]]:
    """(reminders, overdue, escalated) per unit."""
    return {u: (c.reminders, c.overdue, c.escalated) for u, c in plan_counts.items()}


@pytest.fixture
def month(dynamodb: Any) -> Any:
    write(dynamodb, TEST_TABLE, (raw_item(spec) for spec in month_of_complaints()))
    return dynamodb


# As of June 10, 10:00 WIB: overdue = received June (1+k)..6 except the 5th; escalated
# (more than 1 day overdue) = received up to the 5th, except the 5th; the complaint of
# June 7 is due exactly now (a reminder, not overdue), the one of June 8 within 24 h.
AT_DUE = {
    "BPBUMD": (2, 5, 4),
    "BIRO_PEM": (2, 4, 3),
    "BIRO_ORB": (2, 3, 2),
    "BIRO_PLH": (2, 2, 1),
    "BIRO_PK": (2, 1, 0),
    "BIRO_KESOS": (2, 1, 0),
    "BIRO_DIKMENTAL": (2, 0, 0),
}
# A minute before: the June 8 complaint (due June 11 10:00) is 24 h 1 min away.
MINUTE_BEFORE = {unit: (1, over, esc) for unit, (_, over, esc) in AT_DUE.items()}
# A minute after: June 7's is overdue; June 6's is now more than a day overdue.
MINUTE_AFTER = {
    "BPBUMD": (1, 6, 5),
    "BIRO_PEM": (1, 5, 4),
    "BIRO_ORB": (1, 4, 3),
    "BIRO_PLH": (1, 3, 2),
    "BIRO_PK": (1, 2, 1),
    "BIRO_KESOS": (1, 2, 1),
    "BIRO_DIKMENTAL": (1, 1, 0),
}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (wib(10, 10, 0), AT_DUE),
        (wib(10, 9, 59), MINUTE_BEFORE),
        (wib(10, 10, 1), MINUTE_AFTER),
    ],
    ids=["exactly-at-due", "a-minute-before", "a-minute-after"],
)
def test_exact_counts_per_unit_around_a_deadline(
    month: Any, as_of: datetime, expected: Any
) -> None:
    plan = service(FixedClock(as_of)).plan(as_of)
    assert counts(plan.counts) == expected
    # Clock-stopped complaints never even reach the check: not in the sparse index.
    assert plan.ignored_stopped == 0


def test_the_end_of_the_month_counts_every_open_complaint(month: Any) -> None:
    # Given July 3, 07:00 WIB: every complaint received by June 29 is overdue (the June 30
    # one is due at 10:00, a reminder); done and awaiting-validation ones are not counted
    as_of = wib(3, 7, 0, month=7)
    plan = service(FixedClock(as_of)).plan(as_of)
    for k, unit in enumerate(UNITS):
        days = range(1 + k, 30)
        open_days = [d for d in days if d % 5 != 0]
        # escalated: received by June 28 (due July 1 10:00; a day later is July 2 10:00)
        escalated = [d for d in open_days if d <= 28]
        assert plan.counts[unit] == UnitCounts(
            reminders=0 if 30 % 5 == 0 else 1, overdue=len(open_days), escalated=len(escalated)
        ), unit
    # BPBUMD: June 1-29 without the 5th, 10th, 15th, 20th and 25th; escalated up to the 28th
    assert plan.counts["BPBUMD"] == UnitCounts(reminders=0, overdue=24, escalated=23)


def test_reads_only_open_complaints_in_the_window(month: Any) -> None:
    # Given the month (7 units x up to 30 complaints, a fifth of them clock-stopped)
    calls: list[tuple[str, dict[str, Any]]] = []

    def record(params: dict[str, Any], event_name: str, **kwargs: Any) -> None:
        calls.append((event_name.rsplit(".", 1)[-1], params))

    client = shared_connection().client
    client.meta.events.register("before-parameter-build.dynamodb", record)
    try:
        plan = service(FixedClock(wib(10))).plan(wib(10))
    finally:
        client.meta.events.unregister("before-parameter-build.dynamodb", record)
    # Then one Query per unit on open_by_due, bounded by due time, and no Scan
    assert [name for name, _ in calls] == ["Query"] * 7
    assert {p["IndexName"] for _, p in calls} == {"open_by_due"}
    assert all(":" in p["KeyConditionExpression"] for _, p in calls)
    assert sum(c.reminders + c.overdue for c in plan.counts.values()) == 30


def test_across_a_weekend_in_working_day_mode(dynamodb: Any) -> None:
    # Given complaints received Tuesday June 10, 10:00 WIB: due Friday June 13 10:00
    # (calendar days) and, in working days, also Friday (Wed, Thu, Fri)
    received = wib(10)
    working = SlaPolicy(mode=SlaMode.WORKING_DAYS)
    assert working.due_at(received) == wib(13).astimezone(working.due_at(received).tzinfo)
    write(
        dynamodb,
        TEST_TABLE,
        [raw_item(Spec(n, "BIRO_PLH", received, working.due_at(received))) for n in (1, 2)],
    )
    saturday, monday_early, monday_late = wib(14, 10, 1), wib(16, 7, 0), wib(16, 10, 1)
    calendar = {t: service(FixedClock(t)).plan(t).counts["BIRO_PLH"] for t in (saturday,)}
    by_working = {
        t: service(FixedClock(t), SlaMode.WORKING_DAYS).plan(t).counts["BIRO_PLH"]
        for t in (saturday, monday_early, monday_late)
    }
    # Then in calendar days they are escalated on Saturday 10:01, a day after the deadline
    assert calendar[saturday] == UnitCounts(reminders=0, overdue=2, escalated=2)
    # and in working days only after Monday 10:00, one working day after it
    assert by_working[saturday] == UnitCounts(reminders=0, overdue=2, escalated=0)
    assert by_working[monday_early] == UnitCounts(reminders=0, overdue=2, escalated=0)
    assert by_working[monday_late] == UnitCounts(reminders=0, overdue=2, escalated=2)


def test_on_a_public_holiday_in_working_day_mode(dynamodb: Any) -> None:
    # Given Friday June 27, 2025 is a public holiday (1 Muharram). A complaint received
    # Tuesday June 24 10:00 is due Monday June 30 10:00 in working days (Wed, Thu, Mon);
    # one received Monday June 23 is due Thursday June 26 10:00.
    working = SlaPolicy(mode=SlaMode.WORKING_DAYS)
    late_tuesday, monday = wib(24), wib(23)
    assert working.due_at(late_tuesday) == wib(30)
    assert working.due_at(monday) == wib(26)
    write(
        dynamodb,
        TEST_TABLE,
        [
            raw_item(Spec(1, "BIRO_KESOS", late_tuesday, working.due_at(late_tuesday))),
            raw_item(Spec(2, "BIRO_KESOS", monday, working.due_at(monday))),
        ],
    )
    holiday = wib(27, 10, 1)
    counted = service(FixedClock(holiday), SlaMode.WORKING_DAYS).plan(holiday)
    # Then on the holiday: the June 23 one is overdue, not escalated (its escalation
    # waits for the next working day, Monday 10:00); the June 24 one is neither overdue
    # nor due within 24 hours
    assert counted.counts["BIRO_KESOS"] == UnitCounts(reminders=0, overdue=1, escalated=0)
    # and on Sunday at 09:59 the June 24 one is still 24 h 1 min away, at 10:00 it is a
    # reminder (due Monday 10:00); the other is still not escalated over the weekend
    sunday_early = wib(29, 9, 59)
    before = service(FixedClock(sunday_early), SlaMode.WORKING_DAYS).plan(sunday_early)
    assert before.counts["BIRO_KESOS"] == UnitCounts(reminders=0, overdue=1, escalated=0)
    sunday = wib(29, 10, 0)
    at_window = service(FixedClock(sunday), SlaMode.WORKING_DAYS).plan(sunday)
    assert at_window.counts["BIRO_KESOS"] == UnitCounts(reminders=1, overdue=1, escalated=0)
    # and on Monday 10:01 (a working day after Thursday's deadline), it is escalated
    monday_after = wib(30, 10, 1)
    escalated = service(FixedClock(monday_after), SlaMode.WORKING_DAYS).plan(monday_after)
    assert escalated.counts["BIRO_KESOS"] == UnitCounts(reminders=0, overdue=2, escalated=1)


def test_two_runs_on_the_same_day_send_one_digest_per_unit(month: Any, ses: Any) -> None:
    # Given the month, checked at 07:00 WIB on June 10
    first = service(FixedClock(wib(10, 7, 0))).run(wib(10, 7, 0))
    sent = outbox()
    # Then each unit with something due got one digest, and each Asisten with an
    # escalated complaint one escalation digest
    unit_subjects = [m for m in sent if "Batas waktu tindak lanjut" in m.subject]
    escalations = [m for m in sent if "Eskalasi" in m.subject]
    assert len(unit_subjects) == 7
    assert sorted(m.destinations["ToAddresses"][0] for m in escalations) == [
        "asisten.pembangunan-lh@pendopo.example",  # Biro PLH
        "asisten.pemerintahan@pendopo.example",  # Biro Pemerintahan, Biro ORB
        "asisten.perekonomian-keuangan@pendopo.example",  # BP BUMD
    ]
    assert first.complete and first.total("sent") == 10
    # When the check runs again the same day (a retry, or on demand)
    second = service(FixedClock(wib(10, 9, 30))).run(wib(10, 9, 30))
    # Then nothing more is sent
    assert len(outbox()) == 10
    assert second.total("sent") == 0 and second.total("duplicates") == 10
    # and in the afternoon no unit gets a second digest; only an Asisten with a first
    # escalation that day does (Biro Kesos's June 6 complaint, a day overdue at 10:00)
    afternoon = service(FixedClock(wib(10, 15, 0))).run(wib(10, 15, 0))
    assert [(d.to, d.sent) for d in afternoon.digests if d.sent] == [("ASISTEN_KESRA", 1)]
    assert afternoon.total("duplicates") == 10
    assert len(outbox()) == 11
    # and the next day's run sends the next day's digests
    third = service(FixedClock(wib(11, 7, 0))).run(wib(11, 7, 0))
    assert third.total("sent") == 11  # 7 units, 4 Asisten
    assert len(outbox()) == 22


def test_the_digest_lists_most_overdue_first_with_links(month: Any, ses: Any) -> None:
    service(FixedClock(wib(10))).run(wib(10, 7, 0))
    plh = next(
        m
        for m in outbox()
        if m.destinations["ToAddresses"] == ["koordinator.biro-plh@pendopo.example"]
    )
    assert plh.subject == (
        "[Pendopo] Batas waktu tindak lanjut Biro PLH, 10 Jun 2025: 2 terlambat, "
        "1 jatuh tempo dalam 24 jam"
    )
    html = plh.body
    # June 4 (overdue 2 days 21 h) before June 6 (21 h); then the reminders
    assert html.index("terlambat 2 hari 21 jam") < html.index("terlambat 21 jam")
    assert f"{CONSOLE}#/complaints/" in html
    assert "Dinas Bina Marga" in html and "Warga Contoh" not in html


def test_one_units_failure_does_not_stop_the_others_and_a_rerun_sends_it(
    month: Any, ses: Any
) -> None:
    # Given SES refuses the email to Biro PLH's coordinator
    flaky = SesDownFor("koordinator.biro-plh@pendopo.example")
    clock = FixedClock(wib(10, 7, 0))
    check = service(clock, mailer=SesMailer(flaky, SENDER))
    first = check.run(wib(10, 7, 0))
    # Then every other digest went, and the run says it is incomplete
    assert not first.complete
    assert (first.total("sent"), first.total("failed")) == (9, 1)
    assert first.summary()["errors"] == ["TooManyRequestsException"]
    # When SES recovers and the run is retried (same scheduled time, a minute later)
    flaky.down = False
    clock.advance(timedelta(minutes=1))
    retry = check.run(wib(10, 7, 0))
    # Then only the missing digest is sent
    assert retry.complete and (retry.total("sent"), retry.total("duplicates")) == (1, 9)
    assert len(outbox()) == 10


def test_a_unit_that_cannot_be_read_does_not_stop_the_others(month: Any, ses: Any) -> None:
    class Broken(OpenComplaintReader):
        def due_by(self, unit: str, end: datetime) -> Any:
            if unit == "BIRO_PEM":
                raise RuntimeError("throttled")
            return super().due_by(unit, end)

    check = service(FixedClock(wib(10, 7, 0)))
    check._reader = Broken()
    run = check.run(wib(10, 7, 0))
    assert run.read_failures == ["BIRO_PEM:RuntimeError"] and not run.complete
    assert "BIRO_PEM" not in {d.to for d in run.digests}
    assert len([d for d in run.digests if d.action == "sla_digest"]) == 6


def test_nothing_due_sends_nothing(dynamodb: Any, ses: Any) -> None:
    write(dynamodb, TEST_TABLE, [raw_item(Spec(1, "BIRO_PK", wib(10), wib(13)))])
    run = service(FixedClock(wib(11, 7, 0))).run(wib(11, 7, 0))
    assert run.digests == [] and outbox() == []
    assert run.counts["BIRO_PK"] == UnitCounts()


def test_an_asisten_digest_waits_until_every_one_of_its_units_is_read(month: Any, ses: Any) -> None:
    # Given Biro Pemerintahan's read fails; its Asisten (ASISTEN_PEM) also has Biro ORB,
    # whose escalations alone would make a digest
    class Broken(OpenComplaintReader):
        down = True

        def due_by(self, unit: str, end: datetime) -> Any:
            if self.down and unit == "BIRO_PEM":
                raise RuntimeError("throttled")
            return super().due_by(unit, end)

    broken = Broken()
    clock = FixedClock(wib(10, 7, 0))
    check = service(clock)
    check._reader = broken
    first = check.run(wib(10, 7, 0))
    # Then the Asisten's digest is neither sent nor claimed, and the run is incomplete
    assert not first.complete
    assert "ASISTEN_PEM" not in {d.to for d in first.digests}
    assert first.withheld == ["ASISTEN_PEM"]
    assert first.summary()["withheld_escalations"] == ["ASISTEN_PEM"]
    pemerintahan = "asisten.pemerintahan@pendopo.example"
    assert [m for m in outbox() if m.destinations["ToAddresses"] == [pemerintahan]] == []
    # When the read recovers and the run is retried
    broken.down = False
    clock.advance(timedelta(minutes=1))
    retry = check.run(wib(10, 7, 0))
    # Then the Asisten gets one digest with both units' escalations, and the run is complete
    assert retry.complete and retry.withheld == []
    (escalation,) = [m for m in outbox() if m.destinations["ToAddresses"] == [pemerintahan]]
    assert "Biro Pemerintahan" in escalation.body and "Biro ORB" in escalation.body
    assert escalation.subject.startswith("[Pendopo] Eskalasi 10 Jun 2025: 5 pengaduan")


def test_the_reader_carries_the_reporters_anonymity_and_confidentiality(dynamodb: Any) -> None:
    # Given three open complaints: plain, anonymous, confidential (as the store writes them)
    items = [raw_item(Spec(n, "BIRO_PLH", wib(6), wib(9))) for n in (1, 2, 3)]
    items[1]["reporter"]["M"]["anonymous"] = {"BOOL": True}
    items[2]["reporter"]["M"]["confidential"] = {"BOOL": True}
    write(dynamodb, TEST_TABLE, items)
    found = OpenComplaintReader().due_by("BIRO_PLH", wib(10))
    flags = sorted((c.anonymous, c.confidential) for c in found)
    assert flags == [(False, False), (False, True), (True, False)]
    # reading only those two flags of the reporter, not the name or the phone
    read = ComplaintItem.open_by_due.query(
        "BIRO_PLH", OpenByDueIndex.due_at <= "2025-06-09T03:00:00Z", attributes_to_get=_ATTRIBUTES
    )
    assert [set(item.reporter.as_dict()) for item in read] == [{"anonymous", "confidential"}] * 3
    # and the digest to the unit's coordinators shows only the plain one's title
    plan = service(FixedClock(wib(10))).plan(wib(10))
    (digest,) = plan.unit_digests
    assert sorted(x.title is None for x in digest.overdue) == [False, True, True]

"""The monthly recap on moto (DynamoDB, S3, SES): a month with known data, every figure.

Given complaints made through the real intake and officer handlers with the clock
pinned at each step (month edges in WIB, a follow-up exactly at its deadline, a
re-route in and one out, results sent back at validation), when the recap runs as
the schedule runs it (the 5th, 07:00 WIB), then every figure is exact, the CSV and
XLSX totals equal the HTML's, and a second run sends no email twice.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import boto3
import openpyxl
import pytest

from pendopo.domain.clock import WIB, FixedClock
from pendopo.domain.recap import RecapMonth
from tests.support.citizen import NAME, NIK
from tests.support.mail import SENDER
from tests.support.officers import PK_COORDINATOR as PK
from tests.support.officers import PLH_COORDINATOR as PLH
from tests.support.officers import VERIFIER
from tests.support.recap import BUCKET, Desk, recipients_of, run, sent_messages, wib

JUNE = RecapMonth(2025, 6)
RESULT = {"result": "Jalan sudah ditambal oleh Dinas Bina Marga, foto terlampir."}
RETURN = {"reason": "Foto bukti belum dilampirkan."}


@pytest.fixture
def aws(dynamodb: Any) -> Iterator[dict[str, Any]]:
    """moto's S3 bucket and SES sender, in the same mock as the table."""
    s3 = boto3.client("s3", region_name="ap-southeast-3")
    s3.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"}
    )
    boto3.client("ses", region_name="ap-southeast-3").verify_email_identity(EmailAddress=SENDER)
    yield {"s3": s3, "ses": boto3.client("sesv2", region_name="ap-southeast-3")}


@pytest.fixture
def recap(aws: dict[str, Any], clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The recap function's module, its service on moto with the test clock."""
    monkeypatch.setenv("SES_SENDER", SENDER)
    monkeypatch.setenv("FILES_BUCKET", BUCKET)
    from functions.monthly_recap import app
    from pendopo.runtime.settings import Settings

    settings = Settings.from_env()
    service = app.build_service(
        settings,
        bucket=BUCKET,
        clock=clock,
        ses_client=aws["ses"],
        s3_client=aws["s3"],
    )
    monkeypatch.setattr(app, "service", service)
    return app


def build_june(desk: Desk) -> dict[str, str]:
    """The month of the test; comments give each complaint's part in the figures."""
    t: dict[str, str] = {}
    # Outside June on both sides: 31 May 23:59 WIB and 1 July 00:00 WIB.
    t["may"] = desk.submit(wib("05-31", "23:59"), "ROAD")
    t["july"] = desk.submit(wib("07-01", "00:00"), "ROAD")
    # P1: 1 June 00:00 WIB (a Sunday: outside hours); the result exactly at the deadline.
    t["p1"] = desk.submit(wib("06-01", "00:00"), "ROAD")
    desk.act(wib("06-01", "01:00"), t["p1"], "verify", VERIFIER)
    desk.act(wib("06-01", "02:00"), t["p1"], "disposition", PLH, {"agency": "BINA_MARGA"})
    desk.act(wib("06-04", "00:00"), t["p1"], "follow-up", PLH, RESULT)  # due 06-04 00:00
    desk.act(wib("06-04", "08:00"), t["p1"], "accept", VERIFIER)
    # P2: Tuesday 08:00 (desk hours); the result one minute late, sent back, sent again.
    t["p2"] = desk.submit(wib("06-10", "08:00"), "ROAD")
    desk.act(wib("06-10", "09:00"), t["p2"], "verify", VERIFIER)
    desk.act(wib("06-10", "10:00"), t["p2"], "disposition", PLH, {"agency": "BINA_MARGA"})
    desk.act(wib("06-13", "08:01"), t["p2"], "follow-up", PLH, RESULT)
    desk.act(wib("06-14", "08:00"), t["p2"], "return", VERIFIER, RETURN)
    desk.act(wib("06-15", "08:00"), t["p2"], "follow-up", PLH, RESULT)
    # P3: web, Friday 10:00, filed under Biro PK's parking, re-routed to Biro PLH; never
    # followed up: open and overdue at the month end (due 06-23 10:00).
    t["p3"] = desk.submit(wib("06-20", "10:00"), "PARKING", channel="web")
    desk.act(
        wib("06-20", "11:00"),
        t["p3"],
        "reroute",
        VERIFIER,
        {"category": "STREET_LIGHTING", "reason": "Lampu jalan, bukan parkir."},
    )
    # P4: the last day at 23:59 WIB; verified, dispositioned and followed up in July:
    # waiting at the month end, no agency, no result.
    t["p4"] = desk.submit(wib("06-30", "23:59"), "ROAD")
    desk.act(wib("07-01", "09:00"), t["p4"], "verify", VERIFIER)
    desk.act(wib("07-01", "10:00"), t["p4"], "disposition", PLH, {"agency": "BINA_MARGA"})
    desk.act(wib("07-02", "10:00"), t["p4"], "follow-up", PLH, RESULT)
    # P5: web, rejected at verification.
    t["p5"] = desk.submit(wib("06-05", "12:00"), "STREET_LIGHTING", channel="web")
    desk.act(wib("06-05", "13:00"), t["p5"], "reject", VERIFIER, {"reason": "Bukan wilayah DKI."})
    # P6: Thursday 09:00; a result in 24 h, sent back twice: TL Ditolak (overdue) at month end.
    t["p6"] = desk.submit(wib("06-12", "09:00"), "ROAD")
    desk.act(wib("06-12", "09:30"), t["p6"], "verify", VERIFIER)
    desk.act(wib("06-12", "10:00"), t["p6"], "disposition", PLH, {"agency": "BINA_MARGA"})
    desk.act(wib("06-13", "09:00"), t["p6"], "follow-up", PLH, RESULT)
    desk.act(wib("06-13", "10:00"), t["p6"], "return", VERIFIER, RETURN)
    desk.act(wib("06-13", "11:00"), t["p6"], "follow-up", PLH, RESULT)
    desk.act(wib("06-13", "12:00"), t["p6"], "return", VERIFIER, RETURN)
    # P7 (Biro PK): untouched. P8: filed with Biro PLH, re-routed out to Biro PK.
    t["p7"] = desk.submit(wib("06-16", "08:00"), "PARKING")
    t["p8"] = desk.submit(wib("06-17", "08:00"), "ROAD")
    desk.act(
        wib("06-17", "09:00"),
        t["p8"],
        "reroute",
        VERIFIER,
        {"category": "PARKING", "reason": "Soal parkir liar, bukan jalan."},
    )
    return t


@pytest.fixture
def june(intake: Any, route: Any, clock: FixedClock) -> dict[str, str]:
    return build_june(Desk(intake, route, clock))


def get(aws: dict[str, Any], key: str) -> bytes:
    body: bytes = aws["s3"].get_object(Bucket=BUCKET, Key=key)["Body"].read()
    return body


def figures_in(html: str) -> dict[str, str]:
    """The data-figure values of a report (the first of each: the tiles repeat them)."""
    found: dict[str, str] = {}
    for name, value in re.findall(r'data-figure="(\w+)">([^<]*)<', html):
        found.setdefault(name, value.strip())
    return found


def breakdown_in(html: str, name: str) -> dict[str, int]:
    table = re.search(rf'data-breakdown="{name}">(.*?)</table>', html, re.S)
    assert table, name
    return {code: int(n) for code, n in re.findall(r'data-code="(\w*)">(\d+)<', table.group(1))}


# ------------------------------------------------------------------------- tests


def test_every_figure_of_a_known_month(
    june: dict[str, str], recap: Any, aws: dict[str, Any], clock: FixedClock
) -> None:
    body = run(recap, clock)
    assert body["month"] == "2025-06"
    assert body["items_read"] == 8  # P1..P8: the unit_month partitions of June only

    html = get(aws, "recaps/2025-06/rekap-2025-06-BIRO_PLH.html").decode()
    assert figures_in(html) == {
        "received": "6",  # P1..P6 (P8 re-routed out, P3 in; May and July are not June)
        # A result counts only if not sent back at validation before the month end:
        # P6's two results (the first within 24 h) were both sent back, so P6 has none.
        "on_time": "1",  # P1 (exactly at the deadline)
        # Of the 4 that can be judged at the month end: P1 and P2 (a result delivered),
        # P3 and P6 (due within June, no standing result). Not P4 (due 3 July, no result
        # yet: neither on time nor late) nor P5 (rejected at verification).
        "on_time_percent": "(25,0%)",
        "assessed": "4",
        "late": "1",  # P2: its standing result is the resubmission of 06-15 08:00
        "open_at_end": "4",  # P2 (awaiting validation), P3, P4, P6
        "needing_follow_up": "5",
        "overdue_at_end": "2",  # P3, P6 (P2's clock stopped, P4 not yet due)
        "max_overdue": "15 hari 15 jam",  # P6: due 06-15 09:00, month end 07-01 00:00
        "median_to_follow_up": "4 hari",  # P1 72 h, P2 120 h (to its resubmission)
        "p90_to_follow_up": "5 hari",
        "rejected_at_verification": "1",  # P5
        "follow_ups_rejected": "3",  # P2 once, P6 twice
        "complaints_with_rejected_follow_up": "2",
        "outside_hours": "4",  # P1 (Sunday), P3 (10:00), P4 (23:59), P5 (12:00)
        "rerouted_in": "1",  # P3
        # Satisfaction: P1 was Selesai and could be rated; nobody rated (see the test below).
        "finished": "1",
        "rated": "0",
        "response_percent": "0,0%",
        "rating_average": "-",
        "satisfied": "0",
        "satisfied_percent": "-",
        "resolved_yes": "0",
        "resolved_partly": "0",
        "resolved_no": "0",
        "disputed": "0",
        "reopened": "0",
    }
    assert breakdown_in(html, "by_channel") == {"kiosk": 4, "web": 2}
    assert breakdown_in(html, "by_category") == {"ROAD": 4, "STREET_LIGHTING": 2}
    assert breakdown_in(html, "by_agency") == {"BINA_MARGA": 3, "": 3}
    assert breakdown_in(html, "by_status") == {
        "waiting": 1,
        "coordination": 1,
        "awaiting_validation": 1,
        "follow_up_rejected": 1,
        "done": 1,
        "rejected": 1,
    }
    open_list = re.search(r'data-list="open">(.*?)</table>', html, re.S)
    assert open_list
    listed = re.findall(r"<td[^>]*>(\d{4}-\d{4}-\d{4})</td>", open_list.group(1))
    # In due order: P2 (06-13 08:00), P6 (06-15 09:00), P3 (06-23 10:00), P4 (07-03 23:59).
    assert listed == [june["p2"], june["p6"], june["p3"], june["p4"]]
    assert "15 hari 15 jam" in open_list.group(1) and "7 hari 14 jam" in open_list.group(1)
    for ticket in ("may", "july", "p7", "p8"):
        assert june[ticket] not in html

    pk = figures_in(get(aws, "recaps/2025-06/rekap-2025-06-BIRO_PK.html").decode())
    assert (pk["received"], pk["rerouted_in"], pk["open_at_end"]) == ("2", "1", "2")

    consolidated = get(aws, "recaps/2025-06/rekap-2025-06-konsolidasi.html").decode()
    total = figures_in(consolidated)
    assert (total["received"], total["on_time"], total["late"], total["open_at_end"]) == (
        "8",
        "1",
        "1",
        "6",
    )
    # P7 and P8 (Biro PK, due 06-19 and 06-20, no result) are judged too: 4 + 2.
    assert total["assessed"] == "6"

    # The CSV: every complaint of June, one row each; its totals equal the HTML's.
    rows = list(
        csv.DictReader(
            io.StringIO(get(aws, "recaps/2025-06/pengaduan-2025-06.csv").decode("utf-8-sig"))
        )
    )
    assert len(rows) == int(total["received"])
    plh_rows = [r for r in rows if r["Unit"] == "BIRO_PLH"]
    assert len(plh_rows) == 6
    assert sum(r["Tepat waktu"] == "Ya" for r in plh_rows) == 1
    assert sum(r["Tepat waktu"] == "Tidak" for r in plh_rows) == 1
    assert sum(int(r["TL ditolak (kali)"]) for r in plh_rows) == 3
    assert sum(r["Di luar jam layanan"] == "Ya" for r in plh_rows) == 4
    assert sum(r["Ditolak saat verifikasi"] == "Ya" for r in rows) == int(
        total["rejected_at_verification"]
    )
    # No NIK, no name, no email; the phone masked.
    text = get(aws, "recaps/2025-06/pengaduan-2025-06.csv").decode("utf-8-sig")
    assert NIK not in text and NAME not in text and "@" not in text
    assert {r["Telepon pelapor (disamarkan)"] for r in rows} == {"+62*******5432"}

    # The XLSX: the summary's rows and total equal the HTML's, the list the CSV's.
    book = openpyxl.load_workbook(io.BytesIO(get(aws, "recaps/2025-06/rekap-2025-06.xlsx")))
    summary = [list(r) for r in book["Ringkasan"].iter_rows(min_row=4, values_only=True)]
    by_name = {r[0]: r for r in summary if r and r[0]}
    html_total = (
        [int(total[name]) for name in ("received", "on_time")]
        + [16.7]
        + [
            int(total[name])
            for name in (
                "late",
                "open_at_end",
                "overdue_at_end",
                "rejected_at_verification",
                "follow_ups_rejected",
                "outside_hours",
            )
        ]
    )
    assert total["on_time_percent"] == "(16,7%)"  # 1 of the 6 judged
    assert by_name["Jumlah"][1:] == html_total == [8, 1, 16.7, 1, 6, 4, 1, 3, 4]
    plh_name = next(n for n in by_name if "Pembangunan" in str(n))
    assert by_name[plh_name][1:] == [6, 1, 25.0, 1, 4, 2, 1, 3, 4]
    listed_rows = list(book["Pengaduan"].iter_rows(min_row=2, values_only=True))
    assert len(listed_rows) == len(rows)
    assert sorted(r[0] for r in listed_rows) == sorted(r["Tiket"] for r in rows)


def test_two_runs_send_one_email_per_recipient_and_resend_sends_again(
    june: dict[str, str], recap: Any, aws: dict[str, Any], clock: FixedClock
) -> None:
    first = run(recap, clock)
    # 7 unit heads, 4 Asisten, the Sekda.
    assert (first["sent"], first["already_sent"], first["attached"]) == (12, 0, 12)
    once = recipients_of(sent_messages())
    assert len(once) == 12 and set(once.values()) == {1}
    assert "sekda@pendopo.example" in once and "kepala.biro-plh@pendopo.example" in once

    second = run(recap, clock)
    assert (second["sent"], second["already_sent"]) == (0, 12)
    assert recipients_of(sent_messages()) == once  # no second email to anyone

    resent = run(recap, clock, {"month": "2025-06", "resend": True})
    assert resent["sent"] == 12
    assert set(recipients_of(sent_messages()).values()) == {2}


def test_the_emails_attach_the_right_reports(
    june: dict[str, str], recap: Any, aws: dict[str, Any], clock: FixedClock
) -> None:
    run(recap, clock)
    attached: dict[str, list[str]] = {}
    for message in sent_messages():
        parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
        names = [p.get_filename() for p in parsed.walk() if p.get_filename()]
        attached[parsed["To"]] = names
        assert parsed["Subject"].startswith("[Pendopo] Rekap")
    assert attached["kepala.biro-plh@pendopo.example"] == ["rekap-2025-06-BIRO_PLH.html"]
    assert attached["asisten.pembangunan-lh@pendopo.example"] == [
        "rekap-2025-06-ASISTEN_PLH.html",
        "rekap-2025-06-BIRO_PLH.html",
    ]
    assert attached["sekda@pendopo.example"] == [
        "rekap-2025-06-konsolidasi.html",
        "pengaduan-2025-06.csv",
        "rekap-2025-06.xlsx",
    ]


def test_too_big_to_attach_sends_links(
    june: dict[str, str], recap: Any, aws: dict[str, Any], clock: FixedClock
) -> None:
    recap.service._attach_limit = 10  # every report is bigger
    body = run(recap, clock)
    assert (body["attached"], body["linked"]) == (0, 12)
    parsed = email.message_from_string(sent_messages()[0].raw_data, policy=email.policy.default)
    assert not [p for p in parsed.walk() if p.get_filename()]
    text = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
    assert "X-Amz-Expires=604800" in text.get_payload(decode=True).decode()


def test_a_failed_send_is_retried_without_duplicates(
    june: dict[str, str], recap: Any, aws: dict[str, Any], clock: FixedClock
) -> None:
    from pendopo.services.recap import RecapIncomplete

    mailer = recap.service._mailer
    real_send = mailer.send
    calls = {"n": 0}

    def flaky(recipient: str, *args: Any) -> str:
        calls["n"] += 1
        if recipient == "sekda@pendopo.example":
            raise RuntimeError("SES down")
        return str(real_send(recipient, *args))

    mailer.send = flaky
    with pytest.raises(RecapIncomplete):
        run(recap, clock)
    assert len(recipients_of(sent_messages())) == 11
    mailer.send = real_send
    retried = run(recap, clock)
    assert (retried["sent"], retried["already_sent"]) == (1, 11)
    assert set(recipients_of(sent_messages()).values()) == {1}


def test_the_schedule_recaps_the_month_before_its_scheduled_time() -> None:
    from functions.monthly_recap.app import RecapEvent

    # 5 January 07:00 WIB is 4 January 00:00 UTC: December of the year before.
    assert RecapEvent(scheduled_time="2026-01-05T00:00:00Z").recap_month() == RecapMonth(2025, 12)
    # 1 July 06:00 WIB is still 30 June in UTC: the WIB month counts (June).
    assert RecapEvent(scheduled_time="2025-06-30T23:00:00Z").recap_month() == RecapMonth(2025, 6)
    with pytest.raises(ValueError):
        RecapEvent()
    with pytest.raises(ValueError):
        RecapEvent(month="2025-13")


def test_a_month_that_has_not_ended_is_refused_and_keeps_its_emails(
    june: dict[str, str], recap: Any, aws: dict[str, Any], clock: FixedClock
) -> None:
    from pendopo.domain.recap import MonthNotEnded
    from tools.local.events import lambda_context

    # Given 15 July, when someone runs the recap of July (or of September) on demand
    clock.set(wib("07-15", "10:00"))
    for month in ("2025-07", "2025-09"):
        with pytest.raises(MonthNotEnded, match=f"{month} has not ended"):
            recap.lambda_handler({"month": month}, lambda_context("MonthlyRecapFunction"))
    # then nothing is sent, stored or claimed
    assert sent_messages() == []
    assert "Contents" not in aws["s3"].list_objects_v2(Bucket=BUCKET, Prefix="recaps/2025-07/")
    # and the scheduled run on 5 August still sends July's recap to all 12 recipients
    clock.set(datetime(2025, 8, 5, 7, 1, tzinfo=WIB))
    body = recap.lambda_handler(
        {"scheduled_time": "2025-08-05T00:00:00Z"}, lambda_context("MonthlyRecapFunction")
    )
    assert (body["month"], body["sent"], body["already_sent"]) == ("2025-07", 12, 0)
    assert body["items_read"] == 1  # the complaint of 1 July 00:00 WIB


def test_a_partly_failed_resend_repeated_the_same_day_sends_only_what_is_missing(
    june: dict[str, str], recap: Any, aws: dict[str, Any], clock: FixedClock
) -> None:
    from pendopo.services.recap import RecapIncomplete
    from tools.local.events import lambda_context

    resend = {"month": "2025-06", "resend": True}
    context = lambda_context("MonthlyRecapFunction")
    run(recap, clock)  # the scheduled run: 12 emails
    mailer = recap.service._mailer
    real_send = mailer.send

    def sekda_down(recipient: str, *args: Any) -> str:
        if recipient == "sekda@pendopo.example":
            raise RuntimeError("SES down")
        return str(real_send(recipient, *args))

    # Given a resend on 10 July 09:00 WIB that could not reach the Sekda
    mailer.send = sekda_down
    clock.set(wib("07-10", "09:00"))
    with pytest.raises(RecapIncomplete):
        recap.lambda_handler(resend, context)
    mailer.send = real_send
    # when it is repeated that afternoon, then only the Sekda's email goes
    clock.set(wib("07-10", "15:00"))
    again = recap.lambda_handler(resend, context)
    assert (again["sent"], again["already_sent"]) == (1, 11)
    assert set(recipients_of(sent_messages()).values()) == {2}
    # and a resend on another day sends everything again, on purpose
    clock.set(wib("07-11", "09:00"))
    assert recap.lambda_handler(resend, context)["sent"] == 12


def test_no_report_or_email_carries_a_citizen_written_title(
    june: dict[str, str], recap: Any, aws: dict[str, Any], clock: FixedClock
) -> None:
    title = "Lampu jalan mati"  # every complaint of the month was filed with this title
    run(recap, clock)
    objects = aws["s3"].list_objects_v2(Bucket=BUCKET, Prefix="recaps/2025-06/")["Contents"]
    texts = []
    for listed in objects:
        content = get(aws, listed["Key"])
        if listed["Key"].endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(content))
            texts += [str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row]
        else:
            texts.append(content.decode("utf-8-sig"))
    for message in sent_messages():
        parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
        texts += [
            part.get_payload(decode=True).decode("utf-8", "replace")
            for part in parsed.walk()
            if not part.is_multipart()
        ]
    assert len(objects) == 14 and len(texts) > 14
    assert not [text for text in texts if title.lower() in text.lower()]
    # The unit report lists its open complaints by ticket and category instead.
    html = get(aws, "recaps/2025-06/rekap-2025-06-BIRO_PLH.html").decode()
    open_list = re.search(r'data-list="open">(.*?)</table>', html, re.S)
    assert open_list and "<th>Kategori</th>" in open_list.group(1)
    # P2, P6 and P4 are roads; P3 was re-routed to street lighting.
    assert open_list.group(1).count("<td>Jalan rusak / jalan</td>") == 3
    assert open_list.group(1).count("<td>Lampu penerangan jalan umum</td>") == 1


def test_a_re_route_after_the_month_end_leaves_the_month_with_the_unit_that_held_it(
    intake: Any, route: Any, recap: Any, aws: dict[str, Any], clock: FixedClock
) -> None:
    """The reviewer's scenario (issue #5): received 30 June, re-routed on 2 July."""
    from tools.local.events import lambda_context

    desk = Desk(intake, route, clock)
    # R1: 30 June 20:00 WIB, a road (Biro PLH), still waiting at the month end.
    r1 = desk.submit(wib("06-30", "20:00"), "ROAD")
    # R2: 30 June 20:30 WIB, verified and dispositioned to Bina Marga before the end.
    r2 = desk.submit(wib("06-30", "20:30"), "ROAD")
    desk.act(wib("06-30", "21:00"), r2, "verify", VERIFIER)
    desk.act(wib("06-30", "21:30"), r2, "disposition", PLH, {"agency": "BINA_MARGA"})

    def reports() -> dict[str, Any]:
        found: dict[str, Any] = {}
        for unit in ("BIRO_PLH", "BIRO_PK"):
            html = get(aws, f"recaps/2025-06/rekap-2025-06-{unit}.html").decode()
            open_list = re.search(r'data-list="open">(.*?)</table>', html, re.S)
            has_rows = 'data-breakdown="by_agency"' in html  # no tables for an empty unit
            found[unit] = (
                figures_in(html),
                breakdown_in(html, "by_agency") if has_rows else {},
                breakdown_in(html, "by_status") if has_rows else {},
                re.findall(r"<td[^>]*>(\d{4}-\d{4}-\d{4})</td>", open_list.group(1))
                if open_list
                else [],
            )
        return found

    # Given the recap of June run on demand on 1 July, before any re-route
    clock.set(wib("07-01", "08:00"))
    before = recap.lambda_handler({"month": "2025-06"}, lambda_context("MonthlyRecapFunction"))
    assert before["items_read"] == 2
    first = reports()
    # when the verifier re-routes both to a Biro PK category on 2 July
    for ticket, hhmm in ((r1, "09:00"), (r2, "10:00")):
        desk.act(
            wib("07-02", hhmm),
            ticket,
            "reroute",
            VERIFIER,
            {"category": "PARKING", "reason": "Soal parkir liar, bukan jalan."},
        )
    # then the scheduled run on 5 July reads them from Biro PK's partition ...
    body = run(recap, clock)
    assert body["items_read"] == 2
    # ... and counts them where they were at the month end: Biro PLH, R2 with its agency.
    plh, plh_agency, plh_status, plh_open = reports()["BIRO_PLH"]
    assert (plh["received"], plh["rerouted_in"], plh["open_at_end"]) == ("2", "0", "2")
    assert plh_agency == {"BINA_MARGA": 1, "": 1}
    assert (plh_status["waiting"], plh_status["disposition"]) == (1, 1)
    assert plh_open == [r1, r2]
    pk, pk_agency, _, pk_open = reports()["BIRO_PK"]
    assert (pk["received"], pk["rerouted_in"], pk["open_at_end"]) == ("0", "0", "0")
    assert pk_open == [] and pk_agency == {}
    # The re-run after the re-route gives the same figures as the run before it.
    assert reports() == first
    rows = list(
        csv.DictReader(
            io.StringIO(get(aws, "recaps/2025-06/pengaduan-2025-06.csv").decode("utf-8-sig"))
        )
    )
    assert {r["Tiket"]: r["Unit"] for r in rows} == {r1: "BIRO_PLH", r2: "BIRO_PLH"}


def build_ratings(desk: Desk) -> dict[str, str]:
    """A June of finished complaints and their reporters' ratings; comments give each part."""
    t: dict[str, str] = {}

    def finished(name: str, day: int, category: str = "ROAD") -> str:
        claims, agency = (PK, "DISHUB") if category == "PARKING" else (PLH, "BINA_MARGA")
        t[name] = ticket = desk.submit(wib(f"06-{day:02d}", "08:00"), category)
        desk.act(wib(f"06-{day:02d}", "09:00"), ticket, "verify", VERIFIER)
        desk.act(wib(f"06-{day:02d}", "10:00"), ticket, "disposition", claims, {"agency": agency})
        desk.act(wib(f"06-{day:02d}", "11:00"), ticket, "follow-up", claims, RESULT)
        desk.act(wib(f"06-{day:02d}", "12:00"), ticket, "accept", VERIFIER)
        return ticket

    # Biro PLH: S1 5 "ya"; S2 4 "sebagian"; S3 2 "tidak", reopened; S4 1 "tidak", not yet
    # answered at the month end (disputed); S5 never rated; S6 rated only in July.
    desk.rate(wib("06-04", "08:00"), finished("s1", 2), 5, "ya")
    desk.rate(wib("06-05", "08:00"), finished("s2", 3), 4, "sebagian")
    desk.rate(wib("06-06", "08:00"), finished("s3", 4), 2, "tidak")
    desk.act(wib("06-07", "08:00"), t["s3"], "reopen", VERIFIER, {"reason": "Belum beres."})
    desk.rate(wib("06-09", "08:00"), finished("s4", 8), 1, "tidak")
    finished("s5", 10)
    desk.rate(wib("07-02", "08:00"), finished("s6", 28), 5, "ya")
    # Biro PK: S7 3 "tidak", kept closed with a note before the month end.
    desk.rate(wib("06-11", "08:00"), finished("s7", 9, "PARKING"), 3, "tidak")
    desk.act(wib("06-12", "08:00"), t["s7"], "keep-closed", VERIFIER, {"note": "Sudah sesuai."})
    return t


def test_the_satisfaction_figures_of_a_known_month(
    intake: Any, route: Any, recap: Any, aws: dict[str, Any], clock: FixedClock
) -> None:
    t = build_ratings(Desk(intake, route, clock))
    body = run(recap, clock)
    assert body["items_read"] == 7  # the ratings are on the complaints: no other read

    satisfaction = (
        "finished",
        "rated",
        "response_percent",
        "rating_average",
        "satisfied",
        "satisfied_percent",
        "resolved_yes",
        "resolved_partly",
        "resolved_no",
        "disputed",
        "reopened",
    )

    def shown(key: str) -> dict[str, str]:
        found = figures_in(get(aws, f"recaps/2025-06/{key}").decode())
        return {name: found[name] for name in satisfaction}

    # Biro PLH: S1..S6 finished in June (S3's result was accepted before its reopening);
    # rated S1..S4 (S6 only in July): 12 / 4 = 3.0; satisfied S1, S2.
    assert shown("rekap-2025-06-BIRO_PLH.html") == {
        "finished": "6",
        "rated": "4",
        "response_percent": "66,7%",
        "rating_average": "3,0",
        "satisfied": "2",
        "satisfied_percent": "50,0%",
        "resolved_yes": "1",
        "resolved_partly": "1",
        "resolved_no": "2",
        "disputed": "1",  # S4 (S3 was reopened)
        "reopened": "1",  # S3
    }
    assert shown("rekap-2025-06-BIRO_PK.html") == {
        "finished": "1",
        "rated": "1",
        "response_percent": "100,0%",
        "rating_average": "3,0",
        "satisfied": "0",
        "satisfied_percent": "0,0%",
        "resolved_yes": "0",
        "resolved_partly": "0",
        "resolved_no": "1",
        "disputed": "0",  # kept closed before the month end
        "reopened": "0",
    }
    total = {
        "finished": "7",
        "rated": "5",
        "response_percent": "71,4%",
        "rating_average": "3,0",
        "satisfied": "2",
        "satisfied_percent": "40,0%",
        "resolved_yes": "1",
        "resolved_partly": "1",
        "resolved_no": "3",
        "disputed": "1",
        "reopened": "1",
    }
    assert shown("rekap-2025-06-konsolidasi.html") == total
    # An Asisten's summary: Biro PLH's figures (its only unit with complaints).
    assert shown("rekap-2025-06-ASISTEN_PLH.html")["rated"] == "4"

    # The CSV: one row per complaint; its ratings add up to the HTML's.
    text = get(aws, "recaps/2025-06/pengaduan-2025-06.csv").decode("utf-8-sig")
    rows = {r["Tiket"]: r for r in csv.DictReader(io.StringIO(text))}
    assert [rows[t[n]]["Penilaian pelapor (1-5)"] for n in sorted(t)] == [
        "5",
        "4",
        "2",
        "1",
        "",
        "",  # S6: rated after the month end
        "3",
    ]
    assert [rows[t[n]]["Selesai menurut pelapor"] for n in ("s1", "s2", "s3", "s7")] == [
        "ya",
        "sebagian",
        "tidak",
        "tidak",
    ]
    assert [n for n in sorted(t) if rows[t[n]]["Disanggah di akhir bulan"] == "Ya"] == ["s4"]
    assert [n for n in sorted(t) if rows[t[n]]["Dibuka kembali"] == "Ya"] == ["s3"]

    # The XLSX: the Kepuasan sheet's rows equal the HTML's.
    book = openpyxl.load_workbook(io.BytesIO(get(aws, "recaps/2025-06/rekap-2025-06.xlsx")))
    sheet = {r[0]: list(r[1:]) for r in book["Kepuasan"].iter_rows(min_row=2, values_only=True)}
    assert sheet["Jumlah"] == [7, 5, 71.4, 3.0, 2, 40.0, 1, 1, 3, 1, 1]
    plh_name = next(n for n in sheet if "Pembangunan" in str(n))
    assert sheet[plh_name] == [6, 4, 66.7, 3.0, 2, 50.0, 1, 1, 2, 1, 1]
    assert sheet["Biro Perekonomian dan Keuangan"] == [1, 1, 100.0, 3.0, 0, 0.0, 0, 0, 1, 0, 0]
    nobody = next(n for n in sheet if "Kesejahteraan" in str(n))
    assert sheet[nobody] == [0, 0, None, None, 0, None, 0, 0, 0, 0, 0]

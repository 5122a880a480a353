"""The live figures (issue #19) on moto: a month built through the real handlers, the
table's stream fed to the aggregator, and the dashboard's month figures equal to the
monthly recap's, figure by figure; replays and crashes change nothing; the backfill
builds the same counters; a dashboard answer is one Query per unit.

The month (June 2025, read on 5 July as the recap is) has the recap's hard cases:
complaints at both month edges, a result exactly at its deadline, a late one, results
sent back (one resubmitted, one not), a re-route in and one out, one re-routed after the
month end, a rejection at verification, results and ratings after the month end, a
disputed rating, and a reopening.
"""

from __future__ import annotations

from typing import Any

import pytest

from pendopo.domain.clock import FixedClock
from pendopo.domain.recap import RecapMonth
from pendopo.domain.stats import parse_period
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.services.stats import StatsService
from tests.support.officers import PLH_COORDINATOR as PLH
from tests.support.officers import VERIFIER
from tests.support.recap import SCHEDULED, Desk, wib
from tests.support.stats import (
    audit_records,
    dashboard_figures,
    deliver,
    recap_figures,
    recap_of,
)

JUNE = RecapMonth(2025, 6)
RESULT = {"result": "Jalan sudah ditambal oleh Dinas Bina Marga, foto terlampir."}
RETURN = {"reason": "Foto bukti belum dilampirkan."}
TAXONOMY = load_taxonomy()


@pytest.fixture
def aggregate(dynamodb: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Any:
    from functions.aggregate import app

    monkeypatch.setattr(app, "service", StatsService(TAXONOMY, clock))
    return app


def build_june(desk: Desk) -> dict[str, str]:
    t: dict[str, str] = {}
    t["may"] = desk.submit(wib("05-31", "23:59"), "ROAD")
    t["july"] = desk.submit(wib("07-01", "00:00"), "ROAD")
    # P1: the result exactly at its deadline, accepted, rated 5 "ya" in June.
    t["p1"] = desk.submit(wib("06-01", "00:00"), "ROAD")
    desk.act(wib("06-01", "01:00"), t["p1"], "verify", VERIFIER)
    desk.act(wib("06-01", "02:00"), t["p1"], "disposition", PLH, {"agency": "BINA_MARGA"})
    desk.act(wib("06-04", "00:00"), t["p1"], "follow-up", PLH, RESULT)
    desk.act(wib("06-04", "08:00"), t["p1"], "accept", VERIFIER)
    desk.rate(wib("06-05", "08:00"), t["p1"], 5, "ya")
    # P2: late, sent back, sent again; still awaiting validation at the month end.
    t["p2"] = desk.submit(wib("06-10", "08:00"), "ROAD")
    desk.act(wib("06-10", "09:00"), t["p2"], "verify", VERIFIER)
    desk.act(wib("06-10", "10:00"), t["p2"], "disposition", PLH, {"agency": "BINA_MARGA"})
    desk.act(wib("06-13", "08:01"), t["p2"], "follow-up", PLH, RESULT)
    desk.act(wib("06-14", "08:00"), t["p2"], "return", VERIFIER, RETURN)
    desk.act(wib("06-15", "08:00"), t["p2"], "follow-up", PLH, RESULT)
    # P3: filed with Biro PK, re-routed in; never followed up: overdue at the month end.
    t["p3"] = desk.submit(wib("06-20", "10:00"), "PARKING", channel="web")
    desk.act(
        wib("06-20", "11:00"),
        t["p3"],
        "reroute",
        VERIFIER,
        {"category": "STREET_LIGHTING", "reason": "Lampu jalan, bukan parkir."},
    )
    # P4: the last minute of June; everything after it happens in July.
    t["p4"] = desk.submit(wib("06-30", "23:59"), "ROAD")
    desk.act(wib("07-01", "09:00"), t["p4"], "verify", VERIFIER)
    desk.act(wib("07-01", "10:00"), t["p4"], "disposition", PLH, {"agency": "BINA_MARGA"})
    desk.act(wib("07-02", "10:00"), t["p4"], "follow-up", PLH, RESULT)
    # P5: rejected at verification.
    t["p5"] = desk.submit(wib("06-05", "12:00"), "STREET_LIGHTING", channel="web")
    desk.act(wib("06-05", "13:00"), t["p5"], "reject", VERIFIER, {"reason": "Bukan wilayah DKI."})
    # P6: results sent back twice: TL Ditolak (overdue) at the month end.
    t["p6"] = desk.submit(wib("06-12", "09:00"), "ROAD")
    desk.act(wib("06-12", "09:30"), t["p6"], "verify", VERIFIER)
    desk.act(wib("06-12", "10:00"), t["p6"], "disposition", PLH, {"agency": "BINA_MARGA"})
    desk.act(wib("06-13", "09:00"), t["p6"], "follow-up", PLH, RESULT)
    desk.act(wib("06-13", "10:00"), t["p6"], "return", VERIFIER, RETURN)
    desk.act(wib("06-13", "11:00"), t["p6"], "follow-up", PLH, RESULT)
    desk.act(wib("06-13", "12:00"), t["p6"], "return", VERIFIER, RETURN)
    # P7 (Biro PK): untouched. P8: re-routed out of Biro PLH to Biro PK.
    t["p7"] = desk.submit(wib("06-16", "08:00"), "PARKING")
    t["p8"] = desk.submit(wib("06-17", "08:00"), "ROAD")
    desk.act(
        wib("06-17", "09:00"),
        t["p8"],
        "reroute",
        VERIFIER,
        {"category": "PARKING", "reason": "Soal parkir liar, bukan jalan."},
    )
    # P9: Selesai in June, rated "tidak" (disputed) in June, reopened in June.
    t["p9"] = desk.submit(wib("06-02", "08:00"), "ROAD")
    desk.act(wib("06-02", "09:00"), t["p9"], "verify", VERIFIER)
    desk.act(wib("06-02", "10:00"), t["p9"], "disposition", PLH, {"agency": "BINA_MARGA"})
    desk.act(wib("06-03", "10:00"), t["p9"], "follow-up", PLH, RESULT)
    desk.act(wib("06-03", "12:00"), t["p9"], "accept", VERIFIER)
    desk.rate(wib("06-04", "12:00"), t["p9"], 2, "tidak")
    desk.act(wib("06-05", "09:00"), t["p9"], "reopen", VERIFIER, {"reason": "Lubang masih ada."})
    # P10: Selesai in June, rated 4 "sebagian" only in July (not in June's figures);
    # P11: Selesai in June, rated "tidak" on 29 June, no verifier's answer: disputed.
    t["p10"] = desk.submit(wib("06-03", "08:00"), "ROAD", channel="web")
    t["p11"] = desk.submit(wib("06-03", "08:30"), "ROAD")
    for key in ("p10", "p11"):
        desk.act(wib("06-03", "09:00"), t[key], "verify", VERIFIER)
        desk.act(wib("06-03", "10:00"), t[key], "disposition", PLH, {"agency": "BINA_MARGA"})
        desk.act(wib("06-04", "10:00"), t[key], "follow-up", PLH, RESULT)
        desk.act(wib("06-04", "11:00"), t[key], "accept", VERIFIER)
    desk.rate(wib("06-29", "10:00"), t["p11"], 1, "tidak")
    desk.rate(wib("07-03", "10:00"), t["p10"], 4, "sebagian")
    # P12: Biro PLH at the month end, re-routed to Biro PK on 2 July: June keeps it at PLH.
    t["p12"] = desk.submit(wib("06-25", "08:00"), "ROAD")
    desk.act(
        wib("07-02", "09:00"),
        t["p12"],
        "reroute",
        VERIFIER,
        {"category": "PARKING", "reason": "Soal parkir liar, bukan jalan."},
    )
    return t


@pytest.fixture
def june(intake: Any, route: Any, clock: FixedClock) -> dict[str, str]:
    return build_june(Desk(intake, route, clock))


def answer(service: StatsService, period: str, units: list[str] | None = None) -> dict[str, Any]:
    return service.answer(parse_period(period, service.clock.now()), units or list(TAXONOMY.units))


def counters(dynamodb: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """Every counter item of the table, by key (the test reads the whole small table)."""
    items = dynamodb.scan(TableName="pendopo-test-complaints")["Items"]
    return {
        (i["pk"]["S"], i["sk"]["S"]): {k: v for k, v in i.items() if k not in ("pk", "sk")}
        for i in items
        if i["pk"]["S"].startswith("STATS#")
    }


@pytest.fixture
def fed(june: dict[str, str], aggregate: Any, stream: Any, clock: FixedClock) -> list[Any]:
    """The month's audit events delivered once to the aggregator, as Lambda would."""
    records = audit_records(stream)
    assert deliver(aggregate, records, stream) == {"batchItemFailures": []}
    clock.set(SCHEDULED)
    return records


# ------------------------------------------------------------------------- tests


def test_the_month_figures_equal_the_recap_figure_by_figure(fed: list[Any], aggregate: Any) -> None:
    # Given June built through the handlers and its events counted from the stream
    # When the dashboard answers for 2025-06 on 5 July, and the recap runs on the same data
    recap = recap_of(JUNE, TAXONOMY)
    shown = answer(aggregate.service, "2025-06")
    # Then the total, every Asisten's and every unit's figures are the recap's
    assert shown["period"]["complete"] is True
    assert dashboard_figures(shown["total"]) == recap_figures(recap.figures)
    for asisten in recap.asisten:
        mine = next(a for a in shown["asisten"] if a["code"] == asisten.code)
        assert dashboard_figures(mine["figures"]) == recap_figures(asisten.figures), asisten.code
    for unit in recap.units:
        mine = next(u for u in shown["units"] if u["code"] == unit.unit)
        assert dashboard_figures(mine["figures"]) == recap_figures(unit.figures), unit.unit
    # And the month has what it was built for (not all zeros)
    plh = recap_figures(next(u for u in recap.units if u.unit == "BIRO_PLH").figures)
    assert plh["received"] == 10
    assert plh["overdue"] >= 2 and plh["follow_ups_returned"] == 3
    assert plh["satisfaction"]["rated"] == 3 and plh["satisfaction"]["disputed"] == 1
    assert plh["satisfaction"]["reopened"] == 1
    assert plh["within_3_days"] >= 1 and plh["median_hours_to_follow_up"] is not None


def test_a_batch_delivered_twice_changes_nothing(
    fed: list[Any], aggregate: Any, stream: Any, dynamodb: Any
) -> None:
    before = counters(dynamodb)
    assert before
    # When the same batch comes again (Lambda's at-least-once delivery)
    assert deliver(aggregate, fed, stream) == {"batchItemFailures": []}
    # Then not one counter moved
    assert counters(dynamodb) == before


def test_a_crash_mid_batch_then_the_retry_gives_the_clean_counters(
    june: dict[str, str],
    aggregate: Any,
    stream: Any,
    dynamodb: Any,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = audit_records(stream)
    service = aggregate.service
    original = service.store.apply
    calls = {"n": 0}

    def crashing(*args: Any, **kwargs: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 5:  # one complaint in five is counted at once: mid-batch
            raise ConnectionError("the table did not answer")
        return original(*args, **kwargs)

    # Given the aggregator dies half-way through the batch
    monkeypatch.setattr(service.store, "apply", crashing)
    first = deliver(aggregate, records, stream)
    failed = {f["itemIdentifier"] for f in first["batchItemFailures"]}
    assert failed
    # When Lambda retries from the first failed record on (the rest of the batch again)
    retry = [r for r in records if r["dynamodb"]["SequenceNumber"] in failed]
    assert deliver(aggregate, retry, stream) == {"batchItemFailures": []}
    # And the whole batch once more for good measure
    assert deliver(aggregate, records, stream) == {"batchItemFailures": []}
    crashed = counters(dynamodb)
    # Then the counters are those of the backfill from scratch (a clean run)
    monkeypatch.setattr(service.store, "apply", original)
    for pk, sk in list(crashed):
        dynamodb.delete_item(
            TableName="pendopo-test-complaints", Key={"pk": {"S": pk}, "sk": {"S": sk}}
        )
    for ticket in june.values():
        dynamodb.delete_item(
            TableName="pendopo-test-complaints",
            Key={"pk": {"S": f"C#{ticket}"}, "sk": {"S": "STATS"}},
        )
    assert deliver(aggregate, records, stream) == {"batchItemFailures": []}
    assert counters(dynamodb) == crashed


def test_the_backfill_builds_the_counters_the_stream_built_and_is_idempotent(
    fed: list[Any], aggregate: Any, dynamodb: Any, june: dict[str, str]
) -> None:
    streamed = counters(dynamodb)
    # Given the counters and ledgers gone (a first deploy)
    for pk, sk in streamed:
        dynamodb.delete_item(
            TableName="pendopo-test-complaints", Key={"pk": {"S": pk}, "sk": {"S": sk}}
        )
    for ticket in june.values():
        dynamodb.delete_item(
            TableName="pendopo-test-complaints",
            Key={"pk": {"S": f"C#{ticket}"}, "sk": {"S": "STATS"}},
        )
    lines: list[str] = []
    # When the backfill runs for May to July
    months = [RecapMonth(2025, 5), JUNE, RecapMonth(2025, 7)]
    totals = aggregate.service.rebuild(months, lines.append)
    # Then it built exactly what the stream had built, and said what it did
    assert totals["complaints"] == len(june)
    assert counters(dynamodb) == streamed
    assert len(lines) == 3 * len(TAXONOMY.units)
    # And a second run changes nothing
    again = aggregate.service.rebuild(months, lines.append)
    assert again["applied"] == 0
    assert counters(dynamodb) == streamed


def test_an_answer_is_one_query_per_unit(fed: list[Any], aggregate: Any) -> None:
    from tests.support.stats import count_calls

    for period in ("today", "7d", "30d", "2025-06", "2025-07"):
        with count_calls() as calls:
            answer(aggregate.service, period)
        assert dict(calls) == {"Query": len(TAXONOMY.units)}, period
    with count_calls() as calls:
        answer(aggregate.service, "30d", ["BIRO_PLH"])
    assert dict(calls) == {"Query": 1}


def test_the_rolling_figures_and_the_trend(
    fed: list[Any], aggregate: Any, clock: FixedClock
) -> None:
    # On 5 July 07:00 WIB: the last 7 days hold P4 (30 June) ... no: 29 June - 5 July
    shown = answer(aggregate.service, "7d")
    assert shown["period"] == {
        "code": "7d",
        "label": "7 hari terakhir",
        "from": "2025-06-29",
        "to": "2025-07-05",
        "complete": False,
    }
    # P4 (30 June) and "july" (1 July 00:00) were received in those days
    assert shown["total"]["received"] == 2
    assert len(shown["trend"]) == 90
    assert shown["trend"][-1]["date"] == "2025-07-05"
    by_day = {row["date"]: row for row in shown["trend"]}
    assert by_day["2025-06-01"]["received"] == 1
    # Selesai now: P1 (08:00), P10 and P11 (11:00); P9 was reopened
    assert by_day["2025-06-04"]["completed"] == 3


def test_the_rebuild_command_prints_its_progress_and_changes_nothing_on_counted_data(
    fed: list[Any], dynamodb: Any
) -> None:
    import io

    from tools.ops import admin

    before = counters(dynamodb)
    out = io.StringIO()
    args = admin.build_parser().parse_args(
        [
            "rebuild-stats",
            "--from",
            "2025-06",
            "--to",
            "2025-07",
            "--stage",
            "dev",
            "--table",
            "pendopo-test-complaints",
        ]
    )
    admin.run(args, out=out)
    printed = out.getvalue()
    # (the unit_month partitions hold each complaint under its current unit: P12 is at PK)
    assert "2025-06 BIRO_PLH: 9 complaints, 0 counted anew, 9 unchanged" in printed
    assert "Selesai: 13 pengaduan dibaca, 0 dihitung ulang, 13 sudah benar." in printed
    assert counters(dynamodb) == before
    assert admin.main(["rebuild-stats", "--from", "2025-07", "--to", "2025-06", "--local"]) == 2

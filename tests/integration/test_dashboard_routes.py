"""The live figures' routes (issue #19): the public statistics and the officers' dashboard.

Given complaints made through intake and officer handlers and their audit events fed
from the stream to the aggregator, when the routes are called as API Gateway calls
them, then: the public answer is aggregates of every unit, cacheable 5 minutes; a bad
or future period is a 422 in Bahasa Indonesia; a coordinator sees only their unit (a
403 for another), a verifier and an admin every unit, an intake officer a 403.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pendopo.domain.clock import FixedClock
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.services.stats import StatsService
from tests.support.handlers import call, officer_claims
from tests.support.officers import ADMIN, PLH_COORDINATOR, PLH_OFFICER, VERIFIER, new_complaint
from tests.support.stats import audit_records, deliver

TAXONOMY = load_taxonomy()
DASHBOARD = "/v1/officer/dashboard"


@pytest.fixture
def counted(
    intake: Any, route: Any, stream: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Three complaints (two Biro PLH, one Biro PK) counted by the aggregator."""
    from functions.aggregate import app as aggregate

    service = StatsService(TAXONOMY, clock)
    for module in (aggregate, intake, route):
        monkeypatch.setattr(module, "statistics" if module is not aggregate else "service", service)
    tickets = [
        new_complaint(intake, key="stats-key-0001"),
        new_complaint(intake, key="stats-key-0002", channel="web"),
        new_complaint(intake, key="stats-key-0003", category="PARKING"),
    ]
    assert deliver(aggregate, audit_records(stream), stream) == {"batchItemFailures": []}
    return tickets


def test_the_public_statistics_are_aggregates_of_every_unit_cached_5_minutes(
    counted: list[str], intake: Any
) -> None:
    answer = call(intake, "GET", "/v1/statistics", query="period=today")
    assert answer.status == 200, answer.body
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    body = answer.body
    assert body["period"]["code"] == "today" and body["period"]["complete"] is False
    assert body["total"]["received"] == 3 and body["total"]["open"] == 3
    assert [u["code"] for u in body["units"]] == list(TAXONOMY.units)
    assert {
        u["code"]: u["figures"]["received"] for u in body["units"] if u["figures"]["received"]
    } == {
        "BIRO_PLH": 2,
        "BIRO_PK": 1,
    }
    assert len(body["asisten"]) == len(TAXONOMY.asisten)
    channels = {c["code"]: c["count"] for c in body["total"]["by_channel"]}
    assert channels["kiosk"] == 2 and channels["web"] == 1
    assert len(body["trend"]) == 90 and body["trend"][-1]["received"] == 3
    # No ticket, title or name anywhere in the answer
    text = json.dumps(answer.body)
    assert not any(ticket in text for ticket in counted)
    # The default period is 30 days
    assert call(intake, "GET", "/v1/statistics").body["period"]["code"] == "30d"


@pytest.mark.parametrize("period", ["kemarin", "2025-13", "99d", "2025-6"])
def test_an_unknown_period_is_a_422_in_indonesian(intake: Any, period: str) -> None:
    answer = call(intake, "GET", "/v1/statistics", query=f"period={period}")
    assert answer.status == 422
    assert "Periode tidak dikenal" in answer.body["message"]


def test_a_month_not_yet_begun_is_a_422_saying_so(intake: Any, clock: FixedClock) -> None:
    answer = call(intake, "GET", "/v1/statistics", query="period=2099-01")
    assert answer.status == 422
    assert "belum dimulai" in answer.body["message"]


def test_a_coordinator_sees_their_own_unit_only(counted: list[str], route: Any) -> None:
    mine = call(route, "GET", DASHBOARD, claims=PLH_COORDINATOR, query="period=7d")
    assert mine.status == 200, mine.body
    assert [u["code"] for u in mine.body["units"]] == ["BIRO_PLH"]
    assert [a["code"] for a in mine.body["asisten"]] == [TAXONOMY.units["BIRO_PLH"].asisten]
    assert mine.body["total"]["received"] == 2
    assert set(mine.body["period"]) == {"code", "label", "from", "to", "complete"}
    assert mine.headers["Cache-Control"] == "private, no-store"
    other = call(route, "GET", DASHBOARD, claims=PLH_COORDINATOR, query="unit=BIRO_PK")
    assert other.status == 403
    assert "tidak berwenang" in other.body["message"]


@pytest.mark.parametrize("claims", [VERIFIER, ADMIN], ids=["verifikator", "admin"])
def test_verifiers_and_admins_see_every_unit_or_one(
    counted: list[str], route: Any, claims: dict[str, str]
) -> None:
    every = call(route, "GET", DASHBOARD, claims=claims)
    assert every.status == 200, every.body
    assert [u["code"] for u in every.body["units"]] == list(TAXONOMY.units)
    assert every.body["total"]["received"] == 3
    one = call(route, "GET", DASHBOARD, claims=claims, query="unit=BIRO_PK")
    assert [u["code"] for u in one.body["units"]] == ["BIRO_PK"]
    assert one.body["total"]["received"] == 1


def test_an_intake_officer_has_no_dashboard(route: Any) -> None:
    answer = call(route, "GET", DASHBOARD, claims=PLH_OFFICER)
    assert answer.status == 403


def test_a_coordinator_of_an_unknown_unit_is_refused(route: Any) -> None:
    claims = officer_claims("koordinator.x@pendopo.example", "koordinator", "BIRO_PLH")
    answer = call(route, "GET", DASHBOARD, claims=claims, query="unit=NOPE")
    assert answer.status == 403


def test_the_sekda_sees_every_unit_and_an_asisten_only_theirs(
    counted: list[str], route: Any
) -> None:
    sekda = officer_claims("pimpinan.sekda@pendopo.example", "pimpinan", "SEKDA")
    every = call(route, "GET", DASHBOARD, claims=sekda)
    assert every.status == 200, every.body
    assert [u["code"] for u in every.body["units"]] == list(TAXONOMY.units)
    assert every.body["total"]["received"] == 3
    asisten = TAXONOMY.units["BIRO_PLH"].asisten
    theirs = [code for code, unit in TAXONOMY.units.items() if unit.asisten == asisten]
    claims = officer_claims("pimpinan.x@pendopo.example", "pimpinan", asisten)
    mine = call(route, "GET", DASHBOARD, claims=claims)
    assert mine.status == 200, mine.body
    assert [u["code"] for u in mine.body["units"]] == theirs
    assert [a["code"] for a in mine.body["asisten"]] == [asisten]
    assert "BIRO_PK" not in theirs
    outside = call(route, "GET", DASHBOARD, claims=claims, query="unit=BIRO_PK")
    assert outside.status == 403
    # And a leader still gets no complaint
    assert call(route, "GET", "/v1/officer/complaints", claims=claims).status == 403

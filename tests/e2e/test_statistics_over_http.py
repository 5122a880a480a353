"""The live figures over HTTP on the local stack (issue #19), with `make demo`'s data.

Given the demo complaints loaded through the API, one more taken to Selesai and one
rejected by the demo officers, and
the stack's aggregator reading the table's stream in its own poller, when the public
asks GET /v1/statistics (no login) and officers GET /v1/officer/dashboard, then the
public sees every unit's aggregates, cacheable 5 minutes, and the same figures as a
verifier and the Sekda; an Asisten sees their units, a coordinator only their unit,
and another unit is a 403.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from pendopo.domain.taxonomy import load_taxonomy
from tests.support.over_http import (
    WAIT_SECONDS,
    act,
    as_officer,
    finished_at_kiosk,
    poll,
    submit_at_kiosk,
)
from tests.support.stack import RunningStack
from tools.local.demo import DEMO_COMPLAINTS, load_demo

pytestmark = pytest.mark.e2e
TAXONOMY = load_taxonomy()


def public(stack: RunningStack, period: str = "today") -> requests.Response:
    return requests.get(f"{stack.api_url}/v1/statistics", params={"period": period}, timeout=30)


def statistics_until(stack: RunningStack, received: int) -> dict[str, Any]:
    """The public figures of today once at least ``received`` complaints, a delivered result
    and a rejection are counted (or after 10 s). The aggregator runs in the stack's stream
    poller: polling is the only way to know it caught up."""

    def caught_up(body: dict[str, Any]) -> bool:
        total = body["total"]
        return bool(
            total["received"] >= received
            and total["follow_ups_delivered"] >= 1
            and total["rejected_at_verification"] >= 1
        )

    return poll(lambda: dict(public(stack).json()), caught_up, WAIT_SECONDS)


def test_the_public_sees_the_demo_aggregates_and_officers_their_units(
    local_stack: RunningStack,
) -> None:
    api = local_stack.api_url
    # (The demo's own officer steps are left to test_stack_smoke, which counts them: here
    # two complaints of our own are worked, one to Selesai, one rejected.)
    results = load_demo(api)
    finished_at_kiosk(api)
    rejected = submit_at_kiosk(api)
    verifier_headers = as_officer(api, "verifikator", "BIRO_PEM")
    refused = act(api, rejected["ticket"], "reject", verifier_headers, {"reason": "Bukan DKI."})
    assert refused.status_code == 200, refused.text
    shown = statistics_until(local_stack, len(DEMO_COMPLAINTS) + 2)
    assert shown["total"]["received"] >= len(DEMO_COMPLAINTS) + 2
    answer = public(local_stack)
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    assert [u["code"] for u in shown["units"]] == list(TAXONOMY.units)
    assert all(ticket.ticket not in answer.text for ticket in results)
    # A result delivered, a rejection (ours at least)
    assert shown["total"]["follow_ups_delivered"] >= 1
    assert shown["total"]["rejected_at_verification"] >= 1
    assert shown["total"]["open"] < shown["total"]["received"]
    # This month's figures hold today's
    month = public(local_stack, shown["period"]["to"][:7]).json()
    assert month["period"]["complete"] is False
    assert month["total"]["received"] >= shown["total"]["received"]
    # A verifier sees the same figures, every unit
    verifier = requests.get(
        f"{api}/v1/officer/dashboard",
        params={"period": "today"},
        headers=as_officer(api, "verifikator", "BIRO_PEM"),
        timeout=30,
    )
    assert verifier.status_code == 200, verifier.text
    assert verifier.json()["total"] == public(local_stack).json()["total"]
    # A coordinator sees their unit, and a 403 for another
    coordinator = as_officer(api, "koordinator", "BIRO_PLH")
    mine = requests.get(f"{api}/v1/officer/dashboard", headers=coordinator, timeout=30)
    assert mine.status_code == 200, mine.text
    assert [u["code"] for u in mine.json()["units"]] == ["BIRO_PLH"]
    other = requests.get(
        f"{api}/v1/officer/dashboard", params={"unit": "BIRO_PK"}, headers=coordinator, timeout=30
    )
    assert other.status_code == 403
    # The Sekda's demo account sees every unit, an Asisten's only theirs
    sekda = requests.get(
        f"{api}/v1/officer/dashboard",
        params={"period": "today"},
        headers=as_officer(api, "pimpinan", "SEKDA"),
        timeout=30,
    )
    assert sekda.status_code == 200, sekda.text
    assert [u["code"] for u in sekda.json()["units"]] == list(TAXONOMY.units)
    assert sekda.json()["total"] == verifier.json()["total"]
    for asisten in TAXONOMY.asisten:
        theirs = [code for code, unit in TAXONOMY.units.items() if unit.asisten == asisten]
        answer = requests.get(
            f"{api}/v1/officer/dashboard",
            headers=as_officer(api, "pimpinan", asisten),
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        assert [u["code"] for u in answer.json()["units"]] == theirs
    # An intake officer has no dashboard
    petugas = requests.get(
        f"{api}/v1/officer/dashboard", headers=as_officer(api, "petugas", "BIRO_PLH"), timeout=30
    )
    assert petugas.status_code == 403


def test_a_bad_period_is_a_422_over_http(local_stack: RunningStack) -> None:
    answer = public(local_stack, "kemarin")
    assert answer.status_code == 422
    assert "Periode tidak dikenal" in answer.json()["message"]

"""Who sees which units' dashboard: the leader's scope, the coordinator's unit, everyone else.

Given an officer of each role (and a leader of each scope), when the dashboard's units are
asked for, then the answer is exactly the units the role and scope allow, in the
taxonomy's order; an intake officer, or a leader without a known scope, gets a 403 in
Bahasa Indonesia. The leader takes no workflow action in any status.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest

from pendopo.domain.officer import (
    SCOPE_SEKDA,
    DashboardNotAllowed,
    Officer,
    dashboard_units,
    requires_mfa,
)
from pendopo.domain.status import Role, Status, allowed_actions
from pendopo.domain.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
EVERY_UNIT = tuple(TAXONOMY.units)


def _leader(scope: str | None) -> Officer:
    return Officer("pimpinan@pendopo.example", "sub", Role.LEADER, None, scope=scope)


def test_the_sekda_sees_every_unit_in_the_taxonomys_order() -> None:
    assert dashboard_units(_leader(SCOPE_SEKDA), TAXONOMY) == EVERY_UNIT
    assert len(EVERY_UNIT) == 7


@pytest.mark.parametrize(
    ("asisten", "units"),
    [
        ("ASISTEN_PEM", ("BIRO_PEM", "BIRO_ORB")),
        ("ASISTEN_PK", ("BPBUMD", "BIRO_PK")),
        ("ASISTEN_PLH", ("BIRO_PLH",)),
        ("ASISTEN_KESRA", ("BIRO_KESOS", "BIRO_DIKMENTAL")),
    ],
)
def test_an_asisten_sees_exactly_their_units(asisten: str, units: tuple[str, ...]) -> None:
    assert dashboard_units(_leader(asisten), TAXONOMY) == units


def test_the_asisten_scopes_together_cover_every_unit_once() -> None:
    seen = [u for a in TAXONOMY.asisten for u in dashboard_units(_leader(a), TAXONOMY)]
    assert sorted(seen) == sorted(EVERY_UNIT)


def test_a_coordinator_sees_their_own_unit_only() -> None:
    coordinator = Officer("k@pendopo.example", "sub", Role.COORDINATOR, "BIRO_PLH")
    assert dashboard_units(coordinator, TAXONOMY) == ("BIRO_PLH",)


@pytest.mark.parametrize(("role", "unit"), [(Role.VERIFIER, "BIRO_PEM"), (Role.ADMIN, None)])
def test_verifiers_and_admins_see_every_unit(role: Role, unit: str | None) -> None:
    assert dashboard_units(Officer("x@pendopo.example", "sub", role, unit), TAXONOMY) == EVERY_UNIT


@pytest.mark.parametrize(
    ("officer", "words"),
    [
        (Officer("p@pendopo.example", "sub", Role.OFFICER, "BIRO_PLH"), "Dasbor hanya tersedia"),
        (_leader(None), "belum diberi cakupan"),
        (_leader("BIRO_PLH"), "belum diberi cakupan"),
        (_leader("ASISTEN_NONE"), "belum diberi cakupan"),
        (Officer("k@pendopo.example", "sub", Role.COORDINATOR, "BIRO_X"), "tidak dikenal"),
    ],
)
def test_no_dashboard_is_a_403_in_indonesian(officer: Officer, words: str) -> None:
    with pytest.raises(DashboardNotAllowed) as raised:
        dashboard_units(officer, TAXONOMY)
    assert raised.value.status is HTTPStatus.FORBIDDEN
    assert words in raised.value.message


def test_a_leader_takes_no_workflow_action_in_any_status() -> None:
    for status in Status:
        assert allowed_actions(status, Role.LEADER) == []


def test_a_leader_needs_no_second_factor_unless_every_role_does() -> None:
    assert not requires_mfa(Role.LEADER, "privileged")
    assert requires_mfa(Role.LEADER, "all")

"""Reading the officer from the claims the HttpApi JWT authorizer passes on."""

from __future__ import annotations

import pytest

from pendopo.api.identity import groups_of, officer_from_claims
from pendopo.domain.officer import NotAnOfficer, Officer
from pendopo.domain.status import Role

UNITS = {"BIRO_PLH", "BIRO_PEM", "BIRO_PK"}


def claims(groups: object, **extra: str) -> dict[str, object]:
    return {"sub": "1111-2222", "username": "a@pendopo.example", "cognito:groups": groups, **extra}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[koordinator BIRO_PLH]", ["koordinator", "BIRO_PLH"]),
        (["koordinator", "BIRO_PLH"], ["koordinator", "BIRO_PLH"]),
        ("[admin]", ["admin"]),
        ("[]", []),
        (None, []),
    ],
)
def test_groups_arrive_as_api_gateway_string_or_list(raw: object, expected: list[str]) -> None:
    assert groups_of({"cognito:groups": raw} if raw is not None else {}) == expected


def test_coordinator_of_a_unit() -> None:
    officer = officer_from_claims(claims("[koordinator BIRO_PLH]"), UNITS)
    assert officer == Officer("a@pendopo.example", "1111-2222", Role.COORDINATOR, "BIRO_PLH")
    assert officer.may_see("BIRO_PLH") and not officer.may_see("BIRO_PK")


def test_verifier_defaults_to_biro_pemerintahan_and_sees_every_unit() -> None:
    officer = officer_from_claims(claims("[verifikator]"), UNITS)
    assert officer.unit == "BIRO_PEM" and officer.may_see("BIRO_PK")


def test_admin_needs_no_unit() -> None:
    officer = officer_from_claims(claims(["admin"]), UNITS)
    assert officer.role is Role.ADMIN and officer.unit is None and officer.sees_every_unit


def test_id_token_username_claim_is_read_too() -> None:
    raw = {
        "sub": "s",
        "cognito:username": "b@pendopo.example",
        "cognito:groups": "[petugas BIRO_PK]",
    }
    assert officer_from_claims(raw, UNITS).username == "b@pendopo.example"


@pytest.mark.parametrize(
    "groups",
    [
        "[]",  # no role
        "[BIRO_PLH]",  # a unit but no role
        "[petugas koordinator BIRO_PLH]",  # two roles
        "[petugas]",  # an intake officer without a unit
        "[koordinator BIRO_PLH BIRO_PK]",  # two units
        "[superuser BIRO_PLH]",  # an unknown group is no role
    ],
)
def test_accounts_not_set_up_as_one_officer_are_refused(groups: str) -> None:
    with pytest.raises(NotAnOfficer):
        officer_from_claims(claims(groups), UNITS)


def test_claims_without_identity_are_refused() -> None:
    with pytest.raises(NotAnOfficer):
        officer_from_claims({"cognito:groups": "[admin]"}, UNITS)


# --- leaders (pimpinan): the role group, exactly one scope group, no unit group ---------


@pytest.mark.parametrize("scope", ["SEKDA", "ASISTEN_PEM", "ASISTEN_KESRA"])
def test_a_leader_has_a_scope_and_no_unit(scope: str) -> None:
    officer = officer_from_claims(claims(f"[pimpinan {scope}]"), UNITS)
    assert officer == Officer("a@pendopo.example", "1111-2222", Role.LEADER, None, scope=scope)
    # A leader sees no unit's complaints, whatever their scope.
    assert not officer.sees_every_unit and not officer.may_see("BIRO_PLH")


@pytest.mark.parametrize(
    ("groups", "words"),
    [
        ("[pimpinan]", "tepat satu cakupan"),  # no scope
        ("[pimpinan SEKDA ASISTEN_PEM]", "tepat satu cakupan"),  # two scopes
        ("[pimpinan ASISTEN_XYZ]", "tepat satu cakupan"),  # an unknown scope is none
        ("[pimpinan SEKDA BIRO_PLH]", "tidak boleh terdaftar di unit"),  # and a unit
        ("[pimpinan koordinator SEKDA]", "satu peran"),  # two roles
        ("[koordinator BIRO_PLH SEKDA]", "hanya untuk akun pimpinan"),  # a scope, not a leader
        ("[admin ASISTEN_PK]", "hanya untuk akun pimpinan"),
    ],
)
def test_inconsistent_leader_groups_are_refused(groups: str, words: str) -> None:
    with pytest.raises(NotAnOfficer) as raised:
        officer_from_claims(claims(groups), UNITS)
    assert words in raised.value.message


def test_the_scopes_can_be_given_explicitly() -> None:
    officer = officer_from_claims(claims("[pimpinan WALIKOTA]"), UNITS, {"SEKDA", "WALIKOTA"})
    assert officer.scope == "WALIKOTA"
    with pytest.raises(NotAnOfficer):
        officer_from_claims(claims("[pimpinan ASISTEN_PEM]"), UNITS, {"SEKDA"})

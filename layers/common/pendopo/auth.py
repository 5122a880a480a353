"""Who is calling: the officer behind a Cognito token, from the claims API Gateway passes on.

The HttpApi JWT authorizer has already checked the token's signature, issuer,
audience and expiry before a handler runs; handlers only read its claims. An
account's role and unit are Cognito groups: exactly one role group (petugas,
koordinator, verifikator, admin) and, except for admins, one unit group (the unit
code, e.g. BIRO_PLH).

API Gateway HTTP APIs hand claims to Lambda as strings: a list claim such as
``cognito:groups`` arrives as ``"[koordinator BIRO_PLH]"``. Both that form and a
real list are read, so direct invocations and tests work the same way.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from pendopo.domain.status import Role

OFFICER_ROLES: tuple[Role, ...] = (Role.OFFICER, Role.COORDINATOR, Role.VERIFIER, Role.ADMIN)
ROLE_GROUPS: Mapping[str, Role] = {role.value: role for role in OFFICER_ROLES}
# Biro Pemerintahan verifies and validates (Instruksi Sekda 28/2025).
VERIFYING_UNIT = "BIRO_PEM"


class NotAnOfficer(Exception):
    """The token is valid but the account is not set up as an officer."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Officer:
    username: str  # the account's user name: its email address, recorded as the actor
    sub: str
    role: Role
    unit: str | None  # None only for administrators

    @property
    def actor(self) -> str:
        return self.username

    @property
    def sees_every_unit(self) -> bool:
        """Verifiers and administrators work across units; everyone else in their own."""
        return self.role in (Role.VERIFIER, Role.ADMIN)

    def may_see(self, unit: str) -> bool:
        return self.sees_every_unit or self.unit == unit


def groups_of(claims: Mapping[str, Any]) -> list[str]:
    """The ``cognito:groups`` claim as a list, whichever form it arrives in."""
    raw = claims.get("cognito:groups")
    if raw is None:
        return []
    if isinstance(raw, list | tuple):
        return [str(group) for group in raw]
    text = str(raw).strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return [part for part in text.replace(",", " ").split() if part]


def officer_from_claims(claims: Mapping[str, Any], unit_codes: Collection[str]) -> Officer:
    """The officer a token's claims describe, or NotAnOfficer with the reason."""
    username = claims.get("username") or claims.get("cognito:username")
    sub = claims.get("sub")
    if not username or not sub:
        raise NotAnOfficer("Token tidak memuat identitas akun.")
    groups = groups_of(claims)
    roles = {ROLE_GROUPS[group] for group in groups if group in ROLE_GROUPS}
    units = {group for group in groups if group in unit_codes}
    if len(roles) != 1:
        raise NotAnOfficer(
            "Akun belum diberi satu peran (petugas, koordinator, verifikator, atau admin). "
            "Hubungi admin Diskominfotik."
        )
    role = roles.pop()
    if len(units) > 1:
        raise NotAnOfficer("Akun terdaftar di lebih dari satu unit. Hubungi admin Diskominfotik.")
    unit = units.pop() if units else None
    if role is Role.VERIFIER:
        unit = unit or VERIFYING_UNIT
    if unit is None and role is not Role.ADMIN:
        raise NotAnOfficer("Akun belum terdaftar di unit kerja. Hubungi admin Diskominfotik.")
    return Officer(username=str(username), sub=str(sub), role=role, unit=unit)

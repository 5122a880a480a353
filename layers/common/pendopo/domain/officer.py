"""An officer: the account acting on complaints, its role and the units it may see.

The domain's rules (who may take which action, whose queue is whose) take an
``Officer``; where one comes from (the claims of a verified token) is the API's
business (``pendopo.api.identity``). An account's role and unit are Cognito groups:
exactly one role group (``ROLE_GROUPS``: petugas, koordinator, verifikator, admin,
pimpinan) and, except for admins and leaders, one unit group (the unit code, e.g. BIRO_PLH).

A leader (``Role.LEADER``, group ``pimpinan``: the Sekda or an Asisten) has no unit
but a scope group instead: ``SEKDA`` (every unit) or an Asisten's code from the
taxonomy (ASISTEN_PEM, ...: that Asisten's units). Leaders only read dashboards
(``dashboard_units``); they take no workflow action and see no complaint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING

from pendopo.domain.errors import PendopoError
from pendopo.domain.status import Role

if TYPE_CHECKING:
    from pendopo.domain.taxonomy import Taxonomy

OFFICER_ROLES: tuple[Role, ...] = (Role.OFFICER, Role.COORDINATOR, Role.VERIFIER, Role.ADMIN)
# Every role an account can have: the officers' and the leader's (read-only dashboards).
ACCOUNT_ROLES: tuple[Role, ...] = (*OFFICER_ROLES, Role.LEADER)
ROLE_GROUPS: Mapping[str, Role] = {role.value: role for role in ACCOUNT_ROLES}
# Biro Pemerintahan verifies and validates (Instruksi Sekda 28/2025).
VERIFYING_UNIT = "BIRO_PEM"

# The roles that see reporters' identities (NIK, phone, name) unmasked log in with a
# second factor (TOTP) always; a stage can require it of every role (MfaRequiredFor).
MFA_ROLES: frozenset[Role] = frozenset({Role.VERIFIER, Role.ADMIN})
MFA_POLICIES = ("privileged", "all")

# A leader's scope: the Sekda sees every unit; an Asisten (scope = the Asisten's code in
# the taxonomy) the units under them.
SCOPE_SEKDA = "SEKDA"


def leader_scopes(taxonomy: Taxonomy) -> tuple[str, ...]:
    """The scope groups a leader's account may have: SEKDA and every Asisten's code."""
    return (SCOPE_SEKDA, *taxonomy.asisten)


def requires_mfa(role: Role, policy: str) -> bool:
    """Whether an officer of ``role`` must have TOTP set up before getting tokens."""
    return policy == "all" or role in MFA_ROLES


class NotAnOfficer(PendopoError):
    """The token is valid but the account is not set up as an officer (HTTP 403)."""

    status = HTTPStatus.FORBIDDEN

    def __init__(self, reason: str) -> None:
        self.message = reason
        super().__init__(reason)


class DashboardNotAllowed(PendopoError):
    """The caller's role or scope gives them no dashboard (HTTP 403)."""

    status = HTTPStatus.FORBIDDEN

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class LeaderReadOnly(PendopoError):
    """A leader (pimpinan) asked for a complaint route: they see only the dashboard (403)."""

    status = HTTPStatus.FORBIDDEN
    message = (
        "Akun pimpinan hanya dapat melihat dasbor. Rincian pengaduan dan data pelapor "
        "tidak tersedia untuk pimpinan."
    )


@dataclass(frozen=True, slots=True)
class Officer:
    username: str  # the account's user name: its email address, recorded as the actor
    sub: str
    role: Role
    unit: str | None  # None for administrators and leaders
    # Leaders only: SCOPE_SEKDA or an Asisten's code (which units their dashboard shows).
    scope: str | None = None

    @property
    def actor(self) -> str:
        return self.username

    @property
    def sees_every_unit(self) -> bool:
        """Verifiers and administrators work across units; everyone else in their own."""
        return self.role in (Role.VERIFIER, Role.ADMIN)

    def may_see(self, unit: str) -> bool:
        return self.sees_every_unit or self.unit == unit


def dashboard_units(officer: Officer, taxonomy: Taxonomy) -> tuple[str, ...]:
    """The units whose dashboard ``officer`` may read, in the taxonomy's order.

    A coordinator reads their own unit's; verifiers and administrators every unit's;
    a leader every unit's (Sekda) or their Asisten's units'. Intake officers have no
    dashboard (DashboardNotAllowed).
    """
    every = tuple(taxonomy.units)
    if officer.role in (Role.VERIFIER, Role.ADMIN):
        return every
    if officer.role is Role.COORDINATOR and officer.unit is not None:
        if officer.unit not in taxonomy.units:
            raise DashboardNotAllowed(
                "Unit kerja akun ini tidak dikenal. Hubungi admin Diskominfotik."
            )
        return (officer.unit,)
    if officer.role is Role.LEADER:
        if officer.scope == SCOPE_SEKDA:
            return every
        if officer.scope in taxonomy.asisten:
            return tuple(u.code for u in taxonomy.units.values() if u.asisten == officer.scope)
        raise DashboardNotAllowed(
            "Akun pimpinan belum diberi cakupan (SEKDA atau Asisten). Hubungi admin Diskominfotik."
        )
    raise DashboardNotAllowed(
        "Dasbor hanya tersedia bagi koordinator, verifikator, admin, dan pimpinan."
    )

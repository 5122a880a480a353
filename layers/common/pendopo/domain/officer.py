"""An officer: the account acting on complaints, its role and the units it may see.

The domain's rules (who may take which action, whose queue is whose) take an
``Officer``; where one comes from (the claims of a verified token) is the API's
business (``pendopo.api.identity``). An account's role and unit are Cognito groups:
exactly one role group (``ROLE_GROUPS``: petugas, koordinator, verifikator, admin)
and, except for admins, one unit group (the unit code, e.g. BIRO_PLH).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus

from pendopo.domain.errors import PendopoError
from pendopo.domain.status import Role

OFFICER_ROLES: tuple[Role, ...] = (Role.OFFICER, Role.COORDINATOR, Role.VERIFIER, Role.ADMIN)
ROLE_GROUPS: Mapping[str, Role] = {role.value: role for role in OFFICER_ROLES}
# Biro Pemerintahan verifies and validates (Instruksi Sekda 28/2025).
VERIFYING_UNIT = "BIRO_PEM"

# The roles that see reporters' identities (NIK, phone, name) unmasked log in with a
# second factor (TOTP) always; a stage can require it of every role (MfaRequiredFor).
MFA_ROLES: frozenset[Role] = frozenset({Role.VERIFIER, Role.ADMIN})
MFA_POLICIES = ("privileged", "all")


def requires_mfa(role: Role, policy: str) -> bool:
    """Whether an officer of ``role`` must have TOTP set up before getting tokens."""
    return policy == "all" or role in MFA_ROLES


class NotAnOfficer(PendopoError):
    """The token is valid but the account is not set up as an officer (HTTP 403)."""

    status = HTTPStatus.FORBIDDEN

    def __init__(self, reason: str) -> None:
        self.message = reason
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

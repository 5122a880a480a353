"""Who is calling: the officer behind a Cognito token, from the claims API Gateway passes on.

The HttpApi JWT authorizer has already checked the token's signature, issuer,
audience and expiry before a handler runs; handlers only read its claims. An
account's role and unit (a leader's scope) are its Cognito groups
(``pendopo.domain.officer``).

Leaders (pimpinan) read the dashboard only: ``current_officer`` refuses them with
LeaderReadOnly (403) unless the route says ``allow_leader=True`` (the account route
``/v1/officer/me`` and the dashboard). Every other officer route refuses them by default.

API Gateway HTTP APIs hand claims to Lambda as strings: a list claim such as
``cognito:groups`` arrives as ``"[koordinator BIRO_PLH]"``. Both that form and a
real list are read, so direct invocations and tests work the same way.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from pendopo.domain.errors import PendopoError
from pendopo.domain.officer import (
    ROLE_GROUPS,
    VERIFYING_UNIT,
    LeaderReadOnly,
    NotAnOfficer,
    Officer,
    leader_scopes,
)
from pendopo.domain.status import Role
from pendopo.domain.taxonomy import load_taxonomy

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2


class Unauthenticated(PendopoError):
    """No verified token reached the handler (the authorizer passed no claims)."""

    status = HTTPStatus.UNAUTHORIZED
    message = "Silakan masuk terlebih dahulu."


def current_officer(
    event: APIGatewayProxyEventV2,
    unit_codes: Collection[str],
    *,
    allow_leader: bool = False,
) -> Officer:
    """The officer whose token the HttpApi JWT authorizer verified for this request.

    A leader (pimpinan) is refused (LeaderReadOnly, 403) unless ``allow_leader``: only
    the account route and the dashboard serve them; complaints are never theirs to see.
    """
    claims = event.request_context.authorizer.jwt_claim
    if not claims:
        raise Unauthenticated
    officer = officer_from_claims(claims, unit_codes)
    if officer.role is Role.LEADER and not allow_leader:
        raise LeaderReadOnly
    return officer


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


def officer_from_claims(
    claims: Mapping[str, Any],
    unit_codes: Collection[str],
    scope_codes: Collection[str] | None = None,
) -> Officer:
    """The officer a token's claims describe, or NotAnOfficer with the reason.

    ``scope_codes`` are the leaders' scope groups (default: SEKDA and the packaged
    taxonomy's Asisten codes).
    """
    username = claims.get("username") or claims.get("cognito:username")
    sub = claims.get("sub")
    if not username or not sub:
        raise NotAnOfficer("Token tidak memuat identitas akun.")
    groups = groups_of(claims)
    roles = {ROLE_GROUPS[group] for group in groups if group in ROLE_GROUPS}
    units = {group for group in groups if group in unit_codes}
    known_scopes = leader_scopes(load_taxonomy()) if scope_codes is None else scope_codes
    scopes = {group for group in groups if group in known_scopes}
    if len(roles) != 1:
        raise NotAnOfficer(
            "Akun belum diberi satu peran (petugas, koordinator, verifikator, admin, atau "
            "pimpinan). Hubungi admin Diskominfotik."
        )
    role = roles.pop()
    if role is Role.LEADER:
        return _leader(str(username), str(sub), units, scopes)
    if scopes:
        raise NotAnOfficer(
            "Cakupan pimpinan (SEKDA atau Asisten) hanya untuk akun pimpinan. "
            "Hubungi admin Diskominfotik."
        )
    if len(units) > 1:
        raise NotAnOfficer("Akun terdaftar di lebih dari satu unit. Hubungi admin Diskominfotik.")
    unit = units.pop() if units else None
    if role is Role.VERIFIER:
        unit = unit or VERIFYING_UNIT
    if unit is None and role is not Role.ADMIN:
        raise NotAnOfficer("Akun belum terdaftar di unit kerja. Hubungi admin Diskominfotik.")
    return Officer(username=str(username), sub=str(sub), role=role, unit=unit)


def _leader(username: str, sub: str, units: set[str], scopes: set[str]) -> Officer:
    """A leader: the pimpinan group, exactly one scope group and no unit group."""
    if units:
        raise NotAnOfficer(
            "Akun pimpinan tidak boleh terdaftar di unit kerja. Hubungi admin Diskominfotik."
        )
    if len(scopes) != 1:
        raise NotAnOfficer(
            "Akun pimpinan harus punya tepat satu cakupan (SEKDA atau satu Asisten). "
            "Hubungi admin Diskominfotik."
        )
    return Officer(username=username, sub=sub, role=Role.LEADER, unit=None, scope=scopes.pop())

"""Officer accounts in the Cognito user pool: create, list, disable, enable, reset.

Used by the admin command (``pendopo-admin``) against a deployed pool and
by the local stack for its demo accounts, so both create accounts the same way:
user name = email address lower-cased, email verified, one role group and (except
for admins and leaders) one unit group, or for a leader (pimpinan) one scope group
(SEKDA or an Asisten's code), exactly what ``pendopo.api.identity.officer_from_claims`` reads.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pendopo.domain.officer import ROLE_GROUPS, VERIFYING_UNIT, leader_scopes
from pendopo.domain.status import Role
from pendopo.domain.taxonomy import EMAIL_PATTERN, load_taxonomy

ROLES: tuple[str, ...] = tuple(ROLE_GROUPS)
UNIT_ROLES = (Role.OFFICER.value, Role.COORDINATOR.value)


class OfficerError(ValueError):
    """The request cannot be carried out; the message says why (Indonesian)."""


def unit_codes() -> tuple[str, ...]:
    return tuple(load_taxonomy().units)


def scope_codes() -> tuple[str, ...]:
    """A leader's scopes: SEKDA (every unit) and each Asisten's code (their units)."""
    return leader_scopes(load_taxonomy())


@dataclass(frozen=True)
class OfficerSpec:
    email: str
    role: str
    unit: str | None
    name: str | None = None
    scope: str | None = None  # leaders (pimpinan) only: SEKDA or an Asisten's code

    @property
    def groups(self) -> list[str]:
        return [
            self.role,
            *([self.unit] if self.unit else []),
            *([self.scope] if self.scope else []),
        ]


def officer_spec(
    email: str,
    role: str,
    unit: str | None,
    name: str | None = None,
    scope: str | None = None,
) -> OfficerSpec:
    """Check an account request against the roles, the taxonomy's units and the scopes."""
    email = email.strip().lower()
    if not EMAIL_PATTERN.fullmatch(email) or len(email) > 128:
        raise OfficerError(f"Alamat email tidak valid: {email!r}.")
    if role not in ROLES:
        raise OfficerError(f"Peran tidak dikenal: {role!r}. Pilihan: {', '.join(ROLES)}.")
    if role == Role.LEADER.value:
        return _leader_spec(email, unit, name, scope)
    if scope is not None:
        raise OfficerError(
            f"--scope hanya untuk peran {Role.LEADER.value}; peran {role} memakai --unit."
        )
    if unit is not None and unit not in unit_codes():
        raise OfficerError(f"Unit tidak dikenal: {unit!r}. Pilihan: {', '.join(unit_codes())}.")
    if role in UNIT_ROLES and unit is None:
        raise OfficerError(f"Peran {role} wajib punya unit (--unit).")
    if role == Role.VERIFIER.value:
        unit = unit or VERIFYING_UNIT
        if unit != VERIFYING_UNIT:
            raise OfficerError(f"Verifikator hanya di {VERIFYING_UNIT} (Biro Pemerintahan).")
    if role == Role.ADMIN.value and unit is not None:
        raise OfficerError("Admin tidak terikat pada unit; jangan isi --unit.")
    return OfficerSpec(email=email, role=role, unit=unit, name=name)


def _leader_spec(email: str, unit: str | None, name: str | None, scope: str | None) -> OfficerSpec:
    # A leader reads dashboards of a scope, never a unit's complaints: no unit group.
    if unit is not None:
        raise OfficerError(
            "Pimpinan tidak terikat pada unit; jangan isi --unit. Gunakan --scope "
            f"({', '.join(scope_codes())})."
        )
    if scope is None:
        raise OfficerError(f"Pimpinan wajib punya cakupan (--scope): {', '.join(scope_codes())}.")
    if scope not in scope_codes():
        raise OfficerError(
            f"Cakupan tidak dikenal: {scope!r}. Pilihan: {', '.join(scope_codes())}."
        )
    return OfficerSpec(email=email, role=Role.LEADER.value, unit=None, name=name, scope=scope)


def create_officer(
    cognito: Any,
    user_pool_id: str,
    spec: OfficerSpec,
    *,
    password: str | None = None,
    temporary_password: str | None = None,
    send_email: bool = True,
) -> None:
    """Create the account and put it in its groups.

    With ``password`` the account can log in at once (a permanent password, for
    the local stack and training). Otherwise Cognito emails a temporary password
    (``send_email``), or uses ``temporary_password``, and the first login answers
    NEW_PASSWORD_REQUIRED.
    """
    attributes = [
        {"Name": "email", "Value": spec.email},
        {"Name": "email_verified", "Value": "true"},
    ]
    if spec.name:
        attributes.append({"Name": "name", "Value": spec.name})
    kwargs: dict[str, Any] = {
        "UserPoolId": user_pool_id,
        "Username": spec.email,
        "UserAttributes": attributes,
        "DesiredDeliveryMediums": ["EMAIL"],
    }
    if temporary_password:
        kwargs["TemporaryPassword"] = temporary_password
    if password or not send_email:
        kwargs["MessageAction"] = "SUPPRESS"
    cognito.admin_create_user(**kwargs)
    if password:
        cognito.admin_set_user_password(
            UserPoolId=user_pool_id, Username=spec.email, Password=password, Permanent=True
        )
    for group in spec.groups:
        cognito.admin_add_user_to_group(
            UserPoolId=user_pool_id, Username=spec.email, GroupName=group
        )


@dataclass(frozen=True)
class OfficerRow:
    email: str
    role: str
    unit: str
    enabled: bool
    status: str


def _paged(method: Any, key: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    token: str | None = None
    while True:
        page = method(**kwargs, **({"NextToken": token} if token else {}))
        yield from page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return


def _members(cognito: Any, user_pool_id: str, group: str) -> list[dict[str, Any]]:
    return list(
        _paged(cognito.list_users_in_group, "Users", UserPoolId=user_pool_id, GroupName=group)
    )


def list_officers(
    cognito: Any, user_pool_id: str, *, unit: str | None = None, role: str | None = None
) -> list[OfficerRow]:
    """Accounts with their role and unit, read from group membership (no user scan
    when filtered: the members of the unit or role group are listed)."""
    if role is not None and role not in ROLES:
        raise OfficerError(f"Peran tidak dikenal: {role!r}. Pilihan: {', '.join(ROLES)}.")
    if unit is not None and unit not in unit_codes():
        raise OfficerError(f"Unit tidak dikenal: {unit!r}. Pilihan: {', '.join(unit_codes())}.")
    roles_of: dict[str, list[str]] = {}
    units_of: dict[str, list[str]] = {}
    for group in ROLES:
        for user in _members(cognito, user_pool_id, group):
            roles_of.setdefault(user["Username"], []).append(group)
    # A leader's scope (SEKDA, ASISTEN_...) is listed where others have their unit.
    for group in (*unit_codes(), *scope_codes()):
        for user in _members(cognito, user_pool_id, group):
            units_of.setdefault(user["Username"], []).append(group)
    if unit is not None:
        users = _members(cognito, user_pool_id, unit)
    elif role is not None:
        users = _members(cognito, user_pool_id, role)
    else:
        users = list(_paged(cognito.list_users, "Users", UserPoolId=user_pool_id))
    rows = []
    for user in users:
        username = user["Username"]
        if role is not None and role not in roles_of.get(username, []):
            continue
        attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
        rows.append(
            OfficerRow(
                email=attributes.get("email", username),
                role=",".join(sorted(roles_of.get(username, []))) or "-",
                unit=",".join(sorted(units_of.get(username, []))) or "-",
                enabled=bool(user.get("Enabled", True)),
                status=str(user.get("UserStatus", "")),
            )
        )
    return sorted(rows, key=lambda row: (row.unit, row.role, row.email))


def disable_officer(cognito: Any, user_pool_id: str, email: str) -> None:
    """No new logins or refreshes; access tokens already issued end within 30 minutes."""
    username = email.strip().lower()
    cognito.admin_disable_user(UserPoolId=user_pool_id, Username=username)
    # Sign out everywhere: every refresh token is revoked (an access token already
    # issued still runs out within its 30 minutes: the JWT authorizer checks expiry).
    cognito.admin_user_global_sign_out(UserPoolId=user_pool_id, Username=username)


def reset_mfa(cognito: Any, user_pool_id: str, email: str) -> None:
    """Turn the officer's TOTP off (a lost or replaced phone) and sign them out everywhere.

    The pool's MFA is OPTIONAL, so the next login gets tokens from Cognito without a
    code; for a role that must have TOTP the auth function then answers MFA_SETUP with a
    new secret (the old one is replaced when the new one is verified). Other roles log
    in with the password alone until they set it up again.
    """
    username = email.strip().lower()
    cognito.admin_set_user_mfa_preference(
        UserPoolId=user_pool_id,
        Username=username,
        SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False},
    )
    # Refresh tokens issued with the old factor end now (access tokens within the hour).
    cognito.admin_user_global_sign_out(UserPoolId=user_pool_id, Username=username)


def enable_officer(cognito: Any, user_pool_id: str, email: str) -> None:
    cognito.admin_enable_user(UserPoolId=user_pool_id, Username=email.strip().lower())


def generate_temporary_password(length: int = 16) -> str:
    """A password that meets the pool's policy: every class present, random order."""
    classes = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "!#$%*+-=?@^_")
    chars = [secrets.choice(group) for group in classes]
    alphabet = "".join(classes)
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def reset_password(
    cognito: Any, user_pool_id: str, email: str, temporary_password: str | None = None
) -> str:
    """Give the account a new temporary password; its next login must choose its own.

    Returns the temporary password for the admin to hand over (it is not emailed).
    """
    password = temporary_password or generate_temporary_password()
    cognito.admin_set_user_password(
        UserPoolId=user_pool_id, Username=email.strip().lower(), Password=password, Permanent=False
    )
    return password


def groups_of(cognito: Any, user_pool_id: str, email: str) -> list[str]:
    username = email.strip().lower()
    return [
        g["GroupName"]
        for g in _paged(
            cognito.admin_list_groups_for_user, "Groups", UserPoolId=user_pool_id, Username=username
        )
    ]


def change_role(cognito: Any, user_pool_id: str, spec: OfficerSpec) -> str:
    """Move the account to the role and unit (or scope) of ``spec``: out of its old role,
    unit and scope groups, into the new ones. Returns "old -> new" for the account log.

    The officer's tokens carry the groups they were issued with; the account is signed
    out everywhere, so the next login (at most 30 minutes away) has the new role.
    """
    known = set(ROLES) | set(unit_codes()) | set(scope_codes())
    old = [g for g in groups_of(cognito, user_pool_id, spec.email) if g in known]
    for group in old:
        if group not in spec.groups:
            cognito.admin_remove_user_from_group(
                UserPoolId=user_pool_id, Username=spec.email, GroupName=group
            )
    for group in spec.groups:
        if group not in old:
            cognito.admin_add_user_to_group(
                UserPoolId=user_pool_id, Username=spec.email, GroupName=group
            )
    cognito.admin_user_global_sign_out(UserPoolId=user_pool_id, Username=spec.email)
    before = " ".join(sorted(old, key=lambda g: g not in ROLES)) or "-"
    return f"{before} -> {' '.join(spec.groups)}"

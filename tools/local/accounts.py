"""Demo officer accounts of the local stack: one password, names anyone can guess.

Importable by tests and other tools::

    from tools.local.accounts import DEMO_PASSWORD, demo_email
    demo_email("koordinator", "BIRO_PLH")  # 'koordinator.biro-plh@pendopo.example'

For every unit of the taxonomy a ``petugas.<unit>`` and a ``koordinator.<unit>``
account, plus ``verifikator.biro-pem`` and ``admin``. The password is permanent,
so each account can log in at once. Local only: never create these in AWS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infra.template import CreatedUserPool, create_user_pool
from pendopo.domain.officer import VERIFYING_UNIT
from pendopo.domain.status import Role
from tools.ops.officers import OfficerSpec, create_officer, unit_codes

DEMO_PASSWORD = "Pendopo-Lokal-2025!"  # noqa: S105 - the local stack's published demo password
DEMO_DOMAIN = "pendopo.example"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    unit: str | None


def unit_slug(unit: str) -> str:
    """BIRO_PLH -> biro-plh."""
    return unit.lower().replace("_", "-")


def demo_email(role: str, unit: str | None = None) -> str:
    """The demo account of a role (and unit): ``koordinator.biro-plh@pendopo.example``."""
    if unit is None:
        return f"{role}@{DEMO_DOMAIN}"
    return f"{role}.{unit_slug(unit)}@{DEMO_DOMAIN}"


def demo_accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount(demo_email(role, unit), role, unit)
        for unit in unit_codes()
        for role in (Role.OFFICER.value, Role.COORDINATOR.value)
    ]
    accounts.append(
        DemoAccount(
            demo_email(Role.VERIFIER.value, VERIFYING_UNIT), Role.VERIFIER.value, "BIRO_PEM"
        )
    )
    accounts.append(DemoAccount(demo_email(Role.ADMIN.value), Role.ADMIN.value, None))
    return accounts


def provision_accounts(cognito: Any, stage: str) -> CreatedUserPool:
    """The pool, client and groups from template.yaml, and every demo account in it."""
    created = create_user_pool(cognito, stage)
    for account in demo_accounts():
        create_officer(
            cognito,
            created.user_pool_id,
            OfficerSpec(account.email, account.role, account.unit),
            password=DEMO_PASSWORD,
        )
    return created

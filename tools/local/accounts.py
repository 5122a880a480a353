"""Demo officer accounts of the local stack: one password, names anyone can guess.

Importable by tests and other tools::

    from tools.local.accounts import DEMO_PASSWORD, demo_email
    demo_email("koordinator", "BIRO_PLH")  # 'koordinator.biro-plh@pendopo.example'

For every unit of the taxonomy a ``petugas.<unit>`` and a ``koordinator.<unit>``
account, plus ``verifikator.biro-pem`` and ``admin``, and the leaders (read-only
dashboards): ``pimpinan.sekda`` (every unit) and one ``pimpinan.<asisten>`` per Asisten
(``pimpinan.asisten-pem``, ...: that Asisten's units). The password is permanent,
so each account can log in at once. The verifier and the admin must log in with a TOTP
code too (as on a deployed stage); theirs is set up from one published secret,
``DEMO_TOTP_SECRET``, so scripts and tests compute the code
(``tools.local.totp.current_code(DEMO_TOTP_SECRET)``; ``tools.local.login`` does the
whole login). Local only: never create these in AWS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infra.template import CreatedUserPool, create_user_pool
from pendopo.domain.officer import MFA_ROLES, VERIFYING_UNIT
from pendopo.domain.status import Role
from tools.local import totp
from tools.local.moto_cognito_mfa import install_cognito_mfa, preset_secret
from tools.ops.officers import OfficerSpec, create_officer, scope_codes, unit_codes

DEMO_PASSWORD = "Pendopo-Lokal-2025!"  # noqa: S105 - the local stack's published demo password
# The TOTP secret (base32, RFC 6238: SHA-1, 30 s, 6 digits) of the demo verifier and
# admin: add it to an authenticator app, or compute codes with tools.local.totp.
DEMO_TOTP_SECRET = "PENDOPOLOKALDEMOTOTPRAHASIAJKTAA"  # noqa: S105 - published, local only
DEMO_DOMAIN = "pendopo.example"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    unit: str | None
    scope: str | None = None  # leaders only: SEKDA or an Asisten's code


def unit_slug(unit: str) -> str:
    """BIRO_PLH -> biro-plh (a scope too: ASISTEN_PEM -> asisten-pem)."""
    return unit.lower().replace("_", "-")


def demo_email(role: str, unit: str | None = None) -> str:
    """The demo account of a role (and unit, or a leader's scope):
    ``koordinator.biro-plh@pendopo.example``, ``pimpinan.asisten-pem@pendopo.example``."""
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
    accounts += [
        DemoAccount(demo_email(Role.LEADER.value, scope), Role.LEADER.value, None, scope)
        for scope in scope_codes()
    ]
    return accounts


def demo_totp_secret(email: str) -> str | None:
    """The TOTP secret of a demo account that has one (the verifier and the admin)."""
    roles = {account.email: Role(account.role) for account in demo_accounts()}
    return DEMO_TOTP_SECRET if roles.get(email.strip().lower()) in MFA_ROLES else None


def provision_accounts(cognito: Any, stage: str) -> CreatedUserPool:
    """The pool, client and groups from template.yaml, and every demo account in it;
    the verifier and the admin with TOTP set up from ``DEMO_TOTP_SECRET``.

    moto runs in this process (the local stack's threaded server, or ``mock_aws``), so
    its Cognito gets the real TOTP behaviour here (tools.local.moto_cognito_mfa)."""
    install_cognito_mfa()
    created = create_user_pool(cognito, stage)
    for account in demo_accounts():
        create_officer(
            cognito,
            created.user_pool_id,
            OfficerSpec(account.email, account.role, account.unit, scope=account.scope),
            password=DEMO_PASSWORD,
        )
        if Role(account.role) in MFA_ROLES:
            set_up_demo_totp(cognito, created.client_id, account.email)
    return created


def set_up_demo_totp(cognito: Any, client_id: str, email: str) -> None:
    """The calls an officer's first login makes (password, associate, verify, enable),
    with the stand-in handing out the demo secret instead of a random one."""
    preset_secret(email, DEMO_TOTP_SECRET)
    signed_in = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": DEMO_PASSWORD},
    )
    access_token = signed_in["AuthenticationResult"]["AccessToken"]
    secret = cognito.associate_software_token(AccessToken=access_token)["SecretCode"]
    cognito.verify_software_token(
        AccessToken=access_token, UserCode=totp.current_code(secret), FriendlyDeviceName="Pendopo"
    )
    cognito.set_user_mfa_preference(
        AccessToken=access_token,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )

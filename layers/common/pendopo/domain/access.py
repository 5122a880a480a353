"""Who saw whom, and who changed which account: the access log's rules (UU PDP, issue #20).

An **access record** is written for every answer that shows a reporter's identity
unmasked: who (the officer's user name, subject and role), when, which complaint, which
fields (their names only, never their values) and from which route. A field counts as
shown unmasked when the answer carries it whole: a NIK masked to its last four digits,
or an anonymous reporter's hidden identity, is not. Records live apart from the
complaint's public trail (``ACCESS#<ticket>``) and are never shown to citizens.

An **account event** records an action on an officer account (created, disabled,
enabled, password reset, MFA reset, role change) with the operator who took it: the
AWS principal that ran ``pendopo-admin``, or the admin officer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pendopo.domain.clock import to_wib
from pendopo.domain.errors import InvalidField

# The reporter's identity fields, in the order a record lists them.
IDENTITY_FIELDS: tuple[str, ...] = ("name", "nik", "phone", "email")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class AccountAction(StrEnum):
    """What was done to an account (``pendopo-admin``'s commands; reset-mfa: MFA_RESET)."""

    CREATED, DISABLED, ENABLED = "created", "disabled", "enabled"
    PASSWORD_RESET, MFA_RESET, ROLE_CHANGED = "password_reset", "mfa_reset", "role_changed"


@dataclass(frozen=True, slots=True)
class AccessRecord:
    ticket: str
    at: datetime
    officer: str  # the account's user name (its email): who looked
    officer_sub: str
    role: str
    fields: tuple[str, ...]  # names of the identity fields shown unmasked, never values
    route: str  # e.g. "GET /v1/officer/complaints/{ticket}"
    request_id: str  # the API request: ties the record to the gateway's access log

    @property
    def month(self) -> str:
        return month_of(self.at)


@dataclass(frozen=True, slots=True)
class AccountEvent:
    at: datetime
    action: AccountAction
    officer: str  # the account acted on (its user name)
    operator: str  # an AWS principal ARN, or an admin officer's user name
    operator_kind: str  # "aws" | "officer"
    detail: str | None = None  # e.g. "petugas BIRO_PLH -> koordinator BIRO_PLH"

    @property
    def month(self) -> str:
        return month_of(self.at)


def month_of(moment: datetime) -> str:
    """The WIB month (YYYY-MM) a moment falls in: the month an admin asks for."""
    return to_wib(moment).strftime("%Y-%m")


def parse_month(text: str, field: str = "month") -> str:
    """A YYYY-MM the log is read by; a 422 in Indonesian otherwise."""
    if not _MONTH.fullmatch(text.strip()):
        raise InvalidField(field, "Bulan harus berformat YYYY-MM, misalnya 2025-06.")
    return text.strip()


def unmasked_fields(stored: dict[str, object], shown: dict[str, object]) -> tuple[str, ...]:
    """The identity fields an answer shows whole: present, and equal to what is stored.

    Computed from the answer itself (not from a second copy of the masking rules), so
    a record lists exactly what left the system, whatever rule shaped the answer.
    """
    return tuple(
        name
        for name in IDENTITY_FIELDS
        if stored.get(name) not in (None, "") and shown.get(name) == stored.get(name)
    )

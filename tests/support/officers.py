"""Officers acting through the route function's handler: their JWT claims, a
complaint to act on, reading it, and taking an action with its version."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.support.citizen import submit
from tests.support.handlers import call, officer_claims

VERIFIER = officer_claims("verifikator.biro-pem@pendopo.example", "verifikator", "BIRO_PEM")
PLH_COORDINATOR = officer_claims("koordinator.biro-plh@pendopo.example", "koordinator", "BIRO_PLH")
PLH_OFFICER = officer_claims("petugas.biro-plh@pendopo.example", "petugas", "BIRO_PLH")
PK_COORDINATOR = officer_claims("koordinator.biro-pk@pendopo.example", "koordinator", "BIRO_PK")
ADMIN = officer_claims("admin@pendopo.example", "admin")
QUEUE = "/v1/officer/complaints"


def new_complaint(intake: Any, key: str = "key-workflow-0001", **overrides: Any) -> str:
    overrides.setdefault("category", "STREET_LIGHTING")  # Biro PLH
    answer = submit(intake, key=key, **overrides)
    assert answer.status == 201, answer.body
    return str(answer.body["ticket"])


def complaints_a_minute_apart(intake: Any, clock: Any, keys: list[str]) -> list[str]:
    """One complaint per key, each a minute after the one before: their tickets in order."""
    tickets = []
    for key in keys:
        clock.advance(timedelta(minutes=1))
        tickets.append(new_complaint(intake, key=key))
    return tickets


def detail(route: Any, ticket: str, claims: dict[str, str] = VERIFIER) -> Any:
    return call(route, "GET", f"/v1/officer/complaints/{ticket}", claims=claims)


def take(
    route: Any,
    ticket: str,
    segment: str,
    claims: dict[str, str],
    body: dict[str, Any] | None = None,
    version: int | None = None,
) -> Any:
    if version is None:
        version = detail(route, ticket).body["version"]
    headers = {"If-Match": f'"{version}"'}
    return call(
        route,
        "POST",
        f"/v1/officer/complaints/{ticket}/{segment}",
        claims=claims,
        headers=headers,
        json=body or {},
    )


FOLLOW_UP = {"result": "Lampu sudah diganti oleh Dinas Bina Marga pada 11 Juni 2025."}

# A kiosk complaint of Biro PLH taken to Selesai, the shortest way.
TO_DONE = (
    ("verify", VERIFIER, {}),
    ("disposition", PLH_COORDINATOR, {"agency": "BINA_MARGA"}),
    ("follow-up", PLH_COORDINATOR, FOLLOW_UP),
    ("accept", VERIFIER, {}),
)


def work_to_done(route: Any, ticket: str, clock: Any, minutes: int = 5) -> None:
    """Each step of ``TO_DONE``, ``minutes`` after the one before; each must succeed."""
    for segment, claims, body in TO_DONE:
        clock.advance(timedelta(minutes=minutes))
        assert take(route, ticket, segment, claims, body).status == 200, segment

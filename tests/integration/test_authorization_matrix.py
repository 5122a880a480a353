"""Every officer route x every role x own unit / other unit / no token: the exact status.

The complaint is in Biro PLH and in the status the route's action starts from, so
every refusal below is about who asks, never about the complaint's state. "No
token" here is a request that reached the handler without verified claims (the
gateway answers 401 before any handler runs; tests/e2e checks that over HTTP).

Leaders (pimpinan: the Sekda, and the Asisten whose units include Biro PLH) read the
dashboard only: every complaint route answers them 403 with the leader's message, and
only the account route (/v1/officer/me) answers 200.
"""

from __future__ import annotations

from typing import Any

import pytest

from pendopo.domain.officer import LeaderReadOnly, Officer
from pendopo.domain.status import Action, Role
from pendopo.domain.workflow import DispositionCommand, FollowUpCommand, NoteCommand
from pendopo.services.workflow import WorkflowService
from pendopo.storage.complaints import ComplaintStore
from tests.support.citizen import complaint_body, rate, submit
from tests.support.handlers import call, officer_claims

UNIT, OTHER = "BIRO_PLH", "BIRO_PK"
CALLERS: dict[str, dict[str, str] | None] = {
    "petugas/own": officer_claims("petugas.biro-plh@pendopo.example", "petugas", UNIT),
    "petugas/other": officer_claims("petugas.biro-pk@pendopo.example", "petugas", OTHER),
    "koordinator/own": officer_claims("koordinator.biro-plh@pendopo.example", "koordinator", UNIT),
    "koordinator/other": officer_claims(
        "koordinator.biro-pk@pendopo.example", "koordinator", OTHER
    ),
    "verifikator": officer_claims(
        "verifikator.biro-pem@pendopo.example", "verifikator", "BIRO_PEM"
    ),
    "admin": officer_claims("admin@pendopo.example", "admin"),
    "pimpinan/sekda": officer_claims("pimpinan.sekda@pendopo.example", "pimpinan", "SEKDA"),
    "pimpinan/asisten": officer_claims(
        "pimpinan.asisten-plh@pendopo.example", "pimpinan", "ASISTEN_PLH"
    ),
    "no token": None,
}
LEADERS = ("pimpinan/sekda", "pimpinan/asisten")

# How far each route's complaint is taken before the call.
SETUP: dict[str, list[Action]] = {
    "waiting": [],
    "coordination": [Action.VERIFY],
    "disposition": [Action.VERIFY, Action.DISPOSITION],
    "in_progress": [Action.VERIFY, Action.DISPOSITION, Action.ACKNOWLEDGE],
    "awaiting_validation": [Action.VERIFY, Action.DISPOSITION, Action.SUBMIT_FOLLOW_UP],
    # Selesai, then rated "tidak" by its reporter (see _prepare).
    "disputed": [
        Action.VERIFY,
        Action.DISPOSITION,
        Action.SUBMIT_FOLLOW_UP,
        Action.ACCEPT_FOLLOW_UP,
    ],
}

# route name: (method, path template, body, starting status)
ROUTES: dict[str, tuple[str, str, dict[str, Any] | None, str]] = {
    "me": ("GET", "/v1/officer/me", None, "waiting"),
    "queue": ("GET", "/v1/officer/complaints", None, "waiting"),
    "detail": ("GET", "/v1/officer/complaints/{t}", None, "waiting"),
    "access-log": ("GET", "/v1/officer/access-log?ticket={t}", None, "waiting"),
    "walk-in": ("POST", "/v1/officer/complaints", "walk-in", "waiting"),  # type: ignore[dict-item]
    "verify": ("POST", "/v1/officer/complaints/{t}/verify", {}, "waiting"),
    "reject": (
        "POST",
        "/v1/officer/complaints/{t}/reject",
        {"reason": "Bukan pengaduan"},
        "waiting",
    ),
    "reroute": (
        "POST",
        "/v1/officer/complaints/{t}/reroute",
        {"category": "PARKING", "reason": "Salah kategori"},
        "coordination",
    ),
    "disposition": (
        "POST",
        "/v1/officer/complaints/{t}/disposition",
        {"agency": "BINA_MARGA"},
        "coordination",
    ),
    "acknowledge": ("POST", "/v1/officer/complaints/{t}/acknowledge", {}, "disposition"),
    "follow-up": (
        "POST",
        "/v1/officer/complaints/{t}/follow-up",
        {"result": "Sudah diperbaiki petugas Bina Marga."},
        "in_progress",
    ),
    "accept": ("POST", "/v1/officer/complaints/{t}/accept", {}, "awaiting_validation"),
    "return": (
        "POST",
        "/v1/officer/complaints/{t}/return",
        {"reason": "Bukti belum ada"},
        "awaiting_validation",
    ),
    "reopen": (
        "POST",
        "/v1/officer/complaints/{t}/reopen",
        {"reason": "Pelapor menyatakan belum selesai"},
        "disputed",
    ),
    "keep-closed": (
        "POST",
        "/v1/officer/complaints/{t}/keep-closed",
        {"note": "Hasilnya sudah sesuai."},
        "disputed",
    ),
}

# The expected answer of every route for every caller. Columns follow CALLERS.
COLUMNS = list(CALLERS)
EXPECTED: dict[str, tuple[int, ...]] = {
    #              pet/own pet/oth koo/own koo/oth verif admin sekda asist none
    "me": (200, 200, 200, 200, 200, 200, 200, 200, 401),
    "queue": (200, 200, 200, 200, 200, 200, 403, 403, 401),
    "detail": (200, 403, 200, 403, 200, 200, 403, 403, 401),
    "access-log": (403, 403, 403, 403, 403, 200, 403, 403, 401),
    "walk-in": (201, 201, 201, 201, 201, 403, 403, 403, 401),
    "verify": (403, 403, 403, 403, 200, 403, 403, 403, 401),
    "reject": (403, 403, 403, 403, 200, 403, 403, 403, 401),
    "reroute": (403, 403, 200, 403, 200, 403, 403, 403, 401),
    "disposition": (403, 403, 200, 403, 403, 403, 403, 403, 401),
    "acknowledge": (403, 403, 200, 403, 403, 403, 403, 403, 401),
    "follow-up": (403, 403, 200, 403, 403, 403, 403, 403, 401),
    "accept": (403, 403, 403, 403, 200, 403, 403, 403, 401),
    "return": (403, 403, 403, 403, 200, 403, 403, 403, 401),
    "reopen": (403, 403, 403, 403, 200, 403, 403, 403, 401),
    "keep-closed": (403, 403, 403, 403, 200, 403, 403, 403, 401),
}

_ACTORS = {
    Action.VERIFY: Officer("v", "v", Role.VERIFIER, "BIRO_PEM"),
    Action.DISPOSITION: Officer("k", "k", Role.COORDINATOR, UNIT),
    Action.ACKNOWLEDGE: Officer("k", "k", Role.COORDINATOR, UNIT),
    Action.SUBMIT_FOLLOW_UP: Officer("k", "k", Role.COORDINATOR, UNIT),
    Action.ACCEPT_FOLLOW_UP: Officer("v", "v", Role.VERIFIER, "BIRO_PEM"),
}
_COMMANDS = {
    Action.VERIFY: NoteCommand(),
    Action.DISPOSITION: DispositionCommand(agency="BINA_MARGA"),
    Action.ACKNOWLEDGE: NoteCommand(),
    Action.SUBMIT_FOLLOW_UP: FollowUpCommand(result="Sudah diperbaiki oleh Bina Marga."),
    Action.ACCEPT_FOLLOW_UP: NoteCommand(),
}


def _prepare(intake: Any, route: Any, clock: Any, status: str) -> tuple[str, int]:
    receipt = submit(intake, key="key-matrix-00001", category="STREET_LIGHTING").body
    ticket = receipt["ticket"]
    service = WorkflowService(ComplaintStore(), route.taxonomy, clock)
    version = 1
    for action in SETUP[status]:
        version = service.act(_ACTORS[action], ticket, action, _COMMANDS[action], version).version
    if status == "disputed":
        rated = rate(intake, ticket, receipt["tracking_code"], rating=1, resolved="tidak")
        assert rated.status == 201, rated.body
        version += 1
    return ticket, version


@pytest.mark.parametrize("caller", COLUMNS)
@pytest.mark.parametrize("route_name", list(ROUTES))
def test_authorization_matrix(
    intake: Any, route: Any, clock: Any, route_name: str, caller: str
) -> None:
    method, template, body, status = ROUTES[route_name]
    ticket, version = _prepare(intake, route, clock, status)
    claims = CALLERS[caller]
    headers = {"If-Match": f'"{version}"'}
    if body == "walk-in":
        module, body = intake, complaint_body(category="STREET_LIGHTING")
        del body["channel"]
        headers = {"Idempotency-Key": f"walk-in-{caller.replace('/', '-').replace(' ', '-')}"}
    else:
        module = route
    kwargs: dict[str, Any] = {"headers": headers}
    if claims is not None:
        kwargs["claims"] = claims
    if body is not None:
        kwargs["json"] = body
    path, _, query = template.format(t=ticket).partition("?")
    answer = call(module, method, path, query=query, **kwargs)

    expected = EXPECTED[route_name][COLUMNS.index(caller)]
    assert answer.status == expected, (route_name, caller, answer.body)
    if expected >= 400:
        assert isinstance(answer.body["message"], str) and answer.body["message"]
        if caller in LEADERS:
            # The leader is told why: the dashboard is theirs, complaints are not.
            assert answer.body["message"] == LeaderReadOnly.message
        # A refusal changed nothing.
        complaint = ComplaintStore().get_complaint(ticket)
        assert complaint is not None and complaint.version == version


def test_the_matrix_covers_every_officer_route_of_the_template() -> None:
    from infra.template import http_routes

    authorized = {(r.method, r.path) for r in http_routes() if r.authorized}
    covered = {
        (method, path.replace("{t}", "{ticket}").split("?")[0])
        for method, path, _, _ in ROUTES.values()
    }
    # The template's action route is one path with an {action} segment.
    actions = {(m, p) for m, p in covered if p.count("/") == 5}
    assert actions and all(m == "POST" for m, _ in actions)
    covered = (covered - actions) | {("POST", "/v1/officer/complaints/{ticket}/{action}")}
    covered.add(("GET", "/v1/officer/openapi.json"))
    assert covered == authorized


@pytest.mark.parametrize("caller", LEADERS)
def test_a_leaders_account_route_shows_their_scope_and_no_complaint(
    route: Any, caller: str
) -> None:
    answer = call(route, "GET", "/v1/officer/me", claims=CALLERS[caller])
    assert answer.status == 200
    assert answer.body["role"] == "pimpinan"
    assert answer.body["scope"] == ("SEKDA" if caller == "pimpinan/sekda" else "ASISTEN_PLH")
    assert answer.body["unit"] is None and answer.body["sees_every_unit"] is False


@pytest.mark.parametrize(
    "query", ["", "unit=BIRO_PLH", "unit=ALL", "status=waiting", "overdue=true", "disputed=true"]
)
def test_no_queue_filter_opens_the_queue_to_a_leader(
    intake: Any, route: Any, clock: Any, query: str
) -> None:
    submit(intake, key="key-matrix-leader-01", category="STREET_LIGHTING")
    for caller in LEADERS:
        answer = call(route, "GET", "/v1/officer/complaints", query=query, claims=CALLERS[caller])
        assert answer.status == 403, (query, caller, answer.body)
        assert "items" not in answer.body


def test_the_services_refuse_a_leader_too(intake: Any, route: Any, clock: Any) -> None:
    """Defence in depth: a handler that forgot the identity check still shows nothing."""
    from pendopo.domain.officer import SCOPE_SEKDA
    from pendopo.domain.workflow import Forbidden
    from pendopo.services.access_log import AccessQuery
    from pendopo.services.workflow import QueueFilters, Request

    ticket, version = _prepare(intake, route, clock, "coordination")
    leader = Officer("pimpinan.sekda@pendopo.example", "s", Role.LEADER, None, scope=SCOPE_SEKDA)
    service = WorkflowService(ComplaintStore(), route.taxonomy, clock)
    for filters in (QueueFilters(), QueueFilters(unit=UNIT), QueueFilters(unit="ALL")):
        with pytest.raises(Forbidden):
            service.queue(leader, filters)
    with pytest.raises(Forbidden):
        service.detail(leader, ticket, Request(route="test", request_id="r"))
    with pytest.raises(Forbidden):
        service.act(leader, ticket, Action.DISPOSITION, _COMMANDS[Action.DISPOSITION], version)
    with pytest.raises(Forbidden):
        route.access_log.read(leader, AccessQuery(ticket=ticket))

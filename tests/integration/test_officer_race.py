"""Two coordinators act on the same complaint at the same moment: exactly one wins.

Both read the complaint (same version) before either writes; a barrier makes the
interleaving certain instead of likely. moto's DynamoDB is made serializable like
the real one (tools.local.moto_isolation), so the version condition decides.
"""

from __future__ import annotations

import threading
from typing import Any

from pendopo.domain.officer import Officer
from pendopo.domain.status import Action, Role
from pendopo.domain.workflow import DispositionCommand, NoteCommand
from pendopo.services.workflow import WorkflowService
from pendopo.storage.complaints import ComplaintStore, VersionConflict
from pendopo.views.officer import ActionResult
from tests.support.citizen import submit
from tests.support.fakes import BarrierStore

UNIT = "BIRO_PLH"
FIRST = Officer("koordinator.biro-plh@pendopo.example", "s1", Role.COORDINATOR, UNIT)
SECOND = Officer("koordinator2.biro-plh@pendopo.example", "s2", Role.COORDINATOR, UNIT)
VERIFIER = Officer("verifikator.biro-pem@pendopo.example", "s3", Role.VERIFIER, "BIRO_PEM")


def test_two_coordinators_dispositioning_at_once_one_succeeds_one_conflicts(
    intake: Any, route: Any, clock: Any
) -> None:
    ticket = submit(intake, key="key-race-000001", category="STREET_LIGHTING").body["ticket"]
    plain = WorkflowService(ComplaintStore(), route.taxonomy, clock)
    plain.act(VERIFIER, ticket, Action.VERIFY, NoteCommand(), if_match=1)

    racing = WorkflowService(BarrierStore(parties=2), route.taxonomy, clock)
    outcomes: dict[str, ActionResult | Exception] = {}

    def disposition(officer: Officer, agency: str) -> None:
        try:
            outcomes[officer.sub] = racing.act(
                officer, ticket, Action.DISPOSITION, DispositionCommand(agency=agency), if_match=2
            )
        except Exception as error:
            outcomes[officer.sub] = error

    threads = [
        threading.Thread(target=disposition, args=(FIRST, "BINA_MARGA")),
        threading.Thread(target=disposition, args=(SECOND, "DINAS_SDA")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    wins = [o for o in outcomes.values() if isinstance(o, ActionResult)]
    conflicts = [o for o in outcomes.values() if isinstance(o, VersionConflict)]
    assert len(wins) == 1 and len(conflicts) == 1, outcomes

    complaint, events = ComplaintStore().get_with_events(ticket)
    assert complaint is not None and complaint.version == 3
    dispositions = [e for e in events if e.action is Action.DISPOSITION]
    assert len(dispositions) == 1  # one audit event: the winner's
    assert complaint.agency == (
        "BINA_MARGA" if dispositions[0].actor == FIRST.actor else "DINAS_SDA"
    )


def test_over_http_the_loser_gets_409_with_a_message_to_reload(
    intake: Any, route: Any, clock: Any, monkeypatch: Any
) -> None:
    """The same race through the handler: the losing request is a 409, not a 500."""
    from tests.support.handlers import call, officer_claims

    ticket = submit(intake, key="key-race-000002", category="STREET_LIGHTING").body["ticket"]
    WorkflowService(ComplaintStore(), route.taxonomy, clock).act(
        VERIFIER, ticket, Action.VERIFY, NoteCommand(), if_match=1
    )

    class OvertakenStore(ComplaintStore):
        """Another coordinator's disposition lands between our read and our write."""

        def apply(self, complaint: Any, event: Any, read_version: int, claims: Any = ()) -> None:
            plain.act(FIRST, ticket, Action.DISPOSITION, DispositionCommand(agency="DINAS_SDA"), 2)
            super().apply(complaint, event, read_version, claims)

    plain = WorkflowService(ComplaintStore(), route.taxonomy, clock)
    monkeypatch.setattr(route, "service", WorkflowService(OvertakenStore(), route.taxonomy, clock))
    answer = call(
        route,
        "POST",
        f"/v1/officer/complaints/{ticket}/disposition",
        claims=officer_claims(SECOND.username, "koordinator", UNIT),
        headers={"If-Match": '"2"'},
        json={"agency": "BINA_MARGA"},
    )
    assert answer.status == 409
    assert "diubah oleh petugas lain" in answer.body["message"]
    complaint, events = ComplaintStore().get_with_events(ticket)
    assert complaint is not None and complaint.agency == "DINAS_SDA"
    assert [e.actor for e in events if e.action is Action.DISPOSITION] == [FIRST.actor]

"""The reporter's half of the loop through the handlers, on moto (issue #16, sections 2-3).

Given / When / Then: a citizen adds to their complaint and rates the result with the
tracking code; a verifier answers a dispute; the coordinators and verifiers are
emailed from real stream records; the disputed queue reads its sparse index.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from pendopo.domain.clock import FixedClock
from pendopo.storage.complaints import ComplaintStore
from tests.support.citizen import add_update, rate, submit, track
from tests.support.constants import TEST_TABLE
from tests.support.handlers import call
from tests.support.mail import outbox
from tests.support.notify_stream import (
    invoke,
    read_records,
)
from tests.support.officers import (
    PK_COORDINATOR,
    PLH_COORDINATOR,
    QUEUE,
    VERIFIER,
    detail,
    finished,
    new_complaint,
    take,
)
from tools.local.streams import StreamPoller

ADDITION = "Lampunya kini juga berkedip dan mengeluarkan percikan api saat hujan."
PLH = "koordinator.biro-plh@pendopo.example"
VERIFIER_EMAIL = "verifikator.biro-pem@pendopo.example"
NOT_FOUND = "Pengaduan tidak ditemukan. Periksa nomor tiket dan kode pelacakan."


def _raw(dynamodb: Any, ticket: str) -> dict[str, Any]:
    item = dynamodb.get_item(
        TableName=TEST_TABLE, Key={"pk": {"S": f"C#{ticket}"}, "sk": {"S": "C"}}
    )
    return dict(item["Item"])


def _disputed_queue(route: Any, claims: dict[str, str]) -> list[str]:
    answer = call(route, "GET", QUEUE, claims=claims, query="disputed=true")
    assert answer.status == 200, answer.body
    return [item["ticket"] for item in answer.body["items"]]


# --- additions ---------------------------------------------------------------------


def test_an_addition_is_recorded_in_one_transaction_and_shown_in_both_trails(
    intake: Any, route: Any, clock: FixedClock
) -> None:
    # Given a citizen's open complaint
    answer = submit(intake, key="key-addition-0001", category="STREET_LIGHTING")
    ticket, code = answer.body["ticket"], answer.body["tracking_code"]
    # When the reporter adds to it with the tracking code
    clock.advance(timedelta(hours=1))
    added = add_update(intake, ticket, code, ADDITION)
    # Then it is taken, nothing they sent is echoed, and the version moved on
    assert added.status == 201, added.body
    assert added.body["updates_left"] == 9
    assert ADDITION not in str(added.body) and "Rahmat" not in str(added.body)
    shown = detail(route, ticket).body
    assert shown["version"] == 2
    last = shown["events"][-1]
    assert (last["action"]["code"], last["role"], last["note"]) == (
        "reporter_update",
        "pelapor",
        ADDITION,
    )
    # And the citizen's page shows the step, not the text
    tracked = track(intake, ticket, code).body
    assert tracked["timeline"][-1]["description"] == "Tambahan informasi dari pelapor"
    assert ADDITION not in str(tracked)
    assert (tracked["can_update"], tracked["updates_left"], tracked["can_rate"]) == (True, 9, False)


def test_every_wrong_pair_gets_the_one_404_on_both_routes(intake: Any, clock: FixedClock) -> None:
    answer = submit(intake, key="key-wrong-pair-01", category="STREET_LIGHTING")
    ticket, code = answer.body["ticket"], answer.body["tracking_code"]
    other = "2506-0000-0000" if not ticket.startswith("2506-0000") else "2506-1111-1111"
    wrong_code = "AAAA-AAAA" if code != "AAAA-AAAA" else "BBBB-BBBB"
    body = {"text": ADDITION}
    rating = {"rating": 5, "resolved": "ya"}
    for path, payload in (("updates", body), ("feedback", rating)):
        for target, headers in [
            (ticket, {"X-Tracking-Code": wrong_code}),
            (other, {"X-Tracking-Code": code}),
            (ticket, {}),
            ("bukan-tiket", {"X-Tracking-Code": code}),
            ("9" * 60, {"X-Tracking-Code": code}),
            (ticket, {"X-Tracking-Code": "K" * 40}),
        ]:
            answer = call(
                intake, "POST", f"/v1/complaints/{target}/{path}", headers=headers, json=payload
            )
            assert (answer.status, answer.body["message"]) == (404, NOT_FOUND), (path, target)


def test_additions_stop_at_ten_and_on_a_finished_or_rejected_complaint(
    intake: Any, route: Any, clock: FixedClock
) -> None:
    answer = submit(intake, key="key-ten-additions", category="STREET_LIGHTING")
    ticket, code = answer.body["ticket"], answer.body["tracking_code"]
    for n in range(10):
        clock.advance(timedelta(minutes=1))
        assert add_update(intake, ticket, code, f"{ADDITION} ({n})").status == 201
    eleventh = add_update(intake, ticket, code, ADDITION)
    assert eleventh.status == 409 and "10 kali" in eleventh.body["message"]

    done_ticket, done_code = finished(intake, route, clock, key="key-finished-addition")
    refused = add_update(intake, done_ticket, done_code, ADDITION)
    assert refused.status == 409 and "sudah selesai" in refused.body["message"]

    other = submit(intake, key="key-rejected-addition")
    assert (
        take(route, other.body["ticket"], "reject", VERIFIER, {"reason": "Bukan aduan."}).status
        == 200
    )
    refused = add_update(intake, other.body["ticket"], other.body["tracking_code"], ADDITION)
    assert refused.status == 409 and "ditolak" in refused.body["message"]


def test_an_officer_acting_meanwhile_does_not_lose_the_addition(
    intake: Any, route: Any, clock: FixedClock
) -> None:
    # Given an officer who read the complaint, and the reporter adding to it
    ticket = new_complaint(intake, key="key-addition-race")
    code_answer = submit(intake, key="key-addition-race", category="STREET_LIGHTING")
    code = code_answer.body["tracking_code"]  # the replay gives the same code
    seen = detail(route, ticket).body["version"]
    assert add_update(intake, ticket, code, ADDITION).status == 201
    # When the officer acts on the version they saw, it is refused (412): they reload
    stale = take(route, ticket, "verify", VERIFIER, version=seen)
    assert stale.status == 412
    assert take(route, ticket, "verify", VERIFIER).status == 200


# --- the rating and the dispute ----------------------------------------------------


def test_a_rating_only_when_selesai_once_and_within_30_days(
    intake: Any, route: Any, clock: FixedClock
) -> None:
    answer = submit(intake, key="key-rating-early", category="STREET_LIGHTING")
    early = rate(
        intake, answer.body["ticket"], answer.body["tracking_code"], rating=5, resolved="ya"
    )
    assert early.status == 409 and "Selesai" in early.body["message"]

    ticket, code = finished(intake, route, clock)
    assert track(intake, ticket, code).body["can_rate"] is True
    first = rate(intake, ticket, code, rating=5, resolved="ya", comment="Cepat sekali.")
    assert first.status == 201 and first.body["can_rate"] is False
    assert "Cepat sekali" not in str(first.body)
    second = rate(intake, ticket, code, rating=1, resolved="tidak")
    assert second.status == 409 and "sudah memberikan penilaian" in second.body["message"]
    tracked = track(intake, ticket, code).body
    assert tracked["feedback"]["rating"] == 5 and tracked["feedback"]["resolved"]["code"] == "ya"
    assert tracked["timeline"][-1]["description"] == "Penilaian pelapor diterima"
    shown = detail(route, ticket).body
    assert shown["feedback"]["comment"] == "Cepat sekali." and shown["disputed"] is False

    late_ticket, late_code = finished(intake, route, clock, key="key-finished-late")
    clock.advance(timedelta(days=30, seconds=1))
    late = rate(intake, late_ticket, late_code, rating=4, resolved="ya")
    assert late.status == 409 and "30 hari" in late.body["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"rating": 6, "resolved": "ya"},
        {"rating": 4, "resolved": "entah"},
        {"rating": 4, "resolved": "ya", "comment": "k" * 1001},
        {"rating": 4, "resolved": "ya", "reporter": {"name": "x"}},
    ],
)
def test_a_bad_rating_is_a_422_with_a_field_message(
    intake: Any, route: Any, clock: FixedClock, body: dict[str, Any]
) -> None:
    ticket, code = finished(intake, route, clock)
    answer = rate(intake, ticket, code, **body)
    assert answer.status == 422
    assert answer.body["errors"] and answer.body["message"]


def test_a_tidak_disputes_it_the_sparse_index_lists_it_and_a_reopen_clears_it(
    intake: Any, route: Any, clock: FixedClock, dynamodb: Any
) -> None:
    # Given two finished complaints, one rated "tidak"
    ticket, code = finished(intake, route, clock)
    calm, calm_code = finished(intake, route, clock, key="key-finished-calm")
    assert rate(intake, calm, calm_code, rating=4, resolved="sebagian").status == 201
    assert rate(intake, ticket, code, rating=2, resolved="tidak").status == 201
    # Then only the disputed one carries the sparse index's key ...
    assert _raw(dynamodb, ticket)["disputed_unit"] == {"S": "BIRO_PLH"}
    assert "disputed_unit" not in _raw(dynamodb, calm)
    # ... and the verifiers' disputed queue (every unit) and the unit's own list it
    assert _disputed_queue(route, VERIFIER) == [ticket]
    assert _disputed_queue(route, PLH_COORDINATOR) == [ticket]
    assert _disputed_queue(route, PK_COORDINATOR) == []
    shown = detail(route, ticket).body
    assert shown["disputed"] is True
    assert [a["code"] for a in shown["allowed_actions"]] == ["reopen", "keep_closed"]
    # When a verifier reopens it (a reason is required)
    assert take(route, ticket, "reopen", VERIFIER, {}).status == 422
    reason = "Pelapor mengirim foto: lampu masih mati."
    reopened = take(route, ticket, "reopen", VERIFIER, {"reason": reason})
    assert reopened.status == 200, reopened.body
    assert reopened.body["status"]["code"] == "follow_up_rejected"
    # Then the flag and the index key are gone, the clock runs again, and the citizen sees why
    raw = _raw(dynamodb, ticket)
    assert "disputed_unit" not in raw and "disputed" not in raw
    assert raw["open_unit"] == {"S": "BIRO_PLH"}
    assert _disputed_queue(route, VERIFIER) == []
    tracked = track(intake, ticket, code).body
    assert tracked["status"]["label"] == "TL Ditolak"
    assert (tracked["timeline"][-1]["description"], tracked["timeline"][-1]["text"]) == (
        "Pengaduan dibuka kembali",
        reason,
    )
    assert tracked["can_update"] is True


def test_keep_closed_needs_a_dispute_and_shows_its_note_to_the_citizen(
    intake: Any, route: Any, clock: FixedClock
) -> None:
    ticket, code = finished(intake, route, clock)
    not_disputed = take(route, ticket, "keep-closed", VERIFIER, {"note": "Sudah selesai."})
    assert not_disputed.status == 409
    assert rate(intake, ticket, code, rating=1, resolved="tidak").status == 201
    assert take(route, ticket, "keep-closed", PLH_COORDINATOR, {"note": "x"}).status == 403
    note = "Perbaikan sudah diperiksa petugas di lokasi pada 12 Juni; lampu menyala."
    kept = take(route, ticket, "keep-closed", VERIFIER, {"note": note})
    assert kept.status == 200 and kept.body["status"]["code"] == "done"
    assert detail(route, ticket).body["disputed"] is False
    tracked = track(intake, ticket, code).body
    assert tracked["timeline"][-1]["text"] == note
    assert tracked["feedback"]["resolved"]["code"] == "tidak"


# --- who is emailed ----------------------------------------------------------------


def test_an_addition_emails_the_coordinators_and_a_tidak_the_verifiers_once_each(
    intake: Any, route: Any, notify: Any, stream: StreamPoller, clock: FixedClock
) -> None:
    # Given a complaint taken to Selesai, its emails already sent
    ticket, code = finished(intake, route, clock)
    invoke(notify, read_records(stream), stream)
    before = len(outbox())
    # When the reporter rates it 5 "ya": nobody is emailed
    other, other_code = finished(intake, route, clock, key="key-finished-happy")
    invoke(notify, read_records(stream), stream)
    before = len(outbox())
    assert rate(intake, other, other_code, rating=5, resolved="ya").status == 201
    assert invoke(notify, read_records(stream), stream) == {"batchItemFailures": []}
    assert len(outbox()) == before
    # When the reporter rates the first 2 "tidak"
    assert (
        rate(intake, ticket, code, rating=2, resolved="tidak", comment="Masih gelap").status == 201
    )
    records = read_records(stream)
    assert invoke(notify, records, stream) == {"batchItemFailures": []}
    # Then the verifiers alone get one email saying so, with the rating
    new = outbox()[before:]
    assert [m.destinations["ToAddresses"] for m in new] == [[VERIFIER_EMAIL]]
    assert new[0].subject == f"[Pendopo] {ticket}: pelapor menyatakan belum selesai"
    assert "Nilai 2 dari 5" in new[0].body and "Masih gelap" in new[0].body
    # When Lambda delivers the same batch again, nothing goes twice
    assert invoke(notify, records, stream) == {"batchItemFailures": []}
    assert len(outbox()) == before + 1
    # When it is reopened and the reporter adds to it, the unit's coordinators hear of both
    assert take(route, ticket, "reopen", VERIFIER, {"reason": "Lampu masih mati."}).status == 200
    assert add_update(intake, ticket, code, ADDITION).status == 201
    records = read_records(stream)
    assert invoke(notify, records, stream) == {"batchItemFailures": []}
    latest = outbox()[before + 1 :]
    assert [(m.destinations["ToAddresses"], m.subject) for m in latest] == [
        ([PLH], f"[Pendopo] {ticket}: dibuka kembali, perlu tindak lanjut ulang"),
        ([PLH], f"[Pendopo] {ticket}: tambahan informasi dari pelapor"),
    ]
    assert ADDITION in latest[1].body
    assert "Rahmat" not in latest[1].body  # never the reporter's data
    assert invoke(notify, records, stream) == {"batchItemFailures": []}
    assert len(outbox()) == before + 3
    assert ComplaintStore().get_complaint(ticket) is not None


def test_an_officer_acting_between_the_read_and_the_write_is_retried_not_refused(
    intake: Any, route: Any, clock: FixedClock
) -> None:
    from pendopo.domain.citizen import UpdateBody
    from pendopo.domain.complaint import AuditEvent, Complaint
    from pendopo.services.intake import IntakeService

    answer = submit(intake, key="key-addition-between", category="STREET_LIGHTING")
    ticket, code = answer.body["ticket"], answer.body["tracking_code"]

    class OfficerFirst(ComplaintStore):
        """The verifier's action commits between the reporter's read and write, once."""

        raced = False

        def apply(
            self, complaint: Complaint, event: AuditEvent, read_version: int, claims: Any = ()
        ) -> None:
            if not self.raced:
                self.raced = True
                assert take(route, ticket, "verify", VERIFIER).status == 200
            super().apply(complaint, event, read_version, claims)

    store = OfficerFirst()
    service = IntakeService(store, intake.rules, clock)
    added = service.updates(ticket, code, UpdateBody(text=ADDITION))
    assert store.raced and added is not None
    assert added.status.code == "coordination"  # checked and written on the fresh complaint
    events = [e["action"]["code"] for e in detail(route, ticket).body["events"]]
    assert events == ["submit", "verify", "reporter_update"]

"""The reporter's half of the loop over HTTP on the local stack (issue #16, acceptance).

A kiosk complaint: the reporter adds to it (the unit's coordinator is emailed), it is
finished, the reporter rates it 2 with "tidak" (the verifiers are emailed), a verifier
reopens it, and the citizen's tracking shows all of it.
"""

from __future__ import annotations

import pytest
import requests

from tests.support.over_http import (
    FOLLOW_UP_RESULT,
    act,
    as_officer,
    email_titled,
    reporter_step,
    submit_at_kiosk,
    track,
)
from tests.support.stack import RunningStack

pytestmark = pytest.mark.e2e

ADDITION = "Satu tiang lampu kini miring dan kabelnya menjuntai ke trotoar."
REASON = "Pelapor menyatakan dua lampu masih mati; mohon diperiksa ulang di lokasi."
PLH = "koordinator.biro-plh@pendopo.example"
VERIFIER = "verifikator.biro-pem@pendopo.example"


def test_addition_rating_tidak_and_reopening_over_http(local_stack: RunningStack) -> None:
    api = local_stack.api_url
    verifier = as_officer(api, "verifikator", "BIRO_PEM")
    coordinator = as_officer(api, "koordinator", "BIRO_PLH")
    # Given a kiosk complaint about street lighting (Biro PLH), verified
    receipt = submit_at_kiosk(api)
    ticket = receipt["ticket"]
    assert act(api, ticket, "verify", verifier, {}).status_code == 200

    # When the reporter adds to it with the tracking code
    added = reporter_step(api, receipt, "updates", {"text": ADDITION})
    assert added.status_code == 201, added.text
    assert ADDITION not in added.text
    # Then the unit's coordinator is emailed, the text in the email
    emails = email_titled(local_stack, f"[Pendopo] {ticket}: tambahan informasi dari pelapor")
    assert [e["to"] for e in emails] == [[PLH]]
    assert ADDITION in emails[0]["text"]
    # And the officers' trail shows it, version moved on
    trail = requests.get(f"{api}/v1/officer/complaints/{ticket}", headers=coordinator, timeout=30)
    assert trail.json()["events"][-1]["action"]["code"] == "reporter_update"
    assert trail.json()["events"][-1]["note"] == ADDITION

    # When the complaint is finished and the reporter rates it 2, "tidak"
    for segment, headers, body in [
        ("disposition", coordinator, {"agency": "BINA_MARGA"}),
        ("follow-up", coordinator, {"result": FOLLOW_UP_RESULT}),
        ("accept", verifier, {}),
    ]:
        assert act(api, ticket, segment, headers, body).status_code == 200
    refused = reporter_step(api, receipt, "updates", {"text": ADDITION})
    assert refused.status_code == 409
    rated = reporter_step(api, receipt, "feedback", {"rating": 2, "resolved": "tidak"})
    assert rated.status_code == 201, rated.text
    # Then the verifiers are emailed, and the queue of disputed complaints lists it
    emails = email_titled(local_stack, f"[Pendopo] {ticket}: pelapor menyatakan belum selesai")
    assert [e["to"] for e in emails] == [[VERIFIER]]
    assert "Nilai 2 dari 5" in emails[0]["text"]
    queue = requests.get(
        f"{api}/v1/officer/complaints",
        params={"disputed": "true", "limit": "100"},
        headers=verifier,
        timeout=30,
    )
    assert ticket in [item["ticket"] for item in queue.json()["items"]]
    again = reporter_step(api, receipt, "feedback", {"rating": 5, "resolved": "ya"})
    assert again.status_code == 409

    # When the verifier reopens it
    reopened = act(api, ticket, "reopen", verifier, {"reason": REASON})
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"]["label"] == "TL Ditolak"
    # Then the unit is told, and the citizen's tracking shows it all
    emails = email_titled(
        local_stack, f"[Pendopo] {ticket}: dibuka kembali, perlu tindak lanjut ulang"
    )
    assert [e["to"] for e in emails] == [[PLH]]
    tracked = track(api, ticket, receipt["tracking_code"]).json()
    assert tracked["status"]["label"] == "TL Ditolak"
    assert [step["description"] for step in tracked["timeline"]] == [
        "Pengaduan diterima",
        "Pengaduan diverifikasi",
        "Tambahan informasi dari pelapor",
        "Didisposisikan ke perangkat daerah",
        "Hasil tindak lanjut disampaikan",
        "Hasil tindak lanjut diterima",
        "Penilaian pelapor diterima",
        "Pengaduan dibuka kembali",
    ]
    assert tracked["timeline"][-1]["text"] == REASON
    assert tracked["feedback"]["rating"] == 2
    assert tracked["can_update"] is True and tracked["can_rate"] is False
    assert ADDITION not in str(tracked)
    queue = requests.get(
        f"{api}/v1/officer/complaints",
        params={"disputed": "true", "limit": "100"},
        headers=verifier,
        timeout=30,
    )
    assert ticket not in [item["ticket"] for item in queue.json()["items"]]

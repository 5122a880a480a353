"""The whole officer workflow over HTTP on the local stack, with the demo accounts.

Kiosk submits -> verifier verifies -> coordinator dispositions -> follow-up ->
verifier returns it -> a new follow-up -> verifier accepts; the citizen's tracking
shows the public timeline. Only HTTP, as the console and the kiosk use it.
"""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.support.over_http import (
    act,
    as_officer,
    emails_about,
    submit_at_kiosk,
    track,
)
from tests.support.stack import RunningStack

pytestmark = pytest.mark.e2e

OFFICER_ROUTES = [
    ("GET", "/v1/officer/me"),
    ("GET", "/v1/officer/complaints"),
    ("POST", "/v1/officer/complaints"),
    ("GET", "/v1/officer/complaints/2506-0000-0001"),
    ("POST", "/v1/officer/complaints/2506-0000-0001/verify"),
    ("POST", "/v1/officer/complaints/2506-0000-0001/disposition"),
    ("GET", "/v1/officer/openapi.json"),
]


@pytest.mark.parametrize(("method", "path"), OFFICER_ROUTES)
def test_officer_routes_without_a_valid_token_are_401_before_any_handler(
    local_stack: RunningStack, method: str, path: str
) -> None:
    for headers in ({}, {"Authorization": "Bearer not.a.jwt"}, {"Authorization": "Basic YTpi"}):
        answer = requests.request(
            method, f"{local_stack.api_url}{path}", headers=headers, json={}, timeout=30
        )
        assert answer.status_code == 401, (path, headers, answer.text)
        assert answer.json() == {"message": "Unauthorized"}


def test_kiosk_to_done_with_a_rejected_follow_up_and_the_public_timeline(
    local_stack: RunningStack,
) -> None:
    api = local_stack.api_url
    receipt = submit_at_kiosk(api)
    ticket, code = receipt["ticket"], receipt["tracking_code"]
    verifier = as_officer(api, "verifikator", "BIRO_PEM")
    coordinator = as_officer(api, "koordinator", "BIRO_PLH")
    result = {"result": "Tiga lampu sudah diganti oleh Dinas Bina Marga."}
    steps = [
        ("verify", verifier, {}, "Koordinasi"),
        ("disposition", coordinator, {"agency": "BINA_MARGA"}, "Disposisi"),
        ("follow-up", coordinator, result, "Menunggu Validasi"),
        ("return", verifier, {"reason": "Lampirkan foto lampu yang menyala."}, "TL Ditolak"),
        ("follow-up", coordinator, result, "Menunggu Validasi"),
        ("accept", verifier, {}, "Selesai"),
    ]
    for segment, headers, body, label in steps:
        answer = act(api, ticket, segment, headers, body)
        assert answer.status_code == 200, (segment, answer.text)
        assert answer.json()["status"]["label"] == label

    detail = requests.get(
        f"{api}/v1/officer/complaints/{ticket}", headers=verifier, timeout=30
    ).json()
    assert [e["action"]["code"] for e in detail["events"]] == [
        "submit",
        "verify",
        "disposition",
        "submit_follow_up",
        "reject_follow_up",
        "submit_follow_up",
        "accept_follow_up",
    ]
    tracked = track(api, ticket, code)
    assert tracked.status_code == 200
    public = tracked.json()
    assert [step["status"]["label"] for step in public["timeline"]] == [
        "Menunggu",
        "Koordinasi",
        "Disposisi",
        "Menunggu Validasi",
        "TL Ditolak",
        "Menunggu Validasi",
        "Selesai",
    ]
    assert public["result"] == result["result"]
    assert "pendopo.example" not in tracked.text  # no officer identities in public

    # Each step's email reached moto's SES, once: the stream drives them asynchronously.
    coordinator_email = "koordinator.biro-plh@pendopo.example"
    verifier_email = "verifikator.biro-pem@pendopo.example"
    expected = [
        (coordinator_email, "pengaduan baru, menunggu verifikasi"),
        (verifier_email, "pengaduan baru, menunggu verifikasi"),
        (coordinator_email, "terverifikasi, silakan disposisikan"),
        (coordinator_email, "didisposisikan ke Dinas Bina Marga"),
        (verifier_email, "hasil tindak lanjut menunggu validasi"),
        (coordinator_email, "TL ditolak, perlu tindak lanjut ulang"),
        (verifier_email, "hasil tindak lanjut menunggu validasi"),
        (coordinator_email, "selesai"),
    ]
    emails = emails_about(local_stack, ticket, expected=len(expected))
    got = [(e["to"][0], e["subject"].split(": ", 1)[1]) for e in emails]
    assert sorted(got) == sorted(expected)
    assert all(len(e["to"]) == 1 and ticket in e["subject"] for e in emails)


def test_a_coordinator_of_another_unit_is_403_and_a_stale_version_412(
    local_stack: RunningStack,
) -> None:
    api = local_stack.api_url
    ticket = submit_at_kiosk(api)["ticket"]
    other = as_officer(api, "koordinator", "BIRO_PK")
    assert (
        requests.get(f"{api}/v1/officer/complaints/{ticket}", headers=other, timeout=30).status_code
        == 403
    )
    verifier = as_officer(api, "verifikator", "BIRO_PEM")
    stale = requests.post(
        f"{api}/v1/officer/complaints/{ticket}/verify",
        headers={**verifier, "If-Match": '"9"'},
        json={},
        timeout=30,
    )
    assert stale.status_code == 412
    assert "Muat ulang" in stale.json()["message"]


def test_a_walk_in_records_the_officer_from_the_token(local_stack: RunningStack) -> None:
    api = local_stack.api_url
    clerk = as_officer(api, "petugas", "BIRO_KESOS")
    answer = requests.post(
        f"{api}/v1/officer/complaints",
        headers={**clerk, "Idempotency-Key": f"e2e-walk-in-{uuid.uuid4().hex}"},
        json={
            "category": "HEALTH_SERVICES",
            "title": "Antrean puskesmas terlalu lama",
            "description": "Pasien lansia menunggu lebih dari lima jam di Puskesmas Tanah Abang.",
            "reporter": {"name": "Warga Tatap Muka", "phone": "081298765432"},
        },
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    ticket = answer.json()["ticket"]
    detail = requests.get(f"{api}/v1/officer/complaints/{ticket}", headers=clerk, timeout=30).json()
    assert detail["channel"] == "pendopo"
    assert detail["entered_by"] == "petugas.biro-kesos@pendopo.example"
    assert detail["entered_unit"] == "BIRO_KESOS"
    assert detail["events"][0]["role"] == "petugas"

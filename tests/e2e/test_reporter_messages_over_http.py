"""The reporter's own SMS and emails over HTTP on the local stack (issue #16).

A kiosk complaint with SMS and email consent gets its receipt by both; verify,
disposition and accept each add one SMS and one email to the reporter (exact SMS
texts); a complaint without consent gets nothing; the unsubscribe link stops the rest.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
import requests

from tests.support.over_http import (
    act,
    as_officer,
    emails_about,
    messages_to,
    post,
    street_light_at_kiosk,
    submitted,
    track,
    work_to_done,
)
from tests.support.stack import RunningStack

pytestmark = pytest.mark.e2e

PHONE, PHONE_E164 = "0812-7788-9900", "+6281277889900"
EMAIL = "warga.kabar@contoh.id"
AGENCY = "Dinas Bina Marga"


def _consenting(name: str) -> dict[str, Any]:
    body = street_light_at_kiosk(name)
    body["reporter"] = {"name": name, "phone": PHONE, "email": EMAIL}
    body["notify"] = {"sms": True, "email": True}
    return body


def _sms(entries: list[dict[str, Any]]) -> list[str]:
    return [e["text"] for e in entries if e["channel"] == "sms"]


def _emails(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if e["channel"] == "email"]


def test_a_consenting_reporter_is_told_of_every_step_and_can_stop_it(
    local_stack: RunningStack,
) -> None:
    api = local_stack.api_url
    base = api.removeprefix("http://")
    before_sms = len(messages_to(local_stack, PHONE_E164, expected=0))
    before_email = len(messages_to(local_stack, EMAIL, expected=0))

    # Given a kiosk complaint whose reporter asked for SMS and email
    receipt = submitted(api, f"e2e-msg-{uuid.uuid4().hex}", _consenting("Warga Kabar"))
    ticket, code = receipt["ticket"], receipt["tracking_code"]
    assert receipt["notify"] == {"sms": True, "email": True}
    assert "juga kami kirim lewat SMS dan email" in receipt["message"]
    # Then the receipt arrives by SMS (ticket and code in the link) and by email
    sms = _sms(messages_to(local_stack, PHONE_E164, expected=before_sms + 1)[before_sms:])
    due_short = re.sub(
        r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}).*$", r"\3/\2/\1 \4", receipt["due_at"]
    )
    assert sms == [
        f"Pendopo: pengaduan diterima, batas {due_short} WIB. Tiket & kode lacak: "
        f"{base}/warga/lacak.html#tiket={ticket}&kode={code}"
    ]
    emails = _emails(messages_to(local_stack, EMAIL, expected=before_email + 1)[before_email:])
    assert [e["subject"] for e in emails] == [f"[Pendopo] Pengaduan {ticket}: diterima"]
    assert f"Kode pelacakan: {code}" in emails[0]["text"]
    assert f"{api}/warga/lacak.html#tiket={ticket}&kode={code}" in emails[0]["text"]

    # When the verifier verifies, the coordinator dispositions, the result is accepted
    result = {"result": "Tiga lampu sudah diganti oleh Dinas Bina Marga."}
    work_to_done(api, ticket, result["result"])

    # Then each of verify, disposition and accept added one SMS and one email
    sms = _sms(messages_to(local_stack, PHONE_E164, expected=before_sms + 4)[before_sms:])
    assert sms[1:] == [
        f"Pendopo: pengaduan {ticket} telah diverifikasi dan diteruskan ke Biro Pembangunan "
        "dan Lingkungan Hidup untuk ditindaklanjuti.",
        f"Pendopo: pengaduan {ticket} diteruskan ke {AGENCY} untuk ditindaklanjuti.",
        f"Pendopo: pengaduan {ticket} selesai. Lihat hasil & beri penilaian: "
        f"{base}/warga/lacak.html#tiket={ticket}",
    ]
    emails = _emails(messages_to(local_stack, EMAIL, expected=before_email + 4)[before_email:])
    assert [e["subject"] for e in emails] == [
        f"[Pendopo] Pengaduan {ticket}: diterima",
        f"[Pendopo] Pengaduan {ticket}: diverifikasi dan diteruskan ke Biro Pembangunan dan "
        "Lingkungan Hidup",
        f"[Pendopo] Pengaduan {ticket}: diteruskan ke {AGENCY}",
        f"[Pendopo] Pengaduan {ticket}: selesai ditindaklanjuti",
    ]
    assert "Hasil tindak lanjut: Tiga lampu sudah diganti" in emails[-1]["text"]
    for email in emails:
        assert "verifikator" not in email["text"] and "koordinator" not in email["text"]
    # (nothing else reached the reporter)
    assert len(messages_to(local_stack, PHONE_E164, expected=0)) == before_sms + 4

    # When the reporter follows the unsubscribe link of the last email
    link = re.search(r"(http\S+/unsubscribe\?token=\S+)", emails[-1]["text"])
    assert link
    page = requests.get(link.group(1), timeout=30)
    assert page.status_code == 200 and "Ya, berhenti menerima kabar" in page.text
    stopped = requests.post(link.group(1), timeout=30)
    assert stopped.status_code == 200
    assert stopped.json() == {
        "message": "Anda tidak akan menerima SMS atau email lagi tentang pengaduan ini."
    }
    wrong = requests.post(link.group(1)[:-3] + "xyz", timeout=30)
    assert wrong.status_code == 404
    # And the tracking page still shows it all
    assert track(api, ticket, code).json()["status"]["label"] == "Selesai"


def test_a_complaint_without_consent_tells_the_reporter_nothing(
    local_stack: RunningStack,
) -> None:
    api = local_stack.api_url
    phone, email = "0813-1122-3344", "tanpa.kabar@contoh.id"
    body = street_light_at_kiosk("Warga Tanpa Kabar")
    body["reporter"] = {"name": "Warga Tanpa Kabar", "phone": phone, "email": email}
    receipt = submitted(api, f"e2e-msg-{uuid.uuid4().hex}", body)
    assert receipt["notify"] == {"sms": False, "email": False}
    verifier = as_officer(api, "verifikator", "BIRO_PEM")
    assert act(api, receipt["ticket"], "verify", verifier, {}).status_code == 200
    # Once the officers' emails of both events arrived, nothing went to the reporter
    assert len(emails_about(local_stack, receipt["ticket"], expected=3)) == 3
    assert messages_to(local_stack, "+6281311223344", expected=0) == []
    assert messages_to(local_stack, email, expected=0) == []


def test_consent_without_the_contact_it_needs_is_422(local_stack: RunningStack) -> None:
    body = street_light_at_kiosk("Warga Telepon Rumah")
    body["reporter"] = {"name": "Warga Telepon Rumah", "phone": "(021) 382-2255"}
    body["notify"] = {"sms": True}
    answer = post(local_stack, f"e2e-msg-{uuid.uuid4().hex}", body)
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "notify"
    assert error["message"].startswith("SMS hanya dapat dikirim ke nomor ponsel Indonesia")
    body["notify"] = {"email": True}
    answer = post(local_stack, f"e2e-msg-{uuid.uuid4().hex}", body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"].startswith("Isi alamat email Anda")


def test_a_walk_in_reporter_gets_the_receipt_the_officer_recorded_consent_for(
    local_stack: RunningStack,
) -> None:
    # Given the desk officer recording a walk-in whose reporter asked for SMS only
    api, phone = local_stack.api_url, "+6285766554433"
    body = {k: v for k, v in street_light_at_kiosk("Warga Tatap Muka").items() if k != "channel"}
    body["reporter"] = {"name": "Warga Tatap Muka", "phone": "0857-6655-4433"}
    body["notify"] = {"sms": True}
    answer = requests.post(
        f"{api}/v1/officer/complaints",
        json=body,
        headers={**as_officer(api, "petugas", "BIRO_PLH"), "Idempotency-Key": uuid.uuid4().hex},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert receipt["notify"] == {"sms": True, "email": False}
    # Then the SMS carries the code: how a reporter who is not online keeps it
    [sms] = messages_to(local_stack, phone, expected=1)
    assert sms["text"].endswith(f"#tiket={receipt['ticket']}&kode={receipt['tracking_code']}")

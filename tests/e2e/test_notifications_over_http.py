"""Notifications end to end: a complaint submitted over HTTP leads to exactly its emails.

The local stack delivers the table's stream to the notify function in the
background, as Lambda's event source mapping does; the test polls the local
outbox (bounded) until the emails have arrived.
"""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.support.over_http import complaint, emails_about, post
from tests.support.stack import RunningStack

pytestmark = pytest.mark.e2e

NAME, NIK, PHONE, EMAIL = "Dewi Lestari Putri", "3174055604910002", "0812-7654-3210", "dewi@mail.id"


def test_a_submitted_complaint_emails_its_coordinators_and_the_verifiers(
    local_stack: RunningStack,
) -> None:
    # Given a citizen submitting a flooding complaint (Biro PLH) with their details
    body = complaint(
        title="Banjir <b>setinggi lutut</b> di gang",
        description="Setiap hujan deras gang kami banjir setinggi lutut selama berjam-jam.",
        reporter={"name": NAME, "nik": NIK, "phone": PHONE, "email": EMAIL},
    )
    key = f"e2e-notify-{uuid.uuid4()}"
    created = post(local_stack, key, body)
    assert created.status_code == 201, created.text
    receipt = created.json()
    ticket = receipt["ticket"]
    # When the stream has been delivered to the notify function
    emails = emails_about(local_stack, ticket, expected=2)
    # Then exactly one email went to the unit's coordinator and one to the verifier
    assert sorted(e["to"][0] for e in emails) == [
        "koordinator.biro-plh@pendopo.example",
        "verifikator.biro-pem@pendopo.example",
    ]
    assert all(len(e["to"]) == 1 for e in emails)
    for email in emails:
        assert email["from"] == "pendopo@pendopo.example"
        assert email["subject"] == f"[Pendopo] {ticket}: pengaduan baru, menunggu verifikasi"
        link = f"{local_stack.api_url}/console/#/complaints/{ticket}"
        for part in (email["text"], email["html"]):
            assert ticket in part
            assert receipt["due_at_text"] in part  # the due time in WIB
            assert "Biro Pembangunan dan Lingkungan Hidup" in part
            assert link in part
            for personal in (NAME, NIK, "7654", EMAIL):
                assert personal not in part
        assert "Banjir &lt;b&gt;setinggi lutut&lt;/b&gt;" in email["html"]
        assert "Banjir <b>setinggi lutut</b>" in email["text"]

    # And a retried submission (same key) sends nothing more: once the emails of a
    # later complaint have arrived (the stream is delivered in order), still two
    again = post(local_stack, key, body)
    assert again.headers["Idempotent-Replayed"] == "true"
    later = post(
        local_stack, f"e2e-notify-{uuid.uuid4()}", {**body, "title": "Banjir lagi di gang sebelah"}
    )
    assert len(emails_about(local_stack, later.json()["ticket"], expected=2)) == 2
    assert len(emails_about(local_stack, ticket, expected=2)) == 2
    page = requests.get(f"{local_stack.api_url}/_local/outbox", timeout=10)
    assert page.status_code == 200
    assert ticket in page.text

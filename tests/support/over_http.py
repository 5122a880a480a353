"""A citizen's and an officer's requests over HTTP against the running local stack:
complaint bodies, submitting and tracking, and the emails the local outbox holds."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

import boto3
import requests
from botocore.config import Config

from tests.support.stack import RunningStack
from tools.local.accounts import demo_email
from tools.local.login import log_in
from tools.local.stack import LOCAL_REGION
from tools.ops.targets import DUMMY_CREDENTIAL

NAME, NIK, PHONE = "Wulan Sekar Kinasih", "3175064711880007", "0857-1122-3344"
WAIT_SECONDS = 10.0
T = TypeVar("T")


def poll(read: Callable[[], T], done: Callable[[T], bool], seconds: float = 20.0) -> T:
    """``read()`` again until ``done`` holds (or ``seconds`` passed), and its last value.

    For work the local stack does in its own threads (the stream pollers, the upload
    checker): asking it again is the only way to know it is done. No clock is waited for.
    """
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def moto_s3(stack: RunningStack) -> Any:
    """An S3 client of the stack's moto (path-style, as the local stack addresses it)."""
    return boto3.client(
        "s3",
        region_name=LOCAL_REGION,
        endpoint_url=stack.moto_url,
        aws_access_key_id=DUMMY_CREDENTIAL,
        aws_secret_access_key=DUMMY_CREDENTIAL,
        aws_session_token=DUMMY_CREDENTIAL,
        config=Config(s3={"addressing_style": "path"}),
    )


def upload_status(stack: RunningStack, upload_id: str) -> dict[str, Any]:
    """``GET /v1/uploads/{id}`` once the checker gave its verdict (or "checking" after 20 s)."""

    def read() -> dict[str, Any]:
        answer = requests.get(f"{stack.api_url}/v1/uploads/{upload_id}", timeout=30)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    return poll(read, lambda found: found["status"] != "checking")


def complaint(**overrides: Any) -> dict[str, Any]:
    body = {
        "channel": "web",
        "category": "FLOOD_DRAINAGE",
        "title": "Saluran air tersumbat",
        "description": "Saluran di depan rumah tersumbat sampah sehingga air meluap saat hujan.",
        "reporter": {"name": NAME, "nik": NIK, "phone": PHONE, "anonymous": True},
        "location": {"text": "Jl. Cempaka Putih Tengah", "lat": -6.1790, "lon": 106.8710},
    }
    body.update(overrides)
    return body


def street_light_at_kiosk(reporter: str, category: str = "STREET_LIGHTING") -> dict[str, Any]:
    """The kiosk's complaint the officer tests work on (Biro PLH unless told otherwise)."""
    return {
        "channel": "kiosk",
        "category": category,
        "title": "Lampu jalan mati di Jl. Kebon Sirih",
        "description": "Tiga lampu penerangan jalan mati sejak seminggu, gelap di malam hari.",
        "reporter": {"name": reporter, "phone": "081234567890"},
    }


def post(stack: RunningStack, key: str, body: dict[str, Any]) -> requests.Response:
    return requests.post(
        f"{stack.api_url}/v1/complaints", json=body, headers={"Idempotency-Key": key}, timeout=30
    )


def submitted(api_url: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    """The receipt of a complaint submitted over HTTP (refused: the test fails here)."""
    answer = requests.post(
        f"{api_url}/v1/complaints", headers={"Idempotency-Key": key}, json=body, timeout=30
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def track(api_url: str, ticket: str, code: str) -> requests.Response:
    """Track as a client must: the code travels in a header, never in the URL."""
    return requests.get(
        f"{api_url}/v1/complaints/{ticket}", headers={"X-Tracking-Code": code}, timeout=30
    )


def outbox_until(
    stack: RunningStack, wanted: Callable[[dict[str, Any]], bool], expected: int = 1
) -> list[dict[str, Any]]:
    """The local outbox's entries (emails and SMS) that are ``wanted``, once ``expected`` of
    them have arrived (or after 10 s). The notify function runs in the stack's stream
    poller, in another process: polling its outbox is the only way to know."""

    def read() -> list[dict[str, Any]]:
        answer = requests.get(f"{stack.api_url}/_local/outbox.json", timeout=10)
        assert answer.status_code == 200
        return [entry for entry in answer.json() if wanted(entry)]

    return poll(read, lambda found: len(found) >= expected, WAIT_SECONDS)


def emails_about(stack: RunningStack, ticket: str, expected: int) -> list[dict[str, Any]]:
    """The outbox's emails about a ticket, once ``expected`` of them have arrived (or 10 s)."""
    return outbox_until(
        stack, lambda e: e["channel"] == "email" and ticket in e["subject"], expected
    )


def messages_to(stack: RunningStack, address: str, expected: int) -> list[dict[str, Any]]:
    """The outbox's emails and SMS to one address or number, once ``expected`` arrived (or 10 s)."""
    return outbox_until(stack, lambda e: address in e["to"], expected)


# Officers over HTTP: the demo accounts' tokens (one login per account and stack) and
# a workflow action with the If-Match the console sends.
@cache
def token(api_url: str, role: str, unit: str | None = None) -> str:
    """The access token of a demo account (the verifier and admin through their TOTP code)."""
    return str(log_in(api_url, demo_email(role, unit))["access_token"])


def as_officer(api_url: str, role: str, unit: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(api_url, role, unit)}"}


def submit_at_kiosk(api_url: str, category: str = "STREET_LIGHTING") -> dict[str, Any]:
    key = f"e2e-officer-{uuid.uuid4().hex}"
    return submitted(api_url, key, street_light_at_kiosk("Warga Uji Alur", category))


def act(
    api_url: str, ticket: str, segment: str, headers: dict[str, str], body: dict[str, Any]
) -> requests.Response:
    current = requests.get(f"{api_url}/v1/officer/complaints/{ticket}", headers=headers, timeout=30)
    assert current.status_code == 200, current.text
    return requests.post(
        f"{api_url}/v1/officer/complaints/{ticket}/{segment}",
        headers={**headers, "If-Match": current.headers["ETag"]},
        json=body,
        timeout=30,
    )


FOLLOW_UP_RESULT = "Lampu sudah diganti oleh Dinas Bina Marga; menyala kembali sejak kemarin."


def work_to_done(api_url: str, ticket: str, result: str = FOLLOW_UP_RESULT) -> None:
    """A Biro PLH complaint taken to Selesai by the demo verifier and coordinator, as the
    console does: verify, disposition to Bina Marga, the follow-up ``result``, accept."""
    verifier = as_officer(api_url, "verifikator", "BIRO_PEM")
    coordinator = as_officer(api_url, "koordinator", "BIRO_PLH")
    for segment, headers, body in [
        ("verify", verifier, {}),
        ("disposition", coordinator, {"agency": "BINA_MARGA"}),
        ("follow-up", coordinator, {"result": result}),
        ("accept", verifier, {}),
    ]:
        answer = act(api_url, ticket, segment, headers, body)
        assert answer.status_code == 200, (segment, answer.text)


def finished_at_kiosk(api_url: str) -> dict[str, Any]:
    """A kiosk complaint (Biro PLH) taken to Selesai by the demo officers: its receipt."""
    receipt = submit_at_kiosk(api_url)
    work_to_done(api_url, receipt["ticket"])
    return receipt


def reporter_step(
    api_url: str, receipt: dict[str, Any], step: str, body: dict[str, Any]
) -> requests.Response:
    """The reporter's addition (``updates``) or rating (``feedback``), code in its header."""
    return requests.post(
        f"{api_url}/v1/complaints/{receipt['ticket']}/{step}",
        headers={"X-Tracking-Code": receipt["tracking_code"]},
        json=body,
        timeout=30,
    )


def email_titled(stack: RunningStack, subject: str) -> list[dict[str, Any]]:
    """The outbox's emails with exactly this subject, once one has arrived (or 10 s)."""
    return outbox_until(stack, lambda e: e.get("subject") == subject)

"""Abuse of the public routes over HTTP (issue #8): throttling by the local gateway,
oversized bodies, tracking guesses and officer reads without a token.

The session's ``local_stack`` runs with ``--no-throttle`` (the e2e and fuzz tests
send bursts); the throttling test starts its own stack as ``make run`` does, with
the template's limits on.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
import requests

from tests.support.over_http import complaint, post, track
from tests.support.stack import RunningStack, running_stack
from tools.local.throttle import THROTTLED_MESSAGE

pytestmark = pytest.mark.e2e

NOT_FOUND = {"message": "Pengaduan tidak ditemukan. Periksa nomor tiket dan kode pelacakan."}
TRACKING_BURST = 10  # template.yaml: TrackComplaint RouteSettings ThrottlingBurstLimit
UNKNOWN_TICKET = "2506-0000-0001"


def item_count(stack: RunningStack) -> int:
    client = boto3.client("dynamodb", endpoint_url=stack.moto_url, region_name="ap-southeast-3")
    return int(client.scan(TableName=stack.table_name, Select="COUNT")["Count"])  # test-only


@pytest.fixture(scope="module")
def throttled_stack() -> Iterator[RunningStack]:
    """``python -m tools.local.stack`` as ``make run`` starts it: throttling on."""
    with running_stack("pendopo-e2e-throttle") as stack:
        yield stack


def test_a_burst_on_the_tracking_route_gets_429s_and_other_routes_keep_their_own(throttled_stack):
    url = f"{throttled_stack.api_url}/v1/complaints/{UNKNOWN_TICKET}"

    def guess(_: int) -> requests.Response:
        return requests.get(url, headers={"X-Tracking-Code": "K7QM-2XPD"}, timeout=60)

    # More than the burst at once: the bucket admits about the burst, the rest are 429.
    with ThreadPoolExecutor(max_workers=3 * TRACKING_BURST) as pool:
        answers = list(pool.map(guess, range(3 * TRACKING_BURST)))
    refused = [a for a in answers if a.status_code == 429]
    served = [a for a in answers if a.status_code != 429]
    # (The exact counts are tested with an injected clock in tests/integration.)
    assert refused, [a.status_code for a in answers]
    assert len(served) >= TRACKING_BURST
    for answer in served:
        assert answer.status_code == 404 and answer.json() == NOT_FOUND
    for answer in refused:
        assert answer.headers["content-type"] == "application/json"
        assert answer.json() == {"message": THROTTLED_MESSAGE}

    # Tokens coming back over time is tested with an injected clock (tests/integration);
    # here nothing waits for the real clock.

    # Another route has its own bucket, untouched by the burst.
    assert requests.get(f"{throttled_stack.api_url}/v1/categories", timeout=30).status_code == 200


def test_a_body_over_64_kb_is_413_with_an_indonesian_message(local_stack):
    before = item_count(local_stack)
    body = json.dumps(complaint(description="Saluran tersumbat. " * 4000))
    assert len(body.encode()) > 64 * 1024
    answer = requests.post(
        f"{local_stack.api_url}/v1/complaints",
        data=body,
        headers={"Idempotency-Key": f"e2e-{uuid.uuid4()}", "content-type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 413
    assert answer.json() == {"message": "Isi permintaan terlalu besar (maksimal 64 KB)."}
    assert item_count(local_stack) == before


def test_a_form_post_is_415_and_stores_nothing(local_stack):
    before = item_count(local_stack)
    answer = requests.post(
        f"{local_stack.api_url}/v1/complaints",
        data={"title": "Lampu mati", "channel": "web"},
        headers={"Idempotency-Key": f"e2e-{uuid.uuid4()}"},
        timeout=30,
    )
    assert answer.status_code == 415
    assert answer.json() == {
        "message": "Kirim data dalam format JSON (Content-Type: application/json)."
    }
    assert item_count(local_stack) == before


def test_tracking_guesses_over_http_get_byte_identical_404s(local_stack):
    receipt = post(local_stack, f"e2e-{uuid.uuid4()}", complaint()).json()
    other = post(local_stack, f"e2e-{uuid.uuid4()}", complaint(title="Got mampet")).json()
    ticket = receipt["ticket"]
    guesses = [
        (UNKNOWN_TICKET, {"X-Tracking-Code": receipt["tracking_code"]}),
        (ticket, {"X-Tracking-Code": "AAAA-AAAA"}),
        (ticket, {"X-Tracking-Code": other["tracking_code"]}),
        (ticket, {}),
        ("bukan-tiket", {"X-Tracking-Code": receipt["tracking_code"]}),
        ("9" * 300, {"X-Tracking-Code": receipt["tracking_code"]}),
        (ticket, {"X-Tracking-Code": "K" * 300}),
    ]
    answers = [
        requests.get(f"{local_stack.api_url}/v1/complaints/{t}", headers=h, timeout=30)
        for t, h in guesses
    ]

    def shape(answer: requests.Response) -> tuple[int, bytes, tuple[tuple[str, str], ...]]:
        # Everything but the request id and the date a server adds.
        headers = tuple(
            sorted(
                (k.lower(), v)
                for k, v in answer.headers.items()
                if k.lower() not in ("apigw-requestid", "date")
            )
        )
        return answer.status_code, answer.content, headers

    assert answers[0].status_code == 404 and answers[0].json() == NOT_FOUND
    assert {shape(a) for a in answers} == {shape(answers[0])}
    found = track(local_stack.api_url, ticket, receipt["tracking_code"])
    assert found.status_code == 200


@pytest.mark.parametrize(
    "path", ["/v1/officer/me", "/v1/officer/complaints", "/v1/officer/complaints/{ticket}"]
)
def test_officer_reads_without_a_token_are_401_and_tell_nothing(local_stack, path):
    ticket = post(local_stack, f"e2e-{uuid.uuid4()}", complaint()).json()["ticket"]
    existing = requests.get(local_stack.api_url + path.format(ticket=ticket), timeout=30)
    unknown = requests.get(local_stack.api_url + path.format(ticket=UNKNOWN_TICKET), timeout=30)
    for answer in (existing, unknown):
        assert answer.status_code == 401
        assert answer.json() == {"message": "Unauthorized"}
        assert answer.headers["www-authenticate"] == "Bearer"

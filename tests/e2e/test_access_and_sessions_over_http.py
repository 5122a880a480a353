"""Who saw whom and sessions that end (issue #20), over HTTP against the local stack."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime

import pytest
import requests

from pendopo.domain.access import month_of
from tests.support.over_http import NAME, NIK, PHONE, as_officer, complaint, submitted
from tests.support.stack import RunningStack
from tools.local.accounts import DEMO_PASSWORD, demo_email
from tools.ops import admin

pytestmark = pytest.mark.e2e

VERIFIER = demo_email("verifikator", "BIRO_PEM")


def test_after_logout_the_old_refresh_token_is_refused(local_stack: RunningStack) -> None:
    api = local_stack.api_url
    # Given a coordinator logged in
    login = requests.post(
        f"{api}/v1/auth/login",
        json={"email": demo_email("koordinator", "BIRO_PLH"), "password": DEMO_PASSWORD},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    tokens = login.json()
    assert tokens["expires_in"] == 1800  # the template client's 30 minutes
    # When they log out
    out = requests.post(
        f"{api}/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}, timeout=30
    )
    assert out.status_code == 204, out.text
    # Then the old refresh token is refused
    again = requests.post(
        f"{api}/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}, timeout=30
    )
    assert again.status_code == 401
    assert again.json() == {"message": "Sesi Anda sudah berakhir. Silakan masuk lagi."}


def test_a_verifiers_detail_is_recorded_a_masked_view_is_not_and_the_csv_lists_it(
    local_stack: RunningStack,
) -> None:
    api = local_stack.api_url
    # Given an anonymous complaint of Biro PLH
    receipt = submitted(api, f"e2e-access-{uuid.uuid4().hex}", complaint())
    ticket = receipt["ticket"]
    log = f"{api}/v1/officer/access-log"
    admin_headers = as_officer(api, "admin")

    def records() -> list[dict[str, object]]:
        answer = requests.get(log, params={"ticket": ticket}, headers=admin_headers, timeout=30)
        assert answer.status_code == 200, answer.text
        return list(answer.json()["items"])

    # When the unit's coordinator opens it (identity hidden: a masked view)
    masked = requests.get(
        f"{api}/v1/officer/complaints/{ticket}",
        headers=as_officer(api, "koordinator", "BIRO_PLH"),
        timeout=30,
    )
    assert masked.status_code == 200 and masked.json()["reporter"]["identity_hidden"] is True
    # Then no access record
    assert records() == []
    # When the verifier opens it (the whole identity)
    whole = requests.get(
        f"{api}/v1/officer/complaints/{ticket}",
        headers=as_officer(api, "verifikator", "BIRO_PEM"),
        timeout=30,
    )
    assert whole.status_code == 200 and whole.json()["reporter"]["nik"] == NIK
    # Then exactly one record: who, which fields; never the values
    (record,) = records()
    assert record["officer"] == VERIFIER and record["role"] == "verifikator"
    assert record["fields"] == ["name", "nik", "phone"]
    assert record["route"] == "GET /v1/officer/complaints/{ticket}"
    text = str(record)
    assert NAME not in text and NIK not in text and PHONE[-4:] not in text
    # And a non-admin may not read the log
    refused = requests.get(
        log,
        params={"ticket": ticket},
        headers=as_officer(api, "verifikator", "BIRO_PEM"),
        timeout=30,
    )
    assert refused.status_code == 403
    # And the admin's CSV export of the verifier's month lists it
    out = io.StringIO()
    args = admin.build_parser().parse_args(
        [
            "access-log",
            "--officer",
            VERIFIER,
            "--month",
            month_of(datetime.now(UTC)),
            "--local",
            "--endpoint-url",
            local_stack.moto_url,
            "--table",
            local_stack.table_name,
        ]
    )
    admin.run(args, out=out)
    rows = [r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["tiket"] == ticket]
    assert len(rows) == 1
    assert rows[0]["data_ditampilkan"] == "name;nik;phone" and rows[0]["peran"] == "verifikator"

"""Leaders (pimpinan) over HTTP on the local stack: the demo accounts of the Sekda and
of every Asisten log in with the demo password alone and are refused (403, with the
leader's message) on every complaint route; only the account route answers them."""

from __future__ import annotations

import uuid

import pytest
import requests

from pendopo.domain.officer import LeaderReadOnly
from tests.support.over_http import complaint, submitted
from tests.support.stack import RunningStack
from tools.local.accounts import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

LEADERS = {
    "pimpinan.sekda@pendopo.example": "SEKDA",
    "pimpinan.asisten-pem@pendopo.example": "ASISTEN_PEM",
    "pimpinan.asisten-pk@pendopo.example": "ASISTEN_PK",
    "pimpinan.asisten-plh@pendopo.example": "ASISTEN_PLH",
    "pimpinan.asisten-kesra@pendopo.example": "ASISTEN_KESRA",
}


def test_every_demo_leader_logs_in_and_sees_no_complaint(local_stack: RunningStack) -> None:
    api = local_stack.api_url
    # Given a complaint of Biro PLH (the Asisten PLH's unit)
    ticket = submitted(api, f"e2e-leader-{uuid.uuid4().hex}", complaint())["ticket"]
    walk_in = {k: v for k, v in complaint().items() if k != "channel"}  # the desk's body
    complaint_routes = [
        ("GET", "/v1/officer/complaints", None),
        ("GET", "/v1/officer/complaints?unit=ALL", None),
        ("GET", f"/v1/officer/complaints/{ticket}", None),
        ("GET", f"/v1/officer/access-log?ticket={ticket}", None),
        ("POST", "/v1/officer/complaints", walk_in),
        ("POST", f"/v1/officer/complaints/{ticket}/verify", {}),
    ]
    for email, scope in LEADERS.items():
        # When the demo leader logs in: tokens at once, no second factor
        login = requests.post(
            f"{api}/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD}, timeout=30
        )
        assert login.status_code == 200, login.text
        body = login.json()
        assert body["officer"] == {
            "username": email,
            "role": "pimpinan",
            "unit": None,
            "scope": scope,
        }
        headers = {
            "Authorization": f"Bearer {body['access_token']}",
            "Idempotency-Key": f"e2e-leader-{uuid.uuid4().hex}",
            "If-Match": '"1"',
        }
        # Then the account route answers with the scope
        me = requests.get(f"{api}/v1/officer/me", headers=headers, timeout=30)
        assert me.status_code == 200, me.text
        assert (me.json()["role"], me.json()["scope"]) == ("pimpinan", scope)
        # And every complaint route refuses them, saying why
        for method, path, json_body in complaint_routes:
            answer = requests.request(
                method, f"{api}{path}", headers=headers, json=json_body, timeout=30
            )
            assert answer.status_code == 403, (email, method, path, answer.text)
            assert answer.json() == {"message": LeaderReadOnly.message}


def test_the_banner_names_the_demo_leaders(local_stack: RunningStack) -> None:
    assert local_stack.lines_with("pimpinan.sekda@pendopo.example")
    scopes = local_stack.lines_with("asisten-kesra")
    assert scopes and all(s in scopes[0] for s in ("asisten-pem", "asisten-pk", "asisten-plh"))

"""Take the demo complaints through the officer workflow, over HTTP, as officers would.

After ``make demo`` the console then shows complaints at every stage: waiting,
verified, dispositioned, in progress, awaiting validation, follow-up returned,
done, rejected and re-routed. The demo accounts log in through ``/v1/auth/login``
(the verifier with a TOTP code from the demo secret: ``tools.local.login``) and
every action carries the ETag it read, exactly as the console does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import requests

from pendopo.domain.taxonomy import load_taxonomy
from tools.local.accounts import demo_email
from tools.local.demo import DemoLoadError, DemoResult
from tools.local.login import LoginFailed, log_in

RESULT = "Petugas perangkat daerah sudah turun ke lokasi dan menyelesaikan masalahnya."

# Demo complaint index -> the actions it goes through: (segment, role, body).
Step = tuple[str, str, dict[str, Any]]
_VERIFY: Step = ("verify", "verifikator", {})
_DISPOSITION: Step = ("disposition", "koordinator", {"agency": "<the category's agency>"})
_ACKNOWLEDGE: Step = ("acknowledge", "koordinator", {})
_FOLLOW_UP: Step = ("follow-up", "koordinator", {"result": RESULT})
PLAN: dict[int, list[Step]] = {
    2: [("reject", "verifikator", {"reason": "Bukan pengaduan: permohonan informasi umum."})],
    3: [_VERIFY],
    4: [_VERIFY, _DISPOSITION],
    5: [_VERIFY, _DISPOSITION, _ACKNOWLEDGE],
    6: [_VERIFY, _DISPOSITION, _ACKNOWLEDGE, _FOLLOW_UP],
    7: [
        _VERIFY,
        _DISPOSITION,
        _FOLLOW_UP,
        ("return", "verifikator", {"reason": "Lampirkan foto hasil perbaikan."}),
    ],
    8: [_VERIFY, _DISPOSITION, _ACKNOWLEDGE, _FOLLOW_UP, ("accept", "verifikator", {})],
    9: [
        (
            "reroute",
            "verifikator",
            {
                "category": "PUBLIC_ORDER",
                "reason": "Hunian liar di kolong jembatan: penertiban oleh Satpol PP lebih dulu.",
            },
        )
    ],
}


class _Officers:
    """Demo officers' access tokens, logged in once each."""

    def __init__(self, http: requests.Session, api_url: str, timeout_s: float) -> None:
        self._http, self._api, self._timeout = http, api_url, timeout_s
        self._tokens: dict[str, str] = {}

    def headers(self, role: str, unit: str) -> dict[str, str]:
        email = demo_email(role, "BIRO_PEM" if role == "verifikator" else unit)
        if email not in self._tokens:
            try:
                tokens = log_in(self._api, email, http=self._http, timeout=self._timeout)
            except LoginFailed as error:
                raise DemoLoadError(str(error)) from error
            self._tokens[email] = tokens["access_token"]
        return {"Authorization": f"Bearer {self._tokens[email]}"}


def advance_demo(
    api_url: str,
    results: Sequence[DemoResult],
    session: requests.Session | None = None,
    timeout_s: float = 30.0,
) -> int:
    """Apply PLAN to the demo complaints; returns the number of actions taken.

    A complaint no longer waiting (the demo was loaded before) is left as it is.
    """
    http = session or requests.Session()
    officers = _Officers(http, api_url, timeout_s)
    taken = 0
    for index, result in enumerate(results):
        steps = PLAN.get(index)
        if not steps:
            continue
        unit = result.unit
        for segment, role, body in steps:
            headers = officers.headers(role, unit)
            detail = _detail(http, api_url, result.ticket, headers, timeout_s)
            if segment == steps[0][0] and detail["status"]["code"] != "waiting":
                break  # advanced on an earlier load
            body = _filled(body, detail)
            _act(http, api_url, result.ticket, segment, headers, detail["version"], body, timeout_s)
            taken += 1
            if segment == "reroute":
                unit = detail["unit"]["code"]
    return taken


def _filled(body: dict[str, Any], detail: dict[str, Any]) -> dict[str, Any]:
    """The disposition goes to the agency the taxonomy names for the complaint's category."""
    if body.get("agency") != "<the category's agency>":
        return body
    offered = [agency["code"] for agency in detail["agencies"]]
    category = load_taxonomy().categories[detail["category"]["code"]]
    named = [code for code in category.agencies if code in offered]
    return {"agency": (named or offered)[0]}


def _detail(
    http: requests.Session, api: str, ticket: str, headers: dict[str, str], timeout_s: float
) -> dict[str, Any]:
    answer = http.get(f"{api}/v1/officer/complaints/{ticket}", headers=headers, timeout=timeout_s)
    if answer.status_code != 200:
        raise DemoLoadError(f"GET complaint {ticket} answered {answer.status_code}")
    return dict(answer.json())


def _act(
    http: requests.Session,
    api: str,
    ticket: str,
    segment: str,
    headers: dict[str, str],
    version: int,
    body: dict[str, Any],
    timeout_s: float,
) -> None:
    answer = http.post(
        f"{api}/v1/officer/complaints/{ticket}/{segment}",
        headers={**headers, "If-Match": f'"{version}"'},
        json=body,
        timeout=timeout_s,
    )
    if answer.status_code != 200:
        message = answer.json().get("message", "") if answer.content else ""
        raise DemoLoadError(f"{segment} on {ticket} answered {answer.status_code}: {message}")

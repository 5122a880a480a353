"""Open311 POST over HTTP on the local stack: the demo partner files a request with its
key (as ``make run``'s banner prints it), officers work it to Selesai, and the partner
reads it back closed with the result. Only HTTP, as a partner app sees us.

No independently written client posts here: the Python Open311 clients on PyPI either
only read (``georeport``, which the read side's e2e test uses) or are Python 2 only
(``three``, ``open311``), so the form is posted with ``requests``, as a partner's app
would, exactly as the specification's example.
"""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.support.over_http import as_officer, emails_about, work_to_done
from tests.support.stack import RunningStack
from tools.local.partners import DEMO_PARTNER_KEY

pytestmark = pytest.mark.e2e

BASE = "/open311/v2"


def file_request(api: str, **fields: str) -> requests.Response:
    return requests.post(f"{api}{BASE}/requests.json", data=fields, timeout=30)


def test_the_banner_gives_the_demo_partner_key(local_stack: RunningStack) -> None:
    lines = local_stack.lines_with("Open311")
    assert any(f"api_key={DEMO_PARTNER_KEY}" in line for line in lines), lines


def test_a_partner_request_worked_to_selesai_reads_closed_with_the_result(
    local_stack: RunningStack,
) -> None:
    api = local_stack.api_url
    description = f"Lampu jalan di depan halte mati sejak tiga hari ({uuid.uuid4().hex[:8]})."
    filed = file_request(
        api,
        api_key=DEMO_PARTNER_KEY,
        service_code="STREET_LIGHTING",
        lat="-6.1812",
        long="106.8283",
        description=description,
        first_name="Siti",
        phone="0812-3456-7890",
    )
    assert filed.status_code == 200, filed.text
    [created] = filed.json()
    ticket = created["service_request_id"]
    assert created["service_notice"]

    coordinator = as_officer(api, "koordinator", "BIRO_PLH")
    detail = requests.get(f"{api}/v1/officer/complaints/{ticket}", headers=coordinator, timeout=30)
    assert detail.json()["channel"] == "open311"
    assert detail.json()["partner"] == "Aplikasi Demo Open311"
    result = {"result": "Lampu sudah diganti oleh Dinas Bina Marga."}
    work_to_done(api, ticket, result["result"])

    read = requests.get(f"{api}{BASE}/requests/{ticket}.json", timeout=30)
    assert read.status_code == 200, read.text
    [request] = read.json()
    assert request["status"] == "closed"
    assert result["result"] in request["status_notes"]
    assert "Siti" not in read.text and "3456" not in read.text  # never the reporter
    # The officers were emailed at each step, as for any complaint
    assert len(emails_about(local_stack, ticket, expected=6)) == 6


def test_a_wrong_key_is_403_and_a_missing_location_400(local_stack: RunningStack) -> None:
    api = local_stack.api_url
    wrong = file_request(api, api_key="salah.kunci", service_code="STREET_LIGHTING")
    assert wrong.status_code == 403
    assert [e["code"] for e in wrong.json()] == [403]
    nowhere = file_request(
        api, api_key=DEMO_PARTNER_KEY, service_code="STREET_LIGHTING", description="Gelap."
    )
    assert nowhere.status_code == 400
    assert [e["code"] for e in nowhere.json()] == [400]
    as_xml = requests.post(
        f"{api}{BASE}/requests.xml",
        data={"api_key": DEMO_PARTNER_KEY, "service_code": "NOPE", "lat": "-6.2", "long": "106.8"},
        timeout=30,
    )
    assert as_xml.status_code == 404
    assert as_xml.text.startswith('<?xml version="1.0" encoding="utf-8"?><errors>')

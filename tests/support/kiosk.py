"""The e-kiosk in the browser: its timers and storage key (web/kiosk/kiosk.js), the
way to its form and filling it in, and the complaints the local stack then holds."""

from __future__ import annotations

import re
from typing import Any

import boto3
from playwright.sync_api import Page, expect

from tests.support.stack import RunningStack

# web/kiosk/kiosk.js
IDLE_MS = 60_000
WARNING_MS = 20_000
PENDING_KEY = "pendopo.kiosk.pending"


def complaints_titled(stack: RunningStack, title: str) -> list[dict[str, Any]]:
    client = boto3.client(
        "dynamodb",
        endpoint_url=stack.moto_url,
        region_name="ap-southeast-3",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    items: list[dict[str, Any]] = []
    pages = client.get_paginator("scan").paginate(TableName=stack.table_name)  # verification
    for page in pages:
        items += page["Items"]
    return [i for i in items if i["kind"]["S"] == "complaint" and i["title"]["S"] == title]


def open_form(page: Page, origin: str) -> None:
    """Home → topic "Jalan, transportasi & penerangan" → category "Jalan rusak"."""
    page.goto(origin + "/kiosk/")
    expect(page.locator("#desk-status")).to_contain_text("Loket tatap muka")
    page.get_by_role("button", name="Sampaikan pengaduan").click()
    page.get_by_role("button", name=re.compile(r"^Jalan, transportasi")).click()
    page.get_by_role("button", name=re.compile(r"^Jalan rusak")).click()
    expect(page.get_by_role("heading", name="Isi pengaduan Anda")).to_be_visible()


def fill_form(page: Page, title: str) -> None:
    page.get_by_label("Judul singkat").fill(title)
    page.get_by_label("Ceritakan masalahnya").fill(
        "Lubang besar di tengah jalan membahayakan pengendara motor setiap malam."
    )
    page.get_by_label("Lokasi").fill("Jl. Kramat Raya 98, dekat halte")
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Nomor telepon atau WhatsApp").fill("0812 3456 7890")

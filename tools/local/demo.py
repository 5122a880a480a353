"""Demo complaints for the local stack, submitted through its public HTTP API.

They go through the real intake path (gateway, handler, validation, idempotency,
storage), so what the demo shows is what the system does. Every reporter is made up:
the NIKs are well-formed (DKI Jakarta region codes, plausible birth dates) but invented,
and the phone numbers are well-formed Indonesian mobile numbers. The complaints
themselves are data: ``demo_complaints.json`` next to this module.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests


@dataclass(frozen=True)
class DemoComplaint:
    channel: str
    # Tried in order against category codes (exact first) and then codes and labels.
    category_hints: tuple[str, ...]
    title: str
    description: str
    reporter: dict[str, Any]
    location: dict[str, Any]
    # The reporter's consent to messages (issue #16): the demo's SMS and emails.
    notify: dict[str, bool] | None = None


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    unit: str


@dataclass(frozen=True)
class DemoResult:
    ticket: str
    tracking_code: str
    channel: str
    category: str
    unit: str
    title: str


class DemoLoadError(RuntimeError):
    """The API refused or failed a demo request; the message says which and why."""


DEMO_COMPLAINTS_PATH = Path(__file__).with_name("demo_complaints.json")


def _demo_complaints() -> tuple[DemoComplaint, ...]:
    """The demo complaints of ``demo_complaints.json``, in order."""
    rows = json.loads(DEMO_COMPLAINTS_PATH.read_text(encoding="utf-8"))
    return tuple(
        DemoComplaint(**{**row, "category_hints": tuple(row["category_hints"])}) for row in rows
    )


DEMO_COMPLAINTS: tuple[DemoComplaint, ...] = _demo_complaints()


def load_demo(
    api_url: str, session: requests.Session | None = None, timeout_s: float = 30.0
) -> list[DemoResult]:
    """Submit every demo complaint to the API at api_url; their receipts, in order.

    The Idempotency-Key of each demo complaint is fixed, so loading twice into the same
    stack returns the same tickets instead of duplicating them.
    """
    http = session or requests.Session()
    categories = fetch_categories(http, api_url, timeout_s)
    used: Counter[str] = Counter()
    results = []
    for index, complaint in enumerate(DEMO_COMPLAINTS, start=1):
        category = pick_category(complaint.category_hints, categories, used)
        used[category.code] += 1
        results.append(_submit(http, api_url, index, complaint, category, timeout_s))
    return results


def fetch_categories(http: requests.Session, api_url: str, timeout_s: float) -> list[Category]:
    response = http.get(f"{api_url}/v1/categories", timeout=timeout_s)
    if response.status_code != 200:
        raise DemoLoadError(f"GET /v1/categories answered {response.status_code}")
    categories = [
        Category(code=category["code"], label=category.get("label", ""), unit=unit["code"])
        for unit in response.json()["units"]
        for category in unit["categories"]
    ]
    if not categories:
        raise DemoLoadError("GET /v1/categories returned no categories")
    return categories


def pick_category(
    hints: tuple[str, ...], categories: list[Category], used: Counter[str]
) -> Category:
    """The category a demo complaint was written for, matched by hints.

    The taxonomy is data that can change; matching by hints keeps the demo working
    without hard-coding its codes. Without a match, the least used category keeps
    the demo spread over several units.
    """
    for hint in hints:
        needle = hint.lower()
        exact = [c for c in categories if c.code.lower() == needle]
        partial = [c for c in categories if needle in c.code.lower() or needle in c.label.lower()]
        if exact or partial:
            return (exact + partial)[0]
    return min(categories, key=lambda c: used[c.code])


def _submit(
    http: requests.Session,
    api_url: str,
    index: int,
    complaint: DemoComplaint,
    category: Category,
    timeout_s: float,
) -> DemoResult:
    payload = {
        "channel": complaint.channel,
        "category": category.code,
        "title": complaint.title,
        "description": complaint.description,
        "reporter": complaint.reporter,
        **({"notify": complaint.notify} if complaint.notify else {}),
        "location": complaint.location,
    }
    response = http.post(
        f"{api_url}/v1/complaints",
        json=payload,
        headers={"Idempotency-Key": f"pendopo-demo-{index:02d}"},
        timeout=timeout_s,
    )
    if response.status_code != 201:
        raise DemoLoadError(
            f"POST /v1/complaints (demo {index}) answered {response.status_code}: "
            f"{_error_summary(response)}"
        )
    receipt = response.json()
    return DemoResult(
        ticket=receipt["ticket"],
        tracking_code=receipt["tracking_code"],
        channel=complaint.channel,
        category=category.code,
        unit=receipt.get("unit", {}).get("code", category.unit),
        title=complaint.title,
    )


def _error_summary(response: requests.Response) -> str:
    """The API's own message and field errors: they name fields, never echo values."""
    try:
        body = response.json()
    except ValueError:
        return "(no JSON body)"
    if not isinstance(body, dict):
        return "(unexpected body)"
    fields = ", ".join(f"{e.get('field')}: {e.get('message')}" for e in body.get("errors", []))
    return f"{body.get('message', '')} {fields}".strip()


def format_results(results: list[DemoResult]) -> str:
    """A table for the terminal: ticket, tracking code, channel, category, title."""
    width = max([len("Kategori"), *(len(r.category) for r in results)]) + 2
    lines = [f"{'Tiket':<16}{'Kode lacak':<12}{'Kanal':<7}{'Kategori':<{width}}Judul"]
    lines += [
        f"{r.ticket:<16}{r.tracking_code:<12}{r.channel:<7}{r.category:<{width}}{r.title}"
        for r in results
    ]
    return "\n".join(lines)

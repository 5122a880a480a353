"""Screenshots of the officer console for the README: ``make screenshots``.

Starts the local stack with the demo data (``make demo``, on free ports), moves one
demo complaint's deadline into the past so the queue shows how an overdue complaint
is marked (no demo complaint is old enough otherwise), then drives headless chromium:

- ``docs/screenshots/console-queue.png``: the verifier's queue across every unit;
- ``docs/screenshots/console-detail.png``: a complaint whose follow-up result awaits
  validation, as the verifier sees it: result, audit trail, the form to send it back;
- ``docs/screenshots/tracking-rating-phone.png``: a finished complaint's tracking page on a
  360 px phone, its rating filled in (2, not resolved);
- ``docs/screenshots/console-disputed.png``: that complaint once rated, as the verifier
  opens it from the disputed queue: the flag, the rating, the form to reopen it.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import boto3
import requests
from playwright.sync_api import Browser, Page, sync_playwright

from infra.template import REPO_ROOT
from tools.browser import launch_chromium, log_in_console
from tools.local.accounts import DEMO_PASSWORD, demo_email, demo_totp_secret
from tools.local.login import bearer

OUT = REPO_ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1366, "height": 900}
_API = re.compile(r"^\s+API\s+(http://127\.0\.0\.1:\d+)/v1\s*$")
_MOTO = re.compile(r"^\s+moto \(AWS\)\s+(http://127\.0\.0\.1:\d+)/moto-api/\s*$")
_TABLE = re.compile(r"^\s+table\s+(\S+)\s*$")
_DEMO_ROW = re.compile(r"^(\d{4}-\d{4}-\d{4})\s+\S+\s+\S+\s+(\S+)\s")
STARTUP_SECONDS = 120
STACK_ARGS = ("--port", "0", "--moto-port", "0")
SHOTS = (
    "console-queue.png",
    "console-detail.png",
    "tracking-rating-phone.png",
    "console-disputed.png",
)


class Stack:
    """`python -m tools.local.stack --demo` in its own process, until the demo is loaded.

    ``options`` replace ``--demo`` (the officer's guide: ``--training``, no demo); the
    stack is then ready once it has printed its accounts.
    """

    def __init__(self, *options: str, table: str = "pendopo-screenshots") -> None:
        self.demo = not options
        # The demo's last lines, or (no demo) the last line of the accounts.
        self._ready = (
            ("Demo data loaded", "Demo data NOT loaded") if self.demo else ("  verifikator.",)
        )
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "layers" / "common")])
        args = (*STACK_ARGS, "--table", table, *(options or ("--demo",)))
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "tools.local.stack", *args],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.loaded = threading.Event()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if line.startswith(self._ready):
                # The table of tickets follows the first line; give it a moment.
                threading.Timer(1.0, self.loaded.set).start()
        self.loaded.set()

    def wait(self) -> None:
        if not self.loaded.wait(STARTUP_SECONDS) or self.process.poll() is not None:
            raise RuntimeError("the local stack did not load the demo:\n" + "".join(self.lines))
        if self.demo and not any(line.startswith("Demo data loaded") for line in self.lines):
            raise RuntimeError("the demo data did not load:\n" + "".join(self.lines))

    def find(self, pattern: re.Pattern[str]) -> str:
        found = next((m.group(1) for m in map(pattern.match, self.lines) if m), None)
        if found is None:
            raise RuntimeError(f"no line matched {pattern.pattern}")
        return found

    def demo_tickets(self) -> dict[str, str]:
        """Category code -> ticket, from the table the demo prints."""
        return {m.group(2): m.group(1) for m in map(_DEMO_ROW.match, self.lines) if m}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def backdate(moto_url: str, table: str, ticket: str, due: datetime) -> None:
    client = boto3.client(
        "dynamodb",
        endpoint_url=moto_url,
        region_name="ap-southeast-3",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's dummy credentials
    )
    stamp = due.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    client.update_item(
        TableName=table,
        Key={"pk": {"S": f"C#{ticket}"}, "sk": {"S": "C"}},
        UpdateExpression="SET due_at = :due",
        ExpressionAttributeValues={":due": {"S": stamp}},
    )


def richest_complaint(api_url: str, email: str, status: str) -> str:
    """The ticket in this officer's queue (of a status) with the longest trail."""
    page = requests.get(
        f"{api_url}/v1/officer/complaints",
        headers=bearer(api_url, email),
        params={"status": status},
        timeout=30,
    ).json()
    return str(max(page["items"], key=lambda item: item["version"])["ticket"])


def finished_complaint(api_url: str) -> dict[str, str]:
    """A web complaint about a dark street, taken to Selesai by the demo officers: its receipt."""
    receipt: dict[str, str] = requests.post(
        f"{api_url}/v1/complaints",
        headers={"Idempotency-Key": "screenshot-rating-0001"},
        json={
            "channel": "web",
            "category": "STREET_LIGHTING",
            "title": "Lampu jalan mati di Jl. Cikini Raya",
            "description": "Tiga lampu jalan mati sejak seminggu; trotoar gelap di malam hari.",
            "reporter": {"name": "Rina Wulandari", "phone": "0813 2222 3333"},
        },
        timeout=30,
    ).json()
    verifier = bearer(api_url, demo_email("verifikator", "BIRO_PEM"))
    coordinator = bearer(api_url, demo_email("koordinator", "BIRO_PLH"))
    result = {"result": "Dinas Bina Marga mengganti tiga lampu pada 4 Desember; menyala kembali."}
    url = f"{api_url}/v1/officer/complaints/{receipt['ticket']}"
    for segment, headers, body in (
        ("verify", verifier, {}),
        ("disposition", coordinator, {"agency": "BINA_MARGA"}),
        ("follow-up", coordinator, result),
        ("accept", verifier, {}),
    ):
        version = requests.get(url, headers=headers, timeout=30).headers["ETag"]
        answer = requests.post(
            f"{url}/{segment}", headers={**headers, "If-Match": version}, json=body, timeout=30
        )
        answer.raise_for_status()
    return receipt


def rating_and_dispute(browser: Browser, origin: str, receipt: dict[str, str]) -> None:
    """The reporter rates the finished complaint on a phone; the verifier opens the dispute."""
    phone = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", timezone_id="UTC"
    ).new_page()
    phone.goto(
        f"{origin}/warga/lacak.html#tiket={receipt['ticket']}&kode={receipt['tracking_code']}"
    )
    phone.get_by_label("2 — tidak puas").check()
    phone.get_by_label("Tidak, belum selesai").check()
    phone.get_by_label("Komentar (boleh dikosongkan)").fill("Dua dari tiga lampu masih mati.")
    phone.screenshot(path=OUT / "tracking-rating-phone.png", full_page=True)
    phone.get_by_role("button", name="Kirim penilaian").click()
    phone.locator("#r-feedback").wait_for()

    page = desktop_page(browser)
    log_in(page, origin, "#/antrean?disputed=1", demo_email("verifikator", "BIRO_PEM"))
    page.get_by_role("link", name=receipt["ticket"]).click()
    page.get_by_role("button", name="Buka kembali").click()
    page.get_by_label("Alasan dibuka kembali").fill(
        "Pelapor menyatakan dua lampu masih mati; mohon Dinas Bina Marga memeriksa ulang."
    )
    page.screenshot(path=OUT / "console-disputed.png", full_page=True)


def desktop_page(browser: Browser) -> Page:
    """A page at the desktop size, in a context of its own (a session lives per tab)."""
    context = browser.new_context(
        viewport=VIEWPORT,  # type: ignore[arg-type]
        locale="id-ID",
        timezone_id="UTC",  # the page shows WIB whatever the browser's zone
    )
    return context.new_page()


def log_in(page: Page, origin: str, route: str, email: str) -> None:
    page.goto(f"{origin}/console/{route}")
    log_in_console(page, email, DEMO_PASSWORD, demo_totp_secret(email))


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    stack = Stack()
    try:
        stack.wait()
        api_url = stack.find(_API)
        tickets = stack.demo_tickets()
        # A road complaint still waiting for verification, 1 day 3 hours past its deadline.
        backdate(
            stack.find(_MOTO),
            stack.find(_TABLE),
            tickets["ROAD"],
            datetime.now(UTC) - timedelta(days=1, hours=3),
        )
        verifier = demo_email("verifikator", "BIRO_PEM")
        detail_ticket = richest_complaint(api_url, verifier, "awaiting_validation")
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = desktop_page(browser)
            log_in(page, api_url, "#/antrean", verifier)
            page.locator("table.queue tbody tr").first.wait_for()
            page.screenshot(path=OUT / "console-queue.png", full_page=True)

            page.get_by_role("link", name=detail_ticket).click()
            page.locator(".trail li").first.wait_for()
            page.get_by_role("button", name="Kembalikan hasil").click()
            page.locator("form[data-action=return]").wait_for()
            page.get_by_label("Alasan pengembalian").fill(
                "Lampirkan bukti pencairan dari Dinas Pendidikan, bukan hanya keterangan lisan."
            )
            page.screenshot(path=OUT / "console-detail.png", full_page=True)
            rating_and_dispute(browser, api_url, finished_complaint(api_url))
            browser.close()
    finally:
        stack.stop()
    for name in SHOTS:
        print(f"wrote {(OUT / name).relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of the officer console for the README: ``make screenshots``.

Starts the local stack with the demo data (``make demo``, on free ports), moves one
demo complaint's deadline into the past so the queue shows how an overdue complaint
is marked (no demo complaint is old enough otherwise), then drives headless chromium:

- ``docs/screenshots/console-queue.png``: the verifier's queue across every unit;
- ``docs/screenshots/console-detail.png``: a complaint whose follow-up result awaits
  validation, as the verifier sees it: result, audit trail, the form to send it back.
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
from playwright.sync_api import Page, sync_playwright

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
STACK_ARGS = ("--port", "0", "--moto-port", "0", "--table", "pendopo-screenshots")


class Stack:
    """`python -m tools.local.stack --demo` in its own process, until the demo is loaded."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "layers" / "common")])
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "tools.local.stack", *STACK_ARGS, "--demo"],
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
            if line.startswith(("Demo data loaded", "Demo data NOT loaded")):
                # The table of tickets follows the first line; give it a moment.
                threading.Timer(1.0, self.loaded.set).start()
        self.loaded.set()

    def wait(self) -> None:
        if not self.loaded.wait(STARTUP_SECONDS) or self.process.poll() is not None:
            raise RuntimeError("the local stack did not load the demo:\n" + "".join(self.lines))
        if not any(line.startswith("Demo data loaded") for line in self.lines):
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
            context = browser.new_context(
                viewport=VIEWPORT,  # type: ignore[arg-type]
                locale="id-ID",
                timezone_id="UTC",  # the page shows WIB whatever the browser's zone
            )
            page = context.new_page()
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
            browser.close()
    finally:
        stack.stop()
    for name in ("console-queue.png", "console-detail.png"):
        print(f"wrote {(OUT / name).relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

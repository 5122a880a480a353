"""The training stage's banner, "MODE PELATIHAN", in headless chromium.

Given the local stack started with the training stage's settings (``--training``, as
``make run TRAINING=1``), every page of the console, the kiosk and the citizen web
shows the banner; the stack without them (as production) shows it on none. The pages
read it from ``/config.json``, which the gateway serves from the stack's settings and
pendopo-publish-web writes from a deployed stack's ``TrainingMode``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.stack import RunningStack, running_stack
from tools.browser import log_in_console
from tools.local.accounts import DEMO_PASSWORD, demo_email, demo_totp_secret

pytestmark = pytest.mark.browser

PAGES = ["", "kiosk/", "warga/", "warga/lacak.html", "console/"]
BANNER = "#stage-banner"


@pytest.fixture(scope="module")
def training_stack() -> Iterator[RunningStack]:
    with running_stack(
        "pendopo-training", "--training", "--email-allow-list", "@latih.example"
    ) as stack:
        yield stack


def _origin(stack: RunningStack) -> str:
    return stack.api_url.removesuffix("/v1")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_of_the_training_stage_shows_the_banner(
    training_stack: RunningStack, desktop_page: Page, path: str
) -> None:
    # Given the training stage, When a page opens
    desktop_page.goto(f"{_origin(training_stack)}/{path}")
    # Then the banner is the first thing on it, in words
    banner = desktop_page.locator(BANNER)
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("MODE PELATIHAN")
    expect(banner).to_have_attribute("role", "note")
    first = desktop_page.evaluate("document.body.firstElementChild.id")
    assert first == "stage-banner"


@pytest.mark.parametrize("path", PAGES)
def test_no_page_of_a_stage_without_training_shows_the_banner(
    local_stack: RunningStack, desktop_page: Page, path: str
) -> None:
    # Given the stack as production runs (no training settings)
    desktop_page.goto(f"{_origin(local_stack)}/{path}")
    desktop_page.wait_for_load_state("networkidle")
    # Then the config was read and says so, and no banner is drawn
    config = requests.get(f"{_origin(local_stack)}/config.json", timeout=10).json()
    assert config["training"] is False
    expect(desktop_page.locator(BANNER)).to_have_count(0)
    expect(desktop_page.get_by_text("MODE PELATIHAN")).to_have_count(0)


def test_the_banner_stays_while_an_officer_works_in_the_console(
    training_stack: RunningStack, desktop_page: Page
) -> None:
    # Given the training console, When an officer logs in and the queue is drawn
    desktop_page.goto(f"{_origin(training_stack)}/console/")
    verifier = demo_email("verifikator", "BIRO_PEM")
    log_in_console(desktop_page, verifier, DEMO_PASSWORD, demo_totp_secret(verifier))
    expect(desktop_page.get_by_role("heading", name="Antrean", exact=False)).to_be_visible()
    # Then the banner is still there
    expect(desktop_page.locator(BANNER)).to_contain_text("MODE PELATIHAN")


def test_the_kiosk_keeps_the_banner_on_its_screens(
    training_stack: RunningStack, kiosk_page: Page
) -> None:
    kiosk_page.goto(f"{_origin(training_stack)}/kiosk/")
    kiosk_page.get_by_role("button", name="Sampaikan pengaduan").click()
    expect(kiosk_page.get_by_role("heading", name="Pengaduan Anda tentang apa?")).to_be_visible()
    expect(kiosk_page.locator(BANNER)).to_be_visible()

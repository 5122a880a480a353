"""Browser tests: Playwright driving headless Debian chromium against the local stack.

The web clients are served by the same local gateway as the API (``make run``), so
a page and its ``/v1`` calls share one origin, as they do behind CloudFront.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.support.stack import RunningStack, fail_if_the_stack_died, running_stack
from tools.browser import launch_chromium

KIOSK_VIEWPORT = {"width": 1080, "height": 1920}
PHONE_VIEWPORT = {"width": 360, "height": 740}
DESKTOP_VIEWPORT = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def local_stack() -> Iterator[RunningStack]:
    """The browser tests' own local stack (as ``make run`` starts it), not the HTTP tests'.

    One stack shared by every browser and HTTP test once exited under the HTTP tests, late
    in a full CI run (refused connections from then on; the cause was not found). Two
    stacks keep each one's life as long as a run of its own tests alone, which passes.
    """
    with running_stack("pendopo-browser", "--no-throttle") as stack:
        yield stack
        fail_if_the_stack_died(stack)


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    browser = launch_chromium(playwright_session)
    yield browser
    browser.close()


@pytest.fixture
def web_origin(local_stack: RunningStack) -> str:
    """http://127.0.0.1:<port>: where the gateway serves both web/ and /v1."""
    return local_stack.api_url.removesuffix("/v1")


def _context(browser: Browser, viewport: dict[str, int]) -> BrowserContext:
    # Times on every page are WIB whatever the machine's zone: the pages must not
    # depend on the browser's zone, and a Jakarta zone here would hide that.
    return browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        locale="id-ID",
        timezone_id="UTC",
        service_workers="block",
    )


def _page(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    """A page in its own context; at the end, no Content-Security-Policy violation.

    The local gateway sends the CSP that CloudFront adds in production (template.yaml,
    WebSecurityHeadersPolicy), and chromium reports every refusal on the console: an
    inline style or script that works locally but breaks when deployed fails here.
    """
    context = _context(browser, viewport)
    violations: list[str] = []
    context.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield context.new_page()
    context.close()
    assert violations == [], "the production CSP would block this:\n" + "\n".join(violations)


def _page_fixture(viewport: dict[str, int]) -> Any:
    """A fixture giving a fresh page of this size in its own context (see ``_page``)."""

    @pytest.fixture
    def page(browser: Browser) -> Iterator[Page]:
        yield from _page(browser, viewport)

    return page


desktop_page = _page_fixture(DESKTOP_VIEWPORT)
kiosk_page = _page_fixture(KIOSK_VIEWPORT)
phone_page = _page_fixture(PHONE_VIEWPORT)
# A second desktop browser (its own context, its own session), CSP-checked too.
second_desktop_page = _page_fixture(DESKTOP_VIEWPORT)

"""The browser setup itself: chromium starts and reaches the local gateway."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.support.stack import RunningStack
from tools.local.gateway import web_security_headers

pytestmark = pytest.mark.browser


def test_chromium_loads_the_landing_page_from_the_local_gateway(
    desktop_page: Page, web_origin: str
) -> None:
    response = desktop_page.goto(web_origin + "/")
    assert response is not None and response.status == 200
    assert desktop_page.locator("html").get_attribute("lang") == "id"


def test_the_web_files_carry_the_production_csp_and_chromium_enforces_it(
    browser: Browser, web_origin: str, local_stack: RunningStack
) -> None:
    # Given the landing page as the local gateway serves it
    context = browser.new_context()
    messages: list[str] = []
    context.on("console", lambda message: messages.append(message.text))
    page = context.new_page()
    response = page.goto(web_origin + "/")
    assert response is not None
    # Then it carries the CSP CloudFront adds in production (template.yaml), with moto's
    # origin for the files bucket's (where the presigned POSTs of uploads go)
    local_csp = dict(web_security_headers(local_stack.moto_url))["content-security-policy"]
    assert local_csp.startswith("default-src 'self'")
    assert f"connect-src 'self' {local_stack.moto_url};" in local_csp
    assert response.headers["content-security-policy"] == local_csp
    # And an inline script is refused, and the refusal is on the console, where the
    # page fixtures look for it
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.inlineRan = true'; document.body.append(s); }"""
    )
    assert page.evaluate("() => window.inlineRan === undefined")
    assert any("Content Security Policy" in text for text in messages), messages
    context.close()

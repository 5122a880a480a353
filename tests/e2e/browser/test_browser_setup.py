"""The browser setup itself: chromium starts and reaches the local gateway."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_chromium_loads_the_landing_page_from_the_local_gateway(
    desktop_page: Page, web_origin: str
) -> None:
    response = desktop_page.goto(web_origin + "/")
    assert response is not None and response.status == 200
    assert desktop_page.locator("html").get_attribute("lang") == "id"

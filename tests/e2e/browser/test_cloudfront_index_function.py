"""The CloudFront directory-index function of template.yaml, run in chromium's JS engine.

CloudFront Functions run JavaScript; this runs the template's own code on the
URIs the web clients use, so a broken rewrite fails here and not at the edge.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser

from infra.template import load_template

pytestmark = pytest.mark.browser


def test_directory_urls_get_their_index_and_bare_directories_a_redirect(browser: Browser) -> None:
    code = load_template()["Resources"]["WebDirectoryIndexFunction"]["Properties"]["FunctionCode"]
    uris = ["/", "/kiosk/", "/console/", "/kiosk", "/warga/lacak.html", "/shared/base.css"]
    page = browser.new_page()
    try:
        results = page.evaluate(
            f"""() => {{
                {code}
                return {json.dumps(uris)}.map((uri) => handler({{request: {{uri}}}}));
            }}"""
        )
    finally:
        page.close()
    answers = dict(zip(uris, results, strict=True))
    assert answers["/"]["uri"] == "/index.html"
    assert answers["/kiosk/"]["uri"] == "/kiosk/index.html"
    assert answers["/console/"]["uri"] == "/console/index.html"
    assert answers["/kiosk"] == {
        "statusCode": 301,
        "statusDescription": "Moved Permanently",
        "headers": {"location": {"value": "/kiosk/"}},
    }
    assert answers["/warga/lacak.html"] == {"uri": "/warga/lacak.html"}
    assert answers["/shared/base.css"] == {"uri": "/shared/base.css"}

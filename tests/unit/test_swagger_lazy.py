"""The docs page built on its first request is Powertools' own page, byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from pydantic import BaseModel

from pendopo.api.openapi import serve_swagger
from tools.local.events import http_api_event, lambda_context


class Thing(BaseModel):
    name: str


def _app(lazy: bool) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)
    options: dict[str, Any] = {
        "title": "Uji",
        "version": "1.2.3",
        "swagger_base_url": "https://cdn.example/swagger",
    }
    if lazy:
        serve_swagger(app, "/v1/docs", **options)
    else:
        app.enable_swagger(path="/v1/docs", **options)

    @app.get("/v1/things/<name>")
    def thing(name: str) -> Thing:
        return Thing(name=name)

    return app


@pytest.mark.parametrize("query", ["", "format=json", "format=oauth2-redirect"])
def test_the_lazy_page_is_the_page_enable_swagger_serves(query: str) -> None:
    answers = [
        _app(lazy).resolve(http_api_event("GET", "/v1/docs", query=query), lambda_context("t"))
        for lazy in (False, True)
    ]
    assert answers[0]["statusCode"] == 200
    assert answers[1] == answers[0]
    assert query != "format=json" or '"/v1/things/{name}"' in answers[1]["body"]


def test_registering_it_does_not_import_the_openapi_models() -> None:
    code = (
        "import sys\n"
        "from aws_lambda_powertools.event_handler import APIGatewayHttpResolver\n"
        "from pendopo.api.openapi import serve_swagger\n"
        "serve_swagger(APIGatewayHttpResolver(enable_validation=True), '/docs')\n"
        "print('aws_lambda_powertools.event_handler.openapi.models' in sys.modules)\n"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert out.stdout.strip() == "False"

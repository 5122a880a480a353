"""The OpenAPI documents name only answers the routes give, in their own words.

Powertools adds a 422 "Validation Error" (HTTPValidationError, English) to every
operation of a validating resolver. A route that declares its own 422 replaces it
with ErrorBody; on a route that declares none (it never answers 422) it is dropped,
in the served document and in the docs page alike.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Header, Path
from pydantic import BaseModel

from pendopo.api.errors import INVALID, error_doc
from pendopo.api.openapi import serve_openapi, serve_swagger, without_injected_validation_errors
from tools.local.events import http_api_event, lambda_context

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}


class Thing(BaseModel):
    name: str


def _app() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)
    serve_openapi(app, "/v1/openapi.json", "Uji", "1.0.0")
    serve_swagger(
        app,
        "/v1/docs",
        document_filter=without_injected_validation_errors,
        title="Uji",
        version="1.0.0",
        swagger_base_url="https://cdn.example/swagger",
    )

    @app.get("/v1/things/<name>", responses={200: {"description": "Ada"}, **INVALID})
    def thing(name: Annotated[str, Path(max_length=5)]) -> Thing:
        return Thing(name=name)

    @app.get(
        "/v1/guesses/<ticket>",
        responses={200: {"description": "Ada"}, 404: error_doc("Tidak ditemukan")},
    )
    def guess(
        ticket: Annotated[str, Path()], code: Annotated[str | None, Header()] = None
    ) -> Thing:
        return Thing(name=ticket)

    return app


def _get(app: APIGatewayHttpResolver, path: str, query: str = "") -> dict[str, Any]:
    return app.resolve(http_api_event("GET", path, query=query), lambda_context("t"))


def test_the_served_document_drops_the_injected_422_and_keeps_a_declared_one() -> None:
    answer = _get(_app(), "/v1/openapi.json")
    document = json.loads(answer["body"])
    guesses = document["paths"]["/v1/guesses/{ticket}"]["get"]["responses"]
    things = document["paths"]["/v1/things/{name}"]["get"]["responses"]
    assert sorted(guesses) == ["200", "404"]
    assert things["422"]["content"]["application/json"]["schema"] == ERROR_BODY
    schemas = set(document["components"]["schemas"])
    assert not {"HTTPValidationError", "ResponseValidationError", "ValidationError"} & schemas
    assert "Validation Error" not in answer["body"]


def test_the_docs_page_shows_the_same_document() -> None:
    app = _app()
    page = _get(app, "/v1/docs", "format=json")
    assert page["statusCode"] == 200
    shown = json.loads(page["body"])
    served = json.loads(_get(app, "/v1/openapi.json")["body"])
    assert "Validation Error" not in page["body"]
    assert shown["paths"] == served["paths"]
    html = _get(app, "/v1/docs")["body"]
    assert "HTTPValidationError" not in html and re.search(r"/v1/guesses/\{ticket\}", html)


def test_a_document_without_the_injected_answer_is_left_alone() -> None:
    document = {
        "paths": {"/a": {"get": {"responses": {"422": {"content": {}}}}}},
        "components": {"schemas": {"ErrorBody": {"type": "object"}}},
    }
    before = json.loads(json.dumps(document))
    assert without_injected_validation_errors(document) == before

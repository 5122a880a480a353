"""The API's own description: its OpenAPI document, and the Swagger page that shows it.

``serve_openapi`` answers a path with the document, generated once per cold start,
without the 422 Powertools injects into every operation
(``without_injected_validation_errors``): our 422 is the documented error body.

The Swagger UI route is built on its first request instead of at cold start.
Powertools' ``enable_swagger`` imports its OpenAPI models (``openapi.models``: some
fifty pydantic models, about 70 ms to build) when it is called, so calling it at
import time put that cost on every cold start of the intake function, although
only ``/v1/docs`` needs it and no kiosk or citizen request does. ``serve_swagger``
registers the route at once (so routing is unchanged) and calls Powertools'
``enable_swagger`` on the first ``/v1/docs`` request, capturing the handler it
defines instead of registering it: the page is Powertools' own, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any, cast

import aws_lambda_powertools.event_handler
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from pendopo.api.responses import json_response

# What Powertools adds to every operation of a validating resolver: a 422 "Validation
# Error" with its own English schema (HTTPValidationError), which our handlers never
# send (the error map answers 422 with ErrorBody); and to the components,
# whether used or not, ResponseValidationError. Both refer to ValidationError.
_INJECTED_422 = {"$ref": "#/components/schemas/HTTPValidationError"}
_INJECTED_SCHEMAS = ("HTTPValidationError", "ResponseValidationError", "ValidationError")


def without_injected_validation_errors(document: dict[str, Any]) -> dict[str, Any]:
    """The document without Powertools' own 422 where a route declares none.

    A route that can refuse input declares its 422 (``INVALID``, with ErrorBody),
    which replaces Powertools' one; a route that declares none never answers 422
    (the tracking route answers every guess with one 404), so the injected answer
    is dropped rather than documented in English with a body we never send. The
    schemas it referenced go too once nothing refers to them.
    """
    for item in document.get("paths", {}).values():
        for operation in item.values():
            responses = operation.get("responses", {})
            injected = responses.get("422", {}).get("content", {}).get("application/json", {})
            if injected.get("schema") == _INJECTED_422:
                del responses["422"]
    schemas = document.get("components", {}).get("schemas", {})
    for name in _INJECTED_SCHEMAS:  # the last is referred to by the others
        if f'"#/components/schemas/{name}"' not in json.dumps(document):
            schemas.pop(name, None)
    return document


def serve_openapi(app: APIGatewayHttpResolver, path: str, title: str, version: str) -> None:
    """Answer ``path`` with the app's OpenAPI document, generated once per cold start."""

    @cache
    def document() -> str:
        generated = json.loads(app.get_openapi_json_schema(title=title, version=version))
        return json.dumps(without_injected_validation_errors(generated), ensure_ascii=False)

    @app.get(path, include_in_schema=False)
    def openapi_document() -> Response[str]:
        return json_response(HTTPStatus.OK, document())


# The Swagger UI version the docs page loads when the layer leaves out Powertools'
# bundled copy (jsDelivr serves npm packages, and minified files on request).
SWAGGER_UI_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14"


def swagger_base_url() -> str | None:
    """None to inline Powertools' bundled Swagger UI; the CDN when the layer left it out.

    The deployed layer drops the 1.7 MB of assets (layers/common/Makefile); a
    development install keeps them, so the local docs page works offline.
    """
    bundled = (
        Path(aws_lambda_powertools.event_handler.__file__).parent
        / "openapi"
        / "swagger_ui"
        / "swagger-ui-bundle.min.js"
    )
    return None if bundled.is_file() else SWAGGER_UI_CDN


DocumentFilter = Callable[[dict[str, Any]], dict[str, Any]]


class _CaptureRoute:
    """Stands in for the resolver while ``enable_swagger`` runs: its ``get`` keeps the
    handler instead of registering a route, its ``get_openapi_schema`` passes the
    document through ``document_filter``; everything else is the resolver's."""

    def __init__(
        self, app: APIGatewayHttpResolver, document_filter: DocumentFilter | None = None
    ) -> None:
        self._app = app
        self._filter = document_filter
        self.handler: Callable[[], Any] | None = None

    def get_openapi_schema(self, **options: Any) -> Any:
        schema = self._app.get_openapi_schema(**options)
        if self._filter is None:
            return schema
        from aws_lambda_powertools.event_handler.openapi.models import OpenAPI

        document = schema.model_dump(mode="json", by_alias=True, exclude_none=True)
        return OpenAPI.model_validate(self._filter(document))

    def get(self, *_: Any, **__: Any) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
        def keep(handler: Callable[[], Any]) -> Callable[[], Any]:
            self.handler = handler
            return handler

        return keep

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)


def serve_swagger(
    app: APIGatewayHttpResolver,
    path: str,
    document_filter: DocumentFilter | None = None,
    **options: Any,
) -> None:
    """``app.enable_swagger(path=path, **options)``, built when ``path`` is first asked for.

    ``document_filter`` edits the document the page shows, as ``serve_openapi`` edits
    the one it serves, so both say the same.
    """
    built: list[Callable[[], Any]] = []

    @app.get(path, include_in_schema=False)
    def swagger_ui() -> Any:
        if not built:
            capture = _CaptureRoute(app, document_filter)
            APIGatewayHttpResolver.enable_swagger(cast(Any, capture), path=path, **options)
            if capture.handler is None:  # Powertools changed how it registers the route
                raise RuntimeError("enable_swagger registered no route")
            built.append(capture.handler)
        return built[0]()

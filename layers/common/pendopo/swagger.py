"""The Swagger UI route, built on its first request instead of at cold start.

Powertools' ``enable_swagger`` imports its OpenAPI models (``openapi.models``: some
fifty pydantic models, about 70 ms to build) when it is called, so calling it at
import time put that cost on every cold start of the intake function, although
only ``/v1/docs`` needs it and no kiosk or citizen request does. ``serve_swagger``
registers the route at once (so routing is unchanged) and calls Powertools'
``enable_swagger`` on the first ``/v1/docs`` request, capturing the handler it
defines instead of registering it: the page is Powertools' own, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

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

"""How every API function is put together: one resolver, one error map, one entry point.

``json_api`` builds a function's resolver (validation on, our JSON parsing, the error
map, the OpenAPI document and, for the public API, the Swagger page);
``lambda_handler_for`` gives its Lambda entry point, which refuses what the body guard
refuses before the resolver parses anything.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from pendopo.api.body import body_size, guard_json_request, parse_json_body, too_large_message
from pendopo.api.errors import ErrorDialect, ErrorReply, register_error_map
from pendopo.api.openapi import (
    serve_openapi,
    serve_swagger,
    swagger_base_url,
    without_injected_validation_errors,
)
from pendopo.runtime.observability import logger, metrics

# The context is Lambda's (a LambdaContext) or a stand-in of the local stack and benches.
LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def json_api(
    title: str,
    version: str,
    openapi_path: str,
    *,
    storage: bool,
    swagger_path: str | None = None,
    dialect: ErrorDialect | None = None,
) -> APIGatewayHttpResolver:
    """A validating resolver with the error map and its OpenAPI document at ``openapi_path``.

    ``storage``: the function uses the table (its busy answers are mapped to 503).
    ``swagger_path``: where the Swagger page shows the document, built on first request.
    ``dialect``: the paths it claims answer errors in its shape (Open311's).
    """
    app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=parse_json_body)
    if swagger_path is not None:
        # Built on the first request: Powertools' OpenAPI models cost ~70 ms of init.
        serve_swagger(
            app,
            swagger_path,
            document_filter=without_injected_validation_errors,
            title=title,
            version=version,
            swagger_base_url=swagger_base_url(),
        )
    register_error_map(app, storage=storage, dialect=dialect)
    serve_openapi(app, openapi_path, title, version)
    return app


def resolve_json_api(
    app: APIGatewayHttpResolver,
    event: dict[str, Any],
    context: Any,
    max_body_bytes: int,
    dialect: ErrorDialect | None = None,
) -> dict[str, Any]:
    """Refuse oversized or non-JSON bodies before the resolver parses them, then resolve.

    A path the ``dialect`` claims is refused only for its size (413, in the dialect's
    shape): its routes read their own media types (Open311's are form-encoded).
    """
    path = str(event.get("rawPath") or "")
    if dialect is not None and dialect.claims(path):
        if body_size(event) > max_body_bytes:
            reply = ErrorReply(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, too_large_message(max_body_bytes)
            )
            return dialect.raw(path, reply)
        return app.resolve(event, context)
    event, refused = guard_json_request(event, max_body_bytes)
    if refused is not None:
        return refused
    return app.resolve(event, context)


def lambda_handler_for(
    app: APIGatewayHttpResolver, max_body_bytes: int, dialect: ErrorDialect | None = None
) -> LambdaHandler:
    """The function's entry point: logs with the request's correlation id, flushes metrics."""

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    @metrics.log_metrics
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return resolve_json_api(app, event, context, max_body_bytes, dialect)

    return lambda_handler

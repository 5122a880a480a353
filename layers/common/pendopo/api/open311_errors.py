"""Open311 errors, as the specification writes them: a list of ``{code, description}``.

JSON: ``[{"code": 400, "description": "..."}]``; XML: ``<errors><error><code>400</code>
<description>...</description></error></errors>``. ``code`` is the HTTP status (as
FixMyStreet answers), one entry per problem, so a request with several wrong fields
hears of all of them at once. The status: 403 for a missing or wrong key, 404 for
what does not exist, 400 for the rest (a 422 of ours is a 400 here); a body over the
limit stays 413 and a busy table 503. The format follows the path's extension
(JSON when it has none we know).

Every error on an Open311 path is answered this way: the error map
(``pendopo.api.errors.register_error_map``) asks ``OPEN311_ERRORS.claims(path)`` and
hands the error over, and the body guard does the same before the resolver runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response

from pendopo.api.errors import ErrorReply
from pendopo.api.open311_format import CONTENT_TYPES, Format, format_of, open311_response, render

OPEN311_PREFIX = "/open311/"
ERRORS_ROOT = "errors"


def spec_status(status: HTTPStatus) -> HTTPStatus:
    """The specification's status for ours: what the client sent wrong is a 400."""
    if status is HTTPStatus.UNPROCESSABLE_ENTITY or status is HTTPStatus.UNSUPPORTED_MEDIA_TYPE:
        return HTTPStatus.BAD_REQUEST
    return status


def spec_errors(status: HTTPStatus, descriptions: Sequence[str]) -> list[dict[str, Any]]:
    """One ``{code, description}`` per problem; ``code`` is the HTTP status."""
    return [{"code": status.value, "description": text} for text in descriptions]


def descriptions_of(message: str, field_errors: Sequence[Mapping[str, Any]] | None) -> list[str]:
    """One description per invalid field (``"page: Minimal 1."``), else the message."""
    if not field_errors:
        return [message]
    return [f"{error['field']}: {error['message']}" for error in field_errors]


def open311_error_response(
    status: HTTPStatus,
    fmt: Format,
    descriptions: Sequence[str],
    headers: Mapping[str, str] | None = None,
) -> Response[str]:
    """The errors as the specification writes them, in ``fmt``."""
    answered = spec_status(status)
    return open311_response(
        answered, fmt, ERRORS_ROOT, spec_errors(answered, descriptions), headers
    )


class Open311Errors:
    """Answers every error on the Open311 paths in the specification's shape."""

    def claims(self, path: str) -> bool:
        # A named stage prefixes the raw path ("/prod/open311/v2/..."); routes are "/open311/...".
        return path.startswith(OPEN311_PREFIX) or OPEN311_PREFIX in path

    def answer(self, path: str, reply: ErrorReply) -> Response[str]:
        """The error answer inside the resolver."""
        fmt = format_of(path) or Format.JSON
        descriptions = descriptions_of(reply.message, reply.field_errors)
        return open311_error_response(reply.status, fmt, descriptions, reply.headers)

    def raw(self, path: str, reply: ErrorReply) -> dict[str, Any]:
        """The same answer as an HTTP API response, for guards that run before the resolver."""
        fmt = format_of(path) or Format.JSON
        answered = spec_status(reply.status)
        return {
            "statusCode": answered.value,
            "headers": {"Content-Type": CONTENT_TYPES[fmt], **reply.headers},
            "body": render(fmt, ERRORS_ROOT, spec_errors(answered, [reply.message])),
        }


OPEN311_ERRORS = Open311Errors()

"""The base of every error a client is told about, and the errors more than one part raises.

An error that reaches a caller carries its own answer: the HTTP status, the message
in Bahasa Indonesia a client can show, and, for some, more fields of the error body
(``details``) or headers (``headers``). The API maps them all in one place
(``pendopo.api.errors.register_error_map``), so domain, services and storage raise
what happened and no handler repeats how to say it. Standard library only: the
domain stays pure, and every layer may derive from it.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, ClassVar

# Error types of the domain's own validators start with this; their messages are
# Indonesian already, so the HTTP edge shows them as they are (pendopo.domain.complaint
# and pendopo.domain.uploads use it; here so that neither imports the other for it).
CUSTOM_ERROR_PREFIX = "pendopo_"


class PendopoError(Exception):
    """An error with its answer: ``status``, ``message``, and optional body fields and headers.

    Subclasses set ``status`` and ``message``; one whose message depends on the case
    sets ``self.message`` when raised. The exception's own arguments are not the
    message: they are what a log or a test reads (``str(error)``).
    """

    status: ClassVar[HTTPStatus]
    message: str
    # Seconds a client should wait before sending the same request again (Retry-After).
    retry_after: ClassVar[int | None] = None

    def details(self) -> dict[str, Any]:
        """Fields of the error body besides ``message`` (field errors, current status)."""
        return {}

    def headers(self) -> dict[str, str]:
        """Headers of the answer besides Content-Type."""
        return {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}


class ComplaintNotFound(PendopoError):
    """No complaint with this ticket (or, on the public tracking route, this code)."""

    status = HTTPStatus.NOT_FOUND
    message = "Pengaduan tidak ditemukan."

    def __init__(self, message: str | None = None) -> None:
        # The public tracking route says more: what to check (ticket and code).
        if message is not None:
            self.message = message
        super().__init__()


class InvalidField(PendopoError):
    """A well-formed request whose one field cannot be used (HTTP 422)."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)

    def details(self) -> dict[str, Any]:
        return {"errors": [{"field": self.field, "message": self.message}]}


class Busy(PendopoError):
    """Busy for now: the same request may be sent again in ``retry_after`` seconds (HTTP 503)."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    retry_after: ClassVar[int | None] = 1

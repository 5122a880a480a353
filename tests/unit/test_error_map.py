"""One error map: every error a client hears of carries its status, message, fields and headers.

Given the errors of domain, services, storage and the caller's identity, when a route
raises one, then the map answers with what the error carries and nothing else.
"""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest

import pendopo.api.identity
import pendopo.services.accounts
import pendopo.services.intake
import pendopo.services.workflow
import pendopo.storage.complaints
from pendopo.api.resolver import json_api
from pendopo.domain.errors import PendopoError
from pendopo.domain.status import Action, Status, TransitionNotAllowed
from tools.local.events import http_api_event, lambda_context

# Imported so that every error class exists before the subclasses are counted.
MODULES = (
    pendopo.api.identity,
    pendopo.services.accounts,
    pendopo.services.intake,
    pendopo.services.workflow,
    pendopo.storage.complaints,
)


def _subclasses(cls: type[PendopoError]) -> list[type[PendopoError]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_every_error_names_its_status() -> None:
    errors = _subclasses(PendopoError)
    assert len(errors) >= 18, [e.__name__ for e in errors]
    for error in errors:
        assert isinstance(error.status, HTTPStatus), error.__name__


def _answer(error: Exception) -> dict[str, object]:
    app = json_api("Uji", "1.0.0", "/openapi.json", storage=False)

    @app.get("/raise")
    def raise_it() -> None:
        raise error

    return app.resolve(http_api_event("GET", "/raise"), lambda_context("t"))


@pytest.mark.parametrize(
    ("error", "status", "body", "headers"),
    [
        (
            TransitionNotAllowed(Action.ACKNOWLEDGE, Status.WAITING),
            409,
            {
                "message": "Tindakan ini tidak dapat dilakukan karena status pengaduan "
                "sekarang Menunggu.",
                "current_status": {"code": "waiting", "label": "Menunggu"},
            },
            {},
        ),
        (
            pendopo.services.intake.IntakeBusy(),
            503,
            {
                "message": "Sistem sedang sibuk. Silakan kirim ulang dengan Idempotency-Key "
                "yang sama."
            },
            {"Retry-After": "1"},
        ),
        (
            pendopo.services.workflow.InvalidQuery("status", "Status tidak dikenal: x."),
            422,
            {
                "message": "Status tidak dikenal: x.",
                "errors": [{"field": "status", "message": "Status tidak dikenal: x."}],
            },
            {},
        ),
    ],
)
def test_the_map_answers_what_the_error_carries(
    error: PendopoError, status: int, body: dict[str, object], headers: dict[str, str]
) -> None:
    answer = _answer(error)
    assert answer["statusCode"] == status
    assert json.loads(str(answer["body"])) == body
    assert answer["headers"] == {"Content-Type": "application/json", **headers}


def test_an_exception_that_is_no_pendopo_error_stays_a_function_error() -> None:
    with pytest.raises(ValueError, match="ours"):
        _answer(ValueError("ours"))

"""A bug the OpenAPI fuzz found on the login routes (see test_fuzz_regressions.py).

In its own module: the auth fixture's moto user pool lives for the module.
"""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import call
from tests.integration.test_fuzz_regressions import INVALID_JSON, NOT_UTF8


def test_login_with_a_body_that_is_not_utf8_is_422(auth: Any):
    answer = call(
        auth, "POST", "/v1/auth/login", headers={"content-type": "application/json"}, body=NOT_UTF8
    )
    assert answer.status == 422, answer.body
    assert answer.body["errors"][0]["message"] == INVALID_JSON

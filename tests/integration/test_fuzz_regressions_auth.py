"""A bug the OpenAPI fuzz found on the login routes (see test_fuzz_regressions.py).

In its own module: the auth fixture's moto user pool lives for the module.
"""

from __future__ import annotations

import re
from typing import Any

from tests.support.bodies import INVALID_JSON, NOT_UTF8
from tests.support.handlers import call


def test_login_with_a_body_that_is_not_utf8_is_422(auth: Any):
    answer = call(
        auth, "POST", "/v1/auth/login", headers={"content-type": "application/json"}, body=NOT_UTF8
    )
    assert answer.status == 422, answer.body
    assert answer.body["errors"][0]["message"] == INVALID_JSON


# The fuzz never got past validation on the login routes: the document said only
# "a string of 3 to 128 characters", so nearly every generated email was refused
# with a 422 and Cognito was never asked. The pattern is now documented, and the
# route refuses exactly what breaks it.
EMAIL_REFUSED = "Alamat email tidak valid. Contoh: nama@jakarta.go.id."


def test_the_login_document_names_the_email_pattern_the_routes_hold_to(auth: Any):
    document = call(auth, "GET", "/v1/auth/openapi.json").body
    schemas = document["components"]["schemas"]
    pattern = schemas["LoginRequest"]["properties"]["email"]["pattern"]
    assert schemas["NewPasswordRequest"]["properties"]["email"]["pattern"] == pattern
    # Addresses with spaces around them match it (the route trims them) ...
    for email in ("nama@jakarta.go.id", "  Nama@Jakarta.GO.ID \n"):
        assert re.search(pattern, email)
        answer = call(auth, "POST", "/v1/auth/login", json={"email": email, "password": "Salah-1!"})
        assert answer.status == 401, answer.body
    # ... what does not match is refused before Cognito, with the email's own message
    for email in ("nama@jakarta", "na ma@jakarta.go.id", "nama@@jakarta.go.id", "nama@x.c0m"):
        assert not re.search(pattern, email)
        answer = call(auth, "POST", "/v1/auth/login", json={"email": email, "password": "Salah-1!"})
        assert answer.status == 422, answer.body
        assert answer.body["errors"][0]["message"] == EMAIL_REFUSED

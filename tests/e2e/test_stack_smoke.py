"""The local stack answers over HTTP: the API document is served, unknown paths are 404."""

from __future__ import annotations

import pytest
import requests

from infra.local.stack import LocalStack

pytestmark = pytest.mark.e2e


def test_openapi_document_is_served(local_stack: LocalStack) -> None:
    # Given the local stack is running
    # When a client asks for the API description
    response = requests.get(f"{local_stack.api_url}/v1/openapi.json", timeout=30)
    # Then it gets an OpenAPI document listing the intake routes
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/v1/complaints" in document["paths"]


def test_unknown_path_is_404(local_stack: LocalStack) -> None:
    response = requests.get(f"{local_stack.api_url}/nope", timeout=30)
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}

"""The OpenAPI documents and the docs page stay byte-identical to the recorded ones.

Recorded before the restructure of issue #15 (one error map, the API helpers in
their own package): a change of layout must not change what partners, the docs page
and the fuzz read. A deliberate change of an API re-records them:
``PENDOPO_RECORD_OPENAPI=1 .venv/bin/python -m pytest tests/integration/test_openapi_snapshot.py``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.handlers import officer_claims
from tools.local.events import http_api_event, lambda_context

SNAPSHOTS = Path(__file__).parent / "snapshots"
RECORDING = os.environ.get("PENDOPO_RECORD_OPENAPI") == "1"

DOCUMENTS = [
    ("intake", "/v1/openapi.json", "intake-openapi.json"),
    # The docs page inlines Swagger UI's assets here (1.7 MB): its digest is recorded.
    ("intake", "/v1/docs", "intake-docs.html.sha256"),
    ("auth", "/v1/auth/openapi.json", "auth-openapi.json"),
    ("route", "/v1/officer/openapi.json", "officer-openapi.json"),
]


@pytest.mark.parametrize(("function", "path", "snapshot"), DOCUMENTS)
def test_the_served_document_is_byte_identical_to_the_recorded_one(
    function: str, path: str, snapshot: str, request: pytest.FixtureRequest
):
    module: Any = request.getfixturevalue(function)
    claims = officer_claims("plh", "koordinator", "BIRO_PLH") if function == "route" else None
    event = http_api_event("GET", path, authorizer_claims=claims) if claims else None
    result = module.lambda_handler(
        event or http_api_event("GET", path), lambda_context("OpenApiSnapshot")
    )
    assert result["statusCode"] == 200, result
    served: str = result["body"]
    if snapshot.endswith(".sha256"):
        served = hashlib.sha256(served.encode()).hexdigest() + "\n"
    recorded = SNAPSHOTS / snapshot
    if RECORDING:
        recorded.write_text(served, encoding="utf-8")
    assert served == recorded.read_text(encoding="utf-8")

"""Whatever a client sends, the intake answers 2xx or 4xx with a message: never a 5xx."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.citizen import complaint_body
from tests.support.handlers import call

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELD_PATHS = [
    ("channel",),
    ("category",),
    ("title",),
    ("description",),
    ("reporter",),
    ("reporter", "name"),
    ("reporter", "nik"),
    ("reporter", "phone"),
    ("reporter", "email"),
    ("reporter", "anonymous"),
    ("location",),
    ("location", "lat"),
    ("location", "lon"),
    ("location", "text"),
]
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _with(body: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    target = body
    for key in path[:-1]:
        if not isinstance(target.get(key), dict):
            target[key] = {}
        target = target[key]
    target[path[-1]] = value
    return body


def _assert_client_error_or_success(answer: Any) -> None:
    assert answer.status in {201, 409, 413, 422}, (answer.status, answer.body)
    if answer.status != 201:
        assert isinstance(answer.body, dict) and answer.body["message"]


@FUZZ
@given(raw=st.text(max_size=300) | JSON_VALUES.map(json.dumps))
def test_arbitrary_bodies_never_cause_a_5xx(intake, raw):
    headers = {"Idempotency-Key": "fuzz-key-0001", "content-type": "application/json"}
    answer = call(intake, "POST", "/v1/complaints", headers=headers, body=raw)
    _assert_client_error_or_success(answer)


@FUZZ
@given(path=st.sampled_from(FIELD_PATHS), value=JSON_VALUES, key=st.text(max_size=140))
def test_one_wrong_field_or_key_never_causes_a_5xx(intake, path, value, key):
    body = _with(complaint_body(), path, value)
    answer = call(intake, "POST", "/v1/complaints", headers={"Idempotency-Key": key}, json=body)
    _assert_client_error_or_success(answer)


@FUZZ
@given(ticket=st.text(max_size=30), code=st.text(max_size=30))
def test_tracking_guesses_get_only_404_or_422(intake, ticket, code):
    safe_ticket = ticket.replace("/", "").replace("?", "").replace("#", "") or "x"
    headers = {"X-Tracking-Code": code.encode("latin-1", "ignore").decode("latin-1")}
    answer = call(intake, "GET", f"/v1/complaints/{safe_ticket}", headers=headers)
    assert answer.status in {404, 422}, (answer.status, answer.body)

"""Every route of the OpenAPI documents fuzzed over HTTP with schemathesis.

The local stack serves three generated documents: the public one
(``/v1/openapi.json``: intake and the walk-in route), the login routes'
(``/v1/auth/openapi.json``) and the officer one (``/v1/officer/openapi.json``,
behind the authorizer like the routes it describes). Together they must cover
every HttpApi route of template.yaml, and the first test fails when one does not.

Then schemathesis generates requests from them, valid (positive) and invalid
(negative), and sends them to the local gateway twice over: as callers without a
valid token (none, garbage, a tampered signature) and as officers of every role.
Every answer must be no 5xx, a documented status code, the documented content
type, and a body matching the documented schema; an invalid request must be
refused with a 4xx. Part of the cases aim at complaints that exist (their ticket,
tracking code and current ``If-Match`` version), so the workflow actions answer
200, 409 and 412 too, not only 404.

Deterministic: Hypothesis runs derandomized (a fixed seed per test) with no
example database, and without shrinking (each step is an HTTP call against a
stack whose state moves on). Every case is counted; the last test asserts the
run made at least ``MIN_CASES``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from infra.local.accounts import DEMO_PASSWORD, demo_email
from infra.template import http_routes
from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.e2e

PUBLIC_DOCUMENT = "/v1/openapi.json"
AUTH_DOCUMENT = "/v1/auth/openapi.json"
OFFICER_DOCUMENT = "/v1/officer/openapi.json"
# Routes that serve the documents themselves (not described in them).
DOCUMENT_ROUTES = frozenset(
    {
        f"GET {PUBLIC_DOCUMENT}",
        f"GET {AUTH_DOCUMENT}",
        f"GET {OFFICER_DOCUMENT}",
        "GET /v1/docs",
    }
)
# Per operation, per generation mode, per kind of caller: 19 operations x 20 valid
# cases, plus 16 that take input x 20 invalid ones, for each of 2 callers: 1,400.
EXAMPLES_PER_RUN = 20
MIN_CASES = 1_000
CALLERS = ("without_valid_token", "officer")
CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# The unit of the complaints the fuzz creates, and officers in and outside it.
UNIT = "BIRO_PLH"
CATEGORY = "STREET_LIGHTING"
OFFICERS = (
    ("petugas", UNIT),
    ("koordinator", UNIT),
    ("koordinator", "BIRO_KESOS"),
    ("verifikator", "BIRO_PEM"),
    ("admin", None),
)
REAL_COMPLAINTS = 6
# The submission routes, with the channel their body names (the walk-in's is implied).
SUBMISSIONS = {"/v1/complaints": "web", "/v1/officer/complaints": None}
HTTP_TIMEOUT = 30

# What the fuzz tests did, read by the last test: cases per (caller, operation, mode).
CASES: Counter[tuple[str, str, str]] = Counter()
# And what they were answered: (operation, status code) -> count.
ANSWERS: Counter[tuple[str, int]] = Counter()


# --- the documents --------------------------------------------------------------------


@cache
def login(api_url: str, role: str, unit: str | None) -> str:
    answer = requests.post(
        f"{api_url}/v1/auth/login",
        json={"email": demo_email(role, unit), "password": DEMO_PASSWORD},
        timeout=HTTP_TIMEOUT,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def tampered(token: str) -> str:
    """The token with its signature's first character changed: a forged token."""
    header, payload, signature = token.split(".")
    first = "B" if signature[0] != "B" else "C"
    return f"{header}.{payload}.{first}{signature[1:]}"


@pytest.fixture(scope="module")
def documents(local_stack: RunningStack) -> dict[str, dict[str, Any]]:
    api = local_stack.api_url
    officer = bearer(login(api, "koordinator", UNIT))
    loaded = {}
    for path, headers in (
        (PUBLIC_DOCUMENT, {}),
        (AUTH_DOCUMENT, {}),
        (OFFICER_DOCUMENT, officer),
    ):
        answer = requests.get(f"{api}{path}", headers=headers, timeout=HTTP_TIMEOUT)
        assert answer.status_code == 200, (path, answer.status_code, answer.text)
        loaded[path] = answer.json()
    return loaded


def _pattern(path: str) -> re.Pattern[str]:
    """A path with {parameters} as a pattern where a parameter is one segment."""
    parts = re.split(r"\{[^/{}]+\}", path)
    return re.compile("^" + "[^/]+".join(map(re.escape, parts)) + "$")


def _operations(documents: dict[str, dict[str, Any]]) -> set[str]:
    return {
        f"{method.upper()} {path}"
        for document in documents.values()
        for path, item in document["paths"].items()
        for method in item
    }


def test_the_documents_cover_every_route_of_the_template(
    documents: dict[str, dict[str, Any]],
) -> None:
    # Given the routes the template deploys and the operations the documents describe
    documented = _operations(documents)
    routes = {f"{r.method} {r.path}" for r in http_routes()} - DOCUMENT_ROUTES

    def matches(route: str, operation: str) -> bool:
        method, path = route.split(" ", 1)
        op_method, op_path = operation.split(" ", 1)
        # {action} in the template is one operation per action in the document.
        return method == op_method and bool(_pattern(path).match(op_path))

    # Then every route is described, and every described operation is a route
    undocumented = sorted(r for r in routes if not any(matches(r, op) for op in documented))
    unrouted = sorted(op for op in documented if not any(matches(r, op) for r in routes))
    assert undocumented == [], "template routes missing from the OpenAPI documents"
    assert unrouted == [], "documented operations no template route serves"


def test_every_error_answer_is_documented_with_the_error_body(
    documents: dict[str, dict[str, Any]],
) -> None:
    # Powertools documents a listed status without content with the route's own
    # model: a 404 described as a receipt. Every 4xx/5xx must name ErrorBody.
    wrong = [
        f"{method.upper()} {path} {status}"
        for document in documents.values()
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for status, response in operation["responses"].items()
        if int(status) >= 400
        and response.get("content", {}).get("application/json", {}).get("schema")
        != {"$ref": "#/components/schemas/ErrorBody"}
    ]
    assert wrong == []


def test_no_document_shows_powertools_english_validation_error(
    local_stack: RunningStack, documents: dict[str, dict[str, Any]]
) -> None:
    # Powertools documents a 422 "Validation Error" (HTTPValidationError) on every
    # operation; it is replaced by ErrorBody or dropped, in the docs page too.
    page = requests.get(
        f"{local_stack.api_url}/v1/docs", params={"format": "json"}, timeout=HTTP_TIMEOUT
    )
    assert page.status_code == 200
    texts = {path: json.dumps(document) for path, document in documents.items()}
    texts["/v1/docs"] = page.text
    english = sorted(
        path
        for path, text in texts.items()
        if "Validation Error" in text or "ValidationError" in text
    )
    assert english == []


def test_a_throttled_answer_is_documented_on_every_operation(
    documents: dict[str, dict[str, Any]],
) -> None:
    # Every route has at least the stage's default throttle (template.yaml).
    missing = sorted(
        f"{method.upper()} {path}"
        for document in documents.values()
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "429" not in operation["responses"]
    )
    assert missing == []


# --- the complaints the fuzz aims at -----------------------------------------------------


@dataclass
class RealComplaint:
    ticket: str
    tracking_code: str


@dataclass
class Targets:
    api_url: str
    complaints: list[RealComplaint] = field(default_factory=list)

    def current_version(self, ticket: str) -> str | None:
        """The complaint's ETag now, as a verifier reads it (they see every unit)."""
        answer = requests.get(
            f"{self.api_url}/v1/officer/complaints/{ticket}",
            headers=bearer(login(self.api_url, "verifikator", "BIRO_PEM")),
            timeout=HTTP_TIMEOUT,
        )
        return answer.headers.get("ETag") if answer.status_code == 200 else None


def valid_details(number: int) -> dict[str, Any]:
    """A complaint the API accepts (a walk-in's body; the kiosk adds its channel)."""
    return {
        "category": CATEGORY,
        "title": f"Lampu jalan mati nomor {number}",
        "description": "Lampu penerangan jalan mati sejak kemarin, jalan gelap.",
        "reporter": {"name": "Warga Uji Fuzz", "phone": "081234567890"},
    }


@pytest.fixture(scope="module")
def targets(local_stack: RunningStack) -> Targets:
    """A few complaints submitted at the kiosk, for the fuzz's requests to hit."""
    found = Targets(local_stack.api_url)
    for number in range(REAL_COMPLAINTS):
        answer = requests.post(
            f"{local_stack.api_url}/v1/complaints",
            headers={"Idempotency-Key": f"fuzz-{uuid.uuid4().hex}"},
            json={"channel": "kiosk", **valid_details(number)},
            timeout=HTTP_TIMEOUT,
        )
        assert answer.status_code == 201, answer.text
        body = answer.json()
        found.complaints.append(RealComplaint(body["ticket"], body["tracking_code"]))
    return found


# --- the fuzz ----------------------------------------------------------------------------


def caller_headers(api_url: str, caller: str) -> list[dict[str, str]]:
    if caller == "officer":
        return [bearer(login(api_url, role, unit)) for role, unit in OFFICERS]
    valid = login(api_url, "koordinator", UNIT)
    return [{}, bearer("not-a-token"), bearer(tampered(valid)), {"Authorization": ""}]


@dataclass
class Findings:
    """Distinct failures, each with one way to reproduce it."""

    seen: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def add(self, operation: str, error: Failure | FailureGroup, curl: str) -> None:
        failures = error.exceptions if isinstance(error, FailureGroup) else (error,)
        for failure in failures:
            key = (operation, failure.code, failure.title)
            self.seen.setdefault(key, f"{_short(str(failure))}\n  reproduce: {_short(curl)}")

    def report(self) -> str:
        return "\n\n".join(
            f"{operation} [{code}] {text}" for (operation, code, _), text in self.seen.items()
        )


def _short(text: str, limit: int = 1500) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


# What a parameter's schema may say without constraining its value.
_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "example"})
_ANY_STRING = ({"type": "string"}, {"anyOf": [{"type": "string"}, {"type": "null"}]})


def _can_be_invalid(operation: schemathesis.APIOperation) -> bool:
    """Whether any request to the operation breaks its document.

    Not when it takes no body and every parameter is an optional (or path) string
    without a constraint: the tracking route, which answers every guess with one 404.
    """
    if operation.body:
        return True
    for parameter in operation.iter_parameters():
        definition = parameter.definition
        schema = {k: v for k, v in definition.get("schema", {}).items() if k not in _ANNOTATIONS}
        required = definition.get("required", False) and definition.get("in") != "path"
        if required or schema not in _ANY_STRING:
            return True
    return False


def _aimed(
    targets: Targets, case: schemathesis.Case, complaint: RealComplaint | None, fresh: bool
) -> None:
    """Point a generated case at a complaint that exists, keeping the rest generated.

    A submission gets a body the API accepts instead (its generated key kept), so
    the 201 answer is checked too: generated text rarely passes the phone, NIK and
    character rules, which a JSON schema does not express.
    """
    if complaint is None:
        return
    if case.operation.method.upper() == "POST" and case.operation.path in SUBMISSIONS:
        number = targets.complaints.index(complaint)
        channel = SUBMISSIONS[case.operation.path]
        case.body = {**({"channel": channel} if channel else {}), **valid_details(number)}
        return
    if "ticket" not in (case.path_parameters or {}):
        return
    case.path_parameters = {**(case.path_parameters or {}), "ticket": complaint.ticket}
    headers = dict(case.headers or {})
    if case.operation.path == "/v1/complaints/{ticket}":
        headers["x-tracking-code"] = complaint.tracking_code
    elif case.operation.method.upper() == "POST" and fresh:
        version = targets.current_version(complaint.ticket)
        if version is not None:
            headers["If-Match"] = version
    case.headers = headers


def fuzz(
    operation: schemathesis.APIOperation,
    mode: GenerationMode,
    callers: list[dict[str, str]],
    targets: Targets,
    on_case: Callable[[], None],
    findings: Findings,
) -> None:
    api_url = targets.api_url
    # Only valid requests are aimed: an invalid one must stay invalid.
    aims = (
        st.sampled_from([None, *targets.complaints])
        if mode is GenerationMode.POSITIVE
        else st.just(None)
    )

    @settings(
        max_examples=EXAMPLES_PER_RUN,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=mode),
        headers=st.sampled_from(callers),
        complaint=aims,
        fresh=st.booleans(),
    )
    def run(
        case: schemathesis.Case,
        headers: dict[str, str],
        complaint: RealComplaint | None,
        fresh: bool,
    ) -> None:
        _aimed(targets, case, complaint, fresh)
        on_case()
        response = case.call(base_url=api_url, headers=headers, timeout=HTTP_TIMEOUT)
        ANSWERS[operation.label, response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup) as error:
            findings.add(operation.label, error, case.as_curl_command(headers, base_url=api_url))

    run()


def all_operations(
    documents: dict[str, dict[str, Any]],
) -> Iterator[schemathesis.APIOperation]:
    for document in documents.values():
        for result in schemathesis.openapi.from_dict(document).get_all_operations():
            yield result.ok()


@pytest.mark.parametrize("caller", CALLERS)
def test_fuzzed_requests_get_documented_answers_and_never_a_5xx(
    caller: str,
    local_stack: RunningStack,
    documents: dict[str, dict[str, Any]],
    targets: Targets,
) -> None:
    # Given every operation of the three documents, and callers of one kind
    callers = caller_headers(local_stack.api_url, caller)
    findings = Findings()
    # When schemathesis sends valid and invalid requests to each
    for operation in all_operations(documents):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            key = (caller, operation.label, mode.value)

            def count(key: tuple[str, str, str] = key) -> None:
                CASES[key] += 1

            try:
                fuzz(operation, mode, callers, targets, count, findings)
            except Unsatisfiable:
                # No invalid request exists for an operation without constrained inputs.
                assert mode is GenerationMode.NEGATIVE and not _can_be_invalid(operation), key
    # Then every answer conformed to its document
    assert not findings.seen, f"{len(findings.seen)} distinct failures:\n\n{findings.report()}"


def test_the_fuzz_ran_at_least_a_thousand_cases() -> None:
    # Runs after the fuzz tests above (file order).
    ran = {(caller, operation) for caller, operation, _ in CASES}
    callers = {caller for caller, _ in ran}
    per_caller = {
        caller: sum(n for (c, _, _), n in CASES.items() if c == caller) for caller in callers
    }
    assert callers == set(CALLERS), f"the fuzz tests did not all run: {per_caller}"
    assert sum(CASES.values()) >= MIN_CASES, per_caller
    answers: dict[str, dict[int, int]] = {}
    for (operation, status), n in sorted(ANSWERS.items()):
        answers.setdefault(operation, {})[status] = n
    print(f"\nfuzz: {sum(CASES.values())} cases {per_caller}")
    for operation, statuses in answers.items():
        print(f"  {operation}: {statuses}")

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
refused with a 4xx. Part of the valid cases aim at what exists, so the success
paths are fuzzed too, not only validation: an action at a complaint in a status it
may leave (its ticket, the current ``If-Match``, the officer whose step it is), a
login with a demo account, a refresh with a real token. The last test prints the
answers per operation and asserts that they got that far.

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
from itertools import cycle
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from pydantic import ValidationError
from schemathesis import GenerationMode
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from infra.template import http_routes
from pendopo.domain.status import TRANSITIONS, Action, Status
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.domain.workflow import COMMANDS
from tests.support.stack import RunningStack
from tools.local.accounts import DEMO_PASSWORD, demo_email
from tools.local.login import log_in

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
# Per operation, per generation mode, per kind of caller: 20 valid cases (fewer for an
# operation without inputs: Hypothesis stops when it has drawn every distinct case) and 20
# invalid ones for the 15 operations that have invalid requests, for each of 2 callers:
# 1,267 in all.
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
    return str(log_in(api_url, demo_email(role, unit), timeout=HTTP_TIMEOUT)["access_token"])


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


def _error_schema(path: str, status: str) -> dict[str, Any] | None:
    """The JSON error an operation must document: ErrorBody, or Open311's list of errors.

    Open311 answers its own errors as the specification writes them (a JSON array of
    ``{code, description}``, or XML), API Gateway's throttling (429) with ErrorBody.
    """
    if path.startswith("/open311/") and status != "429":
        return {"items": {"$ref": "#/components/schemas/Open311ErrorItem"}, "type": "array"}
    return {"$ref": "#/components/schemas/ErrorBody"}


def test_every_error_answer_is_documented_with_the_error_body(
    documents: dict[str, dict[str, Any]],
) -> None:
    # Powertools documents a listed status without content with the route's own
    # model: a 404 described as a receipt. Every 4xx/5xx must name ErrorBody (Open311's
    # own errors: the specification's list, and in XML on its .xml routes).
    wrong = []
    for document in documents.values():
        for path, item in document["paths"].items():
            for method, operation in item.items():
                for status, response in operation["responses"].items():
                    content = response.get("content", {})
                    schema = content.get("application/json", {}).get("schema")
                    if schema is not None:
                        schema = {k: v for k, v in schema.items() if k != "title"}
                    json_ok = schema == _error_schema(path, status)
                    xml_only = path.endswith(".xml") and set(content) == {"text/xml"}
                    if int(status) >= 400 and not (json_ok or xml_only):
                        wrong.append(f"{method.upper()} {path} {status}")
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


# --- what the fuzz aims at ---------------------------------------------------------------

# The action routes' last segment, and the action each takes.
ACTIONS: dict[str, Action] = {
    "verify": Action.VERIFY,
    "reject": Action.REJECT,
    "reroute": Action.REROUTE,
    "disposition": Action.DISPOSITION,
    "acknowledge": Action.ACKNOWLEDGE,
    "follow-up": Action.SUBMIT_FOLLOW_UP,
    "accept": Action.ACCEPT_FOLLOW_UP,
    "return": Action.REJECT_FOLLOW_UP,
}
SOURCES = {t.action: t.sources for t in TRANSITIONS}
VERIFIER = ("verifikator", "BIRO_PEM")
COORDINATOR = ("koordinator", UNIT)
# Who may take each action on a complaint of UNIT.
ACTORS: dict[Action, tuple[str, str]] = {
    Action.VERIFY: VERIFIER,
    Action.REJECT: VERIFIER,
    Action.REROUTE: VERIFIER,
    Action.DISPOSITION: COORDINATOR,
    Action.ACKNOWLEDGE: COORDINATOR,
    Action.SUBMIT_FOLLOW_UP: COORDINATOR,
    Action.ACCEPT_FOLLOW_UP: VERIFIER,
    Action.REJECT_FOLLOW_UP: VERIFIER,
}
# The way a complaint is taken forward to the status an action needs.
FORWARD = (Action.VERIFY, Action.DISPOSITION, Action.ACKNOWLEDGE, Action.SUBMIT_FOLLOW_UP)
TAXONOMY = load_taxonomy()
AGENCY = TAXONOMY.agencies_of(UNIT)[0].code
# A body each command accepts, for when a generated one breaks a rule no schema says
# (control characters, text that is only spaces).
VALID_COMMANDS: dict[Action, dict[str, Any]] = {
    Action.VERIFY: {"note": "Pengaduan valid."},
    Action.REJECT: {"reason": "Bukan kewenangan Pemprov."},
    Action.REROUTE: {"reason": "Kategori kurang tepat."},
    Action.DISPOSITION: {"agency": AGENCY, "note": "Mohon ditindaklanjuti."},
    Action.ACKNOWLEDGE: {"note": "Sedang dikerjakan."},
    Action.SUBMIT_FOLLOW_UP: {"result": "Lampu sudah diperbaiki petugas.", "attachments": []},
    Action.ACCEPT_FOLLOW_UP: {},
    Action.REJECT_FOLLOW_UP: {"reason": "Foto hasil belum ada."},
}
WRONG_PASSWORD = "bukan-kata-sandi-ini"


def other_category(unit: str) -> str:
    """A category of another unit than ``unit``: what a re-route needs."""
    return next(c.code for c in TAXONOMY.categories.values() if c.unit != unit)


@dataclass
class RealComplaint:
    ticket: str
    tracking_code: str
    status: Status = Status.WAITING
    unit: str = UNIT
    version: int = 1


@dataclass
class Targets:
    api_url: str
    refresh_token: str
    complaints: list[RealComplaint] = field(default_factory=list)
    upload_id: str | None = None

    def upload(self) -> str:
        """The id of an upload slot asked for once (being checked: nothing is sent)."""
        if self.upload_id is None:
            answer = requests.post(
                f"{self.api_url}/v1/uploads",
                json={"filename": "foto.jpg", "content_type": "image/jpeg", "size": 1000},
                timeout=HTTP_TIMEOUT,
            )
            assert answer.status_code == 201, answer.text
            self.upload_id = str(answer.json()["upload_id"])
        return self.upload_id

    def headers_of(self, officer: tuple[str, str | None]) -> dict[str, str]:
        return bearer(login(self.api_url, *officer))

    def submit(self) -> RealComplaint:
        number = len(self.complaints)
        answer = requests.post(
            f"{self.api_url}/v1/complaints",
            headers={"Idempotency-Key": f"fuzz-{uuid.uuid4().hex}"},
            json={"channel": "kiosk", **valid_details(number)},
            timeout=HTTP_TIMEOUT,
        )
        assert answer.status_code == 201, answer.text
        body = answer.json()
        complaint = RealComplaint(body["ticket"], body["tracking_code"])
        self.complaints.append(complaint)
        return complaint

    def read(self, complaint: RealComplaint) -> None:
        """Its status, unit and version now, as a verifier reads them (every unit)."""
        answer = requests.get(
            f"{self.api_url}/v1/officer/complaints/{complaint.ticket}",
            headers=self.headers_of(VERIFIER),
            timeout=HTTP_TIMEOUT,
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        complaint.status = Status(body["status"]["code"])
        complaint.unit = body["unit"]["code"]
        complaint.version = body["version"]

    def act(self, complaint: RealComplaint, action: Action) -> None:
        segment = next(s for s, a in ACTIONS.items() if a is action)
        answer = requests.post(
            f"{self.api_url}/v1/officer/complaints/{complaint.ticket}/{segment}",
            headers={**self.headers_of(ACTORS[action]), "If-Match": f'"{complaint.version}"'},
            json=VALID_COMMANDS[action],
            timeout=HTTP_TIMEOUT,
        )
        assert answer.status_code == 200, answer.text
        self.read(complaint)

    def not_ready_for(self, action: Action) -> RealComplaint:
        """A complaint of UNIT in a status ``action`` may not leave (the action's 409)."""
        return next(
            (c for c in self.complaints if c.unit == UNIT and c.status not in SOURCES[action]),
            self.complaints[0],
        )

    def ready_for(self, action: Action) -> RealComplaint:
        """A complaint of UNIT in a status ``action`` may leave: one there, or a new one
        submitted and taken forward by the officers whose step it is."""
        ready = [c for c in self.complaints if c.unit == UNIT and c.status in SOURCES[action]]
        if ready:
            return ready[0]
        complaint = self.submit()
        for step in FORWARD:
            if complaint.status in SOURCES[action]:
                break
            self.act(complaint, step)
        assert complaint.status in SOURCES[action], (action, complaint)
        return complaint


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
    """A few complaints submitted at the kiosk, for the fuzz's requests to hit (more
    are submitted and taken forward as the actions need them), and a refresh token."""
    answer = requests.post(
        f"{local_stack.api_url}/v1/auth/login",
        json={"email": demo_email(*COORDINATOR), "password": DEMO_PASSWORD},
        timeout=HTTP_TIMEOUT,
    )
    assert answer.status_code == 200, answer.text
    found = Targets(local_stack.api_url, answer.json()["refresh_token"])
    for _ in range(REAL_COMPLAINTS):
        found.submit()
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


# How a valid (positive) case is aimed, taken in turn (so every kind is sent whatever
# Hypothesis draws, and the run stays deterministic); None leaves it as generated.
# An action is aimed at a complaint in a status it may leave: "stale" keeps the
# generated If-Match (412, 428), "fresh" sends the current version, "acting" also
# sends it as the officer whose step it is (an officer caller only); "too_late" is
# "acting" at a complaint in a status it may not leave (409).
ACTION_AIMS = (None, "stale", "fresh", "acting", "too_late")
LOGIN_AIMS = (None, "right", "wrong")
OTHER_AIMS = (None, "aimed", "aimed")


def _aims(operation: schemathesis.APIOperation) -> tuple[str | None, ...]:
    method, path = operation.method.upper(), operation.path
    if method == "POST" and path.rsplit("/", 1)[-1] in ACTIONS and "{ticket}" in path:
        return ACTION_AIMS
    if path == "/v1/auth/login":
        return LOGIN_AIMS
    return OTHER_AIMS


def _acceptable(action: Action, body: dict[str, Any]) -> bool:
    try:
        COMMANDS[action].model_validate(body)
    except ValidationError:
        return False
    return True


def _command(action: Action, generated: Any, complaint: RealComplaint) -> dict[str, Any]:
    """The generated body with what only the stack knows put right: a category of
    another unit, an agency of the complaint's unit, attachment keys under its ticket.
    A generated body that still breaks a rule no schema says gives way to a valid one."""
    real: dict[str, Any] = {}
    body = dict(generated) if isinstance(generated, dict) else {}
    if action is Action.REROUTE:
        real["category"] = other_category(complaint.unit)
    if action is Action.DISPOSITION:
        real["agency"] = AGENCY
    if action is Action.SUBMIT_FOLLOW_UP:
        count = len(body.get("attachments") or [])
        real["attachments"] = [
            f"attachments/{complaint.ticket}/hasil-{n}.pdf" for n in range(count)
        ]
    body.update(real)
    return body if _acceptable(action, body) else {**VALID_COMMANDS[action], **real}


def _aimed(
    targets: Targets,
    case: schemathesis.Case,
    aim: str | None,
    headers: dict[str, str],
    officer_caller: bool,
) -> tuple[dict[str, str], RealComplaint | None]:
    """Point a generated case at what exists, keeping the rest generated.

    Returns the caller's headers (an acting officer's, for "acting") and the
    complaint whose status the answer may have changed. A submission gets a body the
    API accepts instead (its generated key kept), so the 201 answer is checked too:
    generated text rarely passes the phone, NIK and character rules, which a JSON
    schema does not express. A login gets a demo account's email with its password
    or a wrong one, a refresh a real refresh token, the TOTP routes a real account.
    """
    if aim is None:
        return headers, None
    method, path = case.operation.method.upper(), case.operation.path
    if path == "/v1/auth/login":
        password = DEMO_PASSWORD if aim == "right" else WRONG_PASSWORD
        case.body = {"email": demo_email("petugas", UNIT), "password": password}
        return headers, None
    if path == "/v1/auth/refresh":
        case.body = {"refresh_token": targets.refresh_token}
        return headers, None
    if path in ("/v1/auth/new-password", "/v1/auth/mfa") and isinstance(case.body, dict):
        # A real account, the generated session: Cognito itself refuses it (401).
        case.body = {**case.body, "email": demo_email("petugas", UNIT)}
        return headers, None
    if path == "/v1/auth/mfa/setup" and isinstance(case.body, dict):
        # A real account and its password, the generated code: no TOTP setup was begun,
        # so Cognito refuses the code (401).
        case.body = {**case.body, "email": demo_email("petugas", UNIT), "password": DEMO_PASSWORD}
        return headers, None
    if method == "POST" and path in SUBMISSIONS:
        number = len(targets.complaints)
        channel = SUBMISSIONS[path]
        case.body = {**({"channel": channel} if channel else {}), **valid_details(number)}
        return headers, None
    if path == "/v1/uploads/{upload_id}":
        # A real upload (a slot asked for): its status, not only the one 404
        case.path_parameters = {**(case.path_parameters or {}), "upload_id": targets.upload()}
        return headers, None
    if "ticket" not in (case.path_parameters or {}):
        return headers, None
    action = ACTIONS.get(path.rsplit("/", 1)[-1]) if method == "POST" else None
    if action is None:
        complaint = targets.complaints[0]
    elif aim == "too_late":
        complaint = targets.not_ready_for(action)
    else:
        complaint = targets.ready_for(action)
    case.path_parameters = {**(case.path_parameters or {}), "ticket": complaint.ticket}
    sent = dict(case.headers or {})
    if path == "/v1/complaints/{ticket}":
        sent["x-tracking-code"] = complaint.tracking_code
    if action is not None:
        case.body = _command(action, case.body, complaint)
        if aim in ("fresh", "acting", "too_late"):
            sent["If-Match"] = f'"{complaint.version}"'
        if aim in ("acting", "too_late") and officer_caller:
            headers = targets.headers_of(ACTORS[action])
    case.headers = sent
    return headers, complaint if action else None


def fuzz(
    operation: schemathesis.APIOperation,
    mode: GenerationMode,
    callers: list[dict[str, str]],
    officer_caller: bool,
    targets: Targets,
    on_case: Callable[[], None],
    findings: Findings,
) -> None:
    api_url = targets.api_url
    # Only valid requests are aimed: an invalid one must stay invalid.
    aims = cycle(_aims(operation) if mode is GenerationMode.POSITIVE else (None,))

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
        caller=st.sampled_from(callers),
    )
    def run(case: schemathesis.Case, caller: dict[str, str]) -> None:
        headers, moved = _aimed(targets, case, next(aims), caller, officer_caller)
        on_case()
        response = case.call(base_url=api_url, headers=headers, timeout=HTTP_TIMEOUT)
        ANSWERS[operation.label, response.status_code] += 1
        if moved is not None and response.status_code in (200, 409, 412):
            targets.read(moved)  # it moved on, or another step had moved it
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
                fuzz(operation, mode, callers, caller == "officer", targets, count, findings)
            except Unsatisfiable:
                # No invalid request exists for an operation without constrained inputs.
                assert mode is GenerationMode.NEGATIVE and not _can_be_invalid(operation), key
    # Then every answer conformed to its document
    assert not findings.seen, f"{len(findings.seen)} distinct failures:\n\n{findings.report()}"


def test_the_fuzz_ran_at_least_a_thousand_cases_and_reached_the_success_paths() -> None:
    # Runs after the fuzz tests above (file order).
    ran = {(caller, operation) for caller, operation, _ in CASES}
    callers = {caller for caller, _ in ran}
    per_caller = {
        caller: sum(n for (c, _, _), n in CASES.items() if c == caller) for caller in callers
    }
    answers: dict[str, dict[int, int]] = {}
    for (operation, status), n in sorted(ANSWERS.items()):
        answers.setdefault(operation, {})[status] = n
    print(f"\nfuzz: {sum(CASES.values())} cases {per_caller}")
    for operation, statuses in answers.items():
        print(f"  {operation}: {statuses}")
    assert callers == set(CALLERS), f"the fuzz tests did not all run: {per_caller}"
    assert sum(CASES.values()) >= MIN_CASES, per_caller
    # Past validation: a login that succeeds and one Cognito refuses ...
    login = answers.get("POST /v1/auth/login", {})
    assert login.get(200) and login.get(401), login
    # ... and codes that reach Cognito, which refuses them (the TOTP routes).
    for route in ("POST /v1/auth/mfa", "POST /v1/auth/mfa/setup"):
        assert answers.get(route, {}).get(401), (route, answers.get(route))
    # ... and officer actions that change a complaint, re-route and follow-up among them.
    succeeded = {
        segment
        for segment in ACTIONS
        if any(
            200 <= status < 300
            for status in answers.get(f"POST /v1/officer/complaints/{{ticket}}/{segment}", {})
        )
    }
    assert {"reroute", "follow-up"} <= succeeded, succeeded
    assert len(succeeded - {"reroute", "follow-up"}) >= 4, succeeded
    # ... and upload slots handed out (public and officers') and a real upload's status.
    assert answers.get("POST /v1/uploads", {}).get(201), answers.get("POST /v1/uploads")
    officer_slots = answers.get("POST /v1/officer/uploads", {})
    assert officer_slots.get(201), officer_slots
    status = answers.get("GET /v1/uploads/{upload_id}", {})
    assert status.get(200) and status.get(404), status

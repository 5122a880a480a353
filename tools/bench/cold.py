"""Cold start of every function (``make bench``; ``python -m tools.bench.cold``).

A Lambda cold start is the init phase (importing the handler module, which builds
the resolver, settings, services and AWS clients) **plus** the first invocation,
which pays everything the init deferred: lazily built pydantic validators,
Powertools' per-route dependants, templates, botocore's first request (signing,
serialising, parsing). Both are measured here, in the same fresh interpreter, for
each of the seven functions in ``template.yaml``, against the baseline every Python
Lambda that talks to DynamoDB pays: ``import boto3`` plus one DynamoDB client
(init), and one ``GetItem`` on that client (first request).

How:
- Every measurement is a fresh interpreter (``python -c``). The variants run
  round-robin (baseline, then each function with bytecode, then each without)
  ``rounds`` times, so machine noise hits all of them alike; medians are reported,
  in wall time and in process CPU time.
- The first request is one representative invocation per function (below). No
  network: a botocore ``before-send`` hook on every client the init created answers
  each AWS call with canned bytes, so botocore still signs, serialises and parses
  as it would against AWS. The canned DynamoDB items are real: a preparation run
  submits a complaint through the intake handler and records the items it wrote.
- Nothing from the harness is imported before the init is timed; it is loaded (by
  file path) after, and the canned answers are built in a separate process.
- **From the artifact, as Lambda runs it**: each function runs from ``make
  build-host``'s twin of ``sam build`` (``.aws-sam/host/``) on Python 3.13, in ``python
  -I -S -B`` (no site-packages, no ``PYTHON*`` variables, nothing written) with
  ``sys.path`` set, before the clock starts, to the function's artifact folder, the
  layer's ``python/`` folder and the runtime's site (boto3/botocore at the pinned
  versions, compiled as the runtime ships them): ``tools/build/runtime.py``, which the
  artifact tests use too. The baseline runs with an empty task folder and that site.
  The modules load from the bytecode the build compiled (unchecked-hash, beside every
  .py); **without bytecode** measures a copy of the same artifacts with every
  ``__pycache__`` removed (what every cold start compiled before issue #14), the
  runtime's site and the standard library still compiled. One unmeasured run of each
  variant first warms the OS file cache. The development venv also holds ``awscrt``
  and pyOpenSSL, which botocore imports when present and the runtime does not have:
  every measured run reports whether either was imported, and the bench refuses it.
- ``--compare REVISION`` builds that revision's twin (its own ``tools/build/host.py``,
  in a ``git archive`` of it) and measures its functions in the same round-robin.
"""

from __future__ import annotations

import base64
import gc
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

# Computed here, not imported: the measured interpreters load this module as their harness.
REPO_ROOT = Path(__file__).resolve().parents[2]
GOAL = 1.3
RESULT_MARK = "BENCH_COLD_RESULT "
SCENARIOS_ENV = "BENCH_COLD_SCENARIOS"
REGION = "ap-southeast-3"
TABLE = "pendopo-bench-complaints"

# Modules botocore/urllib3 import when installed, which the Lambda runtime does not have.
NOT_ON_LAMBDA = ("awscrt", "OpenSSL")
WITH_BYTECODE = "bytecode"
WITHOUT_BYTECODE = "source"

BASELINE = "baseline"
# Function name -> handler module (template.yaml ``Handler:``).
FUNCTIONS: dict[str, str] = {
    "intake": "functions.intake.app",
    "auth": "functions.auth.app",
    "route": "functions.route.app",
    "notify": "functions.notify.app",
    "sla_check": "functions.sla_check.app",
    "monthly_recap": "functions.monthly_recap.app",
    "check_upload": "functions.check_upload.app",
}
# What each first request is, for the report.
FIRST_REQUESTS: dict[str, str] = {
    BASELINE: "one DynamoDB `GetItem`",
    "intake": "`POST /v1/complaints` (kiosk submission)",
    "auth": "`POST /v1/auth/login` (Cognito `InitiateAuth`)",
    "route": "`POST /v1/officer/complaints/<ticket>/verify` (verifier)",
    "notify": "a stream batch with one `submit` audit event (emails to the unit)",
    "sla_check": "the scheduled daily check, one overdue complaint",
    "monthly_recap": "the scheduled recap, one complaint in the month",
    "check_upload": "an S3 event for a 1280 x 960 JPEG with GPS EXIF (decoded, re-encoded)",
}
VERIFIER_CLAIMS = {
    "sub": "sub-verifikator",
    "username": "verifikator.biro-pem@pendopo.example",
    "cognito:groups": "[verifikator BIRO_PEM]",
    "token_use": "access",
    "client_id": "bench-client",
    "exp": "4102444800",
}


def bench_env(code_root: Path = REPO_ROOT) -> dict[str, str]:
    """The environment of every interpreter: as a deployed function's, no endpoint.

    ``PYTHONPATH`` (the source tree, for the preparation run) is ignored by the measured
    interpreters, which run isolated (``-I``) with ``sys.path`` set in their code.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env.update(
        {
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": f"{code_root}{os.pathsep}{code_root / 'layers' / 'common'}",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "TABLE_NAME": TABLE,
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_SERVICE_NAME": "pendopo-bench",
            "SES_SENDER": "pendopo@pendopo.example",
            "CONSOLE_URL": "https://pendopo.example/console/",
            "USER_POOL_ID": f"{REGION}_bench",
            "USER_POOL_CLIENT_ID": "bench-client",
            "FILES_BUCKET": "pendopo-bench-files",
        }
    )
    return env


# ------------------------------------------------------------------ the artifacts


@dataclass
class Variant:
    """One measured thing: ``name``'s init from ``path`` (the ``sys.path`` before the stdlib)."""

    label: str  # unique in a run: "intake", "intake@source", "intake@compared"
    name: str  # BASELINE or a key of FUNCTIONS
    path: list[str]


def logical_ids() -> dict[str, str]:
    """Function name (FUNCTIONS) -> its LogicalId in template.yaml."""
    from tools.build.runtime import lambda_functions

    by_module = {module: logical_id for logical_id, (module, _) in lambda_functions().items()}
    return {name: by_module[module] for name, module in FUNCTIONS.items()}


def current_host_build() -> Path:
    """``make build-host``'s twin, which must be current."""
    from tools.build.host import HOST_DIR, stale_artifacts

    stale = stale_artifacts()
    if stale:
        raise RuntimeError(
            f"the host build of {', '.join(stale)} is missing or stale: run `make build-host`"
        )
    return HOST_DIR


def without_bytecode(build: Path, logical_ids: list[str], into: Path) -> Path:
    """A copy of the layer and of ``logical_ids``'s artifacts with no ``__pycache__``."""
    import shutil

    from tools.build.runtime import LAYER

    for logical_id in [LAYER, *logical_ids]:
        shutil.copytree(
            build / logical_id, into / logical_id, ignore=shutil.ignore_patterns("__pycache__")
        )
    return into


def compared_build(revision: str, into: Path) -> Path:
    """``revision``'s twin, built by its own ``tools/build/host.py`` in a ``git archive``."""
    import subprocess

    into.mkdir(parents=True, exist_ok=True)
    root = _checkout(revision, into)
    host = root / "tools" / "build" / "host.py"
    if not host.exists():
        raise RuntimeError(f"{revision} has no tools/build/host.py: no twin to compare with")
    print(f"Cold start: building the twin of {revision} in {root}", flush=True)
    # A package since tools/build/__init__.py (python -m); earlier revisions ran it as a script.
    packaged = (root / "tools" / "build" / "__init__.py").exists()
    command = ["-m", "tools.build.host"] if packaged else [str(host)]
    subprocess.run([sys.executable, *command], cwd=root, check=True)  # noqa: S603
    return root / ".aws-sam" / "host"


# ------------------------------------------------------------------ in the child


class _Raw:
    """The raw HTTP body botocore reads from (``stream()``), as urllib3's response."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, *_: Any, **__: Any) -> Any:
        yield self._body

    # A streamed body (S3 GetObject) is read and closed as urllib3's response is.
    def read(self, amt: int | None = None, **__: Any) -> bytes:
        size = len(self._body) if amt is None else amt
        chunk, self._body = self._body[:size], self._body[size:]
        return chunk

    def close(self) -> None:
        pass


class _Context:
    function_name = "bench"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = f"arn:aws:lambda:{REGION}:123456789012:function:bench"
    aws_request_id = "00000000-0000-4000-8000-000000000000"
    log_group_name = "/aws/lambda/bench"
    log_stream_name = "2025/01/01/[$LATEST]bench"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def live_clients(kind: type) -> list[Any]:
    """Every live object of ``kind`` (the botocore clients the init created).

    ``gc.get_objects()`` leaves out the permanent generation, where the handler
    modules move what their init created (``pendopo.runtime.coldstart``): unfreeze to look, then
    freeze again, so the first request meets the collector as it would on Lambda.
    """
    frozen = gc.get_freeze_count()
    if frozen:
        gc.unfreeze()
    found = [o for o in gc.get_objects() if isinstance(o, kind)]
    if frozen:
        gc.freeze()
    return found


class CannedAws:
    """Answers every AWS call of the clients it is installed on from canned responses.

    ``answers`` maps "<service>.<Operation>" to a list of [status, headers, body];
    each call takes the next one, and the last one repeats.
    """

    def __init__(self, answers: dict[str, list[list[Any]]]) -> None:
        self.answers = {key: list(value) for key, value in answers.items()}
        self.calls: dict[str, int] = {}
        self.unanswered: list[str] = []

    def install(self) -> int:
        from botocore.client import BaseClient

        clients = live_clients(BaseClient)
        # Once per event emitter: botocore's S3 client makes a second client (S3 Express
        # sessions) sharing its emitter, which would count every S3 call twice.
        emitters = {id(client.meta.events): client.meta.events for client in clients}
        for events in emitters.values():
            events.register("before-send", self._send)
        return len(clients)

    def _send(self, request: Any, event_name: str = "", **_: Any) -> Any:
        from botocore.awsrequest import AWSResponse

        # event_name: before-send.<service>.<Operation>
        key = ".".join(event_name.split(".")[1:3])
        self.calls[key] = self.calls.get(key, 0) + 1
        queue = self.answers.get(key)
        if not queue:
            self.unanswered.append(key)
            status, headers, body = 400, {}, json.dumps({"message": f"bench: no answer {key}"})
        else:
            status, headers, body = queue.pop(0) if len(queue) > 1 else queue[0]
        # A binary body (an S3 object) is canned as {"base64": ...}.
        data = base64.b64decode(body["base64"]) if isinstance(body, dict) else body.encode()
        raw: Any = _Raw(data)
        return AWSResponse(request.url, status, cast(Any, headers), raw)


def child_first_request(
    module: Any, name: str, started: float, imported: float, init_cpu: float
) -> None:
    """In the measured interpreter, after the init: one canned first request, timed."""
    scenarios = json.loads(Path(os.environ[SCENARIOS_ENV]).read_text(encoding="utf-8"))
    scenario = scenarios[name]
    canned = CannedAws(scenario["answers"])
    canned.install()
    context = _Context()
    outcome: Any
    begun = time.perf_counter()
    if name == BASELINE:
        outcome = module.get_item(TableName=TABLE, Key=scenario["key"])
        status: Any = outcome["ResponseMetadata"]["HTTPStatusCode"]
    else:
        outcome = module.lambda_handler(scenario["event"], context)
        status = outcome.get("statusCode", "ok") if isinstance(outcome, dict) else "ok"
    ended = time.perf_counter()
    result = {
        "init": imported - started,
        "init_cpu": init_cpu,
        "first": ended - begun,
        "status": status,
        "calls": canned.calls,
        "unanswered": canned.unanswered,
        "not_on_lambda": sorted({m.split(".")[0] for m in sys.modules} & set(NOT_ON_LAMBDA)),
    }
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")


_CHILD = """
import sys, os, time
sys.path[:0] = {path!r}
_cpu = time.process_time()
_started = time.perf_counter()
{init}
_imported = time.perf_counter()
_cpu = time.process_time() - _cpu
import importlib.util as _util
_spec = _util.spec_from_file_location("bench_cold_child", {harness!r})
_harness = _util.module_from_spec(_spec)
import sys as _sys
_sys.modules["bench_cold_child"] = _harness
_spec.loader.exec_module(_harness)
_harness.child_first_request(_module, {name!r}, _started, _imported, _cpu)
"""
_INIT = {
    BASELINE: f"import boto3\n_module = boto3.client('dynamodb', region_name={REGION!r})",
    **{name: f"import {module} as _module" for name, module in FUNCTIONS.items()},
}


def _run_child(
    variant: Variant, scenarios_path: Path, *, importtime: bool = False
) -> dict[str, Any]:
    """One fresh interpreter: init and first request of ``variant``.

    Isolated (``-I -S``: no environment variables of Python's, no site-packages) with
    ``sys.path`` set to the variant's path before the clock starts, and ``-B``: the
    bytecode is the artifact's (or absent), never written. The harness is loaded by file
    path, after the init. With ``importtime``, ``-X importtime``'s report is returned
    under "importtime".
    """
    import subprocess

    name = variant.name
    env = bench_env()
    env[SCENARIOS_ENV] = str(scenarios_path)
    flags = ["-I", "-S", "-B", *(["-X", "importtime"] if importtime else [])]
    code = _CHILD.format(
        init=_INIT[name], name=name, harness=str(Path(__file__).resolve()), path=variant.path
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, *flags, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=variant.path[0],  # Lambda's working directory is the task folder
        check=False,
    )
    for line in reversed(result.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            parsed: dict[str, Any] = json.loads(line[len(RESULT_MARK) :])
            if importtime:
                parsed["importtime"] = result.stderr
            if parsed["not_on_lambda"]:
                raise RuntimeError(
                    f"cold-start run of {variant.label} imported {parsed['not_on_lambda']}, "
                    "which the Lambda runtime does not have: its site is not the runtime's"
                )
            return parsed
    raise RuntimeError(
        f"cold-start run of {variant.label} failed:\n{result.stdout}\n{result.stderr}"
    )


# ------------------------------------------------------------------ canned answers


def _json(body: dict[str, Any], status: int = 200) -> list[Any]:
    return [status, {"content-type": "application/x-amz-json-1.0"}, json.dumps(body)]


def _rest_json(body: dict[str, Any]) -> list[Any]:
    return [200, {"content-type": "application/json"}, json.dumps(body)]


def _fake_jwt(claims: dict[str, Any]) -> str:
    import base64

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'kid': 'bench'})}.{part(claims)}.c2lnbmF0dXJl"


def prepare_scenarios() -> dict[str, Any]:
    """Submit one complaint through the intake handler (answers canned) and build,
    from the items it wrote, each function's first request and its canned answers.

    Runs in its own process (``_prepare_main``), never in a measured one.
    """
    from datetime import UTC, datetime, timedelta

    import functions.intake.app as intake
    from pendopo.domain.clock import FixedClock
    from tools.local.events import http_api_event, lambda_context
    from tools.local.sample import SAMPLE_COMPLAINT

    received = datetime.now(UTC) - timedelta(days=40)
    intake.service._clock = FixedClock(received)
    recorder = CannedAws({"dynamodb.TransactWriteItems": [_json({})]})
    written: list[dict[str, Any]] = []

    def record(request: Any, event_name: str = "", **_: Any) -> None:
        if event_name.endswith("TransactWriteItems"):
            written.extend(json.loads(request.body)["TransactItems"])

    from botocore.client import BaseClient

    for client in live_clients(BaseClient):
        client.meta.events.register_first("before-send", record)
    recorder.install()

    def submit_event(key: str) -> dict[str, Any]:
        return http_api_event(
            "POST",
            "/v1/complaints",
            headers={"content-type": "application/json", "idempotency-key": key},
            body=json.dumps(SAMPLE_COMPLAINT),
        )

    answer = intake.lambda_handler(submit_event("bench-prepare-0001"), lambda_context("bench"))
    if answer["statusCode"] != 201:
        raise RuntimeError(f"preparing the cold-start bench: intake answered {answer}")
    items = [entry["Put"]["Item"] for entry in written if "Put" in entry]
    complaint = next(item for item in items if item["sk"]["S"] == "C")
    event = next(item for item in items if item["sk"]["S"].startswith("E#"))
    ticket = complaint["pk"]["S"].removeprefix("C#")
    version = complaint["version"]["N"]
    # The month after the complaint's, on the 5th: the recap of the complaint's month.
    month_after = (received.replace(day=1) + timedelta(days=32)).replace(day=5)
    ses = {"sesv2.SendEmail": [_rest_json({"MessageId": "bench-message"})]}
    claims = {
        "dynamodb.PutItem": [_json({})],
        # A mark asks for ALL_NEW: without "Attributes" pynamodb fails and send_once
        # retries the mark, which would count calls the real service never sees.
        "dynamodb.UpdateItem": [_json({"Attributes": {"status": {"S": "sent"}}})],
        "dynamodb.GetItem": [_json({"Item": complaint})],
    }
    one_then_none = [
        _json({"Items": [complaint], "Count": 1, "ScannedCount": 1}),
        _json({"Items": [], "Count": 0, "ScannedCount": 0}),
    ]
    token = _fake_jwt({**VERIFIER_CLAIMS, "cognito:groups": ["koordinator", "BIRO_PLH"]})
    return {
        BASELINE: {
            "key": {"pk": complaint["pk"], "sk": complaint["sk"]},
            "answers": {"dynamodb.GetItem": [_json({"Item": complaint})]},
        },
        "intake": {
            "event": submit_event("bench-cold-0001"),
            "answers": {"dynamodb.TransactWriteItems": [_json({})]},
        },
        "auth": {
            "event": http_api_event(
                "POST",
                "/v1/auth/login",
                headers={"content-type": "application/json"},
                body=json.dumps(
                    {"email": "koordinator.biro-plh@pendopo.example", "password": "Rahasia-1234!"}
                ),
            ),
            "answers": {
                "cognito-identity-provider.InitiateAuth": [
                    [
                        200,
                        {"content-type": "application/x-amz-json-1.1"},
                        json.dumps(
                            {
                                "AuthenticationResult": {
                                    "AccessToken": token,
                                    "IdToken": token,
                                    "RefreshToken": "bench-refresh",
                                    "ExpiresIn": 3600,
                                    "TokenType": "Bearer",
                                }
                            }
                        ),
                    ]
                ]
            },
        },
        "route": {
            "event": http_api_event(
                "POST",
                f"/v1/officer/complaints/{ticket}/verify",
                headers={"content-type": "application/json", "if-match": f'"{version}"'},
                body=json.dumps({"note": "Lokasi dan foto sesuai."}),
                authorizer_claims=VERIFIER_CLAIMS,
            ),
            "answers": {
                "dynamodb.GetItem": [_json({"Item": complaint})],
                "dynamodb.Query": [
                    _json({"Items": [complaint, event], "Count": 2, "ScannedCount": 2})
                ],
                "dynamodb.TransactWriteItems": [_json({})],
            },
        },
        "notify": {
            "event": {
                "Records": [
                    {
                        "eventID": "bench-1",
                        "eventName": "INSERT",
                        "eventVersion": "1.1",
                        "eventSource": "aws:dynamodb",
                        "awsRegion": REGION,
                        "dynamodb": {
                            "Keys": {"pk": event["pk"], "sk": event["sk"]},
                            "NewImage": event,
                            "SequenceNumber": "100000000000000000001",
                            "SizeBytes": 512,
                            "StreamViewType": "NEW_IMAGE",
                        },
                        "eventSourceARN": f"arn:aws:dynamodb:{REGION}:123456789012:table/"
                        f"{TABLE}/stream/2025-01-01T00:00:00.000",
                    }
                ]
            },
            "answers": {**claims, **ses},
        },
        "sla_check": {
            "event": {"scheduled_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")},
            "answers": {**claims, **ses, "dynamodb.Query": one_then_none},
        },
        "monthly_recap": {
            "event": {"scheduled_time": month_after.strftime("%Y-%m-%dT00:00:00Z")},
            "answers": {
                **claims,
                **ses,
                "dynamodb.Query": one_then_none,
                "s3.PutObject": [[200, {"ETag": '"bench"'}, ""]],
            },
        },
        "check_upload": _upload_scenario(),
    }


def _upload_scenario() -> dict[str, Any]:
    """The checker's first request: S3's event for a phone photo (1280 x 960, GPS EXIF,
    orientation 6) under uploads/incoming/<id>, its upload item, the object itself."""
    import io
    from datetime import UTC, datetime
    from email.utils import format_datetime

    from PIL import Image

    from pendopo.domain.uploads import UploadOwner, UploadRequest, new_upload
    from pendopo.storage.uploads import _item

    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825)[2] = (6.0, 10.0, 50.0)
    photo = io.BytesIO()
    Image.effect_noise((1280, 960), 48).convert("RGB").save(
        photo, "JPEG", quality=88, exif=exif.tobytes()
    )
    body = photo.getvalue()
    now = datetime.now(UTC)
    request = UploadRequest(filename="jalan.jpg", content_type="image/jpeg", size=len(body))
    upload = new_upload(request, UploadOwner.PUBLIC, now)
    item = _item(upload).serialize()
    key = f"uploads/incoming/{upload.upload_id}"
    object_headers = {
        "content-type": "image/jpeg",
        "content-length": str(len(body)),
        "last-modified": format_datetime(now, usegmt=True),
        "x-amz-version-id": "bench-version",
        "etag": '"bench"',
    }
    return {
        "event": {
            "Records": [
                {
                    "eventVersion": "2.1",
                    "eventSource": "aws:s3",
                    "awsRegion": REGION,
                    "eventTime": now.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                    "eventName": "ObjectCreated:Post",
                    "s3": {
                        "s3SchemaVersion": "1.0",
                        "bucket": {"name": "pendopo-bench-files"},
                        "object": {"key": key, "size": len(body), "versionId": "bench-version"},
                    },
                }
            ]
        },
        "answers": {
            "dynamodb.GetItem": [_json({"Item": item})],
            "dynamodb.UpdateItem": [_json({"Attributes": {**item, "status": {"S": "clean"}}})],
            "s3.GetObject": [[200, object_headers, {"base64": base64.b64encode(body).decode()}]],
            "s3.PutObject": [[200, {"ETag": '"bench-clean"'}, ""]],
            "s3.DeleteObject": [[204, {}, ""]],
        },
    }


def _prepare_main() -> None:
    sys.stdout.write(RESULT_MARK + json.dumps(prepare_scenarios()) + "\n")


def _prepare(path: Path) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", "from tools.bench.cold import _prepare_main; _prepare_main()"],
        capture_output=True,
        text=True,
        env=bench_env(),
        cwd=REPO_ROOT,
        check=False,
    )
    for line in reversed(result.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            path.write_text(line[len(RESULT_MARK) :], encoding="utf-8")
            return
    raise RuntimeError(f"preparing the cold-start bench failed:\n{result.stdout}\n{result.stderr}")


# ------------------------------------------------------------------ the report


@dataclass
class FunctionColdStart:
    name: str
    init_ms: float  # median import + init
    init_cpu_ms: float  # median process CPU time of import + init (steadier under load)
    first_ms: float  # median first request
    total_ms: float  # median of (init + first request), per run
    status: Any  # the first request's answer (HTTP status, or "ok")
    calls: dict[str, int]  # AWS calls of the first request


@dataclass
class ColdStartReport:
    rounds: int
    baseline: FunctionColdStart
    functions: list[FunctionColdStart] = field(default_factory=list)
    python: str = field(default_factory=lambda: sys.version.split()[0])
    compared: list[FunctionColdStart] = field(default_factory=list)
    # The same functions from a copy of the artifacts without __pycache__ (empty: not run).
    without_bytecode: list[FunctionColdStart] = field(default_factory=list)

    def ratio(self, entry: FunctionColdStart) -> float:
        return entry.init_ms / self.baseline.init_ms

    def total_ratio(self, entry: FunctionColdStart) -> float:
        return entry.total_ms / self.baseline.total_ms

    def cpu_ratio(self, entry: FunctionColdStart) -> float:
        return entry.init_cpu_ms / self.baseline.init_cpu_ms

    def markdown(self) -> str:
        base = self.baseline
        lines = [
            "## Cold start",
            "",
            f"Median of {self.rounds} fresh interpreters per variant (Python {self.python}), "
            "run round-robin (baseline, each function with bytecode, each without) after one "
            "unmeasured warm-up run each; other work may share the machine, hence medians. "
            "**Init** is importing the handler module (resolver, settings, "
            "services, AWS clients); **first request** is one representative invocation in "
            "the same interpreter right after, with every AWS call answered by canned bytes "
            "through a botocore `before-send` hook (signing, serialising and parsing still "
            "run; no network). The baseline is `import boto3` plus one DynamoDB client, "
            f"then one `GetItem` on it. Goal: init ratio <= {GOAL}. The CPU ratio is the "
            "same init in process CPU time, steadier than wall time on a loaded machine.",
            "",
            "Measured **from the artifact, as Lambda runs it**: each function from `make "
            "build-host`'s twin of `sam build` (`.aws-sam/host/`), in `python3.13 -I -S -B` "
            "(no site-packages, no `PYTHON*` variables, nothing written) with `sys.path` set "
            "to the function's artifact folder, the layer's `python/` folder and the "
            "runtime's site: boto3/botocore at the versions `requirements-dev.txt` pins, "
            "compiled to bytecode as the runtime ships them (`tools/build/runtime.py`, "
            "shared with the artifact tests). The baseline runs from that site with an "
            "empty task folder. Every measured run checked that none of "
            f"{', '.join(NOT_ON_LAMBDA)} (in the development venv, not on Lambda) was imported.",
            "",
            "### With the artifact's bytecode (as deployed)",
            "",
            "| function | init ms | ratio | CPU ratio | first request ms | init + first ms "
            "| ratio | first request (AWS calls) |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
            f"| baseline | {base.init_ms:.1f} | 1.00 | 1.00 | {base.first_ms:.1f} | "
            f"{base.total_ms:.1f} | 1.00 | {FIRST_REQUESTS[BASELINE]} |",
        ]
        for entry in self.functions:
            ratio = self.ratio(entry)
            mark = "" if ratio <= GOAL else " (misses)"
            calls = ", ".join(f"{op} {n}" for op, n in sorted(entry.calls.items()))
            lines.append(
                f"| {entry.name} | {entry.init_ms:.1f} | {ratio:.2f}{mark} | "
                f"{self.cpu_ratio(entry):.2f} | {entry.first_ms:.1f} | {entry.total_ms:.1f} | "
                f"{self.total_ratio(entry):.2f} | "
                f"{FIRST_REQUESTS[entry.name]}, answered {entry.status} ({calls}) |"
            )
        lines.append("")
        if self.without_bytecode:
            lines += self._without_bytecode_table()
        lines += [
            "Command: `python -m tools.bench.cold` (also part of `make bench`). "
            "Timing on a shared machine is noisy; compare ratios, not milliseconds.",
            "",
        ]
        return "\n".join(lines)

    def _without_bytecode_table(self) -> list[str]:
        lines = [
            "### Without bytecode (a copy of the artifacts with no `__pycache__`)",
            "",
            "What every cold start paid before the build compiled the artifacts: the layer "
            "and the function compiled from source at import (the runtime's site and the "
            "standard library still compiled). Same baseline, same round-robin.",
            "",
            "| function | init ms | ratio | CPU ratio | init + first ms | ratio "
            "| bytecode saves (init ms) |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for now, bare in zip(self.functions, self.without_bytecode, strict=True):
            lines.append(
                f"| {bare.name} | {bare.init_ms:.1f} | {self.ratio(bare):.2f} | "
                f"{self.cpu_ratio(bare):.2f} | {bare.total_ms:.1f} | "
                f"{self.total_ratio(bare):.2f} | {bare.init_ms - now.init_ms:.1f} |"
            )
        return [*lines, ""]

    def comparison_markdown(self, revision: str) -> str:
        """Each function now and at ``revision``, measured in the same round-robin."""
        lines = [
            f"### Compared with {revision}",
            "",
            "| function | init ratio then | now | CPU ratio then | now "
            "| init + first ratio then | now |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for then, now in zip(self.compared, self.functions, strict=True):
            lines.append(
                f"| {now.name} | {self.ratio(then):.2f} | {self.ratio(now):.2f} | "
                f"{self.cpu_ratio(then):.2f} | {self.cpu_ratio(now):.2f} | "
                f"{self.total_ratio(then):.2f} | {self.total_ratio(now):.2f} |"
            )
        return "\n".join([*lines, ""])


def _median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def _entry(name: str, measured: list[dict[str, Any]]) -> FunctionColdStart:
    last = measured[-1]
    if last["unanswered"]:
        raise RuntimeError(f"{name}: AWS calls without a canned answer: {last['unanswered']}")
    return FunctionColdStart(
        name=name,
        init_ms=_median([m["init"] for m in measured]) * 1000,
        init_cpu_ms=_median([m["init_cpu"] for m in measured]) * 1000,
        first_ms=_median([m["first"] for m in measured]) * 1000,
        total_ms=_median([m["init"] + m["first"] for m in measured]) * 1000,
        status=last["status"],
        calls=last["calls"],
    )


def variants(
    names: list[str], build: Path, site: Path, scratch: Path, *, bare: Path | None = None
) -> list[Variant]:
    """The baseline (an empty task folder and the site), then each of ``names`` from
    ``build``, then (with ``bare``, the copy without bytecode) each from ``bare``."""
    from tools.build.runtime import function_path

    task = scratch / "baseline-task"
    task.mkdir(exist_ok=True)
    ids = logical_ids()
    found = [Variant(BASELINE, BASELINE, [str(task), str(site)])]
    found += [Variant(n, n, function_path(build, ids[n], site)) for n in names]
    if bare is not None:
        found += [
            Variant(f"{n}@{WITHOUT_BYTECODE}", n, function_path(bare, ids[n], site)) for n in names
        ]
    return found


def run(
    rounds: int = 9,
    names: list[str] | None = None,
    *,
    compare: str | None = None,
    bytecode_only: bool = False,
) -> ColdStartReport:
    """Measure the baseline and every function (or ``names``) ``rounds`` times each, from
    the twin with its bytecode and (unless ``bytecode_only``) from a copy without it.

    With ``compare`` (a git revision), that revision's twin is built and its functions
    measured (with bytecode) in the same round-robin, so both face the same machine load;
    the report's ``compared`` holds those entries.
    """
    import tempfile

    from tools.build.runtime import function_path, runtime_site

    build = current_host_build()
    site = runtime_site()
    names = list(names or FUNCTIONS)
    with tempfile.TemporaryDirectory(prefix="pendopo-bench-cold-") as tmp:
        scratch = Path(tmp)
        bare = None
        if not bytecode_only:
            ids = logical_ids()
            bare = without_bytecode(build, [ids[n] for n in names], scratch / WITHOUT_BYTECODE)
        measured = variants(names, build, site, scratch, bare=bare)
        if compare is not None:
            then = compared_build(compare, scratch / "compared")
            ids = logical_ids()
            measured += [
                Variant(f"{n}@compared", n, function_path(then, ids[n], site)) for n in names
            ]
        scenarios = scratch / "scenarios.json"
        _prepare(scenarios)
        runs: dict[str, list[dict[str, Any]]] = {v.label: [] for v in measured}
        for variant in measured:  # warm the OS file cache
            _run_child(variant, scenarios)
        for _ in range(rounds):
            for variant in measured:
                runs[variant.label].append(_run_child(variant, scenarios))
    report = ColdStartReport(
        rounds=rounds,
        baseline=_entry(BASELINE, runs[BASELINE]),
        functions=[_entry(name, runs[name]) for name in names],
    )
    if not bytecode_only:
        report.without_bytecode = [
            _entry(name, runs[f"{name}@{WITHOUT_BYTECODE}"]) for name in names
        ]
    if compare is not None:
        report.compared = [_entry(name, runs[f"{name}@compared"]) for name in names]
    return report


# Who an imported module's time is charged to: its own top-level package's group, or
# (stdlib and anything else) the nearest importer's that has one.
GROUPS: dict[str, str] = {
    **dict.fromkeys(
        ("boto3", "botocore", "urllib3", "dateutil", "jmespath", "s3transfer"), "AWS SDK"
    ),
    "six": "AWS SDK",
    "aws_lambda_powertools": "Powertools",
    **dict.fromkeys(
        ("pydantic", "pydantic_core", "annotated_types", "typing_inspection", "typing_extensions"),
        "pydantic",
    ),
    "pynamodb": "pynamodb",
    "jinja2": "jinja2",
    "markupsafe": "jinja2",
    "xlsxwriter": "xlsxwriter",
    "PIL": "Pillow",
    "pypdf": "pypdf",
    "pendopo": "pendopo (our layer)",
    # The handler module's own body: resolver and routes, settings, the AWS clients
    # (the counterpart of the baseline's client, which is "not an import" there).
    "functions": "handler module body",
}


def charge_imports(report: str) -> dict[str, float]:
    """``-X importtime``'s report as microseconds per group (``GROUPS``).

    The report lists each module after the modules it imported, indented two spaces
    per level; each module's self time goes to its own group or, for the standard
    library and other packages, to the group of its nearest importer that has one
    ("other" at the top). A standard-library module two groups use is charged to the
    one that imported it first.
    """
    rows: list[tuple[int, str, float]] = []
    for line in report.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, module = line.removeprefix("import time:").split("|")
        depth = (len(module) - len(module.lstrip()) - 1) // 2  # "| " + two spaces a level
        rows.append((depth, module.strip(), float(own)))
    charged: dict[str, float] = {}
    # Walk from the end: a module's importers come after it, at smaller depths.
    owners: list[str] = []  # owners[d]: the group in force at depth d
    for depth, module, microseconds in reversed(rows):
        del owners[depth:]
        inherited = owners[-1] if owners else "other"
        group = GROUPS.get(module.split(".")[0], inherited)
        owners.append(group)
        charged[group] = charged.get(group, 0.0) + microseconds
    return charged


def importtime_profile(names: list[str], *, rounds: int = 5, top: int = 25) -> str:
    """``-X importtime`` of the baseline and each of ``names`` from the twin with its
    bytecode (after a warm-up run), ``rounds`` runs each, medians: the init, charged to
    packages, and the heaviest modules by self time (the module's own body, imports
    excluded), for finding what to cut."""
    import tempfile

    from tools.build.runtime import runtime_site

    build = current_host_build()
    site = runtime_site()
    out: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pendopo-bench-cold-") as tmp:
        scenarios = Path(tmp) / "scenarios.json"
        _prepare(scenarios)
        for variant in variants(names, build, site, Path(tmp)):
            name = variant.name
            _run_child(variant, scenarios)
            own: dict[str, list[float]] = {}
            cumulative: dict[str, list[float]] = {}
            groups: dict[str, list[float]] = {}
            inits: list[float] = []
            foreign: set[str] = set()
            for _ in range(rounds):
                measured = _run_child(variant, scenarios, importtime=True)
                inits.append(measured["init"])
                foreign.update(measured["not_on_lambda"])
                charged = charge_imports(measured["importtime"])
                charged["not an import (e.g. the baseline's client)"] = measured[
                    "init"
                ] * 1e6 - sum(charged.values())
                for group, microseconds in charged.items():
                    groups.setdefault(group, []).append(microseconds)
                for line in measured["importtime"].splitlines():
                    if not line.startswith("import time:") or "self [us]" in line:
                        continue
                    mine, total, module = line.removeprefix("import time:").split("|")
                    own.setdefault(module.rstrip(), []).append(float(mine))
                    cumulative.setdefault(module.rstrip(), []).append(float(total))
            out.append(
                f"== {name}: init {_median(inits) * 1000:.1f} ms (median of {rounds}), "
                f"not on Lambda: {sorted(foreign) or 'none'}"
            )
            for group in sorted(groups, key=lambda g: -_median(groups[g])):
                padded = groups[group] + [0.0] * (rounds - len(groups[group]))
                out.append(f"{_median(padded) / 1000:8.1f}  {group}")
            out.append("heaviest modules: self ms, cumulative ms")
            heaviest = sorted(own, key=lambda m: _median(own[m]), reverse=True)[:top]
            for module in heaviest:
                out.append(
                    f"{_median(own[module]) / 1000:8.1f} "
                    f"{_median(cumulative[module]) / 1000:8.1f}  {module}"
                )
    return "\n".join(out)


def _checkout(revision: str, into: Path) -> Path:
    """The tree of ``revision`` (git archive), for ``--compare``; no worktree is made."""
    import subprocess
    import tarfile

    archive = into / "tree.tar"
    with archive.open("wb") as out:
        subprocess.run(  # noqa: S603 - git, our own repository
            ["git", "archive", "--format=tar", revision],  # noqa: S607
            cwd=REPO_ROOT,
            stdout=out,
            check=True,
        )
    root = into / "tree"
    with tarfile.open(archive) as tar:
        tar.extractall(root, filter="data")
    return root


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Cold start of every function")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--compare",
        metavar="REVISION",
        help="also build this git revision's twin and measure its functions, same round-robin",
    )
    parser.add_argument(
        "--bytecode-only",
        action="store_true",
        help="leave out the copy of the artifacts without bytecode",
    )
    parser.add_argument(
        "--importtime",
        action="store_true",
        help="print -X importtime's profile (per package, heaviest modules) of each instead",
    )
    parser.add_argument("functions", nargs="*", help=f"some of {', '.join(FUNCTIONS)}")
    args = parser.parse_args(argv)
    unknown = set(args.functions) - set(FUNCTIONS)
    if unknown:
        parser.error(f"unknown functions: {', '.join(sorted(unknown))}")
    if args.importtime:
        print(importtime_profile(args.functions or list(FUNCTIONS), rounds=args.rounds))
        return
    report = run(
        args.rounds,
        args.functions or None,
        compare=args.compare,
        bytecode_only=args.bytecode_only,
    )
    print(report.markdown())
    if args.compare:
        print(report.comparison_markdown(args.compare))


if __name__ == "__main__":
    main()

"""Cold start of every function (``make bench``; ``python -m tools.bench.cold``).

A Lambda cold start is the init phase (importing the handler module, which builds
the resolver, settings, services and AWS clients) **plus** the first invocation,
which pays everything the init deferred: lazily built pydantic validators,
Powertools' per-route dependants, templates, botocore's first request (signing,
serialising, parsing). Both are measured here, in the same fresh interpreter, for
each of the six functions in ``template.yaml``, against the baseline every Python
Lambda that talks to DynamoDB pays: ``import boto3`` plus one DynamoDB client
(init), and one ``GetItem`` on that client (first request).

How:
- Every measurement is a fresh interpreter (``python -c``). One unmeasured run of
  each variant first writes the bytecode of every module to a private cache
  (``PYTHONPYCACHEPREFIX``) and warms the OS file cache; the measured runs load
  everything from that bytecode and write none. The variants run round-robin
  (baseline, then each function) ``rounds`` times, so machine noise hits all of
  them alike; medians are reported, in wall time and in process CPU time.
- ``--compare REVISION`` also measures that revision's functions (``git archive``
  into a temporary directory, never a worktree) in the same round-robin.
- The first request is one representative invocation per function (below). No
  network: a botocore ``before-send`` hook on every client the init created answers
  each AWS call with canned bytes, so botocore still signs, serialises and parses
  as it would against AWS. The canned DynamoDB items are real: a preparation run
  submits a complaint through the intake handler and records the items it wrote.
- Nothing from the harness is imported before the init is timed; it is loaded (by
  file path) after, and the canned answers are built in a separate process.
- **A Lambda-like site** (the default): both sides run in ``python -I -S`` with an
  explicit ``sys.path`` (the code, ``layers/common``, then a site of its own holding
  the layer's requirements, the recap's, and the pinned boto3/botocore of
  requirements-dev.txt standing in for the runtime's), installed once with ``pip
  install --target`` under ``.bench-site/`` (keyed by a hash of the requirements, so a
  rerun reuses it). The development venv also holds ``awscrt`` and pyOpenSSL (for
  aws-sam-cli), which botocore imports when present (~65 ms) and the Lambda runtime
  does not have: they inflate the baseline and flatter the ratio. Every measured run
  reports whether either was imported, and the bench refuses a run where one was.
  ``--site dev`` measures in the development venv instead (round 1's figures).
"""

from __future__ import annotations

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
SITE_ROOT = REPO_ROOT / ".bench-site"
# The runtime's boto3 and botocore, as pinned for development (requirements-dev.txt).
RUNTIME_PINS = ("boto3", "botocore")
# The requirement files installed into the Lambda-like site (the layer's, the recap's).
SITE_REQUIREMENTS = ("layers/common/requirements.txt", "functions/monthly_recap/requirements.txt")

BASELINE = "baseline"
# Function name -> handler module (template.yaml ``Handler:``).
FUNCTIONS: dict[str, str] = {
    "intake": "functions.intake.app",
    "auth": "functions.auth.app",
    "route": "functions.route.app",
    "notify": "functions.notify.app",
    "sla_check": "functions.sla_check.app",
    "monthly_recap": "functions.monthly_recap.app",
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
}
VERIFIER_CLAIMS = {
    "sub": "sub-verifikator",
    "username": "verifikator.biro-pem@pendopo.example",
    "cognito:groups": "[verifikator BIRO_PEM]",
    "token_use": "access",
    "client_id": "bench-client",
    "exp": "4102444800",
}


def bench_env(
    pycache: Path, *, write_bytecode: bool = False, code_root: Path = REPO_ROOT
) -> dict[str, str]:
    """The environment of every measured interpreter: as a deployed function's, no endpoint.

    Bytecode lives in ``pycache`` (PYTHONPYCACHEPREFIX), written by the unmeasured
    warm-up run of each variant, so every module (stdlib, site-packages, ours) is
    loaded from bytecode in the measured runs, whatever the checkout has cached.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_ENDPOINT_URL") and k != "PYTHONDONTWRITEBYTECODE"
    }
    if not write_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(
        {
            "PYTHONPATH": f"{code_root}{os.pathsep}{code_root / 'layers' / 'common'}",
            "PYTHONPYCACHEPREFIX": str(pycache),
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


# ------------------------------------------------------------------ the Lambda-like site


def _runtime_pins() -> list[str]:
    """``boto3==...`` and ``botocore==...`` from requirements-dev.txt."""
    lines = (REPO_ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    pins = [
        line.split("#", 1)[0].strip()
        for line in lines
        if line.split("==", 1)[0].strip().lower() in RUNTIME_PINS
    ]
    if len(pins) != len(RUNTIME_PINS):
        raise RuntimeError(f"requirements-dev.txt must pin {RUNTIME_PINS}, found {pins}")
    return pins


def lambda_site() -> Path:
    """A site-packages as on Lambda: the layer's and the recap's requirements plus the
    runtime's boto3/botocore, nothing else (no awscrt, no pyOpenSSL, no test tools).

    Installed once with ``pip install --target`` (host-platform wheels) into
    ``.bench-site/<hash>``, the hash of the requirement files, the pins and the Python
    version, so a rerun reuses it and a changed requirement makes a new one.
    """
    import hashlib
    import platform
    import shutil
    import subprocess

    texts = [(REPO_ROOT / name).read_text(encoding="utf-8") for name in SITE_REQUIREMENTS]
    pins = _runtime_pins()
    key = hashlib.sha256(
        "\0".join([*texts, *pins, platform.python_version(), platform.machine()]).encode()
    ).hexdigest()[:16]
    site = SITE_ROOT / key
    if (site / ".complete").exists():
        return site
    SITE_ROOT.mkdir(exist_ok=True)
    partial = SITE_ROOT / f"{key}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile"]
    command += ["--disable-pip-version-check", "--target", str(partial)]
    for name in SITE_REQUIREMENTS:
        command += ["-r", str(REPO_ROOT / name)]
    print(f"Cold start: installing the Lambda-like site into {site}", flush=True)
    installed = subprocess.run(  # noqa: S603 - pip, our requirements
        [*command, *pins], capture_output=True, text=True, check=False
    )
    if installed.returncode != 0:
        raise RuntimeError(f"installing the Lambda-like site failed:\n{installed.stderr}")
    (partial / ".complete").write_text("\n".join(pins) + "\n", encoding="utf-8")
    shutil.rmtree(site, ignore_errors=True)
    partial.rename(site)
    return site


# ------------------------------------------------------------------ in the child


class _Raw:
    """The raw HTTP body botocore reads from (``stream()``), as urllib3's response."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, *_: Any, **__: Any) -> Any:
        yield self._body


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
        for client in clients:
            client.meta.events.register("before-send", self._send)
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
        raw: Any = _Raw(body.encode("utf-8"))
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
    name: str,
    scenarios_path: Path,
    *,
    write_bytecode: bool = False,
    code_root: Path = REPO_ROOT,
    site: Path | None = None,
    importtime: bool = False,
) -> dict[str, Any]:
    """One fresh interpreter: init and first request of ``name``, from ``code_root``'s code.

    With ``site`` (the Lambda-like site), the interpreter runs isolated (``-I -S``: no
    environment variables of Python's, no site-packages) with ``sys.path`` set to the
    code, the layer and ``site`` before the clock starts; without it, in the
    development venv. The harness is loaded by file path, after the init, so
    ``code_root`` may be an earlier revision that has no ``tools/bench/cold.py``.
    With ``importtime``, ``-X importtime``'s report is returned under "importtime".
    """
    import subprocess

    pycache = scenarios_path.parent / ("pycache" if code_root == REPO_ROOT else "pycache-compared")
    env = bench_env(pycache, write_bytecode=write_bytecode, code_root=code_root)
    env[SCENARIOS_ENV] = str(scenarios_path)
    flags: list[str] = []
    path: list[str] = []
    if site is not None:
        # -I ignores PYTHONPATH, PYTHONPYCACHEPREFIX and PYTHONDONTWRITEBYTECODE: the same
        # through the command line. Lambda's order: /var/task, the layer, the runtime's.
        flags = ["-I", "-S", "-X", f"pycache_prefix={pycache}"]
        flags += [] if write_bytecode else ["-B"]
        path = [str(code_root), str(code_root / "layers" / "common"), str(site)]
    if importtime:
        flags += ["-X", "importtime"]
    code = _CHILD.format(
        init=_INIT[name], name=name, harness=str(Path(__file__).resolve()), path=path
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, *flags, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=code_root,
        check=False,
    )
    for line in reversed(result.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            parsed: dict[str, Any] = json.loads(line[len(RESULT_MARK) :])
            if importtime:
                parsed["importtime"] = result.stderr
            if site is not None and parsed["not_on_lambda"]:
                raise RuntimeError(
                    f"cold-start run of {name} imported {parsed['not_on_lambda']}, which the "
                    f"Lambda runtime does not have: the site {site} is not Lambda-like"
                )
            return parsed
    raise RuntimeError(f"cold-start run of {name} failed:\n{result.stdout}\n{result.stderr}")


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
    submission = {
        "channel": "kiosk",
        "category": "ROAD",
        "title": "Jalan berlubang di depan sekolah",
        "description": "Lubang besar di Jl. Kramat Raya membahayakan pengendara motor.",
        "reporter": {"name": "Siti Aminah", "phone": "0812-3456-7890"},
        "location": {"text": "Jl. Kramat Raya 98", "lat": -6.1862, "lon": 106.8441},
    }

    def submit_event(key: str) -> dict[str, Any]:
        return http_api_event(
            "POST",
            "/v1/complaints",
            headers={"content-type": "application/json", "idempotency-key": key},
            body=json.dumps(submission),
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
    }


def _prepare_main() -> None:
    sys.stdout.write(RESULT_MARK + json.dumps(prepare_scenarios()) + "\n")


def _prepare(path: Path) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", "from tools.bench.cold import _prepare_main; _prepare_main()"],
        capture_output=True,
        text=True,
        env=bench_env(path.parent / "pycache", write_bytecode=True),
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
    site: str = "lambda"  # "lambda": the Lambda-like site; "dev": the development venv

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
            "run round-robin after one unmeasured warm-up run each (which writes the "
            "bytecode of every module to a private cache, so all of them load from "
            "bytecode). **Init** is importing the handler module (resolver, settings, "
            "services, AWS clients); **first request** is one representative invocation in "
            "the same interpreter right after, with every AWS call answered by canned bytes "
            "through a botocore `before-send` hook (signing, serialising and parsing still "
            "run; no network). The baseline is `import boto3` plus one DynamoDB client, "
            f"then one `GetItem` on it. Goal: init ratio <= {GOAL}. The CPU ratio is the "
            "same init in process CPU time, steadier than wall time on a loaded machine.",
            "",
            self._site_paragraph(),
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
        lines += [
            "",
            "Command: `python -m tools.bench.cold` (also part of `make bench`). "
            "Timing on a shared machine is noisy; compare ratios, not milliseconds.",
            "",
        ]
        return "\n".join(lines)

    def _site_paragraph(self) -> str:
        if self.site == "dev":
            return (
                "Measured in the development venv (`--site dev`), where botocore also "
                "imports `awscrt` and urllib3 imports pyOpenSSL (both there for aws-sam-cli, "
                "absent on Lambda): they inflate the baseline and flatter every ratio."
            )
        return (
            "Measured in a **Lambda-like site**: every interpreter runs isolated "
            "(`python -I -S`: no site-packages, no `PYTHON*` variables) with `sys.path` set "
            "to the code, `layers/common` and a site of its own holding only the layer's "
            "requirements, the recap's and the pinned boto3/botocore of "
            "`requirements-dev.txt` (standing in for the runtime's), installed once with "
            "`pip install --target` under `.bench-site/`. The development venv also holds "
            "`awscrt` and pyOpenSSL (for aws-sam-cli), which botocore and urllib3 import "
            "when present (~65 ms) and the Lambda runtime does not have; they inflate the "
            "baseline and flatter the ratio, so these figures are the honest ones. Every "
            f"measured run checked that none of {', '.join(NOT_ON_LAMBDA)} was imported."
        )

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


def run(
    rounds: int = 9,
    names: list[str] | None = None,
    *,
    compare_root: Path | None = None,
    lambda_like: bool = True,
) -> ColdStartReport:
    """Measure the baseline and every function (or ``names``) ``rounds`` times each.

    With ``compare_root`` (a checkout of an earlier revision), each function is also
    measured from that code in the same round-robin, so both face the same machine
    load; the report's ``compared`` holds those entries. ``lambda_like`` (the default)
    runs every interpreter in the Lambda-like site (``lambda_site``), else in the
    development venv.
    """
    import tempfile

    site = lambda_site() if lambda_like else None
    names = list(names or FUNCTIONS)
    variants: list[tuple[str, str, Path]] = [(BASELINE, BASELINE, REPO_ROOT)]
    for name in names:
        variants.append((name, name, REPO_ROOT))
        if compare_root is not None:
            variants.append((f"{name}@compared", name, compare_root))
    with tempfile.TemporaryDirectory(prefix="pendopo-bench-cold-") as tmp:
        scenarios = Path(tmp) / "scenarios.json"
        _prepare(scenarios)
        runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in variants}
        for _, name, root in variants:  # write the bytecode, warm the OS file cache
            _run_child(name, scenarios, write_bytecode=True, code_root=root, site=site)
        for _ in range(rounds):
            for label, name, root in variants:
                runs[label].append(_run_child(name, scenarios, code_root=root, site=site))
    report = ColdStartReport(
        rounds=rounds,
        site="lambda" if lambda_like else "dev",
        baseline=_entry(BASELINE, runs[BASELINE]),
        functions=[_entry(name, runs[name]) for name in names],
    )
    if compare_root is not None:
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


def importtime_profile(
    names: list[str], *, lambda_like: bool = True, rounds: int = 5, top: int = 25
) -> str:
    """``-X importtime`` of the baseline and each of ``names`` (after a bytecode warm-up),
    ``rounds`` runs each, medians: the init, and the heaviest modules by self time (the
    module's own body, imports excluded), for finding what to cut."""
    import tempfile

    site = lambda_site() if lambda_like else None
    out: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pendopo-bench-cold-") as tmp:
        scenarios = Path(tmp) / "scenarios.json"
        _prepare(scenarios)
        for name in [BASELINE, *names]:
            _run_child(name, scenarios, write_bytecode=True, site=site)
            own: dict[str, list[float]] = {}
            cumulative: dict[str, list[float]] = {}
            groups: dict[str, list[float]] = {}
            inits: list[float] = []
            foreign: set[str] = set()
            for _ in range(rounds):
                measured = _run_child(name, scenarios, site=site, importtime=True)
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
    import tempfile

    parser = argparse.ArgumentParser(description="Cold start of every function")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--compare",
        metavar="REVISION",
        help="also measure the functions of this git revision, in the same round-robin",
    )
    parser.add_argument(
        "--site",
        choices=["lambda", "dev"],
        default="lambda",
        help="lambda: an isolated site as on Lambda (default); dev: the development venv",
    )
    parser.add_argument(
        "--importtime",
        action="store_true",
        help="print -X importtime's heaviest modules (self time) of each function instead",
    )
    parser.add_argument("functions", nargs="*", help=f"some of {', '.join(FUNCTIONS)}")
    args = parser.parse_args(argv)
    unknown = set(args.functions) - set(FUNCTIONS)
    if unknown:
        parser.error(f"unknown functions: {', '.join(sorted(unknown))}")
    if args.importtime:
        print(
            importtime_profile(
                args.functions or list(FUNCTIONS),
                lambda_like=args.site == "lambda",
                rounds=args.rounds,
            )
        )
        return
    with tempfile.TemporaryDirectory(prefix="pendopo-bench-cold-rev-") as tmp:
        compare_root = _checkout(args.compare, Path(tmp)) if args.compare else None
        report = run(
            args.rounds,
            args.functions or None,
            compare_root=compare_root,
            lambda_like=args.site == "lambda",
        )
    print(report.markdown())
    if args.compare:
        print(report.comparison_markdown(args.compare))


if __name__ == "__main__":
    main()

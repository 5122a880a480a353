"""The built artifacts, run as Lambda runs them: the moto account they talk to, and
serving one event from one function's artifact in its own ``python3.13 -I -S -B``
(see tests/artifact/conftest.py for the fixtures that build and provision them, and
tools/build/runtime.py for the builds' paths and a function's ``sys.path``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from infra.template import load_template
from tools.build.runtime import HOST_BUILD, LAYER, SAM_BUILD, function_path, lambda_functions

REGION = "ap-southeast-3"
STAGE = "artifact"
DUMMY = "testing"
SES_SENDER = "pendopo@pendopo.example"
FILES_BUCKET = "pendopo-artifact-files"
OFFICER_EMAIL = "koordinator.biro-plh@pendopo.example"
OFFICER_PASSWORD = "Rahasia-Artefak-1234!"
RESULT_MARK = "ARTIFACT_RESULT "


def artifact_roots() -> list[Path]:
    """The builds to inspect: the twin always (make test builds it), sam's when present."""
    return [HOST_BUILD] + ([SAM_BUILD] if (SAM_BUILD / LAYER).is_dir() else [])


# ------------------------------------------------------------------ moto, provisioned


@dataclass
class Aws:
    url: str
    table: str
    user_pool_id: str
    client_id: str

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=DUMMY,
            aws_secret_access_key=DUMMY,
        )

    def emails_sent(self) -> int:
        return int(self.client("ses").get_send_quota()["SentLast24Hours"])


# ------------------------------------------------------------------ one invocation


def function_environment(aws: Aws, function: str, extra: dict[str, str]) -> dict[str, str]:
    """The deployed function's configuration (template Globals), pointed at moto."""
    variables = load_template()["Globals"]["Function"]["Environment"]["Variables"]
    env = {name: str(value) for name, value in variables.items() if isinstance(value, str | int)}
    env.update(
        {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "AWS_ENDPOINT_URL": aws.url,
            "AWS_ACCESS_KEY_ID": DUMMY,
            "AWS_SECRET_ACCESS_KEY": DUMMY,
            "AWS_SESSION_TOKEN": DUMMY,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_LAMBDA_FUNCTION_NAME": f"pendopo-{STAGE}-{function}",
            "TABLE_NAME": aws.table,
            "STAGE": STAGE,
            "USER_POOL_ID": aws.user_pool_id,
            "USER_POOL_CLIENT_ID": aws.client_id,
            "POWERTOOLS_SERVICE_NAME": f"pendopo-{STAGE}",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "SES_SENDER": SES_SENDER,
            "CONSOLE_URL": "https://pendopo.example/console/",
            "FILES_BUCKET": FILES_BUCKET,
            **extra,
        }
    )
    return env


# Runs in the artifact's interpreter: nothing here may come from the repository.
_PRELUDE = """
import json, sys
sys.path[:0] = {path!r}
"""
_EPILOGUE = """
allowed = tuple({allowed!r})
foreign = sorted(
    name for name, module in sys.modules.items()
    if getattr(module, "__file__", None) and not module.__file__.startswith(allowed)
)
answer = {{"result": result, "foreign": foreign, "modules": sorted(sys.modules)}}
print({mark!r} + json.dumps(answer, default=str))
"""
# Serves the event in the file named by sys.argv[1] with the handler {module}.{handler}.
SERVE = """
event = json.loads(open(sys.argv[1], encoding="utf-8").read())

class Context:
    function_name = {function!r}
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:{region}:123456789012:function:" + {function!r}
    aws_request_id = "00000000-0000-4000-8000-000000000001"
    log_group_name = "/aws/lambda/" + {function!r}
    log_stream_name = "2025/01/01/[$LATEST]artifact"
    def get_remaining_time_in_millis(self):
        return 10_000

import importlib
handler = getattr(importlib.import_module({module!r}), {handler!r})
result = handler(event, Context())
"""


@dataclass
class Served:
    result: Any
    output: str
    modules: list[str]  # every module the interpreter had loaded at the end

    @property
    def status(self) -> int:
        return int(self.result["statusCode"])

    def body(self) -> Any:
        return json.loads(self.result["body"])


@dataclass
class Artifacts:
    """Serves one event from one function of the twin, in its own interpreter."""

    build: Path
    site: Path
    aws: Aws
    scratch: Path

    def serve(self, logical_id: str, event: dict[str, Any], **env: str) -> Served:
        """The function's handler, imported from its artifact, serves ``event``."""
        module, handler = lambda_functions()[logical_id]
        event_file = self.scratch / f"{logical_id}-{uuid.uuid4().hex[:8]}.json"
        event_file.write_text(json.dumps(event), encoding="utf-8")
        code = SERVE.format(function=logical_id, region=REGION, module=module, handler=handler)
        return self.run(logical_id, code, str(event_file), **env)

    def run(self, logical_id: str, code: str, *argv: str, **env: str) -> Served:
        """``code`` (which sets ``result``) in the function's artifact interpreter."""
        path = function_path(self.build, logical_id, self.site)
        stdlib = [sys.base_prefix, sys.base_exec_prefix]
        program = (
            _PRELUDE.format(path=path)
            + code
            + _EPILOGUE.format(allowed=[*path, *stdlib], mark=RESULT_MARK)
        )
        done = subprocess.run(  # noqa: S603 - Python 3.13 and our artifact
            [sys.executable, "-I", "-S", "-B", "-c", program, *argv],
            cwd=self.scratch,
            env=function_environment(self.aws, logical_id, env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        output = f"{done.stdout}\n{done.stderr}"
        for line in reversed(done.stdout.splitlines()):
            if line.startswith(RESULT_MARK):
                answer = json.loads(line[len(RESULT_MARK) :])
                assert answer["foreign"] == [], (
                    f"{logical_id} imported modules from outside its artifact, the layer and "
                    f"the runtime's site: {answer['foreign']}"
                )
                return Served(answer["result"], output, answer["modules"])
        raise AssertionError(f"{logical_id} failed to serve the event from its artifact:\n{output}")

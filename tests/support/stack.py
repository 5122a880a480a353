"""The local stack started exactly as ``make run`` starts it, in its own process on
free loopback ports: what the end-to-end tests talk to over HTTP."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60
_API_LINE = re.compile(r"^\s+API\s+(http://127\.0\.0\.1:\d+)/v1\s*$")
_MOTO_LINE = re.compile(r"^\s+moto \(AWS\)\s+(http://127\.0\.0\.1:\d+)/moto-api/\s*$")


@dataclass
class RunningStack:
    api_url: str
    moto_url: str
    table_name: str
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)  # every line the stack printed
    # Notified by the reader thread at each new line of ``output``.
    new_line: threading.Condition = field(default_factory=threading.Condition)

    def printed(self) -> str:
        return "".join(self.output)

    def lines_with(self, text: str, seconds: float = 10.0) -> list[str]:
        """The printed lines holding ``text``, once one is out (the banner is printed
        after the API line that makes the stack ready), or none after ``seconds``."""
        with self.new_line:
            self.new_line.wait_for(lambda: any(text in line for line in self.output), seconds)
        return [line for line in self.output if text in line]


def _drain(
    process: subprocess.Popen[str],
    lines: list[str],
    ready: threading.Event,
    new_line: threading.Condition,
) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        with new_line:
            lines.append(line)
            new_line.notify_all()
        if _API_LINE.match(line):
            ready.set()
    ready.set()  # the process ended: wake the waiter, which then reports the failure


def _stack_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "layers" / "common")])
    env["PYTHONUNBUFFERED"] = "1"
    return env


@contextlib.contextmanager
def running_stack(
    table_prefix: str, *options: str, module: str = "tools.local.stack"
) -> Iterator[RunningStack]:
    """``python -m tools.local.stack`` on free loopback ports, stopped on exit.

    ``module="tools.local.artifacts"``: the stack serving the built artifacts
    (``make run ARTIFACTS=1``), which takes the same options.
    """
    table = f"{table_prefix}-{uuid.uuid4().hex[:8]}"
    command = [sys.executable, "-m", module, "--port", "0", "--moto-port", "0"]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [*command, *options, "--table", table],
        cwd=REPO_ROOT,
        env=_stack_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    ready, new_line = threading.Event(), threading.Condition()
    threading.Thread(target=_drain, args=(process, lines, ready, new_line), daemon=True).start()
    try:
        yield _wait_until_serving(process, lines, ready, table, new_line)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_serving(
    process: subprocess.Popen[str],
    lines: list[str],
    ready: threading.Event,
    table: str,
    new_line: threading.Condition,
) -> RunningStack:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not ready.wait(timeout=0.5):
        if time.monotonic() > deadline:
            break
    api = next((m.group(1) for m in map(_API_LINE.match, lines) if m), None)
    moto = next((m.group(1) for m in map(_MOTO_LINE.match, lines) if m), None)
    if api is None or moto is None or process.poll() is not None:
        raise RuntimeError("the local stack did not start:\n" + "".join(lines))
    return RunningStack(
        api_url=api,
        moto_url=moto,
        table_name=table,
        process=process,
        output=lines,
        new_line=new_line,
    )


def fail_if_the_stack_died(stack: RunningStack) -> None:
    """An error at the session's end, with the stack's last output, if it exited under the
    tests (they then fail with refused connections, which do not say why)."""
    if stack.process.poll() is not None:
        raise AssertionError(
            "the local stack exited under the tests:\n" + "".join(stack.output[-80:])
        )

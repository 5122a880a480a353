"""Every handler module's init runs without GC passes and freezes what it created."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HANDLERS = [
    "intake",
    "auth",
    "route",
    "notify",
    "aggregate",
    "sla_check",
    "monthly_recap",
    "check_upload",
]

PROBE = """
import gc, sys
passes = []
def count(phase, info):
    # From the moment the module has paused the collector (its ``_was_enabled`` is set
    # on the line before): the import system compiles the module after listing it in
    # sys.modules, and that compile may end with one pass of its own, before the pause.
    paused = getattr(sys.modules.get("pendopo.runtime.coldstart"), "_was_enabled", None) is not None
    if phase == "start" and paused:
        passes.append(info["generation"])
gc.callbacks.append(count)
import functions.{name}.app as app
during_init = list(passes)
assert gc.isenabled(), "the collector must run again after the init"
frozen = gc.get_freeze_count()
garbage = [[n] for n in range(100_000)]  # a request's allocations: collected as usual
print(len(during_init), frozen, len(passes) > len(during_init))
"""


@pytest.mark.parametrize("name", HANDLERS)
def test_the_init_pauses_the_collector_then_freezes_and_resumes(name: str) -> None:
    env = {
        "PYTHONPATH": f"{REPO}:{REPO / 'layers' / 'common'}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PATH": "/usr/bin:/bin",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-southeast-3",
        "AWS_REGION": "ap-southeast-3",
        "TABLE_NAME": "pendopo-test",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "SES_SENDER": "pendopo@pendopo.example",
        "CONSOLE_URL": "https://pendopo.example/console/",
        "USER_POOL_ID": "ap-southeast-3_test",
        "USER_POOL_CLIENT_ID": "test-client",
        "FILES_BUCKET": "pendopo-test-files",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", PROBE.format(name=name)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    passes_during_init, frozen, collected_after = result.stdout.split()
    assert passes_during_init == "0"
    assert int(frozen) > 50_000  # the init's objects: never scanned again
    assert collected_after == "True"

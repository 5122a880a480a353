"""SnapStart: environments restored from one snapshot still draw their own numbers.

With ``SnapStart=on`` (template.yaml) Lambda runs an API function's init once, snapshots
the memory, and resumes every new execution environment from that snapshot. Simulated
here in the artifact's interpreter, through the runtime hooks package Lambda's Python
runtime has (``snapshot_restore_py``): the handler module is imported (the init), the
before-snapshot hooks run, then two ``fork()``s stand for two environments restored
from the same memory (with ``random``'s state put back as it was in the snapshot:
``fork()`` reseeds it in the child, a restore does not), each running the
after-restore hooks before its first request.

- Tickets, tracking codes and claim tokens come from ``secrets``/``uuid4`` (the OS at
  each call): different in every restored environment, hooks or not.
- ``random``'s generator (retry jitter: the intake's back-off, botocore's retries) is
  copied with the snapshot; without the hook both environments would draw the same
  sequence, which the control run shows; the hook pendopo registers reseeds it.
"""

from __future__ import annotations

import pytest

from tests.support.artifacts import Artifacts
from tools.build.runtime import lambda_functions

API_FUNCTIONS = ("IntakeFunction", "RouteFunction", "AuthFunction")

_RESTORE = """
import os, random, uuid, importlib
from datetime import datetime, timezone
importlib.import_module({module!r})  # the init, before the snapshot
import snapshot_restore_py as hooks
for func, args, kwargs in hooks._before_snapshot_registry:
    func(*args, **kwargs)
from pendopo.domain.identifiers import new_ticket, new_tracking_code

snapshot = random.getstate()
draws = []
for _ in range(2):  # two environments resumed from the same snapshot
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        # fork() reseeds random in the child (os.register_at_fork); a restore does not.
        random.setstate(snapshot)
        if {run_hooks!r}:
            for func, args, kwargs in hooks._after_restore_registry:
                func(*args, **kwargs)
        drawn = {{
            "random": [random.random() for _ in range(3)],
            "ticket": new_ticket(datetime.now(timezone.utc)),
            "tracking_code": new_tracking_code(),
            "uuid4": uuid.uuid4().hex,
        }}
        os.write(write, json.dumps(drawn).encode())
        os._exit(0)
    os.close(write)
    data = b"".join(iter(lambda: os.read(read, 65536), b""))
    os.waitpid(pid, 0)
    draws.append(json.loads(data))
result = {{"draws": draws, "after_restore_hooks": len(hooks._after_restore_registry)}}
"""


def _restore_twice(artifacts: Artifacts, logical_id: str, *, run_hooks: bool) -> dict:
    module = lambda_functions()[logical_id][0]
    served = artifacts.run(logical_id, _RESTORE.format(module=module, run_hooks=run_hooks))
    return served.result


@pytest.mark.parametrize("logical_id", API_FUNCTIONS)
def test_restored_environments_draw_their_own_numbers(
    artifacts: Artifacts, logical_id: str
) -> None:
    result = _restore_twice(artifacts, logical_id, run_hooks=True)
    assert result["after_restore_hooks"] >= 1
    first, second = result["draws"]
    assert {key: first[key] == second[key] for key in first} == {
        "random": False,
        "ticket": False,
        "tracking_code": False,
        "uuid4": False,
    }


def test_without_the_hook_random_repeats_itself_after_a_restore(artifacts: Artifacts) -> None:
    """The control: the simulation does copy the generator's state, as a snapshot does."""
    first, second = _restore_twice(artifacts, "IntakeFunction", run_hooks=False)["draws"]
    assert first["random"] == second["random"]
    assert first["tracking_code"] != second["tracking_code"]
    assert first["uuid4"] != second["uuid4"]

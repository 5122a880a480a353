"""The init of a function runs without the cyclic garbage collector's passes.

Importing a handler module (Powertools, pydantic, pynamodb, botocore, our domain)
allocates about 120,000 objects that live as long as the process. While they are
being created, the collector runs its generational passes again and again, the full
ones over a heap that keeps growing: about 40 ms of every cold start (CPU, measured
with ``python -m tools.bench.cold``) spent finding almost nothing (a full pass after
the init finds ~800 unreachable objects among ~120,000).

So the first import of every ``functions/*/app.py`` is this module, which pauses the
collector, and its last statement is ``end_init()``, which moves everything the init
created to the permanent generation (``gc.freeze()``) and resumes collecting. Frozen
objects are never scanned again, so the saved passes do not come back in the first
or a later request (a plain ``gc.enable()`` would leave a full pass over all of them
for a later request). This is the pattern the Python documentation gives for
``gc.freeze()`` (disable early, freeze, enable). The price: the few hundred cyclic
objects the init left unreachable stay in memory for the life of the process.
Requests are unaffected: the collector runs as usual for every object they create.

With SnapStart (template parameter), many execution environments resume from one
snapshot of an init, each with the same state of ``random``'s generator: they would
draw the same retry jitter (ours in the intake's back-off, botocore's), so retries
would collide in step. The after-restore hook (Lambda's runtime hooks,
``snapshot_restore_py``, part of the Python runtime) reseeds it from the OS. Tickets,
tracking codes and claim tokens come from ``secrets``/``uuid4`` (the OS, per call).
"""

from __future__ import annotations

import gc
import random

# Whether the collector ran before the first handler module paused it (a test run
# may import several handler modules; the first one decides).
_was_enabled = gc.isenabled()
gc.disable()


def end_init() -> None:
    """The handler module's init is done: freeze what it created, collect as before."""
    gc.freeze()
    if _was_enabled:
        gc.enable()


def reseed_after_restore() -> None:
    """SnapStart restored this environment: its own ``random`` sequence, from the OS."""
    random.seed()


try:  # Lambda's Python runtime has the SnapStart hooks; tests and the local stack may not.
    from snapshot_restore_py import register_after_restore
except ImportError:
    pass
else:
    register_after_restore(reseed_after_restore)

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
"""

from __future__ import annotations

import gc

# Whether the collector ran before the first handler module paused it (a test run
# may import several handler modules; the first one decides).
_was_enabled = gc.isenabled()
gc.disable()


def end_init() -> None:
    """The handler module's init is done: freeze what it created, collect as before."""
    gc.freeze()
    if _was_enabled:
        gc.enable()

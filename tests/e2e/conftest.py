"""The local stack, started exactly as ``make run`` starts it, for end-to-end tests.

It runs in its own process (moto server and gateway on free loopback ports),
so the tests see only HTTP, as a kiosk or a browser does, and share no
module state with the in-process integration tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.stack import RunningStack, fail_if_the_stack_died, running_stack


@pytest.fixture(scope="session")
def local_stack() -> Iterator[RunningStack]:
    # e2e and fuzz tests send bursts from one machine; throttling has its own e2e test.
    with running_stack("pendopo-e2e", "--no-throttle") as stack:
        yield stack
        fail_if_the_stack_died(stack)

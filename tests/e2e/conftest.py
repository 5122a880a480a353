"""The local stack (moto and the gateway, on free loopback ports) for end-to-end tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from infra.local.stack import LocalStack


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    """One stack for the whole session, on its own table so runs never share data."""
    stack = LocalStack(table_name=f"pendopo-e2e-{uuid.uuid4().hex[:8]}")
    stack.start()
    # The stack's environment points every boto3 client at its moto server. Outside
    # e2e tests it would leak into other tests of the session (moto's in-process mocks
    # do not intercept a custom endpoint), so only _stack_environment turns it on.
    stack.restore_environment()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(autouse=True)
def _stack_environment(local_stack: LocalStack) -> Iterator[None]:
    """The in-process handlers run during e2e tests only: give them the stack's env then."""
    local_stack.apply_environment()
    try:
        yield
    finally:
        local_stack.restore_environment()

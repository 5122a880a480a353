"""The transformed template (Stage=prod), offline: see infra/transform.py."""

from __future__ import annotations

from typing import Any

import pytest

from infra.transform import transformed_template
from tests.infra.template_assertions import Transformed


@pytest.fixture
def transformed() -> Transformed:
    return Transformed(transformed_template())


@pytest.fixture
def template() -> dict[str, Any]:
    """A copy a test may change, to show a checker catches a broken property."""
    return transformed_template()

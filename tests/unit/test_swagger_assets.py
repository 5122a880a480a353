"""The docs page inlines Powertools' Swagger UI when present, else loads it from a CDN."""

from __future__ import annotations

from pathlib import Path

import pytest

from pendopo.api import openapi


def test_a_development_install_inlines_the_bundled_assets() -> None:
    assert openapi.swagger_base_url() is None


def test_the_deployed_layer_without_the_assets_uses_the_pinned_cdn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Path, "is_file", lambda self: False)
    assert openapi.swagger_base_url() == openapi.SWAGGER_UI_CDN
    assert "@5." in openapi.SWAGGER_UI_CDN  # a pinned major version, never "latest"

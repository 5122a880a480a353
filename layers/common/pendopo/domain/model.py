"""The base of the answer models (views): built when first used, not at import.

pydantic builds a model's validator and serializer when its class is defined,
unless ``defer_build`` is set; then it builds them on first use (validation,
serialisation, JSON schema). Every function imports these modules, and most of
their models serve only some routes of one function (the intake's tracking page,
the officer queue), so building them at import cost every cold start of every
function. Deferred, a model is built once per container, by the first request
that needs it. Behaviour is otherwise identical.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ViewModel(BaseModel):
    model_config = ConfigDict(defer_build=True)

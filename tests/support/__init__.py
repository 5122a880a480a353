"""Helpers the tests share: builders, the handler caller, the local stack's starter,
the artifact runner, fakes, the fault injector, PII canaries.

Test files and ``conftest.py`` files import from here, never from one another; fixtures
stay in ``conftest.py``. Nothing here imports from a ``conftest.py`` or a test module.
"""

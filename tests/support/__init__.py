"""Helpers the tests share: builders, fakes, the fault injector, PII canaries.

Test files import from here, never from one another; fixtures stay in ``conftest.py``.
"""

"""The access log's rules (pendopo/domain/access.py), without AWS."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pendopo.domain.access import month_of, parse_month, unmasked_fields
from pendopo.domain.complaint import Reporter
from pendopo.domain.errors import InvalidField
from pendopo.domain.officer import Officer
from pendopo.domain.status import Role
from pendopo.views.officer import reporter_view

REPORTER = Reporter(
    name="Siti Aminah", nik="3171014506900001", phone="081234567890", email="siti@contoh.id"
)


def shown(role: Role, reporter: Reporter = REPORTER) -> tuple[str, ...]:
    officer = Officer("x@pendopo.example", "sub", role, None if role is Role.ADMIN else "BIRO_PEM")
    view = reporter_view(reporter, officer).model_dump()
    return unmasked_fields(reporter.model_dump(), view)


def test_the_fields_a_role_sees_whole_are_named_a_masked_nik_is_not() -> None:
    assert shown(Role.VERIFIER) == ("name", "nik", "phone", "email")
    assert shown(Role.ADMIN) == ("name", "phone", "email")
    assert shown(Role.COORDINATOR) == ("name", "phone", "email")


def test_an_anonymous_reporters_hidden_identity_names_nothing() -> None:
    anonymous = REPORTER.model_copy(update={"anonymous": True})
    assert shown(Role.COORDINATOR, anonymous) == ()
    assert shown(Role.OFFICER, anonymous) == ()
    assert shown(Role.VERIFIER, anonymous) == ("name", "nik", "phone", "email")


def test_fields_the_reporter_left_empty_are_not_named() -> None:
    bare = Reporter(name="Budi Santoso", phone="081298765432")
    assert shown(Role.VERIFIER, bare) == ("name", "phone")


def test_months_are_wib_months() -> None:
    # 30 June 18:00 UTC is 1 July 01:00 WIB
    assert month_of(datetime(2025, 6, 30, 18, 0, tzinfo=UTC)) == "2025-07"
    assert month_of(datetime(2025, 6, 30, 16, 59, tzinfo=UTC)) == "2025-06"


@pytest.mark.parametrize("text", ["2025-6", "2025-13", "25-06", "2025/06", "", "2025-00"])
def test_a_month_that_is_not_yyyy_mm_is_refused_in_indonesian(text: str) -> None:
    with pytest.raises(InvalidField) as refused:
        parse_month(text)
    assert "YYYY-MM" in refused.value.message
    assert parse_month(" 2025-06 ") == "2025-06"

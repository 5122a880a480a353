"""The recap's command line: a deployed stage refuses a month that has not ended (WIB)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from pendopo.domain.clock import WIB, FixedClock
from pendopo.domain.recap import RecapMonth
from tools.ops import recap as cli

JULY_15 = FixedClock(datetime(2025, 7, 15, 10, 0, tzinfo=WIB))


def _never(args: Any) -> dict[str, Any]:
    raise AssertionError("must not run")


def test_a_stage_run_for_the_current_month_is_refused_in_indonesian(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "run_stage", _never)
    for month in ("2025-07", "2025-12"):
        assert cli.main(["--month", month, "--stage", "dev"], clock=JULY_15) == 2
    err = capsys.readouterr().err
    assert "Rekap Juli 2025 belum bisa dikirim: bulan itu belum berakhir." in err
    assert "Desember 2025" in err


def test_a_stage_run_for_an_ended_month_invokes_the_function(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "run_stage", lambda args: {"month": args.month, "sent": 12})
    assert cli.main(["--month", "2025-06", "--stage", "dev"], clock=JULY_15) == 0
    assert '"sent": 12' in capsys.readouterr().out


def test_the_function_refusing_is_shown_in_indonesian_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Payload:
        def read(self) -> bytes:
            return b'{"errorType": "MonthNotEnded", "errorMessage": "month 2025-06 ..."}'

    class Lambda:
        def invoke(self, **kwargs: Any) -> dict[str, Any]:
            return {"FunctionError": "Unhandled", "Payload": Payload()}

    monkeypatch.setattr("boto3.client", lambda *args, **kwargs: Lambda())
    # The caller's clock says June is over; the function's (the authority) says not.
    assert cli.main(["--month", "2025-06", "--stage", "dev"], clock=JULY_15) == 2
    assert "Rekap Juni 2025 belum bisa dikirim" in capsys.readouterr().err


def test_the_local_stack_may_recap_the_current_month(monkeypatch: pytest.MonkeyPatch) -> None:
    # make demo creates its complaints now; docs/operations.md shows make recap MONTH=<this month>.
    ran: list[str] = []
    monkeypatch.setattr(cli, "run_local", lambda args: ran.append(args.month) or {})
    assert cli.main(["--month", "2025-07", "--local"], clock=JULY_15) == 0
    assert ran == ["2025-07"]


def test_help_says_which_months_each_target_takes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.parse_args(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "may recap the current month" in out
    assert "refuses a month that has not ended" in out


def test_a_month_ends_at_midnight_wib_on_the_first() -> None:
    july = RecapMonth(2025, 7)
    assert not july.has_ended(datetime(2025, 7, 31, 23, 59, 59, tzinfo=WIB))
    assert july.has_ended(datetime(2025, 8, 1, 0, 0, tzinfo=WIB))

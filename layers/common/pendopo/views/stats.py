"""What the statistics and the dashboard answer (issue #19): aggregates only.

The same shape for the public (every unit) and for officers and leaders (the units
they may see). No ticket, title, name or any complaint's data: counts, percentages
and hours. These models are the response schemas of the OpenAPI documents too.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from pendopo.domain.model import ViewModel


class _View(ViewModel):
    model_config = ConfigDict(defer_build=True, populate_by_name=True)


class PeriodView(_View):
    code: str = Field(description="today, 7d, 30d atau YYYY-MM")
    label: str = Field(description="Nama periode, misalnya '30 hari terakhir' atau 'Juni 2025'")
    first: str = Field(alias="from", description="Hari pertama (WIB), YYYY-MM-DD")
    to: str = Field(description="Hari terakhir (WIB), YYYY-MM-DD")
    complete: bool = Field(
        description="Bulan yang sudah berakhir: angka terbuka/terlambat per akhir bulan"
    )


class CodeCount(_View):
    code: str
    label: str
    count: int


class BandCount(_View):
    label: str
    count: int


class SatisfactionView(_View):
    rated: int = Field(description="Pengaduan yang dinilai pelapor")
    average: float | None = Field(description="Rata-rata nilai (1-5)")
    satisfied_pct: float | None = Field(description="Persen penilaian 4-5")
    disputed: int = Field(description="Dinilai 'tidak', belum dijawab verifikator")
    reopened: int = Field(description="Dibuka kembali")
    finished: int = Field(description="Selesai (dapat dinilai)")


class FiguresView(_View):
    received: int
    by_channel: list[CodeCount]
    top_categories: list[CodeCount] = Field(description="Lima kategori terbanyak")
    open: int = Field(description="Belum selesai: kini, atau per akhir bulan yang berakhir")
    overdue: int = Field(description="Terbuka, tenggat berjalan dan lewat")
    overdue_bands: list[BandCount]
    max_overdue_hours: float | None
    follow_ups_delivered: int
    within_3_days: int
    within_3_days_pct: float | None = Field(description="Persen dari yang dapat dinilai")
    assessed: int = Field(description="Dapat dinilai ketepatan waktunya")
    median_hours_to_follow_up: float | None
    p90_hours_to_follow_up: float | None
    rejected_at_verification: int
    follow_ups_returned: int = Field(description="Hasil tindak lanjut dikembalikan (TL Ditolak)")
    satisfaction: SatisfactionView


class AsistenFigures(_View):
    code: str
    name: str
    figures: FiguresView


class UnitFigures(_View):
    code: str
    name: str
    asisten: str
    figures: FiguresView


class TrendDay(_View):
    date: str
    received: int
    completed: int = Field(description="Selesai pada hari itu")
    overdue: int = Field(description="Tenggat hari itu terlewat tanpa hasil tepat waktu")


class Statistics(_View):
    period: PeriodView
    generated_at: str = Field(description="Waktu jawaban (WIB, ISO 8601)")
    total: FiguresView
    asisten: list[AsistenFigures]
    units: list[UnitFigures]
    trend: list[TrendDay] = Field(description="90 hari sampai hari terakhir periode")

    @classmethod
    def of(cls, answer: dict[str, Any]) -> Statistics:
        return cls.model_validate(answer)

"""The recap as an XLSX workbook (XlsxWriter), with the same tables as the HTML reports.

Sheets: Ringkasan (one row per unit and the total), Kepuasan (the reporters' ratings,
one row per unit and the total), Per kategori, Per kanal,
Per perangkat daerah, Status akhir bulan (one row per unit and code), Terbuka (the
complaints still open at the month end) and Pengaduan (every complaint, the CSV's
rows). XlsxWriter is write-only and pure Python: enough here, and small.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence

import xlsxwriter  # type: ignore[import-untyped]  # no stubs, no py.typed

from pendopo.domain.recap import Count, MonthRecap, UnitRecap
from pendopo.domain.taxonomy import Taxonomy
from pendopo.reports.rows import (
    LIST_COLUMNS,
    SATISFACTION_COLUMNS,
    SUMMARY_COLUMNS,
    describe_duration,
    list_row,
    satisfaction_row,
    summary_row,
)

Cell = str | int | float


def render_xlsx(recap: MonthRecap, taxonomy: Taxonomy) -> bytes:
    buffer = io.BytesIO()
    # in_memory: Lambda's file system is read-only outside /tmp.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    workbook.set_properties(
        {"title": f"Rekap pengaduan Pendopo {recap.month.label}", "author": "Pendopo"}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#F1ECE4", "border": 1})
    total = workbook.add_format({"bold": True, "top": 1})

    def sheet(name: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
        worksheet = workbook.add_worksheet(name)
        worksheet.write_row(0, 0, header, bold)
        last = 0
        for last, row in enumerate(rows, start=1):
            worksheet.write_row(last, 0, row)
        worksheet.freeze_panes(1, 0)
        worksheet.autofilter(0, 0, max(last, 1), len(header) - 1)
        worksheet.set_column(0, len(header) - 1, 18)

    summary = workbook.add_worksheet("Ringkasan")
    summary.write(0, 0, f"Rekapitulasi hasil tindak lanjut pengaduan, {recap.month.label}", total)
    summary.write_row(2, 0, SUMMARY_COLUMNS, bold)
    row = 3
    for unit in recap.units:
        summary.write_row(row, 0, summary_row(unit.unit_name, unit.figures))
        row += 1
    summary.write_row(row, 0, summary_row("Jumlah", recap.figures), total)
    summary.write(row + 2, 0, "Median waktu sampai hasil TL")
    summary.write(row + 2, 1, describe_duration(recap.figures.median_to_follow_up))
    summary.write(row + 3, 0, "Persentil ke-90 waktu sampai hasil TL")
    summary.write(row + 3, 1, describe_duration(recap.figures.p90_to_follow_up))
    summary.set_column(0, 0, 42)
    summary.set_column(1, len(SUMMARY_COLUMNS) - 1, 14)
    summary.freeze_panes(3, 1)

    sheet(
        "Kepuasan",
        SATISFACTION_COLUMNS,
        [
            *(satisfaction_row(unit.unit_name, unit.figures) for unit in recap.units),
            satisfaction_row("Jumlah", recap.figures),
        ],
    )

    breakdown = ("Unit", "Kode", "Uraian", "Jumlah")
    sheet("Per kategori", breakdown, _breakdown(recap.units, lambda u: u.figures.by_category))
    sheet("Per kanal", breakdown, _breakdown(recap.units, lambda u: u.figures.by_channel))
    sheet("Per perangkat daerah", breakdown, _breakdown(recap.units, lambda u: u.figures.by_agency))
    sheet(
        "Status akhir bulan",
        breakdown,
        _breakdown(recap.units, lambda u: [c for c in u.figures.by_status if c.count]),
    )
    sheet(
        "Terbuka",
        LIST_COLUMNS,
        (list_row(state, taxonomy) for u in recap.units for state in u.figures.open_list),
    )
    sheet("Pengaduan", LIST_COLUMNS, (list_row(s, taxonomy) for s in recap.complaints))
    workbook.close()
    return buffer.getvalue()


def _breakdown(
    units: Sequence[UnitRecap], rows_of: Callable[[UnitRecap], Sequence[Count]]
) -> list[list[Cell]]:
    return [[unit.unit, c.code, c.label, c.count] for unit in units for c in rows_of(unit)]

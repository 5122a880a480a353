"""The monthly recap as files: HTML per unit, per Asisten and consolidated (jinja2), and CSV.

The HTML is self-contained (inline CSS, bars as CSS widths, no external assets, no
scripts), in Bahasa Indonesia, and prints on A4 (``@page``). Figures a test or a
spreadsheet must match carry ``data-figure`` attributes. The XLSX workbook is
written by the function itself (``functions/monthly_recap/xlsx.py``), because its
library is the function's dependency, not the layer's.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment

from pendopo.domain.clock import format_wib
from pendopo.domain.recap import AsistenRecap, Figures, MonthRecap, UnitRecap
from pendopo.domain.taxonomy import Taxonomy
from pendopo.notifications.render import RenderedEmail, template_environment
from pendopo.reports.rows import LIST_COLUMNS, describe_duration, list_row

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "recap"


@cache
def _environment() -> Environment:
    environment = template_environment(TEMPLATE_DIR)
    environment.filters["duration"] = describe_duration
    environment.filters["wib"] = format_wib
    environment.filters["percent"] = _percent
    environment.filters["average"] = _average
    environment.globals["bar_width"] = _bar_width
    return environment


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def _average(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}".replace(".", ",")


def _bar_width(count: int, largest: int) -> str:
    return "0" if not largest else f"{100 * count / largest:.1f}"


@dataclass(frozen=True, slots=True)
class ReportNames:
    """The object keys and attachment names of one month's reports."""

    month: str

    @property
    def prefix(self) -> str:
        return f"recaps/{self.month}/"

    def unit(self, unit: str) -> str:
        return f"rekap-{self.month}-{unit}.html"

    def asisten(self, code: str) -> str:
        return f"rekap-{self.month}-{code}.html"

    @property
    def consolidated(self) -> str:
        return f"rekap-{self.month}-konsolidasi.html"

    @property
    def csv(self) -> str:
        return f"pengaduan-{self.month}.csv"

    @property
    def xlsx(self) -> str:
        return f"rekap-{self.month}.xlsx"

    def key(self, name: str) -> str:
        return self.prefix + name


def render_unit(recap: MonthRecap, unit: UnitRecap, taxonomy: Taxonomy, now: datetime) -> str:
    return (
        _environment()
        .get_template("unit.html")
        .render(
            month=recap.month,
            unit=unit,
            asisten=taxonomy.asisten[unit.asisten],
            figures=unit.figures,
            taxonomy=taxonomy,
            generated=now,
        )
    )


def render_summary(
    recap: MonthRecap,
    title: str,
    addressed_to: str,
    units: tuple[UnitRecap, ...],
    figures: Figures,
    taxonomy: Taxonomy,
    now: datetime,
) -> str:
    """The consolidated report (every unit) or an Asisten's (their units)."""
    return (
        _environment()
        .get_template("summary.html")
        .render(
            month=recap.month,
            title=title,
            addressed_to=addressed_to,
            units=units,
            figures=figures,
            taxonomy=taxonomy,
            generated=now,
        )
    )


def render_consolidated(recap: MonthRecap, taxonomy: Taxonomy, now: datetime) -> str:
    return render_summary(
        recap,
        "Rekapitulasi Konsolidasi Seluruh Unit Koordinator",
        "Sekretaris Daerah Provinsi DKI Jakarta",
        recap.units,
        recap.figures,
        taxonomy,
        now,
    )


def render_asisten(
    recap: MonthRecap, asisten: AsistenRecap, taxonomy: Taxonomy, now: datetime
) -> str:
    return render_summary(
        recap,
        f"Rekapitulasi Unit Koordinator di Bawah {asisten.name}",
        asisten.name,
        asisten.units,
        asisten.figures,
        taxonomy,
        now,
    )


def render_csv(recap: MonthRecap, taxonomy: Taxonomy) -> bytes:
    """Every complaint of the month, one row each; UTF-8 with a BOM so Excel reads it right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LIST_COLUMNS)
    for state in recap.complaints:
        writer.writerow(list_row(state, taxonomy))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_email(kind: str, **context: object) -> RenderedEmail:
    """The recap email: ``kind`` is unit, asisten or sekda (one template pair each)."""
    environment = _environment()
    html = environment.get_template(f"email_{kind}.html").render(**context)
    text = environment.get_template(f"email_{kind}.txt").render(**context)
    subject = environment.get_template("email_subject.txt").render(kind=kind, **context).strip()
    return RenderedEmail(subject=subject, text=text, html=html)

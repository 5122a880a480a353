"""The recap's figures as rows: the columns of the CSV list and the XLSX sheets.

``domain.recap`` computes the figures; this module decides how they read in a table
(labels, WIB times to the minute, "Ya"/"Tidak", durations in words) and what a row
may show of a complaint: no NIK, no name, no email, the phone masked.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pendopo.domain.clock import to_wib
from pendopo.domain.recap import ComplaintAtMonthEnd, Figures
from pendopo.domain.taxonomy import Taxonomy


def mask_phone(phone: str) -> str:
    """'+6281234567890' -> '+62*******7890': enough to recognise, not to call."""
    visible = 4
    if len(phone) <= 3 + visible:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 3 - visible) + phone[-visible:]


LIST_COLUMNS = (
    "Tiket",
    "Unit",
    "Diterima (WIB)",
    "Kanal",
    "Kategori",
    "Perangkat daerah/BUMD",
    "Status akhir bulan",
    "Batas waktu (WIB)",
    "Hasil TL disampaikan (WIB)",
    "Tepat waktu",
    "TL ditolak (kali)",
    "Ditolak saat verifikasi",
    "Dialihkan",
    "Di luar jam layanan",
    "Terlambat pada akhir bulan (jam)",
    "Telepon pelapor (disamarkan)",
    "Penilaian pelapor (1-5)",
    "Selesai menurut pelapor",
    "Disanggah di akhir bulan",
    "Dibuka kembali",
)


def _wib_text(moment: datetime | None) -> str:
    return to_wib(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return "Ya" if value else "Tidak"


def list_row(state: ComplaintAtMonthEnd, taxonomy: Taxonomy) -> list[str | int | float]:
    """One complaint of the list (CSV and XLSX): no NIK, no name, no email, phone masked.

    An anonymous reporter's phone is left out too: the report travels by email
    to people who are not the complaint's handlers.
    """
    c = state.complaint
    category = taxonomy.category(c.category)
    agency = taxonomy.agencies.get(state.agency) if state.agency else None
    overdue_hours = (
        round(state.overdue_by.total_seconds() / 3600, 1) if state.overdue_by is not None else ""
    )
    return [
        c.ticket,
        state.unit or c.unit,  # the unit that held it at the month end
        _wib_text(c.received_at),
        c.channel.label,
        category.label if category else c.category,
        agency.name if agency else (state.agency or ""),
        state.status.label,
        _wib_text(c.due_at),
        _wib_text(state.delivered_at),
        _yes_no(state.on_time),
        state.validation_rejections,
        _yes_no(state.rejected_at_verification),
        _yes_no(state.rerouted),
        _yes_no(c.outside_hours),
        overdue_hours,
        "" if c.reporter.anonymous or not c.reporter.phone else mask_phone(c.reporter.phone),
        state.feedback.rating if state.feedback else "",
        state.feedback.resolved.value if state.feedback else "",
        _yes_no(state.disputed),
        _yes_no(state.reopened),
    ]


def summary_row(name: str, figures: Figures) -> list[str | int | float]:
    """One row of the summary table (XLSX 'Ringkasan' and the consolidated HTML)."""
    percent = figures.on_time_percent
    return [
        name,
        figures.received,
        figures.on_time,
        round(percent, 1) if percent is not None else "",
        figures.late,
        figures.open_at_end,
        figures.overdue_at_end,
        figures.rejected_at_verification,
        figures.follow_ups_rejected,
        figures.outside_hours,
    ]


SUMMARY_COLUMNS = (
    "Unit",
    "Diterima",
    "TL tepat waktu (<= 3 hari)",
    "Tepat waktu (%)",
    "TL terlambat",
    "Masih terbuka akhir bulan",
    "Melewati batas waktu",
    "Ditolak saat verifikasi",
    "TL ditolak saat validasi",
    "Di luar jam layanan",
)


SATISFACTION_COLUMNS = (
    "Unit",
    "Selesai (dapat dinilai)",
    "Dinilai pelapor",
    "Tingkat tanggapan (%)",
    "Rata-rata nilai (1-5)",
    "Puas (nilai 4-5)",
    "Puas (%)",
    "Selesai menurut pelapor: ya",
    "sebagian",
    "tidak",
    "Disanggah di akhir bulan",
    "Dibuka kembali",
)


def satisfaction_row(name: str, figures: Figures) -> list[str | int | float]:
    """One row of the reporters' ratings (XLSX 'Kepuasan'); "" where nothing was rated."""
    s = figures.satisfaction

    def rounded(value: float | None) -> str | float:
        return "" if value is None else round(value, 1)

    return [
        name,
        s.finished,
        s.rated,
        rounded(s.response_percent),
        rounded(s.average),
        s.satisfied,
        rounded(s.satisfied_percent),
        s.resolved_yes,
        s.resolved_partly,
        s.resolved_no,
        s.disputed,
        s.reopened,
    ]


def describe_duration(delay: timedelta | None) -> str:
    """'2 hari 3 jam', '3 hari 1 menit', '0 menit', or '-' when there is none (to the minute)."""
    if delay is None:
        return "-"
    minutes = int(delay.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} hari" if days else "", f"{hours} jam" if hours else ""]
    parts.append(f"{minutes} menit" if minutes or not (days or hours) else "")
    return " ".join(p for p in parts if p)

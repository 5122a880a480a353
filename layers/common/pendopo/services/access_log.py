"""The access log as administrators read it: per complaint, or per officer and month.

Only an admin may read it. The log holds field names, never values, so reading it
shows no reporter's identity and writes no access record of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from pendopo.domain.access import parse_month
from pendopo.domain.errors import InvalidField
from pendopo.domain.identifiers import normalize_ticket
from pendopo.domain.officer import Officer
from pendopo.domain.status import Role
from pendopo.domain.taxonomy import EMAIL_PATTERN
from pendopo.domain.workflow import Forbidden
from pendopo.storage.access_log import AccessLog, AccessPage, InvalidLogCursor
from pendopo.views.officer import AccessLogPage, access_record_view

_BAD_CURSOR = "Cursor tidak valid untuk log ini. Muat ulang dari halaman pertama."


@dataclass(frozen=True, slots=True)
class AccessQuery:
    ticket: str | None = None
    officer: str | None = None
    month: str | None = None
    limit: int = 50
    cursor: str | None = None


class AccessLogService:
    def __init__(self, log: AccessLog | None = None) -> None:
        self._log = log or AccessLog()

    def read(self, reader: Officer, query: AccessQuery) -> AccessLogPage:
        if reader.role is not Role.ADMIN:
            raise Forbidden("Hanya admin yang dapat membaca log akses data pelapor.")
        try:
            page = self._page(query)
        except InvalidLogCursor as error:
            raise InvalidField("cursor", _BAD_CURSOR) from error
        return AccessLogPage(
            items=[access_record_view(r) for r in page.records], next_cursor=page.next_cursor
        )

    def _page(self, query: AccessQuery) -> AccessPage:
        if query.ticket is not None:
            if query.officer is not None or query.month is not None:
                raise InvalidField("ticket", "Pilih salah satu: tiket, atau petugas dan bulan.")
            ticket = normalize_ticket(query.ticket)
            if ticket is None:
                raise InvalidField("ticket", "Nomor tiket tidak valid. Contoh: 2506-4821-7734.")
            return self._log.by_ticket(ticket, limit=query.limit, cursor=query.cursor)
        if query.officer is None or query.month is None:
            raise InvalidField("officer", "Isi tiket, atau email petugas beserta bulan (YYYY-MM).")
        officer = query.officer.strip().lower()
        if not EMAIL_PATTERN.fullmatch(officer):
            raise InvalidField("officer", "Email petugas tidak valid.")
        month = parse_month(query.month)
        return self._log.by_officer(officer, month, limit=query.limit, cursor=query.cursor)

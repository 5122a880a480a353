"""What the e-kiosk shows on its home screen: program information and desk hours."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path

from pendopo.domain.clock import wib_to_the_second
from pendopo.domain.model import ViewModel
from pendopo.domain.sessions import Session, SessionCalendar, describe_next_session

CONTENT_PATH = Path(__file__).resolve().parent.parent / "data" / "kiosk_content.json"


class Program(ViewModel):
    code: str
    title: str
    summary: str
    audience: str


class SessionView(ViewModel):
    opens_at: datetime
    closes_at: datetime
    text: str


class KioskInfo(ViewModel):
    title: str
    welcome: str
    desk_hours: str
    desks_open: bool
    current_session: SessionView | None
    next_session: SessionView
    programs: list[Program]
    now: datetime


class KioskContent(ViewModel):
    title: str
    welcome: str
    programs: list[Program]


@cache
def load_kiosk_content(path: Path = CONTENT_PATH) -> KioskContent:
    return KioskContent.model_validate(json.loads(path.read_text(encoding="utf-8")))


def _session_view(session: Session) -> SessionView:
    return SessionView(
        opens_at=wib_to_the_second(session.opens_at),
        closes_at=wib_to_the_second(session.closes_at),
        text=describe_next_session(session),
    )


def kiosk_info(now: datetime, sessions: SessionCalendar, content: KioskContent) -> KioskInfo:
    current = sessions.current_session(now)
    return KioskInfo(
        title=content.title,
        welcome=content.welcome,
        desk_hours=sessions.hours_text(),
        desks_open=current is not None,
        current_session=_session_view(current) if current else None,
        next_session=_session_view(sessions.next_session(now)),
        programs=content.programs,
        now=wib_to_the_second(now),
    )

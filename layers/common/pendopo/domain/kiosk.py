"""What the e-kiosk shows on its home screen: program information and desk hours."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from pendopo.domain.clock import to_wib
from pendopo.domain.sessions import DESK_HOURS_TEXT, SessionCalendar, describe_next_session

CONTENT_PATH = Path(__file__).resolve().parent.parent / "data" / "kiosk_content.json"


class Program(BaseModel):
    code: str
    title: str
    summary: str
    audience: str


class SessionView(BaseModel):
    opens_at: datetime
    closes_at: datetime
    text: str


class KioskInfo(BaseModel):
    title: str
    welcome: str
    desk_hours: str
    desks_open: bool
    current_session: SessionView | None
    next_session: SessionView
    programs: list[Program]
    now: datetime


class KioskContent(BaseModel):
    title: str
    welcome: str
    programs: list[Program]


@cache
def load_kiosk_content(path: Path = CONTENT_PATH) -> KioskContent:
    return KioskContent.model_validate(json.loads(path.read_text(encoding="utf-8")))


def kiosk_info(now: datetime, sessions: SessionCalendar, content: KioskContent) -> KioskInfo:
    current = sessions.current_session(now)
    upcoming = sessions.next_session(now)
    return KioskInfo(
        title=content.title,
        welcome=content.welcome,
        desk_hours=DESK_HOURS_TEXT,
        desks_open=current is not None,
        current_session=SessionView(
            opens_at=to_wib(current.opens_at),
            closes_at=to_wib(current.closes_at),
            text=describe_next_session(current),
        )
        if current
        else None,
        next_session=SessionView(
            opens_at=to_wib(upcoming.opens_at),
            closes_at=to_wib(upcoming.closes_at),
            text=describe_next_session(upcoming),
        ),
        programs=content.programs,
        now=to_wib(now),
    )

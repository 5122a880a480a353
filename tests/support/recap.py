"""The monthly recap's month: complaints and officer actions at pinned WIB times
through the real handlers, the scheduled run, and the emails it sent."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from pendopo.domain.clock import WIB, FixedClock
from tests.support.citizen import rate, submit
from tests.support.officers import take

BUCKET = "pendopo-test-files"
# The schedule fires on the 5th at 07:00 WIB; it passes its scheduled time.
SCHEDULED = datetime(2025, 7, 5, 7, 0, tzinfo=WIB)


def wib(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"2025-{day}T{hhmm}:00+07:00")


class Desk:
    """Complaints and officer actions at pinned times, through the real handlers."""

    def __init__(self, intake: Any, route: Any, clock: FixedClock) -> None:
        self.intake, self.route, self.clock = intake, route, clock
        self.count = 0
        self.codes: dict[str, str] = {}  # ticket -> tracking code

    def submit(self, at: datetime, category: str, channel: str = "kiosk") -> str:
        self.clock.set(at)
        self.count += 1
        answer = submit(
            self.intake, key=f"recap-key-{self.count:04d}", category=category, channel=channel
        )
        assert answer.status == 201, answer.body
        self.codes[str(answer.body["ticket"])] = str(answer.body["tracking_code"])
        return str(answer.body["ticket"])

    def rate(self, at: datetime, ticket: str, rating: int, resolved: str) -> None:
        """The reporter's rating at ``at``, with the code their receipt gave."""
        self.clock.set(at)
        answer = rate(self.intake, ticket, self.codes[ticket], rating=rating, resolved=resolved)
        assert answer.status == 201, answer.body

    def act(self, at: datetime, ticket: str, segment: str, claims: Any, body: Any = None) -> None:
        self.clock.set(at)
        answer = take(self.route, ticket, segment, claims, body)
        assert answer.status == 200, (segment, answer.body)


def scheduled_event() -> dict[str, str]:
    return {"scheduled_time": SCHEDULED.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}


def run(recap: Any, clock: FixedClock, event: dict[str, Any] | None = None) -> dict[str, Any]:
    from tools.local.events import lambda_context

    clock.set(SCHEDULED + timedelta(minutes=1))  # delivered a minute late: no matter
    body: dict[str, Any] = recap.lambda_handler(
        event or scheduled_event(), lambda_context("MonthlyRecapFunction")
    )
    return body


def sent_messages() -> list[Any]:
    from moto.ses.models import RawMessage, ses_backends

    backend = ses_backends["123456789012"]["ap-southeast-3"]
    return [m for m in backend.sent_messages if isinstance(m, RawMessage)]


def recipients_of(messages: list[Any]) -> Counter[str]:
    # moto lists the To header and the Destination both: count each message once.
    return Counter(address for m in messages for address in set(m.destinations))

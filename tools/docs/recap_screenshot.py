"""The docs' picture of a unit report (``make screenshots``; docs/operations.md shows it).

A sample month for Biro PLH (made-up complaints, built in memory with the domain's
own types), rendered by the same template the recap stores in S3, opened in
headless chromium (``tools/browser.py``) at A4 width, and saved as a full-page PNG.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pendopo.domain.clock import WIB
from pendopo.domain.complaint import Channel, Complaint, FollowUp, Reporter, TimelineEntry
from pendopo.domain.recap import RecapMonth, recap_month
from pendopo.domain.sessions import SessionCalendar
from pendopo.domain.status import Action, Status
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.reports.recap import render_unit

UNIT = "BIRO_PLH"
MONTH = RecapMonth(2025, 6)
TITLES = (
    "Jalan berlubang di depan sekolah",
    "Lampu penerangan jalan mati",
    "Saluran air tersumbat setelah hujan",
    "Sampah menumpuk di pinggir kali",
    "Trotoar rusak membahayakan pejalan kaki",
    "Pohon tumbang menutup jalan",
)


def sample_complaints(count: int = 38, seed: int = 6) -> list[Complaint]:
    taxonomy = load_taxonomy()
    categories = [c for c in taxonomy.categories.values() if c.unit == UNIT]
    rng = random.Random(seed)  # noqa: S311 - sample data
    sessions = SessionCalendar()
    made = []
    for index in range(count):
        received = MONTH.start + timedelta(minutes=rng.randrange(30 * 24 * 60 - 60))
        if index % 3 == 0:  # a third at the desks, 07:30-09:30 WIB
            day = received.astimezone(WIB).replace(hour=7, minute=30, second=0, microsecond=0)
            received = (day + timedelta(minutes=rng.randrange(120))).astimezone(UTC)
        category = rng.choice(categories[:6])
        due = received + timedelta(days=3)
        steps = [TimelineEntry(at=received, action=Action.SUBMIT, status=Status.WAITING)]
        agency = None
        first = None
        rejections = 0
        fate = rng.random()
        at = received + timedelta(hours=rng.randint(1, 5))
        if fate < 0.08:
            steps.append(TimelineEntry(at=at, action=Action.REJECT, status=Status.REJECTED))
        elif fate > 0.15:
            steps.append(TimelineEntry(at=at, action=Action.VERIFY, status=Status.COORDINATION))
            at += timedelta(hours=rng.randint(1, 6))
            agency = category.agencies[0]
            steps.append(TimelineEntry(at=at, action=Action.DISPOSITION, status=Status.DISPOSITION))
            if fate > 0.3:
                at = received + timedelta(hours=rng.choice([20, 30, 50, 66, 71, 80, 100]))
                first = at
                steps.append(
                    TimelineEntry(
                        at=at, action=Action.SUBMIT_FOLLOW_UP, status=Status.AWAITING_VALIDATION
                    )
                )
                at += timedelta(hours=3)
                if fate > 0.85:
                    rejections = 1
                    steps.append(
                        TimelineEntry(
                            at=at,
                            action=Action.REJECT_FOLLOW_UP,
                            status=Status.FOLLOW_UP_REJECTED,
                        )
                    )
                elif fate > 0.4:
                    steps.append(
                        TimelineEntry(at=at, action=Action.ACCEPT_FOLLOW_UP, status=Status.DONE)
                    )
        made.append(
            Complaint(
                ticket=f"2506-{4000 + index * 37:04d}-{(index * 7919) % 10000:04d}",
                tracking_hash="x",
                channel=rng.choice(list(Channel)),
                category=category.code,
                unit=UNIT,
                title=rng.choice(TITLES),
                description="Contoh pengaduan untuk gambar laporan rekap bulanan.",
                reporter=Reporter(name="Contoh", phone="+6281200000000"),
                location=None,
                received_at=received,
                due_at=due,
                status=steps[-1].status,
                version=len(steps),
                outside_hours=sessions.is_outside_hours(received),
                timeline=tuple(steps),
                agency=agency,
                follow_up=FollowUp(result="Sudah ditangani.", at=first, by="x") if first else None,
                first_follow_up_at=first,
                validation_rejections=rejections,
            )
        )
    return made


def render_sample() -> str:
    taxonomy = load_taxonomy()
    recap = recap_month(MONTH, {UNIT: sample_complaints()}, taxonomy)
    unit = next(u for u in recap.units if u.unit == UNIT)
    generated = datetime(2025, 7, 5, 7, 0, tzinfo=WIB).astimezone(UTC)
    return render_unit(recap, unit, taxonomy, generated)


def screenshot(target: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tools.browser import launch_chromium

    with tempfile.TemporaryDirectory() as scratch:
        page_file = Path(scratch) / "unit.html"
        page_file.write_text(render_sample(), encoding="utf-8")
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                # A4 is 210 mm: 794 CSS pixels at 96 dpi; twice that for a sharp picture.
                page = browser.new_page(
                    viewport={"width": 794, "height": 1123}, device_scale_factor=1.5
                )
                page.goto(page_file.as_uri())
                target.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(target), full_page=True)
            finally:
                browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "target", nargs="?", type=Path, default=Path("docs/recap-unit-report.png"), help="PNG file"
    )
    screenshot(parser.parse_args(argv).target)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""docs/panduan-petugas.md stays true to the practice set and to make screenshots.

Given the officer's guide, then its table lists every practice complaint of
tools/ops/practice_complaints.json (id and title), every role has its section, and
every screenshot it shows is one tools/docs/guide_screenshots.py writes.
"""

from __future__ import annotations

import re
from pathlib import Path

from tools.ops.seed_training import practice_set

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "panduan-petugas.md").read_text(encoding="utf-8")
TOOL = (ROOT / "tools" / "docs" / "guide_screenshots.py").read_text(encoding="utf-8")


def test_the_table_lists_every_practice_complaint() -> None:
    rows = dict(re.findall(r"^\| `([\w-]+)` \| [^|]+ \| ([^|]+) \|", GUIDE, re.MULTILINE))
    assert {p.id: p.details["title"] for p in practice_set()} == {
        pid: title.strip() for pid, title in rows.items()
    }


def test_every_role_has_its_section_and_an_exercise_or_says_why_not() -> None:
    for role in ("Petugas", "Koordinator", "Verifikator", "Admin"):
        assert f"\n## {role}\n" in GUIDE
        assert f"\n### Latihan {role.lower()}\n" in GUIDE
    assert "\n## Pimpinan\n" in GUIDE and "belum tersedia" in GUIDE


def test_every_screenshot_shown_is_made_by_make_screenshots() -> None:
    shown = re.findall(r"\(screenshots/panduan/([\w-]+\.png)\)", GUIDE)
    assert shown
    for name in shown:
        assert f'"{name}"' in TOOL, name

"""One citizen's complaint, as a kiosk submits it: the body the artifact tests and the
benchmarks send to ``POST /v1/complaints`` when any valid complaint will do."""

from __future__ import annotations

from typing import Any

SAMPLE_COMPLAINT: dict[str, Any] = {
    "channel": "kiosk",
    "category": "ROAD",
    "title": "Jalan berlubang di depan sekolah",
    "description": "Lubang besar di Jl. Kramat Raya membahayakan pengendara motor.",
    "reporter": {"name": "Siti Aminah", "phone": "0812-3456-7890"},
    "location": {"text": "Jl. Kramat Raya 98", "lat": -6.1862, "lon": 106.8441},
}

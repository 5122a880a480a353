"""Demo complaints for the local stack, submitted through its public HTTP API.

They go through the real intake path (gateway, handler, validation, idempotency,
storage), so what the demo shows is what the system does. Every reporter is made up:
the NIKs are well-formed (DKI Jakarta region codes, plausible birth dates) but invented,
and the phone numbers are well-formed Indonesian mobile numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import requests


@dataclass(frozen=True)
class DemoComplaint:
    channel: str
    # Tried in order against category codes (exact first) and then codes and labels.
    category_hints: tuple[str, ...]
    title: str
    description: str
    reporter: dict[str, Any]
    location: dict[str, Any]


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    unit: str


@dataclass(frozen=True)
class DemoResult:
    ticket: str
    tracking_code: str
    channel: str
    category: str
    unit: str
    title: str


class DemoLoadError(RuntimeError):
    """The API refused or failed a demo request; the message says which and why."""


def _reporter(
    name: str,
    phone: str,
    nik: str | None = None,
    email: str | None = None,
    *,
    anonymous: bool = False,
    confidential: bool = False,
) -> dict[str, Any]:
    return {
        "name": name,
        "nik": nik,
        "phone": phone,
        "email": email,
        "anonymous": anonymous,
        "confidential": confidential,
    }


def _place(text: str, lat: float, lon: float) -> dict[str, Any]:
    return {"text": text, "lat": lat, "lon": lon}


DEMO_COMPLAINTS: tuple[DemoComplaint, ...] = (
    DemoComplaint(
        channel="kiosk",
        category_hints=("ROAD", "jalan rusak"),
        title="Jalan berlubang di Jl. Daan Mogot dekat Halte Pesing",
        description=(
            "Ada lubang besar di lajur kiri Jl. Daan Mogot arah Grogol, sekitar 50 meter "
            "sebelum Halte Pesing. Sudah dua pengendara motor terjatuh minggu ini, "
            "terutama malam hari saat lubang tertutup genangan air."
        ),
        reporter=_reporter("Budi Santoso", "081287654321", nik="3174031507850012"),
        location=_place("Jl. Daan Mogot dekat Halte Pesing, Grogol Petamburan", -6.1620, 106.7700),
    ),
    DemoComplaint(
        channel="web",
        category_hints=("FLOOD_DRAINAGE", "drainase", "banjir"),
        title="Saluran air tersumbat, banjir tiap hujan di Kelapa Gading",
        description=(
            "Saluran air di Jl. Boulevard Raya blok QJ tersumbat lumpur dan sampah. Setiap "
            "hujan deras air meluap ke jalan dan masuk ke rumah warga setinggi mata kaki. "
            "Mohon pengerukan sebelum puncak musim hujan."
        ),
        reporter=_reporter("Siti Rahmawati", "085711223344", email="siti.rahmawati@example.com"),
        location=_place("Jl. Boulevard Raya, Kelapa Gading, Jakarta Utara", -6.1580, 106.9050),
    ),
    DemoComplaint(
        channel="kiosk",
        category_hints=("WASTE", "sampah"),
        title="Tumpukan sampah liar di bantaran Kali Ciliwung",
        description=(
            "Sampah rumah tangga menumpuk di bantaran Kali Ciliwung dekat jembatan Kampung "
            "Melayu sejak dua minggu lalu dan belum diangkut. Baunya menyengat dan sebagian "
            "sampah sudah hanyut ke kali."
        ),
        reporter=_reporter("Agus Setiawan", "081398765432", nik="3172021208790007"),
        location=_place("Bantaran Kali Ciliwung, Kampung Melayu, Jatinegara", -6.2250, 106.8670),
    ),
    DemoComplaint(
        channel="web",
        category_hints=("STREET_LIGHTING", "penerangan jalan"),
        title="Lampu penerangan jalan mati di Jl. RE Martadinata",
        description=(
            "Sekitar sepuluh tiang lampu penerangan jalan di Jl. RE Martadinata arah Tanjung "
            "Priok mati sejak awal bulan. Jalan menjadi gelap gulita dan rawan kejahatan "
            "bagi pekerja yang pulang malam."
        ),
        reporter=_reporter("Hendra Wijaya", "087812345678"),
        location=_place("Jl. RE Martadinata, Tanjung Priok, Jakarta Utara", -6.1240, 106.8830),
    ),
    DemoComplaint(
        channel="kiosk",
        category_hints=("HEALTH_SERVICES", "puskesmas", "layanan kesehatan"),
        title="Antrean layanan Puskesmas Kecamatan Tebet terlalu lama",
        description=(
            "Saya datang pukul 07.00 untuk berobat dan baru dilayani pukul 13.00. Nomor antrean "
            "daring tidak sesuai dengan antrean di loket, dan tidak ada petugas yang bisa "
            "memberi penjelasan kepada pasien lansia."
        ),
        reporter=_reporter("Sri Wahyuni", "081511122233", nik="3171066504680003"),
        location=_place("Puskesmas Kecamatan Tebet, Jakarta Selatan", -6.2260, 106.8540),
    ),
    DemoComplaint(
        channel="web",
        category_hints=("CIVIL_REGISTRY", "ktp", "kependudukan"),
        title="KTP elektronik belum jadi setelah tiga bulan",
        description=(
            "Saya merekam data KTP elektronik di Kelurahan Cipinang Muara pada bulan Maret, "
            "tetapi sampai sekarang statusnya masih 'dalam proses'. Saya memerlukan KTP untuk "
            "melamar pekerjaan dan membuka rekening bank."
        ),
        reporter=_reporter("Nur Aisyah", "082112345678", nik="3172055811990002"),
        location=_place("Kantor Kelurahan Cipinang Muara, Jatinegara", -6.2300, 106.8930),
    ),
    DemoComplaint(
        channel="kiosk",
        category_hints=("EDUCATION_AID", "kjp"),
        title="Dana KJP Plus anak saya belum cair semester ini",
        description=(
            "Anak saya kelas 8 di SMP negeri di Cilincing terdaftar sebagai penerima KJP Plus, "
            "tetapi dana semester ini belum masuk ke rekening, padahal teman sekelasnya sudah "
            "menerima sejak bulan lalu."
        ),
        reporter=_reporter("Maria Simanjuntak", "085299887766", nik="3175044302820009"),
        location=_place("Kelurahan Cilincing, Jakarta Utara", -6.1080, 106.9400),
    ),
    DemoComplaint(
        channel="web",
        category_hints=("BUMD_TRANSJAKARTA", "transjakarta", "angkutan umum"),
        title="Bus Transjakarta koridor 1 sering terlambat pada jam sibuk",
        description=(
            "Pada jam sibuk pagi, penumpang di Halte Bundaran HI harus menunggu lebih dari 25 "
            "menit untuk bus koridor 1 arah Kota, dan papan informasi kedatangan di halte tidak "
            "berfungsi."
        ),
        reporter=_reporter("Andi Pratama", "081377788899", email="andi.pratama@example.com"),
        location=_place("Halte Transjakarta Bundaran HI, Jakarta Pusat", -6.1950, 106.8230),
    ),
    DemoComplaint(
        channel="kiosk",
        category_hints=("PUBLIC_ORDER", "pkl", "ketertiban"),
        title="Pedagang kaki lima menutup trotoar di Pasar Minggu",
        description=(
            "Trotoar di depan Stasiun Pasar Minggu dipenuhi lapak pedagang kaki lima sehingga "
            "pejalan kaki, termasuk pengguna kursi roda, terpaksa berjalan di badan jalan yang "
            "ramai kendaraan."
        ),
        reporter=_reporter("Wahyu Hidayat", "089612345670", nik="3171072101770005"),
        location=_place("Depan Stasiun Pasar Minggu, Jakarta Selatan", -6.2840, 106.8440),
    ),
    DemoComplaint(
        channel="web",
        category_hints=("SOCIAL_NEGLECT", "telantar", "terlantar"),
        title="Lansia terlantar tinggal di kolong jembatan Gunung Sahari",
        description=(
            "Seorang nenek sekitar 70 tahun tinggal sendirian di kolong jembatan Jl. Gunung "
            "Sahari dekat Pasar Baru sejak sebulan terakhir. Kondisinya lemah dan ia tampak "
            "sakit. Mohon penjangkauan oleh petugas sosial."
        ),
        reporter=_reporter("Fitri Handayani", "081933344455", anonymous=True),
        location=_place("Kolong jembatan Jl. Gunung Sahari dekat Pasar Baru", -6.1530, 106.8370),
    ),
    DemoComplaint(
        channel="kiosk",
        category_hints=("PARKING", "parkir"),
        title="Juru parkir liar memungut tarif di depan toko Jl. Kemang Raya",
        description=(
            "Setiap malam juru parkir tanpa rompi resmi memungut Rp10.000 per motor di depan "
            "deretan toko Jl. Kemang Raya dan tidak memberi karcis. Kendaraan diparkir sampai "
            "dua lapis sehingga jalan macet."
        ),
        reporter=_reporter("Joko Prasetyo", "087711122334", nik="3171041709880011"),
        location=_place("Jl. Kemang Raya, Mampang Prapatan, Jakarta Selatan", -6.2600, 106.8140),
    ),
    DemoComplaint(
        channel="web",
        category_hints=("BUMD_PAM_JAYA", "pam jaya", "air bersih"),
        title="Air PAM di Rusunawa Marunda mati tiga hari",
        description=(
            "Pasokan air bersih di Blok C Rusunawa Marunda mati sejak tiga hari lalu. Warga "
            "harus membeli air jeriken dengan harga mahal dan belum ada pemberitahuan dari "
            "pengelola kapan pasokan kembali normal."
        ),
        reporter=_reporter(
            "Lina Kusuma", "085811223344", nik="3175016110930006", confidential=True
        ),
        location=_place("Rusunawa Marunda Blok C, Cilincing, Jakarta Utara", -6.1030, 106.9580),
    ),
)


def load_demo(
    api_url: str, session: requests.Session | None = None, timeout_s: float = 30.0
) -> list[DemoResult]:
    """Submit every demo complaint to the API at api_url; their receipts, in order.

    The Idempotency-Key of each demo complaint is fixed, so loading twice into the same
    stack returns the same tickets instead of duplicating them.
    """
    http = session or requests.Session()
    categories = fetch_categories(http, api_url, timeout_s)
    used: Counter[str] = Counter()
    results = []
    for index, complaint in enumerate(DEMO_COMPLAINTS, start=1):
        category = pick_category(complaint.category_hints, categories, used)
        used[category.code] += 1
        results.append(_submit(http, api_url, index, complaint, category, timeout_s))
    return results


def fetch_categories(http: requests.Session, api_url: str, timeout_s: float) -> list[Category]:
    response = http.get(f"{api_url}/v1/categories", timeout=timeout_s)
    if response.status_code != 200:
        raise DemoLoadError(f"GET /v1/categories answered {response.status_code}")
    categories = [
        Category(code=category["code"], label=category.get("label", ""), unit=unit["code"])
        for unit in response.json()["units"]
        for category in unit["categories"]
    ]
    if not categories:
        raise DemoLoadError("GET /v1/categories returned no categories")
    return categories


def pick_category(
    hints: tuple[str, ...], categories: list[Category], used: Counter[str]
) -> Category:
    """The category a demo complaint was written for, matched by hints.

    The taxonomy is data that can change; matching by hints keeps the demo working
    without hard-coding its codes. Without a match, the least used category keeps
    the demo spread over several units.
    """
    for hint in hints:
        needle = hint.lower()
        exact = [c for c in categories if c.code.lower() == needle]
        partial = [c for c in categories if needle in c.code.lower() or needle in c.label.lower()]
        if exact or partial:
            return (exact + partial)[0]
    return min(categories, key=lambda c: used[c.code])


def _submit(
    http: requests.Session,
    api_url: str,
    index: int,
    complaint: DemoComplaint,
    category: Category,
    timeout_s: float,
) -> DemoResult:
    payload = {
        "channel": complaint.channel,
        "category": category.code,
        "title": complaint.title,
        "description": complaint.description,
        "reporter": complaint.reporter,
        "location": complaint.location,
    }
    response = http.post(
        f"{api_url}/v1/complaints",
        json=payload,
        headers={"Idempotency-Key": f"pendopo-demo-{index:02d}"},
        timeout=timeout_s,
    )
    if response.status_code != 201:
        raise DemoLoadError(
            f"POST /v1/complaints (demo {index}) answered {response.status_code}: "
            f"{_error_summary(response)}"
        )
    receipt = response.json()
    return DemoResult(
        ticket=receipt["ticket"],
        tracking_code=receipt["tracking_code"],
        channel=complaint.channel,
        category=category.code,
        unit=receipt.get("unit", {}).get("code", category.unit),
        title=complaint.title,
    )


def _error_summary(response: requests.Response) -> str:
    """The API's own message and field errors: they name fields, never echo values."""
    try:
        body = response.json()
    except ValueError:
        return "(no JSON body)"
    if not isinstance(body, dict):
        return "(unexpected body)"
    fields = ", ".join(f"{e.get('field')}: {e.get('message')}" for e in body.get("errors", []))
    return f"{body.get('message', '')} {fields}".strip()


def format_results(results: list[DemoResult]) -> str:
    """A table for the terminal: ticket, tracking code, channel, category, title."""
    width = max([len("Kategori"), *(len(r.category) for r in results)]) + 2
    lines = [f"{'Tiket':<16}{'Kode lacak':<12}{'Kanal':<7}{'Kategori':<{width}}Judul"]
    lines += [
        f"{r.ticket:<16}{r.tracking_code:<12}{r.channel:<7}{r.category:<{width}}{r.title}"
        for r in results
    ]
    return "\n".join(lines)

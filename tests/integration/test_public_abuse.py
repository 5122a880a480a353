"""Abuse of the public routes (issue #8): sizes, field lengths, odd input, attachments,
throttling and guessing.

Each refusal is checked for its exact status, an Indonesian message a client can
show, and that nothing was written: the table holds exactly what it held before.
"""

from __future__ import annotations

import base64
import http.client
import json
import random
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from infra.template import HttpRoute, http_routes
from infra.transform import transformed_template
from pendopo.domain.identifiers import damm_check_digit
from pendopo.domain.uploads import MAX_ATTACHMENTS
from pendopo.runtime.settings import get_settings
from tests.support.citizen import complaint_body, submit, submit_raw, track
from tests.support.constants import TEST_TABLE
from tests.support.handlers import Answer, call, officer_claims
from tests.support.officers import take
from tests.support.public_routes import PUBLIC_ROUTES
from tools.local.server import LocalGateway
from tools.local.throttle import (
    THROTTLED_MESSAGE,
    RouteThrottle,
    ThrottleLimits,
    template_throttle_limits,
)

MAX_BODY = get_settings().max_body_bytes
BODY_TOO_LARGE = f"Isi permintaan terlalu besar (maksimal {MAX_BODY // 1024} KB)."
NOT_JSON = "Kirim data dalam format JSON (Content-Type: application/json)."
INVALID = "Data yang dikirim belum benar. Periksa kembali isian yang ditandai."
NOT_FOUND = "Pengaduan tidak ditemukan. Periksa nomor tiket dan kode pelacakan."
UNREADABLE = "Isi permintaan bukan JSON yang valid."
KEY = "abuse-key-0001"


def item_count(dynamodb: Any) -> int:
    """Every item of the table (a test-only Scan): complaints, events, idempotency records.

    Access records (an officer's reads of a detail, issue #20) change nothing and are
    left out.
    """
    answer = dynamodb.scan(
        TableName=TEST_TABLE,
        Select="COUNT",
        FilterExpression="#kind <> :access",
        ExpressionAttributeNames={"#kind": "kind"},
        ExpressionAttributeValues={":access": {"S": "access"}},
    )
    return int(answer["Count"])


def post_raw(intake: Any, body: str, content_type: str | None = "application/json") -> Answer:
    return submit_raw(intake, body, KEY, content_type)


def post(intake: Any, body: dict[str, Any]) -> Answer:
    return call(intake, "POST", "/v1/complaints", headers={"Idempotency-Key": KEY}, json=body)


def field_messages(answer: Answer) -> dict[str, str]:
    assert answer.status == 422, answer.body
    assert answer.body["message"] == INVALID
    return {error["field"]: error["message"] for error in answer.body["errors"]}


def assert_refused_and_nothing_stored(
    answer: Answer, dynamodb: Any, status: int, message: str
) -> None:
    assert answer.status == status, answer.body
    assert answer.body["message"] == message
    assert item_count(dynamodb) == 0


# ------------------------------------------------------------------- body size


def _padded_body(size: int) -> str:
    """A valid complaint padded with JSON whitespace to exactly ``size`` bytes."""
    compact = json.dumps(complaint_body())
    return compact[:-1] + " " * (size - len(compact.encode())) + "}"


def test_a_body_at_the_limit_is_accepted(intake, dynamodb):
    body = _padded_body(MAX_BODY)
    assert len(body.encode()) == MAX_BODY == 64 * 1024
    answer = post_raw(intake, body)
    assert answer.status == 201, answer.body
    assert item_count(dynamodb) == 3  # the complaint, its first event, the idempotency record


def test_a_body_one_byte_over_the_limit_is_413(intake, dynamodb):
    answer = post_raw(intake, _padded_body(MAX_BODY + 1))
    assert_refused_and_nothing_stored(answer, dynamodb, 413, BODY_TOO_LARGE)
    assert BODY_TOO_LARGE == "Isi permintaan terlalu besar (maksimal 64 KB)."


def test_a_body_over_the_limit_counts_bytes_not_characters(intake, dynamodb):
    # 20,000 four-byte emoji are 80 KB of UTF-8 in 20,000 characters.
    answer = post(intake, complaint_body(description="🚧" * 20_000))
    assert_refused_and_nothing_stored(answer, dynamodb, 413, BODY_TOO_LARGE)


def test_a_base64_body_over_the_limit_is_413(intake, dynamodb):
    # API Gateway base64-encodes bodies it takes for binary: the limit is on the bytes.
    from tools.local.events import http_api_event, lambda_context

    raw = _padded_body(MAX_BODY + 1).encode()
    headers = {"Idempotency-Key": KEY, "content-type": "application/json"}
    event = http_api_event("POST", "/v1/complaints", headers=headers, body="{}")
    event |= {"body": base64.b64encode(raw).decode(), "isBase64Encoded": True}
    result = intake.lambda_handler(event, lambda_context("IntakeFunction"))
    assert result["statusCode"] == 413
    assert json.loads(result["body"]) == {"message": BODY_TOO_LARGE}
    assert item_count(dynamodb) == 0


def test_the_login_route_has_the_same_body_limit():
    # The size guard answers before the function would call Cognito.
    from functions.auth import app as auth

    body = json.dumps({"email": "a@b.id", "password": "x" * MAX_BODY})
    answer = call(
        auth, "POST", "/v1/auth/login", headers={"content-type": "application/json"}, body=body
    )
    assert answer.status == 413
    assert answer.body["message"] == BODY_TOO_LARGE


# ---------------------------------------------------------------- field lengths

# (path in the body, the longest accepted value, the message one character more gets)
LONGEST = [
    (("title",), "J" * 150, "Terlalu panjang: maksimal 150 karakter."),
    (("description",), "U" * 4000, "Terlalu panjang: maksimal 4000 karakter."),
    (("reporter", "name"), "N" * 100, "Terlalu panjang: maksimal 100 karakter."),
    (("location", "text"), "L" * 300, "Terlalu panjang: maksimal 300 karakter."),
    # Spaces inside a phone number or NIK are forgiven, so 25 characters can be valid.
    (
        ("reporter", "phone"),
        "0812" + " " * 7 + "3456" + " " * 6 + "7890",
        "Terlalu panjang: maksimal 25 karakter.",
    ),
    (
        ("reporter", "nik"),
        "3171" + " " * 4 + "0145" + " " * 3 + "0190" + " " * 2 + "0042",
        "Terlalu panjang: maksimal 25 karakter.",
    ),
    (
        ("reporter", "email"),
        "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "ccc.id",
        "Terlalu panjang: maksimal 254 karakter.",
    ),
]
MAXIMA = {"title": 150, "description": 4000, "name": 100, "text": 300}
MAXIMA |= {"phone": 25, "nik": 25, "email": 254}


def _with(body: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return body


def _one_more(value: str) -> str:
    """One character longer: the last character doubled (never a trailing space, which
    the models strip before they count)."""
    return value + value[-1]


IDS = [".".join(path) for path, _, _ in LONGEST]


@pytest.mark.parametrize("path, longest, _", LONGEST, ids=IDS)
def test_every_text_field_at_its_maximum_is_accepted(intake, dynamodb, path, longest, _):
    assert len(longest) == MAXIMA[path[-1]] and longest == longest.strip()
    answer = post(intake, _with(complaint_body(), path, longest))
    assert answer.status == 201, answer.body
    assert item_count(dynamodb) == 3


@pytest.mark.parametrize("path, longest, message", LONGEST, ids=IDS)
def test_every_text_field_one_over_its_maximum_is_422(intake, dynamodb, path, longest, message):
    over = _one_more(longest)
    assert len(over) == MAXIMA[path[-1]] + 1
    answer = post(intake, _with(complaint_body(), path, over))
    messages = field_messages(answer)
    assert messages == {".".join(path): message}
    assert item_count(dynamodb) == 0


def test_the_category_code_over_its_maximum_is_422(intake, dynamodb):
    answer = post(intake, complaint_body(category="A" * 42))
    assert field_messages(answer) == {"category": "Terlalu panjang: maksimal 41 karakter."}
    unknown = post(intake, complaint_body(category="A" * 41))
    assert field_messages(unknown) == {
        "category": "Kategori tidak dikenal. Pilih kategori dari daftar."
    }
    assert item_count(dynamodb) == 0


def test_text_one_under_its_minimum_is_422(intake, dynamodb):
    answer = post(intake, complaint_body(title="abcd", description="d" * 19))
    assert field_messages(answer) == {
        "title": "Terlalu pendek: minimal 5 karakter.",
        "description": "Terlalu pendek: minimal 20 karakter.",
    }
    assert item_count(dynamodb) == 0


# ------------------------------------------------------------ what a text may hold


@pytest.mark.parametrize(
    "title",
    [
        "Jalan rusak 🚧🚧🚧 parah",  # emoji
        "Keluarga 👨‍👩‍👧 terdampak banjir",  # emoji joined by ZWJ
        "شارع مكسور di Jl. Sabang",  # right-to-left script
        "道路损坏 di Glodok",  # CJK
        "Jalan berlubang\ndi dua tempat",  # a line break
    ],
)
def test_unicode_people_write_is_accepted_and_kept_as_sent(intake, dynamodb, title):
    answer = post(intake, complaint_body(title=title))
    assert answer.status == 201, answer.body
    stored = dynamodb.get_item(
        TableName=TEST_TABLE, Key={"pk": {"S": f"C#{answer.body['ticket']}"}, "sk": {"S": "C"}}
    )["Item"]
    assert stored["title"]["S"] == title


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x07", "\x1b", "\u202e", "\u2066", "\ufeff", "\x7f"],
    ids=["NUL", "BEL", "ESC", "RTL-override", "LRI-isolate", "BOM", "DEL"],
)
@pytest.mark.parametrize("path", [("title",), ("description",), ("reporter", "name")])
def test_control_and_bidi_characters_are_422(intake, dynamodb, char, path):
    value = f"Nama atau isi dengan {char} tersembunyi di dalamnya"
    answer = post(intake, _with(complaint_body(), path, value))
    assert field_messages(answer) == {
        ".".join(path): "Teks mengandung karakter yang tidak diperbolehkan."
    }
    assert item_count(dynamodb) == 0


def test_a_lone_surrogate_escape_is_422(intake, dynamodb):
    raw = json.dumps(complaint_body()).replace("Lampu jalan mati", "Lampu \\ud800 mati")
    answer = post_raw(intake, raw)
    assert answer.status == 422, answer.body
    assert answer.body["message"] == INVALID
    assert item_count(dynamodb) == 0


# --------------------------------------------------------- shapes and types of JSON


def test_deeply_nested_json_inside_the_limit_is_422(intake, dynamodb):
    nested = '{"a":' * 10_000 + "1" + "}" * 10_000
    raw = json.dumps(complaint_body()).replace('"Lampu jalan mati"', nested)
    assert len(raw.encode()) < MAX_BODY
    answer = post_raw(intake, raw)
    assert answer.status == 422, answer.body
    assert answer.body["message"] == INVALID
    assert [e["message"] for e in answer.body["errors"]] == [UNREADABLE]
    assert item_count(dynamodb) == 0


def test_a_nested_object_where_text_belongs_is_422(intake, dynamodb):
    answer = post(intake, complaint_body(title={"a": {"b": {"c": ["d"]}}}))
    assert field_messages(answer) == {"title": "Harus berupa teks."}
    assert item_count(dynamodb) == 0


@pytest.mark.parametrize(
    "path, value, message",
    [
        (("title",), 12345, "Harus berupa teks."),
        (("title",), None, "Harus berupa teks."),
        (("description",), ["Lampu", "mati"], "Harus berupa teks."),
        (("reporter",), "Siti", "Harus berupa objek JSON."),
        (("location",), [1, 2], "Harus berupa objek JSON."),
        (("location", "lat"), "utara", "Harus berupa angka."),
        (("location", "lat"), {"derajat": -6.2}, "Harus berupa angka."),
        (("reporter", "anonymous"), "mungkin", "Harus bernilai ya atau tidak (true/false)."),
        (("channel",), "pendopo", "Pilihan tidak valid: 'kiosk' or 'web'."),
    ],
)
def test_wrong_types_are_422_naming_the_field(intake, dynamodb, path, value, message):
    answer = post(intake, _with(complaint_body(), path, value))
    assert field_messages(answer) == {".".join(path): message}
    assert item_count(dynamodb) == 0


@pytest.mark.parametrize("raw", ["[]", '"teks"', "42", "null", "true"])
def test_a_body_that_is_not_an_object_is_422(intake, dynamodb, raw):
    answer = post_raw(intake, raw)
    assert answer.status == 422, answer.body
    assert answer.body["message"] == INVALID
    assert item_count(dynamodb) == 0


@pytest.mark.parametrize(
    "path",
    [("status",), ("ticket",), ("unit",), ("reporter", "role"), ("location", "alt")],
)
def test_extra_fields_are_422_not_dropped(intake, dynamodb, path):
    answer = post(intake, _with(complaint_body(), path, "selesai"))
    assert field_messages(answer) == {".".join(path): "Kolom ini tidak dikenal."}
    assert item_count(dynamodb) == 0


def test_duplicate_keys_are_422_not_last_one_wins(intake, dynamodb):
    raw = json.dumps(complaint_body())
    twice = raw.replace('"title": ', '"title": "Judul pertama yang terlihat", "title": ', 1)
    assert twice.count('"title"') == 2
    answer = post_raw(intake, twice)
    assert answer.status == 422, answer.body
    assert [e["message"] for e in answer.body["errors"]] == [UNREADABLE]
    nested = raw.replace('"name": ', '"name": "Orang Lain", "name": ', 1)
    assert post_raw(intake, nested).status == 422
    assert item_count(dynamodb) == 0


@pytest.mark.parametrize(
    "content_type, raw",
    [
        ("text/plain", "judul=Lampu mati"),
        ("application/x-www-form-urlencoded", "title=Lampu+jalan+mati&channel=web"),
        (
            "multipart/form-data; boundary=x",
            "--x\r\nContent-Disposition: form-data\r\n\r\n1\r\n--x--",
        ),
        ("application/xml", "<complaint><title>Lampu</title></complaint>"),
        ("text/json", None),
        ("application/json-patch+json", None),
    ],
)
def test_a_body_that_is_not_declared_json_is_415(intake, dynamodb, content_type, raw):
    answer = post_raw(intake, raw or json.dumps(complaint_body()), content_type)
    assert_refused_and_nothing_stored(answer, dynamodb, 415, NOT_JSON)


def test_json_with_a_charset_parameter_is_accepted(intake, dynamodb):
    answer = post_raw(intake, json.dumps(complaint_body()), "Application/JSON; charset=utf-8")
    assert answer.status == 201, answer.body
    assert item_count(dynamodb) == 3


# ------------------------------------------------------------------- attachments

VERIFIER = officer_claims("verifikator.biro-pem@pendopo.example", "verifikator", "BIRO_PEM")
PLH_COORDINATOR = officer_claims("koordinator.biro-plh@pendopo.example", "koordinator", "BIRO_PLH")
RESULT = "Lampu sudah diganti oleh Dinas Bina Marga pada 11 Juni 2025."


@pytest.mark.parametrize(
    "value",
    [
        "attachments/2506-0001-0002/foto.jpg",  # the object keys follow-ups once took
        "../etc/passwd",
        "uploads/clean/" + "a" * 32,
        "A" * 32,  # upper case: not an id
        "a" * 31,
        "a" * 33,
        "s3://pendopo-files/uploads/clean/" + "a" * 32,
    ],
)
def test_an_attachment_that_is_not_an_upload_id_is_422(intake, dynamodb, value):
    answer = post(intake, complaint_body(attachments=[value]))
    assert field_messages(answer) == {"attachments.0": "Formatnya tidak sesuai."}
    assert item_count(dynamodb) == 0


def test_six_attachments_on_a_complaint_are_422(intake, dynamodb):
    ids = [f"{n:032x}" for n in range(MAX_ATTACHMENTS + 1)]
    answer = post(intake, complaint_body(attachments=ids))
    assert field_messages(answer) == {"attachments": "Terlalu banyak: maksimal 5."}
    assert item_count(dynamodb) == 0


@pytest.fixture
def in_disposition(intake: Any, route: Any) -> str:
    """A Biro PLH complaint dispositioned to an agency: ready for its follow-up result."""
    ticket = str(submit(intake, key="abuse-attach-0001", category="STREET_LIGHTING").body["ticket"])
    for segment, claims, body in [
        ("verify", VERIFIER, {}),
        ("disposition", PLH_COORDINATOR, {"agency": "BINA_MARGA"}),
    ]:
        assert take(route, ticket, segment, claims, body).status == 200
    return ticket


def _follow_up(route: Any, ticket: str, attachments: list[str]) -> Answer:
    return take(
        route,
        ticket,
        "follow-up",
        PLH_COORDINATOR,
        {"result": RESULT, "attachments": attachments},
    )


def _unchanged(dynamodb: Any, before: int, route: Any, ticket: str) -> None:
    assert item_count(dynamodb) == before
    shown = call(route, "GET", f"/v1/officer/complaints/{ticket}", claims=VERIFIER).body
    assert shown["status"]["code"] == "disposition"
    assert shown["version"] == 3


def test_one_attachment_over_the_maximum_is_422(route, dynamodb, in_disposition):
    ids = [f"{n:032x}" for n in range(MAX_ATTACHMENTS + 1)]
    before = item_count(dynamodb)
    answer = _follow_up(route, in_disposition, ids)
    assert field_messages(answer) == {"attachments": "Terlalu banyak: maksimal 5."}
    _unchanged(dynamodb, before, route, in_disposition)


@pytest.mark.parametrize(
    "key",
    [
        "../etc/passwd",
        "attachments/{ticket}/foto.jpg",
        "attachments/../../etc/passwd.pdf",
        "/uploads/clean/" + "a" * 32,
        "recaps/2025-06/rekap.pdf",
        "a" * 32 + "/../x",
    ],
)
def test_follow_up_attachments_that_are_not_upload_ids_are_422(
    route, dynamodb, in_disposition, key
):
    before = item_count(dynamodb)
    answer = _follow_up(route, in_disposition, [key.format(ticket=in_disposition)])
    assert field_messages(answer) == {"attachments.0": "Formatnya tidak sesuai."}
    _unchanged(dynamodb, before, route, in_disposition)


def test_the_same_attachment_twice_is_422(route, dynamodb, in_disposition):
    upload_id = "b" * 32
    before = item_count(dynamodb)
    answer = _follow_up(route, in_disposition, [upload_id, upload_id])
    assert answer.status == 422, answer.body
    assert answer.body["errors"][0]["message"] == "Lampiran yang sama dikirim lebih dari sekali."
    _unchanged(dynamodb, before, route, in_disposition)


def test_an_unknown_upload_is_422_naming_it(route, dynamodb, in_disposition):
    upload_id = "c" * 32
    before = item_count(dynamodb)
    answer = _follow_up(route, in_disposition, [upload_id])
    assert answer.status == 422, answer.body
    assert answer.body["errors"] == [
        {
            "field": "attachments",
            "upload_id": upload_id,
            "message": f"Lampiran {upload_id} tidak ditemukan atau sudah kedaluwarsa.",
        }
    ]
    _unchanged(dynamodb, before, route, in_disposition)


# ----------------------------------------------------------------------- guessing


def _valid_format_ticket(rng: random.Random) -> str:
    """A ticket with a good month and check digit: what a guesser would try."""
    while True:
        digits = f"{rng.randint(20, 29)}{rng.randint(1, 12):02d}" + "".join(
            rng.choice("0123456789") for _ in range(7)
        )
        for check in "0123456789":
            if damm_check_digit(digits + check) == 0:
                return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}{check}"


def _wrong_check_digit(ticket: str) -> str:
    return ticket[:-1] + str((int(ticket[-1]) + 1) % 10)


def _guess(
    intake: Any, ticket: str, code: str | None, step: tuple[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The handler's whole answer for a tracking request, or for a reporter's ``step``
    (path suffix, body) with the same pair (the Lambda result)."""
    from tools.local.events import http_api_event, lambda_context

    headers = {} if code is None else {"X-Tracking-Code": code}
    if step is None:
        event = http_api_event("GET", f"/v1/complaints/{ticket}", headers=headers)
    else:
        headers["content-type"] = "application/json"
        path, body = step
        event = http_api_event(
            "POST", f"/v1/complaints/{ticket}/{path}", headers=headers, body=json.dumps(body)
        )
    result: dict[str, Any] = intake.lambda_handler(event, lambda_context("IntakeFunction"))
    return result


def _guesses(intake: Any) -> tuple[dict[str, Any], dict[str, tuple[str, str | None]]]:
    """Two complaints, and every kind of wrong ticket and code pair for the first."""
    first = submit(intake, key="abuse-guess-0001").body
    second = submit(intake, key="abuse-guess-0002", title="Trotoar rusak parah").body
    rng = random.Random(8)
    guesses: dict[str, tuple[str, str | None]] = {
        f"random valid-format ticket {n}": (_valid_format_ticket(rng), "K7QM-2XPD")
        for n in range(5)
    }
    guesses |= {
        "valid ticket, wrong code": (first["ticket"], "AAAA-AAAA"),
        "valid ticket, code of another complaint": (first["ticket"], second["tracking_code"]),
        "valid ticket, code with a wrong character": (first["ticket"], "0000-0000"),
        "valid ticket, no code": (first["ticket"], None),
        "valid ticket, empty code": (first["ticket"], ""),
        "valid ticket, oversized code": (first["ticket"], "K" * 500),
        "unknown ticket, no code": ("2506-0000-0001", None),
        "wrong check digit": (_wrong_check_digit(first["ticket"]), first["tracking_code"]),
        "wrong-format ticket": ("abc", first["tracking_code"]),
        "ticket of letters": ("ABCD-EFGH-IJKL", first["tracking_code"]),
        "oversized ticket": ("1" * 500, first["tracking_code"]),
        "month 13": ("2513-0000-0000", first["tracking_code"]),
    }
    return first, guesses


def test_every_kind_of_tracking_guess_gets_the_same_404(intake, dynamodb):
    first, guesses = _guesses(intake)
    answers = {name: _guess(intake, ticket, code) for name, (ticket, code) in guesses.items()}
    reference = answers["valid ticket, wrong code"]
    assert reference["statusCode"] == 404
    assert json.loads(reference["body"]) == {"message": NOT_FOUND}
    for name, answer in answers.items():
        # Byte-identical: status, headers and body (the handler sets no request id).
        assert answer == reference, name
    # The right code still works, and nothing was written by any guess.
    assert track(intake, first["ticket"], first["tracking_code"]).status == 200
    assert item_count(dynamodb) == 6


REPORTER_STEPS = [
    ("updates", {"text": "Tambahan informasi untuk pengaduan ini."}),
    ("feedback", {"rating": 1, "resolved": "tidak"}),
]


@pytest.mark.parametrize("step", REPORTER_STEPS, ids=[path for path, _ in REPORTER_STEPS])
def test_every_wrong_pair_on_the_reporters_routes_gets_the_tracking_404_and_writes_nothing(
    intake, dynamodb, step
):
    first, guesses = _guesses(intake)
    reference = _guess(intake, first["ticket"], "AAAA-AAAA")
    for name, (ticket, code) in guesses.items():
        assert _guess(intake, ticket, code, step) == reference, name
    assert item_count(dynamodb) == 6


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("updates", {"text": "t" * 2001}, "text"),
        ("updates", {"text": "Tambahan \u202eterbalik"}, "text"),
        ("updates", {"text": "Tambahan informasi", "name": "Budi Santoso"}, "name"),
        ("updates", {"text": {"nested": "x"}}, "text"),
        ("feedback", {"rating": 5, "resolved": "ya", "phone": "0812-9999-8888"}, "phone"),
        ("feedback", {"rating": 5, "resolved": "ya", "comment": "c" * 1001}, "comment"),
        ("feedback", {"rating": 5, "resolved": "ya", "comment": "a\u0000b"}, "comment"),
        ("feedback", {"rating": 9, "resolved": "ya"}, "rating"),
    ],
)
def test_the_reporters_bodies_are_validated_and_not_echoed(intake, dynamodb, path, body, field):
    receipt = submit(intake, key="abuse-step-0001").body
    answer = call(
        intake,
        "POST",
        f"/v1/complaints/{receipt['ticket']}/{path}",
        headers={"X-Tracking-Code": receipt["tracking_code"]},
        json=body,
    )
    assert answer.status == 422
    assert field in {e["field"].split(".")[-1] for e in answer.body["errors"]}
    shown = json.dumps(answer.body)
    assert "Budi" not in shown and "9999" not in shown and "c" * 50 not in shown
    assert item_count(dynamodb) == 3  # the complaint, its event, its idempotency record


OFFICER_READS = ["/v1/officer/me", "/v1/officer/complaints", "/v1/officer/complaints/{ticket}"]


@pytest.mark.parametrize("path", OFFICER_READS)
def test_officer_reads_without_a_token_are_401_whether_or_not_the_ticket_exists(
    intake, route, dynamodb, path
):
    ticket = submit(intake, key="abuse-officer-0001").body["ticket"]
    existing = call(route, "GET", path.format(ticket=ticket))
    unknown = call(route, "GET", path.format(ticket="2506-0000-0001"))
    assert existing.status == unknown.status == 401
    assert existing.body == unknown.body == {"message": "Silakan masuk terlebih dahulu."}


# ---------------------------------------------------------- throttling: template


@pytest.fixture(scope="module")
def stage() -> dict[str, Any]:
    resources = transformed_template()["Resources"]
    (stage,) = [r for r in resources.values() if r["Type"] == "AWS::ApiGatewayV2::Stage"]
    properties: dict[str, Any] = stage["Properties"]
    return properties


def test_the_template_throttles_every_route_by_default(stage):
    assert stage["DefaultRouteSettings"] == {
        "ThrottlingBurstLimit": 50,
        "ThrottlingRateLimit": 20,
    }


_LIST = {"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5}
_ITEM = {"ThrottlingBurstLimit": 20, "ThrottlingRateLimit": 10}
OPEN311_LIMITS = {
    "discovery.json": _LIST,
    "discovery.xml": _LIST,
    "requests.json": _LIST,
    "requests.xml": _LIST,
    "tokens/{token_file}": _LIST,
    "services.json": _ITEM,
    "services.xml": _ITEM,
    "services/{service_file}": _ITEM,
    "requests/{request_file}": _ITEM,
}


def test_the_open_routes_that_write_or_guess_are_throttled_tighter(stage):
    own = {
        key: {k: v for k, v in value.items() if k.startswith("Throttling")}
        for key, value in stage["RouteSettings"].items()
    }
    assert own == {
        "POST /v1/complaints": {"ThrottlingBurstLimit": 20, "ThrottlingRateLimit": 10},
        "GET /v1/complaints/{ticket}": {"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5},
        "POST /v1/complaints/{ticket}/updates": {
            "ThrottlingBurstLimit": 10,
            "ThrottlingRateLimit": 5,
        },
        "POST /v1/complaints/{ticket}/feedback": {
            "ThrottlingBurstLimit": 10,
            "ThrottlingRateLimit": 5,
        },
        # The reporter's unsubscribe link (a guessable path, an unguessable token).
        "GET /v1/complaints/{ticket}/unsubscribe": {
            "ThrottlingBurstLimit": 10,
            "ThrottlingRateLimit": 5,
        },
        "POST /v1/complaints/{ticket}/unsubscribe": {
            "ThrottlingBurstLimit": 10,
            "ThrottlingRateLimit": 5,
        },
        "POST /v1/auth/login": {"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5},
        # The public statistics: 7 Queries a request for whoever goes round CloudFront.
        "GET /v1/statistics": {"ThrottlingBurstLimit": 20, "ThrottlingRateLimit": 10},
        # Upload slots and their status: up to 5 files a complaint, polled while checked.
        "POST /v1/uploads": {"ThrottlingBurstLimit": 30, "ThrottlingRateLimit": 15},
        "GET /v1/uploads/{upload_id}": {"ThrottlingBurstLimit": 30, "ThrottlingRateLimit": 15},
        # Open311: the lists read up to 1,000 complaints; a service or one request, one item.
        **{f"GET /open311/v2/{route}": limits for route, limits in OPEN311_LIMITS.items()},
        "POST /v1/auth/mfa": {"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5},
        "POST /v1/auth/mfa/setup": {"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5},
        # A partner filing: each request is a complaint, as tight as the lists.
        "POST /open311/v2/requests.json": _LIST,
        "POST /open311/v2/requests.xml": _LIST,
    }
    # No officer route has limits of its own: they all share the looser default.
    assert all(key in PUBLIC_ROUTES for key in own)


def test_the_local_gateway_reads_the_same_limits_as_the_deployed_stage(stage):
    default, per_route = template_throttle_limits()
    assert default == ThrottleLimits(
        rate=stage["DefaultRouteSettings"]["ThrottlingRateLimit"],
        burst=stage["DefaultRouteSettings"]["ThrottlingBurstLimit"],
    )
    assert per_route == {
        key: ThrottleLimits(rate=value["ThrottlingRateLimit"], burst=value["ThrottlingBurstLimit"])
        for key, value in stage["RouteSettings"].items()
        if "ThrottlingRateLimit" in value
    }
    throttle = RouteThrottle(default, per_route)
    officer = [f"{r.method} {r.path}" for r in http_routes() if r.authorized]
    public = [key for key in per_route if key in PUBLIC_ROUTES]
    for public_key in public:
        for officer_key in officer:
            public_limits = throttle.limits_for(public_key)
            officer_limits = throttle.limits_for(officer_key)
            assert public_limits is not None and officer_limits is not None
            assert public_limits.rate < officer_limits.rate
            assert public_limits.burst < officer_limits.burst


# ------------------------------------------------- throttling: the token bucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _admitted(throttle: RouteThrottle, key: str, times: int) -> int:
    return sum(throttle.admit(key) for _ in range(times))


def test_a_route_admits_its_burst_then_refuses():
    clock = FakeClock()
    throttle = RouteThrottle.from_template(clock=clock)
    assert _admitted(throttle, "GET /v1/complaints/{ticket}", 25) == 10
    assert _admitted(throttle, "POST /v1/complaints", 25) == 20
    assert _admitted(throttle, "POST /v1/auth/login", 25) == 10
    assert _admitted(throttle, "POST /v1/auth/mfa", 25) == 10
    assert _admitted(throttle, "GET /v1/officer/complaints", 60) == 50
    assert _admitted(throttle, "GET /v1/categories", 60) == 50
    # The reporter's addition and rating: the tracking route's limits, each its own bucket.
    assert _admitted(throttle, "POST /v1/complaints/{ticket}/updates", 25) == 10
    assert _admitted(throttle, "POST /v1/complaints/{ticket}/feedback", 25) == 10


def test_tokens_come_back_at_the_route_rate_and_never_beyond_the_burst():
    clock = FakeClock()
    throttle = RouteThrottle.from_template(clock=clock)
    key = "GET /v1/complaints/{ticket}"  # 5 per second, burst 10
    assert _admitted(throttle, key, 10) == 10
    assert not throttle.admit(key)
    clock.now += 0.19  # under one token's worth (0.2 s)
    assert not throttle.admit(key)
    clock.now += 0.02
    assert throttle.admit(key)
    assert not throttle.admit(key)
    clock.now += 1.0  # five tokens
    assert _admitted(throttle, key, 10) == 5
    clock.now += 3600  # an hour idle fills the bucket, no more
    assert _admitted(throttle, key, 30) == 10


def test_each_route_has_its_own_bucket():
    clock = FakeClock()
    throttle = RouteThrottle.from_template(clock=clock)
    assert _admitted(throttle, "GET /v1/complaints/{ticket}", 10) == 10
    assert not throttle.admit("GET /v1/complaints/{ticket}")
    assert throttle.admit("POST /v1/complaints")
    assert throttle.admit("GET /v1/kiosk/info")


def test_a_clock_going_backwards_adds_no_tokens():
    clock = FakeClock()
    throttle = RouteThrottle(ThrottleLimits(rate=1, burst=1), {}, clock)
    assert throttle.admit("GET /x")
    clock.now -= 50
    assert not throttle.admit("GET /x")


def test_without_limits_nothing_is_throttled():
    throttle = RouteThrottle(None, {}, FakeClock())
    assert _admitted(throttle, "GET /v1/categories", 1000) == 1000


# --------------------------------------------- throttling: the gateway over HTTP

HANDLERS = "tests.support.gateway_handlers"
THROTTLED_ROUTES = [
    HttpRoute("GET", "/v1/complaints/{ticket}", "TestFunction", f"{HANDLERS}.echo", False),
    HttpRoute("GET", "/v1/officer/me", "TestFunction", f"{HANDLERS}.echo", True),
]


@pytest.fixture
def throttled_gateway() -> Iterator[tuple[LocalGateway, FakeClock]]:
    clock = FakeClock()
    throttle = RouteThrottle.from_template(clock=clock)
    with LocalGateway(routes=THROTTLED_ROUTES, static_dir=None, throttle=throttle) as running:
        yield running, clock


def test_the_gateway_answers_429_in_the_api_error_shape(throttled_gateway):
    gateway, clock = throttled_gateway
    url = f"{gateway.url}/v1/complaints/2506-0000-0001"
    statuses = [requests.get(url, timeout=10).status_code for _ in range(10)]
    assert statuses == [200] * 10  # the echo handler answers
    refused = requests.get(url, timeout=10)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/json"
    assert refused.json() == {"message": THROTTLED_MESSAGE}
    assert THROTTLED_MESSAGE == "Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi."
    clock.now += 0.2  # one token at 5 per second
    assert requests.get(url, timeout=10).status_code == 200
    assert requests.get(url, timeout=10).status_code == 429


def test_throttling_comes_before_the_authorizer(throttled_gateway):
    gateway, _ = throttled_gateway
    url = f"{gateway.url}/v1/officer/me"
    # No verifier: the route is closed (401), but only while the bucket has tokens.
    statuses = [requests.get(url, timeout=10).status_code for _ in range(51)]
    assert statuses == [401] * 50 + [429]


def test_an_unthrottled_gateway_serves_every_request():
    with LocalGateway(routes=THROTTLED_ROUTES, static_dir=None) as running:
        parts = urlsplit(running.url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        try:
            for _ in range(15):
                connection.request("GET", "/v1/complaints/2506-0000-0001")
                response = connection.getresponse()
                response.read()
                assert response.status == 200
        finally:
            connection.close()

"""Validation errors in words a citizen or officer understands (Bahasa Indonesia).

Pydantic reports invalid input by error type (``string_too_long``, ``missing`` ...);
the API answers 422 with one message per field, in the language the kiosk, the web
form and the officer console show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pendopo.domain.complaint import CUSTOM_ERROR_PREFIX

# Pydantic's built-in error types, in words a citizen or officer understands.
BUILTIN_MESSAGES: dict[str, str] = {
    "missing": "Wajib diisi.",
    "extra_forbidden": "Kolom ini tidak dikenal.",
    "string_type": "Harus berupa teks.",
    "string_too_short": "Terlalu pendek: minimal {min_length} karakter.",
    "string_too_long": "Terlalu panjang: maksimal {max_length} karakter.",
    "string_pattern_mismatch": "Formatnya tidak sesuai.",
    "bool_type": "Harus bernilai ya atau tidak (true/false).",
    "bool_parsing": "Harus bernilai ya atau tidak (true/false).",
    "float_type": "Harus berupa angka.",
    "float_parsing": "Harus berupa angka.",
    "int_type": "Harus berupa bilangan bulat.",
    "int_parsing": "Harus berupa bilangan bulat.",
    "greater_than_equal": "Minimal {ge}.",
    "less_than_equal": "Maksimal {le}.",
    "literal_error": "Pilihan tidak valid: {expected}.",
    "enum": "Pilihan tidak valid: {expected}.",
    "model_type": "Harus berupa objek JSON.",
    "model_attributes_type": "Harus berupa objek JSON.",
    "dict_type": "Harus berupa objek JSON.",
    "json_invalid": "Isi permintaan bukan JSON yang valid.",
    "json_type": "Isi permintaan bukan JSON yang valid.",
    "finite_number": "Harus berupa angka.",
    "string_unicode": "Teks mengandung karakter yang tidak valid.",
    "list_type": "Harus berupa daftar.",
    # A list with too many or too few items (the attachments of a follow-up result).
    "too_long": "Terlalu banyak: maksimal {max_length}.",
    "too_short": "Terlalu sedikit: minimal {min_length}.",
}
GENERIC_INVALID = "Nilai tidak valid."
INVALID_REQUEST_MESSAGE = "Data yang dikirim belum benar. Periksa kembali isian yang ditandai."
NOT_JSON_MESSAGE = "Kirim data dalam format JSON (Content-Type: application/json)."

_LOCATION_PREFIX = {"body", "header", "path", "query"}


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Pydantic errors as ``[{"field": "reporter.phone", "message": "..."}]``."""
    shaped = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in _LOCATION_PREFIX:
            source, location = location[0], location[1:]
        else:
            source = "body"
        field = ".".join(location) or source
        shaped.append({"field": field, "in": source, "message": _message(error)})
    return shaped


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type"))
    if kind.startswith(CUSTOM_ERROR_PREFIX):
        # Our own validators raise PydanticCustomError with an Indonesian message.
        return str(error.get("msg"))
    context = error.get("ctx") or {}
    if kind in ("too_long", "too_short") and context.get("field_type") != "List":
        # A length limit on an optional text (location.text) is checked as a value's.
        kind = "string_" + kind
    template = BUILTIN_MESSAGES.get(kind, GENERIC_INVALID)
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split(":")[0] + "."

"""The upload checker's verdicts on real files (functions/check_upload/inspection.py)."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from functions.check_upload.inspection import (
    MAX_SOURCE_PIXELS,
    ends_as_zip,
    inspect_file,
    jpeg_end,
    sniff,
)
from pendopo.domain.uploads import MAX_IMAGE_SIDE, CleanFile, Refusal
from tests.support import upload_files as files

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"


def clean(data: bytes, declared: str) -> CleanFile:
    verdict = inspect_file(data, declared)
    assert isinstance(verdict, CleanFile), verdict
    return verdict


def reopened(verdict: CleanFile) -> Image.Image:
    image = Image.open(io.BytesIO(verdict.body))
    image.load()
    return image


def assert_no_metadata(image: Image.Image) -> None:
    assert not image.getexif(), dict(image.getexif())
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info
    assert "comment" not in image.info
    assert not getattr(image, "text", {})


# ------------------------------------------------------------------ magic bytes


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (files.jpeg(), JPEG),
        (files.png(), PNG),
        (files.webp_with_gps(), WEBP),
        (files.clean_pdf(), PDF),
        (files.elf_executable(), None),
        (files.pe_executable(), None),
        (b"GIF89a" + bytes(20), None),
        (b"", None),
    ],
)
def test_the_type_comes_from_the_magic_bytes(data: bytes, expected: str | None) -> None:
    assert sniff(data) == expected


@pytest.mark.parametrize("executable", [files.elf_executable(), files.pe_executable()])
def test_an_executable_renamed_jpg_is_refused_as_unknown(executable: bytes) -> None:
    assert inspect_file(executable, JPEG) is Refusal.UNKNOWN_TYPE


def test_a_type_other_than_the_declared_one_is_refused() -> None:
    assert inspect_file(files.jpeg(), PNG) is Refusal.TYPE_MISMATCH
    assert inspect_file(files.clean_pdf(), JPEG) is Refusal.TYPE_MISMATCH
    assert inspect_file(files.png(), PDF) is Refusal.TYPE_MISMATCH


# ----------------------------------------------------------------------- images


def test_a_jpeg_loses_its_exif_and_gps_and_is_turned_upright() -> None:
    # Stored 300 x 200 with orientation 6 (shown rotated 90° clockwise): 200 x 300.
    source = files.jpeg_with_gps(300, 200, orientation=6)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)  # the GPS is there
    verdict = clean(source, JPEG)
    image = reopened(verdict)
    assert image.format == "JPEG"
    assert (verdict.width, verdict.height) == image.size == (200, 300)
    assert_no_metadata(image)
    assert b"Exif" not in verdict.body and b"PhoneMaker" not in verdict.body
    # The red corner was top-left as stored; rotated clockwise it is top-right.
    red = image.getpixel((190, 5))
    assert isinstance(red, tuple) and red[0] > 200 and red[2] < 60
    navy = image.getpixel((5, 5))
    assert isinstance(navy, tuple) and navy[0] < 60


def test_a_big_photo_is_shrunk_to_the_longest_side_limit() -> None:
    verdict = clean(files.noisy_jpeg(3200, 1200), JPEG)
    image = reopened(verdict)
    assert max(image.size) == MAX_IMAGE_SIDE
    assert image.size == (MAX_IMAGE_SIDE, 960)


def test_a_small_photo_keeps_its_size() -> None:
    assert reopened(clean(files.jpeg(640, 480), JPEG)).size == (640, 480)


def test_a_png_loses_its_text_exif_and_icc() -> None:
    source = files.png_with_metadata()
    before = Image.open(io.BytesIO(source))
    assert before.info.get("icc_profile") and before.info.get("Comment")
    verdict = clean(source, PNG)
    image = reopened(verdict)
    assert image.format == "PNG" and image.size == (300, 200)
    assert_no_metadata(image)
    assert b"taken at home" not in verdict.body


def test_a_webp_is_re_encoded_without_exif() -> None:
    verdict = clean(files.webp_with_gps(), WEBP)
    image = reopened(verdict)
    assert image.format == "WEBP" and image.size == (300, 200)
    assert_no_metadata(image)
    assert b"EXIF" not in verdict.body


def test_a_truncated_jpeg_is_refused_as_damaged() -> None:
    source = files.noisy_jpeg(400, 300)
    assert inspect_file(source[: len(source) // 2], JPEG) is Refusal.DAMAGED_IMAGE
    assert inspect_file(source[:-2], JPEG) is Refusal.DAMAGED_IMAGE  # no EOI


def test_a_truncated_png_is_refused_as_damaged() -> None:
    source = files.png()
    assert inspect_file(source[:-20], PNG) is Refusal.DAMAGED_IMAGE


def test_corrupt_image_data_is_refused_as_damaged() -> None:
    source = bytearray(files.png())
    idat = source.find(b"IDAT")
    source[idat + 4 : idat + 20] = b"\x00" * 16  # the compressed pixels, broken
    assert inspect_file(bytes(source), PNG) is Refusal.DAMAGED_IMAGE


def test_an_image_over_the_pixel_limit_is_refused() -> None:
    side = int(MAX_SOURCE_PIXELS**0.5) + 100
    assert inspect_file(files.png_claiming(side, side), PNG) is Refusal.IMAGE_TOO_LARGE
    # Far over (Pillow's decompression-bomb error) too.
    assert inspect_file(files.png_claiming(40_000, 40_000), PNG) is Refusal.IMAGE_TOO_LARGE


# -------------------------------------------------------------------- polyglots


def test_a_jpeg_with_a_zip_appended_is_a_polyglot() -> None:
    assert inspect_file(files.jpeg() + files.a_zip(), JPEG) is Refusal.POLYGLOT


def test_a_png_with_a_pdf_appended_is_a_polyglot() -> None:
    assert inspect_file(files.png() + files.clean_pdf(), PNG) is Refusal.POLYGLOT


def test_html_after_the_webp_is_a_polyglot() -> None:
    data = files.webp_with_gps() + b"<html><script>alert(1)</script>"
    assert inspect_file(data, WEBP) is Refusal.POLYGLOT


def test_a_pdf_header_inside_a_jpeg_is_a_polyglot() -> None:
    data = files.jpeg(comment=b"%PDF-1.4 1 0 obj << >> endobj")
    assert inspect_file(data, JPEG) is Refusal.POLYGLOT


def test_a_script_in_a_png_text_chunk_is_a_polyglot() -> None:
    assert inspect_file(files.png_with_markup(), PNG) is Refusal.POLYGLOT


def test_zero_padding_after_the_jpeg_is_not_a_polyglot() -> None:
    assert isinstance(inspect_file(files.jpeg() + bytes(64), JPEG), CleanFile)


def test_a_thumbnail_inside_the_exif_is_not_the_end_of_the_jpeg() -> None:
    # EXIF APP1 carrying a whole JPEG (with its own EOI): the walk skips the segment.
    exif = files.gps_exif()
    thumbnail = files.jpeg(40, 30)
    data = files.jpeg(exif=exif.tobytes() + thumbnail)
    assert jpeg_end(data) == len(data)
    assert isinstance(inspect_file(data, JPEG), CleanFile)


def test_a_pdf_that_is_also_a_zip_is_a_polyglot() -> None:
    assert inspect_file(files.clean_pdf() + files.a_zip(), PDF) is Refusal.POLYGLOT


def test_ends_as_zip_needs_the_record_to_end_the_file() -> None:
    archive = files.a_zip()
    assert ends_as_zip(archive)
    assert ends_as_zip(b"junk before" + archive)
    assert not ends_as_zip(archive + b"more after")
    assert not ends_as_zip(b"PK\x05\x06 too short")


# -------------------------------------------------------------------------- PDFs


def test_a_clean_pdf_is_stored_as_sent() -> None:
    source = files.clean_pdf()
    verdict = clean(source, PDF)
    assert verdict.body == source
    assert verdict.content_type == PDF and verdict.width is None


@pytest.mark.parametrize(
    "builder",
    [
        files.pdf_with_javascript,
        files.pdf_with_javascript_name_tree,
        files.pdf_with_launch,
        files.pdf_with_embedded_file,
        files.pdf_with_file_attachment_annotation,
        files.pdf_with_page_action_javascript,
    ],
)
def test_a_pdf_with_active_content_is_refused(builder: object) -> None:
    assert callable(builder)
    assert inspect_file(builder(), PDF) is Refusal.ACTIVE_PDF


def test_a_hex_escaped_javascript_name_is_found() -> None:
    data = files.handmade_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>")
    assert b"/JavaScript" not in data
    assert inspect_file(data, PDF) is Refusal.ACTIVE_PDF


def test_javascript_in_an_object_nothing_references_is_found() -> None:
    data = files.handmade_pdf(orphan=b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert inspect_file(data, PDF) is Refusal.ACTIVE_PDF


def test_a_handmade_pdf_without_active_content_is_clean() -> None:
    assert isinstance(inspect_file(files.handmade_pdf(), PDF), CleanFile)


@pytest.mark.parametrize("password", ["", "rahasia"])
def test_an_encrypted_pdf_is_refused(password: str) -> None:
    assert inspect_file(files.encrypted_pdf(password), PDF) is Refusal.ENCRYPTED_PDF


def test_a_damaged_pdf_is_refused() -> None:
    assert inspect_file(b"%PDF-1.7\n garbage without structure\n%%EOF\n", PDF) is (
        Refusal.DAMAGED_PDF
    )
    assert inspect_file(files.clean_pdf()[:200], PDF) is Refusal.DAMAGED_PDF


# ------------------------------------------------------------ before the content


def test_arrival_refusals_in_order_expired_empty_too_large() -> None:
    from datetime import UTC, datetime, timedelta

    from pendopo.domain.uploads import (
        ARRIVAL_GRACE_SECONDS,
        MAX_UPLOAD_BYTES,
        UploadOwner,
        UploadRequest,
        arrival_refusal,
        new_upload,
    )

    now = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)
    request = UploadRequest(filename="foto.jpg", content_type="image/jpeg", size=1000)
    upload = new_upload(request, UploadOwner.PUBLIC, now)
    last_moment = upload.slot_expires_at + timedelta(seconds=ARRIVAL_GRACE_SECONDS)
    assert arrival_refusal(upload, 1000, now) is None
    assert arrival_refusal(upload, 1000, last_moment) is None
    assert arrival_refusal(upload, 1000, last_moment + timedelta(seconds=1)) is Refusal.EXPIRED
    assert arrival_refusal(upload, 0, now) is Refusal.EMPTY
    assert arrival_refusal(upload, MAX_UPLOAD_BYTES, now) is None
    assert arrival_refusal(upload, MAX_UPLOAD_BYTES + 1, now) is Refusal.TOO_LARGE
    assert arrival_refusal(upload, 11 * 1024 * 1024, now) is Refusal.TOO_LARGE


# ------------------------------------------------- hostile bytes never crash it

_SEEDS = {
    JPEG: files.jpeg(64, 48),
    PNG: files.png(64, 48),
    WEBP: files.webp_with_gps(),
    PDF: files.clean_pdf(),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    declared=st.sampled_from(sorted(_SEEDS)),
    cuts=st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=8)), max_size=6),
)
def test_a_mangled_file_gets_a_verdict_never_an_error(
    declared: str, cuts: list[tuple[int, bytes]]
) -> None:
    data = bytearray(_SEEDS[declared])
    for position, replacement in cuts:
        at = position % max(len(data), 1)
        data[at : at + len(replacement)] = replacement
    verdict = inspect_file(bytes(data), declared)
    assert isinstance(verdict, CleanFile | Refusal)

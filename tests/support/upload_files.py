"""Real files for the upload checker's tests, built here with Pillow, pypdf and zipfile.

Each builder returns the bytes a client would upload: photos with GPS EXIF and an
orientation, images with other formats hidden in them, PDFs with JavaScript, launch
actions, attachments or a password, executables renamed ``.jpg``.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from fractions import Fraction

from PIL import Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

ORIENTATION = 0x0112
GPS_IFD = 0x8825
GPS_LATITUDE = 2
GPS_LONGITUDE = 4


def photo(width: int = 300, height: int = 200, color: str = "navy") -> Image.Image:
    """A picture with a red square in its top-left corner (to see rotations)."""
    image = Image.new("RGB", (width, height), color)
    ImageDraw.Draw(image).rectangle((0, 0, width // 5, height // 5), fill="red")
    return image


def gps_exif(orientation: int = 1) -> Image.Exif:
    """EXIF with a GPS position (Jakarta, City Hall) and an orientation."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "S"
    gps[GPS_LATITUDE] = (Fraction(6), Fraction(10), Fraction(50))
    gps[3] = "E"
    gps[GPS_LONGITUDE] = (Fraction(106), Fraction(49), Fraction(42))
    return exif


def jpeg_with_gps(width: int = 300, height: int = 200, orientation: int = 1) -> bytes:
    out = io.BytesIO()
    photo(width, height).save(out, "JPEG", quality=90, exif=gps_exif(orientation).tobytes())
    return out.getvalue()


def jpeg(width: int = 300, height: int = 200, **save: object) -> bytes:
    out = io.BytesIO()
    photo(width, height).save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def noisy_jpeg(width: int, height: int) -> bytes:
    """A photo-like JPEG (noise, not flat colour) of the given size."""
    image = Image.effect_noise((width, height), 64).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def png_with_metadata() -> bytes:
    """A PNG with EXIF (GPS), an ICC profile and a text chunk."""
    info = PngInfo()
    info.add_text("Comment", "taken at home")
    out = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo().save(out, "PNG", pnginfo=info, exif=gps_exif().tobytes(), icc_profile=srgb)
    return out.getvalue()


def png_with_markup() -> bytes:
    info = PngInfo()
    info.add_text("Comment", "<script>alert(document.cookie)</script>")
    out = io.BytesIO()
    photo().save(out, "PNG", pnginfo=info)
    return out.getvalue()


def webp_with_gps() -> bytes:
    out = io.BytesIO()
    photo().save(out, "WEBP", quality=80, exif=gps_exif().tobytes())
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A valid small PNG whose header claims ``width`` x ``height`` (a decompression bomb)."""
    data = bytearray(_png(Image.new("L", (1, 1))))
    ihdr_data = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr_data
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr_data))
    return bytes(data)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def png(width: int = 300, height: int = 200) -> bytes:
    return _png(photo(width, height))


def a_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<html><script>alert(1)</script></html>")
    return out.getvalue()


def elf_executable() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\xb7\x00" + bytes(200)


def pe_executable() -> bytes:
    return b"MZ\x90\x00" + bytes(56) + b"\x80\x00\x00\x00" + bytes(64) + b"PE\x00\x00" + bytes(64)


# -------------------------------------------------------------------------- PDFs


def _pdf(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    return writer


def clean_pdf() -> bytes:
    writer = _writer()
    writer.add_metadata({"/Title": "Surat keterangan"})
    # A link (URI action) and an open action that only goes to the first page: allowed.
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    return _pdf(writer)


def pdf_with_javascript() -> bytes:
    """Document-level JavaScript run at opening (pypdf's ``add_open_action``)."""
    from pypdf.actions import JavaScript

    writer = _writer()
    writer.add_open_action(JavaScript("app.alert('halo');"))
    return _pdf(writer)


def pdf_with_javascript_name_tree() -> bytes:
    """JavaScript in the catalogue's /Names /JavaScript name tree only."""
    writer = _writer()
    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1)"),
            }
        )
    )
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("halo"), action])})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )
    return _pdf(writer)


def pdf_with_launch() -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    return _pdf(writer)


def pdf_with_embedded_file() -> bytes:
    writer = _writer()
    writer.add_attachment("invoice.exe", b"MZ not really")
    return _pdf(writer)


def pdf_with_file_attachment_annotation() -> bytes:
    writer = _writer()
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 30, 30)]),
        }
    )
    writer.add_annotation(0, annotation)
    return _pdf(writer)


def pdf_with_page_action_javascript() -> bytes:
    """JavaScript in a page's additional actions (/AA), not in the name tree."""
    writer = _writer()
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert(1)"),
                }
            )
        }
    )
    return _pdf(writer)


def encrypted_pdf(user_password: str = "") -> bytes:
    writer = _writer()
    writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="AES-128")
    return _pdf(writer)


def handmade_pdf(catalog_extra: bytes = b"", orphan: bytes = b"") -> bytes:
    """A minimal PDF written by hand (exact bytes: hex-escaped names, orphan objects)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    if orphan:
        objects.append(orphan)
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)

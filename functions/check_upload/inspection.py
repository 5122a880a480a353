"""What the upload checker decides about a file's bytes: pure, no AWS, so unit-tested.

``inspect_file(data, declared_type)`` answers a ``CleanFile`` (what to store) or a
``Refusal``, in this order:

1. **Type by magic bytes** at offset 0, never by name or header: JPEG ``FF D8 FF``,
   PNG's 8-byte signature, WebP ``RIFF<size>WEBP``, PDF ``%PDF-``. None of these:
   ``UNKNOWN_TYPE`` (an executable renamed ``.jpg`` is refused here); another type than
   the one declared for the slot: ``TYPE_MISMATCH``.
2. **Polyglots** (``POLYGLOT``): a file that another program would read as another
   format. Exactly these are detected:
   - data after the image's own end: JPEG, walking its segments and scans from SOI to
     EOI (APPn thumbnails are inside their segment); PNG, walking its chunks to IEND;
     WebP, past the RIFF size. Only zero bytes may follow (cameras pad with them).
     A ZIP, PDF, HTML or script appended to an image is refused by this rule;
   - a PDF header (``%PDF-``) anywhere in an image (PDF readers find it inside the first
     kilobyte, some anywhere);
   - an HTML or script opening (``<html``, ``<script``, ``<iframe``, ``<svg``,
     ``<!doctype html``, ``<?php``, any case) anywhere in an image;
   - a ZIP end-of-central-directory record that ends the file exactly (the signature,
     then a comment length reaching the last byte): what ZIP readers look for, so the
     file opens as a ZIP (an image, or a PDF, that is also a ZIP, jar, docx or apk);
   - in a PDF, anything but white space after the last ``%%EOF``.
   A truncated or malformed container (a chunk or segment running past the end, no
   EOI or IEND) is ``DAMAGED_IMAGE`` (``DAMAGED_PDF`` without a ``%%EOF``).
3. **Images**: decoded by Pillow with only the declared format's decoder
   (``formats=``), ``ImageFile.LOAD_TRUNCATED_IMAGES`` left False (a truncated file is
   ``DAMAGED_IMAGE``) and a pixel limit (``MAX_SOURCE_PIXELS``; more, or Pillow's
   decompression-bomb guard: ``IMAGE_TOO_LARGE``). The first frame is kept (an
   animation becomes a still), turned upright by its EXIF orientation, converted to
   sRGB when it carries an ICC profile, shrunk to at most ``MAX_IMAGE_SIDE`` px and
   **re-encoded** in the same format from the pixels alone: no EXIF (so no GPS), no ICC,
   no XMP, no text chunks or comments. Whatever was hidden in the file's bytes is not
   in the pixels, so it is gone.
4. **PDFs**: opened with pypdf. Encrypted (even with an empty user password):
   ``ENCRYPTED_PDF``. Active content (``ACTIVE_PDF``): found by walking every object
   reachable from the trailer (the catalogue, name trees, pages, annotations, form,
   outlines, actions and their ``/Next`` chains) and, for objects no reference reaches
   (a reader rebuilding a broken cross-reference table would find them), by a scan of
   the file outside its streams. Refused: the keys ``/JS``, ``/JavaScript`` (a name
   tree or an action), ``/EmbeddedFiles``, ``/EmbeddedFile``, ``/XFA`` (scripted forms),
   ``/RichMedia*``, ``/Launch``; actions of type JavaScript, Launch, SubmitForm,
   ImportData, GoToE (into an embedded file), Rendition, RichMediaExecute; annotations of
   subtype FileAttachment, RichMedia, Screen, Movie, Sound, 3D. Links (URI, GoTo) and an
   ``/OpenAction`` that only opens a page stay. Unreadable, no pages: ``DAMAGED_PDF``.
   A clean PDF is stored byte for byte as sent.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from typing import Any

from PIL import Image, ImageCms, ImageFile, ImageOps
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from pendopo.domain.uploads import MAX_IMAGE_SIDE, CleanFile, Refusal

# More pixels than any phone's photo at full resolution (50 MP sensors: 8160 x 6144),
# fewer than would exhaust the function's memory once decoded.
MAX_SOURCE_PIXELS = 64_000_000
# Pillow's own decompression-bomb guard at the same limit (it warns above it, which
# inspect_file turns into an error, and raises above twice it).
Image.MAX_IMAGE_PIXELS = MAX_SOURCE_PIXELS
# Stays False: a truncated image is refused, not completed with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
_PIL_FORMAT = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_QUALITY = 85
WEBP_QUALITY = 85


# ------------------------------------------------------------------- magic bytes


def sniff(data: bytes) -> str | None:
    """The content type the file's first bytes say, or None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(_PNG_SIGNATURE):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"%PDF-"):
        return PDF
    return None


# ---------------------------------------------------------------------- polyglots


class Damaged(Exception):
    """The container is malformed or truncated."""


def jpeg_end(data: bytes) -> int:
    """The offset just past the JPEG's EOI, walking segments and entropy-coded scans."""
    pos, size = 2, len(data)  # after SOI
    while True:
        if pos + 2 > size:
            raise Damaged("no EOI")
        if data[pos] != 0xFF:
            raise Damaged(f"no marker at {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:  # EOI
            return pos + 2
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # TEM, RSTn: no length
            pos += 2
            continue
        if pos + 4 > size:
            raise Damaged("segment header past the end")
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if length < 2 or pos + 2 + length > size:
            raise Damaged("segment past the end")
        pos += 2 + length
        if marker == 0xDA:  # SOS: entropy-coded data up to the next real marker
            while True:
                next_ff = data.find(b"\xff", pos)
                if next_ff < 0 or next_ff + 1 >= size:
                    raise Damaged("scan runs to the end (no EOI)")
                following = data[next_ff + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    pos = next_ff + 2  # stuffed byte or restart marker: still the scan
                    continue
                pos = next_ff
                break


def png_end(data: bytes) -> int:
    """The offset just past the PNG's IEND chunk, walking every chunk."""
    pos, size = len(_PNG_SIGNATURE), len(data)
    while True:
        if pos + 12 > size:
            raise Damaged("chunk header past the end (no IEND)")
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > size:
            raise Damaged("chunk past the end")
        if kind == b"IEND":
            return end
        pos = end


def webp_end(data: bytes) -> int:
    """The offset just past the RIFF container (its size field, padded to even)."""
    riff_size = int.from_bytes(data[4:8], "little")
    end = 8 + riff_size + (riff_size & 1)
    if riff_size < 4 or 8 + riff_size > len(data):
        raise Damaged("RIFF size past the end")
    return min(end, len(data))


_IMAGE_END = {JPEG: jpeg_end, PNG: png_end, WEBP: webp_end}
# What another reader would take for HTML or a script; lower-cased bytes are searched.
_MARKUP = (b"<html", b"<script", b"<iframe", b"<svg", b"<!doctype html", b"<?php")
_ZIP_EOCD = b"PK\x05\x06"
_ZIP_EOCD_SIZE = 22


def ends_as_zip(data: bytes) -> bool:
    """A ZIP end-of-central-directory record whose comment reaches the file's last byte:
    ZIP readers find the archive by it, so the file opens as a ZIP."""
    start = max(0, len(data) - (_ZIP_EOCD_SIZE + 0xFFFF))
    pos = data.rfind(_ZIP_EOCD, start)
    while pos >= 0:
        if pos + _ZIP_EOCD_SIZE <= len(data):
            comment = int.from_bytes(data[pos + 20 : pos + 22], "little")
            if pos + _ZIP_EOCD_SIZE + comment == len(data):
                return True
        pos = data.rfind(_ZIP_EOCD, start, pos)
    return False


def image_polyglot(data: bytes, content_type: str) -> bool:
    """True if the image carries another format's data (see the module's list)."""
    end = _IMAGE_END[content_type](data)
    if data[end:].strip(b"\x00"):
        return True
    if b"%PDF-" in data:
        return True
    lowered = data.lower()
    if any(token in lowered for token in _MARKUP):
        return True
    return ends_as_zip(data)


_PDF_TRAILING_SPACE = b" \t\r\n\f\x00"


def pdf_polyglot(data: bytes) -> bool:
    """True if something follows the PDF's last ``%%EOF`` or the file is also a ZIP."""
    last = data.rfind(b"%%EOF")
    if last < 0:
        raise Damaged("no %%EOF")
    if data[last + 5 :].strip(_PDF_TRAILING_SPACE):
        return True
    return ends_as_zip(data)


# -------------------------------------------------------------------------- images


def clean_image(data: bytes, content_type: str) -> CleanFile | Refusal:
    """Decode, turn upright, shrink, re-encode from the pixels alone."""
    pil_format = _PIL_FORMAT[content_type]
    try:
        with warnings.catch_warnings():
            # Pillow warns of a decompression bomb above MAX_IMAGE_PIXELS: refused here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[pil_format]) as opened:
                if opened.width * opened.height > MAX_SOURCE_PIXELS:
                    return Refusal.IMAGE_TOO_LARGE
                if pil_format == "JPEG":
                    # Decode at 1/2, 1/4 or 1/8 scale when that still covers the limit.
                    opened.draft(opened.mode, (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
                opened.load()
                icc = opened.info.get("icc_profile")
                picture = _upright(opened)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Refusal.IMAGE_TOO_LARGE
    except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError):
        # Truncated or corrupt data (OSError "image file is truncated", "broken data
        # stream"), a header Pillow cannot parse.
        return Refusal.DAMAGED_IMAGE
    try:
        picture = _to_srgb(picture, icc)
        picture = _encodable(picture, pil_format)
        picture.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
        body = _encode(picture, pil_format)
    except (OSError, ValueError):
        # Pixels Pillow decoded but cannot convert or write back (an exotic mode): the
        # sender gets a refusal, not a failed invocation retried into the dead letters.
        return Refusal.DAMAGED_IMAGE
    return CleanFile(body, content_type, picture.width, picture.height)


def _upright(opened: Image.Image) -> Image.Image:
    """The first frame, rotated or flipped as its EXIF orientation says (a copy)."""
    opened.seek(0)
    upright = ImageOps.exif_transpose(opened)
    return upright if upright is not opened else opened.copy()


def _to_srgb(picture: Image.Image, icc: bytes | None) -> Image.Image:
    """Pixels in sRGB when the file carries an ICC profile (then dropped with the rest)."""
    if not icc or picture.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return picture
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        output_mode = "RGBA" if picture.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(
            picture, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return picture  # an unreadable profile: the pixels as they are
    return converted if converted is not None else picture


# The modes each format's encoder takes as they are; any other is converted.
_MODES = {
    "JPEG": ("L", "RGB"),
    "PNG": ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"),
    "WEBP": ("RGB", "RGBA"),
}


def _encodable(picture: Image.Image, pil_format: str) -> Image.Image:
    alpha = "A" in picture.getbands() or "transparency" in picture.info
    if picture.mode == "P" and pil_format == "PNG":
        # A palette is not resampled smoothly: shrinking works on RGBA.
        if max(picture.size) > MAX_IMAGE_SIDE:
            return picture.convert("RGBA")
        return picture
    if picture.mode in _MODES[pil_format]:
        return picture
    if pil_format == "JPEG":
        return picture.convert("RGB")
    return picture.convert("RGBA" if alpha else "RGB")


def _encode(picture: Image.Image, pil_format: str) -> bytes:
    """The pixels in a new file: nothing of the source's metadata is passed on."""
    kept: dict[str | tuple[int, int], Any] = {}
    if "transparency" in picture.info:
        kept["transparency"] = picture.info["transparency"]
    picture.info = kept  # PNG's encoder would otherwise carry icc_profile, exif, text
    out = io.BytesIO()
    if pil_format == "JPEG":
        picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif pil_format == "WEBP":
        picture.save(out, "WEBP", quality=WEBP_QUALITY)
    else:
        picture.save(out, "PNG", **{str(k): v for k, v in kept.items()})
    return out.getvalue()


# ---------------------------------------------------------------------------- PDFs

_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/XFA", "/Launch"}
)
_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
        "/Rendition",
        "/RichMediaExecute",
    }
)
_ACTIVE_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
)
# The same names as raw tokens (a name ends at white space or a delimiter), for objects
# no reference reaches. Hex escapes (/J#61vaScript) are a parser's business: the walk.
_RAW_ACTIVE = re.compile(
    rb"/(?:JS|JavaScript|EmbeddedFiles?|XFA|Launch|RichMedia\w*|FileAttachment|SubmitForm"
    rb"|ImportData|GoToE)(?=[\s/<>\[\]()%{}]|\Z)"
)
# A stream's data, from the keyword "stream" (not the end of "endstream") to "endstream".
_STREAM_BODY = re.compile(rb"(?<!end)stream\r?\n.*?endstream", re.DOTALL)
# Bounds the walk of a hostile file (a 10 MB PDF has far fewer objects).
MAX_PDF_NODES = 2_000_000


class _TooComplex(Exception):
    pass


def clean_pdf(data: bytes) -> CleanFile | Refusal:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return Refusal.ENCRYPTED_PDF
        if len(reader.pages) == 0:
            return Refusal.DAMAGED_PDF
        if _has_active_content(reader.trailer):
            return Refusal.ACTIVE_PDF
    except _TooComplex:
        return Refusal.DAMAGED_PDF
    except PdfReadError:
        return Refusal.DAMAGED_PDF
    except Exception:
        # pypdf raises more than its own errors on malformed input (KeyError, TypeError,
        # struct and zlib errors, RecursionError...): the file is unreadable, not our fault.
        return Refusal.DAMAGED_PDF
    if _RAW_ACTIVE.search(_STREAM_BODY.sub(b"stream endstream", data)):
        return Refusal.ACTIVE_PDF
    return CleanFile(data, PDF)


def _has_active_content(root: Any) -> bool:
    return any(_is_active(node) for node in _walk(root))


def _is_active(node: DictionaryObject) -> bool:
    if any(str(key) in _ACTIVE_KEYS for key in node):
        return True
    kind = node.get("/S")
    if isinstance(kind, NameObject) and str(kind) in _ACTIVE_ACTIONS:
        return True
    subtype = node.get("/Subtype")
    if isinstance(subtype, NameObject) and str(subtype) in _ACTIVE_ANNOTATIONS:
        return True
    kind_name = node.get("/Type")
    return isinstance(kind_name, NameObject) and str(kind_name) == "/EmbeddedFile"


def _walk(root: Any) -> Iterator[DictionaryObject]:
    """Every dictionary reachable from ``root`` once (streams' dictionaries too, not their
    data), following indirect references; iterative, bounded by MAX_PDF_NODES."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root]
    visited = 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > MAX_PDF_NODES:
            raise _TooComplex
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            yield node
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)


# ------------------------------------------------------------------------- verdict


def inspect_file(data: bytes, declared_type: str) -> CleanFile | Refusal:
    """The checker's verdict on a file's bytes (see the module's docstring)."""
    found = sniff(data)
    if found is None:
        return Refusal.UNKNOWN_TYPE
    if found != declared_type:
        return Refusal.TYPE_MISMATCH
    if found == PDF:
        try:
            if pdf_polyglot(data):
                return Refusal.POLYGLOT
        except Damaged:
            return Refusal.DAMAGED_PDF
        return clean_pdf(data)
    try:
        if image_polyglot(data, found):
            return Refusal.POLYGLOT
    except Damaged:
        return Refusal.DAMAGED_IMAGE
    return clean_image(data, found)

"""Files for the upload tests of the web clients: PDFs built byte by byte (a plain one, one
with JavaScript) and photos drawn by the browser's own canvas (no imaging library needed
on the test side).
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page


def pdf_bytes(text: str = "Surat keterangan RT", *, javascript: bool = False) -> bytes:
    """A one-page PDF 1.4 with a correct cross-reference table; with ``javascript``, an
    OpenAction that runs a script (what the checker must refuse)."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    catalog = b"<< /Type /Catalog /Pages 2 0 R"
    if javascript:
        catalog += b" /OpenAction << /S /JavaScript /JS (app.alert\\('halo'\\)) >>"
    catalog += b" >>"
    objects = [
        catalog,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def photo_bytes(page: Page, width: int, height: int, quality: float = 0.92) -> bytes:
    """A JPEG photo of ``width`` × ``height`` px, drawn with noise (so it does not compress
    to nothing) by the page's canvas."""
    data_url: str = page.evaluate(
        """([width, height, quality]) => {
            const canvas = document.createElement("canvas");
            canvas.width = width;
            canvas.height = height;
            const context = canvas.getContext("2d");
            const image = context.createImageData(width, height);
            let seed = 7;
            for (let i = 0; i < image.data.length; i += 4) {
                seed = (seed * 1103515245 + 12345) & 0x7fffffff;
                const x = (i / 4) % width;
                image.data[i] = (x * 255) / width;
                image.data[i + 1] = seed & 0xff;
                image.data[i + 2] = 128;
                image.data[i + 3] = 255;
            }
            context.putImageData(image, 0, 0);
            return canvas.toDataURL("image/jpeg", quality);
        }""",
        [width, height, quality],
    )
    return base64.b64decode(data_url.split(",", 1)[1])


def chooser_file(name: str, mime: str, data: bytes) -> dict[str, Any]:
    """What Playwright's ``set_input_files`` takes for a file made in memory."""
    return {"name": name, "mimeType": mime, "buffer": data}


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's first start-of-frame marker."""
    index = 2
    while index < len(data):
        if data[index] != 0xFF:
            index += 1
            continue
        marker = data[index + 1]
        length = int.from_bytes(data[index + 2 : index + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            height = int.from_bytes(data[index + 5 : index + 7], "big")
            width = int.from_bytes(data[index + 7 : index + 9], "big")
            return width, height
        index += 2 + length
    raise ValueError("no start-of-frame marker")

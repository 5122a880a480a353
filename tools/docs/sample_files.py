"""Files to upload in the browser tests and the screenshots of issue #17: PDFs built byte
by byte (a plain one, one with JavaScript) and JPEG photos drawn by the browser's own canvas
(no imaging library needed on this side).
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import FilePayload, Page


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


# A street at dusk with a pothole: what a citizen's photo might show (for the screenshots).
_SCENE = """([width, height, quality]) => {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const c = canvas.getContext("2d");
    const sky = c.createLinearGradient(0, 0, 0, height * 0.45);
    sky.addColorStop(0, "#2f6db5");
    sky.addColorStop(1, "#f2b36b");
    c.fillStyle = sky;
    c.fillRect(0, 0, width, height * 0.45);
    c.fillStyle = "#9a9d8f";
    c.fillRect(0, height * 0.45, width, height * 0.55);
    c.fillStyle = "#555b61";
    c.beginPath();
    c.moveTo(width * 0.42, height * 0.45);
    c.lineTo(width * 0.58, height * 0.45);
    c.lineTo(width, height);
    c.lineTo(0, height);
    c.fill();
    c.fillStyle = "#3d7a3a";
    c.fillRect(0, height * 0.45, width * 0.42, height * 0.08);
    c.fillRect(width * 0.58, height * 0.45, width * 0.42, height * 0.08);
    c.fillStyle = "#f4f1e8";
    c.fillRect(width * 0.49, height * 0.55, width * 0.02, height * 0.08);
    c.fillRect(width * 0.485, height * 0.72, width * 0.03, height * 0.12);
    c.fillStyle = "#26292c";
    c.beginPath();
    c.ellipse(width * 0.38, height * 0.8, width * 0.12, height * 0.06, 0, 0, 2 * Math.PI);
    c.fill();
    return canvas.toDataURL("image/jpeg", quality);
}"""


def scene_bytes(page: Page, width: int, height: int, quality: float = 0.9) -> bytes:
    """A JPEG of a street with a pothole, drawn by the page's canvas."""
    data_url: str = page.evaluate(_SCENE, [width, height, quality])
    return base64.b64decode(data_url.split(",", 1)[1])


def chooser_file(name: str, mime: str, data: bytes) -> FilePayload:
    """What Playwright's ``set_input_files`` takes for a file made in memory."""
    payload: FilePayload = {"name": name, "mimeType": mime, "buffer": data}
    return payload

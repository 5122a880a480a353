"""Files for the upload tests of the web clients (the builders live in
tools/docs/sample_files.py, shared with the screenshots), and a JPEG's size read from its
bytes."""

from __future__ import annotations

from tools.docs.sample_files import chooser_file, pdf_bytes, photo_bytes, scene_bytes

__all__ = ["chooser_file", "jpeg_size", "pdf_bytes", "photo_bytes", "scene_bytes"]


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

"""Open311 GeoReport v2 answers: the same data as JSON or as the specification's XML.

Every Open311 answer, read or write, success or error, goes through ``open311_response``:
the data are plain values (dicts, lists, strings, numbers, booleans, None), and the
format comes from the path's extension (``.json`` or ``.xml``, ``format_of``).

- JSON: the data as they are (``ensure_ascii=False``, UTF-8).
- XML: ``<?xml version="1.0" encoding="utf-8"?>``, then the root element the
  specification names for the answer (``service_requests``, ``services``,
  ``discovery``...). A list becomes one child element per item, named by
  ``ITEM_NAMES`` after the list's element (``service_requests`` -> ``request``,
  ``endpoints`` -> ``endpoint``, ``errors`` -> ``error``...); a mapping becomes one
  child element per key, in order; None an empty element; a boolean ``true``/``false``.

So JSON and XML carry the same data by construction; a test compares them for every
route (tests/support/open311.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from http import HTTPStatus
from typing import Any
from xml.sax.saxutils import escape

from aws_lambda_powertools.event_handler import Response

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


class Format(StrEnum):
    JSON = "json"
    XML = "xml"


# text/xml is the media type the specification's discovery lists for XML.
CONTENT_TYPES = {
    Format.JSON: "application/json; charset=utf-8",
    Format.XML: "text/xml; charset=utf-8",
}

# The element of each item of a list, after the list's own element: the specification's.
ITEM_NAMES: Mapping[str, str] = {
    "service_requests": "request",
    "services": "service",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
}


def format_of(name: str) -> Format | None:
    """The format a path or file name asks for by its extension, or None for any other."""
    _, dot, extension = name.rpartition(".")
    if not dot:
        return None
    try:
        return Format(extension)
    except ValueError:
        return None


def split_format(name: str) -> tuple[str, Format] | None:
    """``"ROAD.json"`` -> ``("ROAD", Format.JSON)``; None without a known extension."""
    fmt = format_of(name)
    if fmt is None:
        return None
    return name[: -len(fmt.value) - 1], fmt


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def to_xml(root: str, data: Any) -> str:
    """The specification's XML for ``data`` under the element ``root``."""
    return XML_DECLARATION + _element(root, data)


def _element(name: str, value: Any) -> str:
    if value is None or value == [] or value == {}:
        return f"<{name}/>"
    if isinstance(value, Mapping):
        inner = "".join(_element(key, item) for key, item in value.items())
    elif isinstance(value, Sequence) and not isinstance(value, str):
        item_name = ITEM_NAMES[name]
        inner = "".join(_element(item_name, item) for item in value)
    elif isinstance(value, bool):
        inner = "true" if value else "false"
    else:
        inner = escape(str(value))
    return f"<{name}>{inner}</{name}>"


def render(fmt: Format, root: str, data: Any) -> str:
    """``data`` as JSON, or as XML under ``root``."""
    return to_json(data) if fmt is Format.JSON else to_xml(root, data)


def open311_response(
    status: HTTPStatus,
    fmt: Format,
    root: str,
    data: Any,
    headers: Mapping[str, str] | None = None,
) -> Response[str]:
    """An Open311 answer in ``fmt``: ``data`` rendered, with its content type."""
    return Response(
        status_code=status.value,
        content_type=CONTENT_TYPES[fmt],
        body=render(fmt, root, data),
        headers=dict(headers or {}),
    )

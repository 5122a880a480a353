"""Open311 GeoReport v2 answers checked against the specification, not against our code.

JSON Schemas written from the specification's field lists (wiki.open311.org/GeoReport_v2:
GET Service List, GET Service Definition, GET Service Requests, errors, discovery)
validate every JSON answer; ``xml_data`` parses an XML answer (declaration and
element names checked) into the same plain values, so a test can assert that JSON
and XML carry the same data (``assert_same_data``). The list elements are the
specification's, written here independently of ``pendopo.api.open311_format``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import jsonschema

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
WIB_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$"
# The specification's XML: each list element and the element of its items.
SPEC_LISTS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}

_TEXT = {"type": "string"}
_OPTIONAL_TEXT = {"type": ["string", "null"]}
_DATETIME = {"type": "string", "pattern": WIB_DATETIME}

SERVICE = {
    "type": "object",
    "required": [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ],
    "additionalProperties": False,
    "properties": {
        "service_code": {"type": "string", "minLength": 1},
        "service_name": {"type": "string", "minLength": 1},
        "description": _TEXT,
        "metadata": {"type": "boolean"},
        "type": {"enum": ["realtime", "batch", "blackbox"]},
        "keywords": _TEXT,
        "group": _TEXT,
    },
}
SERVICES = {"type": "array", "items": SERVICE}

SERVICE_DEFINITION = {
    "type": "object",
    "required": ["service_code", "attributes"],
    "additionalProperties": False,
    "properties": {
        "service_code": _TEXT,
        "attributes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["variable", "code", "datatype", "required", "order", "description"],
                "properties": {
                    "variable": {"type": "boolean"},
                    "code": _TEXT,
                    "datatype": {
                        "enum": [
                            "string",
                            "number",
                            "datetime",
                            "text",
                            "singlevaluelist",
                            "multivaluelist",
                        ]
                    },
                    "required": {"type": "boolean"},
                    "datatype_description": _OPTIONAL_TEXT,
                    "order": {"type": "integer"},
                    "description": _TEXT,
                    "values": {"type": "array"},
                },
            },
        },
    },
}

SERVICE_REQUEST = {
    "type": "object",
    "required": ["service_request_id", "status", "requested_datetime"],
    "additionalProperties": False,
    "properties": {
        "service_request_id": {"type": "string", "pattern": r"^\d{4}-\d{4}-\d{4}$"},
        "status": {"enum": ["open", "closed"]},
        "status_notes": _OPTIONAL_TEXT,
        "service_name": _OPTIONAL_TEXT,
        "service_code": _OPTIONAL_TEXT,
        "description": _OPTIONAL_TEXT,
        "agency_responsible": _OPTIONAL_TEXT,
        "service_notice": _OPTIONAL_TEXT,
        "requested_datetime": _DATETIME,
        "updated_datetime": _DATETIME,
        "expected_datetime": _DATETIME,
        "address": _OPTIONAL_TEXT,
        "address_id": _OPTIONAL_TEXT,
        "zipcode": _OPTIONAL_TEXT,
        "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
        "long": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
        "media_url": _OPTIONAL_TEXT,
    },
}
SERVICE_REQUESTS = {"type": "array", "items": SERVICE_REQUEST, "maxItems": 1000}

ERRORS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "additionalProperties": False,
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}

DISCOVERY = {
    "type": "object",
    "required": ["changeset", "contact", "key_service", "endpoints"],
    "properties": {
        "changeset": _DATETIME,
        "contact": _TEXT,
        "key_service": _TEXT,
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["specification", "url", "changeset", "type", "formats"],
                "properties": {
                    "specification": {"const": "http://wiki.open311.org/GeoReport_v2"},
                    "url": {"type": "string", "pattern": r"^https?://.+/open311/v2$"},
                    "changeset": _DATETIME,
                    "type": {"enum": ["production", "test"]},
                    "formats": {"type": "array", "items": _TEXT},
                },
            },
        },
    },
}

# The answer to POST requests: one request, its id and notice (no token: we are realtime).
CREATED = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "required": ["service_request_id", "service_notice"],
        "additionalProperties": False,
        "properties": {
            "service_request_id": {"type": "string", "pattern": r"^\d{4}-\d{4}-\d{4}$"},
            "service_notice": {"type": "string", "minLength": 1},
        },
    },
}

# The root element of each answer's XML, by its JSON Schema.
XML_ROOTS = {
    id(CREATED): "service_requests",
    id(SERVICES): "services",
    id(SERVICE_DEFINITION): "service_definition",
    id(SERVICE_REQUESTS): "service_requests",
    id(ERRORS): "errors",
    id(DISCOVERY): "discovery",
}


def validate(data: Any, schema: dict[str, Any]) -> Any:
    jsonschema.validate(data, schema)
    return data


def xml_data(text: str, root: str) -> Any:
    """An XML answer as plain values; its declaration and root element checked."""
    assert text.startswith(XML_DECLARATION), text[:80]
    element = ET.fromstring(text.encode("utf-8"))  # noqa: S314 - our own answer in a test
    assert element.tag == root, (element.tag, root)
    return _value(element)


def _value(element: ET.Element) -> Any:
    children = list(element)
    if element.tag in SPEC_LISTS:
        assert all(child.tag == SPEC_LISTS[element.tag] for child in children), element.tag
        return [_value(child) for child in children]
    if children:
        return {child.tag: _value(child) for child in children}
    return element.text or ""


def _as_text(value: Any) -> Any:
    """JSON values as XML carries them: text, '' for null, true/false."""
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def assert_same_data(json_text: str | Any, xml_text: str, schema: dict[str, Any]) -> Any:
    """Both answers valid, and the same data; returns the JSON."""
    data = json.loads(json_text) if isinstance(json_text, str) else json_text
    validate(data, schema)
    assert _as_text(data) == xml_data(xml_text, XML_ROOTS[id(schema)])
    return data

"""Canary personal data, a detector for it and its obvious transforms, and ways to read
every output (emails sent to SES, MIME attachments, workbooks) as searchable text.

Used by ``test_personal_data.py``. The detector is deliberately generous: a digit run
with any single separator between digits (``3171 9945-1288.7777``), the email's local
part in any case, either word of the name in any case. The masked forms the design
allows (``************7777``, ``+62*******8888``) do not match.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl

# NIK: region 317199, birth day 45 (a woman born on the 5th), month 12, year 88,
# serial 7777. The brief's 3171999988887777 fails our NIK check (day 99), so it is sent
# only as invalid input, to prove a 422 never echoes it.
NIK = "3171994512887777"
INVALID_NIK = "3171999988887777"
PHONE = "0812-9999-8888"  # stored as +6281299998888
PHONE_E164 = "+6281299998888"
PHONE_MASKED = "+62*******8888"  # the recap CSV/XLSX form (design)
NIK_MASKED = "************7777"  # what officers other than verifiers see
EMAIL = "zz.pii.canary@example.test"
NAME = "Canaryputri Zzyzx"
# Titles are citizen text, not reporter fields; the design still keeps them out of logs,
# public answers, the recap and the escalation digest, and out of a unit digest for an
# anonymous or confidential complaint. Every such complaint's title carries this mark.
TITLE_MARK = "Kxqvjudul"


def _digits(value: str) -> str:
    """A regex for a digit string with at most one separator between its digits."""
    return r"[\s.\-/]?".join(re.escape(d) for d in value)


CANARIES: dict[str, re.Pattern[str]] = {
    "nik": re.compile(_digits(NIK)),
    "nik_invalid_input": re.compile(_digits(INVALID_NIK)),
    # The national number: +62 812..., 0812..., 62812... and with separators.
    "phone": re.compile(_digits(PHONE_E164[3:])),
    "email": re.compile(re.escape(EMAIL.split("@")[0]), re.IGNORECASE),
    "name": re.compile(r"canaryputri|zzyzx", re.IGNORECASE),
    "title": re.compile(re.escape(TITLE_MARK), re.IGNORECASE),
}
PERSONAL = frozenset({"nik", "nik_invalid_input", "phone", "email", "name"})
EVERYTHING = frozenset(CANARIES)


def leaks(text: str, kinds: frozenset[str] = EVERYTHING) -> set[str]:
    """Which canaries (of ``kinds``) appear in ``text``."""
    return {kind for kind in kinds if CANARIES[kind].search(text)}


# ---------------------------------------------------------------- emails and files


@dataclass
class SentEmail:
    recipients: list[str]
    subject: str
    text: str  # every header, part and attachment, decoded
    attachments: list[str] = field(default_factory=list)


class RecordingSes:
    """An SES v2 client that keeps every SendEmail request, then sends it (moto)."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.requests: list[dict[str, Any]] = []

    def send_email(self, **request: Any) -> Any:
        self.requests.append(request)
        return self.real.send_email(**request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def emails(self) -> list[SentEmail]:
        return [decode_request(request) for request in self.requests]


def decode_request(request: dict[str, Any]) -> SentEmail:
    recipients = list(request["Destination"]["ToAddresses"])
    content = request["Content"]
    if "Raw" in content:
        return decode_mime(content["Raw"]["Data"], recipients)
    simple = content["Simple"]
    parts = [simple["Subject"]["Data"]]
    parts += [body["Data"] for body in simple["Body"].values()]
    return SentEmail(recipients, simple["Subject"]["Data"], "\n".join(parts))


def decode_mime(data: bytes, recipients: list[str]) -> SentEmail:
    message = email.message_from_bytes(data, policy=email.policy.default)
    texts = [f"{name}: {value}" for name, value in message.items()]
    names: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename:
            names.append(filename)
            texts.append(filename)
        texts.append(file_text(filename or "", payload))
    return SentEmail(recipients, str(message["Subject"]), "\n".join(texts), names)


def file_text(name: str, data: bytes) -> str:
    """A file as searchable text: a workbook's every cell and every XML part of it."""
    if name.endswith(".xlsx"):
        return xlsx_text(data)
    return data.decode("utf-8-sig", errors="replace")


def xlsx_text(data: bytes) -> str:
    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # cells, shared strings, doc props
        texts += [archive.read(n).decode("utf-8", errors="replace") for n in archive.namelist()]
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            texts.append("\t".join("" if value is None else str(value) for value in row))
    workbook.close()
    return "\n".join(texts)

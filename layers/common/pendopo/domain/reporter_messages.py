"""What the reporter is told, by SMS and email, about their own complaint (issue #16).

One message per event, only to a reporter who consented (``Complaint.notify``):

| audit action       | message        | says                                          |
|--------------------|----------------|-----------------------------------------------|
| ``submit``         | receipt        | ticket, due date, the tracking link with code |
| ``verify``         | verified       | forwarded to the unit (by name)               |
| ``disposition``    | dispositioned  | to the agency or BUMD (by name)               |
| ``reject``         | rejected       | with the reason                               |
| ``accept_follow_up`` | done         | the result; a link to rate it                 |
| ``reopen``         | reopened       | the complaint is handled again                |

The table is keyed by the action's *value*, so an action another module adds (the
verifier's ``reopen``) is matched by name. Nothing else is ever told: never an
officer's name, never an internal note (re-routes, TL rejections and acknowledgements
send nothing). Anonymity hides the reporter from handlers, not from their own messages.

Pure Python: the wording lives in the jinja2 templates
(``pendopo/templates/reporter``, rendered by ``pendopo.notifications.reporter``);
here only the choice, the facts each message shows, and the SMS rules: one GSM-7
segment, 160 septets at most, with free text (a reason) made to fit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from urllib.parse import urlencode

from pendopo.domain.clock import format_wib, to_wib
from pendopo.domain.complaint import AuditEvent, Complaint
from pendopo.domain.taxonomy import Taxonomy

SMS_SEPTETS = 160  # one GSM-7 segment
TRACKING_PAGE = "lacak.html"
# The citizen web's URL as an SMS shows it (no scheme) may be at most this long, so
# every SMS fits one segment whatever the stage configures (settings check it; the
# template test renders every SMS with a base this long).
MAX_SMS_BASE = 35


class MessageKind(StrEnum):
    RECEIPT = "receipt"
    VERIFIED = "verified"
    DISPOSITIONED = "dispositioned"
    REJECTED = "rejected"
    DONE = "done"
    REOPENED = "reopened"


class MessageChannel(StrEnum):
    SMS = "sms"
    EMAIL = "email"


REPORTER_MESSAGES: Mapping[str, MessageKind] = MappingProxyType(
    {
        "submit": MessageKind.RECEIPT,
        "verify": MessageKind.VERIFIED,
        "disposition": MessageKind.DISPOSITIONED,
        "reject": MessageKind.REJECTED,
        "accept_follow_up": MessageKind.DONE,
        "reopen": MessageKind.REOPENED,
    }
)


def message_for(action: str) -> MessageKind | None:
    """The reporter's message for an audit action (its value), or None."""
    return REPORTER_MESSAGES.get(action)


def channels_for(complaint: Complaint) -> tuple[MessageChannel, ...]:
    """The channels the reporter consented to and has a contact for."""
    channels = []
    if complaint.notify.sms and complaint.reporter.phone:
        channels.append(MessageChannel.SMS)
    if complaint.notify.email and complaint.reporter.email:
        channels.append(MessageChannel.EMAIL)
    return tuple(channels)


@dataclass(frozen=True, slots=True)
class Links:
    """Where the citizen web and the API are (one origin in every stage)."""

    citizen_url: str  # the citizen web, e.g. https://pendopo.jakarta.go.id/warga/
    api_url: str  # the API's origin, e.g. https://pendopo.jakarta.go.id

    def tracking(self, ticket: str, code: str | None = None) -> str:
        """The tracking page; ticket and code in the fragment (never sent to a server)."""
        fragment = {"tiket": ticket, **({"kode": code} if code else {})}
        return f"{_with_slash(self.citizen_url)}{TRACKING_PAGE}#{urlencode(fragment)}"

    def unsubscribe(self, ticket: str, token: str) -> str:
        query = urlencode({"token": token})
        return f"{self.api_url.rstrip('/')}/v1/complaints/{ticket}/unsubscribe?{query}"


def sms_link(url: str) -> str:
    """A link as an SMS shows it: without the scheme (phones link it all the same)."""
    return url.removeprefix("https://").removeprefix("http://")


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True, slots=True)
class ReporterMessage:
    """The facts one message shows; no officer, no internal note, nothing of others."""

    kind: MessageKind
    ticket: str
    title: str
    category: str
    unit: str
    due: str
    due_short: str  # dd/mm/yyyy HH:MM (WIB), for an SMS
    tracking_link: str  # with the code for the receipt (while it is kept), else the ticket
    code: str | None = None  # the tracking code (receipt only)
    agency: str | None = None  # dispositioned
    reason: str | None = None  # rejected
    result: str | None = None  # done
    unsubscribe_link: str | None = None  # emails only


def build_message(
    kind: MessageKind,
    event: AuditEvent,
    complaint: Complaint,
    taxonomy: Taxonomy,
    links: Links,
    code: str | None = None,
) -> ReporterMessage:
    category = taxonomy.category(complaint.category)
    unit = taxonomy.units.get(event.unit)
    agency = taxonomy.agencies.get(complaint.agency) if complaint.agency else None
    receipt_code = code if kind is MessageKind.RECEIPT else None
    reason = event.note or complaint.decision_reason
    result = complaint.follow_up.result if complaint.follow_up else None
    return ReporterMessage(
        kind=kind,
        ticket=complaint.ticket,
        title=complaint.title,
        category=category.label if category else complaint.category,
        unit=unit.name if unit else event.unit,
        due=format_wib(complaint.due_at),
        due_short=f"{to_wib(complaint.due_at):%d/%m/%Y %H:%M}",
        tracking_link=links.tracking(complaint.ticket, receipt_code),
        code=receipt_code,
        agency=(agency.name if agency else complaint.agency)
        if kind is MessageKind.DISPOSITIONED
        else None,
        reason=reason.strip() if kind is MessageKind.REJECTED and reason else None,
        result=result if kind is MessageKind.DONE else None,
        unsubscribe_link=links.unsubscribe(complaint.ticket, complaint.unsubscribe_token)
        if complaint.unsubscribe_token
        else None,
    )


# --- GSM-7 ------------------------------------------------------------------------

# The GSM 03.38 default alphabet (one septet each) and its extension table (two: the
# escape and the character). Text only of these goes as GSM-7, 160 per segment; one
# other character turns the whole SMS into UCS-2 (70 per segment).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
_LOOKALIKES = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\t": " "}


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def septets(text: str) -> int:
    """The length of ``text`` in GSM-7 septets (extension characters count two)."""
    return sum(2 if char in GSM7_EXTENSION else 1 for char in text)


def to_gsm7(text: str) -> str:
    """Free text made GSM-7: look-alikes replaced, accents dropped, the rest as '?'."""
    out = []
    for char in text:
        char = _LOOKALIKES.get(char, char)
        if all(c in GSM7_BASIC for c in char):
            out.append(char)
            continue
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(plain if plain and all(c in GSM7_BASIC for c in plain) else "?")
    return " ".join("".join(out).split())  # one line: no breaks, no runs of spaces


def fit(text: str, room: int) -> str:
    """``text`` (made GSM-7) cut to ``room`` septets, with '...' when cut."""
    plain = to_gsm7(text)
    if septets(plain) <= room:
        return plain
    cut = plain
    while cut and septets(cut) > room - 3:
        cut = cut[:-1]
    return cut.rstrip() + "..."

"""The local outbox: the emails and SMS the functions sent through moto, as a page and JSON.

Every entry has ``channel`` (``email`` or ``sms``), ``to`` (a list), ``text`` and
``timestamp``; an email also ``from``, ``subject``, ``html`` (and ``cc``), an SMS
``from`` (the sender ID, if any). Oldest first, emails and SMS in one list.

SMS: moto's SNS keeps every ``Publish`` to a phone number in
``sns_backends[account][region].sms_messages`` (message id -> number, text), with no
time and no attributes; ``capture_sns_sms`` records both, keyed by the message id.

Where moto keeps them: SES v2 ``SendEmail`` is served by moto's v1 SES backend,
``moto.ses.models.ses_backends[account][region].sent_messages``, as ``Message``
objects with id, source, destinations, subject and one ``body``: for Simple
content moto keeps the **HTML part only** (the text part is dropped) and no time.
So the local stack also records each SES v2 request's text part and the time it
was accepted (``capture_sesv2_requests``), keyed by moto's message id; the outbox
lists moto's messages and adds those. The moto server runs in the stack's process,
which is why both can be read here.
"""

from __future__ import annotations

import functools
import html
import json
import threading
from datetime import UTC, datetime
from typing import Any

from tools.local.events import ACCOUNT_ID, REGION
from tools.local.proxy import GatewayRequest, GatewayResponse

_CAPTURED: dict[str, dict[str, Any]] = {}
_CAPTURE_LOCK = threading.Lock()
_APPLIED_MARK = "_pendopo_outbox_capture"


def capture_sesv2_requests() -> None:
    """Record the text part and time of every SES v2 Simple email moto accepts (idempotent)."""
    from moto.sesv2.responses import SESV2Response

    if getattr(SESV2Response, _APPLIED_MARK, False):
        return
    original = SESV2Response.send_email

    @functools.wraps(original)
    def send_email(self: Any) -> str:
        answer: str = original(self)
        try:
            request = json.loads(self.body)
            simple = request.get("Content", {}).get("Simple", {})
            message_id = json.loads(answer)["MessageId"]
        except (ValueError, KeyError, AttributeError):
            return answer
        with _CAPTURE_LOCK:
            _CAPTURED[message_id] = {
                "text": simple.get("Body", {}).get("Text", {}).get("Data"),
                "html": simple.get("Body", {}).get("Html", {}).get("Data"),
                "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
            }
        return answer

    SESV2Response.send_email = send_email  # type: ignore[method-assign]
    setattr(SESV2Response, _APPLIED_MARK, True)


def capture_sns_sms() -> None:
    """Record the time and sender ID of every SMS moto's SNS accepts (idempotent)."""
    from moto.sns.models import SNSBackend

    if getattr(SNSBackend, _APPLIED_MARK, False):
        return
    original = SNSBackend.publish

    @functools.wraps(original)
    def publish(self: Any, *args: Any, **kwargs: Any) -> str:
        message_id: str = original(self, *args, **kwargs)
        attributes = kwargs.get("message_attributes") or {}
        sender = (attributes.get("AWS.SNS.SMS.SenderID") or {}).get("Value")
        with _CAPTURE_LOCK:
            _CAPTURED[message_id] = {
                "from": sender,
                "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
            }
        return message_id

    SNSBackend.publish = publish  # type: ignore[method-assign]
    setattr(SNSBackend, _APPLIED_MARK, True)


def sent_sms(account: str = ACCOUNT_ID, region: str = REGION) -> list[dict[str, Any]]:
    """Every SMS moto's SNS accepted, oldest first."""
    from moto.sns.models import sns_backends

    messages = []
    for message_id, (number, text) in list(sns_backends[account][region].sms_messages.items()):
        with _CAPTURE_LOCK:
            extra = dict(_CAPTURED.get(message_id, {}))
        messages.append(
            {
                "id": message_id,
                "channel": "sms",
                "from": extra.get("from"),
                "to": [number],
                "text": text,
                "timestamp": extra.get("timestamp"),
            }
        )
    return messages


def sent_messages(account: str = ACCOUNT_ID, region: str = REGION) -> list[dict[str, Any]]:
    """Emails and SMS together, oldest first (an entry without a known time keeps its place)."""
    emails = [{"channel": "email", **email} for email in sent_emails(account, region)]
    texts = sent_sms(account, region)
    if not texts:
        return emails
    merged = [*emails, *texts]
    return sorted(merged, key=lambda entry: _sort_time(entry.get("timestamp")))


def _sort_time(timestamp: Any) -> str:
    """ISO time for sorting; a raw email's Date header converted, unknown times first."""
    if not timestamp:
        return ""
    text = str(timestamp)
    if text[:4].isdigit():
        return text
    import email.utils

    try:
        return email.utils.parsedate_to_datetime(text).astimezone(UTC).isoformat()
    except (TypeError, ValueError):
        return ""


def sent_emails(account: str = ACCOUNT_ID, region: str = REGION) -> list[dict[str, Any]]:
    """Every email moto's SES accepted, oldest first."""
    from moto.ses.models import Message, RawMessage, ses_backends

    emails: list[dict[str, Any]] = []
    for message in list(ses_backends[account][region].sent_messages):
        if isinstance(message, RawMessage):
            emails.append(_raw_email(message))  # the monthly recap (with attachments)
            continue
        if not isinstance(message, Message):
            continue  # templated sends: none of ours
        with _CAPTURE_LOCK:
            extra = dict(_CAPTURED.get(message.id, {}))
        destinations = message.destinations or {}
        emails.append(
            {
                "id": message.id,
                "from": message.source,
                "to": list(destinations.get("ToAddresses", [])),
                "cc": list(destinations.get("CcAddresses", [])),
                "subject": message.subject,
                "text": extra.get("text"),
                "html": extra.get("html", message.body),
                "timestamp": extra.get("timestamp"),
            }
        )
    return emails


def _raw_email(message: Any) -> dict[str, Any]:
    """A raw MIME email (the monthly recap) as the outbox lists it: parts and attachment names."""
    import email
    import email.policy

    parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
    parts: dict[str, str | None] = {"text/plain": None, "text/html": None}
    attachments = []
    for part in parsed.walk():
        if part.get_filename():
            attachments.append(part.get_filename())
        elif part.get_content_type() in parts and parts[part.get_content_type()] is None:
            parts[part.get_content_type()] = part.get_content()
    return {
        "id": message.id,
        "from": message.source,
        "to": sorted(set(message.destinations)),
        "cc": [],
        "subject": str(parsed["Subject"] or ""),
        "text": parts["text/plain"],
        "html": parts["text/html"],
        "timestamp": parsed["Date"] and str(parsed["Date"]),
        "attachments": attachments,
    }


def outbox_json(request: GatewayRequest) -> GatewayResponse:
    body = json.dumps(sent_messages(), ensure_ascii=False, indent=2).encode("utf-8")
    return GatewayResponse(
        200, [("content-type", "application/json"), ("cache-control", "no-store")], body
    )


def outbox_page(request: GatewayRequest) -> GatewayResponse:
    messages = list(reversed(sent_messages()))
    parts = [
        "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'>",
        "<title>Kotak keluar lokal - Pendopo</title>",
        "<style>body{font-family:Arial,sans-serif;margin:24px;color:#222}"
        "article{border:1px solid #ccc;margin:0 0 24px;padding:12px}"
        "dl{display:grid;grid-template-columns:8em 1fr;margin:0 0 8px}"
        "iframe{width:100%;height:480px;border:1px solid #eee}"
        "pre{white-space:pre-wrap;background:#f7f7f7;padding:8px}</style></head><body>",
        f"<h1>Kotak keluar lokal ({len(messages)} pesan)</h1>",
        "<p>Email dan SMS yang dikirim fungsi lewat SES dan SNS tiruan (moto). Terbaru di atas. "
        "<a href='outbox.json'>JSON</a></p>",
    ]
    for email in messages:
        if email["channel"] == "sms":
            parts.append(
                "<article class='sms'><dl>"
                f"<dt>Waktu</dt><dd>{html.escape(str(email['timestamp'] or '-'))}</dd>"
                "<dt>Saluran</dt><dd>SMS</dd>"
                f"<dt>Kepada</dt><dd>{html.escape(', '.join(email['to']))}</dd></dl>"
                f"<pre>{html.escape(email['text'])}</pre></article>"
            )
            continue
        parts.append(
            "<article><dl>"
            f"<dt>Waktu</dt><dd>{html.escape(str(email['timestamp'] or '-'))}</dd>"
            "<dt>Saluran</dt><dd>Email</dd>"
            f"<dt>Dari</dt><dd>{html.escape(email['from'])}</dd>"
            f"<dt>Kepada</dt><dd>{html.escape(', '.join(email['to']))}</dd>"
            f"<dt>Subjek</dt><dd>{html.escape(email['subject'])}</dd></dl>"
            # The email's own HTML in a sandbox: no scripts, no access to this page.
            f"<iframe sandbox title='HTML' srcdoc=\"{html.escape(email['html'] or '')}\"></iframe>"
            f"<details><summary>Teks</summary><pre>{html.escape(email['text'] or '')}</pre>"
            "</details></article>"
        )
    parts.append("</body></html>")
    return GatewayResponse(
        200,
        [("content-type", "text/html; charset=utf-8"), ("cache-control", "no-store")],
        "".join(parts).encode("utf-8"),
    )


LOCAL_PAGES = {"/_local/outbox": outbox_page, "/_local/outbox.json": outbox_json}

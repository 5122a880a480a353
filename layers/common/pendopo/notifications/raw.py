"""An email with attachments through SES v2 (``Content.Raw``), built with the standard library.

``email.message.EmailMessage`` writes the MIME (multipart/mixed around a
multipart/alternative text + HTML body, each attachment base64), so no library
is needed. SES v2 accepts raw messages up to 40 MB; the recap keeps well under
(see ``services.recap.ATTACH_LIMIT_BYTES``), because receiving mail servers often
refuse more than 10 to 25 MB.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from typing import Any

from pendopo.notifications.render import RenderedEmail


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str  # "text/html", "text/csv", ...

    @property
    def size(self) -> int:
        return len(self.content)


def build_mime(
    sender: str, recipient: str, email: RenderedEmail, attachments: tuple[Attachment, ...]
) -> bytes:
    # Headers up to RFC 5322's 998 characters: the default 78 folds a long subject
    # right after "Subject:", which some clients show with a leading space.
    message = EmailMessage(policy=SMTP.clone(max_line_length=998))
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = email.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(email.text, subtype="plain", charset="utf-8")
    message.add_alternative(email.html, subtype="html", charset="utf-8")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
        )
    return message.as_bytes()


class RawSesMailer:
    """One SES v2 ``SendEmail`` with raw content per call; raises whatever SES raises."""

    def __init__(self, client: Any, sender: str, configuration_set: str | None = None) -> None:
        self._client = client
        self.sender = sender
        self._configuration_set = configuration_set

    def send(
        self, recipient: str, email: RenderedEmail, attachments: tuple[Attachment, ...] = ()
    ) -> str:
        request: dict[str, Any] = {
            "FromEmailAddress": self.sender,
            "Destination": {"ToAddresses": [recipient]},
            "Content": {"Raw": {"Data": build_mime(self.sender, recipient, email, attachments)}},
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        response = self._client.send_email(**request)
        return str(response.get("MessageId", ""))

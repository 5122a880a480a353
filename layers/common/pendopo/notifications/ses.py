"""Sending one email to one recipient through SES v2 (Simple content, HTML + text)."""

from __future__ import annotations

from typing import Any

from pendopo.notifications.render import RenderedEmail

CHARSET = "UTF-8"


class SesMailer:
    """One ``SendEmail`` per call; raises whatever SES raises (the caller releases the claim)."""

    def __init__(self, client: Any, sender: str, configuration_set: str | None = None) -> None:
        self._client = client
        self._sender = sender
        self._configuration_set = configuration_set

    def send(self, recipient: str, email: RenderedEmail) -> str:
        """Send; returns SES's message id."""
        request: dict[str, Any] = {
            "FromEmailAddress": self._sender,
            "Destination": {"ToAddresses": [recipient]},
            "Content": {
                "Simple": {
                    "Subject": {"Data": email.subject, "Charset": CHARSET},
                    "Body": {
                        "Text": {"Data": email.text, "Charset": CHARSET},
                        "Html": {"Data": email.html, "Charset": CHARSET},
                    },
                }
            },
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        response = self._client.send_email(**request)
        return str(response.get("MessageId", ""))

"""Sending one SMS through Amazon SNS ``Publish`` to a phone number (no topic).

The service depends on the ``SmsSender`` port (``pendopo.services.ports``), so a
stage whose region needs AWS End User Messaging SMS (``SendTextMessage``) can get a
sender of its own without touching the service. What a stage configures
(``SMS_SENDER_ID``, ``SMS_ORIGINATION_NUMBER``) goes into the message attributes SNS
documents for SMS: ``AWS.SNS.SMS.SenderID``, ``AWS.MM.SMS.OriginationNumber``, and
``AWS.SNS.SMS.SMSType`` ``Transactional`` (delivered first, for messages a person
waits for). Indonesia's carriers ignore or need to register a sender ID, which is
why both are settings per stage and may stay empty.
"""

from __future__ import annotations

from typing import Any


class SnsSmsSender:
    """One ``Publish`` per call; raises whatever SNS raises (the caller releases the claim)."""

    def __init__(
        self, client: Any, sender_id: str | None = None, origination_number: str | None = None
    ) -> None:
        self._client = client
        attributes = {"AWS.SNS.SMS.SMSType": "Transactional"}
        if sender_id:
            attributes["AWS.SNS.SMS.SenderID"] = sender_id
        if origination_number:
            attributes["AWS.MM.SMS.OriginationNumber"] = origination_number
        self._attributes = {
            name: {"DataType": "String", "StringValue": value} for name, value in attributes.items()
        }

    def send(self, phone: str, text: str) -> str:
        """Send ``text`` to ``phone`` (E.164); returns SNS's message id."""
        response = self._client.publish(
            PhoneNumber=phone, Message=text, MessageAttributes=self._attributes
        )
        return str(response.get("MessageId", ""))

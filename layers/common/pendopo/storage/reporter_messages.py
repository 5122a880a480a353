"""What the reporter's messages need from the table besides the complaint.

- **The receipt's code.** The complaint keeps only the tracking code's hash. For a
  reporter who asked for messages, the create's transaction also writes the code in
  ``pk=C#<ticket>, sk=RECEIPT`` with the idempotency record's expiry (24 h, TTL): the
  receipt SMS and email carry it (for a walk-in reporter, that is how they keep it).
  Once the receipt went on every channel, the notify function removes it
  (``forget_receipt``). Later messages link the tracking page by ticket only.
- **The opt-out.** The unsubscribe link writes ``sk=OPTOUT``; the notify function sends
  nothing more for the complaint once it is there. Its own item, not a field of the
  complaint: an officer's action rewrites the whole complaint and would undo it.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist

from pendopo.domain.clock import to_utc_iso
from pendopo.storage.items import OPT_OUT_SK, RECEIPT_SK, OptOutItem, ReceiptItem, complaint_pk


class ReporterMessageStore:
    def receipt_code(self, ticket: str, now: datetime) -> str | None:
        """The tracking code for the receipt; None once sent, or expired (TTL lags)."""
        try:
            item = ReceiptItem.get(complaint_pk(ticket), RECEIPT_SK, consistent_read=True)
        except DoesNotExist:
            return None
        if int(item.expires_at) < int(now.timestamp()):
            return None
        return str(item.tracking_code)

    def forget_receipt(self, ticket: str) -> None:
        """The receipt went on every channel: the code is not kept any longer."""
        ReceiptItem(complaint_pk(ticket), RECEIPT_SK).delete()

    def opted_out(self, ticket: str) -> bool:
        try:
            OptOutItem.get(complaint_pk(ticket), OPT_OUT_SK, consistent_read=True)
        except DoesNotExist:
            return False
        return True

    def opt_out(self, ticket: str, now: datetime) -> None:
        """No further messages for the complaint (repeating it changes nothing)."""
        OptOutItem(complaint_pk(ticket), OPT_OUT_SK, at=to_utc_iso(now)).save()
